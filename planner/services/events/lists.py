"""The events a user may see, and an event's length in days."""

from __future__ import annotations

from sqlalchemy import Select, false, or_
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Event, EventKind, EventStatus, Region, event_organisers
from planner.services.events.editing import today


def visible_events(
    user,
    *,
    when: str = "upcoming",
    kind: str | None = None,
    province: int | None = None,
    status: str | None = None,
    mine: bool = False,
) -> Select:
    """Events the user may see, filtered, with what a list row shows eager-loaded;
    ``mine``: only those the user organises."""
    query = db.select(Event).options(
        joinedload(Event.venue),
        joinedload(Event.host_region).joinedload(Region.parent),
    )
    if user is None or not user.is_authenticated:
        return query.where(false())
    if not user.is_admin:
        organised = db.select(event_organisers.c.event_id).where(
            event_organisers.c.user_id == user.id
        )
        query = query.where(
            or_(Event.status != EventStatus.DRAFT, Event.id.in_(organised))
        )
    if mine:
        query = query.where(
            Event.id.in_(
                db.select(event_organisers.c.event_id).where(
                    event_organisers.c.user_id == user.id
                )
            )
        )
    if kind:
        query = query.where(Event.kind == EventKind(kind))
    if status:
        query = query.where(Event.status == EventStatus(status))
    if province is not None:
        in_province = db.select(Region.id).where(
            or_(Region.id == province, Region.parent_id == province)
        )
        query = query.where(Event.host_region_id.in_(in_province))
    if when == "past":
        query = query.where(Event.ends_on < today()).order_by(
            Event.starts_on.desc(), Event.id.desc()
        )
    else:
        query = query.where(Event.ends_on >= today()).order_by(
            Event.starts_on, Event.id
        )
    return query


def event_days(event: Event) -> int:
    """How many calendar days the event spans."""
    return (event.ends_on - event.starts_on).days + 1
