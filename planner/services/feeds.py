"""Calendar feeds: what each feed holds, the secret addresses, and a cheap fingerprint.

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

Every loader here takes a constant number of queries, whatever the number of items,
legs or delegates; :func:`fingerprint` answers "did anything in this feed change?"
with ONE aggregate query, without loading the feed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.orm import aliased, joinedload, selectinload

from planner.exports.ical import (
    DEFAULT_REFRESH,
    DEFAULT_UID_DOMAIN,
    FEED_LOCALE,
    FORMAT_VERSION,
    FeedContent,
    LegEntry,
    Seat,
)
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    AgendaAudience,
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Person,
    Place,
    SeatAssignment,
    UTCDateTime,
    Vehicle,
)
from planner.models.types import new_feed_token
from planner.services import PlannerError
from planner.services.seating import trips_of_delegates

#: What a feed token looks like (``secrets.token_urlsafe``); anything else is not
#: looked up at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: What an event slug looks like (``planner.services.events.slugify``).
SLUG_PATTERN = re.compile(r"[a-z0-9-]{1,120}")

DELEGATE = "delegate"
DELEGATION = "delegation"


class FeedError(PlannerError):
    """A feed address could not be issued."""


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
    if not valid_token(token):
        return None
    delegates = (
        select(literal(DELEGATE).label("kind"), Delegate.id, Delegate.event_id)
        .join(Event, Event.id == Delegate.event_id)
        .where(
            Delegate.feed_token == token,
            Delegate.status.in_(ACTIVE_STATUSES),
            Event.status != EventStatus.DRAFT,
        )
    )
    delegations = (
        select(literal(DELEGATION).label("kind"), Delegation.id, Delegation.event_id)
        .join(Event, Event.id == Delegation.event_id)
        .where(Delegation.feed_token == token, Event.status != EventStatus.DRAFT)
    )
    row = db.session.execute(union_all(delegates, delegations)).first()
    if row is None:
        return None
    return Subscription(row.kind, row.id, row.event_id)


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


# What goes in each feed ---------------------------------------------------------------


def _item_options():
    return (
        joinedload(AgendaItem.place).joinedload(Place.region),
        selectinload(AgendaItem.speakers).joinedload(AgendaSpeaker.person),
        selectinload(AgendaItem.delegations),
    )


def _leg_options():
    return (
        joinedload(Leg.from_place).joinedload(Place.region),
        joinedload(Leg.to_place).joinedload(Place.region),
        selectinload(Leg.vehicles),
        selectinload(Leg.delegations),
    )


def _items(event_id: int, *conditions) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            select(AgendaItem)
            .where(AgendaItem.event_id == event_id, or_(*conditions))
            .options(*_item_options())
            .order_by(AgendaItem.starts_at, AgendaItem.id)
        )
    )


def _event_legs(event_id: int) -> list[Leg]:
    return list(
        db.session.scalars(
            select(Leg)
            .where(Leg.event_id == event_id)
            .options(*_leg_options())
            .order_by(Leg.departs_at, Leg.id)
        )
    )


def event_feed(event: Event) -> FeedContent:
    """The public feed: items for everyone or for delegations, and every leg."""
    items = _items(
        event.id,
        AgendaItem.audience.in_([AgendaAudience.EVERYONE, AgendaAudience.DELEGATIONS]),
    )
    legs = [LegEntry(leg) for leg in _event_legs(event.id)]
    with force_locale(FEED_LOCALE):
        description = _(
            "Susunan acara dan perjalanan rombongan %(title)s (%(body)s).",
            title=event.title,
            body=event.organiser_body,
        )
    return FeedContent(event, event.title, description, items, legs)


def load_delegate(delegate_id: int) -> Delegate | None:
    """A delegate with event (venue, region), person and delegation, in one query."""
    return db.session.scalars(
        select(Delegate)
        .where(Delegate.id == delegate_id)
        .options(
            joinedload(Delegate.event).joinedload(Event.venue).joinedload(Place.region),
            joinedload(Delegate.person),
            joinedload(Delegate.delegation),
        )
    ).first()


def delegate_items(delegate: Delegate) -> list[AgendaItem]:
    """The items a delegate's audience includes, and those where they have a role."""
    conditions = [
        AgendaItem.audience == AgendaAudience.EVERYONE,
        AgendaItem.speakers.any(AgendaSpeaker.person_id == delegate.person_id),
    ]
    if delegate.role == DelegateRole.COMMITTEE:
        conditions.append(AgendaItem.audience == AgendaAudience.COMMITTEE)
    if delegate.delegation_id is not None:
        conditions.append(
            and_(
                AgendaItem.audience == AgendaAudience.DELEGATIONS,
                AgendaItem.delegations.any(Delegation.id == delegate.delegation_id),
            )
        )
    return _items(delegate.event_id, *conditions)


def delegate_feed(delegate: Delegate) -> FeedContent:
    """A delegate's feed: their items, and the legs they travel with vehicle and seat."""
    event = delegate.event
    legs: list[LegEntry] = []
    for trip in trips_of_delegates([delegate])[delegate.id]:
        seat = None
        if trip.assignment is not None:
            seat = Seat(trip.assignment.vehicle, trip.assignment.seat_number)
        for leg in trip.legs:
            on_board = seat is not None and any(
                v.id == seat.vehicle.id for v in leg.vehicles
            )
            legs.append(LegEntry(leg, seat=seat if on_board else None))
    with force_locale(FEED_LOCALE):
        name = _(
            "%(name)s · %(event)s", name=delegate.person.formal_name, event=event.title
        )
        description = _(
            "Jadwal pribadi %(name)s: mata acara yang ditujukan kepada Anda dan "
            "perjalanan Anda, dengan kendaraan, kursi dan titik kumpul.",
            name=delegate.person.formal_name,
        )
    return FeedContent(
        event,
        name,
        description,
        delegate_items(delegate),
        legs,
        private=True,
        stays=_stays(delegate),
    )


def _stays(delegate: Delegate) -> list:
    """The delegate's hotel nights (issue 12), kept apart for an easy merge."""
    from planner.services.rooms.personal import stays_of

    return stays_of(delegate)


def load_delegation(delegation_id: int) -> Delegation | None:
    """A delegation with its event (venue, region), in one query."""
    return db.session.scalars(
        select(Delegation)
        .where(Delegation.id == delegation_id)
        .options(
            joinedload(Delegation.event)
            .joinedload(Event.venue)
            .joinedload(Place.region)
        )
    ).first()


def delegation_riders(delegation: Delegation) -> dict[tuple[int, int], int]:
    """Active members of the delegation seated, per (trip id, vehicle id)."""
    rows = db.session.execute(
        select(SeatAssignment.trip_id, SeatAssignment.vehicle_id, func.count())
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(
            Delegate.delegation_id == delegation.id,
            Delegate.status.in_(ACTIVE_STATUSES),
        )
        .group_by(SeatAssignment.trip_id, SeatAssignment.vehicle_id)
    )
    return {(trip_id, vehicle_id): n for trip_id, vehicle_id, n in rows}


def delegation_feed(delegation: Delegation) -> FeedContent:
    """A delegation's feed: everyone's items and its own, and the legs carrying its
    members (or listing it), with how many of them sit in each vehicle."""
    event = delegation.event
    items = _items(
        event.id,
        AgendaItem.audience == AgendaAudience.EVERYONE,
        and_(
            AgendaItem.audience == AgendaAudience.DELEGATIONS,
            AgendaItem.delegations.any(Delegation.id == delegation.id),
        ),
    )
    riders = delegation_riders(delegation)
    legs = []
    for leg in _event_legs(event.id):
        carried = tuple(
            (v, riders[(leg.trip_id, v.id)])
            for v in leg.vehicles
            if (leg.trip_id, v.id) in riders
        )
        if carried or any(d.id == delegation.id for d in leg.delegations):
            legs.append(LegEntry(leg, riders=carried))
    with force_locale(FEED_LOCALE):
        name = _(
            "Delegasi %(name)s · %(event)s", name=delegation.name, event=event.title
        )
        description = _(
            "Jadwal delegasi %(name)s: mata acara untuk semua peserta dan untuk "
            "delegasi ini, dan perjalanan kendaraan yang membawa anggotanya.",
            name=delegation.name,
        )
    return FeedContent(event, name, description, items, legs, private=True)


def feed_summary(feed: FeedContent) -> dict[str, int]:
    """Counts shown on a subscription page."""
    cancelled = sum(1 for item in feed.items if item.is_cancelled)
    return {
        "items": len(feed.items) - cancelled,
        "cancelled": cancelled,
        "legs": len(feed.legs),
    }


# Conditional requests ----------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """What a conditional request compares: an ETag and the latest change; and, for
    a feed found by slug or token, what it belongs to."""

    etag: str
    last_modified: datetime | None
    event_id: int | None = None
    is_draft: bool = False
    #: For a secret feed found by token: DELEGATE or DELEGATION, and its id.
    kind: str | None = None
    owner_id: int | None = None


def _part(label: str, n, times, numbers=()):
    """One row of the fingerprint: a label, a count, three latest times (or NULL) and
    four numbers (or 0). Every constant is written into the SQL."""
    zero, null = literal_column("0"), literal_column("NULL")
    times = [*times, *[null] * (3 - len(times))]
    numbers = [func.coalesce(x, zero) for x in numbers]
    numbers += [zero] * (4 - len(numbers))
    return select(
        literal_column(f"'{label}'").label("part"),
        n.label("n"),
        *(t.label(f"ts{i}") for i, t in enumerate(times)),
        *(x.label(f"x{i}") for i, x in enumerate(numbers)),
    )


def _wide(column):
    """A 64-bit integer column, so that products and sums cannot overflow."""
    return cast(column, BigInteger)


def _event_parts(event_id, event_where) -> list:
    """Everything of the event a feed shows, each table read once: the event row (its
    id, whether it is a draft) and its venue; items with their speakers, the speakers'
    people and the items' places; legs with their places; vehicles; delegations (their
    names are shown). ``event_id`` is a SQL expression."""
    venue, item_place = aliased(Place), aliased(Place)
    origin, goal = aliased(Place), aliased(Place)
    draft = case(
        (Event.status == literal_column(f"'{EventStatus.DRAFT}'"), literal_column("1")),
        else_=literal_column("0"),
    )
    return [
        _part(
            "event",
            func.count(Event.id),
            (func.max(Event.updated_at), func.max(venue.updated_at)),
            (func.sum(Event.id), func.max(draft)),
        )
        .outerjoin(venue, venue.id == Event.venue_id)
        .where(event_where),
        # Joined rows repeat an item once per speaker: the figures stay a function of
        # the data, which is all a fingerprint needs.
        _part(
            "items",
            func.count(AgendaItem.id),
            (
                func.max(AgendaItem.updated_at),
                func.max(Person.updated_at),
                func.max(item_place.updated_at),
            ),
            (
                func.sum(_wide(AgendaItem.id)),
                func.sum(_wide(AgendaItem.sequence)),
                func.count(AgendaSpeaker.id),
                func.sum(_wide(AgendaSpeaker.id)),
            ),
        )
        .outerjoin(AgendaSpeaker, AgendaSpeaker.item_id == AgendaItem.id)
        .outerjoin(Person, Person.id == AgendaSpeaker.person_id)
        .outerjoin(item_place, item_place.id == AgendaItem.place_id)
        .where(AgendaItem.event_id == event_id),
        _part(
            "legs",
            func.count(Leg.id),
            (
                func.max(Leg.updated_at),
                func.max(origin.updated_at),
                func.max(goal.updated_at),
            ),
            (func.sum(_wide(Leg.id)), func.sum(_wide(Leg.sequence))),
        )
        .join(origin, origin.id == Leg.from_place_id)
        .join(goal, goal.id == Leg.to_place_id)
        .where(Leg.event_id == event_id),
        _part(
            "vehicles",
            func.count(Vehicle.id),
            (func.max(Vehicle.updated_at),),
            (func.sum(_wide(Vehicle.id)),),
        ).where(Vehicle.event_id == event_id),
        _part(
            "delegations",
            func.count(Delegation.id),
            (func.max(Delegation.updated_at),),
            (func.sum(_wide(Delegation.id)),),
        ).where(Delegation.event_id == event_id),
    ]


def _seat_part(label: str, condition, *joins):
    stmt = _part(
        label,
        func.count(SeatAssignment.id),
        (func.max(SeatAssignment.created_at),),
        (
            func.max(SeatAssignment.id),
            func.sum(_wide(SeatAssignment.vehicle_id)),
            # Moves between vehicles and trips that keep the plain sum equal.
            func.sum(_wide(SeatAssignment.vehicle_id) * SeatAssignment.trip_id),
            func.sum(
                _wide(func.coalesce(SeatAssignment.seat_number, literal_column("0")))
            ),
        ),
    ).select_from(SeatAssignment)
    for join in joins:
        stmt = stmt.join(*join)
    return stmt.where(condition)


def _delegate_parts(delegate_id) -> list:
    """The delegate row, their person (the calendar's name) and their seats."""
    return [
        _part(
            "delegate",
            func.count(Delegate.id),
            (func.max(Delegate.updated_at), func.max(Person.updated_at)),
            (func.sum(Delegate.id),),
        )
        .join(Person, Person.id == Delegate.person_id)
        .where(Delegate.id == delegate_id),
        _seat_part("delegate_seats", SeatAssignment.delegate_id == delegate_id),
        _stays_part(delegate_id),
    ]


def _stays_part(delegate_id):
    """The delegate's beds and their stays (issue 12): a moved bed or a changed stay
    changes the fingerprint. A renamed room does not (rooms carry no revision)."""
    from planner.models import RoomAssignment, Stay

    return (
        _part(
            "delegate_stays",
            func.count(RoomAssignment.id),
            (func.max(Stay.updated_at), func.max(RoomAssignment.created_at)),
            (
                func.sum(_wide(RoomAssignment.room_id)),
                func.sum(_wide(Stay.sequence)),
                func.sum(_wide(RoomAssignment.id)),
            ),
        )
        .select_from(RoomAssignment)
        .join(Stay, Stay.id == RoomAssignment.stay_id)
        .where(RoomAssignment.delegate_id == delegate_id)
    )


def _delegation_parts(delegation_id) -> list:
    """The delegation row, its members and their seats."""
    return [
        _part(
            "delegation",
            func.count(Delegation.id),
            (func.max(Delegation.updated_at),),
            (func.sum(Delegation.id),),
        ).where(Delegation.id == delegation_id),
        _part(
            "members",
            func.count(Delegate.id),
            (func.max(Delegate.updated_at),),
            (func.sum(_wide(Delegate.id)),),
        ).where(Delegate.delegation_id == delegation_id),
        _seat_part(
            "delegation_seats",
            Delegate.delegation_id == delegation_id,
            (Delegate, Delegate.id == SeatAssignment.delegate_id),
        ),
    ]


def _select(kind: str):
    """The fingerprint query of the public feed (by slug) or of a secret feed (by
    token); its only parameter is the slug or the token (every constant is written
    into the SQL)."""
    if kind == "slug":
        event_id = (
            select(Event.id).where(Event.slug == bindparam("slug")).scalar_subquery()
        )
        return union_all(*_event_parts(event_id, Event.slug == bindparam("slug")))
    if kind == "token":
        # Both kinds of owner are looked up inside the query; the one the token does
        # not name contributes empty rows.
        token = bindparam("token")
        active = [literal_column(f"'{status}'") for status in ACTIVE_STATUSES]
        delegate_id = (
            select(Delegate.id)
            .where(Delegate.feed_token == token, Delegate.status.in_(active))
            .scalar_subquery()
        )
        delegation_id = (
            select(Delegation.id)
            .where(Delegation.feed_token == token)
            .scalar_subquery()
        )
        event_id = func.coalesce(
            select(Delegate.event_id)
            .where(Delegate.id == delegate_id)
            .scalar_subquery(),
            select(Delegation.event_id)
            .where(Delegation.id == delegation_id)
            .scalar_subquery(),
        )
        return union_all(
            *_event_parts(event_id, Event.id == event_id),
            *_delegate_parts(delegate_id),
            *_delegation_parts(delegation_id),
        )
    raise ValueError(kind)


@cache
def _statement(kind: str):
    """The fingerprint query compiled once, as text.

    Building the query costs more than running it, and even a prebuilt statement
    spends a third of its time on SQLAlchemy's cache key: the 304 path is meant to
    be about as cheap as a trivial request. The SQL is plain (aggregates, joins,
    CAST, CASE, UNION ALL), compiled by SQLAlchemy's generic dialect so that no
    driver-specific cast is written in, and runs on SQLite and PostgreSQL alike.
    """
    compiled = _select(kind).compile(dialect=DefaultDialect(paramstyle="named"))
    unexpected = set(compiled.binds) - {"slug", "token"}
    assert not unexpected, f"constants left as parameters: {unexpected}"
    return text(compiled.string).columns(
        column("part", String),
        column("n", Integer),
        *(column(f"ts{i}", UTCDateTime) for i in range(3)),
        *(column(f"x{i}") for i in range(4)),
    )


def _fingerprint(kind: str, params: dict, *, uid_domain: str, refresh: timedelta):
    statement = _statement(kind)
    rows = sorted(map(tuple, db.session.execute(statement, params)))
    by_part = {row[0]: row for row in rows}
    event = by_part.get("event")
    if event is None or not event[1]:
        return None
    # The figures as the database gave them (repr is exact and stable), with
    # everything else that shapes the bytes.
    key = repr((FORMAT_VERSION, uid_domain, refresh.total_seconds(), kind, rows))
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    times = [ts for row in rows for ts in row[2:5] if ts is not None]
    found = Fingerprint(
        etag, max(times, default=None), int(event[5]), bool(int(event[6] or 0))
    )
    if kind != "token":
        return found
    # A delegate's token wins over a delegation's (random tokens never collide).
    for owner in (DELEGATE, DELEGATION):
        row = by_part.get(owner)
        if row is not None and row[1]:
            return replace(found, kind=owner, owner_id=int(row[5]))
    return None


def fingerprint_by_slug(
    slug: str,
    *,
    uid_domain: str = DEFAULT_UID_DOMAIN,
    refresh: timedelta = DEFAULT_REFRESH,
) -> Fingerprint | None:
    """The public feed's ETag and Last-Modified, its event's id and draft flag, from
    ONE aggregate query (the slug is looked up inside it); None when no event has
    that slug.

    Counts, sums of ids and revision counters and the latest ``updated_at`` of every
    table a feed reads: an insert changes a count, an update the latest time (or, for
    seats, which have no such column, the sums), a delete a count, so a deleted item
    changes the ETag. Last-Modified is the latest time seen; a deletion alone does not
    move it, which is why clients are answered by ETag first (If-None-Match wins over
    If-Modified-Since).
    """
    if not SLUG_PATTERN.fullmatch(slug or ""):
        return None
    return _fingerprint("slug", {"slug": slug}, uid_domain=uid_domain, refresh=refresh)


def fingerprint_by_token(
    token: str,
    *,
    uid_domain: str = DEFAULT_UID_DOMAIN,
    refresh: timedelta = DEFAULT_REFRESH,
) -> Fingerprint | None:
    """A secret feed's fingerprint, with its owner (kind, id), its event's id and
    draft flag, in ONE query; None when the token is malformed, unknown, revoked or a
    withdrawn or replaced delegate's."""
    if not valid_token(token):
        return None
    return _fingerprint(
        "token", {"token": token}, uid_domain=uid_domain, refresh=refresh
    )
