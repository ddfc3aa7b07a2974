"""Calendar feed cases at two sizes, 300 and 2,000 agenda items (with speakers), so
that query growth and the cost of a 304 at size both show. Each size is an event of
its own, made here with bulk inserts: a venue in Jakarta (WIB) and a port in Makassar
(WITA), so legs cross zones; the items over three days; three vans and legs over two
trips (60, or 200 at the larger size), every van on every leg; one delegation of 30
seated delegates.

Every row prints its figure, its ratio and the goal of issue 16 beside it:

- ``calendar_event_feed`` / ``calendar_personal_feed``: the feed built from nothing
  (caches emptied before every call) and rebuilt after one item changed (a new
  revision: the other VEVENTs come from the cache), as ms per VEVENT against pretalx's
  3.2–3.3 ms (measured in the issue on this machine; goal ≤ 0.65 ms, 5× faster), and
  the builder alone against bare icalendar writing the same entries (the builder
  writes each VEVENT's bytes itself, so its ratio is far below 1);
- ``calendar_feed_queries``: statements of each feed at 300 and at 2,000 items (goal:
  the same);
- ``calendar_feed_304``: the 304 answer of the public and a personal feed against
  ``GET /health`` (one ``SELECT 1``), timed in turns (A, B, A, B) in one run (goal
  ≤ 1.5× at any size);
- ``calendar_feed_repoll``: an unconditional GET of an unchanged feed (Google
  Calendar sends no If-None-Match) against ``GET /health``, in turns (goal ≤ 3× at
  2,000 items).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar, vText
from icalendar import Event as VEvent
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.goals import record
from bench.measure import count_statements, median
from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Leg,
    LegMode,
    Person,
    Place,
    PlaceKind,
    Region,
    SeatAssignment,
    SpeakerRole,
    Trip,
    Vehicle,
    VehicleKind,
    event_organisers,
)
from planner.models.transport import leg_vehicles

#: ``--only calendars`` runs every calendar case.
NAMES = (
    "calendars",
    "calendar_event_feed",
    "calendar_personal_feed",
    "calendar_feed_queries",
    "calendar_feed_304",
    "calendar_feed_repoll",
)
#: Sizes: (agenda items, legs).
SIZES = ((300, 60), (2000, 200))
VANS, DELEGATES = 3, 30
#: pretalx 2025.2.2's schedule.ics, ms per VEVENT (issue 16, this machine).
PRETALX_MS = (3.2, 3.3)
#: Goals of issue 16.
PER_VEVENT_GOAL, NOT_MODIFIED_GOAL, REPOLL_GOAL, BUILDER_GOAL = 0.65, 1.5, 3.0, 1.5


def prepare(app: Flask, data: BenchData, items: int, legs: int) -> tuple[int, str, str]:
    """Make an event with ``items`` agenda items and ``legs`` legs, its vans and
    seats; commit; (event id, slug, a delegate's feed token)."""
    with app.app_context():
        session = db.session
        regions = dict(
            session.execute(
                select(Region.code, Region.id).where(
                    Region.code.in_(["31.74", "73.71"])
                )
            ).all()
        )
        venue, port, hotel = session.scalars(
            insert(Place).returning(Place.id, sort_by_parameter_order=True),
            [
                {
                    "name": f"Hotel Bench Jakarta {items}",
                    "kind": PlaceKind.VENUE,
                    "address": "Jl. Gatot Subroto Kav. 1, Jakarta Selatan",
                    "region_id": regions["31.74"],
                    "lat": -6.23,
                    "lon": 106.83,
                },
                {
                    "name": f"Pelabuhan Soekarno-Hatta Makassar {items}",
                    "kind": PlaceKind.PORT,
                    "region_id": regions["73.71"],
                    "lat": -5.13,
                    "lon": 119.41,
                },
                {
                    "name": f"Hotel Bench Makassar {items}",
                    "kind": PlaceKind.HOTEL,
                    "region_id": regions["73.71"],
                    "lat": -5.14,
                    "lon": 119.42,
                },
            ],
        ).all()
        starts_on = date(TODAY.year + 1, 4, 6)
        slug = f"bench-kalender-{items}"
        event_id = session.scalar(
            insert(Event).returning(Event.id),
            [
                {
                    "kind": EventKind.RAKOR,
                    "title": "Rakor Nasional PSM (uji kalender)",
                    "slug": slug,
                    "organiser_body": "IPSM Pengurus Nasional",
                    "starts_on": starts_on,
                    "ends_on": starts_on + timedelta(days=2),
                    "timezone": "Asia/Jakarta",
                    "status": EventStatus.OPEN,
                    "venue_id": venue,
                }
            ],
        )
        session.execute(
            insert(event_organisers),
            [{"event_id": event_id, "user_id": data.organiser_id}],
        )
        _agenda(session, event_id, starts_on, (venue, hotel), items)
        token = _travel(
            session, event_id, starts_on, (venue, port, hotel), legs, f"{items:05d}"
        )
        session.commit()
        return event_id, slug, token


def _agenda(session, event_id: int, starts_on: date, places, count: int) -> None:
    kinds = list(AgendaKind)
    wib = ZoneInfo("Asia/Jakarta")
    rows = []
    for n in range(count):
        day, slot = divmod(n, -(-count // 3))
        starts = datetime.combine(
            starts_on + timedelta(days=day), datetime.min.time(), tzinfo=wib
        ) + timedelta(hours=7, minutes=(15 * slot) % 840)
        rows.append(
            {
                "event_id": event_id,
                "starts_at": starts.astimezone(UTC),
                "ends_at": (starts + timedelta(minutes=45)).astimezone(UTC),
                "title": f"Sesi {n + 1}: Penguatan peran PSM dalam layanan sosial",
                "kind": kinds[n % len(kinds)],
                "place_id": places[1] if n % 10 == 0 else None,
                "room": f"Ruang {n % 4 + 1}",
                "audience": AgendaAudience.EVERYONE,
                "notes": "Peserta membawa laptop dan bahan paparan." if n % 3 else None,
                "sequence": n % 4,
            }
        )
    ids = session.scalars(
        insert(AgendaItem).returning(AgendaItem.id, sort_by_parameter_order=True), rows
    ).all()
    speakers = []
    for n, item_id in enumerate(ids):
        speakers.append(
            {
                "item_id": item_id,
                "role": SpeakerRole.SPEAKER,
                "position": 0,
                "name": f"Dr. Narasumber {n + 1}, M.Si.",
                "title": "Kepala Bidang Pemberdayaan Sosial",
                "institution": "Dinas Sosial Provinsi",
            }
        )
        if n % 2:
            speakers.append(
                {
                    "item_id": item_id,
                    "role": SpeakerRole.MODERATOR,
                    "position": 1,
                    "name": f"Moderator {n + 1}",
                }
            )
    session.execute(insert(AgendaSpeaker), speakers)


def _travel(
    session, event_id: int, starts_on: date, places, count: int, tag: str
) -> str:
    """Vans, two trips of ``count // 2`` legs each (Makassar ⇄ Jakarta), a seated
    delegation; the feed token of its first delegate."""
    venue, port, hotel = places
    vans = session.scalars(
        insert(Vehicle).returning(Vehicle.id, sort_by_parameter_order=True),
        [
            {
                "event_id": event_id,
                "kind": VehicleKind.TRAVEL_VAN,
                "label": f"Travel {n}",
                "plate": f"DD {1000 + n} KB",
                "seats": 12,
                "driver_name": f"Pengemudi {n}",
                "driver_phone": f"+62812{4440000 + n}",
            }
            for n in range(1, VANS + 1)
        ],
    ).all()
    trips = session.scalars(
        insert(Trip).returning(Trip.id, sort_by_parameter_order=True),
        [
            {"event_id": event_id, "name": "Berangkat", "position": 0},
            {"event_id": event_id, "name": "Pulang", "position": 1},
        ],
    ).all()
    stops = [(port, hotel), (hotel, venue), (venue, port)]
    legs = []
    first = datetime.combine(starts_on, datetime.min.time(), tzinfo=UTC)
    for n in range(count):
        trip = trips[0] if n < count // 2 else trips[1]
        origin, goal = stops[n % len(stops)]
        departs = first - timedelta(days=3) + timedelta(hours=3 * n)
        legs.append(
            {
                "event_id": event_id,
                "trip_id": trip,
                "position": n,
                "from_place_id": origin,
                "to_place_id": goal,
                "mode": LegMode.FERRY if n % 3 == 0 else LegMode.ROAD,
                "departs_at": departs,
                "arrives_at": departs + timedelta(hours=2),
                "carrier": "PT Pelni" if n % 3 == 0 else None,
                "vessel": "KM Bench" if n % 3 == 0 else None,
                "notes": "Kumpul 30 menit sebelum berangkat.",
            }
        )
    leg_ids = session.scalars(
        insert(Leg).returning(Leg.id, sort_by_parameter_order=True), legs
    ).all()
    session.execute(
        insert(leg_vehicles),
        [{"leg_id": leg, "vehicle_id": van} for leg in leg_ids for van in vans],
    )
    region_id = session.scalar(select(Region.id).where(Region.code == "73.71"))
    delegation_id = session.scalar(
        insert(Delegation).returning(Delegation.id),
        [
            {
                "event_id": event_id,
                "region_id": region_id,
                "name": "Kota Makassar",
                "quota": DELEGATES,
                "confirmed_count": DELEGATES,
            }
        ],
    )
    person_ids = session.scalars(
        select(Person.id)
        .order_by(Person.id)
        .offset(DELEGATES * (1 if tag.startswith("00300") else 2))
        .limit(DELEGATES)
    ).all()
    if (
        len(person_ids) < DELEGATES
    ):  # a small database (tests): people may repeat per event
        person_ids = session.scalars(
            select(Person.id).order_by(Person.id).limit(DELEGATES)
        ).all()
    delegate_ids = session.scalars(
        insert(Delegate).returning(Delegate.id, sort_by_parameter_order=True),
        [
            {
                "event_id": event_id,
                "delegation_id": delegation_id,
                "person_id": person_id,
                "role": DelegateRole.PARTICIPANT,
                "status": DelegateStatus.CONFIRMED,
                "feed_token": f"bench-kalender-{tag}-token-{n:04d}-xxxxxxxx",
            }
            for n, person_id in enumerate(person_ids)
        ],
    ).all()
    session.execute(
        insert(SeatAssignment),
        [
            {
                "trip_id": trip,
                "vehicle_id": vans[n % VANS],
                "delegate_id": delegate_id,
                "seat_number": n // VANS + 1,
                "is_pinned": False,
            }
            for trip in trips
            for n, delegate_id in enumerate(delegate_ids)
        ],
    )
    return f"bench-kalender-{tag}-token-0000-xxxxxxxx"


# Bare icalendar: the same entries, written straight ----------------------------------


def bare_calendar(feed, vtimezones) -> bytes:
    """The same calendar, properties and VTIMEZONEs with bare icalendar and f-strings,
    from the same plain data: what the builder costs beyond the library."""
    event = feed.event
    cal = Calendar()
    cal.add("prodid", "-//Rombongan//Jadwal Acara//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", event.title)
    cal.add("x-wr-calname", vText(event.title))
    cal.add("description", event.organiser_body)
    cal.add("x-wr-caldesc", vText(event.organiser_body))
    cal.add("x-wr-timezone", event.timezone)
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for tz in vtimezones:
        cal.add_component(tz)
    zone = ZoneInfo(event.timezone)
    for item in feed.items:
        place = item.place or event.venue
        text = "\n".join(
            [f"{item.kind} · {item.starts_at:%H.%M}–{item.ends_at:%H.%M} WIB"]
            + [
                f"{s.role}: {s.name} ({s.title}, {s.institution})"
                for s in item.speakers
            ]
            + ([item.notes] if item.notes else [])
        )
        component = VEvent()
        component.add("uid", f"agenda-{item.id}@rombongan.id")
        component.add("sequence", item.sequence)
        component.add("dtstamp", item.updated_at)
        component.add("last-modified", item.updated_at)
        component.add("created", item.created_at)
        component.add("dtstart", item.starts_at.astimezone(zone))
        component.add("dtend", item.ends_at.astimezone(zone))
        component.add("summary", item.title)
        component.add("description", text)
        component.add("location", f"{item.room}, {place.name}, {place.address}")
        component.add("geo", (place.lat, place.lon))
        component.add("status", "CONFIRMED")
        component.add("categories", [str(item.kind)])
        cal.add_component(component)
    for leg in feed.legs:
        origin, goal = leg.from_place, leg.to_place
        text = "\n".join(
            [
                f"{leg.mode} · {leg.carrier} · {leg.vessel}",
                f"Berangkat: {origin.name}, {leg.departs_at:%d %B %Y · %H.%M}",
                f"Tiba: {goal.name}, {leg.arrives_at:%d %B %Y · %H.%M}",
                "Kendaraan: " + ", ".join(v.label for v in leg.vehicles),
                leg.notes or "",
            ]
        )
        component = VEvent()
        component.add("uid", f"leg-{leg.id}@rombongan.id")
        component.add("sequence", leg.sequence)
        component.add("dtstamp", leg.updated_at)
        component.add("last-modified", leg.updated_at)
        component.add("created", leg.created_at)
        component.add("dtstart", leg.departs_at.astimezone(ZoneInfo(origin.timezone)))
        component.add("dtend", leg.arrives_at.astimezone(ZoneInfo(goal.timezone)))
        component.add("summary", f"{leg.mode}: {origin.name} → {goal.name}")
        component.add("description", text)
        component.add("location", f"{origin.name}, {origin.region_name}")
        component.add("geo", (origin.lat, origin.lon))
        component.add("status", "CONFIRMED")
        component.add("categories", ["Perjalanan", str(leg.mode)])
        cal.add_component(component)
    return cal.to_ical()


# Timing -------------------------------------------------------------------------------


def _paired(ours, bare, repeat: int, before=None) -> tuple[float, float]:
    """Median ms of two callables timed in turns (A, B, A, B), so that a busy machine
    slows both alike (one warm-up call each); ``before`` runs untimed before each."""
    for fn in (ours, bare):
        if before:
            before()
        fn()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((ours, times[0]), (bare, times[1])):
            if before:
                before()
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return median(times[0]), median(times[1])


def _timed(fn, repeat: int, before=None) -> float:
    """Median ms of ``fn``, with ``before`` run untimed before each call."""
    times = []
    for _ in range(repeat + 1):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return median(times[1:])


def _check(response, status: int = 200) -> None:
    if response.status_code != status:
        raise AssertionError(f"HTTP {response.status_code}, expected {status}")


def _fetch(client: FlaskClient, url: str, etag: str | None = None) -> None:
    """GET ``url`` (conditionally with ``etag``) and check the status."""
    if etag is None:
        _check(client.get(url))
    else:
        _check(client.get(url, headers={"If-None-Match": etag}), 304)


def _queries(engine: Engine, fn) -> int:
    with count_statements(engine) as statements:
        fn()
    return len(statements)


@dataclass
class _Size:
    items: int
    legs: int
    event_id: int
    slug: str
    token: str
    public_entries: int = 0
    personal_entries: int = 0


def _goal(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data: BenchData,
    repeat: int,
    only: str | None = None,
) -> list[str]:
    """The report lines of the calendar cases (``only``: one group of them)."""
    from planner.blueprints.feeds.cache import feed_cache
    from planner.exports.ical import build_calendar, vtimezone
    from planner.services import feeds

    if only == "calendars":
        only = None
    sizes = []
    for items, legs in SIZES:
        event_id, slug, token = prepare(app, data, items, legs)
        sizes.append(_Size(items, legs, event_id, slug, token))
    # Calendar apps are anonymous: no session cookie on these requests.
    anon = app.test_client()
    cache = feed_cache(app)
    lines: list[str] = []
    width = 28

    def urls(size: _Size) -> tuple[str, str]:
        return f"/events/{size.slug}/calendar.ics", f"/feeds/{size.token}.ics"

    def touch(size: _Size):
        """Change one item (a new revision of the event), outside the timing."""
        counter = iter(range(10**9))

        def change() -> None:
            with app.app_context():
                item = db.session.scalars(
                    select(AgendaItem).filter_by(event_id=size.event_id).limit(1)
                ).one()
                item.notes = f"Catatan {next(counter)}"
                db.session.commit()

        return change

    for size in sizes:
        public, personal = urls(size)
        with app.app_context():
            size.public_entries = (
                len(anon.get(public).get_data().split(b"BEGIN:VEVENT")) - 1
            )
            size.personal_entries = (
                len(anon.get(personal).get_data().split(b"BEGIN:VEVENT")) - 1
            )

    def want(name: str) -> bool:
        return only in (None, name)

    low, high = PRETALX_MS

    for name, pick, entries in (
        ("calendar_event_feed", 0, "public_entries"),
        ("calendar_personal_feed", 1, "personal_entries"),
    ):
        if not want(name):
            continue
        for size in sizes:
            url = urls(size)[pick]
            n = getattr(size, entries)
            cold = _timed(partial(_fetch, anon, url), repeat, before=cache.clear)
            warm = _timed(partial(_fetch, anon, url), repeat, before=touch(size))
            per_cold, per_warm = cold / n, warm / n
            for moment, per in (
                ("from nothing", per_cold),
                ("after one change", per_warm),
            ):
                record(
                    f"{name}_{size.items} {moment}",
                    f"{per:.3f} ms/VEVENT ({low / per:.1f}× pretalx)",
                    f"≤ {PER_VEVENT_GOAL} ms (5×)",
                    per <= PER_VEVENT_GOAL,
                )
            lines.append(
                f"{name + f'_{size.items}':<{width}} {n:,} VEVENTs  "
                f"from nothing {cold:7.1f} ms = {per_cold:.3f} ms/VEVENT "
                f"(pretalx {low}–{high} ms: {low / per_cold:.1f}× faster; goal ≤ "
                f"{PER_VEVENT_GOAL} ms, {_goal(per_cold <= PER_VEVENT_GOAL)});  "
                f"after one change {warm:6.1f} ms = {per_warm:.3f} ms/VEVENT "
                f"({low / per_warm:.1f}× faster; {_goal(per_warm <= PER_VEVENT_GOAL)})"
            )

    if want("calendar_event_feed"):
        size = sizes[-1]
        with app.test_request_context():
            feed = feeds.public_feed(size.event_id)
            zones = [vtimezone(z) for z in ("Asia/Jakarta", "Asia/Makassar")]
            ours, bare = _paired(
                lambda: build_calendar(feed),
                lambda: bare_calendar(feed, zones),
                max(repeat // 2, 3),
            )
        record(
            f"calendar_builder_{size.items} / bare icalendar",
            f"ratio {ours / bare:.2f}",
            f"≤ {BUILDER_GOAL}",
            ours / bare <= BUILDER_GOAL,
        )
        lines.append(
            f"{'calendar_builder_' + str(size.items):<{width}} builder alone "
            f"{ours:.1f} ms / bare icalendar {bare:.1f} ms = ratio {ours / bare:.2f} "
            f"(goal ≤ {BUILDER_GOAL}, {_goal(ours / bare <= BUILDER_GOAL)})  "
            "[bare: every VEVENT an icalendar Event, the calendar's to_ical(), plain "
            "f-string texts; builder: the same entries with Indonesian labels, dates, "
            "speakers and a digest each, every VEVENT written straight to bytes "
            "(ical_writer, byte-equal to icalendar's in the tests), the header "
            "through icalendar]"
        )

    if want("calendar_feed_queries"):
        counts = []
        for size in sizes:
            row = []
            for url in urls(size):
                cache.clear()
                touch(size)()
                row.append(_queries(engine, lambda u=url: _check(anon.get(u))))
            counts.append(row)
        (p1, d1), (p2, d2) = counts
        for label, small, large in (("public", p1, p2), ("personal", d1, d2)):
            record(
                f"calendar_feed_queries {label}",
                f"{small} → {large} ({SIZES[0][0]} → {SIZES[1][0]} items)",
                "constant",
                small == large,
            )
        lines.append(
            f"{'calendar_feed_queries':<{width}} public {p1} → {p2}, personal "
            f"{d1} → {d2} ({SIZES[0][0]} → {SIZES[1][0]} items; pretalx 8 → 8; "
            f"goal constant, {_goal(p1 == p2 and d1 == d2)})"
        )

    health = lambda: _check(anon.get("/health"))  # noqa: E731
    if want("calendar_feed_304"):
        calls = max(repeat, 100)
        for size in sizes:
            parts = []
            for label, url in zip(("public", "personal"), urls(size), strict=True):
                tag = anon.get(url).headers["ETag"]
                queries = _queries(
                    engine,
                    partial(_fetch, anon, url, tag),
                )
                ours, base = _paired(
                    partial(_fetch, anon, url, tag),
                    health,
                    calls,
                )
                record(
                    f"calendar_feed_304_{size.items} {label}",
                    f"ratio {ours / base:.2f} to /health, {queries} query",
                    f"≤ {NOT_MODIFIED_GOAL}",
                    ours / base <= NOT_MODIFIED_GOAL,
                )
                parts.append(
                    f"{label} {ours:.2f} ms ({queries} query) = ratio "
                    f"{ours / base:.2f} ({_goal(ours / base <= NOT_MODIFIED_GOAL)})"
                )
            lines.append(
                f"{'calendar_feed_304_' + str(size.items):<{width}} GET /health "
                f"{base:.2f} ms; "
                + "; ".join(parts)
                + f"  (goal ≤ {NOT_MODIFIED_GOAL})"
            )

    if want("calendar_feed_repoll"):
        calls = max(repeat, 50)
        for size in sizes:
            parts = []
            for label, url in zip(("public", "personal"), urls(size), strict=True):
                body = anon.get(url).get_data()
                queries = _queries(engine, partial(_fetch, anon, url))
                ours, base = _paired(partial(_fetch, anon, url), health, calls)
                record(
                    f"calendar_feed_repoll_{size.items} {label}",
                    f"ratio {ours / base:.2f} to /health, {queries} query",
                    f"≤ {REPOLL_GOAL}",
                    ours / base <= REPOLL_GOAL,
                )
                parts.append(
                    f"{label} {ours:.2f} ms ({queries} query, {len(body):,} bytes) = "
                    f"ratio {ours / base:.2f} ({_goal(ours / base <= REPOLL_GOAL)})"
                )
            lines.append(
                f"{'calendar_feed_repoll_' + str(size.items):<{width}} GET /health "
                f"{base:.2f} ms; " + "; ".join(parts) + f"  (goal ≤ {REPOLL_GOAL} at "
                f"{SIZES[1][0]} items)"
            )
    return lines
