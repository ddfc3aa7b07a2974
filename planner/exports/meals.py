"""A caterer's order sheet: each day's meals with time, place and portions, as A4 PDF
and XLSX."""

from __future__ import annotations

from flask_babel import gettext as _

from planner import labels
from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.exports.xlsx import Sheet, workbook_bytes
from planner.formatting.plain import format_date, format_day, format_time
from planner.services.meals import MealDay


def _headings() -> list[str]:
    return [
        _("Jam"),
        _("Konsumsi"),
        _("Jenis"),
        _("Tempat makan"),
        _("Porsi"),
        _("Porsi khusus"),
    ]


def kind_label(meal) -> str:
    """The meal's kind as printed: the run-down kind, or "Nasi kotak"."""
    if meal.is_packed:
        return _("Nasi kotak")
    return str(labels.AGENDA_KIND[meal.kind])


def special_text(meal) -> str:
    """ "vegetarian 3; diabetes 1"."""
    return "; ".join(f"{note} {n}" for note, n in meal.special.items())


def _cells(meal, timezone: str) -> list[str]:
    return [
        format_time(meal.starts_at, timezone),
        meal.title,
        kind_label(meal),
        meal.place,
        str(meal.portions),
        special_text(meal),
    ]


def meals_pdf(title: str, timezone: str, days: list[MealDay]) -> bytes:
    """A4 portrait: one section per day, its total under it."""
    pdf = Document("P", title=_("Pesanan konsumsi · %(event)s", event=title))
    width = pdf.w - 2 * MARGIN

    def header(doc: Document) -> None:
        doc.set_font(FONT, "B", 12)
        doc.multi_cell(width, 5.5, _("Pesanan konsumsi"), new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FONT, "", 9)
        doc.multi_cell(width, 4.6, title, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    pdf.draw_header = header
    widths = (20, 48, 20, 44, 14, 40)
    scale = width / sum(widths)
    columns = [
        Column(h, w * scale, "R" if i == 4 else "L")
        for i, (h, w) in enumerate(zip(_headings(), widths, strict=True))
    ]
    table = Table(pdf, columns)
    table.new_page()
    for day in days:
        table.continued = None
        table.subheading(format_day(day.day))
        table.continued = format_day(day.day)
        for meal in day.meals:
            table.row(_cells(meal, timezone))
        table.continued = None
        table.total(
            _("Jumlah porsi %(day)s", day=format_date(day.day)), str(day.portions)
        )
    if not days:
        table.row(["", _("Belum ada makan atau rehat di susunan acara."), *[""] * 4])
    table.end()
    return bytes(pdf.output())


def meals_xlsx(title: str, timezone: str, days: list[MealDay]) -> bytes:
    """One worksheet for the whole event: a row per meal, the day first."""
    rows = [
        [
            format_date(day.day),
            *_cells(meal, timezone)[:4],
            meal.portions,
            special_text(meal),
        ]
        for day in days
        for meal in day.meals
    ]
    return workbook_bytes(
        [Sheet(title=_("Konsumsi"), header=[_("Tanggal"), *_headings()], rows=rows)]
    )
