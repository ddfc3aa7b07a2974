"""The one commit point: where a request's, a command's or a job's work is kept or undone.

Services check rules, change objects and flush; they never commit. Whoever calls a
service on behalf of a person (a view, a terminal command, a background job) goes
through this module, so a refused operation always leaves the database as it was
and its message always lands where the person will read it:

    outcome = save(lambda: create_place(form.data), form=form)
    if outcome:
        flash(...)
        return redirect(...)

``save`` runs the action, commits when it returns and rolls back when it raises. A
refusal (:class:`~planner.services.PlannerError`) is caught and shown: on the form
field it names (or ``field``), above the form, or as a flashed message when there is
no form. A write the database turns down because two people acted at once (an
``IntegrityError``) is shown the same way when the caller names it (``conflict``).
Anything else rolls back and propagates (a 500 is a bug, not a refusal).

``transaction()`` is the same for code that is not a request (commands, jobs, the demo
loader); ``discard()`` throws away what a preview wrote. No other module in
``planner/`` calls ``db.session.commit()`` or ``rollback()`` (``tests/test_structure.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash
from sqlalchemy.exc import IntegrityError
from wtforms.fields import FieldList, FormField

from planner.extensions import db
from planner.services import PlannerError

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """What ``save`` did: the action's return value, or the refusal that undid it."""

    value: T | None = None
    error: PlannerError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.ok


def show_error(
    exc: PlannerError,
    form: Any = None,
    field: str | None = None,
    *,
    category: str = "danger",
) -> None:
    """Put a refusal where it will be read.

    On ``form``: the field the service named if the form has it, else ``field``, else
    above the form (``form.form_errors``); a list of sub-forms (``FieldList``,
    ``FormField``) keeps its errors per entry, so its message goes above the form too.
    Without a form: a flashed message.
    """
    message = str(exc)
    if form is None:
        flash(message, category)
        return
    fields = getattr(form, "_fields", {})
    name = exc.field if exc.field in fields else field
    target = fields.get(name) if name else None
    if target is not None and not isinstance(target, FieldList | FormField):
        target.errors = [*target.errors, message]
    else:
        form.form_errors.append(message)


def save(
    action: Callable[[], T],
    *,
    form: Any = None,
    field: str | None = None,
    category: str = "danger",
    on_error: Callable[[PlannerError], None] | None = None,
    conflict: PlannerError | None = None,
) -> Outcome[T]:
    """Run ``action`` and commit; on a refusal roll back and show why.

    ``on_error`` replaces the default placement of the message (for refusals that
    carry more than a message, such as a list of possible duplicates). ``conflict``
    is the refusal shown when the database rejects the write (``IntegrityError``:
    someone took the same seat at the same moment); without it that error propagates.
    """
    try:
        value = action()
        db.session.commit()
    except PlannerError as exc:
        db.session.rollback()
        error = exc
    except IntegrityError:
        db.session.rollback()
        if conflict is None:
            raise
        error = conflict
    except BaseException:
        db.session.rollback()
        raise
    else:
        return Outcome(value=value)
    if on_error is not None:
        on_error(error)
    else:
        show_error(error, form, field, category=category)
    return Outcome(error=error)


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll it back if it raised (and re-raise)."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def discard() -> None:
    """Undo everything not yet committed (a preview, a refused upload)."""
    db.session.rollback()
