"""Seats: the database's guarantees, hand assignment over HTTP, the automatic
assignment's properties, and a participant's own trip page."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    EventStatus,
    LegMode,
    Person,
    SeatAssignment,
    Vehicle,
)
from planner.services import PlannerError
from planner.services.seating import assign_seat, auto_assign, trip_of_delegate
from tests.conftest import region


@pytest.fixture
def login(client, login):
    """Sign in, signing out whoever was signed in before."""

    def do(user):
        client.post("/auth/logout")
        return login(user)

    return do


@pytest.fixture
def tour(make_user, make_event, make_trip, make_vehicle):
    """An organiser, an open study tour with its "Berangkat" trip and two 10-seat vans."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser], title="Tour dan Studi PGK–JKT")
    trip = make_trip(event, name="Berangkat")
    van1 = make_vehicle(event, label="Travel 1", plate="BN 1234 AB")
    van2 = make_vehicle(event, label="Travel 2")
    return {
        "organiser": organiser,
        "event": event,
        "trip": trip,
        "van1": van1,
        "van2": van2,
    }


_names = iter(range(1, 10**6))


def _group(event, name, size, *, status=DelegateStatus.CONFIRMED, head=True, code=None):
    """A delegation of ``size`` delegates (the first its head), made in one commit."""
    home = region("19.71")
    delegation = Delegation(
        event=event,
        name=name,
        region=region(code) if code else None,
        quota=size + 5,
        confirmed_count=size if status == DelegateStatus.CONFIRMED else 0,
    )
    delegates = []
    with db.session.no_autoflush:
        for i in range(size):
            person = Person(full_name=f"{name} Anggota {i:03d}", region=home)
            role = DelegateRole.HEAD if head and i == 0 else DelegateRole.PARTICIPANT
            delegates.append(
                Delegate(
                    event_id=event.id,
                    delegation=delegation,
                    person=person,
                    status=status,
                    role=role,
                )
            )
    db.session.add(delegation)
    db.session.add_all(delegates)
    db.session.commit()
    return delegation, delegates


def _seats(trip) -> dict[int, tuple[int, int | None, bool]]:
    """delegate id → (vehicle id, seat number, pinned) for the trip."""
    rows = db.session.execute(
        db.select(
            SeatAssignment.delegate_id,
            SeatAssignment.vehicle_id,
            SeatAssignment.seat_number,
            SeatAssignment.is_pinned,
        ).filter_by(trip_id=trip.id)
    ).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _url(trip, suffix=""):
    return f"/events/{trip.event_id}/transport/trips/{trip.id}/seats{suffix}"


# The database's guarantees -------------------------------------------------------------


def test_a_delegate_once_per_trip(tour):
    _, (d,) = _group(tour["event"], "Bangka", 1)
    trip = tour["trip"]
    db.session.add(SeatAssignment(trip=trip, vehicle=tour["van1"], delegate=d))
    db.session.commit()
    db.session.add(SeatAssignment(trip=trip, vehicle=tour["van2"], delegate=d))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_seat_number_once_per_vehicle_and_trip(tour):
    _, (a, b) = _group(tour["event"], "Bangka", 2)
    trip, van = tour["trip"], tour["van1"]
    db.session.add(SeatAssignment(trip=trip, vehicle=van, delegate=a, seat_number=3))
    db.session.commit()
    db.session.add(SeatAssignment(trip=trip, vehicle=van, delegate=b, seat_number=3))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # The same number in the other van is another seat.
    db.session.add(
        SeatAssignment(trip=trip, vehicle=tour["van2"], delegate=b, seat_number=3)
    )
    db.session.commit()


# By hand ----------------------------------------------------------------------------


def test_organiser_seats_a_delegate_by_hand(client, login, tour):
    _, (head, member) = _group(tour["event"], "Bangka", 2)
    login(tour["organiser"])
    trip, van = tour["trip"], tour["van1"]
    page = client.get(_url(trip))
    assert page.status_code == 200
    assert f'value="{member.id}"' in page.text and "Atur otomatis" in page.text
    response = client.post(
        _url(trip),
        data={"delegate_id": member.id, "vehicle_id": van.id, "seat_number": "4"},
    )
    assert response.status_code == 302, response.text[:2000]
    assert _seats(trip) == {member.id: (van.id, 4, True)}
    page = client.get(_url(trip))
    assert "Bangka Anggota 001" in page.text
    assert f'id="seat-{member.id}"' in page.text
    # Moving replaces the earlier seat.
    response = client.post(
        _url(trip), data={"delegate_id": member.id, "vehicle_id": tour["van2"].id}
    )
    assert response.status_code == 302
    assert _seats(trip) == {member.id: (tour["van2"].id, None, True)}


def _refused(client, trip, data, message):
    before = _seats(trip)
    response = client.post(_url(trip), data=data)
    assert response.status_code == 200, response.status_code
    assert message in response.text, response.text[:3000]
    db.session.expire_all()
    assert _seats(trip) == before


def test_delegate_of_another_event_is_refused(client, login, tour, make_event):
    other = make_event()
    _, (stranger,) = _group(other, "Belitung", 1)
    login(tour["organiser"])
    _refused(
        client,
        tour["trip"],
        {"delegate_id": stranger.id, "vehicle_id": tour["van1"].id},
        "bukan peserta acara ini",
    )


def test_vehicle_of_another_event_is_refused(client, login, tour, make_vehicle):
    _, (d,) = _group(tour["event"], "Bangka", 1)
    foreign = make_vehicle()
    login(tour["organiser"])
    _refused(
        client,
        tour["trip"],
        {"delegate_id": d.id, "vehicle_id": foreign.id},
        "bukan milik acara",
    )


def test_other_events_ids_in_the_url_are_404(client, login, tour, make_vehicle):
    _, (d,) = _group(tour["event"], "Bangka", 1)
    trip = tour["trip"]
    assign_seat(trip, vehicle=tour["van1"], delegate=d)
    db.session.commit()
    foreign = make_vehicle()
    login(tour["organiser"])
    event_id = tour["event"].id
    base = f"/events/{event_id}/transport/trips/{trip.id}"
    remove = f"{base}/vehicles/{foreign.id}/seats/{d.id}/remove"
    assert client.post(remove).status_code == 404
    assert (
        client.get(
            f"/events/{foreign.event_id}/transport/trips/{trip.id}/seats"
        ).status_code
        == 404
    )
    huge = f"{base}/vehicles/{2**70}/seats/{d.id}/remove"
    assert client.post(huge).status_code == 404
    assert d.id in _seats(trip)
    # The right URL removes it.
    ok = f"{base}/vehicles/{tour['van1'].id}/seats/{d.id}/remove"
    assert client.post(ok).status_code == 302
    assert _seats(trip) == {}


@pytest.mark.parametrize(
    ("seat", "message"),
    [("0", "antara 1 dan 100"), ("11", "antara 1 dan 10 untuk"), ("x", "berupa angka")],
)
def test_seat_number_out_of_range(client, login, tour, seat, message):
    _, (d,) = _group(tour["event"], "Bangka", 1)
    login(tour["organiser"])
    _refused(
        client,
        tour["trip"],
        {"delegate_id": d.id, "vehicle_id": tour["van1"].id, "seat_number": seat},
        message,
    )


def test_full_vehicle_and_taken_seat_are_refused(client, login, tour, make_vehicle):
    _, people = _group(tour["event"], "Bangka", 4)
    small = make_vehicle(tour["event"], label="Mobil Ketua", seats=2)
    trip = tour["trip"]
    assign_seat(trip, vehicle=small, delegate=people[0], seat_number=1)
    db.session.commit()
    login(tour["organiser"])
    _refused(
        client,
        trip,
        {"delegate_id": people[1].id, "vehicle_id": small.id, "seat_number": "1"},
        "sudah ditempati",
    )
    assign_seat(trip, vehicle=small, delegate=people[1])
    db.session.commit()
    _refused(
        client,
        trip,
        {"delegate_id": people[2].id, "vehicle_id": small.id},
        "sudah penuh",
    )
    # Someone already inside may change seat in a full vehicle.
    response = client.post(
        _url(trip),
        data={"delegate_id": people[1].id, "vehicle_id": small.id, "seat_number": "2"},
    )
    assert response.status_code == 302


def test_withdrawn_delegate_gets_no_seat(tour):
    _, (d,) = _group(tour["event"], "Bangka", 1, status=DelegateStatus.WITHDRAWN)
    with pytest.raises(PlannerError, match="mundur"):
        assign_seat(tour["trip"], vehicle=tour["van1"], delegate=d)


@pytest.mark.parametrize(
    "data",
    [
        {"delegate_id": "<script>alert(1)</script>", "vehicle_id": "1"},
        {"delegate_id": "1 OR 1=1", "vehicle_id": "'; DROP TABLE seats; --"},
        {"delegate_id": "9" * 40, "vehicle_id": "9" * 18, "seat_number": "9" * 30},
        {"delegate_id": "999999", "vehicle_id": "999999"},
        {"delegate_id": "", "vehicle_id": ""},
        {"delegate_id": "-3", "vehicle_id": "0", "seat_number": "1e3"},
    ],
)
def test_hostile_input_gets_a_message(client, login, tour, data):
    login(tour["organiser"])
    response = client.post(_url(tour["trip"]), data=data)
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "invalid-feedback" in response.text
    assert _seats(tour["trip"]) == {}


def test_who_may_see_and_change(client, login, tour, make_user, make_event):
    _, (d,) = _group(tour["event"], "Bangka", 1, code="19.01")
    trip = tour["trip"]
    head = make_user("chapter_head", regions=("19.01",))
    outsider = make_user("chapter_head", regions=("19.02",))
    participant = make_user("participant")
    data = {"delegate_id": d.id, "vehicle_id": tour["van1"].id}

    login(head)
    page = client.get(_url(trip))
    assert page.status_code == 200 and "Atur otomatis" not in page.text
    assert client.post(_url(trip), data=data).status_code == 403
    assert client.post(_url(trip, "/auto")).status_code == 403
    for user in (outsider, participant):
        login(user)
        assert client.get(_url(trip)).status_code == 403
    tour["event"].status = EventStatus.DRAFT
    db.session.commit()
    login(head)
    assert client.get(_url(trip)).status_code == 403
    client.post("/auth/logout")
    assert client.get(_url(trip)).status_code == 302
    assert _seats(trip) == {}


# Automatic ---------------------------------------------------------------------------


def _by_vehicle(trip):
    out = defaultdict(list)
    for delegate_id, (vehicle_id, _seat, _pinned) in _seats(trip).items():
        out[vehicle_id].append(delegate_id)
    return out


def _vehicles_of(trip, delegates) -> Counter:
    seats = _seats(trip)
    return Counter(seats[d.id][0] for d in delegates if d.id in seats)


def test_auto_keeps_delegations_together(tour, make_vehicle):
    event, trip = tour["event"], tour["trip"]
    _, a = _group(event, "Bangka", 4)
    _, b = _group(event, "Belitung", 6)
    _, c = _group(event, "Bangka Barat", 5)
    _, d = _group(event, "Bangka Tengah", 3)
    result = auto_assign(trip)
    db.session.commit()
    assert result.unplaced == [] and len(result.placed) == 18
    for group in (a, b, c, d):
        assert len(_vehicles_of(trip, group)) == 1, group[0].person.full_name
    assert result.split_delegations == 0


def test_auto_splits_a_large_delegation_into_fewest_vehicles(tour, make_vehicle):
    event, trip = tour["event"], tour["trip"]
    for n in range(3, 6):
        make_vehicle(event, label=f"Travel {n}", seats=5)
    bus = make_vehicle(event, label="Bus 1", seats=30)
    _, big = _group(event, "Kota Pangkal Pinang", 38)
    result = auto_assign(trip)
    db.session.commit()
    assert result.unplaced == []
    used = _vehicles_of(trip, big)
    assert len(used) == 2  # the bus (30) and one 10-seat van: 38 needs two
    assert used[bus.id] == 30
    assert result.split_delegations == 1
    # The head sits with the largest part.
    assert _seats(trip)[big[0].id][0] == bus.id


def test_auto_puts_the_head_with_their_people(tour):
    event, trip = tour["event"], tour["trip"]
    _, small = _group(event, "Bangka", 3, head=False)
    delegation, group = _group(event, "Belitung Timur", 7)
    # The head's name sorts last: the head still comes first.
    group[0].person.full_name = "Zainal Ketua"
    db.session.commit()
    auto_assign(trip)
    db.session.commit()
    seats = _seats(trip)
    vehicle = seats[group[0].id][0]
    assert all(seats[d.id][0] == vehicle for d in group)
    assert seats[group[0].id][1] == 1  # first seat of their group in that vehicle


def test_auto_leaves_pinned_seats_alone(tour):
    event, trip, van1, van2 = tour["event"], tour["trip"], tour["van1"], tour["van2"]
    _, group = _group(event, "Bangka", 12)
    pinned = group[5]
    assign_seat(trip, vehicle=van2, delegate=pinned, seat_number=3)
    db.session.commit()
    result = auto_assign(trip)
    db.session.commit()
    seats = _seats(trip)
    assert seats[pinned.id] == (van2.id, 3, True)
    assert len(result.placed) == 11 and result.unplaced == []
    counts = Counter(v for v, _, _ in seats.values())
    assert counts[van1.id] <= 10 and counts[van2.id] <= 10
    numbers = [(v, n) for v, n, _ in seats.values()]
    assert len(set(numbers)) == len(numbers)
    # A second run recomputes the automatic seats, keeps the pinned one, same result.
    again = auto_assign(trip)
    db.session.commit()
    assert _seats(trip) == seats
    assert again.placed == result.placed


def test_auto_never_exceeds_seats_and_reports_the_unplaced(tour, make_vehicle):
    event, trip = tour["event"], tour["trip"]
    make_vehicle(event, label="Mobil", seats=3)
    groups = [_group(event, f"Delegasi {n:02d}", 1 + (n * 7) % 9)[1] for n in range(8)]
    _, nominated = _group(event, "Diusulkan", 2, status=DelegateStatus.NOMINATED)
    total = sum(len(g) for g in groups)
    assert total > 23
    result = auto_assign(trip)
    db.session.commit()
    seats = _seats(trip)
    assert len(result.placed) == 23 == len(seats)
    assert len(result.unplaced) == total - 23
    assert {u.reason for u in result.unplaced} == {"Semua kursi sudah terisi."}
    assert not {d.id for d in nominated} & set(seats)
    capacity = {tour["van1"].id: 10, tour["van2"].id: 10}
    for vehicle_id, members in _by_vehicle(trip).items():
        limit = capacity.get(vehicle_id, 3)
        assert len(members) <= limit
        numbers = sorted(seats[d][1] for d in members)
        assert numbers == list(range(1, len(members) + 1))


def test_auto_includes_nominated_on_request(tour):
    event, trip = tour["event"], tour["trip"]
    _, nominated = _group(event, "Diusulkan", 2, status=DelegateStatus.NOMINATED)
    assert auto_assign(trip).placed == []
    result = auto_assign(trip, include_nominated=True)
    assert len(result.placed) == 2
    assert {d.id for d in nominated} == set(_seats(trip))


def test_auto_without_vehicles_reports_why(make_event, make_trip):
    event = make_event()
    trip = make_trip(event)
    _group(event, "Bangka", 2)
    result = auto_assign(trip)
    assert [u.reason for u in result.unplaced] == ["Belum ada kendaraan."] * 2


def _copy(make_event, make_trip, make_vehicle, reverse: bool):
    """One scenario built in a given insertion order: the answer must not depend on it."""
    event = make_event()
    trip = make_trip(event, name="Berangkat")
    specs = [("Bus", 25), ("Travel 2", 10), ("Travel 10", 10), ("Minibus", 15)]
    for label, seats in reversed(specs) if reverse else specs:
        make_vehicle(event, label=label, seats=seats)
    sizes = [("Bangka", 12), ("Belitung", 12), ("Bangka Barat", 9), ("Basel", 7)]
    sizes += [("Beltim", 7), ("Bateng", 5), ("Pangkalpinang", 11), ("Pusat", 3)]
    for name, size in reversed(sizes) if reverse else sizes:
        _group(event, name, size)
    result = auto_assign(trip)
    db.session.commit()
    rows = db.session.execute(
        db.select(Person.full_name, SeatAssignment.seat_number, Vehicle.label)
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .join(Vehicle, Vehicle.id == SeatAssignment.vehicle_id)
        .filter(SeatAssignment.trip_id == trip.id)
    ).all()
    placed = {name: (label, seat) for name, seat, label in rows}
    return placed, sorted(u.name for u in result.unplaced)


def test_auto_is_deterministic(make_event, make_trip, make_vehicle):
    first = _copy(make_event, make_trip, make_vehicle, reverse=False)
    second = _copy(make_event, make_trip, make_vehicle, reverse=True)
    assert first == second
    assert len(first[0]) == 60 and len(first[1]) == 6


def test_auto_button_flashes_what_it_could_not_place(client, login, tour):
    event, trip = tour["event"], tour["trip"]
    _group(event, "Bangka", 12)
    _group(event, "Belitung", 9)
    login(tour["organiser"])
    response = client.post(_url(trip, "/auto"), follow_redirects=True)
    assert response.status_code == 200
    assert "20 peserta mendapat kursi" in response.text
    assert "1 peserta belum mendapat kursi" in response.text
    assert len(_seats(trip)) == 20


def test_seats_page_queries_do_not_grow(
    client, login, tour, make_vehicle, count_queries
):
    event, trip = tour["event"], tour["trip"]
    url = _url(trip)
    login(tour["organiser"])

    def measure() -> int:
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    _group(event, "Bangka", 3)
    auto_assign(trip)
    db.session.commit()
    small = measure()
    for n in range(3, 8):
        make_vehicle(event, label=f"Travel {n}")
    for n in range(6):
        _group(event, f"Delegasi {n}", 8)
    auto_assign(trip)
    _group(event, "Belum duduk", 5)
    db.session.commit()
    assert len(_seats(trip)) == 51
    assert measure() == small


# The participant's own trip ----------------------------------------------------------


@pytest.fixture
def journey(tour, make_user, make_place, make_leg):
    """Siti (a participant) seated in Travel 1; legs by van, by ferry with the vans, and
    one her delegation takes without a vehicle; Budi in Travel 2."""
    event, trip = tour["event"], tour["trip"]
    delegation, (siti_d, budi_d) = _group(event, "Bangka", 2, code="19.01")
    siti = make_user("participant", person=siti_d.person)
    budi = make_user("participant", person=budi_d.person)
    tour["van1"].driver_name = "Pak Rusli"
    tour["van1"].driver_phone = "+6281234567890"
    assign_seat(trip, vehicle=tour["van1"], delegate=siti_d, seat_number=2)
    assign_seat(trip, vehicle=tour["van2"], delegate=budi_d, seat_number=5)
    db.session.commit()
    zero = make_place(name="Titik Nol Pangkalpinang")
    port = make_place(name="Pelabuhan Tanjung Kalian", lat=-2.06, lon=105.15)
    merak = make_place(
        name="Pelabuhan Merak", region=region("36.72"), lat=-5.93, lon=106
    )
    makassar = make_place(name="Bandara Hasanuddin", region=region("73.71"), lat=-5.06)
    start = datetime(2024, 5, 7, 0, 0, tzinfo=UTC)  # 07.00 WIB
    van = make_leg(trip, from_place=zero, to_place=port, departs_at=start, position=1)
    van.vehicles = [tour["van1"]]
    ferry = make_leg(
        trip,
        from_place=port,
        to_place=merak,
        mode=LegMode.FERRY,
        departs_at=start + timedelta(hours=3),
        vessel="KMP Uji",
        position=2,
    )
    ferry.vehicles = [tour["van1"], tour["van2"]]
    flight = make_leg(
        trip,
        from_place=merak,
        to_place=makassar,
        mode=LegMode.AIR,
        departs_at=start + timedelta(hours=20),
        arrives_at=start + timedelta(hours=23),
        position=3,
    )
    flight.delegations = [delegation]
    other = make_leg(trip, position=4, departs_at=start + timedelta(days=1))
    other.vehicles = [tour["van2"]]
    db.session.commit()
    return {**tour, "siti": siti, "budi": budi, "siti_d": siti_d, "budi_d": budi_d}


def test_trip_of_delegate_lists_their_legs(journey):
    (item,) = trip_of_delegate(journey["siti_d"])
    assert item.vehicle.id == journey["van1"].id and item.seat_number == 2
    assert [leg.position for leg in item.legs] == [1, 2, 3]
    assert item.meeting_point.name == "Titik Nol Pangkalpinang"
    (budi,) = trip_of_delegate(journey["budi_d"])
    assert [leg.position for leg in budi.legs] == [2, 3, 4]


def test_my_trip_page_shows_only_my_trip(client, login, journey):
    login(journey["siti"])
    page = client.get("/my/trip")
    assert page.status_code == 200
    text = page.text
    assert "Perjalanan saya" in text and 'href="/my/trip"' in text
    assert "Travel 1" in text and "BN 1234 AB" in text and "Pak Rusli" in text
    assert "+6281234567890" in text
    assert "Titik Nol Pangkalpinang" in text
    assert "Selasa, 7 Mei 2024 · 07.00 WIB" in text  # meeting time, Pangkalpinang
    assert "10.00 WIB" in text  # ferry departs Muntok
    assert "Rabu, 8 Mei 2024 · 07.00 WITA" in text  # lands in Makassar
    assert "Travel 2" not in text  # Budi's van, and the leg only it drives
    assert "Bangka Anggota 001" not in text

    login(journey["budi"])
    text = client.get("/my/trip").text
    assert "Travel 2" in text and "Pak Rusli" not in text


def test_my_trip_hides_drafts_and_needs_a_person(client, login, journey):
    journey["event"].status = EventStatus.DRAFT
    db.session.commit()
    login(journey["siti"])
    text = client.get("/my/trip").text
    assert "Travel 1" not in text and "belum terdaftar" in text
    login(journey["organiser"])
    page = client.get("/my/trip")
    assert page.status_code == 200 and 'href="/my/trip"' not in page.text
    client.post("/auth/logout")
    assert client.get("/my/trip").status_code == 302


def test_my_trip_queries_do_not_grow(client, login, journey, make_event, count_queries):
    login(journey["siti"])

    def measure() -> int:
        with count_queries() as queries:
            assert client.get("/my/trip").status_code == 200
        return len(queries)

    one = measure()
    person = journey["siti_d"].person
    for _ in range(3):
        event = make_event()
        db.session.add(Delegate(event_id=event.id, person=person))
    db.session.commit()
    assert measure() == one
