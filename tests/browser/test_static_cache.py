"""What a phone downloads: a cold visit of the sign-in page and of "Perjalanan saya" at
most 100 KB on the wire, and a warm visit asks the server for no static file at all.

Measured in Chromium (on loopback it accepts brotli; `tests/test_static_files.py` checks
the same page within the limit with gzip only): the bytes are the encoded body sizes
Chromium reports for every response of the visit; static requests are counted by the
server itself.
"""

from __future__ import annotations

import pytest

from planner.extensions import db
from planner.services.demo import load_demo
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401

PARTICIPANT = ("peserta@rombongan.test", "demo-peserta-2024")
LIMIT = 100 * 1024


@pytest.fixture
def served(live_app):
    """The demo in the live app, and a list of the static paths the server was asked."""
    with live_app.app_context():
        load_demo()
        db.session.commit()
    asked: list[str] = []

    @live_app.before_request
    def _count():
        from flask import request

        if "/static/" in request.path:
            asked.append(request.path)

    return live_app, asked


def _visit(page, url: str) -> tuple[int, int]:
    """Bytes on the wire (headers excluded) and number of responses of one visit."""
    responses = []

    def seen(response) -> None:
        responses.append(response)

    page.on("response", seen)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", seen)
    total = 0
    for response in responses:
        sizes = response.request.sizes()
        total += max(sizes["responseBodySize"], 0)
    return total, len(responses)


def test_cold_and_warm_visits(browser, served):
    app, asked = served
    base = app.config["LIVE_URL"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)

    cold_login, _ = _visit(page, f"{base}/auth/login")
    assert cold_login <= LIMIT, cold_login
    asked.clear()
    _visit(page, f"{base}/auth/login")
    assert asked == [], asked  # warm: everything from the browser's cache

    page.fill("#email", PARTICIPANT[0])
    page.fill("#password", PARTICIPANT[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/my/trip" in page.url

    cdp.send("Network.clearBrowserCache")  # cold again, signed in
    cold_trip, _ = _visit(page, f"{base}/my/trip")
    assert cold_trip <= LIMIT, cold_trip
    asked.clear()
    _visit(page, f"{base}/my/trip")
    assert asked == [], asked
    print(f"cold sign-in {cold_login:,} B, cold trip {cold_trip:,} B, warm 0 static")
    context.close()
