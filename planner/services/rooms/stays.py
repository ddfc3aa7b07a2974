"""Stays and rooms: booking a hotel for some nights, and the rooms taken there.

A stay's nights are the dates from check-in up to the day before check-out. Where
the itinerary says it (a day's last leg ends at a hotel), the nights follow from it
(:func:`itinerary_nights`); :func:`stays_from_itinerary` books them in one go.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import (
    BEDS_BY_TYPE,
    Event,
    Leg,
    Place,
    PlaceKind,
    Room,
    RoomType,
    Stay,
)
from planner.services import PlannerError, parsing

#: How far before the first day and after the last day a stay may lie (travel days).
TRAVEL_WINDOW = timedelta(days=3)
#: Most rooms booked in one go.
MAX_ROOMS = 2_000
#: Most rupiah per room and night (keeps the integer column honest).
MAX_RATE = 100_000_000


class RoomError(PlannerError):
    """A stay or room could not be saved: bad dates, beds, rate or a wrong event."""


# Stays --------------------------------------------------------------------------------


def _hotel(data: dict) -> Place:
    """The place picked from the list, or a new hotel named on the spot."""
    ident = parsing.form_id(data.get("place_id"))
    if ident is not None:
        place = db.session.get(Place, ident) if ident > 0 else None
        if place is None:
            raise RoomError(_("Pilih tempat dari daftar."), field="place_id")
        return place
    name = parsing.text(data.get("new_place_name"), limit=200, field="new_place_name")
    if name is None:
        raise RoomError(
            _("Pilih hotel dari daftar atau ketik nama hotel baru."), field="place_id"
        )
    place = Place(name=name, kind=PlaceKind.HOTEL)
    db.session.add(place)
    return place


def _dates(event: Event, data: dict) -> tuple[date, date]:
    window = (event.starts_on, event.ends_on)
    check_in = parsing.day(
        data.get("check_in_on"), field="check_in_on", near=window, window=TRAVEL_WINDOW
    )
    check_out = parsing.day(
        data.get("check_out_on"),
        field="check_out_on",
        near=window,
        window=TRAVEL_WINDOW,
    )
    if check_out <= check_in:
        raise RoomError(
            _("Tanggal check-out harus sesudah tanggal check-in."),
            field="check_out_on",
        )
    return check_in, check_out


def create_stay(event: Event, *, data: dict) -> Stay:
    """Book a hotel for the nights from check-in to check-out."""
    check_in, check_out = _dates(event, data)
    booking_ref = parsing.text_in(data, "booking_ref", 60)
    notes = parsing.text(data.get("notes"))
    place = _hotel(data)
    stay = Stay(
        event=event,
        place=place,
        check_in_on=check_in,
        check_out_on=check_out,
        booking_ref=booking_ref,
        notes=notes,
    )
    db.session.add(stay)
    db.session.flush()
    return stay


def update_stay(stay: Stay, *, data: dict) -> Stay:
    """Change a stay's hotel, dates, booking reference or notes."""
    check_in, check_out = _dates(stay.event, data)
    booking_ref = parsing.text_in(data, "booking_ref", 60)
    notes = parsing.text(data.get("notes"))
    place = _hotel(data)
    stay.place = place
    stay.check_in_on, stay.check_out_on = check_in, check_out
    stay.booking_ref, stay.notes = booking_ref, notes
    db.session.flush()
    return stay


def delete_stay(stay: Stay) -> None:
    """Remove a stay with its rooms and who was in them."""
    db.session.delete(stay)
    db.session.flush()


# Rooms --------------------------------------------------------------------------------


def _room_fields(data: dict) -> tuple[RoomType, int, int, bool]:
    room_type = parsing.choice(RoomType, data.get("room_type"), field="room_type")
    if room_type is None:
        raise RoomError(_("Pilih jenis kamar."), field="room_type")
    beds = BEDS_BY_TYPE[room_type]
    if beds is None:
        beds = data.get("beds")
        if not isinstance(beds, int) or isinstance(beds, bool) or not 1 <= beds <= 100:
            raise RoomError(
                _("Kamar asrama harus punya 1 sampai 100 tempat tidur."), field="beds"
            )
    rate = data.get("rate")
    if rate in (None, ""):
        rate = 0
    if not isinstance(rate, int) or isinstance(rate, bool) or rate < 0:
        raise RoomError(
            _("Tarif per malam harus bilangan bulat rupiah, 0 atau lebih."),
            field="rate",
        )
    if rate > MAX_RATE:
        raise RoomError(_("Tarif per malam terlalu besar."), field="rate")
    return room_type, beds, rate, bool(data.get("is_family"))


def add_rooms(stay: Stay, *, data: dict) -> list[Room]:
    """Book ``count`` rooms of one type at a stay, labelled "Twin 1", "Twin 2", … until
    the hotel gives their numbers."""
    room_type, beds, rate, is_family = _room_fields(data)
    count = data.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise RoomError(_("Jumlah kamar paling sedikit 1."), field="count")
    if count > MAX_ROOMS:
        raise RoomError(
            _("Paling banyak %(n)s kamar sekaligus.", n=MAX_ROOMS), field="count"
        )
    prefix = parsing.text_in(data, "label", 30) or _type_prefix(room_type)
    existing = set(
        db.session.scalars(select(Room.label).where(Room.stay_id == stay.id))
    )
    last = db.session.scalar(
        select(func.coalesce(func.max(Room.position), 0)).where(Room.stay_id == stay.id)
    )
    rooms, n = [], 0
    while len(rooms) < count:
        n += 1
        label = f"{prefix} {n}"
        if label in existing:
            continue
        rooms.append(
            Room(
                stay=stay,
                label=label,
                room_type=room_type,
                beds=beds,
                rate=rate,
                is_family=is_family,
                position=last + len(rooms) + 1,
            )
        )
    db.session.add_all(rooms)
    db.session.flush()
    return rooms


def _type_prefix(room_type: RoomType) -> str:
    return {
        RoomType.SINGLE: "Single",
        RoomType.TWIN: "Twin",
        RoomType.DOUBLE: "Double",
        RoomType.TRIPLE: "Triple",
        RoomType.DORMITORY: "Asrama",
    }[room_type]


def update_room(room: Room, *, data: dict) -> Room:
    """Change a room's number, type, beds, rate or family mark; fewer beds than
    occupants is refused."""
    label = parsing.text_in(data, "label", 40)
    if label is None:
        raise RoomError(_("Nomor kamar wajib diisi."), field="label")
    room_type, beds, rate, is_family = _room_fields(data)
    occupants = len(room.assignments)
    if occupants > beds:
        raise RoomError(
            _(
                "Kamar ini sudah diisi %(n)s orang; kurangi penghuninya dulu.",
                n=occupants,
            ),
            field="beds",
        )
    clash = db.session.scalar(
        select(Room.id).where(
            Room.stay_id == room.stay_id, Room.label == label, Room.id != room.id
        )
    )
    if clash is not None:
        raise RoomError(_("Nomor kamar ini sudah dipakai."), field="label")
    room.label, room.room_type, room.beds = label, room_type, beds
    room.rate, room.is_family = rate, is_family
    db.session.flush()
    return room


def delete_room(room: Room) -> None:
    """Remove a room and the beds given in it."""
    db.session.delete(room)
    db.session.flush()


# From the itinerary -------------------------------------------------------------------


def itinerary_nights(event: Event) -> dict[date, Place]:
    """Night → hotel, where the itinerary says it: a day whose last leg ends at a
    hotel is a night there, and so are the days without legs up to the next leg that
    leaves it."""
    legs = db.session.scalars(
        select(Leg)
        .where(Leg.event_id == event.id)
        .options(joinedload(Leg.to_place).joinedload(Place.region))
        .order_by(Leg.arrives_at, Leg.id)
    ).all()
    by_day: dict[date, Leg] = {}
    for leg in legs:
        zone = ZoneInfo(
            leg.to_place.region.timezone if leg.to_place.region else event.timezone
        )
        by_day[leg.arrives_at.astimezone(zone).date()] = leg  # the day's last
    nights: dict[date, Place] = {}
    days = sorted(by_day)
    for n, day in enumerate(days):
        place = by_day[day].to_place
        if place.kind != PlaceKind.HOTEL:
            continue
        nights[day] = place
        following = days[n + 1] if n + 1 < len(days) else None
        gap = day + timedelta(days=1)
        while following is not None and gap < following:
            nights[gap] = place
            gap += timedelta(days=1)
    return nights


def stays_from_itinerary(event: Event) -> list[Stay]:
    """Book the nights the itinerary gives, one stay per run of nights at one hotel;
    nights a stay at that hotel already covers are left alone."""
    covered: dict[int, set[date]] = defaultdict(set)
    for stay in db.session.scalars(select(Stay).where(Stay.event_id == event.id)):
        covered[stay.place_id].update(stay.nights)
    made: list[Stay] = []
    current: Stay | None = None
    for night, place in sorted(itinerary_nights(event).items()):
        if night in covered[place.id]:
            current = None
            continue
        if (
            current is not None
            and current.place_id == place.id
            and current.check_out_on == night
        ):
            current.check_out_on = night + timedelta(days=1)
            continue
        current = Stay(
            event=event,
            place=place,
            place_id=place.id,
            check_in_on=night,
            check_out_on=night + timedelta(days=1),
        )
        db.session.add(current)
        made.append(current)
    db.session.flush()
    return made
