"""The run-down (susunan acara): items with speakers and audiences, shifting, the
conflicts shown as warnings, and the pages with their permissions and query counts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    DelegateStatus,
    EventStatus,
    LegMode,
    SeatAssignment,
    SpeakerRole,
)
from planner.services import PlannerError
from planner.services.agenda import (
    after_defaults,
    agenda_conflicts,
    cancel_item,
    create_item,
    load_agenda,
    load_legs,
    reinstate_item,
    shift_later_items,
    update_item,
)
from planner.services.events import event_checklist
from tests.conftest import region

DAY1, DAY2 = date(2027, 1, 19), date(2027, 1, 20)
WIB = ZoneInfo("Asia/Jakarta")
BASE = "/events/{}/agenda"


@pytest.fixture
def setup(make_user, make_event, make_place, make_delegation):
    """An organiser, an open two-day event at a venue, two delegations."""
    organiser = make_user("organiser")
    venue = make_place(name="Balai Diklat Uji")
    event = make_event(
        organisers=[organiser], venue=venue, starts_on=DAY1, ends_on=DAY2
    )
    kota = make_delegation(event, region=region("19.71"))
    bangka = make_delegation(event, region=region("19.01"))
    return {
        "organiser": organiser,
        "event": event,
        "venue": venue,
        "kota": kota,
        "bangka": bangka,
    }


def _data(**kw) -> dict:
    """Service data of an item: 10.00–11.00 on the first day unless told."""
    data = {
        "day": DAY1,
        "starts_time": time(10, 0),
        "ends_time": time(11, 0),
        "ends_on": None,
        "title": "Materi 1: Konsep Dasar PSM",
        "kind": "material",
        "place_id": None,
        "room": None,
        "audience": "everyone",
        "delegation_ids": [],
        "speakers": [],
        "notes": None,
    }
    data.update(kw)
    return data


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A WIB moment as stored (UTC)."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=WIB)
    return local.astimezone(UTC)


def _speaker(name=None, person_id=None, role="speaker", **kw):
    return {
        "role": role,
        "person_id": person_id,
        "name": name,
        "title": kw.get("title"),
        "institution": kw.get("institution"),
    }


def _count_items() -> int:
    return db.session.scalar(db.select(db.func.count(AgendaItem.id)))


# Creating and changing --------------------------------------------------------------


def test_times_are_typed_in_the_event_zone(setup, make_event):
    item = create_item(setup["event"], data=_data())
    assert item.starts_at == _at(DAY1, 10) and item.ends_at == _at(DAY1, 11)
    wita = make_event(starts_on=DAY1, ends_on=DAY2, timezone="Asia/Makassar")
    other = create_item(wita, data=_data())
    assert other.starts_at == datetime(2027, 1, 19, 2, 0, tzinfo=UTC)


def test_item_past_midnight_needs_its_end_day(setup):
    event = setup["event"]
    late = _data(starts_time=time(22, 0), ends_time=time(1, 30))
    with pytest.raises(PlannerError) as exc:
        create_item(event, data=late)
    assert str(exc.value) == "Waktu selesai harus setelah waktu mulai."
    assert exc.value.field == "ends_time"
    item = create_item(event, data={**late, "ends_on": DAY2})
    assert item.ends_at - item.starts_at == timedelta(hours=3, minutes=30)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_time": time(9, 0)}, "ends_time"),
        ({"ends_time": time(10, 0)}, "ends_time"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"room": "r" * 121}, "room"),
        ({"kind": "party"}, "kind"),
        ({"audience": "all"}, "audience"),
        ({"place_id": 2**31 - 1}, "place_id"),
        ({"place_id": "abc"}, "place_id"),
        ({"day": None}, "day"),
        ({"day": date(2000, 1, 1)}, "day"),
        ({"starts_time": None}, "starts_time"),
        ({"ends_on": DAY1 + timedelta(days=9)}, "ends_time"),
        ({"notes": "n" * 5001}, "notes"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_made(setup, change, field):
    with pytest.raises(PlannerError) as exc:
        create_item(setup["event"], data=_data(**change))
    assert exc.value.field == field
    assert str(exc.value)
    db.session.rollback()
    assert _count_items() == 0


def test_place_is_the_venue_unless_another(setup, make_place):
    event, venue = setup["event"], setup["venue"]
    assert create_item(event, data=_data(place_id=venue.id)).place_id is None
    hotel = make_place(name="Hotel Uji")
    assert create_item(event, data=_data(place_id=str(hotel.id))).place == hotel


def test_delegations_must_be_of_this_event(setup, make_delegation):
    event = setup["event"]
    stranger = make_delegation()  # another event
    for ids in ([stranger.id], [setup["kota"].id, stranger.id], ["x"], []):
        with pytest.raises(PlannerError) as exc:
            create_item(event, data=_data(audience="delegations", delegation_ids=ids))
        assert exc.value.field == "delegation_ids"
    item = create_item(
        event,
        data=_data(
            audience="delegations",
            delegation_ids=[setup["kota"].id, str(setup["bangka"].id)],
        ),
    )
    assert {d.id for d in item.delegations} == {setup["kota"].id, setup["bangka"].id}
    everyone = create_item(event, data=_data(delegation_ids=[setup["kota"].id]))
    assert everyone.delegations == []


def test_speakers_are_people_or_names(setup, make_person):
    event = setup["event"]
    person = make_person(full_name="Dr. Ahmad Fauzi, M.Si.", position="Kabid")
    item = create_item(
        event,
        data=_data(
            speakers=[
                _speaker(person_id=person.id, name="ignored"),
                _speaker(),  # blank row: skipped
                _speaker("  Siti Aminah ", role="moderator", title="Sekretaris"),
                _speaker("Rina", role="mc", institution="Dinsos"),
            ]
        ),
    )
    rows = [(s.role, s.person_id, s.name, s.title) for s in item.speakers]
    assert rows == [
        (SpeakerRole.SPEAKER, person.id, None, None),
        (SpeakerRole.MODERATOR, None, "Siti Aminah", "Sekretaris"),
        (SpeakerRole.MC, None, "Rina", None),
    ]
    for bad in (
        [_speaker(person_id=2**31 - 1)],
        [_speaker(person_id="abc")],
        [_speaker(title="Narasumber tanpa nama")],
        [_speaker("x" * 201)],
        [_speaker("Ani", role="host")],
    ):
        with pytest.raises(PlannerError):
            create_item(event, data=_data(speakers=bad))
        db.session.rollback()


def test_update_raises_sequence_only_when_something_changed(setup):
    event = setup["event"]
    data = _data(speakers=[_speaker("Budi")])
    item = create_item(event, data=data)
    db.session.commit()
    assert item.sequence == 0
    update_item(item, data=data)
    db.session.commit()
    assert item.sequence == 0
    update_item(item, data={**data, "title": "Materi 1 (diubah)"})
    db.session.commit()
    assert item.sequence == 1
    update_item(item, data={**data, "title": "Materi 1 (diubah)", "speakers": []})
    db.session.commit()
    assert item.sequence == 2 and item.speakers == []
    assert db.session.scalar(db.select(db.func.count(AgendaSpeaker.id))) == 0


def test_failed_update_changes_nothing(setup):
    item = create_item(setup["event"], data=_data())
    db.session.commit()
    with pytest.raises(PlannerError):
        update_item(item, data=_data(title="Baru", ends_time=time(9, 0)))
    db.session.rollback()
    assert item.title == "Materi 1: Konsep Dasar PSM" and item.sequence == 0


def test_shift_moves_later_items_of_the_day(setup):
    event = setup["event"]
    made = {
        hour: create_item(
            event,
            data=_data(
                starts_time=time(hour), ends_time=time(hour, 45), title=f"Acara {hour}"
            ),
        )
        for hour in (8, 9, 10, 21)
    }
    tomorrow = create_item(
        event, data=_data(day=DAY2, starts_time=time(8), ends_time=time(9))
    )
    db.session.commit()
    moved = shift_later_items(made[9], 15)
    db.session.commit()
    assert {i.id for i in moved} == {made[9].id, made[10].id, made[21].id}
    assert made[8].starts_at == _at(DAY1, 8) and made[8].sequence == 0
    assert made[9].starts_at == _at(DAY1, 9, 15) and made[9].ends_at == _at(DAY1, 10)
    assert made[21].starts_at == _at(DAY1, 21, 15)
    assert all(made[h].sequence == 1 for h in (9, 10, 21))
    assert tomorrow.starts_at == _at(DAY2, 8) and tomorrow.sequence == 0
    shift_later_items(made[9], -30)
    db.session.commit()
    assert made[9].starts_at == _at(DAY1, 8, 45) and made[9].sequence == 2
    for minutes in (0, 721, -721, "15", None, True):
        with pytest.raises(PlannerError):
            shift_later_items(made[9], minutes)


def test_add_after_defaults(setup, make_place):
    hotel = make_place(name="Hotel Uji")
    item = create_item(
        setup["event"],
        data=_data(
            starts_time=time(23, 0),
            ends_time=time(23, 45),
            place_id=hotel.id,
            room="Ruang Melati",
        ),
    )
    defaults = after_defaults(item)
    assert defaults == {
        "day": DAY1,
        "starts_time": time(23, 45),
        "ends_time": time(0, 15),
        "ends_on": DAY2,
        "place_id": hotel.id,
        "room": "Ruang Melati",
    }


def test_cancel_and_reinstate(setup):
    item = create_item(setup["event"], data=_data())
    cancel_item(item)
    assert item.status == AgendaStatus.CANCELLED
    with pytest.raises(PlannerError):
        cancel_item(item)
    reinstate_item(item)
    assert item.status == AgendaStatus.SCHEDULED
    with pytest.raises(PlannerError):
        reinstate_item(item)


# Conflicts --------------------------------------------------------------------------


def _conflicts(event):
    db.session.commit()
    return agenda_conflicts(event, load_agenda(event), load_legs(event))


def _kinds(event) -> list[str]:
    return [c.kind for c in _conflicts(event)]


def test_two_items_in_one_room(setup):
    event = setup["event"]
    a = create_item(event, data=_data(room="Ruang Melati"))
    b = create_item(
        event,
        data=_data(
            title="Rapat panitia",
            room=" ruang  melati",
            starts_time=time(10, 30),
            ends_time=time(12, 0),
        ),
    )
    (conflict,) = _conflicts(event)
    assert conflict.kind == "place" and conflict.item_ids == {a.id, b.id}
    assert conflict.message == (
        "Ruang Melati dipakai dua mata acara pada Selasa, 19 Januari 2027 pukul "
        "10.30–11.00 WIB: Materi 1: Konsep Dasar PSM (10.00–11.00 WIB) dan "
        "Rapat panitia (10.30–12.00 WIB)."
    )


def test_whole_place_overlaps_any_room(setup):
    event = setup["event"]
    create_item(event, data=_data(room="Ruang Melati"))
    create_item(event, data=_data(title="Upacara", room=None))
    (conflict,) = _conflicts(event)
    assert conflict.kind == "place"
    assert conflict.message.startswith("Balai Diklat Uji dipakai dua mata acara")


@pytest.mark.parametrize(
    "second",
    [
        {"room": "Ruang Anggrek"},  # another room
        {"starts_time": time(11, 0), "ends_time": time(12, 0)},  # back to back
        {"day": DAY2},  # another day
        {"place_id": "other"},  # another place
    ],
)
def test_no_place_conflict(setup, make_place, second):
    event = setup["event"]
    if second.get("place_id") == "other":
        second = {"place_id": make_place(name="Kantor Dinsos").id}
    create_item(event, data=_data(room="Ruang Melati"))
    create_item(event, data=_data(**{"room": "Ruang Melati", **second}))
    assert _kinds(event) == []


def test_cancelled_items_never_conflict(setup):
    event = setup["event"]
    create_item(event, data=_data())
    cancel_item(create_item(event, data=_data(speakers=[_speaker("Budi")])))
    assert _kinds(event) == []


def test_explicit_venue_is_the_venue(setup):
    event = setup["event"]
    create_item(event, data=_data())
    item = create_item(event, data=_data(room="Aula"))
    item.place_id = setup["venue"].id  # as older data may hold it
    assert _kinds(event) == ["place"]


def test_speaker_in_two_items(setup, make_place, make_person):
    event = setup["event"]
    person = make_person(full_name="Dr. Ahmad")
    other = make_place(name="Kantor Dinsos")
    create_item(event, data=_data(speakers=[_speaker(person_id=person.id)]))
    create_item(
        event,
        data=_data(
            place_id=other.id,
            starts_time=time(10, 45),
            ends_time=time(11, 30),
            speakers=[_speaker(person_id=person.id, role="moderator")],
        ),
    )
    (conflict,) = _conflicts(event)
    assert conflict.kind == "speaker"
    assert conflict.message.startswith(
        "Dr. Ahmad dijadwalkan di dua mata acara sekaligus pada Selasa, 19 Januari 2027 "
        "pukul 10.45–11.00 WIB"
    )


def test_typed_speaker_names_compare_loosely(setup, make_place):
    event = setup["event"]
    other = make_place(name="Kantor Dinsos")
    create_item(event, data=_data(speakers=[_speaker("Siti  Aminah")]))
    create_item(
        event,
        data=_data(place_id=other.id, room="A", speakers=[_speaker("siti aminah")]),
    )
    create_item(
        event,
        data=_data(place_id=other.id, room="B", speakers=[_speaker("Siti Amina")]),
    )
    assert _kinds(event) == ["speaker"]


def test_item_outside_the_event_dates(setup):
    event = setup["event"]
    create_item(event, data=_data(day=DAY1 - timedelta(days=1)))
    create_item(  # ends at midnight after the last day: still inside
        event,
        data=_data(
            day=DAY2,
            starts_time=time(22),
            ends_time=time(0),
            ends_on=DAY2 + timedelta(days=1),
        ),
    )
    (conflict,) = _conflicts(event)
    assert conflict.kind == "outside_dates"
    assert "di luar tanggal acara (19–20 Januari 2027)" in conflict.message


def test_items_while_the_group_travels(
    setup, make_trip, make_leg, make_vehicle, make_delegate
):
    event, kota, bangka = setup["event"], setup["kota"], setup["bangka"]
    trip = make_trip(event)
    van = make_vehicle(event, label="Travel 1")
    leg = make_leg(
        trip, departs_at=_at(DAY1, 8), arrives_at=_at(DAY1, 10, 30)
    )  # carries nobody yet
    for_kota = create_item(
        event,
        data=_data(audience="delegations", delegation_ids=[kota.id], room="A"),
    )
    assert _kinds(event) == []
    everyone = create_item(event, data=_data(room="B", title="Semua"))
    committee = create_item(
        event, data=_data(room="C", title="Panitia", audience="committee")
    )
    found = _conflicts(event)
    assert {(c.kind, *c.item_ids) for c in found} == {
        ("travelling", everyone.id),
        ("travelling", committee.id),
    }
    assert "rombongan masih di jalan" in found[0].message
    assert found[0].leg == leg
    # The leg carries Kota's delegation: listed on it, or seated in its van.
    leg.delegations = [kota]
    assert ("travelling", for_kota.id) in {
        (c.kind, *c.item_ids) for c in _conflicts(event)
    }
    leg.delegations = [bangka]
    assert for_kota.id not in {i for c in _conflicts(event) for i in c.item_ids}
    leg.vehicles = [van]
    delegate = make_delegate(kota, status=DelegateStatus.CONFIRMED)
    db.session.add(SeatAssignment(trip=trip, vehicle=van, delegate=delegate))
    assert for_kota.id in {i for c in _conflicts(event) for i in c.item_ids}


def test_item_on_a_public_holiday(make_event):
    event = make_event(starts_on=date(2027, 5, 6), ends_on=date(2027, 5, 7))
    on_holiday = create_item(event, data=_data(day=date(2027, 5, 6), room="A"))
    create_item(event, data=_data(day=date(2027, 5, 6), kind="meal", room="Makan"))
    create_item(event, data=_data(day=date(2027, 5, 7), room="Lain"))
    (conflict,) = _conflicts(event)
    assert conflict.kind == "holiday" and conflict.item_ids == {on_holiday.id}
    assert "hari libur nasional" in conflict.message


def test_a_long_clean_run_down_has_no_conflicts(setup):
    """300 items back to back, each with the same speaker: nothing overlaps."""
    event = setup["event"]
    start = _at(DAY1, 0)
    for n in range(300):
        item = AgendaItem(
            event_id=event.id,
            starts_at=start + timedelta(minutes=4 * n),
            ends_at=start + timedelta(minutes=4 * n + 4),
            title=f"Sesi {n}",
            kind=AgendaKind.MATERIAL,
            audience=AgendaAudience.EVERYONE,
        )
        item.speakers = [AgendaSpeaker(name="Budi")]
        db.session.add(item)
    assert _conflicts(event) == []


def test_checklist_asks_for_a_run_down(setup):
    event = setup["event"]
    texts = [i.text for i in event_checklist(event)]
    assert "Susunan acara belum diisi." in texts
    create_item(event, data=_data())
    create_item(event, data=_data(title="Bentrok"))
    db.session.commit()
    texts = [i.text for i in event_checklist(event)]
    assert "Susunan acara belum diisi." not in texts
    assert any("Susunan acara punya 1 peringatan" in t for t in texts)


# Pages ------------------------------------------------------------------------------


def _form(**kw) -> dict:
    """Form data of an item: 10.00–11.00 on the first day unless told."""
    data = {
        "day": "2027-01-19",
        "starts_time": "10.00",
        "ends_time": "11:00",
        "ends_on": "",
        "title": "Materi 2: Wawasan Kebangsaan",
        "kind": "material",
        "place_id": "",
        "room": "Aula Utama",
        "audience": "everyone",
        "speakers-0-role": "speaker",
        "speakers-0-person_id": "",
        "speakers-0-name": "Drs. Heru Prasetyo, M.Pd.",
        "speakers-0-title": "Widyaiswara",
        "speakers-0-institution": "BBPPKS Jakarta",
        "speakers-1-role": "moderator",
        "speakers-1-person_id": "",
        "speakers-1-name": "Agus Salim",
        "speakers-1-title": "",
        "speakers-1-institution": "",
        "notes": "Bawa alat tulis.",
    }
    data.update(kw)
    return data


def test_organiser_creates_edits_and_deletes(client, login, setup):
    event = setup["event"]
    url = BASE.format(event.id)
    login(setup["organiser"])
    assert client.get(f"{url}/new").status_code == 200
    response = client.post(f"{url}/new", data=_form())
    assert response.status_code == 302
    item = db.session.scalars(db.select(AgendaItem)).one()
    assert response.headers["Location"].endswith(
        f"{url}/?day=2027-01-19#item-{item.id}"
    )
    assert (item.starts_at, item.ends_at) == (_at(DAY1, 10), _at(DAY1, 11))
    page = client.get(f"{url}/").get_data(as_text=True)
    for text in (
        "Selasa, 19 Januari 2027",
        "10.00–11.00 WIB",
        "Materi 2: Wawasan Kebangsaan",
        "Aula Utama",
        "Drs. Heru Prasetyo, M.Pd.",
        "Widyaiswara, BBPPKS Jakarta",
        "Moderator:",
        "Bawa alat tulis.",
        f'id="item-{item.id}"',
    ):
        assert text in page, text
    form = client.get(f"{url}/{item.id}/edit").get_data(as_text=True)
    assert 'value="10:00"' in form and "Drs. Heru Prasetyo" in form
    response = client.post(
        f"{url}/{item.id}/edit", data=_form(title="Materi 3", ends_time="11.30")
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.title == "Materi 3" and item.ends_at == _at(DAY1, 11, 30)
    assert item.sequence == 1
    assert client.post(f"{url}/{item.id}/delete").status_code == 302
    assert _count_items() == 0


def test_the_form_says_notes_are_public(client, login, setup):
    login(setup["organiser"])
    html = client.get(f"{BASE.format(setup['event'].id)}/new").get_data(as_text=True)
    assert "Tampil apa adanya di kalender publik" in html


def test_committee_notes_are_for_the_committee_only(client, login, setup, make_user):
    url = BASE.format(setup["event"].id)
    login(setup["organiser"])
    form = client.get(f"{url}/new").get_data(as_text=True)
    assert "Catatan panitia" in form and "tidak pernah tampil" in form
    client.post(f"{url}/new", data=_form(committee_notes="Kunci aula di pos satpam."))
    item = db.session.scalars(db.select(AgendaItem)).one()
    assert item.committee_notes == "Kunci aula di pos satpam."
    assert "Kunci aula di pos satpam." in client.get(f"{url}/").get_data(as_text=True)
    client.post("/auth/logout")
    for user in (
        make_user("participant"),
        make_user("chapter_head", regions=("19.01",)),
    ):
        login(user)
        html = client.get(f"{url}/").get_data(as_text=True)
        assert "Bawa alat tulis." in html and "pos satpam" not in html
        client.post("/auth/logout")


def test_bad_form_input_gets_a_message_and_saves_nothing(client, login, setup):
    url = BASE.format(setup["event"].id)
    login(setup["organiser"])
    for change, message in (
        ({"ends_time": "09.00"}, "Waktu selesai harus setelah waktu mulai."),
        ({"starts_time": "25.00"}, "Jam tidak valid"),
        ({"title": ""}, "Judul mata acara wajib diisi."),
        ({"title": "x" * 300}, "Paling panjang 200 karakter."),
        ({"speakers-0-person_id": "99999"}, "Pilih orang dari daftar."),
        ({"audience": "delegations"}, "Pilih delegasi yang mengikuti mata acara ini."),
        ({"day": "2027-02-30"}, "Tanggal tidak valid"),
    ):
        response = client.post(f"{url}/new", data=_form(**change))
        assert response.status_code == 200, change
        assert message in response.get_data(as_text=True), change
        assert "Drs. Heru Prasetyo, M.Pd." in response.get_data(as_text=True)
    assert _count_items() == 0


def test_cancel_reinstate_and_shift_through_the_page(client, login, setup):
    event = setup["event"]
    url = BASE.format(event.id)
    first = create_item(event, data=_data())
    later = create_item(
        event, data=_data(title="Ishoma", starts_time=time(12), ends_time=time(13))
    )
    db.session.commit()
    login(setup["organiser"])
    assert client.post(f"{url}/{first.id}/cancel").status_code == 302
    page = client.get(f"{url}/").get_data(as_text=True)
    assert "<s class=" in page and "Dibatalkan" in page and "Jadwalkan lagi" in page
    assert client.post(f"{url}/{first.id}/reinstate").status_code == 302
    response = client.post(f"{url}/{first.id}/shift", data={"minutes": "15"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#item-{first.id}")
    page = client.get(f"{url}/?day=2027-01-19").get_data(as_text=True)
    assert "10.15–11.15 WIB" in page and "12.15–13.15 WIB" in page
    assert "2 mata acara digeser 15 menit." in page
    for bad in ("0", "721", "abc", ""):
        response = client.post(f"{url}/{later.id}/shift", data={"minutes": bad})
        assert response.status_code == 302, bad
    db.session.expire_all()
    assert db.session.get(AgendaItem, later.id).starts_at == _at(DAY1, 12, 15)


def test_add_after_prefills_the_form(client, login, setup):
    event = setup["event"]
    item = create_item(event, data=_data(room="Ruang Melati"))
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"{BASE.format(event.id)}/new?after={item.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="11:00"' in html and 'value="11:30"' in html
    assert 'value="Ruang Melati"' in html and 'value="2027-01-19"' in html
    day = client.get(f"{BASE.format(event.id)}/new?day=2027-01-20")
    assert 'value="2027-01-20"' in day.get_data(as_text=True)


def test_item_of_another_event_is_404(client, login, setup, make_event):
    event = setup["event"]
    other = make_event(organisers=[setup["organiser"]], starts_on=DAY1, ends_on=DAY2)
    item = create_item(other, data=_data())
    db.session.commit()
    login(setup["organiser"])
    url = BASE.format(event.id)
    assert client.get(f"{url}/{item.id}/edit").status_code == 404
    assert client.get(f"{url}/new?after={item.id}").status_code == 404
    assert client.get(f"{url}/new?after=abc").status_code == 404
    for verb in ("delete", "cancel", "reinstate", "shift"):
        assert client.post(f"{url}/{item.id}/{verb}").status_code == 404
    assert client.get(f"{BASE.format(999999)}/").status_code == 404
    assert _count_items() == 1


def test_who_sees_what(client, login, setup, make_user, make_event):
    event = setup["event"]
    url = BASE.format(event.id)
    create_item(event, data=_data(title="Materi terbuka"))
    secret = create_item(
        event, data=_data(title="Rapat panitia rahasia", audience="committee", room="R")
    )
    db.session.commit()
    assert client.get(f"{url}/").status_code == 302  # anonymous → sign in
    viewers = {
        "participant": make_user("participant"),
        "chapter_head": make_user("chapter_head", regions=("19.01",)),
        "other organiser": make_user("organiser"),
    }
    for who, user in viewers.items():
        login(user)
        page = client.get(f"{url}/")
        assert page.status_code == 200, who
        html = page.get_data(as_text=True)
        assert "Materi terbuka" in html and "Rapat panitia rahasia" not in html, who
        assert "Tambah setelah ini" not in html and "/edit" not in html, who
        assert client.get(f"{url}/new").status_code == 403, who
        assert client.post(f"{url}/new", data=_form()).status_code == 403, who
        assert client.post(f"{url}/{secret.id}/delete").status_code == 403, who
        client.post("/auth/logout")
    login(setup["organiser"])
    html = client.get(f"{url}/").get_data(as_text=True)
    assert "Rapat panitia rahasia" in html and "Panitia saja" in html
    client.post("/auth/logout")
    draft = make_event(status=EventStatus.DRAFT, organisers=[setup["organiser"]])
    login(viewers["participant"])
    assert client.get(f"{BASE.format(draft.id)}/").status_code == 403
    assert _count_items() == 2


def test_legs_are_in_the_timeline(
    client, login, setup, make_trip, make_leg, make_place, make_vehicle
):
    event = setup["event"]
    trip = make_trip(event)
    leg = make_leg(
        trip,
        mode=LegMode.FERRY,
        from_place=make_place(name="Pelabuhan Tanjung Kalian"),
        to_place=make_place(name="Pelabuhan Tanjung Api-Api", lat=-2.0, lon=105.0),
        departs_at=_at(DAY1, 8),
        arrives_at=_at(DAY1, 12, 30),
    )
    leg.vehicles = [
        make_vehicle(event, label="Travel 1"),
        make_vehicle(event, label="Travel 2"),
    ]
    create_item(event, data=_data(starts_time=time(13), ends_time=time(14)))
    create_item(
        event, data=_data(starts_time=time(6), ends_time=time(7), title="Kumpul")
    )
    db.session.commit()
    login(setup["organiser"])
    html = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    row = re.search(
        rf'<li class="agenda-row agenda-leg"[^>]*id="leg-{leg.id}".*?</li>', html, re.S
    )
    assert row is not None
    # The ferry's icon comes from the shipped sprite (no emoji font needed).
    assert re.search(r"sprite\.[0-9a-f]+\.svg#water", row.group(0))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(0)))
    for part in (
        "Pelabuhan Tanjung Kalian → Pelabuhan Tanjung Api-Api",
        "08.00 WIB – 12.30 WIB",
        "Travel 1, Travel 2",
    ):
        assert part in text, part
    assert (
        html.index("Kumpul") < html.index(f'id="leg-{leg.id}"') < html.index("Materi 1")
    )


def test_conflicts_are_shown_on_top_and_on_the_rows(client, login, setup):
    event = setup["event"]
    a = create_item(event, data=_data(room="Ruang Melati"))
    create_item(event, data=_data(room="Ruang Melati", title="Rapat"))
    db.session.commit()
    login(setup["organiser"])
    html = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
    assert 'id="conflicts"' in html and "1 peringatan bentrok" in html
    assert html.count("Ruang Melati dipakai dua mata acara") == 3  # top + both rows
    assert f'agenda-has-conflict" id="item-{a.id}"' in html
    overview = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "1 peringatan bentrok" in overview and "2 mata acara" in overview


@pytest.mark.parametrize(
    "raw", ["abc", "2027-13-45", "9999-01-01", "2027-1-19", "１２３", "x" * 500]
)
def test_bad_day_shows_everything_with_a_message(client, login, setup, raw):
    event = setup["event"]
    create_item(event, data=_data(title="Hari pertama"))
    create_item(event, data=_data(day=DAY2, title="Hari kedua"))
    db.session.commit()
    login(setup["organiser"])
    response = client.get(f"{BASE.format(event.id)}/", query_string={"day": raw})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "tidak dikenali" in html
    assert "Hari pertama" in html and "Hari kedua" in html


def test_one_day(client, login, setup):
    event = setup["event"]
    create_item(event, data=_data(title="Hari pertama"))
    create_item(event, data=_data(day=DAY2, title="Hari kedua"))
    db.session.commit()
    login(setup["organiser"])
    html = client.get(f"{BASE.format(event.id)}/?day=2027-01-20").get_data(as_text=True)
    assert "Hari kedua" in html and "Hari pertama" not in html
    assert "Rabu, 20 Januari 2027" in html
    empty = client.get(f"{BASE.format(event.id)}/?day=2027-01-25").get_data(
        as_text=True
    )
    assert "Belum ada mata acara pada hari ini." in empty


def _fill(event, n_items, n_legs, make_trip, make_leg, make_person, delegations):
    people = [make_person() for _ in range(3)]
    start = _at(DAY1, 7)
    for i in range(n_items):
        item = AgendaItem(
            event_id=event.id,
            starts_at=start + timedelta(minutes=20 * i),
            ends_at=start + timedelta(minutes=20 * i + 15),
            title=f"Sesi {i}",
            kind=AgendaKind.MATERIAL,
            audience=AgendaAudience.DELEGATIONS,
            room=f"Ruang {i % 3}",
        )
        item.delegations = list(delegations)
        item.speakers = [
            AgendaSpeaker(person=people[i % 3], role=SpeakerRole.SPEAKER),
            AgendaSpeaker(name=f"Moderator {i}", role=SpeakerRole.MODERATOR),
        ]
        db.session.add(item)
    trip = make_trip(event)
    for j in range(n_legs):
        make_leg(
            trip,
            departs_at=_at(DAY2, 6) + timedelta(hours=2 * j),
            arrives_at=_at(DAY2, 7) + timedelta(hours=2 * j),
        )
    db.session.commit()


def test_query_count_does_not_grow(
    client, login, make_user, make_event, make_trip, make_leg, make_person,
    make_delegation, make_place, count_queries,
):  # fmt: skip
    organiser = make_user("organiser")
    login(organiser)
    counts = []
    for n_items, n_legs in ((5, 1), (40, 6)):
        event = make_event(
            organisers=[organiser],
            starts_on=DAY1,
            ends_on=DAY2,
            venue=make_place(),
        )
        delegations = [
            make_delegation(event, region=region(code)) for code in ("19.01", "19.02")
        ]
        _fill(event, n_items, n_legs, make_trip, make_leg, make_person, delegations)
        for url in (f"{BASE.format(event.id)}/", f"/events/{event.id}"):
            with count_queries() as q:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(q))
        html = client.get(f"{BASE.format(event.id)}/").get_data(as_text=True)
        assert html.count('class="agenda-row agenda-leg"') == n_legs
        assert html.count("Moderator ") >= n_items
    assert counts[:2] == counts[2:], counts
