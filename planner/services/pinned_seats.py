"""Seats given by hand: pinned, never moved by the automatic assignment."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, text
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import ACTIVE_STATUSES, Delegate, SeatAssignment, Trip, Vehicle
from planner.services import PlannerError


class SeatError(PlannerError):
    """A seat could not be given: wrong event, inactive delegate, full or taken."""


def _lock_vehicle(vehicle: Vehicle) -> None:
    """Lock the vehicle so two organisers cannot both take its last seat.

    PostgreSQL locks the row. SQLite has no row locks, and its driver begins a
    transaction only at the first write, so the checks that follow would read before
    a concurrent writer commits: a no-op write takes the database's write lock first
    (others wait for it, busy_timeout), and the checks then read what was committed.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            text("UPDATE vehicles SET id = id WHERE id = :id"), {"id": vehicle.id}
        )
        return
    db.session.execute(
        select(Vehicle.id).where(Vehicle.id == vehicle.id).with_for_update()
    )


def assign_seat(
    trip: Trip,
    *,
    vehicle: Vehicle,
    delegate: Delegate,
    seat_number: int | None = None,
) -> SeatAssignment:
    """Seat a delegate in a vehicle for the trip by hand (pinned); moving replaces the
    delegate's earlier seat on this trip."""
    if vehicle.event_id != trip.event_id:
        raise SeatError(
            _("Kendaraan ini bukan milik acara perjalanan ini."), field="vehicle_id"
        )
    if delegate.event_id != trip.event_id:
        raise SeatError(_("Peserta ini bukan peserta acara ini."), field="delegate_id")
    if delegate.status not in ACTIVE_STATUSES:
        raise SeatError(
            _("Peserta yang mundur atau diganti tidak mendapat kursi."),
            field="delegate_id",
        )
    if seat_number is not None and not 1 <= seat_number <= vehicle.seats:
        raise SeatError(
            _(
                "Nomor kursi harus antara 1 dan %(seats)s untuk %(vehicle)s.",
                seats=vehicle.seats,
                vehicle=vehicle.label,
            ),
            field="seat_number",
        )
    _lock_vehicle(vehicle)
    current = db.session.execute(
        select(SeatAssignment).filter_by(trip_id=trip.id, delegate_id=delegate.id)
    ).scalar_one_or_none()
    others = select(SeatAssignment).where(
        SeatAssignment.trip_id == trip.id,
        SeatAssignment.vehicle_id == vehicle.id,
        SeatAssignment.delegate_id != delegate.id,
    )
    taken = db.session.scalar(select(func.count()).select_from(others.subquery()))
    if taken >= vehicle.seats:
        raise SeatError(
            _(
                "%(vehicle)s sudah penuh (%(seats)s kursi).",
                vehicle=vehicle.label,
                seats=vehicle.seats,
            ),
            field="vehicle_id",
        )
    if seat_number is not None:
        holder = db.session.execute(
            others.where(SeatAssignment.seat_number == seat_number).options(
                joinedload(SeatAssignment.delegate).joinedload(Delegate.person)
            )
        ).scalar_one_or_none()
        if holder is not None:
            raise SeatError(
                _(
                    "Kursi %(number)s di %(vehicle)s sudah ditempati %(name)s.",
                    number=seat_number,
                    vehicle=vehicle.label,
                    name=holder.delegate.person.formal_name,
                ),
                field="seat_number",
            )
    if current is None:
        current = SeatAssignment(trip=trip, delegate=delegate)
        db.session.add(current)
    current.vehicle = vehicle
    current.seat_number = seat_number
    current.is_pinned = True
    db.session.flush()
    return current


def unassign_seat(trip: Trip, *, delegate: Delegate) -> None:
    """Take the delegate's seat on this trip away (pinned or not)."""
    assignment = db.session.execute(
        select(SeatAssignment).filter_by(trip_id=trip.id, delegate_id=delegate.id)
    ).scalar_one_or_none()
    if assignment is None:
        raise SeatError(_("Peserta ini belum mendapat kursi."), field="delegate_id")
    db.session.delete(assignment)
    db.session.flush()
