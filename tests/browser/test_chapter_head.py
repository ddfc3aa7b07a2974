"""A chapter head does the whole delegation job on a 360-px phone: nominate, add a new
person, confirm, replace, withdraw."""

from datetime import UTC, date, datetime, timedelta

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
)
from tests.browser.conftest import screenshot
from tests.browser.test_journeys import _region, _sign_in, _user

pytestmark = pytest.mark.browser


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_chapter_head_manages_delegation_on_a_phone(live_app, phone):
    with live_app.app_context():
        bangka = _region("19.01")
        head = _user("ketua.bangka@example.org", display_name="Ketua IPSM Bangka")
        head.regions = [bangka]
        event = Event(
            kind=EventKind.RAKOR,
            title="Rakor PSM Bangka Belitung 2027",
            slug="rakor-psm-babel-2027",
            organiser_body="IPSM Provinsi Kepulauan Bangka Belitung",
            starts_on=date.today() + timedelta(days=30),
            ends_on=date.today() + timedelta(days=31),
            timezone="Asia/Jakarta",
            status=EventStatus.OPEN,
        )
        delegation = Delegation(
            event=event,
            region=bangka,
            name=bangka.name,
            quota=3,
            deadline_at=datetime.now(UTC) + timedelta(days=5),
        )
        for name in ("Rahmat Hidayat", "Siti Aminah", "Yusuf Maulana"):
            db.session.add(Person(full_name=name, region=bangka))
        db.session.add_all([event, delegation])
        db.session.commit()
        ids = {"event": event.id, "delegation": delegation.id}
    base = live_app.config["LIVE_URL"]

    # Signing in lands a chapter head on their delegations, no menu needed.
    _sign_in(phone, base, "ketua.bangka@example.org")
    assert phone.url == f"{base}/my/delegations"
    expect(phone.locator("main")).to_contain_text("Rakor PSM Bangka Belitung 2027")
    expect(phone.locator("main")).to_contain_text("0 dari 3 dikonfirmasi")
    screenshot(phone, "chapter-head-my-delegations")
    _no_horizontal_scroll(phone)

    phone.locator(".delegation-card").first.click()
    expect(phone.locator("h1")).to_contain_text("Kabupaten Bangka")
    screenshot(phone, "chapter-head-delegation-empty")
    _no_horizontal_scroll(phone)

    # Nominate two people already on record.
    for name in ("Rahmat Hidayat", "Siti Aminah"):
        phone.select_option("#person_id", label=f"{name} — Kabupaten Bangka")
        phone.get_by_role("button", name="Usulkan", exact=True).click()
        expect(phone.locator(".alert-success")).to_contain_text(f"{name} diusulkan")
    screenshot(phone, "chapter-head-nominated")

    # Add a new person on the spot.
    phone.fill("#new-full_name", "Dewi Lestari")
    phone.select_option("#new-sex", "female")
    phone.fill("#new-phone", "0812 3456 7890")
    phone.fill("#new-position", "Anggota IPSM")
    phone.get_by_role("button", name="Simpan dan usulkan").click()
    expect(phone.locator(".alert-success")).to_contain_text("Dewi Lestari")
    expect(phone.locator("#roster")).to_contain_text("+62 812-3456-7890")
    screenshot(phone, "chapter-head-new-person")
    _no_horizontal_scroll(phone)

    # Confirm Rahmat with one tap.
    rahmat = phone.locator("#roster li", has_text="Rahmat Hidayat")
    rahmat.get_by_role("button", name="Konfirmasi").click()
    expect(phone.locator(".alert-success")).to_contain_text(
        "Rahmat Hidayat dikonfirmasi"
    )
    expect(phone.locator("#progress")).to_contain_text("1")
    screenshot(phone, "chapter-head-confirmed")

    # Replace Rahmat by Yusuf.
    phone.locator("#roster li", has_text="Rahmat Hidayat").get_by_role(
        "link", name="Ganti"
    ).click()
    expect(phone.locator("h1")).to_contain_text("Ganti Rahmat Hidayat")
    phone.select_option("#person_id", label="Yusuf Maulana — Kabupaten Bangka")
    phone.fill("#reason", "Sakit")
    screenshot(phone, "chapter-head-replace-form")
    _no_horizontal_scroll(phone)
    phone.get_by_role("button", name="Ganti peserta").click()
    expect(phone.locator(".alert-success")).to_contain_text(
        "Rahmat Hidayat diganti oleh Yusuf Maulana"
    )
    screenshot(phone, "chapter-head-replaced")

    # Withdraw Siti with a reason.
    siti = phone.locator("#roster li", has_text="Siti Aminah")
    siti.locator("summary", has_text="Mundurkan").click()
    siti.locator("textarea").fill("Berhalangan hadir")
    siti.get_by_role("button", name="Ya, mundurkan Siti Aminah").click()
    expect(phone.locator(".alert-success")).to_contain_text("Siti Aminah mundur")
    expect(phone.locator("#history")).to_contain_text("Berhalangan hadir")
    screenshot(phone, "chapter-head-withdrawn")
    _no_horizontal_scroll(phone)

    with live_app.app_context():
        statuses = {
            d.person.full_name: d.status
            for d in db.session.scalars(
                db.select(Delegate).filter_by(delegation_id=ids["delegation"])
            )
        }
        assert statuses == {
            "Rahmat Hidayat": DelegateStatus.REPLACED,
            "Yusuf Maulana": DelegateStatus.CONFIRMED,
            "Siti Aminah": DelegateStatus.WITHDRAWN,
            "Dewi Lestari": DelegateStatus.NOMINATED,
        }
        assert db.session.get(Delegation, ids["delegation"]).confirmed_count == 1


def test_chapter_head_adds_identity_for_a_ferry_trip_on_a_phone(live_app, phone):
    """At sea the add-person form asks NIK, birth date and sex; a 15-digit NIK and a
    future birth date come back in Indonesian with what was typed; the page counts who
    still lacks manifest data and leads to each person's edit page and back."""
    from planner.models import Leg, LegMode, Place, PlaceKind, Trip

    with live_app.app_context():
        bangka = _region("19.01")
        head = _user("ketua.bangka@example.org", display_name="Ketua IPSM Bangka")
        head.regions = [bangka]
        event = Event(
            kind=EventKind.STUDY_TOUR,
            title="Tour dan Studi PGK–JKT 2027",
            slug="tour-pgk-jkt-2027",
            organiser_body="IPSM Provinsi Kepulauan Bangka Belitung",
            starts_on=date.today() + timedelta(days=30),
            ends_on=date.today() + timedelta(days=34),
            timezone="Asia/Jakarta",
            status=EventStatus.OPEN,
        )
        delegation = Delegation(event=event, region=bangka, name=bangka.name, quota=5)
        port_a = Place(
            name="Pelabuhan Tanjung Kalian",
            kind=PlaceKind.PORT,
            region=bangka,
            lat=-2.06,
            lon=105.15,
        )
        port_b = Place(
            name="Pelabuhan Tanjung Api-Api",
            kind=PlaceKind.PORT,
            region=_region("16"),
            lat=-2.4,
            lon=104.9,
        )
        trip = Trip(event=event, name="Berangkat")
        start = datetime.combine(event.starts_on, datetime.min.time(), UTC)
        db.session.add(
            Leg(
                event=event,
                trip=trip,
                mode=LegMode.FERRY,
                from_place=port_a,
                to_place=port_b,
                departs_at=start,
                arrives_at=start + timedelta(hours=4),
            )
        )
        old = Person(full_name="Rahmat Tanpa NIK", region=bangka)
        db.session.add_all([delegation, old])
        db.session.flush()
        db.session.add(
            Delegate(
                event=event,
                delegation=delegation,
                person=old,
                status=DelegateStatus.NOMINATED,
            )
        )
        db.session.commit()
        url = f"/events/{event.id}/delegations/{delegation.id}"
    base = live_app.config["LIVE_URL"]

    _sign_in(phone, base, "ketua.bangka@example.org")
    phone.goto(base + url)
    gaps = phone.locator("#identity-gaps")
    expect(gaps).to_contain_text("1 orang belum lengkap datanya")
    expect(gaps).to_contain_text(
        "Rahmat Tanpa NIK · kurang: jenis kelamin, tanggal lahir, NIK"
    )
    add = phone.locator("#add-person")
    expect(add).to_contain_text("wajib diisi untuk manifes")

    phone.fill("#new-full_name", "Dewi Lestari")
    phone.fill("#new-nik", "190101450880000")
    phone.fill("#new-birth_on", (date.today() + timedelta(days=3)).isoformat())
    phone.get_by_role("button", name="Simpan dan usulkan").click()
    expect(add).to_contain_text("NIK harus terdiri dari 16 angka.")
    expect(add).to_contain_text("Tanggal lahir tidak boleh di masa depan.")
    expect(add).to_contain_text(
        "Jenis kelamin wajib diisi untuk manifes kapal/pesawat."
    )
    expect(phone.locator("#new-full_name")).to_have_value("Dewi Lestari")
    expect(phone.locator("#new-nik")).to_have_value("190101450880000")
    _no_horizontal_scroll(phone)
    screenshot(phone, "chapter-head-identity-errors")

    phone.fill("#new-nik", "1901014508800003")
    phone.fill("#new-birth_on", "1980-08-05")
    phone.select_option("#new-sex", "female")
    phone.get_by_role("button", name="Simpan dan usulkan").click()
    expect(phone.locator(".alert-success")).to_contain_text("Dewi Lestari ditambahkan")
    expect(gaps).to_contain_text("1 orang belum lengkap datanya")
    screenshot(phone, "chapter-head-identity-gaps")

    gaps.get_by_role("link", name="Lengkapi data Rahmat Tanpa NIK").click()
    phone.select_option("#sex", "male")
    phone.fill("#nik", "1901011708800005")
    phone.fill("#birth_on", "1980-08-17")
    phone.get_by_role("button", name="Simpan perubahan").click()
    expect(phone).to_have_url(f"{base}{url}#identity-gaps")
    expect(phone.locator("#identity-gaps")).to_contain_text(
        "lengkap untuk semua peserta"
    )
