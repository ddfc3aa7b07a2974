"""Identity where people are added: NIK, birth date and sex on the delegation page's
"Tambah orang baru" and replace forms (required when the event has a ferry or air leg),
and the delegation page's count of people still lacking what the manifest needs."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest

from planner.extensions import db
from planner.models import Delegate, DelegateStatus, LegMode, Person, Sex
from tests.conftest import region

NIK = "1901014508800003"  # Kabupaten Bangka, a woman born 5 August 1980
REQUIRED_NOTE = "jenis kelamin, tanggal lahir dan NIK wajib diisi untuk manifes"
OPTIONAL_NOTE = "Jenis kelamin, tanggal lahir dan NIK boleh dikosongkan"


@pytest.fixture
def setup(make_user, make_event, make_delegation):
    """An organiser, an open event with a Kabupaten Bangka delegation, its chapter head."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    delegation = make_delegation(event, quota=20)
    head = make_user("chapter_head", regions=("19.01",))
    return {
        "organiser": organiser,
        "event": event,
        "delegation": delegation,
        "head": head,
    }


@pytest.fixture
def by_sea(setup, make_trip, make_leg):
    """The setup's event gets a ferry leg: its manifests need NIK, birth date, sex."""
    make_leg(make_trip(setup["event"]), mode=LegMode.FERRY)
    return setup


def _url(d, suffix: str = "") -> str:
    return f"/events/{d.event_id}/delegations/{d.id}{suffix}"


def _people() -> int:
    return db.session.scalar(db.select(db.func.count(Person.id)))


def _new(**fields) -> dict:
    data = {"full_name": "Citra Baru", "role": "participant", **fields}
    return {f"new-{k}": v for k, v in data.items()}


def _errors(page: str) -> list[str]:
    """The texts of the invalid-feedback messages on a page."""
    import re

    return [
        unescape(m).strip()
        for m in re.findall(
            r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', page, re.S
        )
    ]


# Adding a person on the spot ----------------------------------------------------------


def test_identity_is_optional_without_ferry_or_air(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    page = client.get(_url(d)).text
    assert OPTIONAL_NOTE in page
    assert 'id="new-nik"' in page and 'id="new-birth_on"' in page
    response = client.post(_url(d, "/add-person"), data=_new())
    assert response.status_code == 302
    person = db.session.scalars(db.select(Person)).one()
    assert (person.nik, person.birth_on, person.sex) == (None, None, None)


def test_identity_is_stored_when_given(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    response = client.post(
        _url(d, "/add-person"),
        data=_new(nik="1901 0145 0880 0003", birth_on="1980-08-05", sex="female"),
    )
    assert response.status_code == 302
    person = db.session.scalars(db.select(Person)).one()
    assert person.nik == NIK
    assert person.birth_on == date(1980, 8, 5)
    assert person.sex == Sex.FEMALE


@pytest.mark.parametrize("mode", [LegMode.FERRY, LegMode.AIR])
def test_identity_is_required_with_a_ferry_or_air_leg(
    client, login, setup, make_trip, make_leg, mode
):
    make_leg(make_trip(setup["event"]), mode=mode)
    d = setup["delegation"]
    login(setup["organiser"])
    page = client.get(_url(d)).text
    assert REQUIRED_NOTE in page
    assert "Wajib: acara ini punya perjalanan kapal laut atau pesawat." in page
    response = client.post(_url(d, "/add-person"), data=_new(phone="0812-3456-7890"))
    assert response.status_code == 200
    errors = _errors(response.text)
    # Every missing field is reported at once.
    assert "Jenis kelamin wajib diisi untuk manifes kapal/pesawat." in errors
    assert "Tanggal lahir wajib diisi untuk manifes kapal/pesawat." in errors
    assert "NIK wajib diisi untuk manifes kapal/pesawat." in errors
    assert 'value="Citra Baru"' in response.text
    assert 'value="0812-3456-7890"' in response.text
    assert _people() == 0
    response = client.post(
        _url(d, "/add-person"),
        data=_new(nik=NIK, birth_on="1980-08-05", sex="female"),
    )
    assert response.status_code == 302
    assert db.session.scalars(db.select(Person)).one().nik == NIK


def test_a_road_leg_requires_nothing(client, login, setup, make_trip, make_leg):
    make_leg(make_trip(setup["event"]), mode=LegMode.ROAD)
    login(setup["head"])
    response = client.post(_url(setup["delegation"], "/add-person"), data=_new())
    assert response.status_code == 302


TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("sea", [False, True], ids=["land", "sea"])
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"nik": "190101450880000"}, "NIK harus terdiri dari 16 angka."),
        ({"nik": "19010145088000031"}, "NIK harus terdiri dari 16 angka."),
        ({"nik": "19010145O880000A"}, "NIK harus terdiri dari 16 angka."),
        ({"nik": "１９０１０１４５０８８０００３"}, "NIK harus terdiri dari 16 angka."),
        (
            {"nik": "0001014508800003"},
            "Dua angka pertama NIK bukan kode provinsi yang dikenal.",
        ),
        ({"birth_on": TOMORROW}, "Tanggal lahir tidak boleh di masa depan."),
        ({"birth_on": "1899-12-31"}, "Tanggal lahir tidak boleh sebelum tahun 1900."),
        (
            {"birth_on": "31-02-1980"},
            "Tanggal tidak valid (gunakan format tttt-bb-hh).",
        ),
        ({"sex": "unknown"}, "Pilih salah satu dari daftar."),
    ],
)
def test_bad_identity_is_refused_and_kept(
    client, login, setup, make_trip, make_leg, fields, message, sea
):
    if sea:
        make_leg(make_trip(setup["event"]), mode=LegMode.FERRY)
    d = setup["delegation"]
    login(setup["head"])
    data = {"nik": NIK, "birth_on": "1980-08-05", "sex": "female", **fields}
    response = client.post(_url(d, "/add-person"), data=_new(**data))
    assert response.status_code == 200
    assert message in _errors(response.text)
    assert "Orang baru belum disimpan" in response.text
    for name, value in fields.items():
        if name != "sex":
            assert f'value="{value}"' in response.text
    assert 'value="Citra Baru"' in response.text
    assert _people() == 0
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 0


def test_two_bad_identity_fields_are_reported_together(client, login, by_sea):
    login(by_sea["head"])
    response = client.post(
        _url(by_sea["delegation"], "/add-person"),
        data=_new(nik="12345", birth_on=TOMORROW, sex="female"),
    )
    errors = _errors(response.text)
    assert "NIK harus terdiri dari 16 angka." in errors
    assert "Tanggal lahir tidak boleh di masa depan." in errors


def test_a_nik_already_on_record_is_refused(client, login, by_sea, make_person):
    make_person(full_name="Pemilik NIK", region=region("19.01"), nik=NIK)
    login(by_sea["head"])
    response = client.post(
        _url(by_sea["delegation"], "/add-person"),
        data=_new(nik=NIK, birth_on="1980-08-05", sex="female"),
    )
    assert response.status_code == 200
    # A chapter head is not told whose it is (the same words for any region's NIK).
    assert [e.split(".")[0] for e in _errors(response.text)] == [
        "NIK ini sudah tercatat"
    ]
    assert _people() == 1


# Replacing a delegate -------------------------------------------------------------------


def test_replace_form_carries_identity(client, login, setup, make_delegate):
    d = setup["delegation"]
    old = make_delegate(d)
    login(setup["head"])
    page = client.get(_url(d, f"/delegates/{old.id}/replace")).text
    assert 'id="nik"' in page and 'id="birth_on"' in page and 'id="sex"' in page
    assert OPTIONAL_NOTE in page
    response = client.post(
        _url(d, f"/delegates/{old.id}/replace"),
        data={
            "full_name": "Dedi Pengganti",
            "nik": "1901011708800005",
            "birth_on": "1980-08-17",
            "sex": "male",
        },
    )
    assert response.status_code == 302
    person = db.session.scalars(
        db.select(Person).filter_by(full_name="Dedi Pengganti")
    ).one()
    assert (person.nik, person.birth_on, person.sex) == (
        "1901011708800005",
        date(1980, 8, 17),
        Sex.MALE,
    )


def test_replace_requires_identity_of_a_new_person_at_sea(
    client, login, by_sea, make_delegate
):
    d = by_sea["delegation"]
    old = make_delegate(d)
    login(by_sea["head"])
    url = _url(d, f"/delegates/{old.id}/replace")
    assert REQUIRED_NOTE in client.get(url).text
    before = _people()
    response = client.post(url, data={"full_name": "Dedi Pengganti", "nik": "abc"})
    assert response.status_code == 200
    errors = _errors(response.text)
    assert "NIK harus terdiri dari 16 angka." in errors
    assert "Jenis kelamin wajib diisi untuk manifes kapal/pesawat." in errors
    assert "Tanggal lahir wajib diisi untuk manifes kapal/pesawat." in errors
    assert 'value="Dedi Pengganti"' in response.text and 'value="abc"' in response.text
    assert _people() == before
    assert db.session.get(Delegate, old.id).status == DelegateStatus.NOMINATED


def test_replace_by_a_registered_person_needs_no_identity(
    client, login, by_sea, make_delegate, make_person
):
    d = by_sea["delegation"]
    old = make_delegate(d)
    other = make_person(full_name="Sudah Terdaftar", region=region("19.01"))
    login(by_sea["head"])
    response = client.post(
        _url(d, f"/delegates/{old.id}/replace"), data={"person_id": other.id}
    )
    assert response.status_code == 302


# What the manifest still lacks ----------------------------------------------------------


def test_page_counts_people_lacking_manifest_data(
    client, login, by_sea, make_delegate, make_person
):
    d = by_sea["delegation"]
    bangka = region("19.01")
    complete = make_person(
        full_name="Ani Lengkap",
        region=bangka,
        sex=Sex.FEMALE,
        birth_on=date(1980, 8, 5),
        nik=NIK,
    )
    no_nik = make_person(
        full_name="Budi Tanpa NIK",
        region=bangka,
        sex=Sex.MALE,
        birth_on=date(1975, 1, 2),
    )
    empty = make_person(full_name="Cici Kosong", region=bangka)
    gone = make_person(full_name="Dodi Mundur", region=bangka)
    make_delegate(d, person=complete, status=DelegateStatus.CONFIRMED)
    make_delegate(d, person=no_nik)
    lacking = make_delegate(d, person=empty, status=DelegateStatus.CONFIRMED)
    make_delegate(d, person=gone, status=DelegateStatus.WITHDRAWN)
    login(by_sea["head"])
    page = client.get(_url(d)).text
    assert "2 orang belum lengkap datanya untuk manifes kapal/pesawat" in page
    section = page.split('id="identity-gaps"')[1].split("</section>")[0]
    assert "Budi Tanpa NIK</strong> · kurang: NIK" in section
    assert "Cici Kosong</strong> · kurang: jenis kelamin, tanggal lahir, NIK" in section
    assert "Ani Lengkap" not in section and "Dodi Mundur" not in section
    # Each has a way to fix it: the person's edit page, coming back here after.
    fix = f"/people/{empty.id}/edit?next=/events/{d.event_id}/delegations/{d.id}%23identity-gaps"
    assert f'href="{fix}"' in section
    form = client.get(fix)
    assert form.status_code == 200
    response = client.post(
        fix,
        data={
            "full_name": "Cici Kosong",
            "sex": "female",
            "pillar": "psm",
            "nik": "1901016001900002",
            "birth_on": "1990-01-20",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == (
        f"/events/{d.event_id}/delegations/{d.id}#identity-gaps"
    )
    page = client.get(_url(d)).text
    assert "1 orang belum lengkap datanya" in page
    assert (
        lacking.person.full_name
        not in page.split('id="identity-gaps"')[1].split("</section>")[0]
    )


def test_page_says_when_everyone_is_complete(
    client, login, by_sea, make_delegate, make_person
):
    d = by_sea["delegation"]
    person = make_person(
        region=region("19.01"), sex=Sex.MALE, birth_on=date(1980, 1, 1), nik=NIK
    )
    make_delegate(d, person=person)
    login(by_sea["organiser"])
    page = client.get(_url(d)).text
    assert "lengkap untuk semua peserta" in page
    assert "belum lengkap datanya" not in page


def test_no_count_without_ferry_or_air(client, login, setup, make_delegate):
    make_delegate(setup["delegation"])
    login(setup["head"])
    page = client.get(_url(setup["delegation"])).text
    assert 'id="identity-gaps"' not in page


def test_fix_link_only_for_those_who_may_edit_the_person(
    client, login, by_sea, make_delegate, make_person, make_user
):
    """A head who may see the roster but not a person outside their regions (a
    province delegation's person from another province) gets the count, not the link."""
    d = by_sea["delegation"]
    outsider = make_person(full_name="Orang Luar", region=region("19.71"))
    make_delegate(d, person=outsider)
    login(by_sea["head"])
    section = client.get(_url(d)).text.split('id="identity-gaps"')[1]
    assert "Orang Luar" in section
    assert f"/people/{outsider.id}/edit" not in section


def test_unsafe_next_on_person_edit_is_ignored(client, login, setup, make_person):
    person = make_person()
    login(setup["organiser"])
    response = client.post(
        f"/people/{person.id}/edit?next=//evil.example",
        data={
            "full_name": person.full_name,
            "sex": "",
            "pillar": "psm",
            "region_id": person.region_id,
        },
    )
    assert response.headers["Location"] == f"/people/{person.id}"


@pytest.mark.parametrize("who", ["head", "organiser"])
def test_roster_queries_stay_constant_with_gaps(
    client, login, by_sea, make_delegate, count_queries, who
):
    d = by_sea["delegation"]
    login(by_sea[who])

    def measure() -> int:
        with count_queries() as queries:
            page = client.get(_url(d))
        assert page.status_code == 200
        return len(queries)

    make_delegate(d)
    before = measure()
    for _ in range(8):
        make_delegate(d, status=DelegateStatus.CONFIRMED)
    assert measure() == before
    assert "9 orang belum lengkap datanya" in client.get(_url(d)).text
