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

A request that only read ends its transaction with COMMIT (:func:`end_read_only`):
the same for the data as the ROLLBACK the session's removal sends, but psycopg
forgets every prepared statement of a connection at each ROLLBACK, so PostgreSQL
parsed and planned each page's queries anew on every request (1.7 ms of server CPU
for a delegation roster's joined query, 0.2 ms once prepared).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import Flask, flash
from sqlalchemy import event
from sqlalchemy.engine import Engine
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
        _end_refused()
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


def _end_refused() -> None:
    """End a refused action's transaction: ROLLBACK, or COMMIT when it only read
    (a quota found full before anything was written). The same for the data and for
    the session (both expire every object), but a ROLLBACK makes psycopg forget the
    connection's prepared statements, so a refusal cost the next requests of that
    worker their prepared plans."""
    session = db.session()
    if session.in_transaction() and _only_read(session):
        session.commit()
    else:
        session.rollback()


def discard() -> None:
    """Undo everything not yet committed (a preview, a refused upload)."""
    db.session.rollback()


#: Set on a connection (``Connection.info``) once its transaction sent anything but a
#: SELECT (a flush, a bulk statement, a savepoint, a ``WITH``): that transaction is
#: never ended by :func:`end_read_only`, whatever the session says.
_WROTE = "planner_wrote"


def _note_write(conn, cursor, statement, parameters, context, executemany) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _forget_writes(conn) -> None:
    conn.info.pop(_WROTE, None)


def _only_read(session) -> bool:
    """Whether the session's transaction only read: nothing pending, and its
    connection sent nothing but SELECTs."""
    if session.new or session.dirty or session.deleted:
        return False
    return not session.connection().info.get(_WROTE)


def end_read_only(exception: BaseException | None = None) -> None:
    """Commit the app context's transaction (a request's, a command's) when it only
    read: nothing pending in the session, no statement but SELECTs sent, no error.
    Anything else is left to the session's removal, which rolls back as before."""
    session = db.session()
    if exception is not None or not session.in_transaction():
        return
    if not _only_read(session):
        return
    connection = session.connection()
    # The connection's COMMIT alone: the session's (a flush, its listeners, expiring
    # every object) has nothing to do here and made GET /health 5 % dearer. The
    # session's removal then finds no transaction left to roll back.
    connection.commit()


def init_app(app: Flask) -> None:
    """End read-only transactions with :func:`end_read_only` when the app context
    ends, just before Flask-SQLAlchemy removes the session (teardown functions run
    in reverse order of registration: call this after ``db.init_app``). Not at the
    end of a request: a request inside a longer app context (a test's) shares its
    session, which the request must leave as it was."""
    app.teardown_appcontext(end_read_only)
    for name, listener in (
        ("before_cursor_execute", _note_write),
        ("begin", _forget_writes),
    ):
        if not event.contains(Engine, name, listener):
            event.listen(Engine, name, listener)
