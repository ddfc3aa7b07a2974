"""An organiser plans a small trip end to end in a real browser: a van, the outbound and
return trips, a ferry leg between the shipped ports, automatic seats, the ferry manifest."""

from datetime import date

import pytest
from playwright.sync_api import expect

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Person,
    Place,
    Region,
    Sex,
    User,
)
from tests.browser.conftest import screenshot
from tests.conftest import _PASSWORD_HASH, PASSWORD

pytestmark = pytest.mark.browser


def _region(code: str) -> Region:
    return db.session.execute(db.select(Region).filter_by(code=code)).scalar_one()


def _place(code: str) -> Place:
    return db.session.execute(db.select(Place).filter_by(code=code)).scalar_one()


def test_organiser_plans_a_small_trip(live_app, page):
    with live_app.app_context():
        organiser = User(
            email="panitia@example.org", display_name="Panitia", is_organiser=True
        )
        organiser.password_hash = _PASSWORD_HASH
        bangka = _region("19.01")
        event = Event(
            kind=EventKind.STUDY_TOUR,
            title="Studi Banding Uji",
            slug="studi-banding-uji",
            organiser_body="IPSM Provinsi Kepulauan Bangka Belitung",
            host_region=_region("19"),
            starts_on=date(2027, 5, 4),
            ends_on=date(2027, 5, 6),
            timezone="Asia/Jakarta",
            status=EventStatus.OPEN,
            organisers=[organiser],
        )
        delegation = Delegation(
            event=event, region=bangka, name=bangka.name, quota=3, confirmed_count=3
        )
        for name, sex, born in (
            ("Siti Rahmawati", Sex.FEMALE, date(1980, 3, 1)),
            ("Ahmad Fauzi", Sex.MALE, date(1975, 8, 17)),
            ("Dewi Anggraini", Sex.FEMALE, date(1990, 12, 5)),
        ):
            db.session.add(
                Delegate(
                    event=event,
                    delegation=delegation,
                    person=Person(
                        full_name=name, sex=sex, birth_on=born, region=bangka
                    ),
                    status=DelegateStatus.CONFIRMED,
                )
            )
        db.session.add_all([organiser, event])
        db.session.commit()
        event_id = event.id
        kalian, api_api = (
            _place("port:tanjung-kalian").id,
            _place("port:tanjung-api-api").id,
        )
    base = live_app.config["LIVE_URL"]

    page.goto(f"{base}/auth/login")
    page.fill("#email", "panitia@example.org")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/events/**")

    # A van, with the plate typed carelessly.
    page.goto(f"{base}/events/{event_id}/transport/vehicles/new")
    page.fill("#label", "Travel 1")
    page.select_option("#kind", "travel_van")
    page.fill("#plate", "bn1234ab")
    page.fill("#seats", "7")
    page.fill("#driver_name", "Pak Joko")
    page.fill("#driver_phone", "0812 7777 8888")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("BN 1234 AB")
    screenshot(page, "trip-vehicles")

    # The two usual trips, then a ferry leg with the van aboard.
    page.goto(f"{base}/events/{event_id}/transport/")
    page.get_by_role("button", name="Buat perjalanan Berangkat dan Pulang").click()
    page.get_by_role("link", name="Tambah ruas").first.click()
    # The mode first: it narrows the places offered (ports for a ferry).
    page.select_option("#mode", "ferry")
    # Places are found by typing a few letters (a searchable select), not scrolling.
    page.locator("#from_place_id-ts-control").click()
    page.keyboard.type("kalian")
    page.locator(".ts-dropdown .option", has_text="Tanjung Kalian").first.click()
    assert page.locator("#from_place_id").input_value() == str(kalian)
    page.select_option("#to_place_id", str(api_api))
    assert page.locator("#to_place_id").input_value() == str(api_api)
    page.fill("#departs_on", "2027-05-04")
    page.fill("#departs_time", "08:00")
    page.fill("#arrives_on", "2027-05-04")
    page.fill("#arrives_time", "12:30")
    page.select_option("#vehicle_ids", label="Travel 1 · BN 1234 AB")
    page.fill("#carrier", "ASDP Indonesia Ferry")
    page.fill("#vessel", "KMP Uji Coba")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Pelabuhan Tanjung Kalian")
    expect(page.locator("main")).to_contain_text("08.00 WIB")
    expect(page.locator("main svg").first).to_be_visible()
    screenshot(page, "trip-route")

    # Seats, automatically.
    page.get_by_role("link", name="Kursi").first.click()
    page.get_by_role("button", name="Atur otomatis").click()
    for name in ("Siti Rahmawati", "Ahmad Fauzi", "Dewi Anggraini"):
        expect(page.locator("main")).to_contain_text(name)
    screenshot(page, "trip-seats")

    # The way back in one form: legs reversed, the same van, the seats copied.
    page.goto(f"{base}/events/{event_id}/transport/")
    page.get_by_role("link", name="Buat perjalanan pulang").first.click()
    page.fill("#departs_on", "2027-05-08")
    page.fill("#departs_time", "09:00")
    page.get_by_role("button", name="Buat perjalanan pulang").click()
    expect(page.locator("main")).to_contain_text(
        "Pelabuhan Tanjung Api-Api → Pelabuhan Tanjung Kalian"
    )
    expect(page.locator("main")).to_contain_text("09.00 WIB")
    screenshot(page, "trip-return")

    # The ferry operator's manifest lists everyone aboard with the plate.
    with live_app.app_context():
        leg_id = db.session.execute(db.text("SELECT min(id) FROM legs")).scalar_one()
    page.goto(f"{base}/events/{event_id}/manifests/legs/{leg_id}")
    main = page.locator("main")
    for text in (
        "Siti Rahmawati",
        "Ahmad Fauzi",
        "Dewi Anggraini",
        "Pak Joko",
        "BN 1234 AB",
    ):
        expect(main).to_contain_text(text)
    screenshot(page, "trip-ferry-manifest")
