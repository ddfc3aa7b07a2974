"""A list pasted on the delegation page (cells separated by tabs or ";"), checked
and written like a file in one step."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Delegation, Event, User
from planner.permissions import sees_all_people
from planner.services.delegations import confirm_delegate
from planner.services.imports.checking import check_import
from planner.services.imports.mapping import FIELDS, HEADING_FIELDS, normalise_heading
from planner.services.imports.reading import ImportFileError, Table
from planner.services.imports.records import ImportInvalid, ImportReport, RowError
from planner.services.imports.writing import write_plan

#: The columns of a pasted list, in this order; all but the name may stay empty.
PASTE_COLUMNS = ("full_name", "sex", "birth_on", "nik", "phone")
#: Most lines pasted at once (a longer list is a file for the import page).
MAX_PASTE_LINES = 200
#: What a person needs on a ferry or air manifest.
IDENTITY_FIELDS = ("sex", "birth_on", "nik")


def pasted_table(text: str, delegation: Delegation) -> tuple[Table, list[int]]:
    """Lines pasted from a spreadsheet (cells separated by tabs) or typed with ";"
    between the cells, as a :class:`Table` for ``delegation``; and the numbers of
    the lines with more cells than :data:`PASTE_COLUMNS`. A heading line is skipped."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise ImportFileError(_("Tempel minimal satu baris."))
    if len(lines) > MAX_PASTE_LINES:
        raise ImportFileError(
            _(
                "Paling banyak %(n)s baris sekaligus; untuk daftar yang lebih panjang "
                "pakai halaman Impor.",
                n=MAX_PASTE_LINES,
            )
        )
    width = len(PASTE_COLUMNS)
    rows, too_wide = [], []
    for index, (number, line) in enumerate(lines):
        separator = "\t" if "\t" in line else (";" if ";" in line else None)
        cells = [" ".join(c.split()) for c in line.split(separator)]
        if not separator:
            cells = [" ".join(line.split())]
        recognised = sum(1 for c in cells if normalise_heading(c) in HEADING_FIELDS)
        if index == 0 and recognised >= 2:
            continue
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) > width:
            too_wide.append(number)
        rows.append((number, (cells + [""] * width)[:width] + [delegation.name]))
    if not rows:
        raise ImportFileError(_("Tempel minimal satu baris."))
    headings = [str(FIELDS[key]) for key in (*PASTE_COLUMNS, "delegation")]
    return Table(headings=headings, rows=rows, heading_row=0), too_wide


def paste_people(
    event: Event,
    delegation: Delegation,
    *,
    text: str,
    by: User | None = None,
    identity_required: bool = False,
    confirm: bool = False,
) -> ImportReport:
    """Add and nominate everyone on a pasted list in one step, all or nothing: people
    already on record (same NIK, phone, or name in the region) are reused, those
    already in the delegation skipped; ``confirm`` confirms those nominated (quota
    places taken). Raises :class:`ImportInvalid` with every
    line's problems (nothing written), or :class:`ImportFileError`."""
    table, too_wide = pasted_table(text, delegation)
    plan = check_import(
        event,
        table=table,
        mapping=[*PASTE_COLUMNS, "delegation"],
        reveal=sees_all_people(by),
    )
    line = str(_("Baris"))
    for row in plan.rows:
        if row.number in too_wide:
            row.errors.append(
                RowError(
                    row.number,
                    line,
                    _("Terlalu banyak kolom: nama; L/P; tanggal lahir; NIK; nomor HP."),
                )
            )
        if not identity_required or row.action == "skipped":
            continue
        for key in IDENTITY_FIELDS:
            known = row.person is not None and getattr(row.person, key)
            if not row.values.get(key) and not known:
                row.errors.append(
                    RowError(
                        row.number,
                        str(FIELDS[key]),
                        _("Wajib diisi: acara ini punya ruas kapal atau pesawat."),
                    )
                )
    if not plan.ok:
        raise ImportInvalid(plan)
    report = write_plan(event, plan, by=by)
    if confirm:
        # Rows beyond the quota were refused above; the database still guards it.
        for delegate in report.delegates:
            confirm_delegate(delegate, by=by)
            report.confirmed += 1
        db.session.flush()
    return report
