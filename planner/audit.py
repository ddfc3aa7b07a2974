"""Write the audit trail from the session: every flush that creates, changes or deletes
a delegation, delegate, vehicle, trip, leg, seat or agenda item leaves entries.

Listening to the session (instead of calling a function from each service) means a new
service cannot forget it. Bulk statements bypass the ORM and are recorded by their
services: the delegate services insert each status step as a ``DelegateChange`` row
and call :func:`record_delegate_step` (a ``DelegateChange`` flushed as an object, as
an offline check-in makes, is recorded here), the automatic seat assignment calls
:func:`record`.
"""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from planner.models import (
    AgendaItem,
    AgendaSpeaker,
    Budget,
    BudgetLine,
    Certificate,
    Delegate,
    DelegateChange,
    Delegation,
    InvitationLetter,
    Leg,
    Person,
    SeatAssignment,
    Trip,
    Vehicle,
)
from planner.models.audit import AuditEntry
from planner.models.types import utcnow

#: Audited classes and the name their entries carry.
ENTITIES: dict[type, str] = {
    Delegation: "delegation",
    Delegate: "delegate",
    Vehicle: "vehicle",
    Trip: "trip",
    Leg: "leg",
    SeatAssignment: "seat",
    AgendaItem: "agenda_item",
    AgendaSpeaker: "agenda_speaker",
    Budget: "budget",
    BudgetLine: "budget_line",
    Certificate: "certificate",
    InvitationLetter: "invitation_letter",
}

#: Never written into the trail: secrets, bookkeeping, values derived from others.
IGNORED = frozenset(
    {
        "id",
        "feed_token",
        "code",
        "created_at",
        "updated_at",
        "sequence",
        "confirmed_count",
    }
)

#: Collections whose membership is part of the row (ids before and after).
COLLECTIONS = {
    Leg: ("vehicles", "delegations"),
    AgendaItem: ("delegations",),
}


def _plain(value: Any) -> Any:
    """A JSON-friendly copy of a column value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _actor() -> tuple[int | None, str | None]:
    """The signed-in user, without loading one that was not loaded yet."""
    if not has_request_context():
        return None, None
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None, None
    return user.id, user.email


def _from_map(session: Session, cls, ident):
    if ident is None:
        return None
    return session.identity_map.get(session.identity_key(cls, ident))


def _event_id(session: Session, obj) -> int | None:
    if isinstance(obj, SeatAssignment):
        trip = _from_map(session, Trip, obj.trip_id) or obj.__dict__.get("trip")
        return trip.event_id if trip is not None else None
    if isinstance(obj, AgendaSpeaker):
        item = _from_map(session, AgendaItem, obj.item_id) or obj.__dict__.get("item")
        return item.event_id if item is not None else None
    return obj.__dict__.get("event_id")


def _person_name(session: Session, person_id) -> str | None:
    person = _from_map(session, Person, person_id)
    return person.formal_name if person is not None else None


def _summary(session: Session, obj) -> str | None:
    values = obj.__dict__
    if isinstance(obj, Delegation | Trip):
        return values.get("name")
    if isinstance(obj, Vehicle):
        return values.get("label")
    if isinstance(obj, AgendaItem):
        return values.get("title")
    if isinstance(obj, BudgetLine):
        return values.get("description")
    if isinstance(obj, Certificate | InvitationLetter):
        return values.get("number")
    if isinstance(obj, Delegate | SeatAssignment):
        delegate = obj if isinstance(obj, Delegate) else values.get("delegate")
        if delegate is None:
            delegate = _from_map(session, Delegate, values.get("delegate_id"))
        if delegate is not None:
            person = delegate.__dict__.get("person")
            return (
                person.formal_name
                if person is not None
                else _person_name(session, delegate.__dict__.get("person_id"))
            )
        return None
    if isinstance(obj, AgendaSpeaker):
        return values.get("name") or _person_name(session, values.get("person_id"))
    if isinstance(obj, Leg):
        places = [values.get("from_place"), values.get("to_place")]
        if all(places):
            return f"{places[0].name} → {places[1].name}"
    return None


def _columns(obj) -> list[str]:
    return [
        attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in IGNORED
    ]


def _ids(objects) -> list[int]:
    return sorted(o.id for o in objects if o is not None and o.id is not None)


def _changes(obj, action: str) -> dict[str, list]:
    state = inspect(obj)
    changes: dict[str, list] = {}
    for key in _columns(obj):
        if action == "update":
            history = state.attrs[key].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
            changes[key] = [_plain(before), _plain(after)]
        else:
            value = _plain(state.dict.get(key))
            if value is None:
                continue
            changes[key] = [value, None] if action == "delete" else [None, value]
    for key in COLLECTIONS.get(type(obj), ()):
        history = state.attrs[key].history
        if action == "update" and not (history.added or history.deleted):
            continue
        before = _ids([*history.unchanged, *history.deleted])
        after = _ids([*history.unchanged, *history.added])
        if action == "create":
            before = None
        elif action == "delete":
            before, after = after, None
        if before != after and (before or after):
            changes[key] = [before, after]
    return changes


def _entries(session: Session) -> list[dict]:
    user_id, user_label = _actor()
    now = utcnow()
    rows: list[dict] = []

    def add(obj, entity, action, changes, entity_id=None, event_id=None, summary=None):
        delegate_id = None
        if isinstance(obj, Delegate):
            delegate_id = obj.id
        elif isinstance(obj, SeatAssignment | DelegateChange):
            delegate_id = obj.delegate_id
        rows.append(
            {
                "_delegate_id": delegate_id,
                "at": now,
                "event_id": event_id
                if event_id is not None
                else _event_id(session, obj),
                "user_id": user_id,
                "user_label": user_label,
                "entity": entity,
                "entity_id": entity_id if entity_id is not None else obj.id,
                "action": action,
                "summary": (summary or _summary(session, obj) or "")[:300] or None,
                "changes": changes,
            }
        )

    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if isinstance(obj, DelegateChange) and action == "create":
                delegate = _from_map(session, Delegate, obj.delegate_id)
                add(
                    obj,
                    "delegate",
                    obj.action,
                    {"status": [obj.from_status, obj.to_status]}
                    if obj.from_status != obj.to_status
                    else {},
                    entity_id=obj.delegate_id,
                    event_id=delegate.event_id if delegate is not None else None,
                    summary=_summary(session, delegate) if delegate else None,
                )
                continue
            entity = ENTITIES.get(type(obj))
            if entity is None:
                continue
            if action == "update" and not session.is_modified(
                obj, include_collections=True
            ):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            add(obj, entity, action, changes)
    _fill_delegate_names(session, rows)
    return rows


def _fill_delegate_names(session: Session, rows: list[dict]) -> None:
    """Name delegates (and seats) whose person was not loaded, with one query."""
    missing = {
        row["_delegate_id"]: row
        for row in rows
        if not row["summary"] and row.get("_delegate_id") is not None
    }
    if missing:
        result = session.connection().execute(
            select(Delegate.id, Person.formal_name)
            .join(Person, Person.id == Delegate.person_id)
            .where(Delegate.id.in_(missing))
        )
        names = {delegate_id: name for delegate_id, name in result}
        for row in rows:
            if not row["summary"] and row.get("_delegate_id") in names:
                row["summary"] = names[row["_delegate_id"]][:300]
    for row in rows:
        row.pop("_delegate_id", None)


def record(
    session: Session,
    *,
    event_id: int,
    entity: str,
    action: str,
    summary: str | None = None,
    entity_id: int | None = None,
    changes: dict | None = None,
) -> None:
    """Write an entry for work done by bulk statements (in the session's transaction)."""
    user_id, user_label = _actor()
    session.execute(
        insert(AuditEntry.__table__),
        {
            "at": utcnow(),
            "event_id": event_id,
            "user_id": user_id,
            "user_label": user_label,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "summary": summary,
            "changes": changes or {},
        },
    )


def record_delegate_step(
    session: Session,
    delegate: Delegate,
    action: str,
    from_status: str | None,
    to_status: str | None,
) -> None:
    """The entry of a delegate's status step whose ``DelegateChange`` its service
    inserted as a row, not an object: the same entry the listener writes for one."""
    summary = _summary(session, delegate)
    if summary is None:
        summary = session.connection().scalar(
            select(Person.formal_name)
            .join(Delegate, Delegate.person_id == Person.id)
            .where(Delegate.id == delegate.id)
        )
    record(
        session,
        event_id=delegate.event_id,
        entity="delegate",
        entity_id=delegate.id,
        action=action,
        summary=(summary or "")[:300] or None,
        changes={"status": [from_status, to_status]}
        if from_status != to_status
        else {},
    )


def _after_flush(session: Session, flush_context) -> None:
    rows = _entries(session)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def register(session_class) -> None:
    """Listen on the application's session class (idempotent)."""
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
