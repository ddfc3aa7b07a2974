"""Stays, rooms and who sleeps where (issue 12): services, pages and exports."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import (
    DelegateRole,
    DelegateStatus,
    LegMode,
    PlaceKind,
    Room,
    Sex,
    Stay,
)
from planner.services import PlannerError
from planner.services.rooms import (
    add_rooms,
    assign_room,
    auto_assign_rooms,
    beds_by_night,
    create_stay,
    itinerary_nights,
    room_warnings,
    stays_from_itinerary,
    travellers,
    update_room,
)
from tests.conftest import region


@pytest.fixture
def tour(make_event, make_delegation, make_delegate, make_person, make_place):
    """A five-day study tour: two delegations (men and women), a hotel booked."""
    event = make_event(
        starts_on=datetime(2031, 5, 5).date(), ends_on=datetime(2031, 5, 9).date()
    )
    bangka = make_delegation(event, region=region("19.01"), quota=10)
    belitung = make_delegation(event, region=region("19.02"), quota=10)
    people = []
    for delegation, sexes in ((bangka, "MMMFF"), (belitung, "MFFF")):
        for n, sex in enumerate(sexes):
            person = make_person(
                sex=Sex.MALE if sex == "M" else Sex.FEMALE,
                phone=f"+62812000{delegation.id:02d}{n:03d}",
            )
            people.append(
                make_delegate(
                    delegation,
                    person=person,
                    status=DelegateStatus.CONFIRMED,
                    role=DelegateRole.HEAD if n == 0 else DelegateRole.PARTICIPANT,
                )
            )
    hotel = make_place(kind=PlaceKind.HOTEL, name="Hotel Sriwijaya")
    return {"event": event, "people": people, "hotel": hotel}


def _stay(tour, **kw):
    data = {
        "place_id": tour["hotel"].id,
        "check_in_on": tour["event"].starts_on,
        "check_out_on": tour["event"].starts_on + timedelta(days=2),
    } | kw
    stay = create_stay(tour["event"], data=data)
    db.session.commit()
    return stay


def test_a_stay_and_its_rooms(tour):
    stay = _stay(tour)
    assert len(stay.nights) == 2
    rooms = add_rooms(stay, data={"room_type": "twin", "count": 3, "rate": 450_000})
    add_rooms(stay, data={"room_type": "dormitory", "count": 1, "beds": 6})
    db.session.commit()
    assert [r.label for r in rooms] == ["Twin 1", "Twin 2", "Twin 3"]
    assert sum(r.beds for r in stay.rooms) == 12


def test_check_out_before_check_in_is_refused(tour):
    event = tour["event"]
    for check_out in (event.starts_on, event.starts_on + timedelta(days=1)):
        with pytest.raises(PlannerError, match="check-out") as info:
            create_stay(
                event,
                data={
                    "place_id": tour["hotel"].id,
                    "check_in_on": event.starts_on + timedelta(days=1),
                    "check_out_on": check_out,
                },
            )
        assert info.value.field == "check_out_on"
    with pytest.raises(PlannerError) as info:
        create_stay(
            event,
            data={
                "place_id": "",
                "check_in_on": event.starts_on,
                "check_out_on": event.ends_on,
            },
        )
    assert info.value.field == "place_id"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Stay.id))) == 0


def test_a_stay_outside_the_event_is_refused(tour):
    event = tour["event"]
    with pytest.raises(PlannerError) as info:
        create_stay(
            event,
            data={
                "place_id": tour["hotel"].id,
                "check_in_on": event.starts_on + timedelta(days=30),
                "check_out_on": event.starts_on + timedelta(days=31),
            },
        )
    assert info.value.field == "check_in_on"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"room_type": "dormitory", "beds": 0}, "beds"),
        ({"rate": -1}, "rate"),
        ({"count": 0}, "count"),
        ({"room_type": "suite"}, "room_type"),
    ],
)
def test_bad_rooms_are_refused(tour, data, field):
    stay = _stay(tour)
    with pytest.raises(PlannerError) as info:
        add_rooms(stay, data={"room_type": "twin", "count": 1} | data)
    assert info.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Room.id))) == 0


def test_a_hotel_made_on_the_spot(tour):
    event = tour["event"]
    stay = create_stay(
        event,
        data={
            "new_place_name": "Wisma Atlet",
            "check_in_on": event.starts_on,
            "check_out_on": event.starts_on + timedelta(days=1),
        },
    )
    assert stay.place.kind == PlaceKind.HOTEL and stay.place.name == "Wisma Atlet"


def _occupants(stay):
    db.session.expire_all()
    return {
        room.label: sorted(a.delegate_id for a in room.assignments)
        for room in db.session.get(Stay, stay.id).rooms
    }


def test_automatic_rooms_keep_sex_and_delegation_and_use_few_rooms(tour):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "triple", "count": 2})
    add_rooms(stay, data={"room_type": "twin", "count": 4})
    add_rooms(stay, data={"room_type": "single", "count": 2})
    db.session.commit()
    result = auto_assign_rooms(tour["event"])
    db.session.commit()
    assert result.placed == 9 and not result.unplaced
    by_id = {d.id: d for d in tour["people"]}
    used = [ids for ids in _occupants(stay).values() if ids]
    for ids in used:
        assert len({by_id[i].person.sex for i in ids}) == 1
        assert len({by_id[i].delegation_id for i in ids}) == 1
    # Bangka: 3 men (a triple) + 2 women (a twin); Belitung: 3 women (a triple)
    # + 1 man (a single): four rooms.
    assert result.rooms_used == 4 == len(used)
    assert room_warnings(tour["event"]) == []


def test_pinned_beds_are_kept_and_replacements_take_them(
    tour, make_delegate, make_person
):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "twin", "count": 6})
    db.session.commit()
    first = tour["people"][1]
    room = stay.rooms[5]
    assign_room(room, delegate=first)
    db.session.commit()
    auto_assign_rooms(tour["event"])
    db.session.commit()
    assert first.id in _occupants(stay)["Twin 6"]

    first.status = DelegateStatus.REPLACED
    newcomer = make_delegate(
        first.delegation,
        person=make_person(sex=Sex.MALE),
        status=DelegateStatus.CONFIRMED,
        replaces=first,
    )
    auto_assign_rooms(tour["event"])
    db.session.commit()
    assert newcomer.id in _occupants(stay)["Twin 6"]
    assert first.id not in {i for ids in _occupants(stay).values() for i in ids}


def test_hand_made_choices_are_checked(tour):
    stay = _stay(tour)
    single = add_rooms(stay, data={"room_type": "single", "count": 1})[0]
    twin = add_rooms(stay, data={"room_type": "twin", "count": 1})[0]
    db.session.commit()
    man, woman = tour["people"][0], tour["people"][3]
    assign_room(single, delegate=man)
    with pytest.raises(PlannerError, match="penuh"):
        assign_room(single, delegate=woman)
    assign_room(twin, delegate=woman)
    with pytest.raises(PlannerError, match="keluarga"):
        assign_room(twin, delegate=man)
    update_room(
        twin,
        data={"label": "101", "room_type": "twin", "rate": 0, "is_family": True},
    )
    assign_room(twin, delegate=man)
    db.session.commit()
    assert {a.delegate_id for a in twin.assignments} == {man.id, woman.id}


def test_warnings_name_what_is_missing(tour):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "twin", "count": 2})
    db.session.commit()
    auto_assign_rooms(tour["event"])
    db.session.commit()
    text = " ".join(room_warnings(tour["event"]))
    assert "belum mendapat tempat tidur" in text
    assert "4 tempat tidur dipesan, 9 dibutuhkan" in text
    rows = beds_by_night(tour["event"])
    assert [(r.booked, r.needed) for r in rows] == [(4, 9), (4, 9)]


def test_nights_follow_the_itinerary(tour, make_trip, make_leg, make_place):
    event = tour["event"]
    hotel = tour["hotel"]
    trip = make_trip(event)
    port = make_place(kind=PlaceKind.PORT)
    day1 = datetime.combine(event.starts_on, time(9), tzinfo=UTC)
    make_leg(trip, to_place=port, departs_at=day1, arrives_at=day1 + timedelta(hours=2))
    make_leg(
        trip,
        from_place=port,
        to_place=hotel,
        mode=LegMode.FERRY,
        departs_at=day1 + timedelta(hours=3),
        arrives_at=day1 + timedelta(hours=6),
    )
    day3 = day1 + timedelta(days=2)
    make_leg(
        trip,
        from_place=hotel,
        to_place=port,
        departs_at=day3,
        arrives_at=day3 + timedelta(hours=1),
    )
    nights = itinerary_nights(event)
    assert nights == {
        event.starts_on: hotel,
        event.starts_on + timedelta(days=1): hotel,
    }
    assert "belum ada pemesanan" in " ".join(room_warnings(event))
    made = stays_from_itinerary(event)
    db.session.commit()
    assert [(s.check_in_on, s.check_out_on) for s in made] == [
        (event.starts_on, event.starts_on + timedelta(days=2))
    ]
    assert stays_from_itinerary(event) == []
    # Nobody rides a leg yet: no traveller needs a bed.
    assert travellers(event) == set()


# Pages ------------------------------------------------------------------------------


@pytest.fixture
def organiser(make_user, tour, login):
    user = make_user("organiser")
    tour["event"].organisers.append(user)
    db.session.commit()
    login(user)
    return user


def _base(tour):
    return f"/events/{tour['event'].id}/rooms"


def test_organiser_books_a_stay_and_rooms_through_the_pages(client, tour, organiser):
    event = tour["event"]
    response = client.post(
        f"{_base(tour)}/stays/new",
        data={
            "place_id": tour["hotel"].id,
            "check_in_on": event.starts_on.isoformat(),
            "check_out_on": (event.starts_on + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    stay = db.session.scalar(select(Stay))
    response = client.post(
        f"{_base(tour)}/stays/{stay.id}/rooms",
        data={"rooms-room_type": "twin", "rooms-count": "5", "rooms-rate": "350000"},
    )
    assert response.status_code == 302
    assert client.post(f"{_base(tour)}/auto").status_code == 302
    page = client.get(f"{_base(tour)}/").get_data(as_text=True)
    assert "Hotel Sriwijaya" in page and "beds-by-night" in page
    page = client.get(f"{_base(tour)}/stays/{stay.id}").get_data(as_text=True)
    assert "Twin 5" in page and page.count("rooming-night") == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"check_out_on": "2031-05-04"}, "check-out harus sesudah"),
        ({"check_in_on": "2031-08-01", "check_out_on": "2031-08-02"}, "terlalu jauh"),
        ({"check_in_on": "kemarin"}, "Tanggal tidak valid"),
    ],
)
def test_bad_stay_input_is_refused_with_a_message(
    client, tour, organiser, data, message
):
    form = {
        "place_id": tour["hotel"].id,
        "check_in_on": "2031-05-05",
        "check_out_on": "2031-05-07",
    } | data
    response = client.post(f"{_base(tour)}/stays/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Stay.id))) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rooms-room_type": "dormitory", "rooms-beds": "0"}, "1 sampai 100"),
        ({"rooms-rate": "-1"}, "0 atau lebih"),
        ({"rooms-count": "0"}, "paling sedikit 1"),
        ({"rooms-rate": "sejuta"}, "angka rupiah"),
    ],
)
def test_bad_room_input_is_refused_with_a_message(
    client, tour, organiser, data, message
):
    stay = _stay(tour)
    form = {"rooms-room_type": "twin", "rooms-count": "2"} | data
    response = client.post(f"{_base(tour)}/stays/{stay.id}/rooms", data=form)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Room.id))) == 0


def _filled(tour):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "twin", "count": 6})
    db.session.commit()
    auto_assign_rooms(tour["event"])
    db.session.commit()
    return stay


def test_rooming_list_files_hold_every_traveller_once_per_night(
    client, tour, organiser
):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    stay = _filled(tour)
    names = [d.person.formal_name for d in tour["people"]]
    response = client.get(f"{_base(tour)}/stays/{stay.id}/rooming.pdf")
    assert response.mimetype == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]
    text = "\n".join(pages)
    for name in names:
        assert text.count(name) == len(stay.nights), name
    # Every night starts a page, and every page is headed by the hotel and dates.
    assert len(pages) == len(stay.nights)
    for page, night in zip(pages, stay.nights, strict=True):
        assert page.startswith("Daftar kamar · Hotel Sriwijaya\n"), page[:80]
        assert "Check-in " in page and f"{night.day} Mei 2031 — " in page
    response = client.get(f"{_base(tour)}/stays/{stay.id}/rooming.xlsx")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(book.sheetnames) == len(stay.nights)
    for sheet in book.worksheets:
        cells = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert sorted(cells) == sorted(names)
    assert client.get(f"{_base(tour)}/stays/{stay.id}/rooming.doc").status_code == 404


def test_a_head_sees_only_their_delegations_people(client, tour, make_user, login):
    stay = _filled(tour)
    head = make_user("chapter_head", regions=["19.02"])
    login(head)
    page = client.get(f"{_base(tour)}/stays/{stay.id}").get_data(as_text=True)
    belitung = [d for d in tour["people"] if d.delegation.region.code == "19.02"]
    bangka = [d for d in tour["people"] if d.delegation.region.code == "19.01"]
    assert all(d.person.formal_name in page for d in belitung)
    assert not any(d.person.formal_name in page for d in bangka)
    assert "rooms-room_type" not in page
    assert client.post(f"{_base(tour)}/auto").status_code == 403


def test_rooming_files_read_columns_and_match_the_loaded_rooms(
    client, tour, make_user, login
):
    """Files read only the occupants' columns, the stay page the rooms it loaded: the
    same rows in the same order either way, with or without a delegation filter."""
    from openpyxl import load_workbook

    from planner.services.rooms import rooming_list
    from planner.services.rooms.listing import load_stay_rooms

    titled = tour["people"][5].person
    titled.title_before, titled.title_after = "Drs.", "M.Si."
    db.session.commit()
    stay = _filled(tour)
    belitung = tour["people"][5].delegation_id
    for ids in (None, {belitung}, set()):
        by_columns = rooming_list(stay, delegation_ids=ids)
        loaded = rooming_list(stay, delegation_ids=ids, rooms=load_stay_rooms(stay))
        assert by_columns == loaded
    rows = rooming_list(stay).nights[0].rows
    assert len(rows) == len(tour["people"])
    assert f"Drs. {titled.full_name}, M.Si." in {r.name for r in rows}
    # A head's file holds their own delegations' people only.
    login(make_user("chapter_head", regions=["19.02"]))
    response = client.get(f"{_base(tour)}/stays/{stay.id}/rooming.xlsx")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    names = {
        row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)
    }
    assert names == {
        d.person.formal_name for d in tour["people"] if d.delegation_id == belitung
    }


def test_a_participant_sees_their_own_room(client, tour, make_user, login):
    _filled(tour)
    delegate = tour["people"][1]
    user = make_user("participant", person=delegate.person)
    login(user)
    page = client.get(f"{_base(tour)}/mine").get_data(as_text=True)
    assert "Hotel Sriwijaya" in page and "Sekamar dengan" in page
    assert client.get(f"{_base(tour)}/").status_code == 403


def _grow(tour, make_delegate, make_person, n):
    delegation = tour["people"][0].delegation
    delegation.quota = 500
    for i in range(n):
        make_delegate(
            delegation,
            person=make_person(sex=Sex.MALE if i % 2 else Sex.FEMALE),
            status=DelegateStatus.CONFIRMED,
        )


def test_query_counts_stay_constant(
    client, tour, organiser, count_queries, make_delegate, make_person
):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "triple", "count": 80})
    db.session.commit()
    urls = [
        f"{_base(tour)}/",
        f"{_base(tour)}/stays/{stay.id}",
        f"{_base(tour)}/stays/{stay.id}/rooming.pdf",
        f"{_base(tour)}/stays/{stay.id}/rooming.xlsx",
    ]

    def counts():
        auto_assign_rooms(tour["event"])
        db.session.commit()
        result = []
        for url in urls:
            with count_queries() as q:
                assert client.get(url).status_code == 200
            result.append(len(q))
        return result

    small = counts()
    _grow(tour, make_delegate, make_person, 200)
    assert counts() == small


def test_the_personal_feed_carries_the_stays(client, tour):
    import icalendar
    import vobject

    stay = _filled(tour)
    hotel = tour["hotel"]
    delegate = tour["people"][1]
    response = client.get(f"/feeds/{delegate.feed_token}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    stays = [c for c in calendar.walk("VEVENT") if str(c["uid"]).startswith("stay-")]
    assert len(stays) == 1
    entry = stays[0]
    assert entry.decoded("dtstart") == stay.check_in_on
    assert entry.decoded("dtend") == stay.check_out_on
    assert hotel.name in str(entry["location"])
    assert (entry["geo"].latitude, entry["geo"].longitude) == (hotel.lat, hotel.lon)
    assert "kamar" in str(entry["summary"])
    parsed = vobject.readOne(response.get_data(as_text=True))
    names = [
        v.summary.value for v in parsed.vevent_list if v.uid.value.startswith("stay-")
    ]
    assert names == [str(entry["summary"])]

    # Moving the bed changes the feed's fingerprint: no stale 304.
    etag = response.headers["ETag"]
    other = add_rooms(stay, data={"room_type": "single", "count": 1})[0]
    assign_room(other, delegate=delegate)
    db.session.commit()
    again = client.get(
        f"/feeds/{delegate.feed_token}.ics", headers={"If-None-Match": etag}
    )
    assert again.status_code == 200 and other.label in again.get_data(as_text=True)


def test_overview_and_todo_name_missing_beds(client, tour, organiser):
    stay = _stay(tour)
    add_rooms(stay, data={"room_type": "twin", "count": 2})
    db.session.commit()
    page = client.get(f"/events/{tour['event'].id}").get_data(as_text=True)
    assert 'id="stat-beds"' in page and "4/9" in page
    assert "4 tempat tidur dipesan, 9 dibutuhkan" in page


def test_my_trip_and_card_show_the_hotel_and_room(client, tour, make_user, login):
    from planner.models import RoomAssignment

    _filled(tour)
    delegate = tour["people"][1]
    room = db.session.scalars(
        select(Room)
        .join(RoomAssignment, RoomAssignment.room_id == Room.id)
        .where(RoomAssignment.delegate_id == delegate.id)
    ).one()
    login(make_user("participant", person=delegate.person))
    page = client.get("/my/trip").get_data(as_text=True)
    assert "Hotel Sriwijaya" in page and "my-stay" in page
    assert f"Kamar {room.label}" in page
    card = client.get(
        f"/events/{tour['event'].id}/check-in/{delegate.id}/card"
    ).get_data(as_text=True)
    assert "Hotel Sriwijaya" in card and f"Kamar {room.label}" in card
