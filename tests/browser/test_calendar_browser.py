"""A participant subscribes to their own calendar on a phone: "Perjalanan saya" →
"Kalender saya" → the webcal and Google links and a QR code; the address they copy
answers with a calendar holding their trip in WIB."""

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from planner.extensions import db
from planner.services.demo import load_demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_participant_subscribes_to_their_calendar(live_app, phone):
    with live_app.app_context():
        load_demo()
        db.session.commit()
    base = live_app.config["LIVE_URL"]
    phone.goto(f"{base}/auth/login")
    phone.fill("#email", "peserta@rombongan.test")
    phone.fill("#password", "demo-peserta-2024")
    phone.get_by_role("button", name="Masuk").click()

    # Signing in lands a participant on their trips: card and calendar one tap away.
    phone.wait_for_url(f"{base}/my/trip")
    expect(
        phone.get_by_role("link", name="Kartu peserta (QR check-in)").first
    ).to_be_visible()
    screenshot(phone, "participant-landing-my-trip")
    phone.get_by_role("link", name="Kalender saya").first.click()
    main = phone.locator("main")
    webcal = main.locator("a[href^='webcal://']").first
    expect(webcal).to_be_visible()
    expect(
        main.locator("a[href^='https://calendar.google.com/']").first
    ).to_be_visible()
    expect(main.locator("svg").first).to_be_visible()  # the QR code
    screenshot(phone, "calendar-subscribe-phone")

    address = webcal.get_attribute("href").replace("webcal://", "http://", 1)
    assert "/feeds/" in address and address.endswith(".ics")
    response = phone.request.get(address)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    starts = sorted(
        component.decoded("dtstart")
        for component in calendar.walk("VEVENT")
        if str(component.get("uid", "")).startswith("leg-")
    )
    # The tour's first leg leaves Pangkalpinang at 05.00 WIB on 7 May 2024.
    assert starts and starts[0].isoformat() == "2024-05-07T05:00:00+07:00"
