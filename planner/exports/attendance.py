"""Attendance sheets (daftar hadir) as A4 portrait PDF, the form filed for the SPJ.

Rows are numbered through the whole sheet; odd numbers sign on the left half of the
signature column and even numbers on the right ("1. ……" left, "2. ……" right), so
neighbours' signatures never collide.
"""

from __future__ import annotations

from flask_babel import gettext as _

from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.formatting.plain import format_date
from planner.services.rosters import AttendanceSheet

#: Height of a signature row, in mm: room for a signature.
ROW_HEIGHT = 9.0
#: The signature line: dots of DOT mm every DOT + DOT_GAP mm (a vector line, not
#: hundreds of "." glyphs).
DOT, DOT_GAP = 0.25, 0.75


def _columns() -> list[Column]:
    return [
        # Room for "10000" (10.9 mm with the padding) on one line.
        Column(_("No."), 12, "R"),
        Column(_("Nama"), 45),
        Column(_("Delegasi/wilayah"), 34),
        Column(_("Jabatan dan instansi"), 53),
        Column(_("Tanda tangan"), 42),
    ]


def attendance_pdf(sheet: AttendanceSheet) -> bytes:
    """The sheet: title block, rows grouped by delegation, the committee's signature."""
    pdf = Document("P", title=_("Daftar hadir") + f" · {sheet.event_title}")
    width = pdf.w - 2 * MARGIN
    heading = _("DAFTAR HADIR")
    running = f"{heading} · {sheet.event_title} · {sheet.day_label}"

    def header(doc: Document) -> None:
        if doc.page_no() == 1:
            doc.set_font(FONT, "B", 14)
            doc.line_text(heading, height=7, align="C")
            doc.set_font(FONT, "B", 11)
            doc.paragraph(sheet.event_title, height=5.5, align="C")
            doc.set_font(FONT, "", 9.5)
            doc.paragraph(sheet.organiser_body, height=5, align="C")
            doc.ln(2)
            facts = [(_("Hari, tanggal"), sheet.day_label), (_("Tempat"), sheet.place)]
            if sheet.session:
                facts.append((_("Sesi"), sheet.session))
            for label, value in facts:
                doc.set_font(FONT, "", 9.5)
                doc.cell(28, 5, label)
                doc.cell(4, 5, ":")
                doc.multi_cell(
                    width - 32, 5, value or "-", new_x="LMARGIN", new_y="NEXT"
                )
            doc.ln(2)
        else:
            doc.running_header(running)

    pdf.draw_header = header
    columns = _columns()
    table = Table(pdf, columns, row_height=ROW_HEIGHT)
    table.new_page()
    # The signature space of row n: "n." then a dotted line to the end of its half.
    half = columns[-1].width / 2
    left = table.edges[-2]
    widths = pdf.widths("", table.font_size)
    n = 0
    for group in sheet.groups:
        label = group.name + (f" ({group.code})" if group.code else "")
        table.continued = None
        table.subheading(f"{label} — " + _("%(n)s orang", n=group.total))
        table.continued = label
        for row in group.rows:
            n += 1
            job = ", ".join(x for x in (row.position, row.institution) if x)
            table.row([str(n), row.name, group.name, job, ""])
            # On a baseline near the row's bottom, leaving the room above to sign.
            baseline = pdf.y - 2.2
            x = left + (0 if n % 2 else half) + pdf.c_margin
            number = f"{n}."
            pdf.text(x, baseline, number)
            start = x + widths[number] + 1
            end = x + half - 2 * pdf.c_margin
            pdf.set_dash_pattern(DOT, DOT_GAP)
            pdf.line(start, baseline, end, baseline)
            pdf.set_dash_pattern()
        table.continued = None
    if not sheet.groups:
        table.row(["", _("Belum ada peserta."), "", "", ""])
    table.end()
    _committee(pdf, sheet, width)
    return bytes(pdf.output())


def _committee(pdf: Document, sheet: AttendanceSheet, width: float) -> None:
    """Place and date, "Panitia", room to sign, a blank name line (right-aligned)."""
    block = 72
    if pdf.get_y() + 42 > pdf.bottom:
        pdf.add_page()
    pdf.ln(6)
    x = pdf.l_margin + width - block
    place_date = ", ".join(
        x for x in (sheet.signing_place, format_date(sheet.day)) if x
    )
    pdf.set_font(FONT, "", 9.5)
    for text in (place_date, _("Panitia")):
        pdf.set_x(x)
        pdf.cell(block, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_x(x)
    pdf.cell(block, 5, "(" + "." * 50 + ")", align="C", new_x="LMARGIN", new_y="NEXT")
