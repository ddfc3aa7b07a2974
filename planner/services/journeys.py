"""A participant's own trips: for each trip of their event, their vehicle, seat and legs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import Delegate, Leg, Place, SeatAssignment, Trip, Vehicle


@dataclass
class TripOfDelegate:
    """One trip as a delegate travels it: their seat (if any) and their legs."""

    trip: Trip
    assignment: SeatAssignment | None
    legs: list[Leg]

    @property
    def vehicle(self) -> Vehicle | None:
        return self.assignment.vehicle if self.assignment else None

    @property
    def seat_number(self) -> int | None:
        return self.assignment.seat_number if self.assignment else None

    @property
    def meeting_point(self) -> Place | None:
        """Where to be: the departure place of the first leg they travel."""
        return self.legs[0].from_place if self.legs else None


def trips_of_delegates(delegates: list[Delegate]) -> dict[int, list[TripOfDelegate]]:
    """For each delegate (by id), every trip of their event in order with their vehicle,
    seat and legs; a constant number of queries whatever the count."""
    if not delegates:
        return {}
    event_ids = {d.event_id for d in delegates}
    trips = db.session.scalars(
        select(Trip)
        .where(Trip.event_id.in_(event_ids))
        .options(
            selectinload(Trip.legs).options(
                joinedload(Leg.from_place).joinedload(Place.region),
                joinedload(Leg.to_place).joinedload(Place.region),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        )
        .order_by(Trip.position, Trip.id)
    ).all()
    assignments = db.session.scalars(
        select(SeatAssignment)
        .where(SeatAssignment.delegate_id.in_([d.id for d in delegates]))
        .options(joinedload(SeatAssignment.vehicle))
    ).all()
    seat = {(a.trip_id, a.delegate_id): a for a in assignments}
    out: dict[int, list[TripOfDelegate]] = {}
    for delegate in delegates:
        mine = []
        for trip in trips:
            if trip.event_id != delegate.event_id:
                continue
            assignment = seat.get((trip.id, delegate.id))
            vehicle_id = assignment.vehicle_id if assignment else None
            legs = [
                leg
                for leg in trip.legs
                if (
                    vehicle_id is not None
                    and any(v.id == vehicle_id for v in leg.vehicles)
                )
                or (
                    delegate.delegation_id is not None
                    and any(d.id == delegate.delegation_id for d in leg.delegations)
                )
            ]
            mine.append(TripOfDelegate(trip, assignment, legs))
        out[delegate.id] = mine
    return out


def trip_of_delegate(delegate: Delegate) -> list[TripOfDelegate]:
    """The delegate's vehicle, seat and legs, per trip of their event."""
    return trips_of_delegates([delegate])[delegate.id]
