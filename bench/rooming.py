"""Automatic room assignment at 1,000 and 10,000 delegates: its time at each size and
the ratio t(10k)/t(1k), which must stay near 10 (near-linear, at most 12). And the
rooming list of a large hotel as PDF (``rooming_list_pdf``): 2,000 occupants over
three nights, timed over HTTP and as the builder alone, in turns, against bare fpdf2
drawing the same rows with ``text()`` and ``line()`` (see
:func:`bench.rosters.bare_pdf`; goal of issue 16: at most 1.5 times).

The data are made here with bulk inserts, from the generated people: two events, each
with every delegate confirmed, in delegations of about 19.5 people with a head each,
one hotel stay per 200 delegates (50 hotels at 10,000) on the same two nights, each
with rooms for about 5 % more people than it should hold (triples, twins and
singles, a few dormitories). Each timed call runs ``auto_assign_rooms`` on empty
rooms and is rolled back, so every call does the full work.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.measure import NAME_WIDTH, in_turns, measure, median
from bench.rosters import TURNS, bare_pdf, ratio_line
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
    Place,
    PlaceKind,
    Room,
    RoomType,
    Stay,
    event_organisers,
)

NAMES = ("room_assignment_1k", "room_assignment_10k")
PDF_NAMES = ("rooming_list_pdf",)
#: Goal of issue 16: builder time over the bare library's.
PDF_GOAL = 1.5
#: The rooming list's hotel: its occupants and nights.
LIST_OCCUPANTS = 2_000
LIST_NIGHTS = 3
PER_DELEGATION = 10_000 / 514
#: Delegates per hotel (50 hotels at 10,000).
PER_HOTEL = 200
#: Rooms of each hotel, in turn: (type, beds) — 45 triples, 25 twins, 9 singles and
#: two dormitories of 8: 210 beds.
ROOM_MIX = (
    [(RoomType.TRIPLE, 3)] * 45
    + [(RoomType.TWIN, 2)] * 25
    + [(RoomType.SINGLE, 1)] * 9
    + [(RoomType.DORMITORY, 8)] * 2
)


def _event(
    session,
    size: int,
    people: list[int],
    *,
    hotels: int | None = None,
    nights: int = 2,
    slug: str | None = None,
) -> int:
    """An event with ``size`` confirmed delegates in delegations and ``hotels`` hotels
    (one per :data:`PER_HOTEL` delegates unless told) booked for ``nights``; its id."""
    starts = TODAY.replace(year=TODAY.year + 1)
    event_id = session.scalar(
        insert(Event).returning(Event.id),
        [
            {
                "kind": EventKind.OTHER,
                "title": f"Jambore PSM (uji kamar {size:,})",
                "slug": slug or f"bench-rooms-{size}",
                "organiser_body": "IPSM Pengurus Nasional",
                "starts_on": starts,
                "ends_on": starts + timedelta(days=nights),
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
                    "name": f"Delegasi kamar {n + 1:03d}",
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
    hotels = hotels or max(1, size // PER_HOTEL)
    rooms_each = max(1, round(size / hotels / PER_HOTEL))
    place_ids = list(
        session.scalars(
            insert(Place).returning(Place.id, sort_by_parameter_order=True),
            [
                {
                    "name": f"Hotel Uji {size}-{n + 1}",
                    "kind": PlaceKind.HOTEL,
                    "address": f"Jl. Jenderal Sudirman Kav. {n + 1}, Jakarta Pusat",
                }
                for n in range(hotels)
            ],
        )
    )
    stay_ids = list(
        session.scalars(
            insert(Stay).returning(Stay.id, sort_by_parameter_order=True),
            [
                {
                    "event_id": event_id,
                    "place_id": place_id,
                    "check_in_on": starts,
                    "check_out_on": starts + timedelta(days=nights),
                }
                for place_id in place_ids
            ],
        )
    )
    session.execute(
        insert(Room),
        [
            {
                "stay_id": stay_id,
                "label": f"{n + 101}",
                "room_type": room_type,
                "beds": beds,
                "rate": 400_000,
                "is_family": False,
                "position": n,
            }
            for stay_id in stay_ids
            for n, (room_type, beds) in enumerate(ROOM_MIX * rooms_each)
        ],
    )
    return event_id


def run(app: Flask, data: BenchData, repeat: int, only: str | None = None) -> list[str]:
    """The report lines of the room-assignment cases; either name in ``only`` runs
    both sizes, since the ratio needs them."""
    from planner.services.rooms import auto_assign_rooms

    sizes = {}
    with app.app_context():
        people = list(db.session.scalars(select(Person.id).order_by(Person.id)))
        small = min(1_000, max(len(people) // 10, 1))
        for name, size in zip(NAMES, (small, len(people)), strict=True):
            if size:
                sizes[name] = (size, _event(db.session, size, people))
        db.session.commit()

    times: dict[str, float] = {}
    lines = []
    heavy = max(1, min(repeat, 5))
    for name, (size, event_id) in sizes.items():
        runs = []
        with app.test_request_context():
            for n in range(heavy + 1):
                event = db.session.get(Event, event_id)
                start = time.perf_counter()
                result = auto_assign_rooms(event)
                elapsed = (time.perf_counter() - start) * 1000
                db.session.rollback()
                if n:  # the first call warms up
                    runs.append(elapsed)
        times[name] = median(runs)
        lines.append(
            f"{name:<{NAME_WIDTH}} median {times[name]:7.1f} ms  delegates {size:,}  "
            f"hotels {max(1, size // PER_HOTEL)}  placed {result.placed:,}  "
            f"unplaced {len(result.unplaced):,}  rooms used {result.rooms_used:,}"
        )
    if len(times) == 2:
        small_t, large_t = times[NAMES[0]], times[NAMES[1]]
        (small_n, _), (large_n, _) = sizes[NAMES[0]], sizes[NAMES[1]]
        lines.append(
            f"{'room_assignment_ratio':<{NAME_WIDTH}} ratio t(10k)/t(1k) "
            f"{large_t / small_t:.1f} for {large_n / small_n:.0f}× the delegates "
            "(near-linear: at most 12)"
        )
    return lines


def prepare_list(app: Flask, data: BenchData) -> tuple[int, int, int]:
    """One hotel of :data:`LIST_OCCUPANTS` guests for :data:`LIST_NIGHTS` nights, every
    bed given by the automatic assignment, organised by the bench's organiser;
    (event id, stay id, occupants)."""
    from planner.services.rooms import auto_assign_rooms

    with app.app_context():
        people = list(db.session.scalars(select(Person.id).order_by(Person.id)))
        size = min(LIST_OCCUPANTS, len(people))
        event_id = _event(
            db.session,
            size,
            people,
            hotels=1,
            nights=LIST_NIGHTS,
            slug="bench-rooming-list",
        )
        db.session.execute(
            insert(event_organisers),
            [{"event_id": event_id, "user_id": data.organiser_id}],
        )
        db.session.commit()
    with app.test_request_context():
        placed = auto_assign_rooms(db.session.get(Event, event_id)).placed
        db.session.commit()
        stay_id = db.session.scalar(select(Stay.id).filter_by(event_id=event_id))
    return event_id, stay_id, placed


def run_list(
    app: Flask, client: FlaskClient, engine: Engine, data: BenchData, repeat: int
) -> list[str]:
    """The report line of the rooming-list PDF."""
    from planner.exports.pdf import MARGIN, Document, Table
    from planner.exports.rooming import (
        PDF_FONT_SIZE,
        RowCells,
        pdf_columns,
        rooming_pdf,
    )
    from planner.services.rooms.listing import rooming_list

    name = PDF_NAMES[0]
    event_id, stay_id, placed = prepare_list(app, data)
    path = f"/events/{event_id}/rooms/stays/{stay_id}/rooming.pdf"
    probe = client.get(path)
    if probe.status_code != 200:
        return [f"{name:<{NAME_WIDTH}} skipped (FAILED: HTTP {probe.status_code})"]
    heavy = max(1, min(repeat, 3))
    line = measure(
        name, lambda: client.get(path), repeat=heavy, warmup=0, engine=engine
    ).line()
    with app.test_request_context():
        listing = rooming_list(db.session.get(Stay, stay_id))
        # The lines the builder draws in each cell, wrapped as it wraps them, in its
        # columns and font size.
        pdf = Document()
        table = Table(pdf, pdf_columns(pdf.w - 2 * MARGIN), font_size=PDF_FONT_SIZE)
        rows, row_cells = [], RowCells()
        for night in listing.nights:
            for row in night.rows:
                cells = table.cell_lines(row_cells.pdf(row))
                rows.append((table.height_of(cells), cells))
        table.pdf.close_fonts()
        texts = sum(len(x) for _, cells in rows for x in cells)
        widths = [c.width for c in table.columns]
        times = in_turns(
            {
                "builder": lambda: rooming_pdf(listing),
                "bare fpdf2": lambda: bare_pdf(rows, widths, font_size=table.font_size),
            },
            repeat=max(1, min(repeat, TURNS)),
        )
    return [
        ratio_line(
            f"{line}  rows {len(rows):,} ({placed:,} guests × {LIST_NIGHTS} nights)",
            times,
            "builder",
            "bare fpdf2",
            PDF_GOAL,
        )
        + f"  [bare: the same {texts:,} text lines and rules with text()/line(),"
        " regular font only, page after page; builder also: each night from a new"
        " page, hotel, event, address and dates atop every page (bold title,"
        " wrapped), headings on every page, the night's subheading with its count"
        " and \u201c(lanjutan)\u201d after a break, centred cells, page numbers, the"
        " bold font]"
    ]
