"""At the ferry gate with no signal (issue 14), in Chromium with the network switched
off in the browser context: check-ins queued on the phone survive a reload and arrive
once; two phones keep the earlier moment; a participant's pages open offline."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Person,
    Region,
    User,
)
from planner.models.checkin import OfflineCheckin
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401

PASSWORD = "luring-rahasia-2026"


@pytest.fixture
def gate(live_app):
    """An event today with 22 confirmed delegates, its organiser and one participant."""
    with live_app.app_context():
        bangka = db.session.scalar(sa.select(Region).filter_by(code="19.01"))
        hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        organiser = User(
            email="panitia@luring.test", display_name="Panitia", is_organiser=True
        )
        organiser.password_hash = hashed
        today = datetime.now(UTC).date()
        event = Event(
            kind=EventKind.RAKOR,
            title="Rakor di Pelabuhan",
            slug="rakor-pelabuhan",
            organiser_body="IPSM Bangka",
            host_region=bangka,
            starts_on=today,
            ends_on=today + timedelta(days=1),
            timezone="Asia/Jakarta",
            status=EventStatus.OPEN,
        )
        event.organisers = [organiser]
        delegation = Delegation(event=event, region=bangka, name="Bangka", quota=30)
        delegates = []
        for n in range(1, 23):
            person = Person(full_name=f"Peserta Luring {n:02d}", region=bangka)
            delegates.append(
                Delegate(
                    event=event,
                    delegation=delegation,
                    person=person,
                    role=DelegateRole.PARTICIPANT,
                    status=DelegateStatus.CONFIRMED,
                )
            )
        delegation.confirmed_count = len(delegates)
        participant = User(
            email="peserta@luring.test",
            display_name="Peserta",
            person=delegates[-1].person,
        )
        participant.password_hash = hashed
        db.session.add_all([organiser, event, delegation, participant, *delegates])
        db.session.commit()
        return {
            "event": event.id,
            "delegates": [d.id for d in delegates],
            "participant_delegate": delegates[-1].id,
        }


def _until(page, script: str, arg=None, timeout: float = 20.0) -> None:
    """Poll ``script`` from Python (wait_for_function would eval in the page, which the
    CSP forbids) until it is truthy."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {script}")
        page.wait_for_timeout(100)


def _sign_in(page, base, email):
    page.goto(f"{base}/auth/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _controlled(page):
    """Wait until the service worker serves this page (reload once if needed)."""
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    _until(page, "!!navigator.serviceWorker.controller")


def _open_gate(browser, base, event_id):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, base, "panitia@luring.test")
    page.goto(f"{base}/events/{event_id}/check-in/offline")
    _controlled(page)
    _until(page, f"window.Rombongan.store.listGet({event_id}).then(l => !!l)")
    _until(page, "document.querySelector('#save-offline').disabled === false")
    return context, page


def _tap(page, name):
    page.fill("#offline-q", name)
    page.locator("#offline-results button[data-action=in]").first.click()
    _until(
        page, "!!document.querySelector('#offline-results button[data-action=undo]')"
    )


def _waiting(page) -> int:
    return int(page.locator("#sync-status").get_attribute("data-waiting"))


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(*where)
        )


def test_twenty_offline_check_ins_arrive_once(browser, live_app, gate):
    base = live_app.config["LIVE_URL"]
    event_id = gate["event"]
    context, page = _open_gate(browser, base, event_id)

    context.set_offline(True)
    for n in range(1, 21):
        _tap(page, f"Luring {n:02d}")
    assert _waiting(page) == 20
    queued = page.evaluate("window.Rombongan.store.queueAll()")
    assert len(queued) == 20 and len({r["id"] for r in queued}) == 20

    page.reload()  # no signal: the page comes from the phone, the queue from IndexedDB
    _until(page, "!!document.querySelector('#sync-status').dataset.waiting")
    assert _waiting(page) == 20
    assert page.locator("body").get_attribute("data-saved-at")  # "saved at" shown
    assert page.locator("#offline-bar").is_visible()
    page.fill("#offline-q", "Luring 1")
    page.screenshot(path="test-results/offline-checkin-360.png", full_page=True)
    attended = (
        Delegate.event_id == event_id,
        Delegate.status == DelegateStatus.ATTENDED,
    )
    assert _count(live_app, Delegate, *attended) == 0

    context.set_offline(False)  # the 'online' event sends the queue by itself
    _until(
        page,
        "document.querySelector('#sync-status').dataset.waiting === '0'",
        timeout=30,
    )
    assert _count(live_app, Delegate, *attended) == 20

    # The same twenty sent again change nothing.
    page.evaluate(
        "records => Promise.all(records.map(r => window.Rombongan.store.queuePut(r)))",
        queued,
    )
    page.locator("#send-now").click()
    _until(page, "window.Rombongan.store.queueAll().then(q => q.length === 0)")
    assert page.evaluate("window.Rombongan.store.queueAll()") == []
    assert _count(live_app, Delegate, *attended) == 20
    assert _count(live_app, OfflineCheckin, OfflineCheckin.event_id == event_id) == 20
    context.close()


def test_two_phones_keep_the_earlier_moment(browser, live_app, gate):
    base = live_app.config["LIVE_URL"]
    event_id = gate["event"]
    person = gate["delegates"][20]
    first_context, first = _open_gate(browser, base, event_id)
    second_context, second = _open_gate(browser, base, event_id)
    first_context.set_offline(True)
    second_context.set_offline(True)

    _tap(first, "Luring 21")  # the earlier tap…
    second.wait_for_timeout(1100)
    _tap(second, "Luring 21")
    second_context.set_offline(False)  # …arrives last
    _until(second, "document.querySelector('#sync-status').dataset.waiting === '0'")
    first_context.set_offline(False)
    _until(first, "document.querySelector('#sync-status').dataset.waiting === '0'")
    earlier = first.evaluate("window.Rombongan.store.queueAll()")  # sent: empty
    assert earlier == []
    with live_app.app_context():
        delegate = db.session.get(Delegate, person)
        assert delegate.status == DelegateStatus.ATTENDED
        taps = sorted(
            db.session.scalars(
                sa.select(OfflineCheckin.at).where(OfflineCheckin.delegate_id == person)
            )
        )
        assert len(taps) == 2
        assert delegate.attended_at == taps[0]
        history = db.session.scalars(
            sa.select(DelegateChange).where(
                DelegateChange.delegate_id == person,
                DelegateChange.action == "attended",
            )
        ).all()
        assert len(history) == 2
    first_context.close()
    second_context.close()


def test_a_participants_trip_and_card_open_offline_after_one_visit(
    browser, live_app, gate
):
    base = live_app.config["LIVE_URL"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, base, "peserta@luring.test")
    assert "/my/trip" in page.url
    page.evaluate("navigator.serviceWorker.ready")
    card = f"{base}/events/{gate['event']}/check-in/{gate['participant_delegate']}/card"
    page.goto(card)
    _until(page, "!!navigator.serviceWorker.controller")
    page.wait_for_timeout(500)  # the worker stores the first visit's page
    context.set_offline(True)
    for url, text in (
        (f"{base}/my/trip", "Perjalanan saya"),
        (card, "Peserta Luring 22"),
    ):
        page.goto(url)
        assert text in page.content(), url
        assert page.locator("body").get_attribute("data-saved-at")
    page.screenshot(path="test-results/offline-card-360.png", full_page=True)
    context.close()


def test_signing_out_forgets_the_phones_data(browser, live_app, gate):
    base = live_app.config["LIVE_URL"]
    context, page = _open_gate(browser, base, gate["event"])
    assert page.evaluate("caches.has('rombongan-pages')")
    page.locator(".navbar-toggler").click()  # the menu is folded at 360 px
    # Bootstrap adds "show" once the menu has finished opening: a click during the
    # opening can miss the button on a busy machine.
    page.wait_for_selector(".navbar-collapse.show")
    page.locator("form[data-sign-out] button").click()
    page.wait_for_url(f"{base}/auth/login*", timeout=40_000)
    assert not page.evaluate("caches.has('rombongan-pages')")
    names = page.evaluate("indexedDB.databases().then(dbs => dbs.map(d => d.name))")
    assert "rombongan" not in names
    context.close()


def test_signing_out_with_unsent_check_ins_warns_first(browser, live_app, gate):
    base = live_app.config["LIVE_URL"]
    context, page = _open_gate(browser, base, gate["event"])
    context.set_offline(True)
    _tap(page, "Luring 05")
    page.route("**/check-in/sync", lambda route: route.abort())  # the sending fails
    context.set_offline(False)
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss() if len(messages) == 1 else dialog.accept()

    page.on("dialog", answer)
    page.locator(".navbar-toggler").click()
    page.wait_for_selector(".navbar-collapse.show")
    page.locator("form[data-sign-out] button").click()
    _until(page, "true")
    page.wait_for_timeout(1000)
    assert messages and "1 check-in belum terkirim" in messages[0]
    assert "/check-in/offline" in page.url  # stayed: the check-in is still queued
    assert len(page.evaluate("window.Rombongan.store.queueAll()")) == 1
    page.locator("form[data-sign-out] button").click()  # asked again: yes
    page.wait_for_url(f"{base}/auth/login*")
    assert len(messages) == 2
    context.close()


def _qr_video(path, text: str) -> None:
    """A few frames of a Y4M video showing the QR code of ``text`` (Chromium's fake camera)."""
    import io

    import segno
    from PIL import Image

    width, height = 640, 480
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    frame = Image.new("L", (width, height), 255)
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


def test_scanning_a_card_checks_in_without_signal(browser, live_app, gate, tmp_path):
    """The camera (Chromium's fake one, showing a card's QR code) with the network off."""
    base = live_app.config["LIVE_URL"]
    person = gate["delegates"][9]
    video = tmp_path / "card.y4m"
    _qr_video(video, f"{base}/events/{gate['event']}/check-in/{person}")
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    camera_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=args)
    try:
        context, page = _open_gate(camera_browser, base, gate["event"])
        context.set_offline(True)
        page.locator("#scan-start").click()
        _until(page, "document.querySelector('#scan-result').textContent.length > 0")
        assert "Peserta Luring 10 tercatat hadir" in page.inner_text("#scan-result")
        _until(page, "document.querySelector('#sync-status').dataset.waiting === '1'")
        page.locator("#scan-stop").click()
        context.set_offline(False)
        _until(page, "document.querySelector('#sync-status').dataset.waiting === '0'")
    finally:
        camera_browser.close()
    with live_app.app_context():
        assert db.session.get(Delegate, person).status == DelegateStatus.ATTENDED
