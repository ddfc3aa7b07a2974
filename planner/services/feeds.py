"""Calendar feeds: what each feed holds (as plain data), the secret addresses, and the
stored revision a conditional request compares.

Three feeds per event:

- the public feed (``/events/<slug>/calendar.ics``, once the event is published): the
  agenda items for everyone or for named delegations (never the committee's), and
  every leg of the group's travel, without seats, drivers, phones or plates;
- a delegate's feed (``/feeds/<token>.ics``): the items meant for them (everyone's;
  the committee's when they are committee; their delegation's; those where they speak,
  moderate or present), the legs they travel, with their vehicle, seat, driver and
  meeting point, and the hotel nights they have a bed for (room and roommates);
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
    select,
    text,
)
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.formatting.plain import formal_name
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
    Person,
    Place,
    SeatAssignment,
    UTCDateTime,
)
from planner.models.feed import DELEGATE, DELEGATION
from planner.models.types import new_feed_token
from planner.services import PlannerError
from planner.services.feed_data import (
    PUBLIC,
    FeedData,
    LegData,
    load_event,
    load_items,
    load_legs,
    load_stays,
)

#: What a feed token looks like (``secrets.token_urlsafe``); anything else is not
#: looked up at all.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: What an event slug looks like (``planner.services.events.slugify``).
SLUG_PATTERN = re.compile(r"[a-z0-9-]{1,120}")


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


def public_feed(event_id: int) -> FeedData | None:
    """The public feed: items for everyone or for delegations, and every leg."""
    event = load_event(event_id)
    if event is None:
        return None
    items = load_items(
        event,
        AgendaItem.audience.in_([AgendaAudience.EVERYONE, AgendaAudience.DELEGATIONS]),
    )
    legs = tuple(leg for leg, _trip, _listed in load_legs(event))
    return FeedData(PUBLIC, event, None, items, legs)


def delegate_feed(delegate_id: int) -> FeedData | None:
    """A delegate's feed: the items meant for them or where they have a role, the
    legs they travel with their vehicle and seat, and their stays."""
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
    event = row and load_event(row.event_id)
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
    for leg, trip_id, listed in load_legs(event):
        vehicle_id, number = seats.get(trip_id, (None, None))
        mine = next((v for v in leg.vehicles if v.id == vehicle_id), None)
        if mine is not None:
            legs.append(_with(leg, seat=(mine, number)))
        elif row.delegation_id is not None and row.delegation_id in listed:
            legs.append(leg)
    name = formal_name(*row[4:])
    return FeedData(
        DELEGATE,
        event,
        name,
        load_items(event, *conditions),
        tuple(legs),
        load_stays(event, delegate_id),
    )


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
    event = row and load_event(row.event_id)
    if event is None:
        return None
    items = load_items(
        event,
        AgendaItem.audience == AgendaAudience.EVERYONE,
        and_(
            AgendaItem.audience == AgendaAudience.DELEGATIONS,
            AgendaItem.delegations.any(Delegation.id == delegation_id),
        ),
    )
    riders = delegation_riders(delegation_id)
    legs = []
    for leg, trip_id, listed in load_legs(event):
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
        "stays": len(feed.stays),
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


_ACTIVE = ", ".join(f"'{status.value}'" for status in sorted(ACTIVE_STATUSES))
_DRAFT = EventStatus.DRAFT.value
# The token's owner comes first (a delegate's row, else a delegation's), then one
# scalar subquery per value: PostgreSQL plans the statement afresh on every request
# (psycopg forgets prepared statements at each ROLLBACK, and every request ends with
# one). Joining the owner, its event and two revision rows took 0.25 ms to plan
# (the slug's query 0.04 ms); these subqueries plan in 0.08 ms and still read one
# indexed row each.
_REVISION = """
       (SELECT {column} FROM feed_revisions
        WHERE kind = {kind} AND owner_id = {owner}) AS {name}"""
_SQL = {
    "slug": f"""
SELECT 'event' AS kind, e.id AS owner_id, e.id AS event_id,
       e.status = '{_DRAFT}' AS is_draft,
       re.revision AS event_revision, re.changed_at AS event_changed,
       NULL AS owner_revision, NULL AS owner_changed
FROM events AS e
LEFT JOIN feed_revisions AS re ON re.kind = 'event' AND re.owner_id = e.id
WHERE e.slug = :key""",
    "token": f"""
SELECT o.kind, o.id AS owner_id, o.event_id,
       (SELECT e.status = '{_DRAFT}' FROM events AS e WHERE e.id = o.event_id)
       AS is_draft,"""
    + ",".join(
        _REVISION.format(column=column, kind=kind, owner=owner, name=name)
        for column, kind, owner, name in (
            ("revision", "'event'", "o.event_id", "event_revision"),
            ("changed_at", "'event'", "o.event_id", "event_changed"),
            ("revision", "o.kind", "o.id", "owner_revision"),
            ("changed_at", "o.kind", "o.id", "owner_changed"),
        )
    )
    + f"""
FROM (SELECT '{DELEGATE}' AS kind, id, event_id FROM delegates
      WHERE feed_token = :key AND status IN ({_ACTIVE})
      UNION ALL
      SELECT '{DELEGATION}' AS kind, id, event_id FROM delegations
      WHERE feed_token = :key) AS o""",
}


@cache
def _statement(by: str):
    """The revision query by slug or by token as plain SQL (one indexed row per
    table it reads): building it with SQLAlchemy, or even its statement cache key, would cost
    more than running it."""
    return text(_SQL[by]).columns(
        column("kind", String),
        column("owner_id", Integer),
        column("event_id", Integer),
        column("is_draft"),
        column("event_revision"),
        column("event_changed", UTCDateTime),
        column("owner_revision"),
        column("owner_changed", UTCDateTime),
    )


def _version(by: str, key: str) -> FeedVersion | None:
    if db.session().in_transaction() or db.engine.dialect.name != "postgresql":
        row = db.session.execute(_statement(by), {"key": key}).first()
    else:
        # Nothing else read yet (a calendar app's conditional GET): the one statement
        # runs on a pooled connection in autocommit, so PostgreSQL is spared the
        # BEGIN before it and the ROLLBACK at the request's end (two round trips
        # of the four that GET /health takes); the session stays unused.
        with db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            row = connection.execute(_statement(by), {"key": key}).first()
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
