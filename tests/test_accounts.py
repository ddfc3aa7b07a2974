"""Account administration, invitations, profile and password change."""

from __future__ import annotations

import functools
import logging
import re

import pytest
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import User
from tests.conftest import PASSWORD, IsolatedClient, region

NEW_PASSWORD = "Kopi-Tubruk-Pagi-2024"
ADMIN_PAGES = [
    ("get", "/accounts/"),
    ("get", "/accounts/invite"),
    ("post", "/accounts/invite"),
    ("get", "/accounts/{id}/edit"),
    ("post", "/accounts/{id}/edit"),
    ("post", "/accounts/{id}/invitation"),
]


@pytest.fixture
def client(app):
    """Requests isolated from the test's app context, as in real use."""
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Cheap password hashes in these tests: scrypt costs ~0.4 s per hash and check."""
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("planner.models.user.generate_password_hash", fast)
    dummy = fast("dummy")
    monkeypatch.setattr("planner.services.accounts._dummy_hash", lambda: dummy)


def _reload(user_id: int) -> User:
    """The user as the database has it now (the requests used their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user_id)


def _user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.execute(
        db.select(User).filter_by(email=email)
    ).scalar_one_or_none()


def _invitation_link(caplog) -> str:
    links = re.findall(r"http://localhost(/auth/invitation/[\w.\-]+)", caplog.text)
    assert links, caplog.text
    return links[-1]


def _invite_data(**kw) -> dict:
    data = {"email": "baru@example.org", "display_name": "Rahmat Hidayat"}
    data.update(kw)
    return data


# Who may open what ------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_admin_pages_send_anonymous_to_sign_in(client, make_user, method, path):
    other = make_user("organiser")
    response = getattr(client, method)(path.format(id=other.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("role", ["organiser", "chapter_head", "participant", "none"])
@pytest.mark.parametrize(("method", "path"), ADMIN_PAGES)
def test_admin_pages_are_forbidden_to_others(
    client, make_user, login, role, method, path
):
    other = make_user("organiser")
    other.password_hash = None
    db.session.commit()
    login(make_user(role))
    response = getattr(client, method)(path.format(id=other.id), data=_invite_data())
    assert response.status_code == 403
    assert "Akses ditolak" in response.get_data(as_text=True)
    assert _user_by_email("baru@example.org") is None


@pytest.mark.parametrize("path", ["/accounts/profile", "/accounts/password"])
def test_own_pages_need_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


@pytest.mark.parametrize("role", ["organiser", "chapter_head", "participant", "none"])
def test_every_account_reaches_its_profile(client, make_user, login, role):
    login(make_user(role))
    assert client.get("/accounts/profile").status_code == 200
    assert client.get("/accounts/password").status_code == 200


# The list ---------------------------------------------------------------------


def test_list_shows_roles_regions_and_searches(client, make_user, login):
    admin = make_user("admin", display_name="Admin Pusat")
    make_user("chapter_head", display_name="Ketua Bangka", regions=["19.01"])
    make_user("participant", display_name="Peserta Satu", email="satu@desa.id")
    login(admin)
    page = client.get("/accounts/").get_data(as_text=True)
    for text in (
        "Admin Pusat",
        "Ketua Bangka",
        "Peserta Satu",
        "Ketua wilayah",
        "Peserta",
    ):
        assert text in page
    assert region_name("19.01") in page

    page = client.get("/accounts/", query_string={"q": "BANGKA"}).get_data(as_text=True)
    assert "Ketua Bangka" in page and "Peserta Satu" not in page
    page = client.get("/accounts/", query_string={"q": "desa.id"}).get_data(
        as_text=True
    )
    assert "Peserta Satu" in page and "Ketua Bangka" not in page
    page = client.get("/accounts/", query_string={"q": "100%_"}).get_data(as_text=True)
    assert "Tidak ada akun yang cocok" in page
    response = client.get("/accounts/", query_string={"q": "<script>x</script>" * 500})
    assert response.status_code == 200
    assert "<script>x</script>" not in response.get_data(as_text=True)


def region_name(code: str) -> str:
    return region(code).name


@pytest.mark.parametrize("app_config", [{"PAGE_SIZE": 2}])
def test_list_is_paginated(client, make_user, login):
    admin = make_user("admin", display_name="A Admin")
    for name in ("B Satu", "C Dua", "D Tiga"):
        make_user("organiser", display_name=name)
    login(admin)
    first = client.get("/accounts/").get_data(as_text=True)
    assert "A Admin" in first and "B Satu" in first and "C Dua" not in first
    assert "Halaman 1 dari 2" in first
    second = client.get("/accounts/", query_string={"page": 2}).get_data(as_text=True)
    assert "C Dua" in second and "D Tiga" in second and "B Satu" not in second
    assert client.get("/accounts/", query_string={"page": "abc"}).status_code == 200


def test_list_query_count_does_not_grow(client, make_user, login, count_queries):
    login(make_user("admin"))

    def add_users(n):
        for i in range(n):
            make_user("chapter_head", regions=["19.01", "19.71"])
            make_user("participant", person=None)
            make_user("organiser", last_login_at=None)
            if i % 2:
                make_user("admin")

    add_users(2)
    with count_queries() as few:
        assert client.get("/accounts/").status_code == 200
    add_users(6)
    with count_queries() as many:
        assert client.get("/accounts/").status_code == 200
    assert len(many) == len(few), many


# Invitations ------------------------------------------------------------------


def test_invitation_end_to_end(app, client, make_user, make_person, login, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    person = make_person(full_name="Rahmat Hidayat")
    login(make_user("admin"))
    bangka, province = region("19.01"), region("19")
    response = client.post(
        "/accounts/invite",
        data=_invite_data(
            email="  Baru@Example.ORG ",
            is_organiser="y",
            region_ids=[str(bangka.id), str(province.id)],
            person_id=str(person.id),
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    user = _user_by_email("baru@example.org")
    assert user.password_hash is None
    assert user.is_organiser and not user.is_admin
    assert {r.code for r in user.regions} == {"19", "19.01"}
    assert user.person_id == person.id
    assert "To: baru@example.org" in caplog.text
    link = _invitation_link(caplog)

    invited = app.test_client()
    page = invited.get(link).get_data(as_text=True)
    assert 'value="Rahmat Hidayat"' in page
    response = invited.post(
        link,
        data={
            "display_name": "Rahmat H.",
            "password": "baru-baru-1",
            "confirm": "baru-baru-1",
        },
    )
    assert "memuat alamat email" in response.get_data(as_text=True)
    assert _reload(user.id).password_hash is None
    response = invited.post(
        link,
        data={
            "display_name": "Rahmat H.",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert invited.get("/accounts/profile").status_code == 200
    user = _reload(user.id)
    assert user.display_name == "Rahmat H."
    assert user.check_password(NEW_PASSWORD)
    assert user.last_login_at is not None

    # Single-use: the link is dead once a password exists.
    assert app.test_client().get(link).status_code == 400
    other = app.test_client()
    response = other.post(
        "/auth/login", data={"email": "baru@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_invited_account_can_ask_for_its_invitation_again(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    user = make_user("organiser")
    user.password_hash = None
    db.session.commit()
    client.post("/auth/forgot", data={"email": user.email})
    assert client.get(_invitation_link(caplog)).status_code == 200


def test_resending_an_invitation_kills_the_old_link(client, make_user, login, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    login(make_user("admin"))
    client.post("/accounts/invite", data=_invite_data())
    first = _invitation_link(caplog)
    user = _user_by_email("baru@example.org")
    response = client.post(f"/accounts/{user.id}/invitation")
    assert response.status_code == 302
    second = _invitation_link(caplog)
    assert first != second
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_active_account_needs_no_invitation(client, make_user, login, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    login(make_user("admin"))
    active = make_user("organiser")
    response = client.post(f"/accounts/{active.id}/invitation", follow_redirects=True)
    assert "undangan tidak diperlukan" in response.get_data(as_text=True)
    assert "Subject:" not in caplog.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "ADA@example.org"}, "Email ini sudah dipakai akun lain."),
        ({"email": "bukan-email"}, "Alamat email tidak valid."),
        ({"email": "x" * 10_000 + "@example.org"}, "Alamat email terlalu panjang."),
        ({"display_name": ""}, "Isi nama tampilan."),
        ({"display_name": "n" * 500}, "Nama paling banyak 120 karakter."),
        ({"person_id": "999999"}, "Tidak ada orang dengan ID 999999."),
        ({"person_id": "abc"}, "ID orang harus bilangan bulat positif."),
        (
            {"person_id": "99999999999999999999999"},
            "ID orang harus bilangan bulat positif.",
        ),
        ({"region_ids": ["999999"]}, "Wilayah yang dipilih tidak dikenal."),
        (
            {"region_ids": ["1; DROP TABLE users"]},
            "Wilayah yang dipilih tidak dikenal.",
        ),
    ],
)
def test_bad_invitations_are_refused_next_to_the_field(
    client, make_user, login, data, message
):
    login(make_user("admin"))
    make_user("organiser", email="ada@example.org")
    before = db.session.scalar(db.select(db.func.count(User.id)))
    response = client.post("/accounts/invite", data=_invite_data(**data))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == before


def test_a_person_links_to_one_account_only(client, make_user, make_person, login):
    person = make_person(full_name="Sudah Punya Akun")
    make_user("participant", person=person)
    login(make_user("admin"))
    response = client.post(
        "/accounts/invite", data=_invite_data(person_id=str(person.id))
    )
    assert "sudah terhubung ke akun lain" in response.get_data(as_text=True)
    assert _user_by_email("baru@example.org") is None


def test_invite_form_groups_regions_by_province(client, make_user, login):
    login(make_user("admin"))
    page = client.get("/accounts/invite").get_data(as_text=True)
    assert page.count("<optgroup") == 38
    assert "Seluruh provinsi" in page


# Editing ----------------------------------------------------------------------


def test_admin_edits_roles_regions_and_status(client, make_user, make_person, login):
    login(make_user("admin"))
    user = make_user("organiser")
    person = make_person()
    response = client.post(
        f"/accounts/{user.id}/edit",
        data={
            "display_name": "Nama Baru",
            "is_admin": "y",
            "region_ids": [str(region("19.71").id)],
            "person_id": str(person.id),
            "is_disabled": "y",
        },
    )
    assert response.status_code == 302
    user = _reload(user.id)
    assert user.display_name == "Nama Baru"
    assert user.is_admin and not user.is_organiser and user.is_disabled
    assert [r.code for r in user.regions] == ["19.71"]
    assert user.person_id == person.id
    page = client.get(f"/accounts/{user.id}/edit").get_data(as_text=True)
    assert "Nonaktif" in page
    assert client.get("/accounts/999999/edit").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"is_admin": "y", "is_disabled": "y"}, "tidak dapat menonaktifkan akun Anda"),
        ({}, "tidak dapat mencabut peran admin Anda"),
    ],
)
def test_admin_cannot_lock_themselves_out(client, make_user, login, data, message):
    admin = make_user("admin")
    login(admin)
    response = client.post(
        f"/accounts/{admin.id}/edit", data={"display_name": "Saya", **data}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    admin = _reload(admin.id)
    assert admin.is_admin and not admin.is_disabled
    assert admin.display_name != "Saya"


# Profile and password ---------------------------------------------------------


def test_profile_changes_name_and_language(client, make_user, login):
    user = make_user("participant")
    login(user)
    response = client.post(
        "/accounts/profile",
        data={"display_name": "<script>alert(1)</script>", "locale": "en"},
    )
    assert response.status_code == 302
    user = _reload(user.id)
    assert user.locale == "en"
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page

    client.post("/language", data={"lang": "id"})  # read the messages in Indonesian
    response = client.post(
        "/accounts/profile", data={"display_name": "X", "locale": "xx"}
    )
    assert response.status_code == 200
    assert "Pilih bahasa dari daftar." in response.get_data(as_text=True)
    assert _reload(user.id).display_name == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"current_password": "salah-salah-1"}, "Kata sandi saat ini salah."),
        ({"password": "rahasia123", "confirm": "rahasia123"}, "terlalu umum"),
        ({"password": "pendek", "confirm": "pendek"}, "minimal 10 karakter"),
        ({"confirm": "tidak-sama-123"}, "Kedua kata sandi tidak sama."),
        ({"password": PASSWORD, "confirm": PASSWORD}, "harus berbeda"),
    ],
)
def test_bad_password_changes_are_refused(client, make_user, login, data, message):
    user = make_user("organiser")
    login(user)
    form = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    form.update(data)
    response = client.post("/accounts/password", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _reload(user.id).check_password(PASSWORD)


def test_password_change_ends_other_sessions_only(app, client, make_user):
    user = make_user("organiser")
    laptop, phone = client, app.test_client()
    for device in (laptop, phone):
        response = device.post(
            "/auth/login",
            data={"email": user.email, "password": PASSWORD, "remember": "y"},
        )
        assert response.status_code == 302
    old_phone_cookie = phone.get_cookie("remember_token").value

    response = laptop.post(
        "/accounts/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert laptop.get("/accounts/profile").status_code == 200
    # The other device is out, even with its remember cookie.
    assert phone.get("/accounts/profile").status_code == 302
    stale = app.test_client()
    stale.set_cookie("remember_token", old_phone_cookie)
    assert stale.get("/accounts/profile").status_code == 302
    # The laptop's new remember cookie still works on its own.
    renewed = app.test_client()
    renewed.set_cookie("remember_token", laptop.get_cookie("remember_token").value)
    assert renewed.get("/accounts/profile").status_code == 200


# Without a mail server ----------------------------------------------------------


def test_without_a_mail_server_the_admin_is_told_and_given_the_link(
    client, make_user, login, caplog
):
    caplog.set_level(logging.WARNING, logger="planner")
    login(make_user("admin"))
    response = client.post(
        "/accounts/invite", data=_invite_data(), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    # Logged where gunicorn shows it (WARNING), not at INFO.
    link = _invitation_link(caplog)
    assert all(r.levelno >= logging.WARNING for r in caplog.records if "To:" in r.msg)
    assert "Undangan dikirim" not in page
    assert "TIDAK dikirim" in page
    assert f"http://localhost{link}" in page
    user = _user_by_email("baru@example.org")
    again = client.post(f"/accounts/{user.id}/invitation", follow_redirects=True)
    assert "TIDAK dikirim" in again.get_data(as_text=True)
    assert "/auth/invitation/" in again.get_data(as_text=True)
