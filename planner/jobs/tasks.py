"""The kinds of job: each takes a :class:`~planner.jobs.runner.RunningJob`.

A task loads what it needs by id (the view checked the permission when it started the
job), reports progress, writes through :func:`planner.commit.transaction` (all or
nothing) and leaves what the page shows in ``job.record.result`` or an attached file.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _

from planner.commit import discard, transaction
from planner.extensions import db
from planner.jobs.exports import export
from planner.models import Event, User
from planner.services import PlannerError

#: Rows of an import preview kept for the page (all errors are counted anyway).
PREVIEW_ROWS = 1000
#: Error lines kept for the page.
PREVIEW_ERRORS = 200


def _event(job) -> Event:
    event = db.session.get(Event, int(job.params["event_id"]))
    if event is None:
        raise PlannerError(_("Acara ini sudah tidak ada."))
    return event


def _user(job) -> User | None:
    user_id = job.record.user_id
    return db.session.get(User, user_id) if user_id is not None else None


def with_progress(job, function: Callable, /, *args, **kwargs):
    """Call ``function`` with ``progress=job.progress`` when it takes one.

    The plan services are gaining a ``progress(done, total)`` parameter; until they
    have it they are called without.
    """
    try:
        accepts = "progress" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        accepts = False
    if accepts:
        kwargs["progress"] = job.progress
    return function(*args, **kwargs)


# Delegate imports ----------------------------------------------------------------


def import_preview(job) -> None:
    """Read the upload, guess or take the columns, check every row; writes nothing."""
    from planner.services.imports import (
        FIELDS,
        check_import,
        guess_mapping,
        mapping_complete,
        read_table,
    )

    event = _event(job)
    table = read_table(job.input(), f"x.{job.params['ext']}")
    saved = job.params.get("mapping")
    chosen = isinstance(saved, list) and len(saved) == len(table.headings)
    if chosen:
        mapping = [key if key in FIELDS else None for key in saved]
    else:
        mapping = guess_mapping(table.headings)
    result = {
        "headings": table.headings,
        "samples": [[number, values] for number, values in table.rows[:3]],
        "mapping": mapping,
        "needs_columns": not chosen and not mapping_complete(table.headings, mapping),
    }
    job.record.result = result
    if result["needs_columns"]:
        return
    job.set_total(len(table.rows))
    try:
        plan = check_import(
            event,
            table=table,
            mapping=mapping,
            reveal=bool(job.params.get("reveal")),
            progress=job.advance,
        )
        errors = plan.errors
        result.update(
            total_rows=len(plan.rows),
            new=plan.count("new"),
            matched=plan.count("matched"),
            skipped=plan.count("skipped"),
            error_count=len(errors),
            errors=[str(error) for error in errors[:PREVIEW_ERRORS]],
            rows=[_preview_row(row) for row in plan.rows[:PREVIEW_ROWS]],
            has_dietary="dietary_notes" in mapping,
        )
    finally:
        discard()


def _preview_row(row) -> dict:
    values = row.values
    person = row.person if row.action == "matched" else None
    return {
        "number": row.number,
        "full_name": values.get("full_name") or "",
        "title_before": values.get("title_before") or "",
        "title_after": values.get("title_after") or "",
        "delegation": row.delegation.name if row.delegation else None,
        "role": str(row.role),
        "errors": [[error.column, error.message] for error in row.errors],
        "action": row.action,
        "person": person.full_name if person else None,
        "person_region": person.region.name if person and person.region else None,
        "dietary_notes": values.get("dietary_notes"),
        "dietary_kept": _dietary_kept(row),
    }


def _dietary_kept(row) -> str | None:
    """The note on record that stays although the row gives another (blanks only are
    filled), so the preview says so instead of dropping the file's note silently."""
    stored = row.person.dietary_notes if row.person is not None else None
    given = row.values.get("dietary_notes")
    if stored and given and stored.casefold() != given.casefold():
        return stored
    return None


def import_commit(job) -> None:
    """Import every row in one transaction, or nothing when any row is invalid."""
    from planner.services.imports import ImportInvalid, import_delegates, read_table

    event = _event(job)
    table = read_table(job.input(), f"x.{job.params['ext']}")
    job.set_total(2 * len(table.rows))
    try:
        with transaction():
            report = import_delegates(
                event,
                table=table,
                mapping=job.params["mapping"],
                by=_user(job),
                reveal=bool(job.params.get("reveal")),
                progress=job.advance,
            )
    except ImportInvalid:
        raise PlannerError(
            _("Ada baris yang tidak valid; tidak ada yang diimpor.")
        ) from None
    job.record.result = {
        "nominated": report.nominated,
        "created": report.created_people,
        "skipped": report.skipped,
        "event_id": event.id,
    }


# Plans ---------------------------------------------------------------------------


def plan_export(job) -> None:
    """Build the event's plan file (with or without personal data)."""
    from planner.services.plans import dump_plan, export_plan

    event = _event(job)
    try:
        doc = with_progress(
            job, export_plan, event, personal_data=bool(job.params.get("personal_data"))
        )
        content = dump_plan(doc)
    finally:
        discard()
    job.attach(content, f"{event.slug}.rombongan.json", "application/json")
    job.record.result = {"size": len(content), "event_id": event.id}


def plan_import(job) -> None:
    """Check the plan file whole, then create the event in one transaction."""
    from planner.services.plans import import_plan, load_plan

    raw = job.input()
    job.set_total(0)
    with transaction():
        result = with_progress(
            job,
            import_plan,
            load_plan(raw),
            slug=job.params.get("slug") or None,
            title=job.params.get("title") or None,
            by_user=_user(job),
        )
        event = result.event
        db.session.flush()
        job.record.result = {
            "event_id": event.id,
            "title": event.title,
            "created": result.created_people,
            "matched": result.matched_people,
            "places": result.created_places,
            "notices": [str(notice) for notice in result.notices],
        }


TASKS: dict[str, Callable] = {
    "import_preview": import_preview,
    "import_commit": import_commit,
    "plan_export": plan_export,
    "plan_import": plan_import,
    "export": export,
}


def task_for(kind: str) -> Callable:
    """The task of this kind; ``module:function`` kinds only under ``TESTING``."""
    if kind in TASKS:
        return TASKS[kind]
    if ":" in kind and current_app.config.get("TESTING"):
        module, _sep, name = kind.partition(":")
        return getattr(importlib.import_module(module), name)
    raise LookupError(f"unknown job kind {kind!r}")
