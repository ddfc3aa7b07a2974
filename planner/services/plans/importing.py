"""Importing a plan: the schema, then the checks, then the writing.

Each step takes what the one before returned: the schema check a document, the checks
a document that satisfies the schema (and return a
:class:`~planner.services.plans.common.CheckedPlan`), the writer that checked plan.
Nothing is written unless every check passed; the caller commits
(:mod:`planner.commit`), or rolls back on a refusal.
"""

from __future__ import annotations

from planner.models import User
from planner.services.plans.checks import check_plan
from planner.services.plans.common import (
    _SECTIONS,
    ImportResult,
    PlanInvalid,
    Problem,
    Progress,
    ProgressCallback,
    _capped,
    _cycles_collected_after,
)
from planner.services.plans.schema import schema_problems
from planner.services.plans.writing import write_plan


def import_plan(
    doc,
    *,
    slug: str | None = None,
    title: str | None = None,
    by_user: User | None = None,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Check the whole document, then create the event and everything in it.

    Raises :class:`PlanInvalid` (nothing written) listing every problem. Places and
    people already in the database are matched (see docs/plan-format.md), the rest
    created; ``by_user`` becomes an organiser of the new event too. Rows go in with
    bulk INSERTs of :data:`BATCH` rows; flushes, never commits.

    ``progress(done, total)`` is called after each section is checked and after
    each is written: ``total`` is twice the number of entries in the file's
    sections (each is checked once and written once), plus one for the schema.
    """
    with _cycles_collected_after():
        problems = schema_problems(doc)
        if problems:
            raise PlanInvalid(_capped(problems), total=len(problems))
        entries = sum(len(doc.get(name) or ()) for name in _SECTIONS)
        counter = Progress(progress, 2 * entries + 1)
        counter.advance()
        checked = check_plan(doc, slug=slug, title=title, progress=counter)
        result = write_plan(checked, by_user=by_user, progress=counter)
        counter.finish()
        return result


def validate_plan(
    doc, *, slug: str | None = None, title: str | None = None
) -> list[Problem]:
    """Every problem of a plan document (at most :data:`MAX_PROBLEMS` and a count of
    the rest): its format and version, the schema, then every reference."""
    problems = schema_problems(doc)
    if problems:
        return _capped(problems)
    try:
        check_plan(doc, slug=slug, title=title)
    except PlanInvalid as exc:
        return exc.problems
    return []
