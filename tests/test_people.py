"""People: phone and NIK rules, who sees whom, the forms and their bad input."""

from __future__ import annotations

import re

import pytest
from flask import g

from planner import permissions
from planner.extensions import db
from planner.models import Person, Sex, SocialPillar
from planner.services import PlannerError
from planner.services.people import (
    find_similar_people,
    format_phone,
    normalise_nik,
    normalise_phone,
)
from tests.conftest import region

NIK = "1901012345678901"
OTHER_NIK = "1971024501900002"


def form(**overrides) -> dict:
    """A complete, valid person form; ``region_id`` defaults to Kabupaten Bangka."""
    data = {
        "full_name": "Rahmawati Uji",
        "sex": "female",
        "phone": "",
        "email": "",
        "region_id": str(region("19.01").id),
        "pillar": "psm",
        "position": "",
        "institution": "",
        "nik": "",
        "birth_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def request_ctx(app):
    """A request context, for calling services whose messages go through gettext."""
    with app.test_request_context():
        yield app


def people_named(name: str) -> list[Person]:
    """People with exactly this name, read fresh from the database."""
    db.session.expire_all()
    return list(db.session.scalars(db.select(Person).filter_by(full_name=name)))


def page(response) -> str:
    return response.get_data(as_text=True)


# Phone numbers and NIK ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0717) 421234", "+62717421234"),
        ("021-555-1234", "+62215551234"),
        ("+65 6123 4567", "+6561234567"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_normalise_phone_accepts_common_ways_of_writing(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["123", "0812", "abc", "0812-3456-7890 ext", "08123456789012345678", "1" * 300],
)
def test_normalise_phone_refuses_invalid_numbers(request_ctx, raw):
    with pytest.raises(PlannerError) as info:
        normalise_phone(raw)
    assert info.value.field == "phone"
    assert str(info.value).startswith("Nomor telepon tidak valid (contoh: 0812")


def test_format_phone_reads_like_a_number():
    assert format_phone("+6281234567890") == "+62 812-3456-7890"
    assert format_phone(None) == ""
    assert format_phone("garbage") == "garbage"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1901012345678901", "1901012345678901"),
        ("1901 0123 4567 8901", "1901012345678901"),
        ("19.01.01.2345678901", "1901012345678901"),
        ("  ", None),
        (None, None),
    ],
)
def test_normalise_nik_strips_separators(request_ctx, raw, expected):
    assert normalise_nik(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "190101234567890",  # 15 digits
        "19010123456789012",  # 17 digits
        "19010123456789O1",  # a letter O
        "１９０１０１２３４５６７８９０１",  # full-width digits
        "0001012345678901",  # province 00
        "2001012345678901",  # 20 is in range but not a province
        "9901012345678901",  # beyond the last province code
        "1901-0123-4567-8901",  # dashes are not stripped
    ],
)
def test_normalise_nik_refuses_bad_ones(request_ctx, raw):
    with pytest.raises(PlannerError) as info:
        normalise_nik(raw)
    assert info.value.field == "nik"


def test_find_similar_people_matches_name_in_region_or_phone(make_person):
    same = make_person(full_name="Budi Santoso", region=region("19.01"))
    make_person(full_name="Budi Santoso", region=region("19.71"))
    by_phone = make_person(full_name="Lain", phone="+6281234567890")
    found = find_similar_people("  budi   santoso ", region("19.01").id, None)
    assert found == [same]
    assert find_similar_people("X", None, "+6281234567890") == [by_phone]
    assert (
        find_similar_people(
            "Budi Santoso", region("19.01").id, None, exclude_id=same.id
        )
        == []
    )


# Organisers ---------------------------------------------------------------------------


def test_pages_need_sign_in(client, make_person):
    person = make_person()
    for url in (
        "/people/",
        "/people/new",
        f"/people/{person.id}",
        f"/people/{person.id}/edit",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_organiser_creates_shows_and_edits_a_person(client, login, make_user):
    login(make_user("organiser"))
    response = client.get("/people/new")
    assert response.status_code == 200
    assert "Kota Pangkal Pinang (19.71)" in page(response)
    assert "Kabupaten Jember" in page(response)  # organisers may choose any region

    response = client.post(
        "/people/new",
        data=form(
            phone="0812-3456-7890",
            email="rahma@example.org",
            nik="1901 0123 4567 8901",
            birth_on="1980-05-17",
            position="Ketua IPSM Kabupaten Bangka",
            institution="Dinas Sosial Kabupaten Bangka",
            notes="Vegetarian",
        ),
    )
    assert response.status_code == 302, page(response)
    [person] = people_named("Rahmawati Uji")
    assert person.phone == "+6281234567890"
    assert person.nik == NIK
    assert person.sex == Sex.FEMALE
    assert person.region.code == "19.01"
    assert response.headers["Location"].endswith(f"/people/{person.id}")

    html = page(client.get(f"/people/{person.id}"))
    assert "Rahmawati Uji" in html
    assert "+62 812-3456-7890" in html
    assert "17 Mei 1980" in html
    assert "Ketua IPSM Kabupaten Bangka" in html
    assert "Tampilkan NIK" in html and NIK in html

    html = page(client.get(f"/people/{person.id}/edit"))
    assert 'value="+62 812-3456-7890"' in html

    response = client.post(
        f"/people/{person.id}/edit",
        data=form(
            full_name="Rahmawati Santoso",
            sex="",
            phone="+62 811 717 1234",
            region_id=str(region("19.71").id),
            pillar="tksk",
            nik=NIK,
        ),
    )
    assert response.status_code == 302, page(response)
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert person.full_name == "Rahmawati Santoso"
    assert person.sex is None
    assert person.phone == "+628117171234"
    assert person.region.code == "19.71"
    assert person.pillar == SocialPillar.TKSK
    assert person.email is None


def test_only_name_and_region_are_needed(client, login, make_user):
    login(make_user("organiser"))
    response = client.post(
        "/people/new",
        data={"full_name": "Minimal", "region_id": str(region("19.01").id)},
    )
    assert response.status_code == 302, page(response)
    [person] = people_named("Minimal")
    assert person.pillar == SocialPillar.PSM
    assert (person.sex, person.phone, person.nik, person.birth_on) == (None,) * 4


def test_unknown_person_is_404(client, login, make_user):
    login(make_user("organiser"))
    assert client.get("/people/999999").status_code == 404
    assert client.get("/people/999999/edit").status_code == 404


def test_duplicate_nik_is_refused_with_the_owner_named(
    client, login, make_user, make_person
):
    make_person(full_name="Pemilik NIK", nik=NIK, region=region("19.01"))
    login(make_user("organiser"))
    response = client.post("/people/new", data=form(nik=NIK))
    assert response.status_code == 200
    assert "NIK sudah terdaftar atas nama Pemilik NIK." in page(response)
    assert people_named("Rahmawati Uji") == []


def test_duplicate_nik_tells_a_chapter_head_nothing_about_other_regions(
    client, login, make_user, make_person
):
    make_person(full_name="Orang Kota", nik=OTHER_NIK, region=region("19.71"))
    make_person(full_name="Orang Bangka", nik=NIK, region=region("19.01"))
    login(make_user("chapter_head", regions=["19.01"]))
    elsewhere = page(client.post("/people/new", data=form(nik=OTHER_NIK)))
    own_region = page(client.post("/people/new", data=form(nik=NIK)))
    message = (
        "NIK ini sudah tercatat. Cari NIK ini di daftar Orang; bila orangnya tidak "
        "ada di sana, periksa lagi angkanya atau hubungi panitia."
    )
    # The same words whether the holder is theirs or not: an answer naming only
    # people of their own regions would tell them the others are elsewhere.
    assert message in elsewhere and message in own_region
    assert "Orang Kota" not in elsewhere and "Orang Bangka" not in own_region
    assert "sudah terdaftar" not in elsewhere + own_region
    assert people_named("Rahmawati Uji") == []


def test_likely_duplicate_warns_once_then_saves_when_confirmed(
    client, login, make_user, make_person
):
    make_person(full_name="Rahmawati Uji", region=region("19.01"))
    login(make_user("organiser"))
    response = client.post("/people/new", data=form(full_name="rahmawati  uji"))
    assert response.status_code == 200
    assert "Mungkin orang ini sudah terdaftar" in page(response)
    assert 'name="confirm_duplicate"' in page(response)
    assert len(people_named("rahmawati uji")) == 0

    response = client.post(
        "/people/new", data=form(full_name="rahmawati  uji", confirm_duplicate="y")
    )
    assert response.status_code == 302
    assert len(people_named("rahmawati uji")) == 1


# Chapter heads ------------------------------------------------------------------------


def test_chapter_head_sees_only_their_regency(client, login, make_user, make_person):
    mine = make_person(
        full_name="Warga Bangka", region=region("19.01"), phone="+6281111111111"
    )
    other = make_person(
        full_name="Warga Kota", region=region("19.71"), phone="+6282222222222"
    )
    login(make_user("chapter_head", regions=["19.01"]))

    html = page(client.get("/people/"))
    assert "Warga Bangka" in html and "+62 811-1111-1111" in html
    assert "Warga Kota" not in html and "222-2222" not in html
    assert "Kota Pangkal Pinang" not in html  # not even in the region filter

    assert client.get(f"/people/{mine.id}").status_code == 200
    assert client.get(f"/people/{other.id}").status_code == 403
    assert client.get(f"/people/{other.id}/edit").status_code == 403
    response = client.post(f"/people/{other.id}/edit", data=form(full_name="Diambil"))
    assert response.status_code == 403
    assert people_named("Diambil") == []


def test_chapter_head_cannot_create_outside_their_regions(client, login, make_user):
    login(make_user("chapter_head", regions=["19.01"]))
    html = page(client.get("/people/new"))
    assert "Kabupaten Bangka (19.01)" in html
    assert "Kota Pangkal Pinang" not in html

    response = client.post("/people/new", data=form(region_id=str(region("19.71").id)))
    assert response.status_code == 200
    assert "Pilih wilayah dari daftar." in page(response)
    response = client.post("/people/new", data=form(region_id=""))
    assert response.status_code == 200
    assert "Pilih wilayah orang ini." in page(response)
    assert people_named("Rahmawati Uji") == []

    response = client.post("/people/new", data=form())
    assert response.status_code == 302
    assert people_named("Rahmawati Uji")[0].region.code == "19.01"


def test_chapter_head_cannot_move_a_person_out_of_their_regions(
    client, login, make_user, make_person
):
    person = make_person(full_name="Warga Bangka", region=region("19.01"))
    login(make_user("chapter_head", regions=["19.01"]))
    response = client.post(
        f"/people/{person.id}/edit",
        data=form(full_name="Warga Bangka", region_id=str(region("19.71").id)),
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Person, person.id).region.code == "19.01"


def test_province_chapter_head_sees_its_cities(client, login, make_user, make_person):
    city = make_person(full_name="Warga Kota", region=region("19.71"))
    make_person(full_name="Warga Jember", region=region("35.09"))
    login(make_user("chapter_head", regions=["19"]))
    html = page(client.get("/people/"))
    assert "Warga Kota" in html
    assert "Warga Jember" not in html
    assert client.get(f"/people/{city.id}").status_code == 200
    response = client.post("/people/new", data=form(region_id=str(region("19.71").id)))
    assert response.status_code == 302


# Participants -------------------------------------------------------------------------


def test_participant_sees_and_edits_only_their_own_record(
    client, login, make_user, make_person
):
    other = make_person(full_name="Orang Lain", region=region("19.71"))
    user = make_user("participant")
    own = user.person
    login(user)

    assert client.get("/people/").status_code == 403
    assert client.get("/people/new").status_code == 403
    assert client.get(f"/people/{other.id}").status_code == 403
    assert client.get(f"/people/{other.id}/edit").status_code == 403
    assert client.get(f"/people/{own.id}").status_code == 200

    html = page(client.get(f"/people/{own.id}/edit"))
    assert 'name="region_id"' not in html
    data = form(full_name=own.full_name, phone="0813 1234 5678")
    data["region_id"] = str(region("19.01").id)  # ignored: the field is not theirs
    response = client.post(f"/people/{own.id}/edit", data=data)
    assert response.status_code == 302, page(response)
    db.session.expire_all()
    own = db.session.get(Person, own.id)
    assert own.phone == "+6281312345678"
    assert own.region.code == "19.71"


# Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": "A" * 10_000}, "Nama paling panjang 200 huruf."),
        ({"full_name": "   "}, "Nama lengkap wajib diisi."),
        ({"email": "not-an-email"}, "Alamat email tidak valid."),
        ({"birth_on": "2999-01-01"}, "Tanggal lahir tidak boleh di masa depan."),
        ({"birth_on": "1899-12-31"}, "Tanggal lahir tidak boleh sebelum tahun 1900."),
        ({"birth_on": "kemarin"}, "Tanggal tidak valid"),
        ({"region_id": "abc"}, "Pilih wilayah dari daftar."),
        ({"region_id": "999999"}, "Pilih wilayah dari daftar."),
        ({"region_id": "9" * 40}, "Pilih wilayah dari daftar."),
        ({"sex": "x"}, "Pilih salah satu dari daftar."),
        ({"pillar": "'; DROP TABLE people; --"}, "Pilih salah satu dari daftar."),
        ({"phone": "123"}, "Nomor telepon tidak valid"),
        ({"nik": "12345"}, "NIK harus terdiri dari 16 angka."),
        ({"position": "J" * 201}, "Paling panjang 200 huruf."),
    ],
)
def test_bad_input_is_refused_next_to_the_field(
    client, login, make_user, overrides, message
):
    login(make_user("organiser"))
    response = client.post("/people/new", data=form(**overrides))
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert "invalid-feedback" in html
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_invalid_phone_keeps_what_was_typed(client, login, make_user):
    login(make_user("organiser"))
    response = client.post("/people/new", data=form(phone="123", notes="catatan saya"))
    html = page(response)
    assert 'value="123"' in html
    assert "catatan saya" in html
    assert 'value="Rahmawati Uji"' in html


def test_script_tags_are_escaped(client, login, make_user):
    login(make_user("organiser"))
    evil = "<script>alert(1)</script>"
    response = client.post("/people/new", data=form(full_name=evil, notes=evil))
    assert response.status_code == 302
    person = people_named(evil)[0]
    html = page(client.get(f"/people/{person.id}"))
    assert evil not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert evil not in page(client.get("/people/"))


def test_bad_query_arguments_do_not_break_the_list(
    client, login, make_user, make_person
):
    make_person(full_name="Warga 100%")
    login(make_user("organiser"))
    for query in (
        "?q=" + "x" * 10_000,
        "?q=%25",
        "?q=_",
        "?q=' OR 1=1 --",
        "?page=-5",
        "?page=abc",
        "?page=99999999999999999999999",
        "?region=<b>&pillar=nope",
    ):
        assert client.get("/people/" + query).status_code == 200, query
    assert "Warga 100%" in page(client.get("/people/?q=100%25"))
    assert "Warga 100%" not in page(client.get("/people/?q=' OR 1=1 --"))


# NIK visibility -----------------------------------------------------------------------


def test_nik_is_masked_for_users_without_access(
    client, login, make_user, make_person, monkeypatch
):
    person = make_person(full_name="Rahasia", nik=NIK)
    login(make_user("organiser"))
    monkeypatch.setattr(permissions, "can_view_nik", lambda user, p: False)

    html = page(client.get(f"/people/{person.id}"))
    assert NIK not in html
    assert "••••••••••••8901" in html
    assert "Tampilkan NIK" not in html
    html = page(client.get(f"/people/{person.id}/edit"))
    assert 'name="nik"' not in html
    assert NIK not in html

    # Saving without the NIK field keeps the NIK.
    response = client.post(f"/people/{person.id}/edit", data=form(full_name="Rahasia"))
    assert response.status_code == 302, page(response)
    db.session.expire_all()
    assert db.session.get(Person, person.id).nik == NIK


def test_nik_is_behind_a_details_element_for_those_with_access(
    client, login, make_user, make_person
):
    person = make_person(full_name="Terbuka", nik=NIK)
    login(make_user("organiser"))
    html = page(client.get(f"/people/{person.id}"))
    details = re.search(r"<details>.*?</details>", html, re.S).group(0)
    assert "Tampilkan NIK" in details and NIK in details
    assert html.count(NIK) == 1


# Search and filters -------------------------------------------------------------------


def test_search_by_name_phone_and_nik(client, login, make_user, make_person):
    make_person(full_name="Siti Aminah", phone="+6281234567890", nik=NIK)
    make_person(full_name="Joko Widodo", phone="+6285600001111")
    login(make_user("organiser"))

    html = page(client.get("/people/?q=aminah"))
    assert "Siti Aminah" in html and "Joko Widodo" not in html
    html = page(client.get("/people/?q=0812-3456"))
    assert "Siti Aminah" in html and "Joko Widodo" not in html
    html = page(client.get("/people/?q=%2B62 856"))
    assert "Joko Widodo" in html and "Siti Aminah" not in html
    html = page(client.get("/people/?q=" + NIK))
    assert "Siti Aminah" in html and "Joko Widodo" not in html
    html = page(client.get("/people/?q=" + NIK[:10]))  # only an exact NIK matches
    assert "Siti Aminah" not in html


def test_search_never_reaches_outside_the_scope(client, login, make_user, make_person):
    make_person(full_name="Siti Kota", nik=NIK, region=region("19.71"))
    login(make_user("chapter_head", regions=["19.01"]))
    assert "Siti Kota" not in page(client.get("/people/?q=Siti"))
    assert "Siti Kota" not in page(client.get("/people/?q=" + NIK))
    assert "Siti Kota" not in page(client.get("/people/?region=19.71"))


def test_filters_by_region_and_pillar(client, login, make_user, make_person):
    make_person(full_name="PSM Bangka", region=region("19.01"))
    make_person(full_name="TKSK Kota", region=region("19.71"), pillar=SocialPillar.TKSK)
    make_person(full_name="PSM Jember", region=region("35.09"))
    login(make_user("organiser"))
    html = page(client.get("/people/?region=19"))
    assert "PSM Bangka" in html and "TKSK Kota" in html and "PSM Jember" not in html
    html = page(client.get("/people/?region=19.71"))
    assert "TKSK Kota" in html and "PSM Bangka" not in html
    html = page(client.get("/people/?pillar=tksk"))
    assert "TKSK Kota" in html and "PSM Bangka" not in html


def test_list_is_paginated(client, login, make_user, make_person, app):
    app.config["PAGE_SIZE"] = 5
    for n in range(12):
        make_person(full_name=f"Orang {n:02d}")
    login(make_user("organiser"))
    html = page(client.get("/people/"))
    assert "Orang 00" in html and "Orang 05" not in html
    assert "Halaman 1 dari 3" in html
    html = page(client.get("/people/?page=3"))
    assert "Orang 10" in html and "Orang 00" not in html


# Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["organiser", "chapter_head"])
def test_list_query_count_does_not_grow(
    client, login, make_user, make_person, count_queries, role
):
    login(make_user(role, regions=["19"] if role == "chapter_head" else ()))

    def add(n):
        for i in range(n):
            code = ("19.01", "19.71", "19.02")[i % 3]
            make_person(region=region(code), phone=f"+62812{i:08d}")

    def fresh_get(url):
        # The test's app context outlives requests; drop the per-request cache so each
        # request counts its own queries, as it would in production.
        g.pop("_covered_region_ids", None)
        return client.get(url)

    add(10)
    with count_queries() as small:
        assert fresh_get("/people/").status_code == 200
    add(30)
    with count_queries() as large:
        html = page(fresh_get("/people/"))
    assert html.count('href="/people/') >= 40
    assert len(large) == len(small), large
    assert len(small) <= 7, small


def test_show_query_count_is_small(
    client, login, make_user, make_person, count_queries
):
    person = make_person(nik=NIK)
    login(make_user("chapter_head", regions=["19"]))
    with count_queries() as queries:
        assert client.get(f"/people/{person.id}").status_code == 200
    assert len(queries) <= 5, queries
