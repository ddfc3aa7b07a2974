"""Plan files and where everyone sleeps and eats: stays, rooms, occupants, packed meals
and dietary notes travel with a plan, are checked, and stay out of plans without them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    Delegate,
    Event,
    Leg,
    Person,
    Place,
    PlaceKind,
    Room,
    RoomAssignment,
    RoomType,
    Stay,
)
from planner.services.plans import dump_plan, export_plan, import_plan, load_plan
from tests import test_plans as _plans
from tests.test_plans import (
    EXAMPLE,
    _keys_anywhere,
    _refused,
    _wipe_plan_rows,
    _without_time,
)

# The plan tests' fixtures, shared: an event with everything, the example as a dict.
fast_hashing = _plans.fast_hashing
plan_doc = _plans.plan_doc
rich_event = _plans.rich_event

#: Keys only a plan with lodging or meal marks holds.
_LODGING_KEYS = {
    "stays",
    "check_in_on",
    "check_out_on",
    "rooms",
    "room_type",
    "beds",
    "rate",
    "family",
    "occupants",
    "packed_meal",
    "dietary_notes",
}


def _add_lodging(event: Event) -> None:
    """Two stays of the event at two hotels, with rooms of each kind and everyone
    taking part in a bed; a packed meal on the first leg; two dietary notes."""
    hotel = db.session.scalars(
        sa.select(Place).where(Place.kind == PlaceKind.HOTEL)
    ).first()
    second = Place(name="Hotel Kedua Uji", kind=PlaceKind.HOTEL, lat=-2.1, lon=106.1)
    delegates = db.session.scalars(
        sa.select(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
        .order_by(Delegate.id)
    ).all()
    first_night = event.starts_on - timedelta(days=1)
    one = Stay(
        event=event,
        place=hotel,
        check_in_on=first_night,
        check_out_on=event.starts_on + timedelta(days=1),
        booking_ref="UJI-001",
        notes="Sarapan termasuk.",
    )
    two = Stay(
        event=event,
        place=second,
        check_in_on=event.starts_on + timedelta(days=1),
        check_out_on=event.ends_on + timedelta(days=1),
    )
    dorm = Room(
        stay=one, label="Aula", room_type=RoomType.DORMITORY, beds=20, rate=75_000
    )
    family = Room(
        stay=one,
        label="101",
        room_type=RoomType.DOUBLE,
        beds=2,
        rate=450_000,
        is_family=True,
        position=1,
    )
    single = Room(stay=two, label="Single 1", room_type=RoomType.SINGLE, beds=1)
    triple = Room(
        stay=two, label="Triple 1", room_type=RoomType.TRIPLE, beds=3, position=1
    )
    db.session.add_all([one, two, dorm, family, single, triple])
    db.session.flush()
    for n, delegate in enumerate(delegates):
        room = family if n < 2 else dorm
        db.session.add(
            RoomAssignment(
                stay_id=one.id, room=room, delegate=delegate, is_pinned=n == 0
            )
        )
    db.session.add(RoomAssignment(stay_id=two.id, room=single, delegate=delegates[0]))
    leg = db.session.scalars(
        sa.select(Leg).where(Leg.event_id == event.id).order_by(Leg.departs_at)
    ).first()
    leg.has_packed_meal = True
    delegates[0].person.dietary_notes = "Vegetarian"
    delegates[1].person.dietary_notes = "Tanpa makanan laut"
    db.session.commit()


def _stays_of(event_id: int) -> list[tuple]:
    """Each stay as (hotel, nights, rooms as (label, type, beds, rate, family,
    sorted occupants' names and pins))."""
    out = []
    for stay in db.session.scalars(
        sa.select(Stay).where(Stay.event_id == event_id).order_by(Stay.check_in_on)
    ):
        rooms = [
            (
                r.label,
                r.room_type,
                r.beds,
                r.rate,
                r.is_family,
                sorted(
                    (a.delegate.person.full_name, a.is_pinned) for a in r.assignments
                ),
            )
            for r in stay.rooms
        ]
        out.append(
            (stay.place.name, stay.check_in_on, stay.check_out_on, stay.booking_ref)
            + (stay.notes, rooms)
        )
    return out


@pytest.mark.parametrize("personal_data", [True, False])
def test_round_trip_of_stays_rooms_occupants_meals_and_dietary_notes(
    rich_event, personal_data
):
    """Export → import into an empty database → export: the same document, and the
    same stays, rooms, occupants, packed meals and dietary notes in the database."""
    _add_lodging(rich_event)
    before = _stays_of(rich_event.id)
    first = export_plan(rich_event, personal_data=personal_data)
    raw = dump_plan(first)
    _wipe_plan_rows()

    result = import_plan(load_plan(raw))
    db.session.commit()
    event = db.session.get(Event, result.event.id)
    again = export_plan(event, personal_data=personal_data)

    assert _without_time(again) == _without_time(first)
    assert dump_plan(again).split(b"\n", 4)[4] == raw.split(b"\n", 4)[4]
    assert _stays_of(event.id) == before
    assert len(before) == 2 and sum(len(s[-1]) for s in before) == 4
    assert list(first)[-2:] == ["agenda", "stays"]
    assert [leg.get("packed_meal") for leg in first["legs"]].count(True) == 1
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Leg.event_id == event.id, Leg.has_packed_meal)
    )
    notes = sorted(
        db.session.scalars(
            sa.select(Person.dietary_notes).where(Person.dietary_notes.is_not(None))
        )
    )
    assert notes == ["Tanpa makanan laut", "Vegetarian"]
    occupants = [o for s in first["stays"] for r in s["rooms"] for o in r["occupants"]]
    assert sum(o["pinned"] for o in occupants) == 1
    assert {r["room_type"] for s in first["stays"] for r in s["rooms"]} == {
        t.value for t in RoomType if t != RoomType.TWIN
    }
    # The hotel of the second stay is in no leg or agenda item: the stay brings it.
    assert "hotel-kedua-uji" in {p["key"] for p in first["places"]}


def test_a_plan_without_lodging_has_none_of_its_keys(rich_event):
    """No stay, packed meal or dietary note: the document is the one written before
    they existed (none of their keys anywhere)."""
    doc = export_plan(rich_event, personal_data=True)
    assert not _keys_anywhere(doc) & _LODGING_KEYS
    assert b"stays" not in dump_plan(doc)


def test_a_version_1_file_without_lodging_still_imports(plan_doc):
    """The example as it was before stays existed imports as it did, with no stay,
    packed meal or dietary note made."""
    for person in plan_doc["people"]:
        person.pop("dietary_notes", None)
    for leg in plan_doc["legs"]:
        leg.pop("packed_meal", None)
    del plan_doc["stays"]
    plan_doc["places"] = [p for p in plan_doc["places"] if p["kind"] != "hotel"]
    assert not _keys_anywhere(plan_doc) & _LODGING_KEYS
    result = import_plan(plan_doc)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Stay.id))) == 0
    assert not db.session.scalar(sa.select(sa.func.count()).where(Leg.has_packed_meal))
    doc = export_plan(result.event)
    assert not _keys_anywhere(doc) & _LODGING_KEYS


def test_the_example_brings_its_stay(plan_doc):
    result = import_plan(plan_doc)
    db.session.commit()
    assert _stays_of(result.event.id) == [
        (
            "Wisma Menumbing Muntok",
            result.event.starts_on,
            result.event.ends_on,
            "WM-0310-07",
            None,
            [
                ("101", RoomType.TWIN, 2, 350_000, False, [("Yusuf Maulana", True)]),
                ("102", RoomType.TWIN, 2, 350_000, False, [("Dewi Lestari", False)]),
            ],
        )
    ]


def _stay(doc: dict) -> dict:
    return doc["stays"][0]


def test_references_dates_beds_and_rates_are_checked_with_paths(plan_doc):
    doc = plan_doc
    stay = _stay(doc)
    rooms = stay["rooms"]
    rooms[0]["beds"] = 0
    rooms[0]["rate"] = -5
    rooms[1]["beds"] = 3
    rooms[1]["rate"] = 100_000_001
    rooms.append(
        {"label": "101", "room_type": "dormitory", "beds": 101, "occupants": []}
    )
    rooms[0]["occupants"].append({"person": "nobody"})
    rooms[1]["occupants"].append({"person": "yusuf"})
    doc["people"].append({"key": "tamu", "full_name": "Tamu Uji"})
    rooms[1]["occupants"].append({"person": "tamu"})
    doc["stays"].append(
        {
            "place": "hotel-hilang",
            "check_in_on": "2027-03-10",
            "check_out_on": "2027-03-10",
        }
    )
    doc["stays"].append(
        {
            "place": "wisma-muntok",
            "check_in_on": "2027-02-30",
            "check_out_on": "2027-03-11",
        }
    )
    assert _refused(doc) == [
        "$.stays[0].rooms[0].beds: Kamar harus punya paling sedikit 1 tempat tidur.",
        "$.stays[0].rooms[0].rate: Tarif per malam harus bilangan bulat rupiah, 0 "
        "atau lebih.",
        "$.stays[0].rooms[0].occupants[1].person: Kunci “nobody” tidak ada di "
        "$.people.",
        "$.stays[0].rooms[1].beds: Kamar jenis twin punya 2 tempat tidur.",
        "$.stays[0].rooms[1].rate: Tarif per malam terlalu besar.",
        "$.stays[0].rooms[1].occupants[1].person: “yusuf” sudah mendapat kamar di "
        "$.stays[0].rooms[0].occupants[0].",
        "$.stays[0].rooms[1].occupants[2].person: “tamu” bukan peserta acara (tidak "
        "ada di $.delegates).",
        "$.stays[0].rooms[2].beds: Kamar asrama harus punya 1 sampai 100 tempat tidur.",
        "$.stays[0].rooms[2].label: Kamar “101” sudah ada di $.stays[0].rooms[0].",
        "$.stays[1].place: Kunci “hotel-hilang” tidak ada di $.places.",
        "$.stays[1].check_out_on: Tanggal check-out harus sesudah tanggal check-in.",
        '$.stays[2].check_in_on: Tanggal "2027-02-30" tidak ada di kalender.',
    ]


def test_a_stay_outside_the_event_is_refused(plan_doc):
    stay = _stay(plan_doc)
    stay["check_in_on"], stay["check_out_on"] = "2027-03-14", "2027-03-16"
    assert _refused(plan_doc) == [
        "$.stays[0].check_in_on: Menginap di luar tanggal acara: paling awal "
        "check-in 2027-03-07, paling akhir check-out 2027-03-14."
    ]


def test_an_occupant_twice_on_one_night_is_refused(plan_doc):
    """Two stays may follow each other; one bed a night each."""
    plan_doc["stays"].append(
        {
            "place": "aula-muntok",
            "check_in_on": "2027-03-09",
            "check_out_on": "2027-03-11",
            "rooms": [
                {
                    "label": "Asrama",
                    "room_type": "dormitory",
                    "beds": 10,
                    "occupants": [{"person": "rahmat"}, {"person": "dewi"}],
                }
            ],
        }
    )
    plan_doc["stays"].append(
        {
            "place": "aula-muntok",
            "check_in_on": "2027-03-11",
            "check_out_on": "2027-03-12",
            "rooms": [
                {
                    "label": "Asrama",
                    "room_type": "dormitory",
                    "beds": 10,
                    "occupants": [{"person": "yusuf"}],
                }
            ],
        }
    )
    assert _refused(plan_doc) == [
        "$.stays[1].rooms[0].occupants[1].person: “dewi” sudah mendapat kamar pada "
        "malam 2027-03-10 di $.stays[0].rooms[1].occupants[0]."
    ]


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        (
            ("legs", 0, "packed_meal"),
            "ya",
            '$.legs[0].packed_meal: Harus berupa true atau false, bukan "ya".',
        ),
        (
            ("stays", 0, "rooms", 0, "room_type"),
            "suite",
            '$.stays[0].rooms[0].room_type: Nilai "suite" tidak dikenal; yang boleh: '
            "single, twin, double, triple, dormitory.",
        ),
        (
            ("people", 3, "dietary_notes"),
            "x" * 201,
            "$.people[3].dietary_notes: Paling panjang 200 karakter.",
        ),
    ],
)
def test_schema_refuses_wrong_lodging_values(plan_doc, path, value, problem):
    target = plan_doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert _refused(plan_doc) == [problem]


def test_documentation_lists_the_new_fields():
    """docs/plan-format.md documents every field the schema adds (and the example,
    the schema's own check, holds them all)."""
    text = (EXAMPLE.parent / "plan-format.md").read_text()
    example = json.loads(EXAMPLE.read_text())
    for name in ("stays", "packed_meal", "dietary_notes", "occupants", "pinned"):
        assert f"`{name}`" in text
    assert {"stays", "packed_meal", "dietary_notes", "occupants"} <= _keys_anywhere(
        example
    )
