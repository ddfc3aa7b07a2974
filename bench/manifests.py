"""Manifest case: the driver's copies of all vehicles of a trip as one PDF, timed over
HTTP and as the builder alone, in turns, against bare fpdf2 drawing the same passenger
rows with ``text()`` and ``line()`` (the ratio; see :func:`bench.rosters.bare_pdf`).

The data are made here with bulk inserts into an event of their own: every generated
person as a confirmed delegate (one delegation per regency/city), buses of 50 seats
(200 buses for 10,000 people), one trip with a road leg and a ferry leg carrying every
bus, and every delegate seated.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.measure import NAME_WIDTH, in_turns, measure
from bench.rosters import TURNS, _event, _fill, bare_pdf, ratio_line
from planner.extensions import db
from planner.models import (
    Delegate,
    Leg,
    LegMode,
    Person,
    Place,
    Region,
    SeatAssignment,
    Trip,
    Vehicle,
    VehicleKind,
)
from planner.models.transport import leg_vehicles

NAMES = ("manifests_all_vehicles_pdf",)
#: Goal of issue 16: builder time over the bare library's.
PDF_GOAL = 1.5
SEATS = 50


def prepare(app: Flask, data: BenchData) -> tuple[int, int, int]:
    """Make the event, buses, trip, legs and seats; commit; (event, trip, rows)."""
    with app.app_context():
        session = db.session
        regions = {i: n for i, n in session.execute(select(Region.id, Region.name))}
        people = list(
            session.execute(select(Person.id, Person.region_id).order_by(Person.id))
        )
        event_id = _event(
            session, data.organiser_id, "Tur PSM Nasional (uji manifes)", "bench-man-1"
        )
        _fill(session, event_id, people, regions)
        delegates = list(
            session.scalars(
                select(Delegate.id)
                .where(Delegate.event_id == event_id)
                .order_by(Delegate.delegation_id, Delegate.id)
            )
        )
        buses = math.ceil(len(delegates) / SEATS)
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
        trip_id = session.scalar(
            insert(Trip).returning(Trip.id),
            [{"event_id": event_id, "name": "Berangkat", "position": 0}],
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
        start = datetime(TODAY.year + 1, 3, 2, 20, 0, tzinfo=UTC)
        leg_ids = list(
            session.scalars(
                insert(Leg).returning(Leg.id, sort_by_parameter_order=True),
                [
                    {
                        "event_id": event_id,
                        "trip_id": trip_id,
                        "position": 1,
                        "from_place_id": ports["port:bakauheni"],
                        "to_place_id": ports["port:merak"],
                        "mode": LegMode.FERRY,
                        "departs_at": start,
                        "arrives_at": start + timedelta(hours=2),
                        "carrier": "ASDP Indonesia Ferry",
                        "vessel": "KMP Bench",
                    },
                    {
                        "event_id": event_id,
                        "trip_id": trip_id,
                        "position": 2,
                        "from_place_id": ports["port:merak"],
                        "to_place_id": ports["port:tanjung-priok"],
                        "mode": LegMode.ROAD,
                        "departs_at": start + timedelta(hours=3),
                        "arrives_at": start + timedelta(hours=6),
                    },
                ],
            )
        )
        session.execute(
            insert(leg_vehicles),
            [{"leg_id": leg, "vehicle_id": v} for leg in leg_ids for v in vehicle_ids],
        )
        session.execute(
            insert(SeatAssignment),
            [
                {
                    "trip_id": trip_id,
                    "vehicle_id": vehicle_ids[i // SEATS],
                    "delegate_id": delegate_id,
                    "seat_number": i % SEATS + 1,
                    "is_pinned": False,
                }
                for i, delegate_id in enumerate(delegates)
            ],
        )
        session.commit()
        return event_id, trip_id, len(delegates)


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data: BenchData,
    repeat: int,
    only: str | None = None,
) -> list[str]:
    """The report line of the manifest case."""
    from planner.exports.manifests import vehicle_manifests_pdf
    from planner.services.manifests import (
        load_trip,
        load_vehicle_manifests,
        trip_vehicles,
    )

    event_id, trip_id, count = prepare(app, data)
    heavy = max(1, min(repeat, 3))
    name = "manifests_all_vehicles_pdf"
    path = f"/events/{event_id}/manifests/trips/{trip_id}/vehicles.pdf"
    probe = client.get(path)
    if probe.status_code != 200:
        return [f"{name:<{NAME_WIDTH}} skipped (FAILED: HTTP {probe.status_code})"]
    line = measure(
        name, lambda: client.get(path), repeat=heavy, warmup=0, engine=engine
    ).line()
    with app.test_request_context():
        from planner.exports.manifests import _passenger_columns
        from planner.exports.pdf import Document, Table

        trip = load_trip(event_id, trip_id)
        manifests = load_vehicle_manifests(trip, trip_vehicles(trip))
        columns = _passenger_columns()
        # The lines the builder draws in each cell, wrapped as it wraps them.
        table = Table(Document(), columns)
        rows = []
        for m in manifests:
            for n, p in enumerate(m.passengers, start=1):
                cells = table.cell_lines(
                    [
                        str(n),
                        str(p.seat or ""),
                        p.name,
                        p.sex,
                        p.delegation,
                        p.head_phone,
                    ]
                )
                rows.append((table.height_of(cells), cells))
        table.pdf.close_fonts()
        texts = sum(len(x) for _, cells in rows for x in cells)
        widths = [c.width for c in columns]
        times = in_turns(
            {
                "builder": lambda: vehicle_manifests_pdf(manifests),
                "bare fpdf2": lambda: bare_pdf(rows, widths),
            },
            repeat=max(1, min(repeat, TURNS)),
        )
    return [
        ratio_line(
            f"{line}  rows {count:,} in {len(manifests)} vehicles",
            times,
            "builder",
            "bare fpdf2",
            PDF_GOAL,
        )
        + f"  [bare: the same {texts:,} text lines and rules with text()/line(),"
        " regular font only, page after page; builder also: each vehicle from a new"
        " page with title block, facts, route table and signature space, headings"
        " and title on every page, right-aligned and centred cells, the"
        " \u201cBelum mendapat kursi\u201d rows and PERHATIAN banner when some have"
        " no seat, page numbers, the bold font]"
    ]
