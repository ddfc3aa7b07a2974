"""Certificates (sertifikat) as landscape A4 PDF, one page each, with a QR code to the
public verification page."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import segno
from flask_babel import gettext as _

from planner.exports.pdf import FONT, Document
from planner.formatting.plain import format_date_range
from planner.models import CertificateTemplate
from planner.services.paperwork.certificates import CertificateView


class CertificateDocument(Document):
    """A landscape page per certificate; texts measured with the cached glyph widths
    and drawn with ``text()``, the QR code drawn as one vector path."""

    def lines(self, text: str, width: float) -> list[str]:
        """``text`` wrapped greedily at spaces to fit ``width`` (as ``multi_cell``
        wraps it, without its per-character measuring), in the current font."""
        measure = self.widths(self.font_style, self.font_size_pt).__getitem__
        room = width - 2 * self.c_margin
        if measure(text) <= room:
            return [text]
        space = measure(" ")
        lines: list[str] = []
        line, used = "", 0.0
        for word in text.split(" "):
            w = measure(word)
            if line and used + space + w <= room:
                line, used = f"{line} {word}", used + space + w
                continue
            if line:
                lines.append(line)
            line, used = word, w
        lines.append(line)
        return lines

    def centred(
        self, text: str, *, height: float, x: float | None = None, width: float
    ) -> None:
        """``text`` centred in ``width`` from ``x`` (the left margin), one line per
        ``height``, wrapped when it does not fit; then the next line."""
        x = self.l_margin if x is None else x
        for line in self.lines(text, width):
            self.line_text(line, height=height, width=width, align="C", x=x)

    def qr(self, url: str, *, x: float, y: float, size: float) -> None:
        """The QR code of ``url`` (segno, error correction M) as filled squares, one
        rectangle per run of dark modules in a row, all in one path: sharp at any
        print size, and about a tenth of the cost of a PNG image per page."""
        code = segno.make(url, error="m", micro=False)
        matrix = code.matrix
        border = 2
        module = size / (len(matrix) + 2 * border)
        k, top = self.k, self.h - y
        ops = ["q 0 g"]
        for r, row in enumerate(matrix):
            bottom = (top - (r + border + 1) * module) * k
            c, n = 0, len(row)
            while c < n:
                if row[c] & 1:
                    start = c
                    while c < n and row[c] & 1:
                        c += 1
                    ops.append(
                        f"{(x + (start + border) * module) * k:.2f} {bottom:.2f} "
                        f"{(c - start) * module * k:.2f} {module * k:.2f} re"
                    )
                else:
                    c += 1
        ops.append("f Q")
        self._out("\n".join(ops))


def certificates_pdf(
    views: Sequence[CertificateView],
    template: CertificateTemplate,
    verify_url: Callable[[str], str],
) -> bytes:
    """One landscape page per certificate (a revoked one is marked so)."""
    pdf = CertificateDocument("L", title=template.title)
    pdf.page_label = ""
    width = pdf.w - 2 * pdf.l_margin
    signature = (
        io.BytesIO(template.signature_image) if template.signature_image else None
    )
    title = template.title.upper()
    for view in views:
        pdf.add_page()
        pdf.set_draw_color(90, 90, 90)
        pdf.set_line_width(1.2)
        pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
        pdf.set_line_width(0.3)
        pdf.rect(11, 11, pdf.w - 22, pdf.h - 22)
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0)
        pdf.set_y(24)
        pdf.set_font(FONT, "B", 30)
        pdf.centred(title, height=14, width=width)
        pdf.set_font(FONT, "", 11)
        pdf.centred(_("Nomor: %(number)s", number=view.number), height=6, width=width)
        pdf.ln(8)
        pdf.centred(_("diberikan kepada"), height=6, width=width)
        pdf.ln(2)
        pdf.set_font(FONT, "B", 22)
        pdf.centred(view.name, height=11, width=width)
        pdf.set_font(FONT, "", 12)
        if view.delegation:
            pdf.centred(view.delegation, height=6, width=width)
        pdf.ln(5)
        text = _(
            "atas partisipasinya sebagai peserta %(event)s yang diselenggarakan oleh "
            "%(body)s pada %(dates)s",
            event=view.event_title,
            body=view.organiser_body,
            dates=format_date_range(*view.dates),
        )
        if view.lesson_hours:
            text += " " + _("sebanyak %(hours)s jam pelajaran", hours=view.lesson_hours)
        pdf.centred(text + ".", height=6.5, x=pdf.l_margin + 20, width=width - 40)
        _signature(pdf, template, signature)
        url = verify_url(view.code)
        pdf.qr(url, x=pdf.l_margin + 8, y=pdf.h - 58, size=32)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_y(pdf.h - 25)
        pdf.line_text(
            _("Periksa keaslian: %(url)s", url=url),
            height=4,
            width=120,
            x=pdf.l_margin + 8,
        )
        if view.revoked:
            pdf.set_text_color(200, 0, 0)
            pdf.set_font(FONT, "B", 40)
            pdf.set_xy(pdf.l_margin, pdf.h / 2 - 10)
            pdf.cell(width, 20, _("DICABUT"), align="C")
            pdf.set_text_color(0)
    if not views:
        pdf.add_page()
        pdf.set_font(FONT, "", 12)
        pdf.cell(width, 10, _("Belum ada sertifikat."), align="C")
    return bytes(pdf.output())


def _signature(
    pdf: CertificateDocument, template: CertificateTemplate, image: io.BytesIO | None
) -> None:
    block = 90
    x = pdf.w - pdf.r_margin - block - 8
    pdf.set_font(FONT, "", 11)
    pdf.set_y(pdf.h - 68)
    pdf.centred(template.signatory_position, height=5.5, x=x, width=block)
    top = pdf.get_y()
    if image is not None:
        image.seek(0)
        pdf.image(
            image,
            x=x + block / 2 - 20,
            y=top + 1,
            h=18,
            keep_aspect_ratio=True,
            w=40,
        )
    pdf.set_y(top + 21)
    pdf.set_font(FONT, "B", 11)
    pdf.centred(template.signatory_name, height=5.5, x=x, width=block)
    if template.signatory_nip:
        pdf.set_font(FONT, "", 10)
        pdf.centred(
            _("NIP. %(nip)s", nip=template.signatory_nip), height=5, x=x, width=block
        )
