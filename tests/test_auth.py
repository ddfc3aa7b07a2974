"""Sign-in, sessions, rate limits, password reset links and outgoing mail."""

from __future__ import annotations

import functools
import logging
import re

import pytest
from werkzeug.security import generate_password_hash

from planner import create_app
from planner.extensions import db, limiter
from planner.models import User
from planner.services import PlannerError
from planner.services.accounts import check_password_rules, make_token
from tests.conftest import PASSWORD, IsolatedClient

NEW_PASSWORD = "Kopi-Tubruk-Pagi-2024"
RATE_LIMITED = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}


def _reload(user: User) -> User:
    """The user as the database has it now (the requests used their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user.id)


def _link(caplog, kind: str) -> str:
    """The path of the last link of this kind written to the mail log."""
    links = re.findall(rf"http://localhost(/auth/{kind}/[\w.\-]+)", caplog.text)
    assert links, caplog.text
    return links[-1]


def _post_login(client, email, password, **kw):
    return client.post("/auth/login", data={"email": email, "password": password}, **kw)


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


@pytest.fixture
def fresh_limiter(app):
    """Empty rate-limit counters before and after the test."""
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


# Signing in -------------------------------------------------------------------


def test_login_page_has_the_fields(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'name="email"' in page
    assert 'name="password"' in page
    assert 'name="remember"' in page
    assert "Lupa kata sandi?" in page


def test_sign_in_with_any_case_and_spaces(client, make_user):
    user = make_user("organiser", email="siti@example.org")
    response = _post_login(client, "  SITI@Example.ORG ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/events/"  # an organiser of no event yet
    assert client.get("/accounts/profile").status_code == 200
    assert _reload(user).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("siti@example.org", "salah-sekali-123"), ("tidak-ada@example.org", PASSWORD)],
)
def test_failed_sign_in_is_generic_and_keeps_only_the_email(
    client, make_user, email, password
):
    make_user("organiser", email="siti@example.org")
    response = _post_login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Email atau kata sandi salah." in page
    assert f'value="{email}"' in page
    assert password not in page
    assert client.get("/accounts/profile").status_code == 302


def test_disabled_account_cannot_sign_in(client, make_user):
    user = make_user("organiser", is_disabled=True)
    response = _post_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "Email atau kata sandi salah." in response.get_data(as_text=True)


def test_invited_account_without_password_cannot_sign_in(client, make_user):
    user = make_user("organiser")
    user.password_hash = None
    db.session.commit()
    for password in (PASSWORD, ""):
        response = _post_login(client, user.email, password)
        assert response.status_code == 200
    assert client.get("/accounts/profile").status_code == 302


def test_disabling_an_account_ends_its_session(client, make_user, login):
    user = make_user("organiser")
    login(user)
    assert client.get("/accounts/profile").status_code == 200
    user.is_disabled = True
    db.session.commit()
    response = client.get("/accounts/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_logout_ends_copies_of_the_session_and_remember_cookies(app, client, make_user):
    user = make_user("organiser")
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    session_copy = client.get_cookie("session").value
    remember_copy = client.get_cookie("remember_token").value
    other_device = app.test_client()
    assert _post_login(other_device, user.email, PASSWORD).status_code == 302

    assert client.post("/auth/logout").status_code == 302
    for name, value in (("session", session_copy), ("remember_token", remember_copy)):
        stolen = app.test_client()
        stolen.set_cookie(name, value)
        assert stolen.get("/accounts/profile").status_code == 302, name
    # "Keluar" means out everywhere: the other device's session ended too.
    assert other_device.get("/accounts/profile").status_code == 302
    # Signing in again works.
    assert _post_login(client, user.email, PASSWORD).status_code == 302
    assert client.get("/accounts/profile").status_code == 200


def test_malformed_session_id_is_anonymous(client, make_user):
    user = make_user("organiser")
    for bad in ("garbage", f"{user.id}", f"{user.id}:x", f"{user.id}:999"):
        with client.session_transaction() as session:
            session["_user_id"] = bad
            session["_fresh"] = True
        assert client.get("/accounts/profile").status_code == 302, bad


def test_logout_is_post_only(client, make_user, login):
    login(make_user("organiser"))
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/accounts/profile").status_code == 200
    response = client.post("/auth/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "Anda sudah keluar." in client.get("/auth/login").get_data(as_text=True)
    assert client.get("/accounts/profile").status_code == 302


def test_local_next_is_followed(client, make_user):
    user = make_user("organiser")
    response = client.get("/accounts/profile")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert "next=" in login_url
    response = client.post(login_url, data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/accounts/profile"


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example/x", "javascript:x", "/\\evil.x"]
)
def test_foreign_next_is_not_followed(client, make_user, target):
    user = make_user("organiser")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    # Werkzeug quotes a backslash (/%5Cevil.x), so browsers stay on this host.
    assert location == "/events/" or location.startswith("/%5C")


def test_remember_cookie_survives_a_new_app_instance(app, client, make_user):
    user = make_user("organiser")
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "remember": "y"},
    )
    assert response.status_code == 302
    remember = client.get_cookie("remember_token")
    assert remember is not None

    def fresh_client(secret):
        other = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": secret,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        restarted = other.test_client()
        restarted.set_cookie("remember_token", remember.value)
        status = restarted.get("/accounts/profile").status_code
        with other.app_context():
            db.engine.dispose()
        return status

    assert fresh_client(app.config["SECRET_KEY"]) == 200
    assert fresh_client("another-secret") == 302


def test_without_remember_no_cookie_is_set(client, make_user, login):
    login(make_user("organiser"))
    assert client.get_cookie("remember_token") is None


def test_hostile_input_is_escaped_and_never_a_500(client, make_user):
    make_user("organiser")
    for email in ("a" * 10_000 + "@example.org", "<script>alert(1)</script>"):
        response = _post_login(client, email, "x" * 10_000)
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    response = client.post("/auth/forgot", data={"email": "<script>x</script>"})
    assert response.status_code == 200
    assert "<script>x</script>" not in response.get_data(as_text=True)
    assert "Alamat email tidak valid." in response.get_data(as_text=True)


# CSRF and rate limits ---------------------------------------------------------


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_login_needs_the_csrf_token(client, make_user):
    user = make_user("organiser")
    response = _post_login(client, user.email, PASSWORD)
    assert response.status_code == 400
    assert "Formulir sudah kedaluwarsa" in response.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("app_config", [RATE_LIMITED])
def test_rate_limit_per_address(client, make_user, fresh_limiter):
    for n in range(3):
        response = _post_login(client, f"tamu{n}@example.org", "salah-salah-1")
        assert response.status_code == 200
    response = _post_login(client, "tamu9@example.org", "salah-salah-1")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    # Another address is not affected; GET is never limited.
    other = {"REMOTE_ADDR": "10.9.9.9"}
    assert (
        _post_login(client, "x@example.org", "y", environ_base=other).status_code == 200
    )
    assert client.get("/auth/login").status_code == 200


@pytest.mark.parametrize("app_config", [RATE_LIMITED])
def test_rate_limit_per_account(client, make_user, fresh_limiter):
    user = make_user("organiser", email="target@example.org")
    for n in range(3):
        address = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        response = _post_login(
            client, user.email, "tebak-tebak-1", environ_base=address
        )
        assert response.status_code == 200
    address = {"REMOTE_ADDR": "10.0.0.99"}
    # Even the right password waits now, whatever the case of the email.
    response = _post_login(
        client, " TARGET@example.org", PASSWORD, environ_base=address
    )
    assert response.status_code == 429
    other = make_user("organiser")
    assert (
        _post_login(client, other.email, PASSWORD, environ_base=address).status_code
        == 302
    )


@pytest.mark.parametrize("app_config", [RATE_LIMITED])
def test_successful_sign_ins_do_not_count(app, make_user, fresh_limiter):
    user = make_user("organiser")
    for _ in range(5):
        assert _post_login(app.test_client(), user.email, PASSWORD).status_code == 302


# Password rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek123", "minimal 10 karakter"),
        ("indonesia123", "terlalu umum"),
        ("BISMILLAH123", "terlalu umum"),
        ("Rahasia123", "terlalu umum"),
        ("sitiaminah-2024", "memuat alamat email"),
        ("sitiaminah@example.org", "memuat alamat email"),
    ],
)
def test_weak_passwords_are_refused(app, password, message):
    with app.test_request_context(), pytest.raises(PlannerError, match=message) as exc:
        check_password_rules(password, email="SitiAminah@example.org")
    assert exc.value.field == "password"


def test_a_good_password_passes(app):
    with app.test_request_context():
        check_password_rules(NEW_PASSWORD, email="siti@example.org")
        check_password_rules(
            "ab-cd-ef-gh-ij", email="ab@example.org"
        )  # short local part


# Password reset ---------------------------------------------------------------


def test_password_reset_end_to_end(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    user = make_user("organiser", email="lupa@example.org")
    response = client.post("/auth/forgot", data={"email": " Lupa@Example.org"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert "To: lupa@example.org" in caplog.text
    link = _link(caplog, "reset")
    assert "lupa@example.org" in client.get(link).get_data(as_text=True)

    response = client.post(
        link, data={"password": "indonesia123", "confirm": "indonesia123"}
    )
    assert "terlalu umum" in response.get_data(as_text=True)
    response = client.post(
        link, data={"password": NEW_PASSWORD, "confirm": "lain-lain-123"}
    )
    assert "Kedua kata sandi tidak sama." in response.get_data(as_text=True)
    assert _reload(user).check_password(PASSWORD)

    response = client.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert _reload(user).check_password(NEW_PASSWORD)

    # The link is single-use.
    response = client.get(link)
    assert response.status_code == 400
    assert "Tautan tidak berlaku" in response.get_data(as_text=True)
    assert (
        client.post(link, data={"password": "X" * 12, "confirm": "X" * 12}).status_code
        == 400
    )
    assert _post_login(client, user.email, PASSWORD).status_code == 200
    assert _post_login(client, user.email, NEW_PASSWORD).status_code == 302


def test_without_a_mail_server_the_reset_page_says_nothing_was_sent(
    client, make_user, caplog
):
    caplog.set_level(logging.WARNING, logger="planner")
    user = make_user("organiser", email="lupa@example.org")
    for email in (user.email, "tidak-ada@example.org"):
        response = client.post(
            "/auth/forgot", data={"email": email}, follow_redirects=True
        )
        page = response.get_data(as_text=True)
        assert "TIDAK dikirim" in page and "sudah dikirim" not in page
        assert "/auth/reset/" not in page  # the link is for the account's owner only
    # An administrator finds it in the log gunicorn shows (WARNING and above).
    assert _link(caplog, "reset")


def test_forgot_password_says_the_same_for_unknown_accounts(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    known = make_user("organiser")
    disabled = make_user("organiser", is_disabled=True)
    replies = []
    for email in (known.email, "tidak-ada@example.org", disabled.email):
        response = client.post(
            "/auth/forgot", data={"email": email}, follow_redirects=True
        )
        page = response.get_data(as_text=True)
        replies.append((response.status_code, "Jika alamat itu terdaftar" in page))
    assert replies == [(200, True)] * 3
    assert caplog.text.count("Subject:") == 1
    assert "tidak-ada@example.org" not in caplog.text
    assert disabled.email not in caplog.text


@pytest.mark.parametrize("app_config", [{"PASSWORD_RESET_MAX_AGE": -1}])
def test_expired_reset_link_fails(client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="planner")
    user = make_user("organiser")
    client.post("/auth/forgot", data={"email": user.email})
    link = _link(caplog, "reset")
    assert client.get(link).status_code == 400
    response = client.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert _reload(user).check_password(PASSWORD)


def test_tampered_and_cross_purpose_tokens_fail(app, client, make_user):
    user = make_user("organiser")
    with app.test_request_context():
        reset = make_token(user, "reset")
        invitation = make_token(user, "invitation")
    for path in (
        "/auth/reset/garbage",
        "/auth/reset/" + reset[:-2] + "xx",
        "/auth/reset/" + invitation,
        "/auth/invitation/" + reset,
        "/auth/invitation/" + invitation,  # the account already has a password
        "/auth/reset/" + "a" * 5000,
    ):
        assert client.get(path).status_code == 400, path
    assert client.get("/auth/reset/" + reset).status_code == 200


# Mail -------------------------------------------------------------------------


class FakeSMTP:
    """Records what the mail service asks of an SMTP server."""

    calls: list = []
    fail = False

    def __init__(self, host, port, timeout=None):
        self.calls.append(("connect", host, port))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append(("starttls",))

    def login(self, username, password):
        self.calls.append(("login", username, password))

    def send_message(self, message):
        if self.fail:
            raise OSError("connection reset")
        self.calls.append(("send", message["To"], message.get_content()))


SMTP_CONFIG = {
    "MAIL_SERVER": "smtp.example.org",
    "MAIL_PORT": 2525,
    "MAIL_USE_TLS": True,
    "MAIL_USERNAME": "rombongan",
    "MAIL_PASSWORD": "smtp-secret",
}


@pytest.mark.parametrize("app_config", [SMTP_CONFIG])
def test_mail_goes_through_smtp_when_configured(client, make_user, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "calls", [])
    user = make_user("organiser")
    client.post("/auth/forgot", data={"email": user.email})
    kinds = [call[0] for call in FakeSMTP.calls]
    assert kinds == ["connect", "starttls", "login", "send"]
    assert FakeSMTP.calls[0][1:] == ("smtp.example.org", 2525)
    assert FakeSMTP.calls[2][1:] == ("rombongan", "smtp-secret")
    assert FakeSMTP.calls[3][1] == user.email
    assert "http://localhost/auth/reset/" in FakeSMTP.calls[3][2]


@pytest.mark.parametrize("app_config", [SMTP_CONFIG])
def test_mail_failure_is_logged_not_a_500(client, make_user, monkeypatch, caplog):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "fail", True)
    user = make_user("organiser")
    response = client.post("/auth/forgot", data={"email": user.email})
    assert response.status_code == 302
    assert "Sending mail to" in caplog.text
