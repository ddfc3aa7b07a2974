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


def _qr_png(url: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=2)
    out.seek(0)
    return out


def certificates_pdf(
    views: Sequence[CertificateView],
    template: CertificateTemplate,
    verify_url: Callable[[str], str],
) -> bytes:
    """One landscape page per certificate (a revoked one is marked so)."""
    pdf = Document("L", title=template.title)
    pdf.page_label = ""
    width = pdf.w - 2 * pdf.l_margin
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
        pdf.cell(
            width, 14, template.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_font(FONT, "", 11)
        pdf.cell(
            width,
            6,
            _("Nomor: %(number)s", number=view.number),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(8)
        pdf.cell(
            width, 6, _("diberikan kepada"), align="C", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(2)
        pdf.set_font(FONT, "B", 22)
        pdf.multi_cell(width, 11, view.name, align="C", new_x="LMARGIN", new_y="NEXT")
        if view.delegation:
            pdf.set_font(FONT, "", 12)
            pdf.cell(
                width, 6, view.delegation, align="C", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(5)
        pdf.set_font(FONT, "", 12)
        text = _(
            "atas partisipasinya sebagai peserta %(event)s yang diselenggarakan oleh "
            "%(body)s pada %(dates)s",
            event=view.event_title,
            body=view.organiser_body,
            dates=format_date_range(*view.dates),
        )
        if view.lesson_hours:
            text += " " + _("sebanyak %(hours)s jam pelajaran", hours=view.lesson_hours)
        pdf.set_x(pdf.l_margin + 20)
        pdf.multi_cell(
            width - 40, 6.5, text + ".", align="C", new_x="LMARGIN", new_y="NEXT"
        )
        _signature(pdf, template)
        url = verify_url(view.code)
        pdf.image(_qr_png(url), x=pdf.l_margin + 8, y=pdf.h - 58, w=32)
        pdf.set_font(FONT, "", 7.5)
        pdf.set_xy(pdf.l_margin + 8, pdf.h - 25)
        pdf.cell(120, 4, _("Periksa keaslian: %(url)s", url=url))
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


def _signature(pdf: Document, template: CertificateTemplate) -> None:
    block = 90
    x = pdf.w - pdf.r_margin - block - 8
    y = pdf.h - 68
    pdf.set_font(FONT, "", 11)
    pdf.set_xy(x, y)
    pdf.multi_cell(
        block,
        5.5,
        template.signatory_position,
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    top = pdf.get_y()
    if template.signature_image:
        pdf.image(
            io.BytesIO(template.signature_image),
            x=x + block / 2 - 20,
            y=top + 1,
            h=18,
            keep_aspect_ratio=True,
            w=40,
        )
    pdf.set_xy(x, top + 21)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(
        block, 5.5, template.signatory_name, align="C", new_x="LMARGIN", new_y="NEXT"
    )
    if template.signatory_nip:
        pdf.set_font(FONT, "", 10)
        pdf.set_x(x)
        pdf.cell(block, 5, _("NIP. %(nip)s", nip=template.signatory_nip), align="C")
