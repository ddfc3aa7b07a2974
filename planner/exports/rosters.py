"""Rosters as CSV, XLSX and PDF, from a :class:`planner.services.rosters.Roster`."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.exports.csv_safe import csv_bytes
from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.exports.xlsx import Sheet, workbook_bytes
from planner.services.rosters import DelegationGroup, Roster, RosterRow


def _header(roster: Roster) -> list[str]:
    names = [
        _("No."),
        _("Nama"),
        _("L/P"),
        _("Peran"),
        _("Status"),
        _("Jabatan"),
        _("Instansi"),
    ]
    if roster.contacts:
        names += [_("Telepon"), _("NIK")]
    return names


def _cells(n: int, row: RosterRow, contacts: bool) -> list:
    cells = [
        n,
        row.name,
        row.sex,
        row.role,
        row.status_label,
        row.position,
        row.institution,
    ]
    if contacts:
        cells += [row.phone or "", row.nik or ""]
    return cells


def roster_csv(roster: Roster) -> bytes:
    """One flat table: province and delegation columns, then the roster columns."""
    header = [_("Provinsi"), _("Kode wilayah"), _("Delegasi"), *_header(roster)]
    rows = []
    for province in roster.provinces:
        for group in province.delegations:
            for n, row in enumerate(group.rows, start=1):
                rows.append(
                    [
                        province.name,
                        group.code or "",
                        group.name,
                        *_cells(n, row, roster.contacts),
                    ]
                )
    return csv_bytes(header, rows)


def _totals_sheet(roster: Roster) -> Sheet:
    sheet = Sheet(
        _("Rekap"),
        [_("Provinsi"), _("Kode wilayah"), _("Delegasi"), _("Kuota"), _("Jumlah")],
    )
    for province in roster.provinces:
        for group in province.delegations:
            sheet.rows.append(
                [province.name, group.code or "", group.name, group.quota, group.total]
            )
        if roster.whole_event:
            sheet.bold_rows.add(len(sheet.rows))
            sheet.rows.append(
                [_("Jumlah %(name)s", name=province.name), "", "", None, province.total]
            )
    sheet.bold_rows.add(len(sheet.rows))
    sheet.rows.append([_("Jumlah seluruhnya"), "", "", None, roster.total])
    return sheet


def _group_sheet(title: str, groups: list[DelegationGroup], roster: Roster) -> Sheet:
    sheet = Sheet(title, [_("Delegasi"), *_header(roster)])
    for group in groups:
        for n, row in enumerate(group.rows, start=1):
            sheet.rows.append([group.name, *_cells(n, row, roster.contacts)])
    return sheet


def roster_xlsx(roster: Roster) -> bytes:
    """A totals sheet, then one sheet per province (whole event) or per delegation."""
    sheets = [_totals_sheet(roster)]
    if roster.whole_event:
        for province in roster.provinces:
            sheets.append(_group_sheet(province.name, province.delegations, roster))
    else:
        for group in roster.delegations:
            sheets.append(_group_sheet(group.name, [group], roster))
    return workbook_bytes(sheets)


def _columns(roster: Roster, width: float) -> list[Column]:
    columns = [
        Column(_("No."), 9, "R"),
        Column(_("Nama"), 50),
        Column(_("L/P"), 9, "C"),
        Column(_("Peran"), 24),
        Column(_("Status"), 22),
        Column(_("Jabatan"), 47),
        Column(_("Instansi"), 47),
    ]
    if roster.contacts:
        columns += [Column(_("Telepon"), 28), Column(_("NIK"), 33)]
    spare = width - sum(c.width for c in columns)
    if spare > 0:  # without contacts: wider position and institution
        for i in (5, 6):
            c = columns[i]
            columns[i] = Column(c.heading, c.width + spare / 2, c.align)
    return columns


def roster_title(roster: Roster) -> str:
    """ "Daftar peserta: semua delegasi" or "Daftar peserta: Kabupaten Bangka"."""
    if roster.whole_event:
        return _("Daftar peserta: semua delegasi")
    names = ", ".join(g.name for g in roster.delegations)
    return _("Daftar peserta: %(name)s", name=names)


def roster_pdf(roster: Roster) -> bytes:
    """A4 landscape: event header on every page, headings repeated, totals, page N of M."""
    pdf = Document("L", title=f"{roster.event_title} · {roster_title(roster)}")
    width = pdf.w - 2 * MARGIN
    title = roster_title(roster)
    where = " · ".join(x for x in (roster.dates, roster.venue) if x)

    def header(doc: Document) -> None:
        doc.set_font(FONT, "B", 12)
        doc.multi_cell(width, 5.5, roster.event_title, new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FONT, "", 9)
        doc.multi_cell(width, 4.6, where, new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FONT, "B", 10)
        doc.cell(width, 6, title, new_x="LMARGIN", new_y="NEXT")
        doc.ln(1)

    pdf.draw_header = header
    table = Table(pdf, _columns(roster, width))
    table.new_page()
    for province in roster.provinces:
        if roster.whole_event:
            table.continued = None
            table.subheading(province.name.upper(), size=9.5)
        for group in province.delegations:
            label = group.name + (f" ({group.code})" if group.code else "")
            table.continued = None
            count = _("%(n)s orang", n=group.total)
            if group.quota is not None:
                count += " · " + _("kuota %(n)s", n=group.quota)
            table.subheading(f"{label} — {count}")
            table.continued = label
            for n, row in enumerate(group.rows, start=1):
                table.row([str(x) for x in _cells(n, row, roster.contacts)])
            table.continued = None
            if not group.rows:
                table.row(
                    ["", _("Belum ada peserta."), *[""] * (len(table.columns) - 2)]
                )
        if roster.whole_event:
            table.total(
                _("Jumlah %(name)s", name=province.name),
                _("%(n)s orang", n=province.total),
            )
    table.total(_("Jumlah seluruhnya"), _("%(n)s orang", n=roster.total))
    table.end()
    return bytes(pdf.output())
