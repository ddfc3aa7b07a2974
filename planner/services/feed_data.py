"""Plain data of a calendar feed (frozen, hashable, no ORM objects), and the loading of
an event's share of it: the event, its items with speakers and delegations, its legs
with places and vehicles, each in a constant number of queries (rows selected column
by column, collections by the event they belong to, never by lists of ids).

``planner/services/feeds.py`` assembles the feeds; ``planner/exports/ical.py`` turns
them into bytes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from planner.extensions import db
from planner.formatting.plain import formal_name
from planner.models import (
    AgendaItem,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Person,
    Place,
    Region,
    Room,
    RoomAssignment,
    Stay,
    Vehicle,
    agenda_item_delegations,
    leg_delegations,
    leg_vehicles,
)
from planner.models.feed import EVENT

#: The public feed's kind (its revision is its event's).
PUBLIC = EVENT


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
class StayData:
    """A hotel stay as its guest sees it (a delegate's feed)."""

    id: int
    sequence: int
    #: When the stay or the guest's bed last changed (the entry's DTSTAMP).
    updated_at: datetime
    check_in_on: date
    check_out_on: date  #: exclusive: the morning the guest leaves
    place: PlaceData
    room: str
    #: Formal names of the others in the same room, in the order they were put there.
    roommates: tuple[str, ...]


@dataclass(frozen=True)
class FeedData:
    """Everything one feed shows."""

    kind: str  #: PUBLIC, DELEGATE or DELEGATION
    event: EventData
    #: The delegate's formal name or the delegation's name (the calendar's name).
    owner_name: str | None
    items: tuple[ItemData, ...]
    legs: tuple[LegData, ...]
    #: The hotel nights of the subscriber (a delegate's feed only).
    stays: tuple[StayData, ...] = ()

    @property
    def private(self) -> bool:
        """A secret feed: plates, drivers and booking codes may be shown."""
        return self.kind != PUBLIC


# Loading ------------------------------------------------------------------------------


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


def load_event(event_id: int) -> EventData | None:
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


def load_items(event: EventData, *conditions) -> tuple[ItemData, ...]:
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


def load_legs(event: EventData) -> list[tuple[LegData, int, set[int]]]:
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


def load_stays(event: EventData, delegate_id: int) -> tuple[StayData, ...]:
    """The delegate's stays with their room and roommates, by check-in (ONE query:
    a row per occupant of each of the delegate's rooms, the delegate's own included)."""
    mine, other = aliased(RoomAssignment), aliased(RoomAssignment)
    place, region = aliased(Place), aliased(Region)
    rows = db.session.execute(
        select(
            Stay.id,
            Stay.sequence,
            Stay.updated_at,
            Stay.check_in_on,
            Stay.check_out_on,
            Room.label,
            mine.created_at,
            other.delegate_id,
            Person.full_name,
            Person.title_before,
            Person.title_after,
            Person.position,
            Person.institution,
            *_place_columns(place, region),
        )
        .select_from(mine)
        .join(Room, Room.id == mine.room_id)
        .join(Stay, Stay.id == Room.stay_id)
        .join(place, place.id == Stay.place_id)
        .outerjoin(region, region.id == place.region_id)
        .join(other, other.room_id == mine.room_id)
        .join(Delegate, Delegate.id == other.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .where(mine.delegate_id == delegate_id)
        .order_by(Stay.check_in_on, Stay.id, other.id)
    ).all()
    roommates: dict[int, list[str]] = defaultdict(list)
    first: dict[int, tuple] = {}
    for row in rows:
        first.setdefault(row[0], row)
        if row[7] != delegate_id:
            roommates[row[0]].append(formal_name(*row[8:13]))
    return tuple(
        StayData(
            stay_id,
            row[1],
            max(row[2], row[6]),
            row[3],
            row[4],
            _place(row[13:], event.timezone),
            row[5],
            tuple(roommates.get(stay_id, ())),
        )
        for stay_id, row in first.items()
    )
