"""The index of an event's manifests, what the overview asks for (unseated and
incomplete travellers), and the checklist's line."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from planner import labels
from planner.extensions import db
from planner.models import (
    TAKING_PART,
    Delegate,
    Event,
    Leg,
    LegMode,
    Person,
    SeatAssignment,
    Trip,
    Vehicle,
)
from planner.models.transport import leg_delegations, leg_vehicles
from planner.services.events import ChecklistItem, checklist_check
from planner.services.manifests.records import LegLine, _place_options, leg_line


@dataclass
class TripManifests:
    """One trip on the manifests index: its vehicles and its ferry legs."""

    trip: Trip
    vehicles: list[Vehicle]
    ferry_legs: list[LegLine]


def load_index(event: Event) -> list[TripManifests]:
    """The event's trips with their vehicles and ferry legs, in three queries."""
    trips = list(
        db.session.scalars(
            sa.select(Trip)
            .where(Trip.event_id == event.id)
            .options(
                selectinload(Trip.legs).options(
                    *_place_options(), selectinload(Leg.vehicles)
                )
            )
            .order_by(Trip.position, Trip.id)
        )
    )
    seated = db.session.execute(
        sa.select(SeatAssignment.trip_id, SeatAssignment.vehicle_id)
        .join(Trip, Trip.id == SeatAssignment.trip_id)
        .where(Trip.event_id == event.id)
        .distinct()
    ).all()
    vehicles = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vehicle).where(Vehicle.event_id == event.id)
        )
    }
    out = []
    for trip in trips:
        ids = {v.id for leg in trip.legs for v in leg.vehicles}
        ids.update(vehicle_id for trip_id, vehicle_id in seated if trip_id == trip.id)
        out.append(
            TripManifests(
                trip=trip,
                vehicles=sorted(
                    (vehicles[i] for i in ids if i in vehicles),
                    key=lambda v: (v.label, v.id),
                ),
                ferry_legs=[
                    leg_line(leg, event)
                    for leg in trip.legs
                    if leg.mode == LegMode.FERRY
                ],
            )
        )
    return out


@dataclass(frozen=True)
class UnseatedOnTrip:
    """A trip in the event's vehicles with confirmed travellers who have no seat."""

    trip_id: int
    trip_name: str
    count: int


def unseated_by_trip(event: Event) -> list[UnseatedOnTrip]:
    """Per trip travelled in the event's vehicles, the confirmed (or attended)
    delegates without a seat on it, leaving out delegations carried on their own on
    some leg (a flight, a public ferry): the people its manifests list under "Belum
    mendapat kursi". One query, whatever the number of trips and delegates."""
    own_leg = sa.orm.aliased(Leg)
    vehicle_leg = sa.orm.aliased(Leg)
    seated = sa.exists().where(
        SeatAssignment.trip_id == Trip.id, SeatAssignment.delegate_id == Delegate.id
    )
    on_own = (
        sa.exists()
        .select_from(
            leg_delegations.join(own_leg, own_leg.id == leg_delegations.c.leg_id)
        )
        .where(
            own_leg.trip_id == Trip.id,
            leg_delegations.c.delegation_id == Delegate.delegation_id,
        )
    )
    by_vehicle = (
        sa.exists()
        .select_from(
            leg_vehicles.join(vehicle_leg, vehicle_leg.id == leg_vehicles.c.leg_id)
        )
        .where(vehicle_leg.trip_id == Trip.id)
    )
    rows = db.session.execute(
        sa.select(Trip.id, Trip.name, sa.func.count(Delegate.id))
        .join(Delegate, Delegate.event_id == Trip.event_id)
        .where(
            Trip.event_id == event.id,
            Delegate.status.in_(list(TAKING_PART)),
            by_vehicle,
            ~seated,
            ~on_own,
        )
        .group_by(Trip.id, Trip.name, Trip.position)
        .order_by(Trip.position, Trip.id)
    ).all()
    return [UnseatedOnTrip(trip_id, name, n) for trip_id, name, n in rows]


def incomplete_travellers(event: Event) -> int:
    """Confirmed (or attended) delegates of an event with trips whose manifest line
    lacks sex or age (a birth date, or a NIK to read the year from), and the NIK when
    some leg goes by ferry or air; two queries."""
    modes = set(
        db.session.scalars(
            sa.select(Leg.mode)
            .join(Trip, Trip.id == Leg.trip_id)
            .where(Trip.event_id == event.id)
            .distinct()
        )
    )
    if not modes:
        return 0
    lacking = [
        Person.sex.is_(None),
        sa.and_(Person.birth_on.is_(None), Person.nik.is_(None)),
    ]
    if modes & {LegMode.FERRY, LegMode.AIR}:
        lacking.append(Person.nik.is_(None))
    return db.session.scalar(
        sa.select(sa.func.count(Delegate.id))
        .join(Person, Person.id == Delegate.person_id)
        .where(
            Delegate.event_id == event.id,
            Delegate.status.in_(list(TAKING_PART)),
            sa.or_(*lacking),
        )
    )


@checklist_check
def _check_manifests(event: Event):
    """Every confirmed traveller has a seat, and what the manifests print about them."""
    items = [
        ChecklistItem(
            _(
                "%(n)s peserta terkonfirmasi belum mendapat kursi di %(trip)s; "
                "manifesnya mencantumkan mereka di bagian “Belum mendapat kursi”.",
                n=gap.count,
                trip=labels.trip_name(gap.trip_name),
            ),
            "danger",
            "transport.seats",
            params=(("trip_id", gap.trip_id),),
            action="transport.auto_seats",
            action_label=_("Beri kursi sekarang"),
            action_fields=(("keep_seats", "y"),),
        )
        for gap in unseated_by_trip(event)
    ]
    incomplete = incomplete_travellers(event)
    if incomplete:
        items.append(
            ChecklistItem(
                _(
                    "Data %(n)s peserta belum lengkap untuk manifes (L/P, tanggal "
                    "lahir atau NIK).",
                    n=incomplete,
                ),
                "warning",
                "delegations.index",
            )
        )
    return items
