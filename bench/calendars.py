"""Calendar feed cases: the public feed of an event with 300 agenda items (with
speakers) and 60 legs, a delegate's personal feed, and the 304 answer to a conditional
request; each timed over HTTP, with the query count.

Two ratios, measured in the same run:

- the builder alone (``build_calendar`` on loaded objects) against bare ``icalendar``
  building the same entries with the same properties and VTIMEZONEs and calling
  ``to_ical()`` (target ≤ 1.5);
- the 304 answer against ``GET /health``, the most trivial request of the app (one
  ``SELECT 1``; target ≤ 2).

The data are made here with bulk inserts into an event of their own: a venue in
Jakarta (WIB) and a port in Makassar (WITA), so legs cross zones; 300 items over three
days, each with one or two speakers; three vans and 60 legs over two trips, every
van on every leg; one delegation of 30 seated delegates.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar, vText
from icalendar import Event as VEvent
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.measure import measure, median
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

NAMES = ("calendar_event_feed", "calendar_personal_feed", "calendar_feed_304")
ITEMS, LEGS, VANS, DELEGATES = 300, 60, 3, 30
#: Targets of the issue.
BUILDER_TARGET, NOT_MODIFIED_TARGET = 1.5, 2.0


def prepare(app: Flask, data: BenchData) -> tuple[int, str, str]:
    """Make the event, its agenda, vans, legs and seats; commit; (event id, slug,
    a delegate's feed token)."""
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
                    "name": "Hotel Bench Jakarta",
                    "kind": PlaceKind.VENUE,
                    "address": "Jl. Gatot Subroto Kav. 1, Jakarta Selatan",
                    "region_id": regions["31.74"],
                    "lat": -6.23,
                    "lon": 106.83,
                },
                {
                    "name": "Pelabuhan Soekarno-Hatta Makassar",
                    "kind": PlaceKind.PORT,
                    "region_id": regions["73.71"],
                    "lat": -5.13,
                    "lon": 119.41,
                },
                {
                    "name": "Hotel Bench Makassar",
                    "kind": PlaceKind.HOTEL,
                    "region_id": regions["73.71"],
                    "lat": -5.14,
                    "lon": 119.42,
                },
            ],
        ).all()
        starts_on = date(TODAY.year + 1, 4, 6)
        slug = "bench-kalender-1"
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
        _agenda(session, event_id, starts_on, (venue, hotel))
        token = _travel(session, event_id, starts_on, (venue, port, hotel))
        session.commit()
        return event_id, slug, token


def _agenda(session, event_id: int, starts_on: date, places) -> None:
    kinds = list(AgendaKind)
    wib = ZoneInfo("Asia/Jakarta")
    rows = []
    for n in range(ITEMS):
        day, slot = divmod(n, ITEMS // 3)
        starts = datetime.combine(
            starts_on + timedelta(days=day), datetime.min.time(), tzinfo=wib
        ) + timedelta(hours=7, minutes=3 * slot)
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


def _travel(session, event_id: int, starts_on: date, places) -> str:
    """Vans, two trips of 30 legs each (Makassar ⇄ Jakarta), a seated delegation."""
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
    for n in range(LEGS):
        trip = trips[0] if n < LEGS // 2 else trips[1]
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
                "feed_token": f"bench-kalender-token-{n:04d}-xxxxxxxx",
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
    return "bench-kalender-token-0000-xxxxxxxx"


# Bare icalendar: the same entries, written straight ----------------------------------


def bare_calendar(feed, vtimezones) -> bytes:
    """The same calendar, properties and VTIMEZONEs with bare icalendar and f-strings:
    what the builder costs beyond the library."""
    event = feed.event
    cal = Calendar()
    cal.add("prodid", "-//Rombongan//Jadwal Acara//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", feed.name)
    cal.add("x-wr-calname", vText(feed.name))
    cal.add("description", feed.description)
    cal.add("x-wr-caldesc", vText(feed.description))
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
    for entry in feed.legs:
        leg = entry.leg
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
        component.add("location", f"{origin.name}, {origin.region.name}")
        component.add("geo", (origin.lat, origin.lon))
        component.add("status", "CONFIRMED")
        component.add("categories", ["Perjalanan", str(leg.mode)])
        cal.add_component(component)
    return cal.to_ical()


def _paired(ours, bare, repeat: int) -> tuple[float, float]:
    """Median ms of two callables timed in turns, so that a busy machine slows both
    alike (one warm-up call each)."""
    ours(), bare()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((ours, times[0]), (bare, times[1])):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return median(times[0]), median(times[1])


def _check(status: int):
    def check(response) -> None:
        if response.status_code != status:
            raise AssertionError(f"HTTP {response.status_code}, expected {status}")

    return check


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data: BenchData,
    repeat: int,
    only: str | None = None,
) -> list[str]:
    """The report lines of the calendar cases (``only``: one of them)."""
    from planner.exports.ical import build_calendar, vtimezone
    from planner.services import feeds

    event_id, slug, token = prepare(app, data)
    # Calendar apps are anonymous: no session cookie on these requests.
    anon = app.test_client()
    lines = []
    public, personal = f"/events/{slug}/calendar.ics", f"/feeds/{token}.ics"

    if only in (None, "calendar_event_feed"):
        result = measure(
            "calendar_event_feed",
            lambda: anon.get(public),
            repeat=repeat,
            engine=engine,
            check=_check(200),
        )
        with app.test_request_context():
            event = db.session.get(Event, event_id)
            feed = feeds.event_feed(event)
            zones = [vtimezone(z) for z in ("Asia/Jakarta", "Asia/Makassar")]
            ours, bare = _paired(
                lambda: build_calendar(feed), lambda: bare_calendar(feed, zones), repeat
            )
            size = len(build_calendar(feed))
        lines.append(
            f"{result.line()}  {len(feed.items)} items + {len(feed.legs)} legs"
            f"  builder {ours:.1f} ms / bare icalendar {bare:.1f} ms"
            f" = ratio {ours / bare:.2f} (target ≤ {BUILDER_TARGET})"
            f"  ({size:,} bytes)"
        )

    if only in (None, "calendar_personal_feed"):
        result = measure(
            "calendar_personal_feed",
            lambda: anon.get(personal),
            repeat=repeat,
            engine=engine,
            check=_check(200),
        )
        lines.append(f"{result.line()}  {LEGS} legs with seat, van and driver")

    if only in (None, "calendar_feed_304"):
        calls = max(repeat, 200)
        etag = anon.get(public).headers["ETag"]
        personal_etag = anon.get(personal).headers["ETag"]

        def public_304():
            return anon.get(public, headers={"If-None-Match": etag})

        def personal_304():
            return anon.get(personal, headers={"If-None-Match": personal_etag})

        def health():
            return anon.get("/health")

        result = measure(
            "calendar_feed_304",
            public_304,
            repeat=calls,
            engine=engine,
            check=_check(304),
        )
        mine = measure(
            "calendar_feed_304",
            personal_304,
            repeat=20,
            engine=engine,
            check=_check(304),
        )
        trivial = measure("health", health, repeat=20, engine=engine)
        # The ratios from calls taken in turns, as the machine's load drifts.
        ours, base = _paired(public_304, health, calls)
        personal_ms, base_2 = _paired(personal_304, health, calls)
        lines.append(
            f"{result.line()}  GET /health {base:.2f} ms ({trivial.queries} query)"
            f" = ratio {ours / base:.2f} (target ≤ {NOT_MODIFIED_TARGET});"
            f"  personal 304 {personal_ms:.2f} ms ({mine.queries} query)"
            f" = ratio {personal_ms / base_2:.2f}"
        )
    return lines
