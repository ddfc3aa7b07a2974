"""Loading a trip, vehicle or ferry leg by its ids and its event's id (None when they
do not belong together: the view answers 404), a trip's vehicles, and who travels
without a seat."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    Delegate,
    Delegation,
    Event,
    Leg,
    LegMode,
    Person,
    SeatAssignment,
    Trip,
    Vehicle,
)
from planner.models.transport import leg_delegations, leg_vehicles
from planner.services.manifests.records import _place_options

# Loading by ids (None when they do not belong together: the view answers 404) --------


def load_trip(event_id: int, trip_id: int) -> Trip | None:
    """A trip of this event with its event (organisers loaded), or None."""
    return db.session.scalar(
        sa.select(Trip)
        .where(Trip.id == trip_id, Trip.event_id == event_id)
        .options(joinedload(Trip.event).selectinload(Event.organisers))
    )


def load_vehicle(event_id: int, vehicle_id: int) -> Vehicle | None:
    """A vehicle of this event, or None."""
    return db.session.scalar(
        sa.select(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.event_id == event_id)
    )


def load_ferry_leg(event_id: int, leg_id: int) -> Leg | None:
    """A ferry leg of this event with its places, trip, event and vehicles, or None
    (also when the leg is not by ferry)."""
    leg = db.session.scalar(
        sa.select(Leg)
        .where(Leg.id == leg_id, Leg.event_id == event_id)
        .options(
            *_place_options(),
            joinedload(Leg.trip),
            joinedload(Leg.event).selectinload(Event.organisers),
            selectinload(Leg.vehicles),
            selectinload(Leg.delegations),
        )
    )
    if leg is None or leg.mode != LegMode.FERRY:
        return None
    return leg


def trip_vehicles(trip: Trip) -> list[Vehicle]:
    """The vehicles of a trip: on one of its legs or holding one of its seats."""
    on_leg = (
        sa.select(leg_vehicles.c.vehicle_id)
        .join(Leg, Leg.id == leg_vehicles.c.leg_id)
        .where(Leg.trip_id == trip.id)
    )
    seated = sa.select(SeatAssignment.vehicle_id).where(
        SeatAssignment.trip_id == trip.id
    )
    return list(
        db.session.scalars(
            sa.select(Vehicle)
            .where(
                Vehicle.event_id == trip.event_id,
                sa.or_(Vehicle.id.in_(on_leg), Vehicle.id.in_(seated)),
            )
            .order_by(Vehicle.label, Vehicle.id)
        )
    )


def _unseated_rows(trip: Trip):
    """Confirmed (or attended) delegates of the trip's event with no seat on it, and
    whether their delegation travels some leg of the trip without a vehicle (a flight, a
    public ferry); one query."""
    seated = sa.select(SeatAssignment.delegate_id).where(
        SeatAssignment.trip_id == trip.id
    )
    return db.session.execute(
        sa.select(
            Delegate.id,
            Delegate.delegation_id,
            Person.formal_name.label("full_name"),
            Person.sex,
            Person.birth_on,
            Person.nik,
            Delegation.name,
        )
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(
            Delegate.event_id == trip.event_id,
            Delegate.status.in_(list(TAKING_PART)),
            Delegate.id.not_in(seated),
        )
        .order_by(Delegation.name, Person.full_name, Delegate.id)
    ).all()


def _travels_on_own(trip: Trip) -> set[int]:
    """Delegations carried on some leg of the trip without a vehicle of the event."""
    return set(
        db.session.scalars(
            sa.select(leg_delegations.c.delegation_id)
            .join(Leg, Leg.id == leg_delegations.c.leg_id)
            .where(Leg.trip_id == trip.id)
        )
    )
