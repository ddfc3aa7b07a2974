"""Automatic seat assignment at 1,000 and 10,000 delegates: its time at each size and
the ratio t(10k)/t(1k), which must stay near 10 (near-linear; the goal is at most 12).
The two sizes are timed in turns (1k, 10k, 1k, 10k …) in one run.

The data are made here with bulk inserts, from the generated people: two events, each
with every delegate confirmed, delegations of about 19.5 people (514 at 10,000, as in
the national event) with a head each, one trip, and a vehicle per 50 delegates (200 at
10,000: buses of 55 and minibuses of 30). Each timed call runs ``auto_assign`` on an
empty trip and is rolled back, so every call does the full work.
"""

from __future__ import annotations

import time

from flask import Flask
from sqlalchemy import insert, select

from bench.generate import TODAY, BenchData
from bench.goals import record
from bench.measure import NAME_WIDTH, median
from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Person,
    Trip,
    Vehicle,
    VehicleKind,
)

NAMES = ("seat_assignment_1k", "seat_assignment_10k")
#: Issue 16: t(10k)/t(1k) at most this (near-linear: the size ratio is 10).
RATIO_GOAL = 12
#: Delegates per delegation (10,000 / 514) and per vehicle.
PER_DELEGATION = 10_000 / 514
PER_VEHICLE = 50
#: Seats of the vehicles, in turn (four buses, one minibus: 50 on average).
SEATS = (55, 55, 55, 55, 30)


def _event(session, size: int, people: list[int]) -> int:
    """An event with ``size`` confirmed delegates, their delegations, vehicles and a
    trip; the trip's id."""
    event_id = session.scalar(
        insert(Event).returning(Event.id),
        [
            {
                "kind": EventKind.OTHER,
                "title": f"Jambore PSM (uji kursi {size:,})",
                "slug": f"bench-seats-{size}",
                "organiser_body": "IPSM Pengurus Nasional",
                "starts_on": TODAY.replace(year=TODAY.year + 1),
                "ends_on": TODAY.replace(year=TODAY.year + 1),
                "timezone": "Asia/Jakarta",
                "status": EventStatus.OPEN,
            }
        ],
    )
    groups = max(1, round(size / PER_DELEGATION))
    members: list[list[int]] = [[] for _ in range(groups)]
    for n, person_id in enumerate(people[:size]):
        members[n * groups // size].append(person_id)
    delegation_ids = list(
        session.scalars(
            insert(Delegation).returning(Delegation.id, sort_by_parameter_order=True),
            [
                {
                    "event_id": event_id,
                    "name": f"Delegasi {n + 1:03d}",
                    "quota": len(ids),
                    "confirmed_count": len(ids),
                }
                for n, ids in enumerate(members)
            ],
        )
    )
    session.execute(
        insert(Delegate),
        [
            {
                "event_id": event_id,
                "delegation_id": delegation_id,
                "person_id": person_id,
                "role": DelegateRole.HEAD if i == 0 else DelegateRole.PARTICIPANT,
                "status": DelegateStatus.CONFIRMED,
            }
            for delegation_id, ids in zip(delegation_ids, members, strict=True)
            for i, person_id in enumerate(ids)
        ],
    )
    vehicles = max(1, size // PER_VEHICLE)
    session.execute(
        insert(Vehicle),
        [
            {
                "event_id": event_id,
                "kind": VehicleKind.BUS if n % 5 else VehicleKind.MINIBUS,
                "label": f"Bus {n + 1}",
                "seats": SEATS[n % len(SEATS)],
            }
            for n in range(vehicles)
        ],
    )
    return session.scalar(
        insert(Trip).returning(Trip.id),
        [{"event_id": event_id, "name": "Berangkat"}],
    )


def run(app: Flask, data: BenchData, repeat: int, only: str | None = None) -> list[str]:
    """The report lines of the seat-assignment cases; either name in ``only`` runs
    both sizes, since the ratio needs them."""
    from planner.services.seating import auto_assign

    sizes = {}
    with app.app_context():
        people = list(db.session.scalars(select(Person.id).order_by(Person.id)))
        small = min(1_000, max(len(people) // 10, 1))
        for name, size in zip(NAMES, (small, len(people)), strict=True):
            if size:  # both sizes always: the ratio needs them
                sizes[name] = (size, _event(db.session, size, people))
        db.session.commit()

    # In turns (1k, 10k, 1k, 10k …) in one run, so that whatever else the machine
    # does weighs on both sizes alike; the first turn of each warms up.
    runs: dict[str, list[float]] = {name: [] for name in sizes}
    results = {}
    heavy = max(1, min(repeat, 5))
    with app.test_request_context():
        for turn in range(heavy + 1):
            for name, (_size, trip_id) in sizes.items():
                trip = db.session.get(Trip, trip_id)
                start = time.perf_counter()
                results[name] = auto_assign(trip)
                elapsed = (time.perf_counter() - start) * 1000
                db.session.rollback()
                if turn:
                    runs[name].append(elapsed)
    times = {name: median(values) for name, values in runs.items()}
    lines = []
    for name, (size, _trip_id) in sizes.items():
        result = results[name]
        vehicles = max(1, size // PER_VEHICLE)
        lines.append(
            f"{name:<{NAME_WIDTH}} median {times[name]:7.1f} ms  delegates {size:,}  "
            f"vehicles {vehicles}  placed {len(result.placed):,}  "
            f"unplaced {len(result.unplaced):,}  split {result.split_delegations}"
        )
    if len(times) == 2:
        small_t, large_t = times[NAMES[0]], times[NAMES[1]]
        (small_n, _), (large_n, _) = sizes[NAMES[0]], sizes[NAMES[1]]
        record(
            "seat_assignment t(10k)/t(1k)",
            f"ratio {large_t / small_t:.1f}",
            f"≤ {RATIO_GOAL}",
            large_t / small_t <= RATIO_GOAL,
        )
        lines.append(
            f"{'seat_assignment_ratio':<{NAME_WIDTH}} ratio t(10k)/t(1k) "
            f"{large_t / small_t:.1f} for {large_n / small_n:.0f}× the delegates, "
            f"timed in turns  (goal ≤ {RATIO_GOAL})"
        )
    return lines
