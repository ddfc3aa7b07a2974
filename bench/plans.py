"""Plan files at national scale: export, then import as a new event, timed, with the
statements sent and the peak memory (tracemalloc) of each.

The event is made here with bulk inserts: every generated person as a confirmed delegate
(one delegation per regency/city, each with its history: nominated, confirmed), 200
buses of 50 seats, two trips (there and back) with a ferry and a road leg each carrying
every bus, every delegate seated on both trips, and 300 agenda items over three days
with a speaker each. The import goes into the same database under a new slug (every
person matched by NIK) and is rolled back after each call, so every call does the full
work; a second case imports the file without personal data (people matched by name and
region).
"""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import Engine, func, insert, select

from bench.generate import TODAY, BenchData
from bench.goals import record
from bench.measure import NAME_WIDTH, count_statements, median
from bench.rosters import _event, _fill
from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    Delegate,
    DelegateChange,
    Leg,
    LegMode,
    Person,
    Place,
    Region,
    SeatAssignment,
    SpeakerRole,
    Trip,
    Vehicle,
    VehicleKind,
)
from planner.models.transport import leg_vehicles

NAMES = ("plan_export", "plan_import", "plan_import_without_personal_data")
#: Issue 16 (10,000 delegates, PostgreSQL, this 2-core machine): milliseconds at most.
GOALS = {"plan_export": 1_500, "plan_import": 4_000}
SEATS = 50
AGENDA_ITEMS = 300
SLUG = "bench-plan-1"


def prepare(app: Flask, data: BenchData) -> int:
    """Make the national event with transport, seats, history and agenda; its id."""
    with app.app_context():
        session = db.session
        regions = {i: n for i, n in session.execute(select(Region.id, Region.name))}
        people = list(
            session.execute(select(Person.id, Person.region_id).order_by(Person.id))
        )
        event_id = _event(
            session, data.organiser_id, "Jambore PSM Nasional (uji berkas)", SLUG
        )
        _fill(session, event_id, people, regions)
        delegates = list(
            session.scalars(
                select(Delegate.id)
                .where(Delegate.event_id == event_id)
                .order_by(Delegate.delegation_id, Delegate.id)
            )
        )
        start = datetime(TODAY.year + 1, 3, 1, 1, 0, tzinfo=UTC)
        session.execute(
            insert(DelegateChange),
            [
                {
                    "delegate_id": d,
                    "action": action,
                    "from_status": before,
                    "to_status": after,
                    "by_user_id": data.organiser_id,
                    "at": start - timedelta(days=days),
                }
                for d in delegates
                for action, before, after, days in (
                    ("nominated", None, "nominated", 30),
                    ("confirmed", "nominated", "confirmed", 20),
                )
            ],
        )
        buses = max(1, math.ceil(len(delegates) / SEATS))
        vehicle_ids = list(
            session.scalars(
                insert(Vehicle).returning(Vehicle.id, sort_by_parameter_order=True),
                [
                    {
                        "event_id": event_id,
                        "kind": VehicleKind.BUS,
                        "label": f"Bus {n:03d}",
                        "plate": f"B {7000 + n} PSM",
                        "seats": SEATS,
                        "driver_name": f"Pengemudi {n:03d}",
                        "driver_phone": f"+62812{5550000 + n}",
                        "operator": "PO Bench Trans",
                    }
                    for n in range(1, buses + 1)
                ],
            )
        )
        ports = dict(
            session.execute(
                select(Place.code, Place.id).where(
                    Place.code.in_(
                        ["port:bakauheni", "port:merak", "port:tanjung-priok"]
                    )
                )
            ).all()
        )
        route = [
            ports["port:bakauheni"],
            ports["port:merak"],
            ports["port:tanjung-priok"],
        ]
        for position, (name, stops, day) in enumerate(
            (("Berangkat", route, 0), ("Pulang", route[::-1], 3))
        ):
            trip_id = session.scalar(
                insert(Trip).returning(Trip.id),
                [{"event_id": event_id, "name": name, "position": position}],
            )
            leave = start + timedelta(days=day)
            leg_ids = list(
                session.scalars(
                    insert(Leg).returning(Leg.id, sort_by_parameter_order=True),
                    [
                        {
                            "event_id": event_id,
                            "trip_id": trip_id,
                            "position": n,
                            "from_place_id": stops[n],
                            "to_place_id": stops[n + 1],
                            "mode": LegMode.FERRY if n == 0 else LegMode.ROAD,
                            "departs_at": leave + timedelta(hours=3 * n),
                            "arrives_at": leave + timedelta(hours=3 * n + 2),
                        }
                        for n in range(2)
                    ],
                )
            )
            session.execute(
                insert(leg_vehicles),
                [
                    {"leg_id": leg, "vehicle_id": v}
                    for leg in leg_ids
                    for v in vehicle_ids
                ],
            )
            session.execute(
                insert(SeatAssignment),
                [
                    {
                        "trip_id": trip_id,
                        "vehicle_id": vehicle_ids[i // SEATS],
                        "delegate_id": delegate_id,
                        "seat_number": i % SEATS + 1,
                        "is_pinned": i % 7 == 0,
                    }
                    for i, delegate_id in enumerate(delegates)
                ],
            )
        kinds = list(AgendaKind)
        item_ids = list(
            session.scalars(
                insert(AgendaItem).returning(
                    AgendaItem.id, sort_by_parameter_order=True
                ),
                [
                    {
                        "event_id": event_id,
                        "starts_at": start + timedelta(minutes=15 * n),
                        "ends_at": start + timedelta(minutes=15 * n + 45),
                        "title": f"Sesi kelas {n + 1:03d}",
                        "kind": kinds[n % len(kinds)],
                        "room": f"Ruang {n % 12 + 1}",
                    }
                    for n in range(AGENDA_ITEMS)
                ],
            )
        )
        speakers = list(
            session.scalars(select(Person.id).order_by(Person.id).limit(AGENDA_ITEMS))
        )
        session.execute(
            insert(AgendaSpeaker),
            [
                {
                    "item_id": item_id,
                    "role": SpeakerRole.SPEAKER,
                    "person_id": speakers[n % len(speakers)] if n % 2 else None,
                    "name": None if n % 2 else f"Narasumber {n:03d}",
                }
                for n, item_id in enumerate(item_ids)
            ],
        )
        session.commit()
        return event_id


def _timed(fn: Callable[[], object], repeat: int, engine: Engine) -> tuple[float, int]:
    """Median milliseconds of ``repeat`` calls after one warm-up, and the most
    statements one call sent."""
    fn()
    times, statements = [], 0
    for _ in range(repeat):
        with count_statements(engine) as sent:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        statements = max(statements, len(sent))
    return median(times), statements


def _peak(fn: Callable[[], object]) -> float:
    """Peak memory (MB) Python allocated during one call."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _record(name: str, ms: float, engine: Engine) -> None:
    """The figure beside its goal in the summary table (cases with a goal only)."""
    if name in GOALS:
        record(
            f"{name} ({engine.dialect.name}, 10,000 delegates)",
            f"{ms:,.0f} ms",
            f"≤ {GOALS[name]:,} ms",
            ms <= GOALS[name],
        )


def run(app: Flask, engine: Engine, data: BenchData, repeat: int) -> list[str]:
    """The report lines of the plan cases."""
    from planner.models import Event
    from planner.services.plans import dump_plan, export_plan, import_plan, load_plan

    event_id = prepare(app, data)
    heavy = max(1, min(repeat, 3))
    lines = []
    with app.test_request_context():
        event = db.session.get(Event, event_id)
        counts = {
            "delegates": db.session.scalar(
                select(func.count(Delegate.id)).where(Delegate.event_id == event_id)
            ),
            "vehicles": db.session.scalar(
                select(func.count(Vehicle.id)).where(Vehicle.event_id == event_id)
            ),
            "agenda items": db.session.scalar(
                select(func.count(AgendaItem.id)).where(AgendaItem.event_id == event_id)
            ),
        }
        files = {
            personal: dump_plan(export_plan(event, personal_data=personal))
            for personal in (True, False)
        }

        def export() -> bytes:
            return dump_plan(export_plan(event, personal_data=True))

        ms, statements = _timed(export, heavy, engine)
        size = len(files[True])
        _record(NAMES[0], ms, engine)
        lines.append(
            f"{NAMES[0]:<{NAME_WIDTH}} median {ms:7.1f} ms  queries {statements:3d}  "
            f"bytes {size:,}  peak memory {_peak(export):6.1f} MB  "
            + "  ".join(f"{n:,} {what}" for what, n in counts.items())
            + f"  (goal ≤ {GOALS[NAMES[0]]:,} ms)"
        )
        for name, personal in ((NAMES[1], True), (NAMES[2], False)):

            def importing(raw=files[personal]) -> None:
                try:
                    import_plan(load_plan(raw), slug="bench-plan-copy")
                finally:
                    db.session.rollback()

            ms, statements = _timed(importing, heavy, engine)
            _record(name, ms, engine)
            lines.append(
                f"{name:<{NAME_WIDTH}} median {ms:7.1f} ms  queries {statements:3d}  "
                f"bytes {len(files[personal]):,}  "
                f"peak memory {_peak(importing):6.1f} MB  (batches of 1,000 rows)"
                + (f"  (goal ≤ {GOALS[name]:,} ms)" if name in GOALS else "")
            )
    return lines
