"""Fewer clicks for the way back: the return trip made from the outbound one, a leg
copied to the next day, a new leg starting where the last one ended, seats copied
between trips."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from planner.extensions import db
from planner.models import DelegateStatus, Leg, LegMode, SeatAssignment, Trip
from tests.conftest import region


@dataclass
class Outbound:
    event_id: int
    trip_id: int
    pulang_id: int
    road_id: int
    ferry_id: int
    van1_id: int
    van2_id: int
    organiser: object
    head: object


@pytest.fixture
def outbound(
    make_user,
    make_event,
    make_place,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
):
    """Pangkalpinang → Muntok by road (19.00–21.30 UTC), a 30-minute wait, then the
    ferry to Tanjung Api-Api (22.00–04.00 UTC); both vans; three delegates seated."""
    organiser = make_user("organiser")
    head = make_user("chapter_head", regions=("19.01",))
    event = make_event(
        organisers=[organiser], starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 12)
    )
    pgk = make_place(name="Kantor Dinsos Babel")
    muntok = make_place(name="Pelabuhan Tanjung Kalian", region=region("19.05"))
    api = make_place(name="Pelabuhan Tanjung Api-Api", region=region("16.07"))
    van1 = make_vehicle(event, label="Travel 1", seats=10)
    van2 = make_vehicle(event, label="Travel 2", seats=10)
    trip = make_trip(event, name="Berangkat")
    pulang = make_trip(event, name="Pulang", position=1)
    road = make_leg(
        trip,
        from_place=pgk,
        to_place=muntok,
        departs_at=datetime(2024, 5, 6, 19, 0, tzinfo=UTC),
        arrives_at=datetime(2024, 5, 6, 21, 30, tzinfo=UTC),
        position=0,
    )
    ferry = make_leg(
        trip,
        mode=LegMode.FERRY,
        from_place=muntok,
        to_place=api,
        departs_at=datetime(2024, 5, 6, 22, 0, tzinfo=UTC),
        arrives_at=datetime(2024, 5, 7, 4, 0, tzinfo=UTC),
        carrier="ASDP Indonesia Ferry",
        booking_ref="ASDP-7788",
        position=1,
    )
    road.vehicles = [van1]
    ferry.vehicles = [van1, van2]
    bangka = make_delegation(event, region=region("19.01"), quota=20, head=head)
    for n in range(3):
        d = make_delegate(bangka, status=DelegateStatus.CONFIRMED)
        db.session.add(
            SeatAssignment(
                trip=trip, vehicle=van1, delegate=d, seat_number=n + 2, is_pinned=n == 0
            )
        )
    db.session.commit()
    return Outbound(
        event.id,
        trip.id,
        pulang.id,
        road.id,
        ferry.id,
        van1.id,
        van2.id,
        organiser,
        head,
    )


def _return_url(o: Outbound) -> str:
    return f"/events/{o.event_id}/transport/trips/{o.trip_id}/return"


def _legs(trip_id: int) -> list[Leg]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            db.select(Leg).filter_by(trip_id=trip_id).order_by(Leg.position)
        )
    )


def _seats(trip_id: int) -> set[tuple[int, int, int | None, bool]]:
    return set(
        db.session.execute(
            db.select(
                SeatAssignment.delegate_id,
                SeatAssignment.vehicle_id,
                SeatAssignment.seat_number,
                SeatAssignment.is_pinned,
            ).filter_by(trip_id=trip_id)
        ).all()
    )


def test_return_trip_reverses_the_legs_with_their_durations_and_seats(
    client, login, outbound
):
    o = outbound
    login(o.organiser)
    page = client.get(_return_url(o)).get_data(as_text=True)
    assert 'value="Pulang"' in page
    assert "Pelabuhan Tanjung Api-Api → Pelabuhan Tanjung Kalian" in page

    response = client.post(
        _return_url(o),
        data={
            "name": "Pulang",
            "departs_on": "2024-05-12",
            "departs_time": "08:00",
            "copy_seats": "y",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#trip-{o.pulang_id}")
    ferry, road = _legs(o.pulang_id)  # the empty "Pulang" trip was filled
    # 08.00 WIB at Tanjung Api-Api; six hours at sea as on the way out.
    assert ferry.mode == LegMode.FERRY
    assert ferry.departs_at == datetime(2024, 5, 12, 1, 0, tzinfo=UTC)
    assert ferry.arrives_at == datetime(2024, 5, 12, 7, 0, tzinfo=UTC)
    assert ferry.carrier == "ASDP Indonesia Ferry" and ferry.booking_ref is None
    assert {v.id for v in ferry.vehicles} == {o.van1_id, o.van2_id}
    # The 30-minute wait, then 2 h 30 by road back to the office.
    assert road.departs_at == datetime(2024, 5, 12, 7, 30, tzinfo=UTC)
    assert road.arrives_at == datetime(2024, 5, 12, 10, 0, tzinfo=UTC)
    assert road.to_place.name == "Kantor Dinsos Babel"
    assert [v.id for v in road.vehicles] == [o.van1_id]
    assert _seats(o.pulang_id) == _seats(o.trip_id)
    assert len(_seats(o.pulang_id)) == 3
    # The route page offers it; a second return trip of the same name is refused.
    route = client.get(f"/events/{o.event_id}/transport/").get_data(as_text=True)
    assert _return_url(o) in route
    again = client.post(
        _return_url(o),
        data={"name": "pulang", "departs_on": "2024-05-12", "departs_time": "09:00"},
    )
    assert again.status_code == 200
    assert "Perjalanan Pulang sudah punya ruas" in again.get_data(as_text=True)
    assert len(_legs(o.pulang_id)) == 2


def test_return_trip_without_seats_under_a_new_name(client, login, outbound):
    o = outbound
    login(o.organiser)
    response = client.post(
        _return_url(o),
        data={
            "name": "Pulang lewat Palembang",
            "departs_on": "2024-05-12",
            "departs_time": "13:15",
        },
    )
    assert response.status_code == 302
    trip = db.session.scalars(
        db.select(Trip).filter_by(name="Pulang lewat Palembang")
    ).one()
    assert len(_legs(trip.id)) == 2
    assert _seats(trip.id) == set()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Pulang", "departs_on": "", "departs_time": "08:00"}, "wajib diisi"),
        ({"name": "Pulang", "departs_on": "2024-02-31", "departs_time": "08:00"}, ""),
        ({"name": "Pulang", "departs_on": "2024-05-12", "departs_time": "25:00"}, ""),
        ({"name": "Berangkat", "departs_on": "2024-05-12", "departs_time": "08:00"},
         "harus berbeda dari Berangkat"),
        ({"name": "x" * 121, "departs_on": "2024-05-12", "departs_time": "08:00"},
         "Paling panjang 120 karakter"),
    ],
)  # fmt: skip
def test_bad_return_trip_input_keeps_what_was_typed_and_changes_nothing(
    client, login, outbound, data, message
):
    o = outbound
    login(o.organiser)
    response = client.post(_return_url(o), data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert 'class="invalid-feedback' in html or "alert-danger" in html
    if data["departs_on"]:
        assert f'value="{data["departs_on"]}"' in html
    assert _legs(o.pulang_id) == []
    assert db.session.scalar(db.select(db.func.count(Trip.id))) == 2


def test_a_trip_without_legs_has_nothing_to_reverse(client, login, outbound):
    o = outbound
    login(o.organiser)
    url = f"/events/{o.event_id}/transport/trips/{o.pulang_id}/return"
    assert client.get(url).status_code == 302
    assert client.post(url, data={}).status_code == 302
    assert _legs(o.pulang_id) == []


def test_chapter_head_cannot_make_a_return_trip(client, login, outbound):
    o = outbound
    login(o.head)
    response = client.post(
        _return_url(o),
        data={"name": "Pulang", "departs_on": "2024-05-12", "departs_time": "08:00"},
    )
    assert response.status_code == 403
    assert _legs(o.pulang_id) == []


def test_duplicate_leg_goes_a_day_later_and_opens_the_copy(client, login, outbound):
    o = outbound
    login(o.organiser)
    response = client.post(
        f"/events/{o.event_id}/transport/legs/{o.ferry_id}/duplicate", data={}
    )
    assert response.status_code == 302
    road, ferry, copy = _legs(o.trip_id)
    assert response.headers["Location"].endswith(f"/transport/legs/{copy.id}/edit")
    assert copy.departs_at == ferry.departs_at + timedelta(days=1)
    assert copy.arrives_at == ferry.arrives_at + timedelta(days=1)
    assert (copy.from_place_id, copy.to_place_id) == (
        ferry.from_place_id,
        ferry.to_place_id,
    )
    assert copy.booking_ref is None and len(copy.vehicles) == 2


def test_a_new_leg_starts_where_the_last_one_ended(client, login, outbound):
    o = outbound
    login(o.organiser)
    html = client.get(
        f"/events/{o.event_id}/transport/legs/new?trip_id={o.trip_id}"
    ).get_data(as_text=True)
    ferry = db.session.get(Leg, o.ferry_id)
    select = html.split('name="from_place_id"', 1)[1].split("</select>", 1)[0]
    assert f'<option selected value="{ferry.to_place_id}"' in select or (
        f'value="{ferry.to_place_id}" selected' in select
    )
    # Arrived 04.00 UTC = 11.00 WIB at Tanjung Api-Api; half an hour later.
    assert 'value="11:30"' in html
    assert 'value="2024-05-07"' in html


def test_copy_seats_between_trips(client, login, outbound, make_delegate):
    o = outbound
    login(o.organiser)
    url = f"/events/{o.event_id}/transport/trips/{o.pulang_id}/seats/copy"
    page = client.get(
        f"/events/{o.event_id}/transport/trips/{o.pulang_id}/seats"
    ).get_data(as_text=True)
    assert f'action="{url}"' in page
    response = client.post(url, data={"source_id": str(o.trip_id)})
    assert response.status_code == 302
    assert _seats(o.pulang_id) == _seats(o.trip_id)
    # Again: nobody moves, nothing doubles.
    client.post(url, data={"source_id": str(o.trip_id)})
    assert len(_seats(o.pulang_id)) == 3
    # Its own trip or another event's trip: refused, nothing changes.
    for bad in (str(o.pulang_id), "999999", "abc", ""):
        client.post(url, data={"source_id": bad})
    assert len(_seats(o.pulang_id)) == 3
