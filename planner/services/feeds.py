"""Calendar feeds: what each feed holds (as plain data), the secret addresses, and the
stored revision a conditional request compares.

Three feeds per event:

- the public feed (``/events/<slug>/calendar.ics``, once the event is published): the
  agenda items for everyone or for named delegations (never the committee's), and
  every leg of the group's travel, without seats, drivers, phones or plates;
- a delegate's feed (``/feeds/<token>.ics``): the items meant for them (everyone's;
  the committee's when they are committee; their delegation's; those where they speak,
  moderate or present) and the legs they travel, with their vehicle, seat, driver and
  meeting point;
- a delegation's feed, for its chapter head: everyone's items and the delegation's,
  and the legs carrying its members (how many sit in each vehicle).

A withdrawn or replaced delegate's address answers 404: the holder is no longer part
of the event. Tokens hold 192 random bits, never expire by themselves, and are revoked
(set to NULL) or re-issued (a new one; the old address stops at once) with one click.

The loaders return frozen dataclasses of plain values (``planner/exports/ical.py``
turns them into bytes) and take a constant number of queries whatever the number of
items, legs or delegates: rows are selected column by column, collections by the
event they belong to, never by lists of ids. :func:`version_by_slug` and
:func:`version_by_token` read a feed's stored revisions (``planner/revisions.py``
keeps them current) in ONE query of one indexed row each.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    String,
    and_,
    column,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload

from planner.extensions import db
from planner.formatting import formal_name
from planner.models import (
    ACTIVE_STATUSES,
    AgendaAudience,
    AgendaItem,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Person,
    Place,
    Region,
    SeatAssignment,
    UTCDateTime,
    Vehicle,
    agenda_item_delegations,
    leg_delegations,
    leg_vehicles,
)
from planner.models.feed import DELEGATE, DELEGATION, EVENT
from planner.models.types import new_feed_token
from planner.services import PlannerError

#: What a feed token looks like (``secrets.token_urlsafe``); anything else is not
#: looked up at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: What an event slug looks like (``planner.services.events.slugify``).
SLUG_PATTERN = re.compile(r"[a-z0-9-]{1,120}")
PUBLIC = EVENT


class FeedError(PlannerError):
    """A feed address could not be issued."""


# Plain data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PlaceData:
    name: str
    address: str | None
    region_name: str | None
    lat: float | None
    lon: float | None
    #: The zone times at the place are shown in: its region's, else the event's.
    timezone: str


@dataclass(frozen=True)
class EventData:
    id: int
    title: str
    organiser_body: str
    timezone: str
    is_cancelled: bool
    cancelled_reason: str | None
    updated_at: datetime
    venue: PlaceData | None


@dataclass(frozen=True)
class SpeakerData:
    role: str
    name: str  #: the person's formal name, or the name typed in
    title: str | None
    institution: str | None


@dataclass(frozen=True)
class ItemData:
    id: int
    sequence: int
    created_at: datetime
    updated_at: datetime
    starts_at: datetime
    ends_at: datetime
    title: str
    kind: str
    audience: str
    is_cancelled: bool
    room: str | None
    notes: str | None
    place: PlaceData | None  #: None: the event's venue
    speakers: tuple[SpeakerData, ...]
    delegations: tuple[str, ...]  #: names of the delegations it is meant for


@dataclass(frozen=True)
class VehicleData:
    id: int
    label: str
    plate: str | None
    driver_name: str | None
    driver_phone: str | None


@dataclass(frozen=True)
class LegData:
    id: int
    sequence: int
    created_at: datetime
    updated_at: datetime
    mode: str
    departs_at: datetime
    arrives_at: datetime
    carrier: str | None
    vessel: str | None
    booking_ref: str | None
    notes: str | None
    from_place: PlaceData
    to_place: PlaceData
    vehicles: tuple[VehicleData, ...]
    delegations: tuple[str, ...]
    #: The subscriber's own vehicle and seat number (a delegate's feed).
    seat: tuple[VehicleData, int | None] | None = None
    #: Vehicles carrying the delegation's members, and how many (a delegation's feed).
    riders: tuple[tuple[VehicleData, int], ...] = ()


@dataclass(frozen=True)
class FeedData:
    """Everything one feed shows."""

    kind: str  #: PUBLIC, DELEGATE or DELEGATION
    event: EventData
    #: The delegate's formal name or the delegation's name (the calendar's name).
    owner_name: str | None
    items: tuple[ItemData, ...]
    legs: tuple[LegData, ...]

    @property
    def private(self) -> bool:
        """A secret feed: plates, drivers and booking codes may be shown."""
        return self.kind != PUBLIC


# Finding a feed -----------------------------------------------------------------------


@dataclass(frozen=True)
class Subscription:
    """What a secret address names: a delegate's or a delegation's feed."""

    kind: str  #: DELEGATE or DELEGATION
    id: int
    event_id: int


def valid_token(token: str) -> bool:
    return bool(TOKEN_PATTERN.fullmatch(token or ""))


def find_subscription(token: str) -> Subscription | None:
    """The feed a token opens, in one query; None when unknown, revoked, malformed,
    for a withdrawn or replaced delegate, or while the event is a draft."""
    found = version_by_token(token)
    if found is None or found.is_draft:
        return None
    return Subscription(found.kind, found.owner_id, found.event_id)


def find_event(slug: str) -> Event | None:
    """The event with this slug, its venue and the venue's region (one query)."""
    if not SLUG_PATTERN.fullmatch(slug or ""):
        return None
    return db.session.scalars(
        select(Event)
        .where(Event.slug == slug)
        .options(joinedload(Event.venue).joinedload(Place.region))
    ).first()


# Tokens -------------------------------------------------------------------------------


def revoke_feed_token(owner: Delegate | Delegation) -> None:
    """Switch the owner's secret address off: it answers 404 from now on."""
    owner.feed_token = None
    db.session.flush()


def reissue_feed_token(owner: Delegate | Delegation) -> str:
    """A new secret address for the owner; the old one stops working at once."""
    if isinstance(owner, Delegate) and not owner.is_active:
        raise FeedError(_("Peserta yang mundur atau diganti tidak mendapat kalender."))
    owner.feed_token = new_feed_token()
    db.session.flush()
    return owner.feed_token


# Loading a feed -----------------------------------------------------------------------


def _place_columns(place, region) -> tuple:
    return (
        place.name,
        place.address,
        region.name,
        place.lat,
        place.lon,
        region.timezone,
    )


def _place(values, event_timezone: str) -> PlaceData | None:
    name, address, region_name, lat, lon, timezone = values
    if name is None:
        return None
    return PlaceData(name, address, region_name, lat, lon, timezone or event_timezone)


def _event(event_id: int) -> EventData | None:
    venue, region = aliased(Place), aliased(Region)
    row = db.session.execute(
        select(
            Event.id,
            Event.title,
            Event.organiser_body,
            Event.timezone,
            Event.status,
            Event.cancelled_reason,
            Event.updated_at,
            *_place_columns(venue, region),
        )
        .outerjoin(venue, venue.id == Event.venue_id)
        .outerjoin(region, region.id == venue.region_id)
        .where(Event.id == event_id)
    ).first()
    if row is None:
        return None
    return EventData(
        *row[:4],
        row[4] == EventStatus.CANCELLED,
        row[5],
        row[6],
        _place(row[7:], row[3]),
    )


def _items(event: EventData, *conditions) -> tuple[ItemData, ...]:
    """The event's items meeting any of the conditions, with speakers and the names
    of the delegations they are for (three queries)."""
    speakers: dict[int, list[SpeakerData]] = defaultdict(list)
    for row in db.session.execute(
        select(
            AgendaSpeaker.item_id,
            AgendaSpeaker.role,
            AgendaSpeaker.name,
            AgendaSpeaker.title,
            AgendaSpeaker.institution,
            Person.id,
            Person.full_name,
            Person.title_before,
            Person.title_after,
            Person.position,
            Person.institution.label("person_institution"),
        )
        .join(AgendaItem, AgendaItem.id == AgendaSpeaker.item_id)
        .outerjoin(Person, Person.id == AgendaSpeaker.person_id)
        .where(AgendaItem.event_id == event.id)
        .order_by(AgendaSpeaker.item_id, AgendaSpeaker.position, AgendaSpeaker.id)
    ):
        name = formal_name(*row[6:]) if row[5] is not None else (row[2] or "")
        speakers[row[0]].append(SpeakerData(str(row[1]), name, row[3], row[4]))
    delegations = _names(
        select(agenda_item_delegations.c.item_id, Delegation.name)
        .join(Delegation, Delegation.id == agenda_item_delegations.c.delegation_id)
        .where(Delegation.event_id == event.id)
    )
    place, region = aliased(Place), aliased(Region)
    rows = db.session.execute(
        select(
            AgendaItem.id,
            AgendaItem.sequence,
            AgendaItem.created_at,
            AgendaItem.updated_at,
            AgendaItem.starts_at,
            AgendaItem.ends_at,
            AgendaItem.title,
            AgendaItem.kind,
            AgendaItem.audience,
            AgendaItem.status,
            AgendaItem.room,
            AgendaItem.notes,
            *_place_columns(place, region),
        )
        .outerjoin(place, place.id == AgendaItem.place_id)
        .outerjoin(region, region.id == place.region_id)
        .where(AgendaItem.event_id == event.id, or_(*conditions))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    )
    return tuple(
        ItemData(
            *row[:7],
            str(row[7]),
            str(row[8]),
            row[9] == AgendaStatus.CANCELLED,
            row[10],
            row[11],
            _place(row[12:], event.timezone),
            tuple(speakers.get(row[0], ())),
            tuple(delegations.get(row[0], ())),
        )
        for row in rows
    )


def _names(statement) -> dict[int, list[str]]:
    """(owner id, delegation name) rows → names per owner, by name."""
    out: dict[int, list[str]] = defaultdict(list)
    for owner_id, name in db.session.execute(
        statement.order_by(Delegation.name, Delegation.id)
    ):
        out[owner_id].append(name)
    return out


def _legs(event: EventData) -> list[tuple[LegData, int, set[int]]]:
    """Every leg of the event with its vehicles and delegations' names (three
    queries); with each, its trip id and the ids of the delegations it lists."""
    vehicles: dict[int, list[VehicleData]] = defaultdict(list)
    for row in db.session.execute(
        select(
            leg_vehicles.c.leg_id,
            Vehicle.id,
            Vehicle.label,
            Vehicle.plate,
            Vehicle.driver_name,
            Vehicle.driver_phone,
        )
        .join(Vehicle, Vehicle.id == leg_vehicles.c.vehicle_id)
        .where(Vehicle.event_id == event.id)
        .order_by(Vehicle.label, Vehicle.id)
    ):
        vehicles[row[0]].append(VehicleData(*row[1:]))
    listed: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for leg_id, delegation_id, name in db.session.execute(
        select(leg_delegations.c.leg_id, Delegation.id, Delegation.name)
        .join(Delegation, Delegation.id == leg_delegations.c.delegation_id)
        .where(Delegation.event_id == event.id)
        .order_by(Delegation.name, Delegation.id)
    ):
        listed[leg_id].append((delegation_id, name))
    origin, origin_region = aliased(Place), aliased(Region)
    goal, goal_region = aliased(Place), aliased(Region)
    out = []
    for row in db.session.execute(
        select(
            Leg.id,
            Leg.sequence,
            Leg.created_at,
            Leg.updated_at,
            Leg.mode,
            Leg.departs_at,
            Leg.arrives_at,
            Leg.carrier,
            Leg.vessel,
            Leg.booking_ref,
            Leg.notes,
            Leg.trip_id,
            *_place_columns(origin, origin_region),
            *_place_columns(goal, goal_region),
        )
        .join(origin, origin.id == Leg.from_place_id)
        .outerjoin(origin_region, origin_region.id == origin.region_id)
        .join(goal, goal.id == Leg.to_place_id)
        .outerjoin(goal_region, goal_region.id == goal.region_id)
        .where(Leg.event_id == event.id)
        .order_by(Leg.departs_at, Leg.id)
    ):
        names = listed.get(row[0], ())
        leg = LegData(
            *row[:4],
            str(row[4]),
            *row[5:11],
            _place(row[12:18], event.timezone),
            _place(row[18:24], event.timezone),
            tuple(vehicles.get(row[0], ())),
            tuple(name for _id, name in names),
        )
        out.append((leg, row[11], {delegation_id for delegation_id, _n in names}))
    return out


def public_feed(event_id: int) -> FeedData | None:
    """The public feed: items for everyone or for delegations, and every leg."""
    event = _event(event_id)
    if event is None:
        return None
    items = _items(
        event,
        AgendaItem.audience.in_([AgendaAudience.EVERYONE, AgendaAudience.DELEGATIONS]),
    )
    legs = tuple(leg for leg, _trip, _listed in _legs(event))
    return FeedData(PUBLIC, event, None, items, legs)


def delegate_feed(delegate_id: int) -> FeedData | None:
    """A delegate's feed: the items meant for them or where they have a role, and the
    legs they travel with their vehicle and seat."""
    row = db.session.execute(
        select(
            Delegate.event_id,
            Delegate.delegation_id,
            Delegate.person_id,
            Delegate.role,
            Person.full_name,
            Person.title_before,
            Person.title_after,
            Person.position,
            Person.institution,
        )
        .join(Person, Person.id == Delegate.person_id)
        .where(Delegate.id == delegate_id)
    ).first()
    event = row and _event(row.event_id)
    if event is None:
        return None
    conditions = [
        AgendaItem.audience == AgendaAudience.EVERYONE,
        AgendaItem.speakers.any(AgendaSpeaker.person_id == row.person_id),
    ]
    if row.role == DelegateRole.COMMITTEE:
        conditions.append(AgendaItem.audience == AgendaAudience.COMMITTEE)
    if row.delegation_id is not None:
        conditions.append(
            and_(
                AgendaItem.audience == AgendaAudience.DELEGATIONS,
                AgendaItem.delegations.any(Delegation.id == row.delegation_id),
            )
        )
    seats = {
        trip_id: (vehicle_id, number)
        for trip_id, vehicle_id, number in db.session.execute(
            select(
                SeatAssignment.trip_id,
                SeatAssignment.vehicle_id,
                SeatAssignment.seat_number,
            ).where(SeatAssignment.delegate_id == delegate_id)
        )
    }
    legs = []
    for leg, trip_id, listed in _legs(event):
        vehicle_id, number = seats.get(trip_id, (None, None))
        mine = next((v for v in leg.vehicles if v.id == vehicle_id), None)
        if mine is not None:
            legs.append(_with(leg, seat=(mine, number)))
        elif row.delegation_id is not None and row.delegation_id in listed:
            legs.append(leg)
    name = formal_name(*row[4:])
    return FeedData(DELEGATE, event, name, _items(event, *conditions), tuple(legs))


def delegation_riders(delegation_id: int) -> dict[tuple[int, int], int]:
    """Active members of the delegation seated, per (trip id, vehicle id)."""
    rows = db.session.execute(
        select(SeatAssignment.trip_id, SeatAssignment.vehicle_id, func.count())
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(
            Delegate.delegation_id == delegation_id,
            Delegate.status.in_(ACTIVE_STATUSES),
        )
        .group_by(SeatAssignment.trip_id, SeatAssignment.vehicle_id)
    )
    return {(trip_id, vehicle_id): n for trip_id, vehicle_id, n in rows}


def delegation_feed(delegation_id: int) -> FeedData | None:
    """A delegation's feed: everyone's items and its own, and the legs carrying its
    members (or listing it), with how many of them sit in each vehicle."""
    row = db.session.execute(
        select(Delegation.event_id, Delegation.name).where(
            Delegation.id == delegation_id
        )
    ).first()
    event = row and _event(row.event_id)
    if event is None:
        return None
    items = _items(
        event,
        AgendaItem.audience == AgendaAudience.EVERYONE,
        and_(
            AgendaItem.audience == AgendaAudience.DELEGATIONS,
            AgendaItem.delegations.any(Delegation.id == delegation_id),
        ),
    )
    riders = delegation_riders(delegation_id)
    legs = []
    for leg, trip_id, listed in _legs(event):
        carried = tuple(
            (v, riders[(trip_id, v.id)])
            for v in leg.vehicles
            if (trip_id, v.id) in riders
        )
        if carried or delegation_id in listed:
            legs.append(_with(leg, riders=carried))
    return FeedData(DELEGATION, event, row.name, items, tuple(legs))


def _with(leg: LegData, **changes) -> LegData:
    return replace(leg, **changes)


def load_feed(kind: str, owner_id: int) -> FeedData | None:
    """The feed of an event (PUBLIC, by event id), a delegate or a delegation."""
    loader = {PUBLIC: public_feed, DELEGATE: delegate_feed, DELEGATION: delegation_feed}
    return loader[kind](owner_id)


def feed_summary(feed: FeedData) -> dict[str, int]:
    """Counts shown on a subscription page."""
    cancelled = sum(1 for item in feed.items if item.is_cancelled)
    return {
        "items": len(feed.items) - cancelled,
        "cancelled": cancelled,
        "legs": len(feed.legs),
    }


# Stored revisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class FeedVersion:
    """A feed's stored revisions and what it belongs to, as one query found them."""

    kind: str  #: PUBLIC, DELEGATE or DELEGATION
    owner_id: int  #: the event's id for the public feed
    event_id: int
    is_draft: bool
    #: The event's revision and (secret feeds) the owner's; None where no row is
    #: stored yet.
    revisions: tuple[int | None, ...]
    #: When the feed's contents last changed (the latest of the rows' times).
    changed_at: datetime | None

    @property
    def stored(self) -> bool:
        """Whether the event's revision is stored: without it, the key of the feed
        would not change with its contents (never cache, never trust an ETag)."""
        return self.revisions[0] is not None

    @property
    def key(self) -> tuple:
        """What the feed's bytes are a function of (with the format and settings)."""
        return (self.kind, self.owner_id, self.event_id, *self.revisions)


def _revision_join(select_, kind, owner_id, alias):
    return select_.outerjoin(
        alias,
        and_(alias.c.kind == literal(kind), alias.c.owner_id == owner_id),
    )


@cache
def _statement(by: str):
    """The revision query by slug or by token, compiled once as text: SQLAlchemy's
    own statement cache key costs more than running this query."""
    from sqlalchemy.engine.default import DefaultDialect

    from planner.models.feed import FeedRevision

    table = FeedRevision.__table__
    draft = Event.status == EventStatus.DRAFT

    def revisions(kind, owner, owner_id):
        of_event, of_owner = table.alias(), table.alias()
        stmt = select(
            literal(kind).label("kind"),
            owner_id.label("owner_id"),
            Event.id.label("event_id"),
            draft.label("is_draft"),
            of_event.c.revision.label("event_revision"),
            of_event.c.changed_at.label("event_changed"),
            (of_owner.c.revision if owner is not None else literal(None)).label(
                "owner_revision"
            ),
            (of_owner.c.changed_at if owner is not None else literal(None)).label(
                "owner_changed"
            ),
        ).select_from(owner if owner is not None else Event.__table__)
        if owner is not None:
            stmt = stmt.join(Event, Event.id == owner.event_id)
            stmt = _revision_join(stmt, kind, owner_id, of_owner)
        return _revision_join(stmt, EVENT, Event.id, of_event)

    if by == "slug":
        stmt = revisions(PUBLIC, None, Event.id).where(
            Event.slug == literal_param("key")
        )
    else:
        token = literal_param("key")
        stmt = union_all(
            revisions(DELEGATE, Delegate, Delegate.id).where(
                Delegate.feed_token == token,
                Delegate.status.in_([s.value for s in ACTIVE_STATUSES]),
            ),
            revisions(DELEGATION, Delegation, Delegation.id).where(
                Delegation.feed_token == token
            ),
        )
    compiled = stmt.compile(
        dialect=DefaultDialect(paramstyle="named"),
        compile_kwargs={"literal_binds": True, "render_postcompile": True},
    )
    sql = compiled.string.replace("'__key__'", ":key")
    return text(sql).columns(
        column("kind", String),
        column("owner_id", Integer),
        column("event_id", Integer),
        column("is_draft"),
        column("event_revision"),
        column("event_changed", UTCDateTime),
        column("owner_revision"),
        column("owner_changed", UTCDateTime),
    )


def literal_param(name: str):
    """A placeholder written into the SQL as a string and swapped for ``:name``."""
    return literal(f"__{name}__")


def _version(by: str, key: str) -> FeedVersion | None:
    row = db.session.execute(_statement(by), {"key": key}).first()
    if row is None:
        return None
    owner = () if row.kind == PUBLIC else (row.owner_revision,)
    times = [t for t in (row.event_changed, row.owner_changed) if t is not None]
    return FeedVersion(
        row.kind,
        row.owner_id,
        row.event_id,
        bool(row.is_draft),
        (row.event_revision, *owner),
        max(times, default=None),
    )


def version_by_slug(slug: str) -> FeedVersion | None:
    """The public feed's stored revision, event and draft flag, in ONE query (the slug
    is looked up inside it); None when no event has that slug."""
    if not SLUG_PATTERN.fullmatch(slug or ""):
        return None
    return _version("slug", slug)


def version_by_token(token: str) -> FeedVersion | None:
    """A secret feed's stored revisions with its owner (kind, id), event and draft
    flag, in ONE query; None when the token is malformed, unknown, revoked or a
    withdrawn or replaced delegate's. A delegate's token wins over a delegation's
    (random tokens never collide)."""
    if not valid_token(token):
        return None
    return _version("token", token)
