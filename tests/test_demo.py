"""``flask demo load``: demo events, people and accounts, created once and printed."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from sqlalchemy import func
from werkzeug.security import generate_password_hash

from bench.people import FakePeople, make_nik
from planner import create_app
from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Person,
    Place,
    Region,
    Sex,
    SocialPillar,
    User,
)
from planner.models import user as user_model
from planner.services.delegations import delegation_counts, event_allocation
from planner.services.demo import DEMO_ACCOUNTS


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Hash demo passwords with a cheap method: scrypt costs ~0.4 s per account here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


SLUGS = {"tour-studi-pgk-jkt-2024", "bimtek-psm-bekasi-2027", "rakor-ipsm-babel-2027"}
ACCOUNT_LINE = re.compile(r"^\s+(\S+@\S+)\s+(\S+)\s+(.+)$", re.M)


def _load(runner, *args):
    """Run ``flask demo load`` and insist it succeeded."""
    result = runner.invoke(args=["demo", "load", *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result.output


def _counts(app) -> dict[str, int]:
    """Rows per demo table."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(
                db.select(func.count()).select_from(model)
            )
            for model in (Event, Person, Place, User)
        }


def test_load_creates_the_three_events(app, runner):
    """The tour, the bimtek and the upcoming rakor, all organised by the panitia."""
    output = _load(runner)
    assert "3 kegiatan" in output
    with app.app_context():
        events = {e.slug: e for e in db.session.scalars(db.select(Event))}
        assert set(events) == SLUGS
        tour = events["tour-studi-pgk-jkt-2024"]
        assert tour.kind == EventKind.STUDY_TOUR
        assert (tour.starts_on, tour.ends_on) == (date(2024, 5, 7), date(2024, 5, 12))
        assert tour.status == EventStatus.FINISHED and tour.capacity == 30
        assert tour.host_region.code == "19" and tour.timezone == "Asia/Jakarta"
        assert tour.venue.name == "Tugu Titik Nol Kilometer Pangkalpinang"
        assert tour.venue.region.code == "19.71"
        assert tour.venue.lat == pytest.approx(-2.129, abs=0.01)
        assert "Pelabuhan Tanjung Kalian" in tour.description
        assert "Pelabuhan Merak" in tour.description
        bimtek = events["bimtek-psm-bekasi-2027"]
        assert bimtek.kind == EventKind.BIMTEK and bimtek.capacity == 500
        assert bimtek.status == EventStatus.OPEN and bimtek.host_region.code == "31"
        assert len(bimtek.days) == 2
        assert "225" in bimtek.description and "475" in bimtek.description
        assert bimtek.venue.region.code.startswith("31.")
        rakor = events["rakor-ipsm-babel-2027"]
        assert rakor.status == EventStatus.DRAFT
        assert rakor.starts_on > date(2026, 11, 22)
        for event in events.values():
            assert [u.email for u in event.organisers] == ["panitia@rombongan.test"]
        names = set(db.session.scalars(db.select(Place.name)))
        assert "Kementerian Sosial RI" in names
        ports = set(
            db.session.scalars(db.select(Place.code).where(Place.code.like("port:%")))
        )
        assert {"port:tanjung-kalian", "port:tanjung-api-api"} <= ports
        assert {"port:bakauheni", "port:merak"} <= ports


def test_every_printed_account_signs_in(app, runner):
    """Six accounts, one per role, each opening with the password printed for it."""
    output = _load(runner)
    assert "Akun demo" in output
    printed = {m[0]: m[1] for m in ACCOUNT_LINE.findall(output.split("Akun demo")[1])}
    assert set(printed) == {a.email for a in DEMO_ACCOUNTS}
    with app.app_context():
        users = {u.email: u for u in db.session.scalars(db.select(User))}
        assert set(users) == set(printed)
        for email, password in printed.items():
            assert len(password) >= 10
            assert users[email].check_password(password), email
            assert not users[email].check_password(password + "x")
        assert users["admin@rombongan.test"].is_admin
        assert users["panitia@rombongan.test"].is_organiser
        assert not users["panitia@rombongan.test"].is_admin
        regions = {
            email: [r.code for r in users[email].regions]
            for email in ("ketua.bangka", "ketua.provinsi", "ketua.bekasi")
            for email in [f"{email}@rombongan.test"]
        }
        assert regions == {
            "ketua.bangka@rombongan.test": ["19.01"],
            "ketua.provinsi@rombongan.test": ["19"],
            "ketua.bekasi@rombongan.test": ["32.75"],
        }
        participant = users["peserta@rombongan.test"]
        assert participant.person is not None
        assert participant.person.region.code.startswith("19.")
        assert participant.display_name == participant.person.full_name
        assert not participant.is_organiser and not participant.regions


def test_people_are_plausible(app, runner):
    """Valid mobile numbers, unique 16-digit NIKs of their regency, mostly PSM."""
    _load(runner)
    with app.app_context():
        everyone = db.session.scalars(db.select(Person)).all()
        # Officials known by office only have no name, NIK or phone of their own.
        offices = [p for p in everyone if p.is_office_holder]
        assert [(p.formal_name, p.pillar) for p in offices] == [
            (
                "Kepala Bidang Rehabilitasi Sosial, "
                "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
                SocialPillar.OFFICIAL,
            )
        ]
        people = [p for p in everyone if not p.is_office_holder]
        assert 70 <= len(people) <= 120
        niks = [p.nik for p in people]
        assert len(set(niks)) == len(niks)
        for person in people:
            assert re.fullmatch(r"\+628\d{8,11}", person.phone), person.phone
            number = phonenumbers.parse(person.phone)
            assert phonenumbers.is_valid_number(number), person.phone
            assert phonenumbers.region_code_for_number(number) == "ID"
            assert re.fullmatch(r"\d{16}", person.nik)
            assert person.nik.startswith(person.region.code.replace(".", ""))
            day = person.birth_on.day + (40 if person.sex == Sex.FEMALE else 0)
            assert person.nik[6:12] == f"{day:02d}{person.birth_on:%m%y}"
            assert len(person.full_name.split()) >= 2
            assert "," not in person.full_name  # titles are kept apart
        pillars = Counter(p.pillar for p in people)
        assert pillars[SocialPillar.PSM] > 0.75 * len(people)
        assert pillars[SocialPillar.OFFICIAL] >= 2 and pillars[SocialPillar.PEKSOS] >= 1
        assert Counter(p.sex for p in people).keys() == {Sex.MALE, Sex.FEMALE}
        by_region = Counter(p.region.code for p in people)
        tour = ("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71")
        assert all(by_region[code] >= 2 for code in tour)
        assert 18 <= sum(by_region[code] for code in tour) <= 26
        assert by_region["32.75"] >= 25 and by_region["32.16"] >= 25
        positions = {p.position for p in people}
        assert "Ketua IPSM Provinsi Kepulauan Bangka Belitung" in positions
        assert "Ketua IPSM Kabupaten Bangka" in positions
        assert "Ketua Umum Pengurus Nasional IPSM" in positions
        titled = [p.formal_name for p in people if p.title_before or p.title_after]
        assert len(titled) >= 5
        assert any(re.fullmatch(r"Drs\. [^,]+, M\.Pd\.", name) for name in titled)


def test_second_run_creates_nothing_and_says_so(app, runner):
    """Loading again leaves every table as it was and tells so."""
    _load(runner)
    before = _counts(app)
    output = _load(runner)
    assert "Tidak ada yang dibuat" in output
    assert _counts(app) == before
    for account in DEMO_ACCOUNTS:
        assert account.email in output and account.password in output


def test_same_seed_same_people(app, runner):
    """The names and NIKs come from a seed: the same on every run and machine."""
    one, two = FakePeople(7), FakePeople(7)
    assert [one.person("19.71") for _ in range(5)] == [
        two.person("19.71") for _ in range(5)
    ]
    assert FakePeople(8).person("19.71") != FakePeople(7).person("19.71")


def test_nik_marks_women_by_day_plus_forty():
    """The NIK writes region, district, birth date (day + 40 for women), serial."""
    born = date(1985, 3, 9)
    assert (
        make_nik("19.71", born, Sex.MALE, district=2, serial=17) == "1971020903850017"
    )
    assert make_nik("19.71", born, Sex.FEMALE, district=2, serial=17) == (
        "1971024903850017"
    )
    with pytest.raises(ValueError):
        make_nik("19", born, Sex.MALE, district=2, serial=17)


def test_if_empty_does_nothing_when_an_event_exists(app, runner, make_event):
    """``--if-empty`` leaves an existing database alone but still lists the accounts."""
    make_event(title="Rakor yang sudah ada", slug="rakor-ada")
    before = _counts(app)
    output = _load(runner, "--if-empty")
    assert "tidak dimuat" in output
    assert _counts(app) == before
    assert "Akun demo" in output
    for account in DEMO_ACCOUNTS:
        assert account.email in output and account.password in output
    assert output.count("belum ada di basis data") == len(DEMO_ACCOUNTS)


def test_if_empty_loads_an_empty_database(app, runner):
    """``--if-empty`` on a database without events loads the demo."""
    output = _load(runner, "--if-empty")
    assert "3 kegiatan" in output and "6 akun" in output
    assert _counts(app)["Event"] == 3


def test_loads_regions_first_when_there_are_none(tmp_path):
    """On a database without regions the command loads them before the demo."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite'}",
        }
    )
    with app.app_context():
        db.create_all()
    try:
        output = _load(app.test_cli_runner())
        assert "Wilayah dimuat lebih dulu: 552 wilayah" in output
        with app.app_context():
            assert db.session.scalar(db.select(func.count(Region.id))) == 552
            assert db.session.scalar(db.select(func.count(Event.id))) == 3
    finally:
        with app.app_context():
            db.engine.dispose()


def test_panitia_signs_in_and_sees_the_demo_events(app, runner, client):
    """Over HTTP, the printed organiser account opens the list with all three events."""
    _load(runner)
    response = client.post(
        "/auth/login",
        data={"email": "panitia@rombongan.test", "password": "demo-panitia-2024"},
    )
    assert response.status_code == 302
    upcoming = client.get("/events/")
    past = client.get("/events/?when=past")
    assert upcoming.status_code == past.status_code == 200
    coming = upcoming.get_data(as_text=True)
    assert "Rakor IPSM Provinsi Kepulauan Bangka Belitung 2027" in coming
    assert "Bimbingan Teknis PSM Bekasi" in coming
    assert "Tour dan Studi Banding PSM Bangka Belitung (PGK–JKT)" in past.get_data(
        as_text=True
    )


def _event(slug: str) -> Event:
    """A demo event by its slug."""
    return db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one()


def test_tour_delegations_all_attended_with_one_substitution(app, runner):
    """Seven regencies/cities of quota 4 and the province board; everyone attended."""
    _load(runner)
    with app.app_context():
        tour = _event("tour-studi-pgk-jkt-2024")
        delegations = {d.name: d for d in tour.delegations}
        regional = [d for d in delegations.values() if d.region is not None]
        assert sorted(d.region.code for d in regional) == [
            "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"
        ]  # fmt: skip
        assert all(d.quota == 4 for d in regional)
        board = delegations["Pengurus IPSM Provinsi"]
        assert board.region is None
        assert board.head.email == "ketua.provinsi@rombongan.test"
        assert [(d.role, d.person.position) for d in board.delegates] == [
            (DelegateRole.HEAD, "Ketua IPSM Provinsi Kepulauan Bangka Belitung")
        ]
        bangka = next(d for d in regional if d.region.code == "19.01")
        assert bangka.head.email == "ketua.bangka@rombongan.test"
        assert event_allocation(tour).allocated == 30
        delegates = db.session.scalars(
            db.select(Delegate).filter_by(event_id=tour.id)
        ).all()
        statuses = Counter(d.status for d in delegates)
        assert statuses == {DelegateStatus.ATTENDED: 19, DelegateStatus.REPLACED: 1}
        for delegation in delegations.values():
            held = sum(d.holds_quota_place for d in delegation.delegates)
            assert delegation.confirmed_count == held <= delegation.quota
        (gone,) = [d for d in delegates if d.status == DelegateStatus.REPLACED]
        stand_in = gone.replaced_by
        assert stand_in.status == DelegateStatus.ATTENDED
        assert stand_in.delegation == gone.delegation
        assert [c.action for c in gone.changes] == [
            "nominated",
            "confirmed",
            "replaced",
        ]
        assert gone.changes[-1].other_delegate == stand_in
        assert gone.changes[-1].by_user.email == "panitia@rombongan.test"
        for delegate in delegates:
            assert delegate.confirmed_at.date() < tour.starts_on
            for change in delegate.changes:
                assert change.at.year == 2024 and change.at.month in (4, 5)
            if delegate.status == DelegateStatus.ATTENDED:
                local = delegate.attended_at.astimezone(ZoneInfo("Asia/Jakarta"))
                assert local.date() == tour.starts_on
        participant = db.session.execute(
            db.select(User).filter_by(email="peserta@rombongan.test")
        ).scalar_one()
        assert participant.person_id in {d.person_id for d in delegates}


def test_bimtek_allocates_475_of_500(app, runner):
    """Kota and Kabupaten Bekasi (225 each), IPSM Pusat (25); speakers without one."""
    _load(runner)
    with app.app_context():
        bimtek = _event("bimtek-psm-bekasi-2027")
        allocation = event_allocation(bimtek)
        assert (allocation.allocated, allocation.announced) == (475, 500)
        assert allocation.delegations == 3
        delegations = {d.name: d for d in bimtek.delegations}
        kota = next(
            d for d in bimtek.delegations if d.region and d.region.code == "32.75"
        )
        kab = next(
            d for d in bimtek.delegations if d.region and d.region.code == "32.16"
        )
        pusat = delegations["IPSM Pusat"]
        assert (kota.quota, kab.quota, pusat.quota) == (225, 225, 25)
        assert pusat.region is None
        assert kota.head.email == "ketua.bekasi@rombongan.test" and kab.head is None
        for delegation in (kota, kab, pusat):
            local = delegation.deadline_at.astimezone(ZoneInfo("Asia/Jakarta"))
            assert local.date() == date(2027, 1, 12)
        counts = delegation_counts(bimtek)
        assert 55 <= counts[kota.id].active + counts[kab.id].active <= 65
        for delegation in (kota, kab):
            held = counts[delegation.id]
            assert 0 < held.confirmed < held.attended < held.active
            assert delegation.confirmed_count == held.confirmed + held.attended
        assert (counts[pusat.id].confirmed, counts[pusat.id].attended) == (1, 3)
        speakers = db.session.scalars(
            db.select(Delegate).filter_by(event_id=bimtek.id, delegation_id=None)
        ).all()
        assert len(speakers) == 4
        assert {d.role for d in speakers} == {DelegateRole.SPEAKER}
        # Marked present for the demo's certificates (see docs/demo.md), the
        # speakers aside; a few confirmed people did not come.
        assert {d.status for d in speakers} == {DelegateStatus.CONFIRMED}
        assert allocation.attended == 21 and allocation.confirmed == 9


def test_second_run_adds_no_delegates(app, runner):
    """Delegations and delegates are keyed too: a second load adds none."""
    _load(runner)
    with app.app_context():
        before = (
            db.session.scalar(db.select(func.count(Delegation.id))),
            db.session.scalar(db.select(func.count(Delegate.id))),
            db.session.scalar(db.select(func.count(DelegateChange.id))),
        )
    _load(runner)
    with app.app_context():
        after = (
            db.session.scalar(db.select(func.count(Delegation.id))),
            db.session.scalar(db.select(func.count(Delegate.id))),
            db.session.scalar(db.select(func.count(DelegateChange.id))),
        )
    assert after == before and before[0] == 11


def test_participant_opens_own_card(app, runner, client):
    """The printed participant account opens its own tour card over HTTP."""
    _load(runner)
    with app.app_context():
        tour = _event("tour-studi-pgk-jkt-2024")
        participant = db.session.execute(
            db.select(User).filter_by(email="peserta@rombongan.test")
        ).scalar_one()
        delegate = db.session.execute(
            db.select(Delegate).filter_by(
                event_id=tour.id, person_id=participant.person_id
            )
        ).scalar_one()
        url = f"/events/{tour.id}/check-in/{delegate.id}/card"
    client.post(
        "/auth/login",
        data={"email": "peserta@rombongan.test", "password": "demo-peserta-2024"},
    )
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="qr-code"' in html and "Tour dan Studi Banding" in html


def test_tour_is_fully_planned_both_ways(app, runner):
    """Two vans, every leg there and back in WIB, the vans aboard each ferry, every
    attending delegate seated once per trip within the seats; a second load adds none."""
    from planner.models import Leg, LegMode, SeatAssignment, Trip, Vehicle

    _load(runner)
    with app.app_context():
        tour = _event("tour-studi-pgk-jkt-2024")
        vans = db.session.scalars(
            db.select(Vehicle).filter_by(event_id=tour.id).order_by(Vehicle.label)
        ).all()
        assert [(v.label, v.plate) for v in vans] == [
            ("Travel 1", "BN 1234 AB"),
            ("Travel 2", "BN 5678 CD"),
        ]
        for van in vans:
            assert van.driver_name and "Pangkalpinang" in van.operator
            assert phonenumbers.is_valid_number(phonenumbers.parse(van.driver_phone))
        trips = db.session.scalars(
            db.select(Trip).filter_by(event_id=tour.id).order_by(Trip.position)
        ).all()
        assert [t.name for t in trips] == ["Berangkat", "Pulang"]
        wib = ZoneInfo("Asia/Jakarta")
        codes = {}
        for trip in trips:
            legs = trip.legs
            assert len(legs) == 6
            for before, after in zip(legs, legs[1:], strict=False):
                assert before.to_place_id == after.from_place_id
                assert before.arrives_at <= after.departs_at
            for leg in legs:
                assert leg.arrives_at > leg.departs_at
                assert leg.vehicles == vans
                if leg.mode == LegMode.FERRY:
                    assert leg.carrier and leg.vessel and leg.booking_ref
            codes[trip.name] = [
                (leg.from_place.code or leg.from_place.name, leg.mode) for leg in legs
            ]
            days = {leg.departs_at.astimezone(wib).date() for leg in legs}
            assert days == (
                {date(2024, 5, 7), date(2024, 5, 8)}
                if trip.name == "Berangkat"
                else {date(2024, 5, 11), date(2024, 5, 12)}
            )
        first = trips[0].legs[0]
        assert first.from_place.name == "Tugu Titik Nol Kilometer Pangkalpinang"
        assert first.departs_at.astimezone(wib).hour == 5
        assert [c for c, m in codes["Berangkat"] if m == LegMode.FERRY] == [
            "port:tanjung-kalian",
            "port:bakauheni",
        ]
        assert [c for c, m in codes["Pulang"] if m == LegMode.FERRY] == [
            "port:merak",
            "port:tanjung-api-api",
        ]
        assert trips[1].legs[-1].to_place == first.from_place
        attending = set(
            db.session.scalars(
                db.select(Delegate.id).filter_by(
                    event_id=tour.id, status=DelegateStatus.ATTENDED
                )
            )
        )
        assert len(attending) == 19
        for trip in trips:
            seats = trip.seat_assignments
            assert sorted(s.delegate_id for s in seats) == sorted(attending)
            per_van = Counter(s.vehicle_id for s in seats)
            assert all(per_van[v.id] <= v.seats for v in vans)
            for delegation in tour.delegations:
                used = {
                    s.vehicle_id for s in seats if s.delegate.delegation == delegation
                }
                assert len(used) <= 1, delegation.name
        before = tuple(
            db.session.scalar(db.select(func.count()).select_from(model))
            for model in (Vehicle, Trip, Leg, SeatAssignment)
        )
        assert before == (2, 2, 12, 38)
    _load(runner)
    with app.app_context():
        after = tuple(
            db.session.scalar(db.select(func.count()).select_from(model))
            for model in (Vehicle, Trip, Leg, SeatAssignment)
        )
    assert after == before


def test_tour_sleeps_everyone_at_its_two_hotels(app, runner):
    """Palembang one night each way and Jakarta three: every traveller has exactly one
    bed each night away, men and women apart, and the overview warns of nothing."""
    from planner.models import TAKING_PART, PlaceKind, RoomAssignment, Stay
    from planner.services.events import event_checklist
    from planner.services.rooms import room_numbers, room_warnings, travellers
    from planner.services.rooms.stays import itinerary_nights

    _load(runner)
    with app.app_context():
        tour = _event("tour-studi-pgk-jkt-2024")
        stays = db.session.scalars(
            db.select(Stay).filter_by(event_id=tour.id).order_by(Stay.check_in_on)
        ).all()
        assert [(s.place.name, s.check_in_on, s.check_out_on) for s in stays] == [
            ("Hotel Swarna Dwipa Palembang", date(2024, 5, 7), date(2024, 5, 8)),
            ("Grand Cempaka Business Hotel", date(2024, 5, 8), date(2024, 5, 11)),
            ("Hotel Swarna Dwipa Palembang", date(2024, 5, 11), date(2024, 5, 12)),
        ]
        hotels = {s.place for s in stays}
        assert len(hotels) == 2 and {h.kind for h in hotels} == {PlaceKind.HOTEL}
        assert {h.region.code for h in hotels} == {"16.71", "31.71"}
        nights = sorted(n for s in stays for n in s.nights)
        assert nights == sorted(itinerary_nights(tour))
        assert len(nights) == 5

        taking_part = set(
            db.session.scalars(
                db.select(Delegate.id).where(
                    Delegate.event_id == tour.id, Delegate.status.in_(TAKING_PART)
                )
            )
        )
        assert travellers(tour) == taking_part and len(taking_part) == 19
        beds: Counter = Counter()
        for stay in stays:
            for room in stay.rooms:
                assert room.rate > 0 and len(room.assignments) <= room.beds
                people = [a.delegate.person for a in room.assignments]
                assert room.is_family or len({p.sex for p in people}) == 1
                for a in room.assignments:
                    beds.update((a.delegate_id, night) for night in stay.nights)
        assert set(beds.values()) == {1}
        assert set(beds) == {(d, n) for d in taking_part for n in nights}
        # A delegation's women together, and its men, at every stay.
        rooms_of: dict[tuple, set[int]] = {}
        for a in db.session.scalars(
            db.select(RoomAssignment).where(
                RoomAssignment.stay_id.in_(s.id for s in stays)
            )
        ):
            group = (a.stay_id, a.delegate.delegation_id, a.delegate.person.sex)
            rooms_of.setdefault(group, set()).add(a.room_id)
        assert {len(r) for r in rooms_of.values()} == {1}

        assert room_warnings(tour) == []
        assert not [i for i in event_checklist(tour) if i.endpoint == "rooms.index"]
        numbers = room_numbers(tour)
        assert (numbers.stays, numbers.booked, numbers.needed) == (3, 19, 19)


def test_demo_meal_counts(app, runner):
    """The tour counts its meals and two packed meals on the long drives, with the
    special portions of its dietary notes; the bimtek counts its meals and breaks."""
    from planner.services.meals import meal_days

    _load(runner)
    with app.app_context():
        tour = [
            m for day in meal_days(_event("tour-studi-pgk-jkt-2024")) for m in day.meals
        ]
        packed = [m for m in tour if m.is_packed]
        assert len(packed) == 2 and all(m.portions == 19 for m in packed)
        assert all(m.portions > 0 for m in tour)
        dinner = next(m for m in tour if m.title == "Makan malam bersama")
        assert dinner.special == {
            "diabetes (tanpa gula)": 1,
            "tanpa makanan laut": 2,
            "vegetarian": 1,
        }
        bimtek = meal_days(_event("bimtek-psm-bekasi-2027"))
        meals = [m for day in bimtek for m in day.meals]
        assert len(bimtek) == 2 and len(meals) == 6
        assert all(m.portions > 0 for m in meals)


def test_demo_budgets_pay_the_meals_and_the_rooms(app, runner):
    """The bimtek's meals at its prices (Rp45.000 a meal, Rp20.000 a snack box) over
    the portions the meal counts give; the tour's hotels at the rates in its file,
    rooms × nights."""
    import json

    from planner.models import AgendaKind, BudgetCategory
    from planner.services.demo import DEMO_DIR
    from planner.services.meals import meal_days
    from planner.services.paperwork.budget import compute_budget

    _load(runner)
    with app.app_context():
        bimtek = _event("bimtek-psm-bekasi-2027")
        rows = [m for day in meal_days(bimtek) for m in day.meals]
        breaks = sum(m.portions for m in rows if m.kind == AgendaKind.BREAK)
        meals = sum(m.portions for m in rows) - breaks
        assert meals > 0 and breaks > 0
        budget = compute_budget(bimtek)
        food = budget.category_total(BudgetCategory.MEALS)
        assert food == meals * 45_000 + breaks * 20_000 > 0
        assert budget.price_hints == []

        tour = json.loads(
            (DEMO_DIR / "tour-studi-pgk-jkt-2024.rombongan.json").read_text()
        )
        expected = sum(
            room["rate"]
            * (
                date.fromisoformat(stay["check_out_on"])
                - date.fromisoformat(stay["check_in_on"])
            ).days
            for stay in tour["stays"]
            for room in stay["rooms"]
        )
        lines = compute_budget(_event("tour-studi-pgk-jkt-2024")).category_lines(
            BudgetCategory.ACCOMMODATION
        )
        assert expected > 0
        assert sum(x.amount for x in lines) == expected
        assert sum(x.quantity for x in lines) == sum(
            len(stay["rooms"]) for stay in tour["stays"]
        )


def test_demo_events_have_full_run_downs_without_conflicts(app, runner, client):
    """Every demo event has a run-down over all its days, the published ones (and the
    draft rakor) without conflicts; a second load adds no item."""
    from planner.models import AgendaItem, AgendaKind
    from planner.services.agenda import event_conflicts, load_agenda, local_day

    output = _load(runner)
    assert "3 kegiatan" in output
    with app.app_context():
        counts = {}
        for slug in SLUGS:
            event = _event(slug)
            items = load_agenda(event)
            counts[slug] = len(items)
            assert {local_day(i.starts_at, event) for i in items} == set(event.days)
            assert event_conflicts(event) == [], slug
        assert counts["tour-studi-pgk-jkt-2024"] >= 30
        assert counts["bimtek-psm-bekasi-2027"] >= 20
        assert counts["rakor-ipsm-babel-2027"] >= 15
        bimtek = load_agenda(_event("bimtek-psm-bekasi-2027"))
        materials = [i for i in bimtek if i.kind == AgendaKind.MATERIAL]
        assert len(materials) == 4
        assert all(
            any(s.role == "speaker" and s.name and s.institution for s in i.speakers)
            for i in materials
        )
        kinds = {i.kind for i in bimtek}
        assert {AgendaKind.OPENING, AgendaKind.ANTHEM, AgendaKind.PRAYER} <= kinds
        assert {AgendaKind.REPORT, AgendaKind.SPEECH, AgendaKind.CLOSING} <= kinds
        rakor = _event("rakor-ipsm-babel-2027")
        last = max(
            i.ends_at
            for i in load_agenda(rakor)
            if local_day(i.starts_at, rakor) == rakor.starts_on
        )
        assert last.astimezone(ZoneInfo("Asia/Jakarta")).strftime("%H.%M") == "21.30"
        total = db.session.scalar(db.select(func.count(AgendaItem.id)))
    _load(runner)
    with app.app_context():
        assert db.session.scalar(db.select(func.count(AgendaItem.id))) == total
    client.post(
        "/auth/login",
        data={"email": "peserta@rombongan.test", "password": "demo-peserta-2024"},
    )
    with app.app_context():
        tour_id = _event("tour-studi-pgk-jkt-2024").id
    html = client.get(f"/events/{tour_id}/agenda/").get_data(as_text=True)
    assert "Kementerian Sosial RI" in html
    assert re.search(r"sprite\.[0-9a-f]+\.svg#water", html)
    assert "Rapat panitia dan sopir" not in html  # committee only


def test_the_application_does_not_need_faker():
    """The demo is plan files: Faker (a test dependency) is for the bench alone."""
    from pathlib import Path

    import planner

    root = Path(planner.__file__).parent
    users = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(from|import) faker\b", path.read_text(), re.M)
    ]
    assert users == []


def test_a_refused_demo_file_stops_the_load_and_writes_nothing(
    app, runner, monkeypatch, tmp_path
):
    """A demo file the importer refuses: its problems are printed, exit code 1, and
    neither the accounts nor the other events are kept."""
    from planner.services import demo

    for path in demo.DEMO_DIR.glob("*" + demo.PLAN_SUFFIX):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    broken = tmp_path / "rakor-ipsm-babel-2027.rombongan.json"
    broken.write_text(broken.read_text().replace('"kind": "rakor"', '"kind": "pesta"'))
    monkeypatch.setattr(demo, "DEMO_DIR", tmp_path)
    before = _counts(app)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "tidak dapat diimpor" in result.output
    assert "$.event.kind" in result.output
    assert _counts(app) == before


def test_bimtek_has_its_paperwork(app, runner, client):
    """A budget for DKI Jakarta (the venue's province), payment sheets with rows,
    one numbered letter per delegation, a certificate for everyone who attended; the
    overview, the to-do list and the paperwork pages show them without errors."""
    from planner.models import BudgetCategory, Certificate, InvitationLetter
    from planner.services.events import event_checklist
    from planner.services.paperwork.budget import compute_budget
    from planner.services.paperwork.payments import PaymentKind, payment_sheet
    from planner.services.paperwork.sheet import CATEGORIES

    _load(runner)
    with app.app_context():
        bimtek = _event("bimtek-psm-bekasi-2027")
        budget = compute_budget(bimtek)
        assert budget.province == "Daerah Khusus Ibukota Jakarta"
        assert budget.allowance_rate == budget.allowance_ceiling == 160_000
        assert budget.total > 0
        # Everything but accommodation: the bimtek's people go home every night.
        assert [c for c, _lines, total in budget.categories if total > 0] == [
            c for c in CATEGORIES if c != BudgetCategory.ACCOMMODATION
        ]
        hand = [x for x in budget.lines if x.line_id is not None]
        assert len(hand) == 5 and {x.delegation for x in hand} == {
            None,
            "Kabupaten Bekasi",
            "Kota Bekasi",
        }
        for kind in PaymentKind:
            sheet = payment_sheet(bimtek, kind)
            assert sheet.rows and sheet.total > 0, kind
            assert sheet.treasurer_name and sheet.official_name
        taking_part = 21 + 9  # attended, confirmed (the speakers among them)
        assert len(payment_sheet(bimtek, PaymentKind.TRANSPORT).rows) == taking_part
        letters = db.session.scalars(
            db.select(InvitationLetter).filter_by(event_id=bimtek.id)
        ).all()
        assert len(letters) == 3
        assert {x.delegation_id for x in letters} == {d.id for d in bimtek.delegations}
        certified = set(
            db.session.scalars(
                db.select(Certificate.delegate_id).filter_by(event_id=bimtek.id)
            )
        )
        attended = set(
            db.session.scalars(
                db.select(Delegate.id).filter_by(
                    event_id=bimtek.id, status=DelegateStatus.ATTENDED
                )
            )
        )
        assert len(certified) == 21 and certified == attended
        todo = " ".join(item.text for item in event_checklist(bimtek))
        for missing in ("sertifikat", "surat undangan", "Anggaran", "Penanda tangan"):
            assert missing not in todo
        event_id = bimtek.id
    client.post(
        "/auth/login",
        data={"email": "panitia@rombongan.test", "password": "demo-panitia-2024"},
    )
    base = f"/events/{event_id}"
    overview = client.get(base)
    assert overview.status_code == 200
    assert f"{base}/paperwork/letters" in overview.get_data(as_text=True)
    for tail, shown in (
        ("/paperwork/budget", "Penggandaan modul bimtek"),
        ("/paperwork/letters", "005/123/PSPKKM/XII/2026"),
        ("/paperwork/certificates", "21/SERT-BIMTEK/PSPKKM/I/2027"),
    ):
        page = client.get(base + tail)
        assert page.status_code == 200, tail
        assert shown in page.get_data(as_text=True), tail
    for kind in PaymentKind:
        pdf = client.get(f"{base}/paperwork/payments.pdf?kind={kind}")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    for tail in ("/paperwork/letters.pdf", "/paperwork/certificates.pdf"):
        assert client.get(base + tail).status_code == 200, tail
