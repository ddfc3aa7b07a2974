"""Several people at once on the delegation page: a list pasted from a spreadsheet
(tabs) or typed with ";", all or nothing, people on record reused."""

from __future__ import annotations

from datetime import date

import pytest
from markupsafe import escape

from planner.extensions import db
from planner.models import Delegate, DelegateStatus, LegMode, Person, Sex
from tests.conftest import region


@pytest.fixture
def roster(make_user, make_event, make_delegation):
    organiser = make_user("organiser")
    head = make_user("chapter_head", regions=("19.01",))
    event = make_event(organisers=[organiser])
    bangka = make_delegation(event, region=region("19.01"), quota=10, head=head)
    return event, bangka, organiser, head


def _url(event, delegation) -> str:
    return f"/events/{event.id}/delegations/{delegation.id}/add-people"


def _people(delegation) -> list[tuple[str, object, object, object]]:
    db.session.expire_all()
    return sorted(
        db.session.execute(
            db.select(Person.full_name, Person.sex, Person.birth_on, Person.nik)
            .join(Delegate, Delegate.person_id == Person.id)
            .where(Delegate.delegation_id == delegation.id)
        ).all()
    )


def test_a_pasted_spreadsheet_nominates_everyone(client, login, roster, make_person):
    event, bangka, _organiser, head = roster
    known = make_person(full_name="Budi Santoso", region=region("19.01"))
    login(head)
    page = client.get(f"/events/{event.id}/delegations/{bangka.id}")
    assert _url(event, bangka) in page.get_data(as_text=True)
    text = (
        "Nama\tL/P\tTanggal lahir\tNIK\tNo HP\n"  # the heading line is skipped
        "Siti  Aminah\tP\t1980-03-01\t1901014103800001\t0812 3456 7890\n"
        "\n"
        "budi santoso\tL\n"
        "Dewi Lestari; Perempuan; 05/12/1990\n"
        "Joko Widodo\n"
    )
    response = client.post(_url(event, bangka), data={"text": text})
    assert response.status_code == 302
    people = _people(bangka)
    assert [p[0] for p in people] == [
        "Budi Santoso",
        "Dewi Lestari",
        "Joko Widodo",
        "Siti Aminah",
    ]
    siti = next(p for p in people if p[0] == "Siti Aminah")
    assert siti[1:] == (Sex.FEMALE, date(1980, 3, 1), "1901014103800001")
    assert db.session.get(Person, known.id).sex == Sex.MALE  # a blank filled in
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 4
    statuses = set(
        db.session.scalars(
            db.select(Delegate.status).filter_by(delegation_id=bangka.id)
        )
    )
    assert statuses == {DelegateStatus.NOMINATED}
    assert "4 orang diusulkan (3 baru, 1 sudah terdaftar)" in client.get(
        f"/events/{event.id}/delegations/{bangka.id}"
    ).get_data(as_text=True)
    # The same list again: everyone is already there, nothing doubles.
    client.post(_url(event, bangka), data={"text": text})
    assert len(_people(bangka)) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Siti Aminah; X", "Tulis L atau P"),
        ("Siti Aminah; P; 31-31-1980", "Tanggal lahir tidak valid"),
        ("Siti Aminah; P; 1980-01-01; 123", "16 angka"),
        ("Siti Aminah; P; ; ; 12ab", "Nomor telepon tidak valid"),
        ("Siti Aminah; P; ; ; ; lebih", "Terlalu banyak kolom"),
        ("Siti Aminah\nsiti aminah", "Orang yang sama sudah ada di baris 1"),
        ("   \n  ", "Tempel minimal satu baris"),
        ("\n".join(f"Orang {n}" for n in range(201)), "Paling banyak 200 baris"),
        ("\n".join(f"Orang {n}" for n in range(11)), "Melebihi kuota"),
        ("<script>alert(1)</script>; X", "Tulis L atau P"),
    ],
)
def test_a_bad_line_saves_nothing_and_says_which(client, login, roster, text, message):
    event, bangka, organiser, _head = roster
    login(organiser)
    response = client.post(_url(event, bangka), data={"text": text})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert _people(bangka) == []
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0
    if text.strip():  # what was pasted is kept, escaped
        assert str(escape(text.strip().splitlines()[0])) in html


def test_ferry_events_need_sex_birth_date_and_nik_on_every_line(
    client, login, roster, make_trip, make_leg
):
    event, bangka, organiser, _head = roster
    make_leg(make_trip(event), mode=LegMode.FERRY)
    login(organiser)
    response = client.post(
        _url(event, bangka),
        data={"text": "Siti Aminah; P; 1980-03-01; 1901014103800001\nJoko; L"},
    )
    html = response.get_data(as_text=True)
    assert "Baris 2, kolom Tanggal lahir: Wajib diisi" in html
    assert "Baris 2, kolom NIK: Wajib diisi" in html
    assert "Baris 1" not in html
    assert _people(bangka) == []


def test_only_who_may_edit_the_delegation(client, login, roster, make_user):
    event, bangka, _organiser, _head = roster
    login(make_user("chapter_head", regions=("19.02",)))
    assert client.get(_url(event, bangka)).status_code == 403
    assert client.post(_url(event, bangka), data={"text": "Siti"}).status_code == 403
    assert _people(bangka) == []


def test_confirming_at_once_takes_quota_places(client, login, roster):
    event, bangka, organiser, _head = roster
    login(organiser)
    response = client.post(
        _url(event, bangka),
        data={"text": "Siti Aminah\nJoko Susilo\nDewi Lestari", "confirm": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    statuses = db.session.scalars(
        db.select(Delegate.status).filter_by(delegation_id=bangka.id)
    ).all()
    assert statuses == [DelegateStatus.CONFIRMED] * 3
    assert db.session.get(type(bangka), bangka.id).confirmed_count == 3


def test_a_nik_of_someone_elsewhere_is_refused_without_naming_them(
    client, login, roster, make_person
):
    event, bangka, _organiser, head = roster
    outsider = make_person(
        full_name="Ahmad Fauzi",
        nik="1971010101800001",
        phone="+6285711112222",
        region=region("19.71"),
    )
    login(head)
    response = client.post(
        _url(event, bangka), data={"text": "Siti Aminah; P; ; 1971010101800001"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "NIK ini milik orang lain" in html
    assert outsider.full_name not in html and "5711112222" not in html
    assert "Kota Pangkal Pinang" not in html
    assert _people(bangka) == []


def test_a_nik_of_someone_in_the_region_with_another_name_is_refused(
    client, login, roster, make_person
):
    event, bangka, _organiser, head = roster
    make_person(full_name="Ahmad Fauzi", nik="1901010101800001", region=region("19.01"))
    login(head)
    response = client.post(
        _url(event, bangka), data={"text": "Siti Aminah; P; ; 1901010101800001"}
    )
    assert "NIK ini milik orang lain (nama berbeda atau di luar wilayah" in (
        response.get_data(as_text=True)
    )
    assert _people(bangka) == []


def test_a_list_pasted_again_completes_those_already_in(client, login, roster):
    """Someone already in the delegation is skipped, never doubled, but the blanks of
    their record take what the new list knows (as for matched people); nothing on
    record is overwritten."""
    event, bangka, organiser, _head = roster
    login(organiser)
    client.post(_url(event, bangka), data={"text": "Joko Widodo; L\nSiti Aminah; P"})
    again = "Joko Widodo; P; 1975-01-02\nSiti Aminah; P; ; ; 0812 3456 7890"
    assert client.post(_url(event, bangka), data={"text": again}).status_code == 302
    people = {p[0]: p[1:] for p in _people(bangka)}
    assert people == {
        "Joko Widodo": (Sex.MALE, date(1975, 1, 2), None),  # sex kept, birth filled
        "Siti Aminah": (Sex.FEMALE, None, None),
    }
    siti = db.session.scalar(db.select(Person).filter_by(full_name="Siti Aminah"))
    assert siti.phone == "+6281234567890"
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 2
