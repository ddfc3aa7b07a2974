"""Reading the rooms back: who travels, rooming lists per night, beds booked against
beds needed, and the warnings shown beside the itinerary's."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.formatting.plain import formal_name, format_date
from planner.models import (
    TAKING_PART,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Leg,
    Person,
    Room,
    RoomAssignment,
    RoomType,
    SeatAssignment,
    Sex,
    Stay,
    leg_delegations,
)


def travellers(event: Event) -> set[int]:
    """Ids of the delegates who need a bed: those taking part and, when the event has
    an itinerary, on it (their delegation rides a leg, or they have a seat)."""
    base = select(Delegate.id).where(
        Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART)
    )
    has_route = db.session.scalar(select(exists().where(Leg.event_id == event.id)))
    if has_route:
        on_leg = exists().where(
            leg_delegations.c.delegation_id == Delegate.delegation_id,
            leg_delegations.c.leg_id == Leg.id,
            Leg.event_id == event.id,
        )
        seated = exists().where(SeatAssignment.delegate_id == Delegate.id)
        base = base.where(or_(on_leg, seated))
    return set(db.session.scalars(base))


@dataclass
class RoomingRow:
    """One person in a room, as the front desk reads it."""

    delegate_id: int
    room: str
    room_type: RoomType
    name: str
    sex: Sex | None
    delegation: str
    head_phone: str | None
    arrives_on: date
    departs_on: date


@dataclass
class RoomingNight:
    """The rooming list of one stay for one night."""

    night: date
    rows: list[RoomingRow] = field(default_factory=list)


@dataclass
class RoomingList:
    """A stay's rooming list, night by night, in plain data for pages and files."""

    event_title: str
    hotel: str
    address: str | None
    check_in_on: date
    check_out_on: date
    nights: list[RoomingNight] = field(default_factory=list)


def _head_phones(event_id: int) -> dict[int, str | None]:
    """Delegation id → the phone of its head of delegation (a delegate of role head)."""
    phones: dict[int, str | None] = {}
    for delegation_id, phone in db.session.execute(
        select(Delegate.delegation_id, Person.phone)
        .join(Person, Person.id == Delegate.person_id)
        .where(
            Delegate.event_id == event_id,
            Delegate.role == DelegateRole.HEAD,
            Delegate.status.in_(TAKING_PART),
        )
        .order_by(Delegate.id)
    ):
        phones.setdefault(delegation_id, phone)
    return phones


def load_stay_rooms(stay: Stay) -> list[Room]:
    """The stay's rooms with their occupants, people and delegations, in few queries."""
    return list(
        db.session.scalars(
            select(Room)
            .where(Room.stay_id == stay.id)
            .options(
                selectinload(Room.assignments)
                .joinedload(RoomAssignment.delegate)
                .options(
                    joinedload(Delegate.person),
                    joinedload(Delegate.delegation),
                )
            )
            .order_by(Room.position, Room.id)
        )
    )


def _occupants(stay: Stay) -> list[tuple]:
    """Each occupant of the stay as the plain values a rooming row needs, in room
    order, in one query: loading 2,000 beds as objects took most of a list's time."""
    return db.session.execute(
        select(
            RoomAssignment.delegate_id,
            Room.label,
            Room.room_type,
            Person.full_name,
            Person.title_before,
            Person.title_after,
            Person.position,
            Person.institution,
            Person.sex,
            Delegate.delegation_id,
            Delegation.name,
        )
        .select_from(RoomAssignment)
        .join(Room, Room.id == RoomAssignment.room_id)
        .join(Delegate, Delegate.id == RoomAssignment.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(Room.stay_id == stay.id)
        .order_by(Room.position, Room.id, RoomAssignment.id)
    ).all()


def _loaded_occupants(rooms: list[Room]) -> list[tuple]:
    """The same values from rooms already loaded with their occupants (the stay page)."""
    return [
        (
            a.delegate_id,
            room.label,
            room.room_type,
            a.delegate.person.full_name,
            a.delegate.person.title_before,
            a.delegate.person.title_after,
            a.delegate.person.position,
            a.delegate.person.institution,
            a.delegate.person.sex,
            a.delegate.delegation_id,
            a.delegate.delegation.name if a.delegate.delegation else None,
        )
        for room in rooms
        for a in room.assignments
    ]


def rooming_list(
    stay: Stay,
    *,
    delegation_ids: set[int] | None = None,
    rooms: list[Room] | None = None,
) -> RoomingList:
    """One list per night of the stay (the same rooms each night, since a bed is held
    for the whole stay); ``delegation_ids`` keeps only those delegations' people;
    ``rooms`` already loaded with their occupants are read instead of the database."""
    occupants = _occupants(stay) if rooms is None else _loaded_occupants(rooms)
    phones = _head_phones(stay.event_id)
    rows = [
        RoomingRow(
            delegate_id=delegate_id,
            room=label,
            room_type=room_type,
            name=formal_name(*name_parts),
            sex=sex,
            delegation=delegation or "",
            head_phone=phones.get(delegation_id),
            arrives_on=stay.check_in_on,
            departs_on=stay.check_out_on,
        )
        for delegate_id, label, room_type, *name_parts, sex, delegation_id, delegation in (
            occupants
        )
        if delegation_ids is None or delegation_id in delegation_ids
    ]
    return RoomingList(
        event_title=stay.event.title,
        hotel=stay.place.name,
        address=stay.place.address,
        check_in_on=stay.check_in_on,
        check_out_on=stay.check_out_on,
        nights=[RoomingNight(night, rows) for night in stay.nights],
    )


def load_stays(event: Event) -> list[Stay]:
    """The event's stays with their hotels and rooms' beds, by check-in."""
    return list(
        db.session.scalars(
            select(Stay)
            .where(Stay.event_id == event.id)
            .options(joinedload(Stay.place), selectinload(Stay.rooms))
            .order_by(Stay.check_in_on, Stay.id)
        )
    )


@dataclass
class NightBeds:
    """Beds booked, given and needed on one night, over every hotel."""

    night: date
    booked: int = 0
    given: int = 0
    needed: int = 0
    rooms: int = 0


def beds_by_night(event: Event, stays: list[Stay] | None = None) -> list[NightBeds]:
    """Per night of any stay: beds booked and given, and travellers needing one."""
    stays = load_stays(event) if stays is None else stays
    needed = len(travellers(event)) if stays else 0
    given = Counter()
    for stay_id, n in db.session.execute(
        select(RoomAssignment.stay_id, db.func.count())
        .join(Stay, Stay.id == RoomAssignment.stay_id)
        .where(Stay.event_id == event.id)
        .group_by(RoomAssignment.stay_id)
    ):
        given[stay_id] = n
    nights: dict[date, NightBeds] = {}
    for stay in stays:
        for night in stay.nights:
            row = nights.setdefault(night, NightBeds(night, needed=needed))
            row.booked += sum(r.beds for r in stay.rooms)
            row.rooms += len(stay.rooms)
            row.given += given[stay.id]
    return [nights[n] for n in sorted(nights)]


def room_warnings(event: Event) -> list[str]:
    """What is wrong with the beds: travellers without one on a night away, rooms over
    capacity or of mixed sex, fewer beds booked than needed, stays off the itinerary."""
    stays = load_stays(event)
    warnings: list[str] = []
    if not stays:
        return _itinerary_warnings(event, stays)
    people = travellers(event)
    held: dict[int, set[date]] = defaultdict(set)
    rooms = db.session.scalars(
        select(Room)
        .join(Stay, Stay.id == Room.stay_id)
        .where(Stay.event_id == event.id)
        .options(
            selectinload(Room.assignments)
            .joinedload(RoomAssignment.delegate)
            .joinedload(Delegate.person)
        )
    ).all()
    stay_by_id = {s.id: s for s in stays}
    for room in rooms:
        stay = stay_by_id[room.stay_id]
        for a in room.assignments:
            held[a.delegate_id].update(stay.nights)
        if len(room.assignments) > room.beds:
            warnings.append(
                _(
                    "Kamar %(room)s di %(hotel)s diisi %(n)s orang untuk %(beds)s "
                    "tempat tidur.",
                    room=room.label,
                    hotel=stay.place.name,
                    n=len(room.assignments),
                    beds=room.beds,
                )
            )
        sexes = {a.delegate.person.sex for a in room.assignments}
        if not room.is_family and len(sexes) > 1:
            warnings.append(
                _(
                    "Kamar %(room)s di %(hotel)s berisi laki-laki dan perempuan, "
                    "padahal bukan kamar keluarga.",
                    room=room.label,
                    hotel=stay.place.name,
                )
            )
    all_nights = sorted({n for s in stays for n in s.nights})
    for night in all_nights:
        missing = sum(1 for d in people if night not in held[d])
        if missing:
            warnings.append(
                _(
                    "%(n)s peserta belum mendapat tempat tidur pada malam %(night)s.",
                    n=missing,
                    night=format_date(night),
                )
            )
    for row in beds_by_night(event, stays):
        if row.booked < row.needed:
            warnings.append(
                _(
                    "Malam %(night)s: %(booked)s tempat tidur dipesan, %(needed)s "
                    "dibutuhkan.",
                    night=format_date(row.night),
                    booked=row.booked,
                    needed=row.needed,
                )
            )
    return warnings + _itinerary_warnings(event, stays)


def _itinerary_warnings(event: Event, stays: list[Stay]) -> list[str]:
    """Nights the route spends at a hotel where no stay is booked."""
    from planner.services.rooms.stays import itinerary_nights

    warnings = []
    planned = itinerary_nights(event)
    for night, place in sorted(planned.items()):
        if not any(s.place_id == place.id and night in s.nights for s in stays):
            warnings.append(
                _(
                    "Menurut rute, rombongan menginap di %(hotel)s pada malam "
                    "%(night)s, tetapi belum ada pemesanan di sana.",
                    hotel=place.name,
                    night=format_date(night),
                )
            )
    return warnings


__all__ = [
    "NightBeds",
    "RoomingList",
    "RoomingNight",
    "RoomingRow",
    "beds_by_night",
    "load_stay_rooms",
    "load_stays",
    "room_warnings",
    "rooming_list",
    "travellers",
]
