"""The main journeys in a real browser: an organiser plans an event on a laptop, a chapter
head works on a 360-px phone."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from planner.extensions import db
from planner.models import Event, EventKind, EventStatus, Person, Region, User
from tests.browser.conftest import screenshot
from tests.conftest import _PASSWORD_HASH, PASSWORD

pytestmark = pytest.mark.browser


def _region(code: str) -> Region:
    return db.session.execute(db.select(Region).filter_by(code=code)).scalar_one()


def _user(email: str, **kw) -> User:
    user = User(email=email, display_name=kw.pop("display_name", email), **kw)
    user.password_hash = _PASSWORD_HASH
    db.session.add(user)
    return user


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def test_organiser_creates_an_event_and_finds_it_in_the_list(live_app, page):
    with live_app.app_context():
        _user("panitia@example.org", display_name="Panitia Uji", is_organiser=True)
        db.session.commit()
        province_id = _region("19").id
    base = live_app.config["LIVE_URL"]

    _sign_in(page, base, "panitia@example.org")
    page.get_by_role("link", name="Buat acara").first.click()
    page.select_option("#kind", "rakor")
    page.fill("#title", "Rakor IPSM Babel 2027")
    page.fill("#organiser_body", "IPSM Provinsi Kepulauan Bangka Belitung")
    page.select_option("#host_region_id", str(province_id))
    page.fill("#starts_on", "2027-03-10")
    page.fill("#ends_on", "2027-03-11")
    page.fill("#capacity", "120")
    screenshot(page, "organiser-new-event-form")
    page.locator("form button[type=submit]").last.click()

    expect(page.locator("h1")).to_contain_text("Rakor IPSM Babel 2027")
    expect(page.locator("body")).to_contain_text("Rabu, 10 Maret 2027")
    screenshot(page, "organiser-event-overview")

    page.goto(f"{base}/events/")
    expect(page.get_by_role("link", name="Rakor IPSM Babel 2027")).to_be_visible()
    screenshot(page, "organiser-event-list")
    with live_app.app_context():
        event = db.session.execute(db.select(Event)).scalar_one()
        assert event.capacity == 120
        assert [o.email for o in event.organisers] == ["panitia@example.org"]


def test_organiser_sees_field_errors_and_keeps_what_was_typed(live_app, page):
    with live_app.app_context():
        _user("panitia@example.org", is_organiser=True)
        db.session.commit()
        province_id = _region("19").id
    base = live_app.config["LIVE_URL"]

    _sign_in(page, base, "panitia@example.org")
    page.goto(f"{base}/events/new")
    page.select_option("#kind", "bimtek")
    page.fill("#title", "Bimtek dengan tanggal terbalik")
    page.fill("#organiser_body", "Dinas Sosial Kota Bekasi")
    page.select_option("#host_region_id", str(province_id))
    page.fill("#starts_on", "2027-03-10")
    page.fill("#ends_on", "2027-03-08")
    page.locator("form button[type=submit]").last.click()

    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.locator("#title")).to_have_value("Bimtek dengan tanggal terbalik")
    screenshot(page, "organiser-event-form-errors")
    with live_app.app_context():
        assert db.session.scalar(db.select(db.func.count(Event.id))) == 0


def test_chapter_head_works_on_a_phone(live_app, phone):
    with live_app.app_context():
        bangka, kota = _region("19.01"), _region("19.71")
        _user("ketua.bangka@example.org", display_name="Ketua Bangka").regions = [
            bangka
        ]
        db.session.add_all(
            [
                Person(full_name="Rahmat Hidayat", region=bangka),
                Person(full_name="Orang Kota Lain", region=kota),
                Event(
                    kind=EventKind.RAKOR,
                    title="Rakor PSM Bangka",
                    slug="rakor-psm-bangka",
                    organiser_body="IPSM Kabupaten Bangka",
                    host_region=bangka,
                    starts_on=date.today() + timedelta(days=20),
                    ends_on=date.today() + timedelta(days=21),
                    timezone="Asia/Jakarta",
                    status=EventStatus.OPEN,
                ),
            ]
        )
        db.session.commit()
    base = live_app.config["LIVE_URL"]

    _sign_in(phone, base, "ketua.bangka@example.org")
    assert phone.url == f"{base}/my/delegations"  # where a chapter head's work is
    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Acara", exact=True).click()
    expect(phone.get_by_role("link", name="Rakor PSM Bangka")).to_be_visible()
    screenshot(phone, "chapter-head-phone-events")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_role("button", name="Menu").click()
    phone.get_by_role("link", name="Orang").click()
    expect(phone.locator("main")).to_contain_text("Rahmat Hidayat")
    expect(phone.locator("main")).not_to_contain_text("Orang Kota Lain")
    screenshot(phone, "chapter-head-phone-people")

    phone.get_by_role("link", name="Tambah orang").first.click()
    phone.fill("#full_name", "Dewi Lestari")
    phone.fill("#phone", "0812 3456 7890")
    phone.locator("form button[type=submit]").last.click()
    expect(phone.locator("main")).to_contain_text("Dewi Lestari")
    expect(phone.locator("main")).to_contain_text("+62 812-3456-7890")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "chapter-head-phone-new-person")
    with live_app.app_context():
        dewi = db.session.execute(
            db.select(Person).filter_by(full_name="Dewi Lestari")
        ).scalar_one()
        assert dewi.region.code == "19.01"
        assert dewi.phone == "+6281234567890"
