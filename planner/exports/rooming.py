"""Rooming lists for a hotel's front desk: A4 PDF and XLSX, one section per night.

A large hotel's list runs to hundreds of pages (2,000 guests over three nights: 6,000
rows), so what repeats is done once: each row's cells are formatted once for all the
nights (each distinct phone number and date once per file), and the header atop every
page is drawn with ``text()`` (``Document.paragraph``), ``multi_cell`` only for a line
too long for the page. The bench (``rooming_list_pdf``) compares the builder with
bare fpdf2 drawing the same rows.
"""

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


class RowCells:
    """The cells of rows, for one file: labels resolved once, each distinct phone
    number and date formatted once, each row (the same on every night) once."""

    def __init__(self) -> None:
        self.types = {k: str(v) for k, v in labels.ROOM_TYPE.items()}
        self.sexes = {k: str(v) for k, v in labels.SEX_SHORT.items()}
        self._phones: dict[str, str] = {}
        self._dates: dict = {}
        self._rows: dict[int, list[str]] = {}
        self._pdf_rows: dict[int, list[str]] = {}

    def _phone(self, value: str | None) -> str:
        if not value:
            return ""
        found = self._phones.get(value)
        if found is None:
            found = self._phones[value] = format_phone(value)
        return found

    def _date(self, value) -> str:
        found = self._dates.get(value)
        if found is None:
            found = self._dates[value] = format_date(value)
        return found

    def __call__(self, row: RoomingRow) -> list[str]:
        """The cells of a row as the XLSX has them."""
        found = self._rows.get(id(row))
        if found is None:
            found = self._rows[id(row)] = [
                row.room,
                self.types[row.room_type],
                row.name,
                self.sexes[row.sex] if row.sex else "",
                row.delegation,
                self._phone(row.head_phone),
                self._date(row.arrives_on),
                self._date(row.departs_on),
            ]
        return found

    def pdf(self, row: RoomingRow) -> list[str]:
        """The PDF's cells of a row: a phone number never wraps."""
        found = self._pdf_rows.get(id(row))
        if found is None:
            found = self._pdf_rows[id(row)] = list(self(row))
            found[5] = found[5].replace(" ", "\u00a0")
        return found


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
    heading = _("Daftar kamar · %(hotel)s", hotel=listing.hotel)
    pdf = Document("P", title=heading)
    width = pdf.w - 2 * MARGIN
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

    def header(doc: Document) -> None:
        doc.set_font(FONT, "B", 12)
        doc.paragraph(heading, height=5.5)
        doc.set_font(FONT, "", 9)
        for line in lines:
            doc.paragraph(line, height=4.6)
        doc.ln(1)

    pdf.draw_header = header
    table = Table(pdf, pdf_columns(width), font_size=PDF_FONT_SIZE)
    cells = RowCells()
    for night in listing.nights:  # each night on its own page, for the front desk
        table.continued = None
        table.new_page()
        title = night_title(night.night)
        table.subheading(title + " — " + _("%(n)s orang", n=len(night.rows)))
        table.continued = title
        for row in night.rows:
            table.row(cells.pdf(row))
        if not night.rows:
            table.row(["", "", _("Belum ada yang mendapat kamar."), *[""] * 5])
        table.continued = None
    if not listing.nights:
        table.new_page()
    table.end()
    return bytes(pdf.output())


def rooming_xlsx(listing: RoomingList) -> bytes:
    """One worksheet per night, the same columns as the PDF."""
    cells = RowCells()
    sheets = [
        Sheet(
            title=format_date(night.night),
            header=_headings(),
            rows=[cells(row) for row in night.rows],
        )
        for night in listing.nights
    ]
    if not sheets:
        sheets = [Sheet(title=listing.hotel, header=_headings())]
    return workbook_bytes(sheets)
