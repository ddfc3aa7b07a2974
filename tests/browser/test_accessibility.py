"""axe-core (from npm, tests/browser/package.json) on the main pages of the demo, as
each role sees them, in Indonesian and in English: no serious or critical violation of
WCAG 2.1 A/AA. Also: the skip link is the first thing a keyboard reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.extensions import db
from planner.models import Delegation, Event, Trip
from planner.services.demo import load_demo
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ACCOUNTS = {
    "organiser": ("panitia@rombongan.test", "demo-panitia-2024"),
    "head": ("ketua.bangka@rombongan.test", "demo-bangka-2024"),
    "participant": ("peserta@rombongan.test", "demo-peserta-2024"),
}


@pytest.fixture
def demo(live_app):
    """The demo loaded into the live app; the ids the pages need."""
    with live_app.app_context():
        load_demo()
        db.session.commit()
        tour = db.session.scalars(
            db.select(Event)
            .join(Trip, Trip.event_id == Event.id)
            .group_by(Event.id)
            .order_by(db.func.count(Trip.id).desc())
        ).first()
        delegation = db.session.scalars(
            db.select(Delegation).filter_by(event_id=tour.id).order_by(Delegation.id)
        ).first()
        trip = db.session.scalars(
            db.select(Trip).filter_by(event_id=tour.id).order_by(Trip.position)
        ).first()
        return {"event": tour.id, "delegation": delegation.id, "trip": trip.id}


def _pages(ids) -> list[tuple[str, str]]:
    e = ids["event"]
    return [
        ("anonymous", "/auth/login"),
        ("organiser", "/events/"),
        ("organiser", f"/events/{e}"),
        ("organiser", f"/events/{e}/delegations/"),
        ("organiser", f"/events/{e}/delegations/{ids['delegation']}"),
        ("organiser", f"/events/{e}/transport/"),
        ("organiser", f"/events/{e}/transport/trips/{ids['trip']}/seats"),
        ("organiser", f"/events/{e}/manifests/"),
        ("organiser", f"/events/{e}/agenda/"),
        ("organiser", f"/events/{e}/check-in/"),
        ("organiser", f"/events/{e}/rosters/"),
        ("organiser", "/people/"),
        ("head", "/my/delegations"),
        ("participant", "/my/trip"),
    ]


def _violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_main_pages_have_no_serious_accessibility_violation(
    browser, live_app, demo, language
):
    assert AXE.exists(), "run: npm ci --prefix tests/browser (make test does it)"
    base = live_app.config["LIVE_URL"]
    found: dict[str, list[str]] = {}
    pages = _pages(demo)
    for role in ["anonymous", *ACCOUNTS]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != "anonymous":
            email, password = ACCOUNTS[role]
            page.goto(f"{base}/auth/login")
            page.fill("#email", email)
            page.fill("#password", password)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
        page.goto(f"{base}/auth/login" if role == "anonymous" else f"{base}/")
        if language == "en":
            page.locator("button[name=lang][value=en]").click()
            page.wait_for_load_state()
        for who, path in pages:
            if who != role:
                continue
            response = page.goto(base + path)
            assert response.status == 200, (path, response.status)
            problems = _violations(page)
            if problems:
                found[f"{role} {path}"] = problems
        context.close()
    assert not found, "\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items()
    )


def test_the_skip_link_comes_first_and_moves_to_the_content(browser, live_app, demo):
    base = live_app.config["LIVE_URL"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/auth/login")  # its e-mail field takes the focus itself
    page.fill("#email", ACCOUNTS["organiser"][0])
    page.fill("#password", ACCOUNTS["organiser"][1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/people/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    context.close()


def test_a_refused_form_lists_every_error_and_focuses_the_first(
    browser, live_app, demo
):
    """On a phone, after a refused submit: a summary names every refused field (each
    a link), and the first refused field has the focus and is on the screen."""
    base = live_app.config["LIVE_URL"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{base}/auth/login")
    page.fill("#email", ACCOUNTS["organiser"][0])
    page.fill("#password", ACCOUNTS["organiser"][1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{base}/events/{demo['event']}/transport/vehicles/new")
    page.fill("#label", "")
    page.fill("#seats", "0")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator("#form-errors")
    assert summary.locator("a").count() >= 2  # the label and the seats, at least
    first = page.locator("main .is-invalid").first
    first_id = first.get_attribute("id")
    assert page.evaluate("document.activeElement.id") in (
        first_id,
        f"{first_id}-ts-control",
    )
    box = first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 740
    assert page.input_value("#seats") == "0"  # what was typed is kept
    context.close()
