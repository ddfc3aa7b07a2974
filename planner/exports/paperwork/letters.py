"""Invitation letters (surat undangan) as A4 PDF: the office's letterhead, number,
date, recipient, a body naming the event, its dates, venue, the delegation's quota and
nomination deadline, a QR code and link to the delegation's page, the signature."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import segno
from flask_babel import gettext as _

from planner.exports.pdf import FONT, Document
from planner.formatting.plain import format_date, format_date_range, format_datetime
from planner.models import LetterSettings
from planner.services.paperwork.letters import LetterView


def _qr_png(url: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=5, border=2)
    out.seek(0)
    return out


def letters_pdf(
    letters: Sequence[LetterView],
    settings: LetterSettings,
    page_url: Callable[[int], str],
) -> bytes:
    """One page per letter (all of them in one file for printing)."""
    pdf = Document("P", title=_("Surat undangan"))
    pdf.page_label = ""
    pdf.set_margins(20, 15, 20)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for letter in letters:
        pdf.add_page()
        _letterhead(pdf, settings, width)
        _letter(pdf, letter, settings, width, page_url(letter.delegation_id))
    if not letters:
        pdf.add_page()
        pdf.set_font(FONT, "", 12)
        pdf.cell(width, 10, _("Belum ada surat."), align="C")
    return bytes(pdf.output())


def _letterhead(pdf: Document, settings: LetterSettings, width: float) -> None:
    top = pdf.t_margin
    if settings.logo_image:
        pdf.image(
            io.BytesIO(settings.logo_image),
            x=pdf.l_margin,
            y=top,
            h=22,
            w=22,
            keep_aspect_ratio=True,
        )
    pdf.set_xy(pdf.l_margin + 24, top + 2)
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(
        width - 48,
        7,
        settings.office_name.upper(),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_x(pdf.l_margin + 24)
    pdf.set_font(FONT, "", 9.5)
    pdf.multi_cell(
        width - 48,
        4.8,
        settings.office_address,
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    y = max(pdf.get_y(), top + 23) + 2
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, y, pdf.l_margin + width, y)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, y + 1.2, pdf.l_margin + width, y + 1.2)
    pdf.set_y(y + 5)


def _letter(pdf, letter: LetterView, settings, width: float, url: str) -> None:
    pdf.set_font(FONT, "", 11)
    y = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width - 70, y)
    pdf.cell(
        70,
        5.5,
        f"{settings.signing_place}, {format_date(settings.dated_on)}",
        align="R",
    )
    pdf.set_xy(pdf.l_margin, y)
    for label, value in (
        (_("Nomor"), letter.number),
        (_("Sifat"), _("Biasa")),
        (_("Lampiran"), "-"),
        (_("Perihal"), _("Undangan %(event)s", event=letter.event_title)),
    ):
        pdf.cell(24, 5.5, label)
        pdf.cell(4, 5.5, ":")
        pdf.multi_cell(
            width - 100, 5.5, value, align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)
    pdf.cell(width, 5.5, _("Yth."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(
        width * 0.6, 5.5, letter.recipient, align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 11)
    pdf.cell(width, 5.5, _("di Tempat"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    indent = 10
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        width - indent,
        5.8,
        _(
            "Dengan hormat, dalam rangka kegiatan %(event)s, kami mengundang "
            "%(recipient)s untuk mengirimkan peserta sebanyak %(quota)s orang, yang "
            "akan dilaksanakan pada:",
            event=letter.event_title,
            recipient=letter.recipient,
            quota=letter.quota,
        ),
        align="J",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for label, value in (
        (_("Hari/tanggal"), format_date_range(*letter.dates)),
        (_("Tempat"), letter.venue or _("akan diberitahukan kemudian")),
    ):
        pdf.set_x(pdf.l_margin + indent + 10)
        pdf.cell(30, 5.8, label)
        pdf.cell(4, 5.8, ":")
        pdf.multi_cell(
            width - indent - 44, 5.8, value, align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(2)
    deadline = (
        format_datetime(letter.deadline, letter.timezone)
        if letter.deadline
        else _("secepatnya")
    )
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        width - indent,
        5.8,
        _(
            "Nama calon peserta mohon diusulkan paling lambat %(deadline)s melalui "
            "halaman delegasi di Rombongan (pindai kode QR atau buka tautan di "
            "bawah ini).",
            deadline=deadline,
        ),
        align="J",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(
        width - indent,
        5.8,
        _(
            "Demikian undangan ini kami sampaikan. Atas perhatian dan kerja samanya "
            "kami ucapkan terima kasih."
        ),
        align="J",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    top = pdf.get_y()
    block = 80
    x = pdf.l_margin + width - block
    pdf.set_xy(x, top)
    pdf.multi_cell(
        block,
        5.5,
        settings.signatory_position,
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(20)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(
        block, 5.5, settings.signatory_name, align="C", new_x="LMARGIN", new_y="NEXT"
    )
    if settings.signatory_nip:
        pdf.set_font(FONT, "", 10)
        pdf.set_x(x)
        pdf.cell(block, 5, _("NIP. %(nip)s", nip=settings.signatory_nip), align="C")
    pdf.image(_qr_png(url), x=pdf.l_margin, y=top, w=28)
    pdf.set_font(FONT, "", 8)
    pdf.set_xy(pdf.l_margin, top + 29)
    pdf.multi_cell(width - block - 6, 4, url, new_x="LMARGIN", new_y="NEXT")
