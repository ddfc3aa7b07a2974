"""The rows a plan export reads: every table of the event in one query each, as named
tuples."""

from __future__ import annotations

from collections import defaultdict, namedtuple

import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    DelegateChange,
    Delegation,
    Event,
    Leg,
    Person,
    Place,
    Region,
    SeatAssignment,
    Trip,
    User,
    UTCDateTime,
    Vehicle,
    agenda_item_delegations,
    event_organisers,
    leg_delegations,
    leg_vehicles,
)
from planner.services.plans import lodging
from planner.services.plans.common import Progress

#: Queries an export sends (each a step of its progress), and one step to build.
QUERIES = 17
#: Columns no plan holds: bookkeeping and secrets (a delegate's ``created_at`` is kept).
_UNUSED = frozenset({"created_at", "updated_at", "feed_token"})


def _stored(column: sa.Column) -> sa.ColumnElement:
    """A column read as the driver gives it: a time without its ``UTCDateTime``
    conversion, 60,000 calls at 10,000 delegates (``common._times`` writes it)."""
    if isinstance(column.type, UTCDateTime):
        return sa.type_coerce(column, column.type.impl).label(column.name)
    return column


class ExportRows:
    """Every row an export needs, each table in one query, as named tuples."""

    def __init__(self, event: Event, progress: Progress) -> None:
        eid = event.id
        delegate_ids = sa.select(Delegate.id).where(Delegate.event_id == eid)
        trip_ids = sa.select(Trip.id).where(Trip.event_id == eid)
        leg_ids = sa.select(Leg.id).where(Leg.event_id == eid)
        item_ids = sa.select(AgendaItem.id).where(AgendaItem.event_id == eid)

        # Plain Core rows through the session's connection: the ORM's result layer
        # would only add work per row. Each row is then a named tuple: a Row finds
        # an attribute through a Python ``__getattr__``, some 20 times slower, and an
        # export reads half a million of them.
        db.session.flush()
        connection = db.session.connection()

        def rows(stmt) -> list:
            result = connection.execute(stmt)
            record = namedtuple("Record", result.keys())
            found = list(map(record._make, result))
            progress.advance()
            return found

        def table(model, *where, keep: tuple[str, ...] = ()) -> list:
            columns = [
                _stored(c)
                for c in model.__table__.c
                if c.name not in _UNUSED or c.name in keep
            ]
            return rows(sa.select(*columns).where(*where))

        self.regions = {
            r.id: r for r in rows(sa.select(Region.id, Region.code, Region.timezone))
        }
        self.organisers = [
            email
            for (email,) in rows(
                sa.select(User.email)
                .join(event_organisers, event_organisers.c.user_id == User.id)
                .where(event_organisers.c.event_id == eid)
                .order_by(User.email)
            )
        ]
        self.delegations = table(Delegation, Delegation.event_id == eid)
        self.delegates = table(Delegate, Delegate.event_id == eid, keep=("created_at",))
        self.changes: dict[int, list] = defaultdict(list)
        for change in rows(
            sa.select(*map(_stored, DelegateChange.__table__.c))
            .where(DelegateChange.delegate_id.in_(delegate_ids))
            .order_by(DelegateChange.at, DelegateChange.id)
        ):
            self.changes[change.delegate_id].append(change)
        user_ids = sa.union(
            sa.select(Delegation.head_user_id).where(Delegation.event_id == eid),
            sa.select(DelegateChange.by_user_id).where(
                DelegateChange.delegate_id.in_(delegate_ids)
            ),
        )
        self.emails = dict(
            rows(sa.select(User.id, User.email).where(User.id.in_(user_ids)))
        )
        self.vehicles = table(Vehicle, Vehicle.event_id == eid)
        self.trips = table(Trip, Trip.event_id == eid)
        self.legs = table(Leg, Leg.event_id == eid)
        self.leg_vehicles: dict[int, list[int]] = defaultdict(list)
        for leg_id, vehicle_id in rows(
            sa.select(leg_vehicles.c.leg_id, leg_vehicles.c.vehicle_id).where(
                leg_vehicles.c.leg_id.in_(leg_ids)
            )
        ):
            self.leg_vehicles[leg_id].append(vehicle_id)
        self.leg_delegations: dict[int, list[int]] = defaultdict(list)
        for leg_id, delegation_id in rows(
            sa.select(leg_delegations.c.leg_id, leg_delegations.c.delegation_id).where(
                leg_delegations.c.leg_id.in_(leg_ids)
            )
        ):
            self.leg_delegations[leg_id].append(delegation_id)
        self.seats = table(SeatAssignment, SeatAssignment.trip_id.in_(trip_ids))
        self.items = table(AgendaItem, AgendaItem.event_id == eid)
        self.speakers: dict[int, list] = defaultdict(list)
        for speaker in rows(
            sa.select(AgendaSpeaker.__table__)
            .where(AgendaSpeaker.item_id.in_(item_ids))
            .order_by(AgendaSpeaker.position, AgendaSpeaker.id)
        ):
            self.speakers[speaker.item_id].append(speaker)
        self.item_delegations: dict[int, list[int]] = defaultdict(list)
        for item_id, delegation_id in rows(
            sa.select(
                agenda_item_delegations.c.item_id,
                agenda_item_delegations.c.delegation_id,
            ).where(agenda_item_delegations.c.item_id.in_(item_ids))
        ):
            self.item_delegations[item_id].append(delegation_id)
        self.lodging = lodging.LodgingRows(eid, rows)
        place_ids = sa.union(
            sa.select(Event.venue_id).where(Event.id == eid),
            sa.select(Leg.from_place_id).where(Leg.event_id == eid),
            sa.select(Leg.to_place_id).where(Leg.event_id == eid),
            sa.select(AgendaItem.place_id).where(AgendaItem.event_id == eid),
            lodging.stay_place_ids(eid),
        )
        self.places = {p.id: p for p in table(Place, Place.id.in_(place_ids))}
        person_ids = sa.union(
            sa.select(Delegate.person_id).where(Delegate.event_id == eid),
            sa.select(AgendaSpeaker.person_id).where(
                AgendaSpeaker.item_id.in_(item_ids)
            ),
        )
        self.people = {p.id: p for p in table(Person, Person.id.in_(person_ids))}
