"""The budget (RAB) as A4 PDF and as XLSX whose amounts are live formulas.

In the workbook every amount is a formula over the cells beside it (volume × volume ×
unit price), each category has a SUM, the grand total sums the category totals, and a
second sheet totals per delegation with SUMIF, so finance staff change a price in Excel
and every total follows.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from planner.exports.csv_safe import neutralise
from planner.exports.pdf import FONT, Column, Document, Table
from planner.formatting.plain import format_date_range, format_rupiah
from planner.labels import BUDGET_CATEGORY
from planner.services.paperwork.sheet import BudgetSheet

_BOLD = Font(bold=True)
MONEY = "#,##0"


def _volume(line) -> str:
    text = f"{line.quantity} {line.unit}"
    if line.unit2 or line.quantity2 != 1:
        text += f" × {line.quantity2} {line.unit2}".rstrip()
    return text


def budget_pdf(sheet: BudgetSheet) -> bytes:
    """Title block, lines per category with subtotals, totals per delegation."""
    pdf = Document("P", title=_("Rencana anggaran biaya") + f" · {sheet.event_title}")
    pdf.add_page()
    pdf.title_block(
        _("RENCANA ANGGARAN BIAYA"),
        (sheet.event_title, "B", 11, 5.5),
        (sheet.organiser_body, "", 9.5, 5),
        (format_date_range(*sheet.dates), "", 9.5, 5),
    )
    pdf.set_font(FONT, "", 8.5)
    note = _(
        "Uang harian %(rate)s per orang per hari (batas tertinggi SBM %(year)s "
        "%(province)s: %(ceiling)s).",
        rate=format_rupiah(sheet.allowance_rate),
        year=sheet.fiscal_year,
        province=sheet.province or "-",
        ceiling=format_rupiah(sheet.allowance_ceiling),
    )
    pdf.multi_cell(0, 4.5, note, align="C", new_x="LMARGIN", new_y="NEXT")
    if sheet.allowance_warning:
        pdf.ln(2)
        pdf.set_text_color(160, 0, 0)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(
            0,
            4.5,
            _("Tarif uang harian tidak diketahui.") + " " + sheet.allowance_warning,
            border=1,
            padding=1.5,
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0)
    pdf.ln(3)
    columns = [
        Column(_("No."), 10, "R"),
        Column(_("Uraian"), 70),
        Column(_("Delegasi"), 32),
        Column(_("Volume"), 30),
        Column(_("Harga satuan"), 22, "R"),
        Column(_("Jumlah"), 22, "R"),
    ]
    table = Table(pdf, columns)
    table.heading()
    n = 0
    for category, lines, total in sheet.categories:
        table.subheading(str(BUDGET_CATEGORY[category]))
        for line in lines:
            n += 1
            table.row(
                [
                    str(n),
                    line.description,
                    line.delegation or "",
                    _volume(line),
                    format_rupiah(line.unit_price),
                    format_rupiah(line.amount),
                ]
            )
        table.total(
            _("Jumlah %(category)s", category=BUDGET_CATEGORY[category]),
            format_rupiah(total),
        )
    if not sheet.lines:
        table.row(["", _("Belum ada baris anggaran."), "", "", "", ""])
    table.end()
    table.total(_("TOTAL"), format_rupiah(sheet.total))
    pdf.ln(5)
    table = Table(pdf, [Column(_("Delegasi"), 120), Column(_("Jumlah"), 40, "R")])
    table.heading()
    for name, total in sheet.delegation_totals:
        table.row([name or _("Kegiatan (umum)"), format_rupiah(total)])
    table.end()
    return bytes(pdf.output())


def budget_xlsx(sheet: BudgetSheet) -> bytes:
    """Two sheets: the lines with live formulas, and totals per delegation (SUMIF)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Rincian")
    ws.append([_("RENCANA ANGGARAN BIAYA")])
    ws.append([neutralise(sheet.event_title)])
    # Row 3 stays empty unless the allowance rate is unknown: the rows below keep
    # their places either way.
    if sheet.allowance_warning:
        ws.append(
            [_("Tarif uang harian tidak diketahui.") + " " + sheet.allowance_warning]
        )
        ws["A3"].font = Font(bold=True, color="A00000")
    else:
        ws.append([])
    header = [
        _("Uraian"),
        _("Delegasi"),
        _("Volume 1"),
        _("Satuan 1"),
        _("Volume 2"),
        _("Satuan 2"),
        _("Harga satuan"),
        _("Jumlah"),
    ]
    ws.append(header)
    for cell in ws[4]:
        cell.font = _BOLD
    ws["A1"].font = _BOLD
    subtotal_cells = []
    for category, lines, _total in sheet.categories:
        ws.append([str(BUDGET_CATEGORY[category])])
        ws.cell(ws.max_row, 1).font = _BOLD
        first = ws.max_row + 1
        for line in lines:
            r = ws.max_row + 1
            ws.append(
                [
                    neutralise(line.description),
                    neutralise(line.delegation or ""),
                    line.quantity,
                    neutralise(line.unit),
                    line.quantity2,
                    neutralise(line.unit2),
                    line.unit_price,
                    f"=C{r}*E{r}*G{r}",
                ]
            )
        last = ws.max_row
        r = last + 1
        ws.append(
            [
                _("Jumlah %(category)s", category=BUDGET_CATEGORY[category]),
                None,
                None,
                None,
                None,
                None,
                None,
                f"=SUM(H{first}:H{last})",
            ]
        )
        for cell in ws[r]:
            cell.font = _BOLD
        subtotal_cells.append(f"H{r}")
    total = "=" + "+".join(subtotal_cells) if subtotal_cells else 0
    ws.append([_("TOTAL"), None, None, None, None, None, None, total])
    # max_row, not a count of appends: an empty appended row holds no cell.
    total_row = ws.max_row
    for cell in ws[total_row]:
        cell.font = _BOLD
    for row in ws.iter_rows(min_row=5, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = MONEY
    for letter, width in zip("ABCDEFGH", (50, 28, 10, 12, 10, 10, 16, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"

    per = wb.create_sheet(_("Per delegasi"))
    per.append([_("Delegasi"), _("Jumlah")])
    for cell in per[1]:
        cell.font = _BOLD
    rincian = ws.title
    for name, _amount in sheet.delegation_totals:
        r = per.max_row + 1
        if name is None:
            per.append(
                [
                    _("Kegiatan (umum)"),
                    f"='{rincian}'!H{total_row}-SUM(B2:B{r - 1})"
                    if r > 2
                    else f"='{rincian}'!H{total_row}",
                ]
            )
        else:
            per.append(
                [
                    neutralise(name),
                    f"=SUMIF('{rincian}'!B5:B{total_row},A{r},'{rincian}'!H5:H{total_row})",
                ]
            )
        per.cell(r, 2).number_format = MONEY
    per.column_dimensions["A"].width = 40
    per.column_dimensions["B"].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
