"""Every response carries the protective headers; HSTS and Secure cookies over HTTPS."""

import pytest

from planner import create_app
from planner.security import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/", "/auth/login", "/events/", "/no-such-page"])
def test_headers_on_every_response(client, path):
    response = client.get(path)
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_only_over_https(client):
    response = client.get("/auth/login", base_url="https://rombongan.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_hold_no_inline_script_or_style(client, app):
    """The policy forbids inline code; the templates must not need it."""
    for path in ("/", "/auth/login", "/auth/forgot"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html
        assert " style=" not in html and "<style" not in html


def test_secure_cookies_when_served_over_https(tmp_path, database_url):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "x",
            "PREFERRED_URL_SCHEME": "https",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    plain = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})
    assert plain.config["SESSION_COOKIE_SECURE"] is False
