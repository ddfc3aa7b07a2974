"""Plan files: lossless round trips, validation with JSON paths, matching, personal
data, the download and upload pages, the commands, and the hand-written example."""

from __future__ import annotations

import copy
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from jsonschema import Draft202012Validator
from werkzeug.datastructures import FileStorage
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    CoordinateSource,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Leg,
    LegMode,
    Person,
    Place,
    PlaceKind,
    SeatAssignment,
    Sex,
    SocialPillar,
    SpeakerRole,
    Trip,
    User,
    Vehicle,
    VehicleKind,
)
from planner.models import user as user_model
from planner.services.delegations import (
    confirm_delegate,
    mark_attended,
    nominate_delegate,
    substitute_delegate,
    withdraw_delegate,
)
from planner.services.plans import (
    MAX_PROBLEMS,
    PlanInvalid,
    dump_plan,
    export_plan,
    import_plan,
    load_plan,
    plan_schema,
    schema_accepts,
    schema_problems,
    validate_plan,
)
from planner.services.plans.common import _SECTIONS
from tests.conftest import region

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "plan-example.json"
#: Kept when a plan's rows are wiped: accounts a plan is imported beside, and the
#: append-only audit trail (no foreign keys).
_ACCOUNT_TABLES = {"regions", "users", "user_regions", "audit_entries"}
WIB = timedelta(hours=7)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Hash demo passwords cheaply: the default scrypt is slow here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


def _wipe_plan_rows() -> None:
    """Empty every table but regions and accounts: the "empty database" of a plan."""
    db.session.execute(sa.update(User).values(person_id=None))
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in _ACCOUNT_TABLES:
            db.session.execute(table.delete())
    db.session.commit()


def _counts() -> dict[str, int]:
    """Rows per table (regions aside): what "nothing written" is checked against."""
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "regions"
    }


def _without_time(doc: dict) -> dict:
    return {k: v for k, v in doc.items() if k != "exported_at"}


def _keys_anywhere(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_anywhere(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys_anywhere(v)}
    return set()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A WIB wall-clock time on ``day``, stored in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - WIB


@pytest.fixture
def rich_event(app_ctx, make_user, make_event, make_place, make_person):
    """An event with every kind of item: each agenda kind, audience, speaker role and
    leg mode, a cancelled item, vehicles and delegations on legs, seats with and
    without numbers (one pinned), a substitution with its history, a withdrawal, a
    named body without region, places with and without code and coordinates, a leg
    ending in another time zone, and two namesakes."""
    organiser = make_user("organiser", email="panitia.uji@example.org")
    head = make_user("chapter_head", email="ketua.uji@example.org", regions=["19.01"])
    venue = make_place(
        name="Aula <Uji> & Co", kind=PlaceKind.VENUE, address="Jl. Merdeka 1"
    )
    hotel = make_place(
        name="Wisma Tanpa Koordinat", kind=PlaceKind.HOTEL, lat=None, lon=None
    )
    port_a = make_place(
        code="port:uji-a",
        name="Pelabuhan Uji A",
        kind=PlaceKind.PORT,
        region=region("19.05"),
        lat=-2.039624,
        lon=105.139349,
        coordinate_source=CoordinateSource.SHIPPED,
        notes="perkiraan",
    )
    port_b = make_place(
        code="port:uji-b",
        name="Pelabuhan Uji B",
        kind=PlaceKind.PORT,
        region=region("16.07"),
        lat=-2.058005,
        lon=104.564538,
    )
    airport = make_place(
        code="iata:UJI",
        name="Bandara Uji Makassar",
        kind=PlaceKind.AIRPORT,
        region=region("73.71"),
        lat=-5.0616,
        lon=119.5540,
    )
    event = make_event(
        organisers=[organiser],
        title="Rakor <Uji> & Co",
        venue=venue,
        capacity=50,
        description="Baris satu.\nBaris dua: “kutip” – em.",
        kind=EventKind.STUDY_TOUR,
    )
    day = event.starts_on
    bangka = Delegation(
        event=event,
        region=region("19.01"),
        name="Kabupaten Bangka",
        quota=3,
        head=head,
        deadline_at=_at(day - timedelta(days=7), 23, 59),
        notes="Catatan delegasi",
    )
    pusat = Delegation(event=event, region=None, name="IPSM Pusat", quota=2)
    db.session.add_all([bangka, pusat])
    db.session.flush()

    def person(name, code="19.01", **kw):
        return make_person(full_name=name, region=region(code), **kw)

    ketua = person(
        "Budi Santoso",
        nik="1901010101800001",
        phone="+6281234567801",
        sex=Sex.MALE,
        birth_on=date(1980, 1, 1),
        position="Ketua IPSM Kabupaten Bangka",
    )
    twin_a = person("Siti Aminah", phone="+6281234567802", sex=Sex.FEMALE)
    twin_b = person("Siti Aminah", email="siti.b@example.org")
    leaver = person("Agus Salim", nik="1901010101800003")
    quitter = person("Rina Wati", notes="mundur")
    national = person("Hendra Gunawan", code="31.71", pillar=SocialPillar.OFFICIAL)
    reserve = person("Yanti Lestari", code="31.71")
    speaker = person(
        "Dr. Ahmad Fauzi, M.Si.",
        code="19.71",
        pillar=SocialPillar.OFFICIAL,
        institution="Universitas Bangka Belitung",
    )
    moderator = person("Moderator Tanpa Wilayah", code="19.71")
    moderator.region = None

    def join(p, delegation, role=DelegateRole.PARTICIPANT):
        return nominate_delegate(
            event, person=p, delegation=delegation, role=role, by=organiser
        )

    d_ketua = join(ketua, bangka, DelegateRole.HEAD)
    confirm_delegate(d_ketua, by=head)
    mark_attended(d_ketua, by=organiser)
    d_leaver = join(leaver, bangka)
    confirm_delegate(d_leaver, by=head)
    d_twin_a = substitute_delegate(
        d_leaver, person=twin_a, by=head, note="Sakit; diganti."
    )
    d_twin_b = join(twin_b, bangka)
    d_quitter = join(quitter, bangka)
    withdraw_delegate(d_quitter, by=None, note="Berhalangan")
    d_national = join(national, pusat)
    confirm_delegate(d_national)
    join(reserve, pusat)
    d_speaker = join(speaker, None, DelegateRole.SPEAKER)
    d_twin_b.notes = "Kamar bersama"

    van = Vehicle(event=event, kind=VehicleKind.TRAVEL_VAN, label="Travel 1", seats=3)
    bus = Vehicle(
        event=event,
        kind=VehicleKind.BUS,
        label="Bus 2",
        seats=10,
        plate="BN 1234 AB",
        driver_name="Pak Joko",
        driver_phone="+6281234567899",
        operator="PO Uji",
        notes="AC",
    )
    there = Trip(event=event, name="Berangkat", position=0)
    back = Trip(event=event, name="Pulang", position=1)
    db.session.add_all([van, bus, there, back])
    db.session.flush()
    legs = [
        (there, 0, venue, port_a, LegMode.ROAD, 5, 8, [van, bus], []),
        (there, 1, port_a, port_b, LegMode.FERRY, 9, 13, [van, bus], [pusat]),
        (there, 2, port_b, airport, LegMode.AIR, 15, 17, [], [bangka, pusat]),
        (back, 0, airport, hotel, LegMode.RAIL, 9, 11, [], []),
        (back, 1, hotel, venue, LegMode.WALK, 12, 13, [], []),
    ]
    made = []
    for trip, position, origin, goal, mode, start, end, vehicles, groups in legs:
        leg = Leg(
            event_id=event.id,
            trip=trip,
            position=position,
            from_place=origin,
            to_place=goal,
            mode=mode,
            departs_at=_at(day, start),
            arrives_at=_at(day, end),
            vehicles=vehicles,
            delegations=groups,
            carrier="ASDP" if mode == LegMode.FERRY else None,
            vessel="KMP Uji" if mode == LegMode.FERRY else None,
            booking_ref="ABC123" if mode == LegMode.AIR else None,
        )
        db.session.add(leg)
        made.append(leg)
    db.session.add_all(
        [
            SeatAssignment(
                trip=there, vehicle=van, delegate=d_ketua, seat_number=1, is_pinned=True
            ),
            SeatAssignment(trip=there, vehicle=van, delegate=d_twin_a),
            SeatAssignment(trip=there, vehicle=bus, delegate=d_national, seat_number=3),
            SeatAssignment(trip=back, vehicle=bus, delegate=d_ketua),
        ]
    )
    audiences = list(AgendaAudience)
    roles = list(SpeakerRole)
    items = []
    for n, kind in enumerate(AgendaKind):
        audience = audiences[n % len(audiences)]
        item = AgendaItem(
            event=event,
            starts_at=_at(day + timedelta(days=1), 7) + timedelta(minutes=30 * n),
            ends_at=_at(day + timedelta(days=1), 7) + timedelta(minutes=30 * n + 30),
            title=f"Sesi {n:02d} {kind}",
            kind=kind,
            audience=audience,
            status=AgendaStatus.CANCELLED if n == 3 else AgendaStatus.SCHEDULED,
            place=hotel if kind == AgendaKind.VISIT else None,
            room="Ruang Melati" if n % 4 == 0 else None,
            notes="Dibatalkan: hujan" if n == 3 else None,
            committee_notes="Kunci aula di pos satpam." if n == 5 else None,
            delegations=[bangka, pusat]
            if audience == AgendaAudience.DELEGATIONS
            else [],
        )
        role = roles[n // 3 % len(roles)]
        if n % 3 == 0:
            item.speakers.append(AgendaSpeaker(role=role, person=speaker, position=0))
        elif n % 3 == 1:
            item.speakers.append(
                AgendaSpeaker(
                    role=role,
                    name="Narasumber Tamu",
                    title="Kepala Dinas Sosial",
                    institution="Dinas Sosial Provinsi",
                )
            )
            item.speakers.append(
                AgendaSpeaker(role=SpeakerRole.MODERATOR, person=moderator, position=1)
            )
        db.session.add(item)
        items.append(item)
    db.session.commit()
    # Revised after publication: their iCalendar SEQUENCE rises.
    made[1].notes = "Jadwal feri berubah"
    items[0].title = "Pembukaan (diubah)"
    db.session.commit()
    assert made[1].sequence == 1 and items[0].sequence == 1
    assert d_speaker.delegation is None
    return event


# Round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("personal_data", [True, False])
def test_round_trip_of_an_event_with_every_kind_of_item(rich_event, personal_data):
    """Export → import into an empty database → export: the same document."""
    first = export_plan(rich_event, personal_data=personal_data)
    raw = dump_plan(first)
    _wipe_plan_rows()
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0

    result = import_plan(load_plan(raw))
    db.session.commit()
    again = export_plan(
        db.session.get(Event, result.event.id), personal_data=personal_data
    )

    assert _without_time(again) == _without_time(first)
    assert dump_plan(again).split(b"\n", 4)[4] == raw.split(b"\n", 4)[4]
    assert result.created_people == len(first["people"]) == 9
    assert result.matched_people == 0
    assert result.notices == []
    # What the comparison relies on is really there.
    kinds = {item["kind"] for item in first["agenda"]}
    assert kinds == {k.value for k in AgendaKind}
    assert {leg["mode"] for leg in first["legs"]} == {m.value for m in LegMode}
    assert {s["role"] for i in first["agenda"] for s in i["speakers"]} == {
        r.value for r in SpeakerRole
    }
    assert [p["key"] for p in first["people"] if p["full_name"] == "Siti Aminah"] == [
        "siti-aminah",
        "siti-aminah-2",
    ]
    replaced = [d for d in first["delegates"] if d["replaces"]]
    assert len(replaced) == 1 and replaced[0]["history"][0]["other"] == "agus-salim"
    # The committee's note travels with the plan, only where there is one.
    assert [
        i.get("committee_notes")
        for i in first["agenda"]
        if i.keys() > {"committee_notes"}
    ] == ["Kunci aula di pos satpam."]
    airport_leg = next(leg for leg in first["legs"] if leg["mode"] == "air")
    assert airport_leg["departs_at"].endswith("+07:00")
    assert airport_leg["arrives_at"].endswith("+08:00")  # Makassar: WITA


def test_round_trip_of_the_demo_events(app_ctx):
    """Whatever the demo holds (run-downs included), its events survive a round trip."""
    from planner.services.demo import load_demo

    load_demo()
    db.session.commit()
    events = db.session.scalars(sa.select(Event).order_by(Event.slug)).all()
    assert len(events) >= 2
    files = {e.slug: dump_plan(export_plan(e, personal_data=True)) for e in events}
    before = {slug: json.loads(raw) for slug, raw in files.items()}
    _wipe_plan_rows()

    for raw in files.values():
        result = import_plan(load_plan(raw))
        assert result.notices == []  # the demo accounts are still there
        db.session.commit()
    for slug, doc in before.items():
        event = db.session.execute(sa.select(Event).filter_by(slug=slug)).scalar_one()
        assert _without_time(export_plan(event, personal_data=True)) == _without_time(
            doc
        )
    tour = before["tour-studi-pgk-jkt-2024"]
    assert (
        tour["seats"] and tour["legs"] and any(d["replaces"] for d in tour["delegates"])
    )


def test_importing_next_to_the_original_matches_people_and_places(rich_event):
    """A copy under a new slug: nobody and no place is created twice."""
    people = db.session.scalar(sa.select(sa.func.count(Person.id)))
    places = db.session.scalar(sa.select(sa.func.count(Place.id)))
    doc = export_plan(rich_event, personal_data=True)
    result = import_plan(doc, slug="rakor-uji-salinan", title="Salinan")
    db.session.commit()
    assert result.created_people == 0 and result.matched_people == 9
    assert result.created_places == 0 and result.matched_places == 5
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == people
    assert db.session.scalar(sa.select(sa.func.count(Place.id))) == places
    copy_doc = export_plan(result.event, personal_data=True)
    assert copy_doc["event"]["title"] == "Salinan"
    assert copy_doc["people"] == doc["people"]
    assert copy_doc["delegates"] == doc["delegates"]


def test_without_personal_data_namesakes_are_matched_one_to_one(rich_event):
    """By name and region only, the two Siti Aminah still become two people."""
    people = db.session.scalar(sa.select(sa.func.count(Person.id)))
    doc = export_plan(rich_event)
    result = import_plan(doc, slug="rakor-uji-tanpa-data")
    db.session.commit()
    assert result.matched_people == 9 and result.created_people == 0
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == people
    sitis = [p for p in _people_of(result.event.id) if p.full_name == "Siti Aminah"]
    assert len(sitis) == 2


def _people_of(event_id: int) -> list[Person]:
    """The people behind an event's delegates."""
    from planner.models import Delegate

    return db.session.scalars(
        sa.select(Person)
        .join(Delegate, Delegate.person_id == Person.id)
        .where(Delegate.event_id == event_id)
    ).all()


def test_people_are_matched_by_nik_then_phone_then_name(app_ctx, make_person):
    """An existing NIK wins over a different name; phone next; then name + region."""
    by_nik = make_person(full_name="Nama Lama", nik="1901010101900001")
    by_phone = make_person(full_name="Orang Telepon", phone="+6281311112222")
    by_name = make_person(full_name="Orang Nama", region=region("19.01"))
    other_region = make_person(full_name="Orang Nama", region=region("19.71"))
    doc = json.loads(EXAMPLE.read_text())
    doc["people"] = [
        {"key": "a", "full_name": "Nama Baru", "nik": "1901010101900001"},
        {"key": "b", "full_name": "Siapa Saja", "phone": "0813-1111-2222"},
        {"key": "c", "full_name": "Orang Nama", "region": "19.01", "email": "c@x.org"},
        {"key": "d", "full_name": "Orang Baru", "region": "19.01"},
    ]
    doc["delegations"] = doc["delegations"][:1]
    doc["delegates"] = [{"person": k, "delegation": "bangka"} for k in "abcd"]
    for section in ("seats", "agenda", "stays"):
        doc[section] = []
    result = import_plan(doc)
    db.session.commit()
    assert (result.matched_people, result.created_people) == (3, 1)
    ids = {p.id for p in _people_of(result.event.id)}
    assert {by_nik.id, by_phone.id, by_name.id} < ids
    assert other_region.id not in ids
    db.session.refresh(by_name)
    assert by_name.email == "c@x.org"  # a blank filled, nothing overwritten
    db.session.refresh(by_nik)
    assert by_nik.full_name == "Nama Lama"


# Personal data -------------------------------------------------------------------------


def test_default_export_leaves_nik_and_phones_out_and_says_so(rich_event):
    doc = export_plan(rich_event)
    assert doc["personal_data"] is False
    assert "NIK dan nomor telepon tidak disertakan" in doc["notice"]
    keys = _keys_anywhere(doc)
    assert not {"nik", "phone", "driver_phone"} & keys
    raw = dump_plan(doc)
    assert b"1901010101800001" not in raw and b"+62812345678" not in raw
    assert list(json.loads(raw))[:5] == [
        "format",
        "version",
        "exported_at",
        "personal_data",
        "notice",
    ]

    full = export_plan(rich_event, personal_data=True)
    assert (
        full["personal_data"] is True and "simpan dengan aman" in full["notice"].lower()
    )
    ketua = next(p for p in full["people"] if p["full_name"] == "Budi Santoso")
    assert ketua["nik"] == "1901010101800001" and ketua["phone"] == "+6281234567801"
    assert any(v.get("driver_phone") == "+6281234567899" for v in full["vehicles"])


def test_dump_escapes_angle_brackets_and_keeps_the_text(rich_event):
    raw = dump_plan(export_plan(rich_event))
    assert b"<" not in raw and b">" not in raw
    assert json.loads(raw)["event"]["title"] == "Rakor <Uji> & Co"
    assert "“kutip” – em".encode() in raw  # UTF-8, not \u escapes


def test_dump_writes_what_json_dumps_writes(rich_event):
    """orjson's bytes are json.dumps(indent=2, ensure_ascii=False)'s: non-ASCII names,
    floats, empty lists, nesting, in the same key order."""
    doc = export_plan(rich_event, personal_data=True)
    doc["places"][0].update(lat=-6.175392, lon=106.827153)
    doc["people"][0]["notes"] = "Sütçü “Ibu” – Jl. Ampera\ttab"
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    expected = text.replace("<", "\\u003c").replace(">", "\\u003e") + "\n"
    assert dump_plan(doc) == expected.encode()


def test_progress_is_told_to_jobs(rich_event):
    """Export and import call progress(done, total): done never goes back, ends at
    total."""
    seen: list[tuple[int, int]] = []
    doc = export_plan(
        rich_event, personal_data=True, progress=lambda *a: seen.append(a)
    )
    assert len(seen) > 10 and seen[-1][0] == seen[-1][1]
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    seen.clear()
    import_plan(doc, slug="rakor-uji-kemajuan", progress=lambda *a: seen.append(a))
    db.session.rollback()
    total = seen[-1][1]
    assert seen[-1] == (total, total) and len({t for _d, t in seen}) == 1
    assert total == 1 + 2 * sum(len(doc.get(name, ())) for name in _SECTIONS)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen) and len(seen) > 15


def test_export_takes_the_same_number_of_queries_for_a_bigger_event(
    rich_event, count_queries, make_person
):
    with count_queries() as small:
        export_plan(rich_event)
    bangka = db.session.scalars(
        sa.select(Delegation).filter_by(event_id=rich_event.id, name="IPSM Pusat")
    ).one()
    bangka.quota = 50
    for _n in range(20):
        nominate_delegate(rich_event, person=make_person(), delegation=bangka)
    trip = db.session.scalars(sa.select(Trip).filter_by(event_id=rich_event.id)).first()
    place = db.session.scalars(sa.select(Place)).first()
    other = db.session.scalars(sa.select(Place).where(Place.id != place.id)).first()
    for n in range(5):
        db.session.add(
            Leg(
                event_id=rich_event.id,
                trip=trip,
                position=10 + n,
                from_place=place,
                to_place=other,
                mode=LegMode.ROAD,
                departs_at=_at(rich_event.starts_on, 18 + n),
                arrives_at=_at(rich_event.starts_on, 19 + n),
            )
        )
    db.session.commit()
    with count_queries() as large:
        doc = export_plan(db.session.get(Event, rich_event.id))
    assert len(doc["delegates"]) == 28
    assert len(large) == len(small) <= 20


def test_import_writes_in_batches(app_ctx, count_queries, make_user):
    """The statements an import sends do not grow with the number of delegates."""
    make_user("organiser", email="panitia@rombongan.test")

    def plan(n: int, slug: str) -> dict:
        doc = json.loads(EXAMPLE.read_text())
        doc["event"]["slug"] = slug
        for place in doc["places"]:  # new places each time, as new people
            place["name"] += f" ({slug})"
            place.pop("code", None)
        doc["people"] = [
            {"key": f"p{i}", "full_name": f"Peserta {slug} {i}", "region": "19.01"}
            for i in range(n)
        ]
        doc["delegations"] = [{"key": "d", "name": "Kabupaten Bangka", "quota": n}]
        doc["delegates"] = [
            {
                "person": f"p{i}",
                "delegation": "d",
                "status": "confirmed",
                "history": [
                    {"action": "nominated", "at": "2027-02-01T08:00:00+07:00"},
                    {
                        "action": "confirmed",
                        "from_status": "nominated",
                        "at": "2027-02-02T08:00:00+07:00",
                    },
                ],
            }
            for i in range(n)
        ]
        doc["seats"] = []
        doc["agenda"] = [doc["agenda"][1], doc["agenda"][5]]  # no speakers
        for room, person in zip(doc["stays"][0]["rooms"], ("p0", "p1"), strict=True):
            room["occupants"] = [{"person": person}]
        return doc

    counts = []
    for n, slug in ((5, "kecil"), (60, "besar")):
        doc = plan(n, slug)
        with count_queries() as sent:
            result = import_plan(doc)
        db.session.commit()
        counts.append(len(sent))
        assert result.created_people == n
        delegation = db.session.scalars(
            sa.select(Delegation).filter_by(event_id=result.event.id)
        ).one()
        assert delegation.confirmed_count == n
    assert counts[0] == counts[1]


# The example and the schema ------------------------------------------------------------


def test_the_hand_written_example_imports(app_ctx, make_user):
    make_user("organiser", email="panitia@rombongan.test")
    doc = load_plan(EXAMPLE.read_bytes())
    assert validate_plan(doc) == []
    result = import_plan(doc)
    db.session.commit()
    event = result.event
    assert event.slug == "rakor-ipsm-bangka-barat-2027"
    assert [u.email for u in event.organisers] == ["panitia@rombongan.test"]
    assert result.notices == [
        "Akun ketua.bangka@rombongan.test tidak ada di sini; ketua delegasi diimpor "
        "tanpa akun itu."
    ]
    again = export_plan(event)
    assert len(again["delegates"]) == 6 and len(again["agenda"]) == 8
    dewi = next(d for d in again["delegates"] if d["person"] == "dewi-lestari")
    assert dewi["replaces"] == "andi-saputra"
    bangka = db.session.scalars(
        sa.select(Delegation).filter_by(event_id=event.id, name="Kabupaten Bangka")
    ).one()
    assert bangka.confirmed_count == 1 and bangka.head is None


def test_a_minimal_plan_written_from_the_documentation(app_ctx):
    """Only the required fields: the documented defaults fill in the rest."""
    doc = {
        "format": "rombongan-plan",
        "version": 1,
        "event": {
            "slug": "temu-psm-makassar-2027",
            "title": "Temu PSM Makassar",
            "kind": "other",
            "organiser_body": "",
            "starts_on": "2027-05-01",
            "ends_on": "2027-05-01",
            "venue": "balai",
        },
        "places": [
            {"key": "balai", "name": "Balai Kota", "kind": "venue", "region": "73.71"}
        ],
        "people": [{"key": "p1", "full_name": "Wati"}],
        "delegations": [{"key": "pusat", "name": "IPSM Pusat", "quota": 1}],
        "delegates": [{"person": "p1", "delegation": "pusat", "status": "confirmed"}],
        "agenda": [
            {
                "starts_at": "2027-05-01T09:00+08:00",
                "ends_at": "2027-05-01T01:30Z",
                "title": "Pembukaan",
                "kind": "opening",
                "speakers": [{"name": "Pak Camat"}],
            }
        ],
    }
    assert validate_plan(doc) == []
    event = import_plan(doc).event
    db.session.commit()
    assert event.timezone == "Asia/Makassar"  # from the venue's region
    assert event.status == EventStatus.DRAFT
    out = export_plan(event)
    assert out["delegates"][0]["role"] == "participant"
    assert out["people"][0]["pillar"] == "psm"
    item = out["agenda"][0]
    assert (item["starts_at"], item["ends_at"]) == (
        "2027-05-01T09:00:00+08:00",
        "2027-05-01T09:30:00+08:00",
    )
    assert item["audience"] == "everyone" and item["status"] == "scheduled"
    assert item["speakers"] == [
        {
            "role": "speaker",
            "person": None,
            "name": "Pak Camat",
            "title": None,
            "institution": None,
            "position": 0,
        }
    ]


def test_schema_enums_are_the_models_enums():
    defs = plan_schema()["$defs"]
    props = plan_schema()["properties"]["event"]["properties"]

    def values(enum):
        return [m.value for m in enum]

    assert props["kind"]["enum"] == values(EventKind)
    assert props["status"]["enum"] == values(EventStatus)
    assert defs["place"]["properties"]["kind"]["enum"] == values(PlaceKind)
    assert defs["place"]["properties"]["coordinate_source"]["enum"] == [
        *values(CoordinateSource),
        None,
    ]
    assert defs["person"]["properties"]["sex"]["enum"] == [*values(Sex), None]
    assert defs["person"]["properties"]["pillar"]["enum"] == values(SocialPillar)
    assert defs["delegate"]["properties"]["role"]["enum"] == values(DelegateRole)
    assert defs["delegate"]["properties"]["status"]["enum"] == values(DelegateStatus)
    assert defs["vehicle"]["properties"]["kind"]["enum"] == values(VehicleKind)
    assert defs["leg"]["properties"]["mode"]["enum"] == values(LegMode)
    item = defs["agenda_item"]["properties"]
    assert item["kind"]["enum"] == values(AgendaKind)
    assert item["audience"]["enum"] == values(AgendaAudience)
    assert item["status"]["enum"] == values(AgendaStatus)
    assert defs["speaker"]["properties"]["role"]["enum"] == values(SpeakerRole)
    Draft202012Validator.check_schema(plan_schema())


_WRONG = [
    None,
    "",
    "x" * 300,
    0,
    -1,
    1.5,
    101,
    10**7,
    True,
    [],
    {},
    "2027-01-19T08:00:00",
    "2027-01-19",
    "19.71",
    "a b",
    "1234567890123456",
]


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _leaves(item, (*path, n))
    yield path


def _set(doc, path, value):
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def test_fast_schema_check_agrees_with_jsonschema():
    """fastjsonschema's compiled check and jsonschema, both on the schema as it is,
    give the same verdict on the example (one entry per section, personal data in)
    and on altered copies: each leaf given two wrong values in turn, each key
    dropped, an unknown key added beside it. Both verdicts occur."""
    validator = Draft202012Validator(plan_schema())
    doc = json.loads(EXAMPLE.read_text())
    for section in _SECTIONS:
        doc[section] = doc[section][:1]
    doc["vehicles"][0]["driver_phone"] = "+6281234567890"
    doc["people"][0].update(nik="1901010101800001", phone="+6281234567801")
    verdicts: list[tuple[bool, bool]] = []

    def judge(what) -> None:
        verdicts.append((schema_accepts(doc), validator.is_valid(doc)))
        assert verdicts[-1][0] == verdicts[-1][1], what

    judge("as it is")
    for n, path in enumerate([p for p in _leaves(doc) if p]):
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key, kept = path[-1], parent[path[-1]]
        for value in (_WRONG[n % len(_WRONG)], _WRONG[(n + 8) % len(_WRONG)]):
            parent[key] = value
            judge((path, value))
        parent[key] = kept
        if isinstance(parent, dict):
            del parent[key]
            judge(("without", path))
            parent[key] = kept
            parent["unknown_field"] = 1
            judge(("unknown field beside", path))
            del parent["unknown_field"]
    assert verdicts[0] == (True, True)
    assert verdicts.count((True, True)) > 50 and verdicts.count((False, False)) > 200


def test_a_final_newline_only_jsonschema_accepts_is_judged_after_the_schema(plan_doc):
    """fastjsonschema reads a pattern's "$" as the end of the text, jsonschema also
    before a final newline: such a document passes the schema, and the checks after
    it name the value."""
    plan_doc["event"]["slug"] = "rakor-baru\n"
    assert not schema_accepts(plan_doc)
    assert Draft202012Validator(plan_schema()).is_valid(plan_doc)
    assert schema_problems(plan_doc) == []
    [problem] = _refused(plan_doc)
    assert problem.startswith("$.event.slug: Slug")


# Bad input ----------------------------------------------------------------------------


@pytest.fixture
def plan_doc(app_ctx, make_user):
    """The hand-written example as a dict, its accounts present."""
    make_user("organiser", email="panitia@rombongan.test")
    make_user("chapter_head", email="ketua.bangka@rombongan.test")
    return json.loads(EXAMPLE.read_text())


def _refused(doc_or_raw, **kw) -> list:
    """Import, expecting a refusal that writes nothing; the problems as strings."""
    before = _counts()
    with pytest.raises(PlanInvalid) as caught:
        doc = load_plan(doc_or_raw) if isinstance(doc_or_raw, bytes) else doc_or_raw
        import_plan(doc, **kw)
    db.session.rollback()
    assert _counts() == before
    return [str(p) for p in caught.value.problems]


def test_not_json_is_one_clear_problem(plan_doc):
    assert _refused(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe") == [
        "$: Berkas bukan JSON: isinya bukan teks UTF-8."
    ]
    [problem] = _refused(b"nama,kuota\nBangka,3\n")
    assert problem.startswith("$: Berkas bukan JSON yang utuh")
    assert "baris 1, kolom 1" in problem
    assert _refused(b"[1, 2]") == [
        "$: Berkas bukan rencana Rombongan: isinya harus satu objek JSON ({ … }) "
        "dengan kolom “format”: “rombongan-plan”."
    ]
    assert _refused(b"") == ["$: Berkas kosong."]
    [problem] = _refused(b'{"format": "rombongan-plan", "version": NaN}')
    assert "NaN" in problem


def test_a_truncated_file_names_where_it_stops(plan_doc):
    raw = EXAMPLE.read_bytes()
    cut = raw[: len(raw) // 2]
    [problem] = _refused(cut)
    line = cut.count(b"\n") + 1
    assert problem.startswith("$: Berkas bukan JSON yang utuh: berkas berakhir")
    assert f"baris {line}," in problem and "terpotong" in problem


def test_another_format_or_version_is_named(plan_doc):
    doc = dict(plan_doc, version=2)
    assert _refused(doc) == [
        "$.version: Versi format 2 tidak didukung; yang didukung: “rombongan-plan” "
        "versi 1."
    ]
    doc = dict(plan_doc, format="trello-board")
    assert _refused(doc) == [
        '$.format: Format "trello-board" tidak didukung; yang didukung: '
        "“rombongan-plan” versi 1."
    ]
    assert _refused({"cards": []})[0].startswith("$: Kolom “format” tidak ada")


def test_schema_problems_are_listed_with_their_paths(plan_doc):
    doc = plan_doc
    del doc["event"]["title"]
    doc["seats"][1]["seat"] = "dua"
    doc["legs"][0]["mode"] = "helicopter"
    doc["places"][0]["colour"] = "merah"
    doc["agenda"][2]["starts_at"] = "2027-03-10T08:25:00"
    doc["people"][0]["key"] = "rah mat"
    problems = _refused(doc)
    assert problems == [
        '$.agenda[2].starts_at: Waktu "2027-03-10T08:25:00" tanpa zona waktu: tulis '
        "selisih dari UTC, misalnya 2027-01-19T08:00:00+07:00 (WIB).",
        "$.event: Kolom wajib “title” tidak ada.",
        '$.legs[0].mode: Nilai "helicopter" tidak dikenal; yang boleh: road, ferry, '
        "air, rail, walk.",
        '$.people[0].key: Kunci "rah mat" hanya boleh berisi huruf, angka, dan '
        "- _ . : (diawali huruf atau angka).",
        "$.places[0]: Kolom tidak dikenal: “colour”.",
        '$.seats[1].seat: Harus berupa bilangan bulat atau null, bukan "dua".',
    ]


def test_references_are_checked_with_paths(plan_doc):
    doc = plan_doc
    doc["people"][0]["region"] = "99.99"
    doc["legs"][0]["vehicles"] = ["travel-9"]
    doc["legs"][1]["arrives_at"] = "2027-03-11T12:00:00+07:00"
    doc["seats"][0]["seat"] = 8
    doc["seats"][3]["person"] = "andi"
    doc["agenda"][4]["delegations"] = ["bangka", "bangka"]
    doc["delegates"][2]["replaces"] = "kabid"
    doc["places"][1]["key"] = "aula-muntok"
    text = "\n".join(_refused(doc))
    assert "$.places[1].key: Kunci “aula-muntok” sudah dipakai di $.places[0]." in text
    assert "$.people[0].region: Kode wilayah 99.99 tidak dikenal." in text
    assert "$.legs[0].vehicles[0]: Kunci “travel-9” tidak ada di $.vehicles." in text
    assert "$.legs[0].from: Kunci “dinsos-sungailiat” tidak ada di $.places." in text
    assert "$.legs[1].arrives_at: Waktu tiba harus sesudah waktu berangkat." in text
    assert (
        "$.seats[0].seat: Kursi nomor 8 tidak ada: “Travel 1” hanya punya 7 kursi."
        in text
    )
    assert "$.seats[3].person: “andi” sudah punya kursi pada perjalanan ini" not in text
    assert "$.agenda[4].delegations[1]: “bangka” disebut dua kali." in text
    assert "$.delegates[2].replaces" not in text  # "kabid" may be replaced once


def test_a_leg_whose_vehicle_is_not_in_the_file(plan_doc):
    plan_doc["legs"][1]["vehicles"] = ["travel-1", "bus-9"]
    assert _refused(plan_doc) == [
        "$.legs[1].vehicles[1]: Kunci “bus-9” tidak ada di $.vehicles."
    ]


def test_unknown_region_codes(plan_doc):
    plan_doc["delegations"][1]["region"] = "19.99"
    plan_doc["event"]["host_region"] = "98"
    assert _refused(plan_doc) == [
        "$.event.host_region: Kode wilayah 98 tidak dikenal.",
        "$.delegations[1].region: Kode wilayah 19.99 tidak dikenal.",
    ]


def test_seats_over_a_vehicles_capacity(plan_doc):
    plan_doc["vehicles"][0]["seats"] = 1
    problems = _refused(plan_doc)
    assert problems == [
        "$.seats[1]: “Travel 1” hanya punya 1 kursi; pada perjalanan “berangkat” "
        "lebih banyak orang yang didudukkan di sana.",
        "$.seats[3].seat: Kursi nomor 2 tidak ada: “Travel 1” hanya punya 1 kursi.",
        "$.seats[3]: “Travel 1” hanya punya 1 kursi; pada perjalanan “pulang” lebih "
        "banyak orang yang didudukkan di sana.",
    ]


def test_a_seat_number_twice_in_a_vehicle(plan_doc):
    plan_doc["seats"][3]["seat"] = 1
    assert _refused(plan_doc) == [
        "$.seats[3].seat: Kursi nomor 1 di “Travel 1” sudah terisi di $.seats[2]."
    ]


def test_delegates_over_quota(plan_doc):
    plan_doc["delegations"][1]["quota"] = 1
    assert _refused(plan_doc) == [
        "$.delegations[1]: Delegasi “Kabupaten Bangka Barat” punya 2 peserta yang "
        "dikonfirmasi atau hadir, melebihi kuotanya (1)."
    ]


def test_time_without_offset(plan_doc):
    plan_doc["legs"][0]["departs_at"] = "2027-03-10T05:00:00"
    plan_doc["delegations"][0]["deadline_at"] = "2027-03-03 23:59"
    assert _refused(plan_doc) == [
        '$.delegations[0].deadline_at: Waktu "2027-03-03 23:59" tanpa zona waktu: '
        "tulis selisih dari UTC, misalnya 2027-01-19T08:00:00+07:00 (WIB).",
        '$.legs[0].departs_at: Waktu "2027-03-10T05:00:00" tanpa zona waktu: tulis '
        "selisih dari UTC, misalnya 2027-01-19T08:00:00+07:00 (WIB).",
    ]


def test_slug_already_used_and_a_new_slug(plan_doc):
    first = import_plan(copy.deepcopy(plan_doc))
    db.session.commit()
    [problem] = _refused(copy.deepcopy(plan_doc))
    assert problem.startswith(
        "$.event.slug: Slug “rakor-ipsm-bangka-barat-2027” sudah dipakai acara lain"
    )
    assert "--slug" in problem
    assert _refused(copy.deepcopy(plan_doc), slug="Bukan Slug")[0].startswith(
        '$.event.slug: Slug "Bukan Slug" hanya boleh'
    )
    second = import_plan(copy.deepcopy(plan_doc), slug="rakor-ipsm-bangka-barat-2028")
    db.session.commit()
    assert second.event.id != first.event.id
    assert second.created_people == 0  # everyone matched by name and region


def test_unstorable_text_and_problem_cap(plan_doc):
    plan_doc["people"][1]["notes"] = "null\x00byte"
    assert _refused(copy.deepcopy(plan_doc)) == [
        "$.people[1].notes: Teks berisi karakter yang tidak dapat disimpan (NUL)."
    ]
    plan_doc["people"][1]["notes"] = None
    plan_doc["seats"] = [
        {"trip": "berangkat", "vehicle": f"v{n}", "person": "yusuf"} for n in range(250)
    ]
    with pytest.raises(PlanInvalid) as caught:
        import_plan(plan_doc)
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "…dan 50 masalah lain."
    assert caught.value.total == 250
    assert "250 masalah" in str(caught.value)


def test_unknown_accounts_are_notices_not_problems(app_ctx):
    doc = json.loads(EXAMPLE.read_text())
    doc["delegates"][0]["history"] = [
        {
            "action": "confirmed",
            "by": "siapa@example.org",
            "at": "2027-02-01T08:00+07:00",
        }
    ]
    result = import_plan(doc)
    assert result.notices == [
        "Akun ketua.bangka@rombongan.test tidak ada di sini; ketua delegasi diimpor "
        "tanpa akun itu.",
        "Akun panitia@rombongan.test tidak ada di sini; penyelenggara diimpor tanpa "
        "akun itu.",
        "Akun siapa@example.org tidak ada di sini; riwayat peserta diimpor tanpa akun "
        "itu.",
        "Acara ini belum punya penyelenggara: hanya admin yang dapat mengelolanya.",
    ]
    db.session.rollback()


# Pages --------------------------------------------------------------------------------


def test_download_page_and_file(client, login, rich_event, make_user):
    organiser = rich_event.organisers[0]
    login(organiser)
    page = client.get(f"/events/{rich_event.id}/plan")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Sertakan data pribadi (NIK dan nomor telepon)" in body
    assert 'name="personal_data"' in body and "checked" not in body

    response = client.post(f"/events/{rich_event.id}/plan", data={})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{rich_event.slug}.rombongan.json"'
    )
    doc = json.loads(response.get_data())
    assert doc["personal_data"] is False and "nik" not in _keys_anywhere(doc)
    full = json.loads(
        client.post(f"/events/{rich_event.id}/plan", data={"personal_data": "y"}).data
    )
    assert full["personal_data"] is True and "nik" in _keys_anywhere(full)

    overview = client.get(f"/events/{rich_event.id}").get_data(as_text=True)
    assert f'href="/events/{rich_event.id}/plan"' in overview
    assert 'href="/plans/import"' in overview


@pytest.mark.parametrize("role", ["participant", "chapter_head"])
def test_others_may_not_download_or_import(client, login, rich_event, make_user, role):
    rich_event.status = EventStatus.OPEN
    db.session.commit()
    login(make_user(role))
    assert client.get(f"/events/{rich_event.id}/plan").status_code == 403
    assert client.post(f"/events/{rich_event.id}/plan").status_code == 403
    assert client.get("/plans/import").status_code == 403
    upload = {"file": FileStorage(io.BytesIO(EXAMPLE.read_bytes()), "p.json")}
    assert client.post("/plans/import", data=upload).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, rich_event):
    for url in (f"/events/{rich_event.id}/plan", "/plans/import"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_another_organiser_may_import_but_not_download(
    client, login, rich_event, make_user
):
    login(make_user("organiser"))
    assert client.get(f"/events/{rich_event.id}/plan").status_code == 403
    assert client.get("/plans/import").status_code == 200
    assert client.get("/events/999999/plan").status_code == 404


def test_upload_imports_and_redirects_to_the_new_event(
    client, login, app_ctx, make_user
):
    make_user("chapter_head", email="ketua.bangka@rombongan.test")
    uploader = make_user("organiser")
    login(uploader)
    response = client.post(
        "/plans/import",
        data={
            "file": FileStorage(
                io.BytesIO(EXAMPLE.read_bytes()), "rakor.rombongan.json"
            ),
            "slug": "rakor-bangka-barat-salinan",
            "title": "Rakor Bangka Barat (salinan)",
        },
    )
    assert response.status_code == 302
    event = db.session.execute(
        sa.select(Event).filter_by(slug="rakor-bangka-barat-salinan")
    ).scalar_one()
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.title == "Rakor Bangka Barat (salinan)"
    assert [u.email for u in event.organisers] == [uploader.email]
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rencana diimpor sebagai acara baru" in shown
    assert "Akun panitia@rombongan.test tidak ada di sini" in shown


def test_upload_shows_every_problem_and_writes_nothing(
    client, login, app_ctx, make_user
):
    login(make_user("organiser"))
    doc = json.loads(EXAMPLE.read_text())
    doc["legs"][0]["vehicles"] = ["bus-9"]
    doc["seats"][0]["seat"] = 9
    before = _counts()
    response = client.post(
        "/plans/import",
        data={"file": FileStorage(io.BytesIO(json.dumps(doc).encode()), "p.json")},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "$.legs[0].vehicles[0]" in body and "Kunci “bus-9” tidak ada" in body
    assert "$.seats[0].seat" in body and "Kursi nomor 9 tidak ada" in body
    assert "tidak ada yang disimpan" in body
    assert _counts() == before

    for raw, expected in (
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Berkas bukan JSON"),
        (EXAMPLE.read_bytes()[:500], "Berkas bukan JSON yang utuh"),
    ):
        response = client.post(
            "/plans/import", data={"file": FileStorage(io.BytesIO(raw), "x.json")}
        )
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True)
    no_file = client.post("/plans/import", data={"slug": "a"})
    assert "Pilih berkas rencana" in no_file.get_data(as_text=True)
    bad_slug = client.post(
        "/plans/import",
        data={
            "file": FileStorage(io.BytesIO(EXAMPLE.read_bytes()), "p.json"),
            "slug": "Rakor Baru!",
        },
    )
    assert "Slug hanya boleh berisi huruf kecil" in bad_slug.get_data(as_text=True)
    assert _counts() == before


def test_a_50_mb_upload_is_refused_clearly(client, login, app_ctx, make_user):
    login(make_user("organiser"))
    before = _counts()
    big = io.BytesIO(b" " * (50 * 1024 * 1024))
    response = client.post("/plans/import", data={"file": FileStorage(big, "big.json")})
    # The test client spools the body to a temporary file nobody read: close it.
    response.request.environ["wsgi.input"].close()
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "Berkas lebih besar dari 20 MB; tidak ada yang diimpor." in body
    assert "flask plans import" in body
    assert 'name="slug"' in body  # the import page, not a bare error page
    assert _counts() == before


# Commands -----------------------------------------------------------------------------


def test_cli_export_and_import(runner, rich_event, tmp_path):
    path = tmp_path / "rencana.json"
    result = runner.invoke(args=["plans", "export", rich_event.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "NIK dan nomor telepon tidak disertakan" in result.output
    doc = json.loads(path.read_text())
    assert doc["event"]["slug"] == rich_event.slug and "nik" not in _keys_anywhere(doc)
    result = runner.invoke(
        args=["plans", "export", "--personal-data", rich_event.slug, str(path)]
    )
    assert result.exit_code == 0 and '"nik": "1901010101800001"' in path.read_text()

    taken = runner.invoke(args=["plans", "import", str(path)])
    assert taken.exit_code == 1
    assert "$.event.slug: Slug" in taken.output and "--slug" in taken.output

    result = runner.invoke(args=["plans", "import", str(path), "--slug", "rakor-baru"])
    assert result.exit_code == 0, result.output
    assert "Acara rakor-baru dibuat" in result.output
    assert "0 orang baru, 9 orang sudah ada" in result.output
    db.session.expire_all()
    copy_event = db.session.execute(
        sa.select(Event).filter_by(slug="rakor-baru")
    ).scalar_one()
    assert len(export_plan(copy_event)["delegates"]) == 8

    missing = runner.invoke(args=["plans", "export", "tidak-ada", str(path)])
    assert missing.exit_code != 0 and "tidak ditemukan" in missing.output


def test_cli_import_prints_every_problem(runner, app_ctx, tmp_path):
    doc = json.loads(EXAMPLE.read_text())
    doc["legs"][0]["vehicles"] = ["bus-9"]
    doc["delegations"][1]["quota"] = 0
    path = tmp_path / "salah.json"
    path.write_text(json.dumps(doc))
    before = _counts()
    result = runner.invoke(args=["plans", "import", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[:2] == [
        "$.delegations[1]: Delegasi “Kabupaten Bangka Barat” punya 2 peserta yang "
        "dikonfirmasi atau hadir, melebihi kuotanya (0).",
        "$.legs[0].vehicles[0]: Kunci “bus-9” tidak ada di $.vehicles.",
    ]
    assert "tidak ada yang disimpan" in lines[-1]
    assert _counts() == before
    path.write_bytes(b"{")
    assert (
        "Berkas bukan JSON yang utuh"
        in runner.invoke(args=["plans", "import", str(path)]).output
    )
