"""Vehicles, trips and legs through HTTP: the pages, their bad input, the estimates and
the itinerary warnings of the route page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from planner.extensions import db
from planner.models import (
    DelegateStatus,
    Leg,
    LegMode,
    Place,
    PlaceKind,
    SeatAssignment,
    Trip,
    Vehicle,
)
from planner.services import PlannerError
from planner.services.regions import load_regions
from planner.services.transport import estimate, normalise_plate
from tests.conftest import region

BASE = "/events/{}/transport"


@pytest.fixture
def setup(make_user, make_event, make_delegation):
    """An organiser and an open event with one delegation."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    delegation = make_delegation(event)
    return {"organiser": organiser, "event": event, "delegation": delegation}


def _vehicle_data(**kw):
    data = {
        "label": "Travel 1",
        "kind": "travel_van",
        "plate": "bn1234ab",
        "seats": "10",
        "driver_name": "Pak Budi",
        "driver_phone": "0812-3456-7890",
        "operator": "CV Rental",
        "notes": "",
    }
    data.update(kw)
    return data


def _port(code: str) -> Place:
    load_regions()
    db.session.commit()
    return db.session.execute(db.select(Place).filter_by(code=code)).scalar_one()


# Plates and estimates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plate"),
    [("bn1234ab", "BN 1234 AB"), ("B 1 X", "B 1 X"), ("bn-12", "BN 12"), ("", None)],
)
def test_plate_is_normalised(raw, plate):
    assert normalise_plate(raw) == plate


@pytest.mark.parametrize("raw", ["123", "ABC 1", "B 12345", "B 1 ABCD", "<script>"])
def test_bad_plates_are_refused(raw):
    with pytest.raises(PlannerError):
        normalise_plate(raw)


def test_estimates_follow_the_mode_speeds(make_leg, make_place):
    a = make_place(lat=0.0, lon=0.0)
    b = make_place(lat=0.0, lon=1.0)  # ~111 km along the equator
    leg = make_leg(from_place=a, to_place=b)
    road = estimate(leg)
    assert 110 < road.distance_km < 112
    assert road.duration == timedelta(hours=road.distance_km * 1.3 / 50)
    leg.mode = LegMode.AIR
    assert estimate(leg).duration == timedelta(hours=road.distance_km / 600 + 1)
    leg.mode = LegMode.FERRY
    assert estimate(leg).duration == timedelta(hours=road.distance_km / 25)
    leg.to_place = make_place(lat=None, lon=None)
    assert estimate(leg) is None


# Vehicles ---------------------------------------------------------------------------


def test_organiser_adds_edits_and_deletes_a_vehicle(client, login, setup):
    event = setup["event"]
    login(setup["organiser"])
    r = client.post(f"{BASE.format(event.id)}/vehicles/new", data=_vehicle_data())
    assert r.status_code == 302
    vehicle = db.session.scalars(db.select(Vehicle)).one()
    assert (vehicle.plate, vehicle.seats, vehicle.driver_phone) == (
        "BN 1234 AB",
        10,
        "+6281234567890",
    )
    page = client.get(f"{BASE.format(event.id)}/vehicles").get_data(as_text=True)
    assert "BN 1234 AB" in page and "Pak Budi" in page and "0/10" not in page
    r = client.post(
        f"{BASE.format(event.id)}/vehicles/{vehicle.id}/edit",
        data=_vehicle_data(seats="12", label="Travel A"),
    )
    assert r.status_code == 302
    db.session.refresh(vehicle)
    assert (vehicle.label, vehicle.seats) == ("Travel A", 12)
    r = client.post(f"{BASE.format(event.id)}/vehicles/{vehicle.id}/delete")
    assert r.status_code == 302
    assert db.session.scalars(db.select(Vehicle)).all() == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"plate": "123"}, "Nomor polisi tidak valid"),
        ({"seats": "0"}, "antara 1 dan 100"),
        ({"seats": "500"}, "antara 1 dan 100"),
        ({"seats": "banyak"}, "harus berupa angka"),
        ({"driver_phone": "12ab"}, "Nomor telepon tidak valid"),
        ({"label": ""}, "wajib diisi"),
        ({"label": "x" * 5000}, "Paling panjang"),
        ({"kind": "roket"}, "Pilih salah satu"),
    ],
)
def test_bad_vehicle_input_gets_a_message_and_saves_nothing(
    client, login, setup, change, message
):
    event = setup["event"]
    login(setup["organiser"])
    r = client.post(
        f"{BASE.format(event.id)}/vehicles/new", data=_vehicle_data(**change)
    )
    assert r.status_code == 200
    assert message in r.get_data(as_text=True)
    assert db.session.scalars(db.select(Vehicle)).all() == []


def test_hostile_strings_are_stored_as_text(client, login, setup):
    event = setup["event"]
    login(setup["organiser"])
    hostile = "<script>alert(1)</script>'; DROP TABLE vehicles; --"
    r = client.post(
        f"{BASE.format(event.id)}/vehicles/new",
        data=_vehicle_data(label=hostile[:60], operator=hostile, notes=hostile),
    )
    assert r.status_code == 302
    page = client.get(f"{BASE.format(event.id)}/vehicles").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_duplicate_label_is_refused(client, login, setup, make_vehicle):
    event = setup["event"]
    make_vehicle(event, label="Travel 1")
    login(setup["organiser"])
    r = client.post(f"{BASE.format(event.id)}/vehicles/new", data=_vehicle_data())
    assert "sudah punya kendaraan" in r.get_data(as_text=True)
    assert len(db.session.scalars(db.select(Vehicle)).all()) == 1


def test_vehicle_in_use_is_not_deleted(
    client, login, setup, make_vehicle, make_trip, make_delegate
):
    event = setup["event"]
    vehicle = make_vehicle(event)
    trip = make_trip(event)
    delegate = make_delegate(setup["delegation"])
    db.session.add(SeatAssignment(trip=trip, vehicle=vehicle, delegate=delegate))
    db.session.commit()
    login(setup["organiser"])
    r = client.post(
        f"{BASE.format(event.id)}/vehicles/{vehicle.id}/delete", follow_redirects=True
    )
    assert "masih punya 1 penumpang" in r.get_data(as_text=True)
    assert db.session.get(Vehicle, vehicle.id) is not None
    page = client.get(f"{BASE.format(event.id)}/vehicles").get_data(as_text=True)
    assert "1/10" in page


def test_vehicle_of_another_event_is_404(client, login, setup, make_vehicle):
    other = make_vehicle()
    login(setup["organiser"])
    event_id = setup["event"].id
    assert (
        client.get(f"{BASE.format(event_id)}/vehicles/{other.id}/edit").status_code
        == 404
    )
    r = client.post(f"{BASE.format(event_id)}/vehicles/{other.id}/delete")
    assert r.status_code == 404
    huge = 2**70
    assert (
        client.get(f"{BASE.format(event_id)}/vehicles/{huge}/edit").status_code == 404
    )


def test_who_may_see_and_manage(client, login, setup, make_user):
    event = setup["event"]
    url = f"{BASE.format(event.id)}/vehicles"
    assert client.get(url).status_code == 302  # anonymous → sign in
    head = make_user("chapter_head", regions=("19.01",))
    login(head)
    assert client.get(url).status_code == 200
    assert client.get(f"{BASE.format(event.id)}/").status_code == 200
    assert client.get(f"{url}/new").status_code == 403
    assert client.post(f"{url}/new", data=_vehicle_data()).status_code == 403
    client.post("/auth/logout")
    login(make_user("participant"))
    assert client.get(url).status_code == 403
    assert client.get(f"{BASE.format(event.id)}/").status_code == 403


# Trips and legs ---------------------------------------------------------------------


def _leg_data(trip, a, b, **kw):
    data = {
        "trip_id": str(trip.id),
        "from_place_id": str(a.id),
        "to_place_id": str(b.id),
        "mode": "road",
        "departs_on": "2024-05-07",
        "departs_time": "07:00",
        "arrives_on": "2024-05-07",
        "arrives_time": "09:30",
        "carrier": "",
        "vessel": "",
        "booking_ref": "",
        "notes": "",
    }
    data.update(kw)
    return data


def test_default_trips_with_one_click(client, login, setup):
    event = setup["event"]
    login(setup["organiser"])
    page = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    assert "Buat perjalanan Berangkat dan Pulang" in page
    client.post(f"{BASE.format(event.id)}/trips/defaults")
    client.post(f"{BASE.format(event.id)}/trips/defaults")  # idempotent
    names = db.session.scalars(db.select(Trip.name).order_by(Trip.position)).all()
    assert names == ["Berangkat", "Pulang"]
    r = client.post(f"{BASE.format(event.id)}/trips/new", data={"name": "pulang"})
    assert "sudah ada" in r.get_data(as_text=True)


def test_leg_times_are_typed_in_each_places_zone(
    client, login, setup, make_trip, make_place, make_vehicle
):
    event = setup["event"]
    trip = make_trip(event)
    jakarta = make_place(
        name="Titik Jakarta", region=region("31.71"), lat=-6.2, lon=106.8
    )
    makassar = make_place(
        name="Bandara Makassar", region=region("73.71"), lat=-5.06, lon=119.55
    )
    vehicle = make_vehicle(event)
    login(setup["organiser"])
    r = client.post(
        f"{BASE.format(event.id)}/legs/new",
        data=_leg_data(
            trip,
            jakarta,
            makassar,
            mode="air",
            arrives_time="10:30",
            vehicle_ids=[str(vehicle.id)],
            delegation_ids=[str(setup["delegation"].id)],
            carrier="Garuda",
            vessel="GA 610",
        ),
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    leg = db.session.scalars(db.select(Leg)).one()
    assert leg.departs_at == datetime(2024, 5, 7, 0, 0, tzinfo=UTC)  # 07.00 WIB
    assert leg.arrives_at == datetime(2024, 5, 7, 2, 30, tzinfo=UTC)  # 10.30 WITA
    assert [v.id for v in leg.vehicles] == [vehicle.id]
    page = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    assert "07.00 WIB" in page and "10.30 WITA" in page
    assert "GA 610" in page and "Garuda" in page and vehicle.label in page
    assert "perkiraan" in page and "km" in page
    # The edit form shows the times back in their zones.
    edit = client.get(f"{BASE.format(event.id)}/legs/{leg.id}/edit")
    assert 'value="10:30"' in edit.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"to_place_id": "SAME"}, "harus berbeda"),
        ({"arrives_time": "06:00"}, "Waktu tiba harus sesudah"),
        ({"from_place_id": "999999"}, "Pilih tempat dari daftar"),
        ({"from_place_id": "abc"}, "Pilih tempat dari daftar"),
        ({"vehicle_ids": ["OTHER"]}, "Pilih kendaraan acara ini"),
        ({"vehicle_ids": ["x' OR 1=1"]}, "Pilih kendaraan acara ini"),
        ({"departs_time": "25:99"}, "Jam tidak valid"),
        ({"departs_on": "kemarin"}, "Tanggal tidak valid"),
        ({"mode": "teleport"}, "Pilih salah satu"),
        ({"trip_id": "OTHER_TRIP"}, "Pilih perjalanan dari daftar"),
        ({"notes": "x" * 6000}, "Paling panjang"),
    ],
)
def test_bad_leg_input_gets_a_message_and_saves_nothing(
    client, login, setup, make_trip, make_place, make_vehicle, change, message
):
    event = setup["event"]
    trip = make_trip(event)
    a, b = make_place(), make_place(lat=-2.0, lon=105.9)
    other_vehicle = make_vehicle()
    other_trip = make_trip()
    values = {
        "SAME": str(a.id),
        "OTHER": str(other_vehicle.id),
        "OTHER_TRIP": str(other_trip.id),
    }
    change = {
        k: ([values.get(x, x) for x in v] if isinstance(v, list) else values.get(v, v))
        for k, v in change.items()
    }
    login(setup["organiser"])
    r = client.post(
        f"{BASE.format(event.id)}/legs/new", data=_leg_data(trip, a, b, **change)
    )
    assert r.status_code == 200
    assert message in r.get_data(as_text=True)
    assert db.session.scalars(db.select(Leg)).all() == []


def test_failed_edit_changes_nothing(client, login, setup, make_trip, make_leg):
    event = setup["event"]
    leg = make_leg(make_trip(event))
    before = (leg.from_place_id, leg.departs_at, leg.arrives_at)
    login(setup["organiser"])
    r = client.post(
        f"{BASE.format(event.id)}/legs/{leg.id}/edit",
        data=_leg_data(leg.trip, leg.from_place, leg.to_place, arrives_time="06:00"),
    )
    assert "Waktu tiba harus sesudah" in r.get_data(as_text=True)
    db.session.expire_all()
    leg = db.session.get(Leg, leg.id)
    assert (leg.from_place_id, leg.departs_at, leg.arrives_at) == before


def test_leg_of_another_event_is_404(client, login, setup, make_leg):
    leg = make_leg()
    login(setup["organiser"])
    url = f"{BASE.format(setup['event'].id)}/legs/{leg.id}"
    assert client.get(f"{url}/edit").status_code == 404
    assert client.post(f"{url}/delete").status_code == 404
    assert client.post(f"{url}/move", data={"direction": "up"}).status_code == 404


def test_new_legs_go_last_and_move_up_and_down(
    client, login, setup, make_trip, make_place
):
    event = setup["event"]
    trip = make_trip(event)
    p = [make_place(lat=-2.0 - i / 10, lon=106.0) for i in range(4)]
    login(setup["organiser"])
    for i in range(3):
        hour = f"{8 + 2 * i:02d}"
        r = client.post(
            f"{BASE.format(event.id)}/legs/new",
            data=_leg_data(
                trip,
                p[i],
                p[i + 1],
                departs_time=f"{hour}:00",
                arrives_time=f"{hour}:30",
            ),
        )
        assert r.status_code == 302

    def order():
        db.session.expire_all()
        return [leg.from_place_id for leg in db.session.get(Trip, trip.id).legs]

    assert order() == [p[0].id, p[1].id, p[2].id]
    last = db.session.scalars(db.select(Leg).filter_by(from_place_id=p[2].id)).one()
    client.post(
        f"{BASE.format(event.id)}/legs/{last.id}/move", data={"direction": "up"}
    )
    assert order() == [p[0].id, p[2].id, p[1].id]
    client.post(
        f"{BASE.format(event.id)}/legs/{last.id}/move", data={"direction": "down"}
    )
    assert order() == [p[0].id, p[1].id, p[2].id]
    r = client.post(
        f"{BASE.format(event.id)}/legs/{last.id}/move", data={"direction": "sideways"}
    )
    assert r.status_code == 400
    client.post(f"{BASE.format(event.id)}/legs/{last.id}/delete")
    assert order() == [p[0].id, p[1].id]


# Warnings ---------------------------------------------------------------------------


def _at(hour: float, day: int = 0) -> datetime:
    return datetime(2024, 5, 7, tzinfo=UTC) + timedelta(days=day, hours=hour)


def test_route_page_warns(
    client, login, setup, make_trip, make_leg, make_place, make_vehicle, make_delegate
):
    event = setup["event"]
    trip = make_trip(event)
    van = make_vehicle(event, label="Travel Satu", seats=1)
    a = make_place(name="Titik A", lat=-2.0, lon=106.0)
    b = make_place(name="Titik B", lat=-2.5, lon=106.0)  # ~55 km
    c = make_place(name="Titik C", lat=-3.0, lon=106.0)
    far = make_place(name="Titik Jauh", lat=-6.0, lon=106.0)
    # A→B planned 1 h 30 (estimate ~1 h 26): fine; B→C overlaps it and is far too long.
    first = make_leg(
        trip, from_place=a, to_place=b, departs_at=_at(0), arrives_at=_at(1.5)
    )
    first.vehicles = [van]
    second = make_leg(
        trip, from_place=b, to_place=c, departs_at=_at(1), arrives_at=_at(9)
    )
    second.vehicles = [van]
    second.position = 1
    # C→far does not start at the end of the previous leg; 11 h on the road that day.
    third = make_leg(
        trip, from_place=a, to_place=far, departs_at=_at(9), arrives_at=_at(13)
    )
    third.vehicles = [van]
    third.position = 2
    third.delegations = [setup["delegation"]]
    db.session.commit()
    for _ in range(2):
        make_delegate(setup["delegation"], status=DelegateStatus.CONFIRMED)
    login(setup["organiser"])
    page = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    assert "dimulai sebelum ruas" in page
    assert "tidak berangkat dari Titik C" in page
    assert "rencana 8 j, perkiraan" in page
    assert "2 penumpang terkonfirmasi, tetapi hanya 1 kursi" in page
    assert "sopir di jalan 13 j" in page
    assert "Titik A → Titik B: rencana" not in page  # close enough to its estimate
    overview = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Rute perjalanan punya" in overview


def test_clean_route_has_no_warnings(
    client, login, setup, make_trip, make_leg, make_place
):
    event = setup["event"]
    trip = make_trip(event)
    a = make_place(lat=-2.0, lon=106.0)
    b = make_place(lat=-2.5, lon=106.0)
    make_leg(trip, from_place=a, to_place=b, departs_at=_at(0), arrives_at=_at(1.5))
    login(setup["organiser"])
    page = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    assert "Peringatan rute" not in page


def test_ferry_leg_between_shipped_ports(client, login, setup, make_trip, make_vehicle):
    event = setup["event"]
    trip = make_trip(event)
    muntok, api_api = _port("port:tanjung-kalian"), _port("port:tanjung-api-api")
    vans = [make_vehicle(event), make_vehicle(event)]
    login(setup["organiser"])
    form = client.get(f"{BASE.format(event.id)}/legs/new").get_data(as_text=True)
    assert "Pelabuhan" in form and muntok.name in form
    r = client.post(
        f"{BASE.format(event.id)}/legs/new",
        data=_leg_data(
            trip,
            muntok,
            api_api,
            mode="ferry",
            departs_time="08:00",
            arrives_time="12:00",
            vehicle_ids=[str(v.id) for v in vans],
            carrier="ASDP",
            vessel="KMP Jatra",
        ),
    )
    assert r.status_code == 302
    leg = db.session.scalars(db.select(Leg)).one()
    assert leg.mode == LegMode.FERRY and len(leg.vehicles) == 2
    assert muntok.kind == PlaceKind.PORT


# Query counts -----------------------------------------------------------------------


def _fill(event, n, make_trip, make_leg, make_vehicle, make_place):
    trip = make_trip(event)
    places = [make_place(lat=-2.0 - i / 10, lon=106.0) for i in range(n + 1)]
    for i in range(n):
        van = make_vehicle(event)
        leg = make_leg(
            trip,
            from_place=places[i],
            to_place=places[i + 1],
            departs_at=_at(i),
            arrives_at=_at(i + 0.5),
            position=i,
        )
        leg.vehicles = [van]
    db.session.commit()


@pytest.mark.parametrize("page", ["/", "/vehicles"])
def test_query_count_does_not_grow(
    client,
    login,
    make_user,
    make_event,
    make_trip,
    make_leg,
    make_vehicle,
    make_place,
    count_queries,
    page,
):
    organiser = make_user("organiser")
    counts = []
    login(organiser)
    for n in (3, 15):
        event = make_event(organisers=[organiser])
        _fill(event, n, make_trip, make_leg, make_vehicle, make_place)
        with count_queries() as q:
            r = client.get(BASE.format(event.id) + page)
        assert r.status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts
