"""Payment sheets (daftar penerimaan) as A4 PDF: rows to sign, the total in figures
and in words, and the signatures of the treasurer and the official in charge."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from planner.exports.attendance import DOT, DOT_GAP
from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.formatting.plain import format_date, format_date_range, format_rupiah
from planner.services.paperwork.payments import PaymentRow, PaymentSheet

ROW_HEIGHT = 9.0


def _columns() -> list[Column]:
    return [
        Column(_("No."), 10, "R"),
        Column(_("Nama"), 44),
        Column(_("Delegasi/instansi"), 34),
        Column(_("Volume"), 18, "C"),
        Column(_("Tarif"), 22, "R"),
        Column(_("Jumlah"), 24, "R"),
        Column(_("Tanda tangan"), 34),
    ]


def row_cells(
    n: int, row: PaymentRow, money: Callable[[int], str] = format_rupiah
) -> list[str]:
    """The texts of row ``n`` (the signature cell is drawn, not written)."""
    return [
        str(n),
        row.name,
        row.delegation,
        f"{row.quantity} {row.unit}",
        money(row.rate),
        money(row.amount),
        "",
    ]


class _Amounts(dict):
    """Amount → "Rp1.250.000", each formatted once: a sheet repeats the same few
    rates and amounts on thousands of rows, and Babel's formatting costs more than
    drawing the row."""

    def __missing__(self, amount: int) -> str:
        text = self[amount] = format_rupiah(amount)
        return text


def payments_pdf(sheet: PaymentSheet, *, signed_on=None) -> bytes:
    """The sheet: heading, numbered rows with a signature space, totals, signatures."""
    pdf = Document("P", title=sheet.title.capitalize() + f" · {sheet.event_title}")
    width = pdf.w - 2 * MARGIN
    running = f"{sheet.title} · {sheet.event_title}"

    def header(doc: Document) -> None:
        if doc.page_no() == 1:
            doc.title_block(
                sheet.title,
                (sheet.event_title, "B", 11, 5.5),
                (sheet.organiser_body, "", 9.5, 5),
                (format_date_range(*sheet.dates), "", 9.5, 5),
            )
            doc.ln(3)
        else:
            doc.running_header(running)

    pdf.draw_header = header
    columns = _columns()
    table = Table(pdf, columns, row_height=ROW_HEIGHT)
    table.new_page()
    money = _Amounts().__getitem__
    half = columns[-1].width / 2
    left = table.edges[-2]
    for n, row in enumerate(sheet.rows, start=1):
        table.row(row_cells(n, row, money))
        baseline = pdf.get_y() - 2.2
        x = left + (0 if n % 2 else half) + pdf.c_margin
        number = f"{n}."
        pdf.text(x, baseline, number)
        pdf.set_dash_pattern(DOT, DOT_GAP)
        pdf.line(
            x + table.measure(number) + 1,
            baseline,
            x + half - 2 * pdf.c_margin,
            baseline,
        )
        pdf.set_dash_pattern()
    if not sheet.rows:
        table.row(["", _("Belum ada penerima."), "", "", "", "", ""])
    table.end()
    table.total(_("JUMLAH"), format_rupiah(sheet.total))
    pdf.ln(2)
    pdf.set_font(FONT, "I", 9)
    pdf.multi_cell(
        width,
        5,
        _("Terbilang: %(words)s", words=sheet.total_in_words),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _signatures(pdf, sheet, width, signed_on)
    return bytes(pdf.output())


def _signatures(pdf: Document, sheet: PaymentSheet, width: float, signed_on) -> None:
    """The official in charge on the left, the treasurer on the right."""
    if pdf.get_y() + 45 > pdf.bottom:
        pdf.add_page()
    pdf.ln(6)
    block = 80
    place_date = ", ".join(
        x for x in (sheet.signing_place, format_date(signed_on or sheet.dates[1])) if x
    )
    blocks = [
        (
            pdf.l_margin,
            [
                "",
                _("Mengetahui,"),
                sheet.official_position or _("Pejabat Pembuat Komitmen"),
            ],
            sheet.official_name,
            sheet.official_nip,
        ),
        (
            pdf.l_margin + width - block,
            [place_date, "", _("Bendahara Pengeluaran")],
            sheet.treasurer_name,
            sheet.treasurer_nip,
        ),
    ]
    top = pdf.get_y()
    pdf.set_font(FONT, "", 9.5)
    for x, lines, name, nip in blocks:
        pdf.set_xy(x, top)
        for text in lines:
            pdf.set_x(x)
            pdf.cell(block, 5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(18)
        pdf.set_x(x)
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(
            block,
            5,
            name or "(" + "." * 50 + ")",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(FONT, "", 9.5)
        pdf.set_x(x)
        pdf.cell(
            block,
            5,
            _("NIP. %(nip)s", nip=nip or "-"),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
