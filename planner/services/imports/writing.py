"""Writing a checked plan: people added or their blanks filled, then nominated; all
or nothing, flushed per batch, never committed."""

from __future__ import annotations

from collections.abc import Callable

from planner.extensions import db
from planner.models import Event, Person, User
from planner.services.delegations import nominate_delegate
from planner.services.imports.checking import check_import
from planner.services.imports.reading import Table
from planner.services.imports.records import (
    ImportInvalid,
    ImportPlan,
    ImportReport,
    RowPlan,
    _chunks,
)

#: Rows flushed to the database at once.
BATCH = 500


def import_delegates(
    event: Event,
    *,
    table: Table,
    mapping: list[str | None],
    by: User | None = None,
    dry_run: bool = False,
    reveal: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then add people and nominate them; all or nothing.

    Raises :class:`ImportInvalid` (nothing written) when any row is invalid. Flushes
    per :data:`BATCH` rows; the caller commits, or rolls back on any error.
    ``progress`` is called with row counts twice over: while checking, then writing.
    """
    plan = check_import(
        event, table=table, mapping=mapping, reveal=reveal, progress=progress
    )
    if not plan.ok:
        raise ImportInvalid(plan)
    return write_plan(event, plan, by=by, dry_run=dry_run, progress=progress)


def write_plan(
    event: Event,
    plan: ImportPlan,
    *,
    by: User | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add the people of a checked, valid plan and nominate them (flushes, never
    commits)."""
    report = ImportReport()
    if dry_run:
        if progress:
            progress(len(plan.rows))
        report.created_people = plan.count("new")
        report.matched_people = plan.count("matched")
        report.nominated = report.created_people + report.matched_people
        report.skipped = plan.count("skipped")
        return report
    todo = [row for row in plan.rows if row.action != "skipped"]
    report.skipped = len(plan.rows) - len(todo)
    # Those already in get their blanks filled too: a list sent again with a new
    # column (dietary notes gathered after registration) completes their records.
    with db.session.no_autoflush:
        for row in plan.rows:
            if row.action == "skipped":
                _fill_blanks(row.person, row)
    db.session.flush()
    for batch in _chunks(todo, BATCH):
        # People first, flushed together; then one nomination per row.
        with db.session.no_autoflush:
            for row in batch:
                if row.person is None:
                    row.person = _new_person(row)
                    db.session.add(row.person)
                    report.created_people += 1
                else:
                    _fill_blanks(row.person, row)
                    report.matched_people += 1
        db.session.flush()
        for row in batch:
            report.delegates.append(
                nominate_delegate(
                    event,
                    person=row.person,
                    delegation=row.delegation,
                    role=row.role,
                    by=by,
                    notes=None,
                )
            )
            report.nominated += 1
        db.session.flush()
        if progress:
            progress(len(batch))
    if progress and report.skipped:
        progress(report.skipped)
    return report


_PERSON_FIELDS = (
    "title_before",
    "title_after",
    "sex",
    "phone",
    "email",
    "position",
    "institution",
    "nik",
    "birth_on",
    "dietary_notes",
)


def _new_person(row: RowPlan) -> Person:
    values = {key: row.values.get(key) for key in _PERSON_FIELDS}
    return Person(full_name=row.values["full_name"], region=row.region, **values)


def _fill_blanks(person: Person, row: RowPlan) -> None:
    """Give a matched person the values the file knows and the record lacks."""
    for key in _PERSON_FIELDS:
        if getattr(person, key) in (None, "") and row.values.get(key) is not None:
            setattr(person, key, row.values[key])
    if person.region_id is None and row.region is not None:
        person.region = row.region
