"""A certificate checked the way a reader of the paper checks it: the organiser of the
demo bimtek issues it in the browser, its PDF page is rendered to an image, the QR code
is decoded from the pixels and opened in Chromium; after the organiser revokes it, the
same address says so."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from planner.extensions import db
from planner.models import (
    Certificate,
    CertificateTemplate,
    Delegate,
    DelegateStatus,
    Event,
)
from planner.services.demo import load_demo
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

zxingcpp = pytest.importorskip("zxingcpp")
PDFTOPPM = shutil.which("pdftoppm")


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/auth/login")
    page.fill("#email", "panitia@rombongan.test")
    page.fill("#password", "demo-panitia-2024")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/events/**")


def _qr_url(pdf: bytes, folder: Path) -> str:
    """The one QR code on the first page, read from the page rendered at 150 dpi."""
    (folder / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        [PDFTOPPM, "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"]
        + [str(folder / "certificate.pdf"), str(folder / "page")],
        capture_output=True,
        check=True,
    )
    with Image.open(folder / "page.png") as image:
        found = zxingcpp.read_barcodes(image)
    assert [x.format for x in found] == [zxingcpp.BarcodeFormat.QRCode]
    return found[0].text


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) is missing")
def test_certificate_verified_through_its_qr_and_revoked(live_app, page, tmp_path):
    with live_app.app_context():
        load_demo()
        event = db.session.execute(
            db.select(Event).filter_by(slug="bimtek-psm-bekasi-2027")
        ).scalar_one()
        # The demo bimtek comes with its certificates: start from none, with one
        # participant who attended (the check-in at the door is another feature).
        db.session.execute(db.delete(Certificate).filter_by(event_id=event.id))
        db.session.execute(db.delete(CertificateTemplate).filter_by(event_id=event.id))
        db.session.execute(
            db.update(Delegate)
            .where(
                Delegate.event_id == event.id,
                Delegate.status == DelegateStatus.ATTENDED,
            )
            .values(status=DelegateStatus.CONFIRMED)
        )
        delegate = db.session.scalars(
            db.select(Delegate)
            .where(Delegate.event_id == event.id, Delegate.delegation_id.is_not(None))
            .order_by(Delegate.id)
            .limit(1)
        ).one()
        delegate.status = DelegateStatus.ATTENDED
        event_id, delegate_id = event.id, delegate.id
        name, title = delegate.person.formal_name, event.title
        db.session.commit()
    base = live_app.config["LIVE_URL"]
    certificates = f"{base}/events/{event_id}/paperwork/certificates"
    _sign_in(page, base)

    # The organiser fills the template and issues the certificates.
    page.goto(certificates)
    page.get_by_label("Judul").fill("Sertifikat")
    page.get_by_label("Pola nomor").fill("005/{n}/DINSOS/{roman_month}/{year}")
    page.get_by_label("Jam pelajaran").fill("32")
    page.get_by_label("Nama penanda tangan").fill("Drs. Budi Santoso, M.Si.")
    page.get_by_label("Jabatan penanda tangan").fill("Kepala Dinas Sosial")
    page.locator("#template").get_by_role("button", name="Simpan").click()
    expect(page.locator("main")).to_contain_text("Templat sertifikat disimpan.")
    page.get_by_role("button", name="Terbitkan untuk peserta yang hadir").click()
    expect(page.locator("main")).to_contain_text("1 sertifikat diterbitkan.")
    row = page.locator("#issued tbody tr", has_text=name)
    expect(row).to_contain_text("Berlaku")

    # The printed page's QR code leads to the public verification page.
    response = page.request.get(f"{certificates}/{delegate_id}.pdf")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    url = _qr_url(response.body(), tmp_path)
    assert url.startswith(f"{base}/verify/")
    page.goto(url)
    status = page.locator("#status")
    expect(status).to_contain_text("SAH dan berlaku")
    verification = page.locator("#verification")
    expect(verification).to_contain_text(name)
    expect(verification).to_contain_text(title)
    expect(verification).to_contain_text("32")
    screenshot(page, "certificate-verified")

    # The organiser revokes it with a reason, as a person would.
    page.goto(certificates)
    row.get_by_label("Alasan").fill("Tidak mengikuti seluruh sesi")
    row.get_by_role("button", name="Cabut").click()
    expect(page.locator("main")).to_contain_text("Sertifikat dicabut.")
    expect(row).to_contain_text("Dicabut")
    expect(row.get_by_role("button", name="Cabut")).to_have_count(0)

    # The same address, read from the paper, now says it no longer holds.
    page.goto(url)
    expect(status).to_contain_text("DICABUT dan tidak berlaku")
    expect(status).not_to_contain_text("SAH")
    expect(verification).to_contain_text(name)
    screenshot(page, "certificate-revoked")
