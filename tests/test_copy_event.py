"""Copying an event as next year's template: the service and the page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Leg,
    LegMode,
    PlaceKind,
    Room,
    RoomAssignment,
    RoomType,
    SeatAssignment,
    SpeakerRole,
    Stay,
    Trip,
    User,
    Vehicle,
)
from planner.services import PlannerError
from planner.services.copying import (
    copy_event,
    copy_summary,
    default_title,
    shift_moment,
)
from planner.services.events import holiday_warnings, today
from tests.conftest import region

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
#: The old event: Tuesday 6 and Wednesday 7 May 2025 (no public holidays).
OLD_START = date(2025, 5, 6)
#: The copy: Tuesday 30 and Wednesday 31 December 2025 (a month and a year boundary).
NEW_START = date(2025, 12, 30)
SHIFT = (NEW_START - OLD_START).days


def _wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def _wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The wall-clock time, naive, in ``zone``: what a printed page shows."""
    return moment.astimezone(zone).replace(tzinfo=None)


@pytest.fixture
def plan(
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
    """Build a study-tour-like event with ``size`` of everything; returns a dict."""

    def build(size: int = 1, *, title: str = "Rakor IPSM Babel 2025", organiser=None):
        organiser = organiser or make_user("organiser")
        head = make_user("chapter_head", regions=["19.01"])
        venue = make_place(name="UPT PTKS Pangkalpinang")
        event = make_event(
            title=title,
            organisers=[organiser],
            starts_on=OLD_START,
            ends_on=OLD_START + timedelta(days=1),
            venue=venue,
            capacity=150,
            description="Dua hari di UPT PTKS.",
            status=EventStatus.OPEN,
        )
        bangka = make_delegation(
            event,
            region=region("19.01"),
            quota=5,
            head=head,
            deadline_at=_wib(2025, 4, 30, 17, 0),
            notes="Ketua membawa spanduk.",
        )
        pusat = make_delegation(event, region=None, name="IPSM Pusat", quota=2)
        statuses = [
            DelegateStatus.CONFIRMED,
            DelegateStatus.NOMINATED,
            DelegateStatus.ATTENDED,
            DelegateStatus.WITHDRAWN,
            DelegateStatus.REPLACED,
        ]
        delegates = []
        for _round in range(size):
            for status in statuses:
                delegation = bangka if len(delegates) % 2 == 0 else pusat
                delegation.quota += 1
                delegates.append(make_delegate(delegation, status=status))
        speaker = make_delegate(
            bangka, status=DelegateStatus.CONFIRMED, role=DelegateRole.SPEAKER
        )
        speaker.delegation = None
        db.session.add(
            DelegateChange(delegate=delegates[0], action="confirmed", note="lama")
        )
        port = make_place(name="Bandara Depati Amir", kind=PlaceKind.AIRPORT)
        makassar = make_place(
            name="Bandara Sultan Hasanuddin",
            kind=PlaceKind.AIRPORT,
            region=region("73.71"),
            lat=-5.0617,
            lon=119.5540,
        )
        there = make_trip(event, name="Berangkat", position=0)
        back = make_trip(event, name="Pulang", position=1)
        vehicles, legs = [], []
        for i in range(size):
            van = make_vehicle(
                event,
                label=f"Travel {i + 1}",
                plate=f"BN {1000 + i} AB",
                seats=12,
                driver_name="Pak Udin",
                driver_phone="+6281234567890",
                operator="CV Babel Trans",
                notes="AC dingin",
            )
            vehicles.append(van)
            road = make_leg(
                there,
                position=2 * i,
                from_place=venue,
                to_place=port,
                mode=LegMode.ROAD,
                departs_at=_wib(2025, 5, 7, 19, 0),
                arrives_at=_wib(2025, 5, 7, 20, 0),
                booking_ref=None,
            )
            road.vehicles.append(van)
            road.has_packed_meal = True
            # The evening flight east: leaves at 22.00 WIB, lands 01.30 WITA the
            # next day (in the copy: on New Year's Day).
            flight = make_leg(
                there,
                position=2 * i + 1,
                from_place=port,
                to_place=makassar,
                mode=LegMode.AIR,
                departs_at=_wib(2025, 5, 7, 22, 0),
                arrives_at=_wita(2025, 5, 8, 1, 30),
                carrier="Garuda Indonesia",
                vessel="GA 123",
                booking_ref="PNR-XY12",
                notes="Bagasi 20 kg",
            )
            flight.delegations.append(pusat)
            legs += [road, flight]
        make_leg(
            back,
            from_place=makassar,
            to_place=port,
            mode=LegMode.AIR,
            departs_at=_wita(2025, 5, 9, 8, 0),
            arrives_at=_wib(2025, 5, 9, 9, 30),
        )
        for n, delegate in enumerate(delegates):
            db.session.add(
                SeatAssignment(
                    trip=there,
                    vehicle=vehicles[n % size],
                    delegate=delegate,
                    seat_number=n // size + 1,
                    is_pinned=n % 3 == 0,
                )
            )
        items = []
        for i in range(size):
            opening = AgendaItem(
                event=event,
                starts_at=_wib(2025, 5, 6, 8, 0),
                ends_at=_wib(2025, 5, 6, 9, 0),
                title=f"Pembukaan {i}",
                kind=AgendaKind.OPENING,
                room="Aula",
                audience=AgendaAudience.EVERYONE,
                notes="Seragam PSM",
                speakers=[
                    AgendaSpeaker(
                        role=SpeakerRole.MC, name="Rina", title="MC", position=0
                    ),
                    AgendaSpeaker(
                        role=SpeakerRole.SPEAKER,
                        person_id=speaker.person_id,
                        title="Kepala Bidang",
                        institution="Dinas Sosial",
                        position=1,
                    ),
                ],
            )
            dialogue = AgendaItem(
                event=event,
                starts_at=_wib(2025, 5, 7, 19, 30),
                ends_at=_wib(2025, 5, 7, 21, 30),
                title=f"Dialog {i}",
                kind=AgendaKind.DIALOGUE,
                place=makassar,
                audience=AgendaAudience.DELEGATIONS,
                delegations=[bangka],
            )
            dropped = AgendaItem(
                event=event,
                starts_at=_wib(2025, 5, 7, 13, 0),
                ends_at=_wib(2025, 5, 7, 14, 0),
                title=f"Dibatalkan {i}",
                kind=AgendaKind.VISIT,
                status=AgendaStatus.CANCELLED,
            )
            db.session.add_all([opening, dialogue, dropped])
            items += [opening, dialogue]
        hotel = make_place(name="Hotel Bumi Makassar", kind=PlaceKind.HOTEL)
        stays = []
        for i in range(size):
            stay = Stay(
                event=event,
                place=hotel,
                check_in_on=OLD_START + timedelta(days=1),
                check_out_on=OLD_START + timedelta(days=3),
                booking_ref=f"HBM-{i}",
                notes="Sarapan termasuk",
            )
            twin = Room(
                stay=stay, label=f"{i}01", room_type=RoomType.TWIN, beds=2, rate=400_000
            )
            dorm = Room(
                stay=stay,
                label=f"Asrama {i}",
                room_type=RoomType.DORMITORY,
                beds=12,
                rate=90_000,
                is_family=True,
                position=1,
            )
            db.session.add_all([stay, twin, dorm])
            db.session.flush()
            db.session.add(
                RoomAssignment(
                    stay_id=stay.id, room=twin, delegate=delegates[0], is_pinned=True
                )
            )
            stays.append(stay)
        db.session.commit()
        for item in items:  # a revised item: its copy starts again at 0
            item.notes = "direvisi"
        db.session.commit()
        return {
            "event": event,
            "organiser": organiser,
            "head": head,
            "bangka": bangka,
            "pusat": pusat,
            "delegates": delegates,
            "vehicles": vehicles,
            "trips": (there, back),
            "legs": legs,
            "items": items,
            "makassar": makassar,
            "stays": stays,
        }

    return build


def _copy(data, user=None, **kw):
    kw.setdefault("title", "Rakor IPSM Babel 2026")
    kw.setdefault("starts_on", NEW_START)
    new = copy_event(data["event"], by_user=user or data["organiser"], **kw)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Event, new.id)


def _rows(model, event: Event):
    return db.session.scalars(
        db.select(model).where(model.event_id == event.id).order_by(model.id)
    ).all()


def _snapshot() -> dict[str, set[str]]:
    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name != "regions":
                rows[table.name] = {
                    repr(tuple(r)) for r in conn.execute(sa.select(table))
                }
    return rows


# The service ----------------------------------------------------------------------


def test_shift_keeps_the_local_clock_time():
    # Across a daylight-saving change the UTC hour moves, the clock time does not.
    before = datetime(2025, 3, 29, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    after = shift_moment(before, 1, "Europe/Amsterdam")
    assert after.tzinfo == UTC
    assert _local(after, ZoneInfo("Europe/Amsterdam")) == datetime(2025, 3, 30, 8, 0)
    assert after - before == timedelta(hours=23)
    assert shift_moment(None, 5, "Asia/Jakarta") is None
    late = _wib(2025, 12, 31, 23, 30)
    assert _local(shift_moment(late, 1, "Asia/Jakarta"), WIB) == datetime(
        2026, 1, 1, 23, 30
    )


def test_copy_is_a_draft_with_shifted_dates_and_the_same_details(plan, make_user):
    data = plan()
    copier = make_user("organiser")
    new = _copy(data, user=copier)
    old = data["event"]
    assert new.id != old.id
    assert new.status == EventStatus.DRAFT
    assert new.title == "Rakor IPSM Babel 2026"
    assert (new.starts_on, new.ends_on) == (date(2025, 12, 30), date(2025, 12, 31))
    assert (new.kind, new.organiser_body, new.host_region_id, new.venue_id) == (
        old.kind,
        old.organiser_body,
        old.host_region_id,
        old.venue_id,
    )
    assert (new.timezone, new.capacity, new.description) == (
        "Asia/Jakarta",
        150,
        "Dua hari di UPT PTKS.",
    )
    assert new.slug == "rakor-ipsm-babel-2026-2025"
    assert {u.id for u in new.organisers} == {data["organiser"].id, copier.id}
    # The copier organising already is not added twice.
    again = _copy(data, user=data["organiser"], title="Lagi")
    assert [u.id for u in again.organisers] == [data["organiser"].id]


def test_agenda_items_keep_their_clock_times_across_the_year_boundary(plan):
    data = plan()
    new = _copy(data)
    items = db.session.scalars(
        db.select(AgendaItem)
        .where(AgendaItem.event_id == new.id)
        .order_by(AgendaItem.starts_at)
    ).all()
    assert [
        (i.title, _local(i.starts_at, WIB), _local(i.ends_at, WIB)) for i in items
    ] == [
        ("Pembukaan 0", datetime(2025, 12, 30, 8, 0), datetime(2025, 12, 30, 9, 0)),
        ("Dialog 0", datetime(2025, 12, 31, 19, 30), datetime(2025, 12, 31, 21, 30)),
    ]
    opening, dialogue = items
    assert (opening.kind, opening.room, opening.audience, opening.notes) == (
        AgendaKind.OPENING,
        "Aula",
        AgendaAudience.EVERYONE,
        "direvisi",
    )
    assert [
        (s.role, s.name, s.person_id, s.title, s.institution) for s in opening.speakers
    ] == [
        (SpeakerRole.MC, "Rina", None, "MC", None),
        (
            SpeakerRole.SPEAKER,
            None,
            data["items"][0].speakers[1].person_id,
            "Kepala Bidang",
            "Dinas Sosial",
        ),
    ]
    assert dialogue.place_id == data["makassar"].id
    copied_bangka = db.session.scalars(
        db.select(Delegation).filter_by(event_id=new.id, name=data["bangka"].name)
    ).one()
    assert [d.id for d in dialogue.delegations] == [copied_bangka.id]
    # Revised items had a sequence above 0; a copy is a new calendar entry.
    assert data["items"][0].sequence > 0
    assert {i.sequence for i in items} == {0}


def test_cancelled_items_are_not_copied(plan):
    data = plan(2)
    new = _copy(data)
    titles = [i.title for i in _rows(AgendaItem, new)]
    assert sorted(titles) == ["Dialog 0", "Dialog 1", "Pembukaan 0", "Pembukaan 1"]
    assert all(i.status == AgendaStatus.SCHEDULED for i in _rows(AgendaItem, new))


def test_legs_keep_clock_times_in_each_place_zone(plan):
    data = plan()
    new = _copy(data)
    legs = db.session.scalars(
        db.select(Leg).where(Leg.event_id == new.id).order_by(Leg.departs_at)
    ).all()
    road, flight, home = legs
    assert (_local(road.departs_at, WIB), _local(road.arrives_at, WIB)) == (
        datetime(2025, 12, 31, 19, 0),
        datetime(2025, 12, 31, 20, 0),
    )
    # 22.00 WIB on New Year's Eve, landing 01.30 WITA on New Year's Day.
    assert _local(flight.departs_at, WIB) == datetime(2025, 12, 31, 22, 0)
    assert _local(flight.arrives_at, WITA) == datetime(2026, 1, 1, 1, 30)
    assert _local(home.departs_at, WITA) == datetime(2026, 1, 2, 8, 0)
    assert _local(home.arrives_at, WIB) == datetime(2026, 1, 2, 9, 30)
    old_flight = data["legs"][1]
    assert flight.departs_at - old_flight.departs_at == timedelta(days=SHIFT)
    assert (flight.mode, flight.carrier, flight.vessel, flight.notes) == (
        LegMode.AIR,
        "Garuda Indonesia",
        "GA 123",
        "Bagasi 20 kg",
    )
    assert (flight.from_place_id, flight.to_place_id, flight.position) == (
        old_flight.from_place_id,
        old_flight.to_place_id,
        old_flight.position,
    )
    assert old_flight.booking_ref == "PNR-XY12"
    assert {leg.booking_ref for leg in legs} == {None}
    assert {leg.sequence for leg in legs} == {0}
    # Vehicles, trips and delegations point at the copies, never at the old rows.
    new_vans = _rows(Vehicle, new)
    new_trips = {t.name: t for t in _rows(Trip, new)}
    assert [v.id for v in road.vehicles] == [new_vans[0].id]
    assert road.trip_id == new_trips["Berangkat"].id
    assert home.trip_id == new_trips["Pulang"].id
    assert [d.name for d in flight.delegations] == ["IPSM Pusat"]
    assert flight.delegations[0].event_id == new.id
    assert [(t.name, t.position) for t in _rows(Trip, new)] == [
        ("Berangkat", 0),
        ("Pulang", 1),
    ]


def test_vehicles_are_copied_with_every_field(plan):
    data = plan()
    new = _copy(data)
    (van,) = _rows(Vehicle, new)
    old = data["vehicles"][0]
    fields = ("kind", "label", "plate", "seats", "driver_name", "driver_phone")
    fields += ("operator", "notes")
    assert [getattr(van, f) for f in fields] == [getattr(old, f) for f in fields]
    assert van.id != old.id


def test_delegations_and_quotas_kept_people_and_seats_left_out(plan):
    data = plan(2)
    new = _copy(data)
    delegations = {d.name: d for d in _rows(Delegation, new)}
    bangka, pusat = data["bangka"], data["pusat"]
    assert set(delegations) == {bangka.name, "IPSM Pusat"}
    copied = delegations[bangka.name]
    assert (copied.region_id, copied.quota, copied.head_user_id, copied.notes) == (
        bangka.region_id,
        bangka.quota,
        data["head"].id,
        "Ketua membawa spanduk.",
    )
    assert _local(copied.deadline_at, WIB) == datetime(2025, 12, 24, 17, 0)
    assert delegations["IPSM Pusat"].quota == pusat.quota
    assert delegations["IPSM Pusat"].deadline_at is None
    assert {d.confirmed_count for d in delegations.values()} == {0}
    assert bangka.confirmed_count > 0
    # New feed addresses: never the old secret.
    assert copied.feed_token and copied.feed_token != bangka.feed_token
    assert _rows(Delegate, new) == []
    assert (
        db.session.scalar(
            db.select(sa.func.count())
            .select_from(SeatAssignment)
            .join(Trip)
            .where(Trip.event_id == new.id)
        )
        == 0
    )


def test_delegates_come_along_as_nominated_when_asked(plan):
    data = plan(2)
    new = _copy(data, include_delegates=True)
    old_active = [d for d in data["delegates"] if d.is_active]
    copies = _rows(Delegate, new)
    # Withdrawn and replaced people stay behind; the speaker without delegation comes.
    assert len(copies) == len(old_active) + 1
    assert {d.person_id for d in copies} == {d.person_id for d in old_active} | {
        db.session.scalars(
            db.select(Delegate.person_id).where(
                Delegate.event_id == data["event"].id, Delegate.delegation_id.is_(None)
            )
        ).one()
    }
    assert {d.status for d in copies} == {DelegateStatus.NOMINATED}
    assert all(d.confirmed_at is None and d.attended_at is None for d in copies)
    assert all(d.replaces_id is None for d in copies)
    by_person = {d.person_id: d for d in copies}
    for old in old_active:
        new_delegate = by_person[old.person_id]
        assert new_delegate.delegation.event_id == new.id
        assert new_delegate.delegation.name == old.delegation.name
        assert new_delegate.feed_token != old.feed_token
    assert {d.confirmed_count for d in _rows(Delegation, new)} == {0}
    # Without history: no change rows for the copies.
    changes = db.session.scalar(
        db.select(sa.func.count())
        .select_from(DelegateChange)
        .where(DelegateChange.delegate_id.in_([d.id for d in copies]))
    )
    assert changes == 0
    assert _seats_of(new) == []


def _seats_of(event: Event) -> list[SeatAssignment]:
    return db.session.scalars(
        db.select(SeatAssignment)
        .join(Delegate, SeatAssignment.delegate_id == Delegate.id)
        .where(Delegate.event_id == event.id)
        .order_by(SeatAssignment.id)
    ).all()


def test_seats_are_repointed_to_the_copied_trips_and_vehicles(plan):
    data = plan(2)
    new = _copy(data, include_delegates=True, include_seats=True)
    seats = _seats_of(new)
    old_seats = _seats_of(data["event"])
    old_active = [s for s in old_seats if s.delegate.is_active]
    assert len(seats) == len(old_active) > 0
    new_trips = {t.id for t in _rows(Trip, new)}
    new_vans = {v.id: v for v in _rows(Vehicle, new)}
    old_ids = {t.id for t in data["trips"]} | {v.id for v in data["vehicles"]}
    for seat in seats:
        assert seat.trip_id in new_trips
        assert seat.vehicle_id in new_vans
        assert seat.trip_id not in old_ids and seat.vehicle_id not in old_ids
        assert seat.delegate.event_id == new.id
    key = lambda s: (s.delegate.person_id, s.vehicle.label, s.seat_number, s.is_pinned)  # noqa: E731
    assert sorted(map(key, seats)) == sorted(map(key, old_active))
    assert any(s.is_pinned for s in seats)


def test_stays_and_rooms_move_with_the_event_and_nobody_is_in_them(plan):
    """ "Salin sebagai templat": each stay shifted by the event's days at the same
    hotel with the same rooms, rates and family marks; no booking reference and no
    occupant, even when the delegates come along."""
    data = plan(2)
    copy = _copy(data, include_delegates=True, include_seats=True)
    old = sorted(data["stays"], key=lambda s: s.id)
    new = _rows(Stay, copy)
    assert len(new) == len(old) == 2

    def rooms(stay):
        return [
            (r.label, r.room_type, r.beds, r.rate, r.is_family, r.position)
            for r in stay.rooms
        ]

    for before, after in zip(old, new, strict=True):
        assert after.place_id == before.place_id
        assert after.check_in_on == before.check_in_on + timedelta(days=SHIFT)
        assert after.check_out_on == before.check_out_on + timedelta(days=SHIFT)
        assert after.nights == [n + timedelta(days=SHIFT) for n in before.nights]
        assert (after.booking_ref, after.notes) == (None, "Sarapan termasuk")
        assert after.sequence == 0
        assert rooms(after) == rooms(before) and len(rooms(after)) == 2
    assert not db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RoomAssignment)
        .where(RoomAssignment.stay_id.in_(s.id for s in new))
    )
    # The old stays keep their people.
    assert db.session.scalar(sa.select(sa.func.count(RoomAssignment.id))) == 2


def test_packed_meals_are_copied_with_the_legs(plan):
    data = plan(2)
    copy = _copy(data)
    marked = [leg.has_packed_meal for leg in _rows(Leg, copy)]
    assert marked.count(True) == 2 and marked.count(False) == 3


def test_the_old_event_is_unchanged(plan):
    data = plan(2)
    before = _snapshot()
    _copy(data, include_delegates=True, include_seats=True)
    after = _snapshot()
    for table, rows in before.items():
        assert rows <= after[table], table
    assert len(after["events"]) == len(before["events"]) + 1


def test_slug_is_unique_when_copied_twice(plan):
    data = plan()
    first = _copy(data)
    second = _copy(data)
    assert first.slug == "rakor-ipsm-babel-2026-2025"
    assert second.slug == "rakor-ipsm-babel-2026-2025-2"
    assert first.title == second.title


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_on": None}, "starts_on"),
        ({"starts_on": "2026-01-01"}, "starts_on"),
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"starts_on": today() + timedelta(days=11 * 366)}, "starts_on"),
        ({"starts_on": today() - timedelta(days=11 * 366)}, "starts_on"),
        ({"include_seats": True}, "include_seats"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(plan, changes, field):
    data = plan()
    before = _snapshot()
    with pytest.raises(PlannerError) as raised:
        copy_event(
            data["event"],
            **{
                "title": "Rakor 2026",
                "starts_on": NEW_START,
                "by_user": data["organiser"],
                **changes,
            },
        )
    assert raised.value.field == field
    assert str(raised.value)
    db.session.rollback()
    assert _snapshot() == before


def test_summary_counts_what_will_be_copied(plan):
    data = plan(2)
    summary = copy_summary(data["event"])
    assert summary.delegations == 2
    assert summary.vehicles == 2
    assert summary.trips == 2
    assert summary.legs == 5
    assert summary.agenda_items == 4
    assert summary.cancelled_items == 2
    assert summary.delegates == 7  # 3 active of 5, twice, and the speaker
    assert summary.seats == 6
    assert (summary.stays, summary.rooms) == (2, 4)


def test_default_title_replaces_the_year(app_ctx, make_event):
    event = make_event(
        title="Rakor IPSM 2025 (tahap 2)",
        starts_on=date(2025, 5, 6),
        ends_on=date(2025, 5, 7),
    )
    assert default_title(event, date(2026, 5, 5)) == "Rakor IPSM 2026 (tahap 2)"
    assert (
        default_title(event, date(2025, 9, 1)) == "Rakor IPSM 2025 (tahap 2) (salinan)"
    )
    event.title = "Rakor IPSM Babel"
    assert default_title(event, date(2026, 5, 5)) == "Rakor IPSM Babel (salinan)"
    event.title = "x" * 200
    assert len(default_title(event, date(2026, 5, 5))) == 200


def _selects(statements) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def test_select_count_does_not_grow_with_the_event(plan, count_queries, make_user):
    counts = []
    for size in (1, 6):
        data = plan(size, organiser=make_user("organiser"))
        event_id, user_id = data["event"].id, data["organiser"].id
        db.session.expire_all()
        event = db.session.get(Event, event_id)
        user = db.session.get(User, user_id)
        with count_queries() as q:
            copy_event(
                event,
                title=f"Salinan {size}",
                starts_on=NEW_START,
                by_user=user,
                include_delegates=True,
                include_seats=True,
            )
        db.session.commit()
        counts.append((_selects(q), len(q)))
    assert counts[0][0] == counts[1][0], counts
    if db.engine.dialect.name == "postgresql":
        # The rows of a table go in as one multi-row INSERT … RETURNING. (SQLite
        # cannot return the new ids of one in order and gets an INSERT per row.)
        assert counts[0][1] == counts[1][1], counts


# The page ---------------------------------------------------------------------------


def _url(event) -> str:
    return f"/events/{event.id}/copy"


def _events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Event).order_by(Event.id)))


def test_form_suggests_the_same_weekday_a_year_later(client, login, plan):
    data = plan()
    login(data["organiser"])
    page = client.get(_url(data["event"]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="2026-05-05"' in html  # 364 days after Tuesday 6 May 2025
    assert "Selasa, 5 Mei 2026" in html
    assert 'value="Rakor IPSM Babel 2026"' in html
    assert "Salin juga para delegasi (sebagai calon, harus dikonfirmasi ulang)" in html
    assert "Salin juga pembagian kursi" in html
    assert "Kode pemesanan (booking) tiket tidak disalin" in html
    summary = re.sub(r"\s+", " ", html[html.index('id="copy-summary"') :])
    assert 'Ruas perjalanan</span><span class="fw-semibold">3</span>' in summary
    assert 'Mata acara</span><span class="fw-semibold">2</span>' in summary
    assert 'Penginapan</span><span class="fw-semibold">1</span>' in summary
    assert 'Kamar</span><span class="fw-semibold">2</span>' in summary
    assert "1 mata acara yang dibatalkan" in summary


def test_copy_through_the_page(client, login, plan):
    data = plan()
    login(data["organiser"])
    before = len(_events())
    response = client.post(
        _url(data["event"]),
        data={"title": "Rakor IPSM Babel 2026", "starts_on": "2025-12-30"},
    )
    assert response.status_code == 302
    events = _events()
    assert len(events) == before + 1
    new = events[-1]
    assert response.headers["Location"].endswith(f"/events/{new.id}")
    assert new.status == EventStatus.DRAFT
    assert _rows(Delegate, new) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Acara disalin sebagai draf: Rakor IPSM Babel 2026." in page
    assert f"Semua jadwal digeser {SHIFT} hari ke depan." in page


def test_copy_with_people_and_seats_through_the_page(client, login, plan):
    data = plan()
    login(data["organiser"])
    response = client.post(
        _url(data["event"]),
        data={
            "title": "Rakor IPSM Babel 2026",
            "starts_on": "2026-05-05",
            "include_delegates": "y",
            "include_seats": "y",
        },
    )
    assert response.status_code == 302
    new = _events()[-1]
    assert {d.status for d in _rows(Delegate, new)} == {DelegateStatus.NOMINATED}
    assert len(_seats_of(new)) == 3


def test_holidays_on_the_new_dates_are_flashed(client, login, plan):
    data = plan()
    login(data["organiser"])
    start = date(2026, 8, 17)  # Independence Day
    assert holiday_warnings(start, start, locale="id")
    response = client.post(
        _url(data["event"]),
        data={"title": "Rakor 17 Agustus", "starts_on": start.isoformat()},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "17 Agustus 2026 adalah hari libur" in html
    assert "Semua jadwal digeser 468 hari ke depan." in html


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"starts_on": "2026-13-45"}, "Tanggal tidak valid."),
        ({"starts_on": ""}, "Wajib diisi."),
        ({"starts_on": "0202-05-05"}, "Tahun harus antara"),
        ({"starts_on": "2099-05-05"}, "paling jauh 10 tahun"),
        ({"title": ""}, "Wajib diisi."),
        ({"include_seats": "y"}, "hanya dapat disalin bersama para delegasi"),
    ],
)
def test_form_errors_keep_what_was_typed_and_change_nothing(
    client, login, plan, form, message
):
    data = plan()
    login(data["organiser"])
    before = _snapshot()
    typed = {"title": "Rakor <b>Baru</b> 2026", "starts_on": "2026-05-05", **form}
    response = client.post(_url(data["event"]), data=typed)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    if typed["title"]:
        assert 'value="Rakor &lt;b&gt;Baru&lt;/b&gt; 2026"' in html
    if typed["starts_on"] and typed["starts_on"][0] != "0":
        assert f'value="{typed["starts_on"]}"' in html
    if "include_seats" in form:
        (box,) = re.findall(r'<input[^>]*name="include_seats"[^>]*>', html)
        assert "checked" in box
    assert _snapshot() == before


def test_who_may_copy(client, login, plan, make_user, make_person):
    data = plan()
    url = _url(data["event"])
    post = {"title": "Salinan", "starts_on": "2026-05-05"}
    count = len(_events())
    response = client.get(url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert client.post(url, data=post).status_code == 302
    refused = [
        make_user("organiser"),  # organises another event
        make_user("participant", person=make_person()),
        make_user("chapter_head"),
        data["head"],
    ]
    # Listed as organiser of this event, but not allowed to create events.
    no_create = make_user("none")
    data["event"].organisers.append(no_create)
    db.session.commit()
    refused.append(no_create)
    for user in refused:
        login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, data=post).status_code == 403, user
        client.post("/auth/logout")
    assert len(_events()) == count
    login(make_user("admin"))
    assert client.get(url).status_code == 200
    assert client.post(url, data=post).status_code == 302
    assert len(_events()) == count + 1


def test_unknown_event_is_404(client, login, make_user):
    login(make_user("admin"))
    assert client.get("/events/999999/copy").status_code == 404
    assert client.post("/events/999999/copy", data={}).status_code == 404


def test_overview_button_only_for_those_allowed(client, login, plan, make_user):
    data = plan()
    event_url = f"/events/{data['event'].id}"
    login(data["organiser"])
    assert _url(data["event"]) in client.get(event_url).get_data(as_text=True)
    client.post("/auth/logout")
    login(make_user("chapter_head"))
    page = client.get(event_url)
    assert page.status_code == 200
    assert "Salin sebagai templat" not in page.get_data(as_text=True)
