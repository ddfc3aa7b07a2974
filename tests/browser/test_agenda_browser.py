"""An organiser edits the demo bimtek's run-down in a real browser: "add after this
item", a conflict, shifting the day's later items by 15 minutes; the run-down on
screen, on a phone and in print."""

import re

import pytest
from playwright.sync_api import expect

from planner.extensions import db
from planner.models import Event
from planner.services.demo import load_demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", "panitia@rombongan.test")
    page.fill("#password", "demo-panitia-2024")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/events/**")


def _row(page, title: str):
    """The run-down row of the item with this title (not a row naming it in a warning)."""
    title_element = page.locator(".agenda-title", has_text=title)
    return page.locator("li.agenda-row", has=title_element)


def test_organiser_adds_after_an_item_and_shifts_the_day(live_app, page, phone):
    with live_app.app_context():
        load_demo()
        db.session.commit()
        event_id = db.session.execute(
            db.select(Event.id).filter_by(slug="bimtek-psm-bekasi-2027")
        ).scalar_one()
    base = live_app.config["LIVE_URL"]
    url = f"{base}/events/{event_id}/agenda/"
    _sign_in(page, base)

    page.goto(url)
    main = page.locator("main")
    expect(main).to_contain_text("Selasa, 19 Januari 2027")
    expect(main).to_contain_text("Materi 1: Kehidupan sosial dan kerelawanan")
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()
    expect(page.locator("#conflicts")).to_have_count(0)
    screenshot(page, "agenda-rundown")

    # Day two: "add after" its last item; the form starts at that item's end.
    page.get_by_role("link", name="20 Januari 2027", exact=True).click()
    expect(main).not_to_contain_text("Materi 1:")
    _row(page, "Doa penutup").get_by_role("link", name="Tambah setelah ini").click()
    expect(page.locator("#day")).to_have_value("2027-01-20")
    expect(page.locator("#starts_time")).to_have_value("15:40")
    expect(page.locator("#ends_time")).to_have_value("16:10")
    expect(page.locator("#room")).to_have_value("Aula Utama")
    page.fill("#title", "Foto bersama dan ramah tamah")
    page.select_option("#kind", "other")
    page.fill("#room", "Halaman depan")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"\?day=2027-01-20#item-\d+$"))
    assert page.url.endswith(f"#item-{_last_id(live_app)}")
    expect(_row(page, "Foto bersama dan ramah tamah")).to_contain_text(
        "15.40–16.10 WIB"
    )

    # The closing starts 15 minutes late: shift it and everything after it that day.
    closing = _row(page, "Penutupan dan penyerahan sertifikat")
    closing.locator("summary", has_text="Geser, batalkan, hapus").click()
    closing.get_by_label("Geser mata acara ini dan semua mata acara berikutnya").fill(
        "15"
    )
    closing.get_by_role("button", name="Geser").click()
    expect(main).to_contain_text("3 mata acara digeser 15 menit.")
    for title, times in (
        ("Penutupan dan penyerahan sertifikat", "15.15–15.45 WIB"),
        ("Doa penutup", "15.45–15.55 WIB"),
        ("Foto bersama dan ramah tamah", "15.55–16.25 WIB"),
        ("Evaluasi dan pengisian kuesioner", "14.30–15.00 WIB"),
    ):
        expect(_row(page, title)).to_contain_text(times)
    expect(page.locator("#conflicts")).to_have_count(0)
    screenshot(page, "agenda-shifted")

    # A short video squeezed into the hall during the material: a warning.
    _row(page, "Rehat kopi").get_by_role("link", name="Tambah setelah ini").click()
    page.fill("#title", "Pemutaran video profil PSM")
    page.fill("#room", "Aula Utama")
    page.fill("#ends_time", "10:30")
    page.locator("form button[type=submit]").last.click()
    expect(_row(page, "Pemutaran video profil PSM")).to_contain_text("10.15–10.30 WIB")
    expect(page.locator("#conflicts")).to_contain_text(
        "Aula Utama dipakai dua mata acara pada Rabu, 20 Januari 2027 pukul 10.15–10.30 WIB"
    )
    expect(_row(page, "Materi 4: Keterampilan dasar PSM")).to_have_class(
        re.compile("agenda-has-conflict")
    )
    screenshot(page, "agenda-conflict")

    # The whole run-down as printed on A4: no navigation, no buttons, no warnings.
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(url)
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("button", name="Cetak")).to_be_hidden()
    expect(page.locator(".agenda-actions").first).to_be_hidden()
    expect(page.locator(".agenda-event")).to_contain_text("Bimbingan Teknis PSM Bekasi")
    expect(page.locator(".agenda-event")).to_contain_text("19–20 Januari 2027")
    screenshot(page, "agenda-print")
    page.emulate_media(media="screen")

    # A participant-facing phone view of the tour, with the ferry legs in it.
    _sign_in(phone, base)
    with live_app.app_context():
        tour_id = db.session.execute(
            db.select(Event.id).filter_by(slug="tour-studi-pgk-jkt-2024")
        ).scalar_one()
    phone.goto(f"{base}/events/{tour_id}/agenda/?day=2024-05-07")
    expect(phone.locator("main")).to_contain_text(
        "Pelabuhan Tanjung Kalian (Muntok) → Pelabuhan Tanjung Api-Api"
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
    screenshot(phone, "agenda-phone")


def _last_id(app) -> int:
    """Id of the newest agenda item."""
    from planner.models import AgendaItem

    with app.app_context():
        return db.session.scalar(db.select(db.func.max(AgendaItem.id)))
