"""What a phone downloads: a cold visit of the sign-in page and of "Perjalanan saya" at
most 100 KB on the wire, and a warm visit asks the server for no static file at all.

A cold visit is a new browser profile (empty cache, no service worker yet). The bytes are
counted by the server: every response body it sends while the visit loads, including what
the service worker fetches to install itself. Chromium on loopback accepts brotli;
``tests/test_static_files.py`` checks the sign-in page within the limit with gzip only.
"""

from __future__ import annotations

import re

import pytest

from planner.extensions import db
from planner.services.demo import load_demo
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401

PARTICIPANT = ("peserta@rombongan.test", "demo-peserta-2024")
LIMIT = 100 * 1024


@pytest.fixture
def served(live_app):
    """The demo in the live app, and what the server sent: (path, body bytes)."""
    with live_app.app_context():
        load_demo()
        db.session.commit()
    sent: list[tuple[str, int]] = []

    @live_app.after_request
    def _count(response):
        from flask import request

        body = 0 if response.status_code == 304 else response.content_length or 0
        sent.append((request.path, body))
        return response

    return live_app, sent


def _settle(page) -> None:
    """Let the visit finish: the page, then the service worker's installation."""
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_load_state("networkidle")


def _static(sent) -> list[str]:
    return [path for path, _ in sent if "/static/" in path]


def _sign_in_without_a_page(context, base: str) -> None:
    """Sign in through HTTP only, so the page visit after it is still cold."""
    form = context.request.get(f"{base}/auth/login").text()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', form
    ) or re.search(r'name="csrf_token" value="([^"]+)"', form)
    response = context.request.post(
        f"{base}/auth/login",
        form={
            "csrf_token": token.group(1),
            "email": PARTICIPANT[0],
            "password": PARTICIPANT[1],
        },
    )
    assert response.ok


@pytest.mark.parametrize("page_name", ["sign-in", "trip"])
def test_cold_and_warm_visits(browser, served, page_name):
    app, sent = served
    base = app.config["LIVE_URL"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    url = f"{base}/auth/login"
    if page_name == "trip":
        _sign_in_without_a_page(context, base)
        url = f"{base}/my/trip"
    page = context.new_page()
    sent.clear()
    page.goto(url)
    _settle(page)
    cold = sum(size for _, size in sent)
    assert "Perjalanan saya" in page.content() or page_name == "sign-in"
    assert cold <= LIMIT, (cold, sent)
    sent.clear()
    page.goto(url)
    _settle(page)
    assert _static(sent) == [], sent  # warm: no static file asked for
    print(f"{page_name}: cold {cold:,} B, warm {sum(s for _, s in sent):,} B, 0 static")
    context.close()
