"""Seats: delegates placed in vehicles for a trip, by hand or automatically.

The automatic assignment is best-fit-decreasing bin packing over delegations: the
largest delegation first, each into the fullest vehicle that still holds it whole;
a delegation larger than any vehicle's free seats goes into the fewest vehicles
(largest free first, the remainder into the tightest fit). Every ordering uses stable
keys, so the same input gives the same seats. Hand-made (pinned) assignments are never
touched and their seats count as taken. The database holds "a delegate once per trip"
and "a seat number once per vehicle and trip" as unique constraints. Seats given by
hand live in :mod:`planner.services.pinned_seats`, a delegate's own trips in
:mod:`planner.services.journeys`; both are importable from here too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from planner import audit
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    QUOTA_STATUSES,
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Person,
    SeatAssignment,
    Trip,
    Vehicle,
    utcnow,
)
from planner.services.journeys import TripOfDelegate as TripOfDelegate
from planner.services.journeys import trip_of_delegate as trip_of_delegate
from planner.services.journeys import trips_of_delegates as trips_of_delegates
from planner.services.pinned_seats import SeatError
from planner.services.pinned_seats import assign_seat as assign_seat
from planner.services.pinned_seats import unassign_seat as unassign_seat

#: Seats per INSERT statement of the automatic assignment.
_INSERT_BATCH = 1000


def vehicle_order(vehicle: Vehicle) -> tuple:
    """Vehicles in the order people count them: "Travel 2" before "Travel 10"."""
    parts = re.split(r"(\d+)", vehicle.label.casefold())
    key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p)
    return key, vehicle.id


# Automatic ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Placed:
    """One seat given by the automatic assignment."""

    delegate_id: int
    vehicle_id: int
    seat_number: int


@dataclass(frozen=True)
class Unplaced:
    """A delegate the automatic assignment could not seat, and why."""

    delegate_id: int
    name: str
    delegation: str | None
    reason: str


@dataclass
class AssignmentResult:
    """What :func:`auto_assign` did: the seats it gave and whom it could not seat."""

    placed: list[Placed] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    #: Delegations split over more than one vehicle (none larger than needed).
    split_delegations: int = 0


@dataclass
class _Bin:
    """A vehicle being filled: its free seats and the delegates put in it, in order."""

    order: int
    vehicle_id: int
    free: int
    taken_numbers: set[int]
    members: list[int] = field(default_factory=list)


#: Order of members inside a delegation: the head first, so they sit with the largest
#: part of a split delegation, then the others by role.
_ROLE_ORDER = {
    DelegateRole.HEAD: 0,
    DelegateRole.PARTICIPANT: 1,
    DelegateRole.GUEST: 2,
    DelegateRole.SPEAKER: 3,
    DelegateRole.COMMITTEE: 4,
}


def auto_assign(
    trip: Trip,
    *,
    vehicles: list[Vehicle] | None = None,
    include_nominated: bool = False,
    keep_seats: bool = False,
) -> AssignmentResult:
    """Seat every confirmed (or attended) delegate without a seat on this trip into the
    event's vehicles (or ``vehicles``), keeping delegations together; pinned seats stay.

    Earlier automatic seats in the vehicles filled are recomputed, unless ``keep_seats``:
    then every seat stays and only those without one are placed in the free seats
    (seat numbers already printed stay true). Seats in other vehicles stay. Runs in
    O(n log n) for n delegates and inserts in bulk.
    """
    if vehicles is None:
        vehicles = list(
            db.session.scalars(select(Vehicle).filter_by(event_id=trip.event_id))
        )
    if any(v.event_id != trip.event_id for v in vehicles):
        raise SeatError(
            _("Kendaraan ini bukan milik acara perjalanan ini."), field="vehicle_id"
        )
    vehicles = sorted({v.id: v for v in vehicles}.values(), key=vehicle_order)
    target_ids = [v.id for v in vehicles]
    removed = 0
    if target_ids:
        db.session.execute(
            select(Vehicle.id)
            .where(Vehicle.id.in_(target_ids))
            .order_by(Vehicle.id)
            .with_for_update()
        )
    if target_ids and not keep_seats:
        # Earlier automatic seats in these vehicles are recomputed from scratch.
        removed = db.session.execute(
            delete(SeatAssignment)
            .where(
                SeatAssignment.trip_id == trip.id,
                SeatAssignment.vehicle_id.in_(target_ids),
                SeatAssignment.is_pinned.is_(False),
            )
            .execution_options(synchronize_session=False)
        ).rowcount

    # Seats that stay: pinned ones, and any seat in a vehicle not being filled.
    kept = db.session.execute(
        select(
            SeatAssignment.delegate_id,
            SeatAssignment.vehicle_id,
            SeatAssignment.seat_number,
            Delegate.delegation_id,
        )
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(SeatAssignment.trip_id == trip.id)
    ).all()
    seated = {row.delegate_id for row in kept}
    occupied: dict[int, int] = defaultdict(int)
    numbers: dict[int, set[int]] = defaultdict(set)
    for row in kept:
        occupied[row.vehicle_id] += 1
        if row.seat_number is not None:
            numbers[row.vehicle_id].add(row.seat_number)
    bins = [
        _Bin(n, v.id, max(v.seats - occupied[v.id], 0), numbers[v.id])
        for n, v in enumerate(vehicles)
    ]
    home_of = _home_vehicles(kept)

    statuses = list(QUOTA_STATUSES)
    if include_nominated:
        statuses.append(DelegateStatus.NOMINATED)
    # Read row by row on the connection, each row kept as a plain tuple of numbers
    # and strings: the collector stops tracking those, where 10,000 rows kept at
    # once (the session's buffered result) were walked again by every pass of it and
    # made a full collection fall inside each large run (t(10k)/t(1k) 13–24, not 10).
    rows = db.session.connection().execute(
        select(
            Delegate.id,
            Delegate.delegation_id,
            Delegate.role,
            Person.full_name,
            Person.formal_name,
            Delegation.name,
        )
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Delegate.event_id == trip.event_id, Delegate.status.in_(statuses))
        .order_by(Delegate.id)
    )

    # Groups: one per delegation; delegates outside any delegation travel alone.
    # Members as (role order, full name, id): sorted, the head first, then by role.
    groups: dict[tuple[int, int], list[tuple[int, str, int]]] = {}
    group_names: dict[tuple[int, int], str] = {}
    names: dict[int, tuple[str, str | None]] = {}
    for delegate_id, delegation_id, role, full_name, formal_name, delegation in rows:
        names[delegate_id] = (formal_name, delegation)
        if delegate_id in seated:
            continue
        key = (0, delegation_id) if delegation_id else (1, delegate_id)
        members = groups.get(key)
        if members is None:
            members = groups[key] = []
            group_names[key] = delegation or ""
        members.append((_ROLE_ORDER.get(role, 9), full_name, delegate_id))
    for members in groups.values():
        members.sort()
    # Largest first; ties by the delegation's name, then its id (stable, no dict order).
    ordered = sorted(
        groups.items(),
        key=lambda item: (-len(item[1]), group_names[item[0]], item[0]),
    )

    result = AssignmentResult()
    no_seat = _("Semua kursi sudah terisi.") if vehicles else _("Belum ada kendaraan.")
    # Vehicles with free seats, sorted by (free, order): bisect finds the tightest fit.
    free_index = [(b.free, b.order) for b in bins if b.free > 0]
    free_index.sort()
    by_order = {b.order: b for b in bins}
    home_order = {b.vehicle_id: b.order for b in bins}

    def take(b: _Bin, ids: list[int]) -> None:
        free_index.pop(bisect_left(free_index, (b.free, b.order)))
        b.free -= len(ids)
        b.members.extend(ids)
        if b.free > 0:
            insort(free_index, (b.free, b.order))

    for (kind, key), members in ordered:
        size = len(members)
        ids = [member[2] for member in members]
        home = home_of.get(key) if kind == 0 else None
        home_bin = by_order.get(home_order.get(home, -1))
        if home_bin is not None and home_bin.free >= size:
            take(home_bin, ids)  # join the delegation's pinned members
            continue
        at = bisect_left(free_index, (size, -1))
        if at < len(free_index):
            take(by_order[free_index[at][1]], ids)
            continue
        if not free_index:
            _report(result, ids, names, no_seat)
            continue
        # Larger than any vehicle's free seats: the fewest vehicles, largest first.
        parts: list[_Bin] = []
        left = size
        for free, order in reversed(free_index):
            if left <= 0:
                break
            parts.append(by_order[order])
            left -= free
        if left <= 0 and len(parts) > 1:
            # The last part goes to the tightest vehicle that holds the remainder.
            remainder = size - sum(b.free for b in parts[:-1])
            chosen = {b.order for b in parts[:-1]}
            tight = next(
                by_order[o]
                for f, o in free_index[bisect_left(free_index, (remainder, -1)) :]
                if o not in chosen
            )
            parts[-1] = tight
        start = 0
        for b in parts:
            n = min(b.free, size - start)
            take(b, ids[start : start + n])
            start += n
        if len(parts) > 1:
            result.split_delegations += 1
        if start < size:
            _report(result, ids[start:], names, no_seat)

    # Plain tuples of numbers until the rows are written (untracked by the collector,
    # as above); the Placed objects are made last.
    seats: list[tuple[int, int, int]] = []
    for b in bins:
        number = 0
        for delegate_id in b.members:
            number += 1
            while number in b.taken_numbers:
                number += 1
            seats.append((delegate_id, b.vehicle_id, number))
    # In batches, each batch's parameters made just before it goes: at 10,000
    # delegates, fewer objects live at once for the garbage collector to walk.
    now = utcnow()
    for start in range(0, len(seats), _INSERT_BATCH):
        db.session.execute(
            insert(SeatAssignment.__table__),
            [
                {
                    "event_id": trip.event_id,
                    "trip_id": trip.id,
                    "vehicle_id": vehicle_id,
                    "delegate_id": delegate_id,
                    "seat_number": seat_number,
                    "is_pinned": False,
                    "created_at": now,
                }
                for delegate_id, vehicle_id, seat_number in seats[
                    start : start + _INSERT_BATCH
                ]
            ],
        )
    result.placed = [Placed(*seat) for seat in seats]
    # Bulk statements bypass the session's audit listener: one entry for the run.
    audit.record(
        db.session,
        event_id=trip.event_id,
        entity="seat",
        action="auto_assign",
        summary=trip.name,
        entity_id=None,
        changes={
            "trip_id": [None, trip.id],
            "vehicle_ids": [None, target_ids],
            "removed": [removed, None],
            "placed": [None, len(result.placed)],
        },
    )
    db.session.flush()
    db.session.expire(trip, ["seat_assignments"])
    for vehicle in vehicles:
        db.session.expire(vehicle, ["seat_assignments"])
    return result


def copy_seats(source: Trip, target: Trip) -> int:
    """Give everyone seated on ``source`` the same vehicle and seat number on
    ``target``, when they have no seat there yet and that seat is free; pinned stays
    pinned. Returns how many seats were copied (three queries and one insert)."""
    if source.event_id != target.event_id or source.id == target.id:
        raise SeatError(_("Pilih perjalanan lain dari acara ini."), field="trip_id")
    existing = db.session.execute(
        select(
            SeatAssignment.delegate_id,
            SeatAssignment.vehicle_id,
            SeatAssignment.seat_number,
        ).where(SeatAssignment.trip_id == target.id)
    ).all()
    seated = {row.delegate_id for row in existing}
    taken = {(row.vehicle_id, row.seat_number) for row in existing}
    count_in: dict[int, int] = defaultdict(int)
    for row in existing:
        count_in[row.vehicle_id] += 1
    capacity = dict(
        db.session.execute(
            select(Vehicle.id, Vehicle.seats).where(Vehicle.event_id == target.event_id)
        ).all()
    )
    rows = []
    now = utcnow()
    for seat in db.session.scalars(
        select(SeatAssignment)
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(
            SeatAssignment.trip_id == source.id,
            Delegate.status.in_(list(ACTIVE_STATUSES)),
        )
        .order_by(SeatAssignment.vehicle_id, SeatAssignment.seat_number)
    ):
        if seat.delegate_id in seated:
            continue
        if (
            seat.seat_number is not None
            and (seat.vehicle_id, seat.seat_number) in taken
        ):
            continue
        if count_in[seat.vehicle_id] >= capacity.get(seat.vehicle_id, 0):
            continue
        count_in[seat.vehicle_id] += 1
        taken.add((seat.vehicle_id, seat.seat_number))
        rows.append(
            {
                "event_id": target.event_id,
                "trip_id": target.id,
                "vehicle_id": seat.vehicle_id,
                "delegate_id": seat.delegate_id,
                "seat_number": seat.seat_number,
                "is_pinned": seat.is_pinned,
                "created_at": now,
            }
        )
    if rows:
        db.session.execute(insert(SeatAssignment.__table__), rows)
    audit.record(
        db.session,
        event_id=target.event_id,
        entity="seat",
        action="copy_seats",
        summary=target.name,
        entity_id=None,
        changes={
            "from_trip_id": [None, source.id],
            "trip_id": [None, target.id],
            "placed": [None, len(rows)],
        },
    )
    db.session.flush()
    db.session.expire(target, ["seat_assignments"])
    return len(rows)


def _home_vehicles(kept) -> dict[int, int]:
    """For each delegation with kept seats, the vehicle holding most of them (lowest
    id on a tie): where its other members go when they fit."""
    counts: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in kept:
        if row.delegation_id is not None:
            counts[row.delegation_id][row.vehicle_id] += 1
    return {
        delegation_id: min(per_vehicle.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for delegation_id, per_vehicle in counts.items()
    }


def _report(result: AssignmentResult, ids, names, reason: str) -> None:
    for delegate_id in ids:
        formal_name, delegation = names[delegate_id]
        result.unplaced.append(Unplaced(delegate_id, formal_name, delegation, reason))
