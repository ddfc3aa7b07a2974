"""Loading an event's run-down: its items (with speakers, places and audience) and
the legs and seats the conflict checks compare them with."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    Event,
    Leg,
    Place,
    SeatAssignment,
)


def agenda_query(event: Event, *, committee: bool = True):
    """The event's items in time order, with what the run-down shows eager-loaded;
    without ``committee`` the committee-only items are left out."""
    query = (
        db.select(AgendaItem)
        .where(AgendaItem.event_id == event.id)
        .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
        .options(
            selectinload(AgendaItem.speakers).joinedload(AgendaSpeaker.person),
            joinedload(AgendaItem.place),
            selectinload(AgendaItem.delegations),
        )
    )
    if not committee:
        query = query.where(AgendaItem.audience != AgendaAudience.COMMITTEE)
    return query


def load_agenda(event: Event, *, committee: bool = True) -> list[AgendaItem]:
    """The event's items (speakers and their people, place, delegations loaded) in a
    constant number of queries."""
    return list(db.session.scalars(agenda_query(event, committee=committee)).all())


def load_legs(event: Event) -> list[Leg]:
    """The event's legs in time order, with places (and regions), vehicles and
    delegations loaded."""
    return list(
        db.session.scalars(
            db.select(Leg)
            .where(Leg.event_id == event.id)
            .order_by(Leg.departs_at, Leg.id)
            .options(
                joinedload(Leg.from_place).joinedload(Place.region),
                joinedload(Leg.to_place).joinedload(Place.region),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        ).all()
    )


def carried_delegations(event: Event) -> dict[tuple[int, int], set[int]]:
    """Delegations with a delegate seated, per (trip id, vehicle id), in one query."""
    rows = db.session.execute(
        db.select(
            SeatAssignment.trip_id, SeatAssignment.vehicle_id, Delegate.delegation_id
        )
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(Delegate.event_id == event.id, Delegate.delegation_id.is_not(None))
        .distinct()
    ).all()
    carried: dict[tuple[int, int], set[int]] = defaultdict(set)
    for trip_id, vehicle_id, delegation_id in rows:
        carried[(trip_id, vehicle_id)].add(delegation_id)
    return dict(carried)
