"""National-scale data for the bench: people from all 514 regencies/cities, many events.

:func:`generate` runs the :data:`STEPS` in order; each step reads and extends one
:class:`Context`. Later features (delegations, vehicles, agenda) add a step here rather
than a second generator. Rows go in with bulk ``insert()`` statements, not one ORM
object each.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.people import FakePeople
from planner.models import (
    CoordinateSource,
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
    Region,
    RegionKind,
    SocialPillar,
    User,
    event_organisers,
)
from planner.services.regions import load_regions

#: The bench's "today": events before it are finished, after it open or draft.
TODAY = date(2026, 11, 22)

ORGANISER_EMAIL = "bench.panitia@rombongan.test"
ORGANISER_PASSWORD = "bench-panitia-2024"

#: Share of each social pillar among generated people (the rest are PSM).
PILLAR_SHARE = {
    SocialPillar.TKSK: 0.08,
    SocialPillar.KARANG_TARUNA: 0.05,
    SocialPillar.PENDAMPING_PKH: 0.05,
    SocialPillar.PEKSOS: 0.02,
}

#: Capacity range per kind of event (DOMAIN.md, "Typical figures to design for").
CAPACITY = {
    EventKind.STUDY_TOUR: (10, 40),
    EventKind.RAKOR: (50, 200),
    EventKind.BIMTEK: (200, 500),
    EventKind.CAPACITY_BUILDING: (30, 120),
    EventKind.OTHER: (20, 300),
}

_KIND_WORD = {
    EventKind.STUDY_TOUR: "Tour dan Studi Banding PSM",
    EventKind.RAKOR: "Rakor IPSM",
    EventKind.BIMTEK: "Bimbingan Teknis PSM",
    EventKind.CAPACITY_BUILDING: "Peningkatan Kapasitas PSM",
    EventKind.OTHER: "Temu PSM",
}


@dataclass(frozen=True)
class RegionRow:
    """The columns of a region the generator needs."""

    id: int
    code: str
    name: str
    kind: RegionKind
    parent_id: int | None
    timezone: str
    lat: float | None
    lon: float | None


@dataclass
class BenchData:
    """What was generated: ids the measured cases need, and counts per table."""

    organiser_id: int = 0
    organiser_email: str = ORGANISER_EMAIL
    organiser_password: str = ORGANISER_PASSWORD
    event_ids: list[int] = field(default_factory=list)
    #: The event with the largest capacity (the national one).
    largest_event_id: int = 0
    #: The national event's delegations (one per regency/city) hold the delegates.
    delegation_event_id: int = 0
    #: Its largest delegation (500 delegates: the big-roster page).
    large_delegation_id: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Context:
    """Shared state of one generation run, passed to every step."""

    session: Session
    people: int
    events: int
    seed: int
    rng: random.Random
    faces: FakePeople
    provinces: list[RegionRow] = field(default_factory=list)
    regencies: list[RegionRow] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    place_ids: list[int] = field(default_factory=list)
    data: BenchData = field(default_factory=BenchData)


def _regions(ctx: Context) -> None:
    """Load the shipped regions (idempotent) and keep their rows at hand."""
    load_regions()
    ctx.session.flush()
    rows = ctx.session.execute(
        select(
            Region.id,
            Region.code,
            Region.name,
            Region.kind,
            Region.parent_id,
            Region.timezone,
            Region.lat,
            Region.lon,
        ).order_by(Region.code)
    )
    for row in rows:
        region = RegionRow(*row)
        (ctx.provinces if region.parent_id is None else ctx.regencies).append(region)


def _people(ctx: Context) -> None:
    """People spread over every regency/city in turn (shuffled), most of them PSM."""
    regencies = list(ctx.regencies)
    ctx.rng.shuffle(regencies)
    pillars = list(PILLAR_SHARE)
    cumulative = []
    total = 0.0
    for pillar in pillars:
        total += PILLAR_SHARE[pillar]
        cumulative.append(total)
    rows = []
    for i in range(ctx.people):
        region = regencies[i % len(regencies)]
        row = ctx.faces.person(region.code)
        draw = ctx.rng.random()
        pillar = next(
            (p for p, c in zip(pillars, cumulative, strict=True) if draw < c),
            SocialPillar.PSM,
        )
        chapter = f"IPSM {region.name}"
        if pillar == SocialPillar.PSM:
            # The first person of each regency chairs its chapter.
            position = (
                f"Ketua {chapter}" if i < len(regencies) else f"PSM {region.name}"
            )
            institution = chapter
        else:
            position = None
            institution = f"Dinas Sosial {region.name}"
        row.update(
            region_id=region.id,
            pillar=pillar,
            position=position,
            institution=institution,
        )
        rows.append(row)
    if rows:
        ctx.session.execute(insert(Person), rows)
    ctx.person_ids = list(ctx.session.scalars(select(Person.id).order_by(Person.id)))
    ctx.data.counts["people"] = len(rows)


def _seat_of(ctx: Context, province: RegionRow) -> RegionRow:
    """A regency/city of the province (the first "Kota" when there is one)."""
    children = [r for r in ctx.regencies if r.parent_id == province.id]
    cities = [r for r in children if r.kind == RegionKind.KOTA]
    return (cities or children)[0]


def _events(ctx: Context) -> None:
    """Events of every kind and status over 2024–2027, each with its own venue.

    The first is a national event in Jakarta, as large as the people generated (at
    least 1,000, so it stays the largest).
    """
    rng = ctx.rng
    by_code = {r.code: r for r in ctx.provinces}
    kinds = list(EventKind)
    specs = []
    for n in range(ctx.events):
        if n == 0:
            province = by_code["31"]
            kind = EventKind.OTHER
            title = f"Jambore Nasional PSM {TODAY.year + 1}"
            capacity = max(ctx.people, 1_000)  # above every regional event
            starts_on = date(TODAY.year + 1, 8, 10)
            days = 4
            status = EventStatus.OPEN
        else:
            province = rng.choice(ctx.provinces)
            kind = kinds[n % len(kinds)]
            starts_on = date(2024, 1, 8) + timedelta(days=rng.randrange(4 * 365))
            title = f"{_KIND_WORD[kind]} Provinsi {province.name} {starts_on.year}"
            capacity = rng.randint(*CAPACITY[kind])
            days = 5 if kind == EventKind.STUDY_TOUR else rng.randint(1, 3)
            if starts_on < TODAY:
                status = rng.choices(
                    (EventStatus.FINISHED, EventStatus.CANCELLED), (9, 1)
                )[0]
            else:
                status = rng.choice(
                    (EventStatus.DRAFT, EventStatus.OPEN, EventStatus.CLOSED)
                )
        seat = _seat_of(ctx, province)
        lat = (seat.lat or province.lat or -6.2) + rng.uniform(-0.02, 0.02)
        lon = (seat.lon or province.lon or 106.8) + rng.uniform(-0.02, 0.02)
        specs.append(
            {
                "place": {
                    "name": f"Aula Dinas Sosial {province.name} ({n + 1})",
                    "kind": PlaceKind.VENUE,
                    "address": f"{seat.name}, {province.name}",
                    "region_id": seat.id,
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "coordinate_source": CoordinateSource.MANUAL,
                },
                "event": {
                    "kind": kind,
                    "title": title,
                    "slug": f"bench-{ctx.seed}-{n + 1}",
                    "organiser_body": f"IPSM Provinsi {province.name}",
                    "host_region_id": province.id,
                    "starts_on": starts_on,
                    "ends_on": starts_on + timedelta(days=days - 1),
                    "timezone": province.timezone,
                    "capacity": capacity,
                    "status": status,
                    "description": f"{title}: kegiatan buatan untuk uji beban.",
                    "cancelled_reason": "Anggaran dialihkan (uji beban)."
                    if status == EventStatus.CANCELLED
                    else None,
                },
            }
        )
    if not specs:
        return
    ctx.place_ids = list(
        ctx.session.scalars(
            insert(Place).returning(Place.id, sort_by_parameter_order=True),
            [s["place"] for s in specs],
        )
    )
    event_rows = [
        {**s["event"], "venue_id": place_id}
        for s, place_id in zip(specs, ctx.place_ids, strict=True)
    ]
    ctx.data.event_ids = list(
        ctx.session.scalars(
            insert(Event).returning(Event.id, sort_by_parameter_order=True),
            event_rows,
        )
    )
    largest = max(
        zip(ctx.data.event_ids, event_rows, strict=True),
        key=lambda pair: pair[1]["capacity"],
    )
    ctx.data.largest_event_id = largest[0]
    ctx.data.counts["places"] = len(specs)
    ctx.data.counts["events"] = len(event_rows)


def _organiser(ctx: Context) -> None:
    """One organiser account who runs every generated event."""
    user = User(
        email=ORGANISER_EMAIL,
        display_name="Panitia Uji Beban",
        is_organiser=True,
    )
    user.set_password(ORGANISER_PASSWORD)
    ctx.session.add(user)
    ctx.session.flush()
    ctx.data.organiser_id = user.id
    if ctx.data.event_ids:
        ctx.session.execute(
            insert(event_organisers),
            [{"event_id": e, "user_id": user.id} for e in ctx.data.event_ids],
        )
    ctx.data.counts["users"] = 1


#: Delegates in the national event, and in its one large delegation.
DELEGATES = 10_000
LARGE_DELEGATION = 500
#: Status mix of bench delegates (cumulative draw; the rest stay nominated).
STATUS_SHARE = (
    (DelegateStatus.CONFIRMED, 0.55),
    (DelegateStatus.ATTENDED, 0.15),
    (DelegateStatus.WITHDRAWN, 0.05),
)


def _delegations(ctx: Context) -> None:
    """The national event gets one delegation per regency/city (514) and up to
    10,000 delegates: one delegation of 500, the rest spread over the others."""
    event_id = ctx.data.largest_event_id
    if not event_id or not ctx.regencies:
        return
    rng = ctx.rng
    people = list(
        ctx.session.execute(select(Person.id, Person.region_id).order_by(Person.id))
    )[:DELEGATES]
    host = next(
        (r for r in ctx.regencies if r.code == "31.71"), ctx.regencies[0]
    )  # Kota Jakarta Pusat hosts: its delegation is the large one
    members: dict[int, list[int]] = {r.id: [] for r in ctx.regencies}
    large = min(LARGE_DELEGATION, len(people))
    for n, (person_id, region_id) in enumerate(people):
        target = host.id if n < large or region_id not in members else region_id
        members[target].append(person_id)
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 3, 0, tzinfo=UTC)
    delegation_rows, delegate_specs = [], []
    for region in ctx.regencies:
        ids = members[region.id]
        statuses = []
        for _ in ids:
            draw, status, acc = rng.random(), DelegateStatus.NOMINATED, 0.0
            for candidate, share in STATUS_SHARE:
                acc += share
                if draw < acc:
                    status = candidate
                    break
            statuses.append(status)
        held = sum(
            s in (DelegateStatus.CONFIRMED, DelegateStatus.ATTENDED) for s in statuses
        )
        delegation_rows.append(
            {
                "event_id": event_id,
                "region_id": region.id,
                "name": region.name,
                "quota": max(len(ids) + rng.randint(0, 5), 1),
                "confirmed_count": held,
                "deadline_at": now + timedelta(days=200),
            }
        )
        delegate_specs.append(list(zip(ids, statuses, strict=True)))
    delegation_ids = list(
        ctx.session.scalars(
            insert(Delegation).returning(Delegation.id, sort_by_parameter_order=True),
            delegation_rows,
        )
    )
    rows = []
    for delegation_id, specs in zip(delegation_ids, delegate_specs, strict=True):
        for n, (person_id, status) in enumerate(specs):
            taken = status in (DelegateStatus.CONFIRMED, DelegateStatus.ATTENDED)
            rows.append(
                {
                    "event_id": event_id,
                    "delegation_id": delegation_id,
                    "person_id": person_id,
                    "role": DelegateRole.HEAD if n == 0 else DelegateRole.PARTICIPANT,
                    "status": status,
                    "confirmed_at": now if taken else None,
                    "attended_at": now if status == DelegateStatus.ATTENDED else None,
                    "withdrawn_at": now if status == DelegateStatus.WITHDRAWN else None,
                }
            )
    if rows:
        ctx.session.execute(insert(Delegate), rows)
    ctx.data.delegation_event_id = event_id
    ctx.data.large_delegation_id = delegation_ids[
        [r.id for r in ctx.regencies].index(host.id)
    ]
    ctx.data.counts["delegations"] = len(delegation_rows)
    ctx.data.counts["delegates"] = len(rows)


#: Generation steps, in order. A later feature appends its own (delegations after
#: events and people, vehicles after delegations, …).
STEPS: list[Callable[[Context], None]] = [
    _regions,
    _people,
    _events,
    _organiser,
    _delegations,
]


def generate(
    session: Session, *, people: int = 10_000, events: int = 20, seed: int = 1
) -> BenchData:
    """Fill an empty database (regions may already be there); flush, never commit."""
    ctx = Context(
        session=session,
        people=people,
        events=events,
        seed=seed,
        rng=random.Random(seed),
        faces=FakePeople(seed),
    )
    for step in STEPS:
        step(ctx)
    session.flush()
    return ctx.data
