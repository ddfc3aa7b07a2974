"""Shared by the calendar tests: a small event with agenda and a WITA → WIB trip, a
hotel stay for it, and reading a feed back with two independent parsers (icalendar
and vobject)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import icalendar
import pytest
import vobject

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    Delegate,
    DelegateRole,
    DelegateStatus,
    LegMode,
    PlaceKind,
    SeatAssignment,
    SpeakerRole,
)
from planner.services.rooms import add_rooms, assign_room, create_stay
from tests.conftest import region

#: 6 May 2027: the flight leaves Makassar at 09.00 WITA and lands at 10.30 WIB.
FLIGHT_DEPARTS = datetime(2027, 5, 6, 1, 0, tzinfo=UTC)
FLIGHT_ARRIVES = datetime(2027, 5, 6, 3, 30, tzinfo=UTC)
ROAD_DEPARTS = datetime(2027, 5, 6, 4, 0, tzinfo=UTC)
ROAD_ARRIVES = datetime(2027, 5, 6, 5, 30, tzinfo=UTC)
#: 7 May 2027, 08.00–09.00 WIB.
OPENING_STARTS = datetime(2027, 5, 7, 1, 0, tzinfo=UTC)

DRIVER = "Pak Sopir Rahasia"
DRIVER_PHONE = "+6281100011122"
PLATE = "B 7001 PSM"
SEAT = 4


@dataclass
class World:
    """Ids (plain ints: objects expire between requests) and the accounts."""

    event_id: int
    slug: str
    organiser: object
    other_organiser: object
    head: object  #: chapter head of Kota Makassar (heads its delegation)
    other_head: object  #: chapter head of Kabupaten Bangka
    participant: object  #: the account of the delegate's person
    delegate_id: int
    delegate_token: str
    other_delegate_id: int
    delegation_id: int
    delegation_token: str
    other_delegation_id: int
    vehicle_id: int
    trip_id: int
    flight_id: int
    road_id: int
    opening_id: int
    committee_id: int
    for_makassar_id: int
    for_bangka_id: int
    moderated_id: int


def build_world(
    *,
    make_user,
    make_event,
    make_place,
    make_person,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
    **event_fields,
) -> World:
    """A Jakarta rakor: a Makassar delegation flying in (WITA → WIB), a van from the
    airport, five agenda items for different audiences."""
    organiser = make_user("organiser")
    other_organiser = make_user("organiser")
    venue = make_place(
        name="Hotel Balai Kartini",
        region=region("31.74"),
        address="Jl. Gatot Subroto Kav. 37",
        lat=-6.2349,
        lon=106.8308,
    )
    event_fields.setdefault("starts_on", date(2027, 5, 7))
    event_fields.setdefault("ends_on", date(2027, 5, 8))
    event = make_event(
        title="Rakor IPSM Nasional",
        organisers=[organiser],
        venue=venue,
        timezone="Asia/Jakarta",
        **event_fields,
    )
    makassar = make_delegation(event, region=region("73.71"), quota=5)
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    head = make_user("chapter_head", regions=("73.71",))
    other_head = make_user("chapter_head", regions=("19.01",))
    person = make_person(full_name="Andi Makassar", region=region("73.71"))
    participant = make_user("participant", person=person)
    delegate = make_delegate(makassar, person=person, status=DelegateStatus.CONFIRMED)
    other = make_delegate(
        bangka,
        person=make_person(full_name="Rahmat Bangka", region=region("19.01")),
        status=DelegateStatus.CONFIRMED,
    )
    airport_upg = make_place(
        name="Bandara Sultan Hasanuddin",
        kind=PlaceKind.AIRPORT,
        region=region("73.71"),
        lat=-5.0616,
        lon=119.5540,
    )
    airport_cgk = make_place(
        name="Bandara Soekarno-Hatta",
        kind=PlaceKind.AIRPORT,
        region=region("36.03"),
        lat=-6.1256,
        lon=106.6559,
    )
    van = make_vehicle(
        event,
        label="Travel 1",
        plate=PLATE,
        driver_name=DRIVER,
        driver_phone=DRIVER_PHONE,
    )
    trip = make_trip(event, name="Berangkat")
    flight = make_leg(
        trip,
        mode=LegMode.AIR,
        from_place=airport_upg,
        to_place=airport_cgk,
        departs_at=FLIGHT_DEPARTS,
        arrives_at=FLIGHT_ARRIVES,
        carrier="Garuda Indonesia",
        vessel="GA 615",
        booking_ref="KODE-RAHASIA-1",
        position=0,
    )
    flight.delegations.append(makassar)
    road = make_leg(
        trip,
        mode=LegMode.ROAD,
        from_place=airport_cgk,
        to_place=venue,
        departs_at=ROAD_DEPARTS,
        arrives_at=ROAD_ARRIVES,
        position=1,
    )
    road.vehicles.append(van)
    db.session.add_all(
        [
            SeatAssignment(trip=trip, vehicle=van, delegate=delegate, seat_number=SEAT),
            SeatAssignment(trip=trip, vehicle=van, delegate=other, seat_number=5),
        ]
    )

    def item(title, hour, audience=AgendaAudience.EVERYONE, **kw):
        starts = OPENING_STARTS.replace(hour=OPENING_STARTS.hour + hour)
        row = AgendaItem(
            event=event,
            title=title,
            kind=kw.pop("kind", AgendaKind.MATERIAL),
            starts_at=starts,
            ends_at=starts.replace(hour=starts.hour + 1),
            audience=audience,
            **kw,
        )
        db.session.add(row)
        return row

    opening = item("Pembukaan Rakor", 0, kind=AgendaKind.OPENING, room="Ruang Melati")
    opening.speakers = [
        AgendaSpeaker(
            role=SpeakerRole.SPEAKER,
            name="Dr. H. Ahmad Fauzi, M.Si.",
            title="Kepala Dinas Sosial Provinsi",
            institution="Pemerintah Provinsi DKI Jakarta",
        ),
        AgendaSpeaker(role=SpeakerRole.MC, name="Sari Pembawa Acara", position=1),
    ]
    committee = item("Rapat panitia", 1, AgendaAudience.COMMITTEE)
    for_makassar = item("Paparan Kota Makassar", 2, AgendaAudience.DELEGATIONS)
    for_makassar.delegations = [makassar]
    for_bangka = item("Paparan Kabupaten Bangka", 3, AgendaAudience.DELEGATIONS)
    for_bangka.delegations = [bangka]
    moderated = item("Evaluasi panitia", 4, AgendaAudience.COMMITTEE)
    moderated.speakers = [
        AgendaSpeaker(role=SpeakerRole.MODERATOR, person=person, position=0)
    ]
    makassar.head_user_id = head.id
    db.session.commit()
    return World(
        event_id=event.id,
        slug=event.slug,
        organiser=organiser,
        other_organiser=other_organiser,
        head=head,
        other_head=other_head,
        participant=participant,
        delegate_id=delegate.id,
        delegate_token=delegate.feed_token,
        other_delegate_id=other.id,
        delegation_id=makassar.id,
        delegation_token=makassar.feed_token,
        other_delegation_id=bangka.id,
        vehicle_id=van.id,
        trip_id=trip.id,
        flight_id=flight.id,
        road_id=road.id,
        opening_id=opening.id,
        committee_id=committee.id,
        for_makassar_id=for_makassar.id,
        for_bangka_id=for_bangka.id,
        moderated_id=moderated.id,
    )


#: The hotel of the stay (``book_stay``): two nights before and during the rakor.
HOTEL = "Hotel Aryaduta Menteng"
HOTEL_ADDRESS = "Jl. Prajurit KKO Usman dan Harun 44-48"
HOTEL_LAT, HOTEL_LON = -6.1812, 106.8337
CHECK_IN = date(2027, 5, 6)
CHECK_OUT = date(2027, 5, 8)


@dataclass
class Booking:
    """Ids of a stay booked for the world: the delegate and the other delegate share
    a four-bed room; ``outsider`` sleeps alone in a twin at the same hotel."""

    stay_id: int
    shared_room_id: int
    twin_room_id: int
    outsider_id: int
    outsider_token: str


def book_stay(world: World, *, make_place, make_delegate) -> Booking:
    """Book the hotel for the world and give its delegates their beds."""
    from planner.models import Delegation, Event

    event = db.session.get(Event, world.event_id)
    hotel = make_place(
        name=HOTEL,
        kind=PlaceKind.HOTEL,
        region=region("31.74"),
        address=HOTEL_ADDRESS,
        lat=HOTEL_LAT,
        lon=HOTEL_LON,
    )
    stay = create_stay(
        event,
        data={"place_id": hotel.id, "check_in_on": CHECK_IN, "check_out_on": CHECK_OUT},
    )
    shared = add_rooms(stay, data={"room_type": "dormitory", "count": 1, "beds": 4})[0]
    twin = add_rooms(stay, data={"room_type": "twin", "count": 1})[0]
    db.session.commit()
    outsider = make_delegate(
        db.session.get(Delegation, world.other_delegation_id),
        status=DelegateStatus.CONFIRMED,
    )
    assign_room(shared, delegate=db.session.get(Delegate, world.delegate_id))
    assign_room(shared, delegate=db.session.get(Delegate, world.other_delegate_id))
    assign_room(twin, delegate=outsider)
    db.session.commit()
    return Booking(stay.id, shared.id, twin.id, outsider.id, outsider.feed_token)


def stays_of(entries: dict) -> dict:
    """The stay entries among a parsed feed's."""
    return {uid: e for uid, e in entries.items() if uid.startswith("stay-")}


def committee_role(delegate) -> None:
    """Make a delegate a committee member (panitia)."""
    delegate.role = DelegateRole.COMMITTEE


# Reading feeds back -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One VEVENT as both parsers read it."""

    uid: str
    summary: str
    description: str
    start_utc: datetime | date  #: a date for an all-day entry
    end_utc: datetime | date
    start_tzid: str
    end_tzid: str
    status: str
    sequence: int
    location: str | None


def _utc(value: datetime | date) -> datetime | date:
    """A time in UTC; an all-day entry's date as it is."""
    if not isinstance(value, datetime):
        return value
    assert value.tzinfo is not None, "a floating time in a feed"
    return value.astimezone(UTC)


def parse(data: bytes) -> dict[str, Entry]:
    """The entries by UID, read by icalendar and checked against vobject's reading."""
    calendar = icalendar.Calendar.from_ical(data)
    ours = {}
    for component in calendar.walk("VEVENT"):
        start, end = component["DTSTART"], component["DTEND"]
        entry = Entry(
            uid=str(component["UID"]),
            summary=str(component["SUMMARY"]),
            description=str(component.get("DESCRIPTION", "")),
            start_utc=_utc(start.dt),
            end_utc=_utc(end.dt),
            start_tzid=start.params.get("TZID"),
            end_tzid=end.params.get("TZID"),
            status=str(component["STATUS"]),
            sequence=int(component["SEQUENCE"]),
            location=str(component["LOCATION"]) if "LOCATION" in component else None,
        )
        ours[entry.uid] = entry
    theirs = {}
    for vevent in vobject.readOne(data.decode("utf-8")).contents.get("vevent", []):
        theirs[vevent.uid.value] = (
            vevent.summary.value,
            _utc(vevent.dtstart.value),
            _utc(vevent.dtend.value),
            vevent.status.value,
            int(vevent.sequence.value),
            vevent.description.value if hasattr(vevent, "description") else "",
        )
    assert set(theirs) == set(ours)
    for uid, entry in ours.items():
        assert theirs[uid] == (
            entry.summary,
            entry.start_utc,
            entry.end_utc,
            entry.status,
            entry.sequence,
            entry.description,
        ), uid
    return ours


def calendar_of(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def long_lines(data: bytes) -> list[bytes]:
    """Lines longer than 75 octets (the CRLF not counted)."""
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    return [line for line in data.split(b"\r\n") if len(line) > 75]


@pytest.fixture
def world(
    app_ctx,
    make_user,
    make_event,
    make_place,
    make_person,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
):
    """A Jakarta rakor with a Makassar delegation flying in (see build_world)."""
    return build_world(
        make_user=make_user,
        make_event=make_event,
        make_place=make_place,
        make_person=make_person,
        make_delegation=make_delegation,
        make_delegate=make_delegate,
        make_vehicle=make_vehicle,
        make_trip=make_trip,
        make_leg=make_leg,
    )
