"""Rooming lists for a hotel's front desk: A4 PDF and XLSX, one section per night."""

from __future__ import annotations

from flask_babel import gettext as _

from planner import labels
from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.exports.xlsx import Sheet, workbook_bytes
from planner.formatting.plain import format_date, format_day
from planner.services.people import format_phone
from planner.services.rooms.listing import RoomingList, RoomingRow


def _headings() -> list[str]:
    return [
        _("Kamar"),
        _("Jenis"),
        _("Nama"),
        _("L/P"),
        _("Delegasi"),
        _("Telepon ketua"),
        _("Tanggal tiba"),
        _("Tanggal pulang"),
    ]


def _cells(row: RoomingRow) -> list[str]:
    return [
        row.room,
        str(labels.ROOM_TYPE[row.room_type]),
        row.name,
        str(labels.SEX_SHORT[row.sex]) if row.sex else "",
        row.delegation,
        format_phone(row.head_phone) if row.head_phone else "",
        format_date(row.arrives_on),
        format_date(row.departs_on),
    ]


def pdf_cells(row: RoomingRow) -> list[str]:
    """The PDF's cells of one row: a phone number never wraps."""
    cells = _cells(row)
    cells[5] = cells[5].replace(" ", "\u00a0")
    return cells


def pdf_columns(width: float) -> list[Column]:
    """The PDF's columns across ``width`` mm."""
    widths = (14, 13, 45, 8, 36, 30, 19, 19)
    scale = width / sum(widths)
    return [
        Column(h, w * scale, "C" if i in (3,) else "L")
        for i, (h, w) in enumerate(zip(_headings(), widths, strict=True))
    ]


#: Size of the rows' font (pt).
PDF_FONT_SIZE = 8


def night_title(night) -> str:
    """ "Malam Senin, 5 Mei 2031" for the section of one night."""
    return _("Malam %(day)s", day=format_day(night))


def rooming_pdf(listing: RoomingList) -> bytes:
    """A4 portrait: hotel and dates on every page, a section per night."""
    pdf = Document("P", title=_("Daftar kamar · %(hotel)s", hotel=listing.hotel))
    width = pdf.w - 2 * MARGIN

    def header(doc: Document) -> None:
        doc.set_font(FONT, "B", 12)
        doc.multi_cell(
            width,
            5.5,
            _("Daftar kamar · %(hotel)s", hotel=listing.hotel),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        doc.set_font(FONT, "", 9)
        lines = [listing.event_title]
        if listing.address:
            lines.append(listing.address)
        lines.append(
            _(
                "Check-in %(check_in)s · check-out %(check_out)s",
                check_in=format_date(listing.check_in_on),
                check_out=format_date(listing.check_out_on),
            )
        )
        doc.multi_cell(width, 4.6, "\n".join(lines), new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    pdf.draw_header = header
    table = Table(pdf, pdf_columns(width), font_size=PDF_FONT_SIZE)
    for night in listing.nights:  # each night on its own page, for the front desk
        table.continued = None
        table.new_page()
        title = night_title(night.night)
        table.subheading(title + " — " + _("%(n)s orang", n=len(night.rows)))
        table.continued = title
        for row in night.rows:
            table.row(pdf_cells(row))
        if not night.rows:
            table.row(["", "", _("Belum ada yang mendapat kamar."), *[""] * 5])
        table.continued = None
    if not listing.nights:
        table.new_page()
    table.end()
    return bytes(pdf.output())


def rooming_xlsx(listing: RoomingList) -> bytes:
    """One worksheet per night, the same columns as the PDF."""
    sheets = [
        Sheet(
            title=format_date(night.night),
            header=_headings(),
            rows=[_cells(row) for row in night.rows],
        )
        for night in listing.nights
    ]
    if not sheets:
        sheets = [Sheet(title=listing.hotel, header=_headings())]
    return workbook_bytes(sheets)
