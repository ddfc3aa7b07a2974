"""``flask users create-admin``: the first administrator of a fresh installation."""

from __future__ import annotations

import functools

import pytest
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import User

GOOD_PASSWORD = "Kopi-Tubruk-Pagi-2024"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Cheap password hashes here: scrypt costs ~0.4 s per hash and check."""
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("planner.models.user.generate_password_hash", fast)


@pytest.fixture
def at_terminal(monkeypatch):
    """Pretend a person types at a terminal: the password is prompted for, twice."""
    monkeypatch.setattr("planner.blueprints.accounts.cli._stdin_is_tty", lambda: True)


def _create(runner, *args, input=None):
    return runner.invoke(args=["users", "create-admin", *args], input=input)


def _users(app) -> list[User]:
    with app.app_context():
        return list(db.session.scalars(db.select(User)))


def test_piped_password_creates_an_admin_who_can_sign_in(app, runner, client):
    """``echo secret | flask users create-admin EMAIL``: an active admin, signed in."""
    result = _create(runner, " Admin@Dinsos.go.ID ", input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Admin admin@dinsos.go.id dibuat." in result.output
    [user] = _users(app)
    assert user.email == "admin@dinsos.go.id"
    assert user.is_admin and user.is_active and not user.is_organiser
    assert user.display_name == "Administrator"

    response = client.post(
        "/auth/login",
        data={"email": "admin@dinsos.go.id", "password": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/accounts/").status_code == 200  # admins only


def test_prompted_twice_at_a_terminal(app, runner, at_terminal):
    """At a terminal the password is asked twice, hidden, and the name is an option."""
    result = _create(
        runner,
        "ketua@ipsm.or.id",
        "--name",
        "Ketua IPSM",
        input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Kata sandi:" in result.output and "Ulangi kata sandi:" in result.output
    assert GOOD_PASSWORD not in result.output
    [user] = _users(app)
    assert user.display_name == "Ketua IPSM" and user.check_password(GOOD_PASSWORD)


def test_mismatched_passwords_create_nothing(app, runner, at_terminal):
    """Two different passwords: an Indonesian message, exit status 1, no account."""
    result = _create(
        runner, "a@dinsos.go.id", input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}x\n"
    )
    assert result.exit_code == 1
    assert "Kedua kata sandi tidak sama" in result.output
    assert _users(app) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek", "Kata sandi minimal 10 karakter."),
        ("password123", "terlalu umum"),
        ("pak.budi.2024!", "tidak boleh sama dengan atau memuat alamat email"),
        ("x" * 201 + "Aa1", "paling banyak 200 karakter"),
        ("", "Kata sandi kosong."),
    ],
)
def test_weak_passwords_are_refused_by_the_account_rules(
    app, runner, password, message
):
    """The same rules as every password form of the app; nothing is created."""
    result = _create(runner, "pak.budi@dinsos.go.id", input=password + "\n")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Tidak ada akun yang dibuat." in result.output
    assert _users(app) == []


def test_bad_email_is_refused(app, runner):
    """An address nobody could sign in with is refused before any password is read."""
    result = _create(runner, "bukan-email", input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 1
    assert "Alamat email tidak valid." in result.output
    assert _users(app) == []


def test_existing_email_is_refused_unchanged(app, runner, make_user):
    """A taken email: refused with a hint at --promote; the account stays as it was."""
    user = make_user("organiser", email="sudah@ada.id")
    before = user.password_hash
    result = _create(runner, "SUDAH@ada.id", input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 1
    assert "sudah dipakai akun lain" in result.output and "--promote" in result.output
    [again] = _users(app)
    assert not again.is_admin and again.password_hash == before


def test_promote_makes_an_existing_account_admin(app, runner, make_user):
    """--promote: admin and active again, password untouched, none asked for."""
    user = make_user("chapter_head", email="ketua@ada.id", is_disabled=True)
    before = user.password_hash
    result = _create(runner, "ketua@ada.id", "--promote")
    assert result.exit_code == 0, result.output
    assert "Akun ketua@ada.id sekarang admin." in result.output
    [again] = _users(app)
    assert again.is_admin and not again.is_disabled
    assert again.password_hash == before
