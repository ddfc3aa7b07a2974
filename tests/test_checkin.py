"""Check-in on the event day: search by name, one tap, cards with a QR code."""

import re
from datetime import timedelta
from unittest import mock

import pytest

from planner.exports import badges
from planner.extensions import db
from planner.models import (
    AuditEntry,
    Delegate,
    DelegateRole,
    DelegateStatus,
    EventStatus,
)
from planner.services.events import today
from tests.conftest import region


@pytest.fixture
def organiser(make_user):
    """An organiser account."""
    return make_user("organiser")


@pytest.fixture
def delegation(make_delegation, make_event, organiser):
    """Kabupaten Bangka's delegation (quota 3) in an open event run by ``organiser``
    that starts today (check-in days before the event asks first: tested below)."""
    return make_delegation(
        make_event(organisers=[organiser], starts_on=today()), quota=3
    )


def _names(response) -> list[str]:
    """Names listed as check-in results."""
    html = response.get_data(as_text=True)
    return re.findall(r'<div class="fw-semibold fs-5">([^<]+)</div>', html)


def _url(delegate, suffix=""):
    return f"/events/{delegate.event_id}/check-in/{delegate.id}{suffix}"


def test_search_lists_active_delegates_case_insensitively(
    client, login, organiser, delegation, make_delegate, make_person
):
    """Names match in any case; withdrawn people and other events stay out. The count
    expects those taking part: a nominee (Budi) is findable but not yet expected."""
    siti = make_delegate(
        delegation,
        person=make_person(full_name="Siti Aminah"),
        status=DelegateStatus.CONFIRMED,
    )
    make_delegate(delegation, person=make_person(full_name="Budi Santoso"))
    make_delegate(
        delegation,
        person=make_person(full_name="Siti Mundur"),
        status=DelegateStatus.WITHDRAWN,
    )
    make_delegate(person=make_person(full_name="Siti Acara Lain"))
    login(organiser)
    response = client.get(f"/events/{delegation.event_id}/check-in/?q=sITi")
    assert response.status_code == 200
    assert _names(response) == ["Siti Aminah"]
    html = response.get_data(as_text=True)
    assert f'action="{_url(siti)}"' in html
    assert "Hadir 0 dari 1" in html


def test_short_search_asks_for_two_letters(client, login, organiser, delegation):
    """One letter runs no search and says why."""
    login(organiser)
    html = client.get(f"/events/{delegation.event_id}/check-in/?q=s").get_data(
        as_text=True
    )
    assert "Ketik 2 sampai 100 huruf." in html
    assert 'id="checkin-results"' not in html


def test_results_stop_at_fifty(
    client, login, organiser, delegation, make_delegate, make_person
):
    """A search matching many names shows 50 and asks for more letters."""
    delegation.quota = 100
    db.session.commit()
    for n in range(52):
        make_delegate(delegation, person=make_person(full_name=f"Rina {n:02d}"))
    login(organiser)
    response = client.get(f"/events/{delegation.event_id}/check-in/?q=rina")
    assert len(_names(response)) == 50
    assert "Hanya 50 nama pertama" in response.get_data(as_text=True)


def test_one_tap_marks_present_and_a_second_tap_changes_nothing(
    client, login, organiser, delegation, make_delegate, make_person
):
    """POST marks the delegate attended (time in WIB); tapping again is harmless."""
    delegate = make_delegate(delegation, person=make_person(full_name="Siti Aminah"))
    login(organiser)
    response = client.post(_url(delegate), data={"q": "siti"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/events/{delegation.event_id}/check-in/?q=siti"
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Siti Aminah tercatat hadir pukul" in page
    assert re.search(r"&#10003; Hadir \d\d\.\d\d WIB", page)
    assert "Hadir 1 dari 1" in page
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    first_time = delegate.attended_at
    assert delegate.status == DelegateStatus.ATTENDED and first_time is not None
    assert delegate.delegation.confirmed_count == 1
    assert [c.action for c in delegate.changes] == ["attended"]
    assert delegate.changes[0].by_user_id == organiser.id

    again = client.post(_url(delegate), follow_redirects=True)
    assert "sudah tercatat hadir" in again.get_data(as_text=True)
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    assert delegate.attended_at == first_time
    assert len(delegate.changes) == 1
    assert delegate.delegation.confirmed_count == 1


def test_full_quota_is_flashed_not_raised(
    client, login, organiser, make_delegation, make_event, make_delegate
):
    """A nominated delegate of a full delegation is refused with a message."""
    event = make_event(organisers=[organiser], starts_on=today())
    delegation = make_delegation(event, quota=1)
    make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    late = make_delegate(delegation)
    login(organiser)
    response = client.post(_url(late), follow_redirects=True)
    assert response.status_code == 200
    assert "Kuota delegasi sudah penuh" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Delegate, late.id).status == DelegateStatus.NOMINATED


def test_withdrawn_delegate_cannot_be_checked_in(
    client, login, organiser, delegation, make_delegate
):
    """The confirmation page refuses a withdrawn person and the POST changes nothing."""
    gone = make_delegate(delegation, status=DelegateStatus.WITHDRAWN)
    login(organiser)
    page = client.get(_url(gone)).get_data(as_text=True)
    assert "sudah mundur atau diganti" in page and "Tandai hadir" not in page
    response = client.post(_url(gone), follow_redirects=True)
    assert "sudah mundur atau diganti" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Delegate, gone.id).status == DelegateStatus.WITHDRAWN


def test_qr_page_confirms_then_marks(
    client, login, organiser, delegation, make_delegate
):
    """GET shows the person and one button; POST marks and returns to the page."""
    delegate = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    login(organiser)
    page = client.get(_url(delegate)).get_data(as_text=True)
    assert delegate.person.full_name in page and "Tandai hadir" in page
    response = client.post(_url(delegate))
    assert response.headers["Location"].endswith(_url(delegate))
    page = client.get(_url(delegate)).get_data(as_text=True)
    assert "Hadir sejak" in page and "WIB" in page and "Tandai hadir" not in page


def test_anonymous_qr_scan_goes_to_login_and_back(client, delegation, make_delegate):
    """Scanning without a session leads to the sign-in form, then back to the card."""
    delegate = make_delegate(delegation)
    response = client.get(_url(delegate))
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/auth/login" in location
    assert f"next=%2Fevents%2F{delegate.event_id}%2Fcheck-in%2F{delegate.id}" in (
        location
    )
    assert client.post(_url(delegate)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.NOMINATED


def test_chapter_head_and_participant_cannot_check_in(
    client, login, make_user, delegation, make_delegate
):
    """Only organisers check in: the region's chapter head gets 403 everywhere."""
    delegate = make_delegate(delegation)
    head = make_user("chapter_head", regions=["19.01"])
    login(head)
    base = f"/events/{delegation.event_id}/check-in"
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/?q=siti").status_code == 403
    assert client.get(_url(delegate)).status_code == 403
    assert client.post(_url(delegate)).status_code == 403
    assert client.get(f"{base}/cards").status_code == 403
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.NOMINATED


def test_unknown_or_foreign_delegate_is_404(
    client, login, organiser, delegation, make_delegate, make_event
):
    """A delegate id of another event, or none at all, is not found."""
    other_event = make_event(organisers=[organiser])
    delegate = make_delegate(delegation)
    login(organiser)
    assert client.get(
        f"/events/{other_event.id}/check-in/{delegate.id}"
    ).status_code == (404)
    assert client.post(
        f"/events/{other_event.id}/check-in/{delegate.id}"
    ).status_code == (404)
    assert client.get(f"/events/{delegation.event_id}/check-in/999999").status_code == (
        404
    )
    huge = 2**64
    assert client.get(f"/events/{delegation.event_id}/check-in/{huge}").status_code == (
        404
    )
    assert client.get(f"/events/{huge}/check-in/").status_code == 404
    assert (
        client.get(f"/events/{other_event.id}/check-in/{delegate.id}/card").status_code
        == 404
    )
    base = f"/events/{delegation.event_id}/check-in/cards"
    for value in ("999999", "abc", "-1", str(2**70), "1 OR 1=1"):
        assert client.get(base, query_string={"delegation": value}).status_code == 404


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "Siti\x00Aminah",
        "x" * 5000,
        "\u202eSiti",
        "Sıti ÄÖ 名前",
    ],
)
def test_hostile_search_never_breaks(
    client, login, organiser, delegation, make_delegate, make_person, text
):
    """Whatever is typed, the page answers 200, escapes it and matches nothing odd."""
    make_delegate(delegation, person=make_person(full_name="Siti Aminah"))
    login(organiser)
    response = client.get(
        f"/events/{delegation.event_id}/check-in/", query_string={"q": text}
    )
    if "\x00" in text:  # refused before any view: no person types a NUL byte
        assert response.status_code == 400
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert _names(response) in ([], ["Siti Aminah"])
    if text in ("%", "_", "\\", "' OR 1=1 --"):
        assert _names(response) == []


def test_search_and_check_in_queries_do_not_grow(
    app, client, login, organiser, delegation, make_delegate, make_person, count_queries
):
    """The search page costs the same number of queries for 2 or 12 matches."""
    delegation.quota = 50
    db.session.commit()
    login(organiser)
    url = f"/events/{delegation.event_id}/check-in/?q=ani"
    counts = []
    for batch in (2, 10):
        for n in range(batch):
            make_delegate(
                delegation,
                person=make_person(full_name=f"Ani {batch}-{n}"),
                status=DelegateStatus.ATTENDED if n % 2 else DelegateStatus.NOMINATED,
            )
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(_names(response)) == 12
    assert counts[0] == counts[1], counts


# Cards ----------------------------------------------------------------------------


def test_card_shows_the_person_and_a_qr_of_the_checkin_url(
    client, login, organiser, delegation, make_delegate, make_person
):
    """Name, role, delegation, event, dates and an inline SVG QR of the absolute URL."""
    delegate = make_delegate(
        delegation,
        person=make_person(full_name="Siti Aminah"),
        role=DelegateRole.HEAD,
        status=DelegateStatus.CONFIRMED,
    )
    login(organiser)
    with mock.patch.object(badges.segno, "make", wraps=badges.segno.make) as make:
        response = client.get(_url(delegate, "/card"))
    assert response.status_code == 200
    # Two codes: check-in (made first, the card's main one) and the calendar feed.
    assert make.call_count == 2
    checkin, calendar = (call.args[0] for call in make.call_args_list)
    assert checkin == f"http://localhost{_url(delegate)}"
    assert calendar.endswith(f"/feeds/{delegate.feed_token}.ics")
    html = response.get_data(as_text=True)
    assert "Siti Aminah" in html and "Ketua rombongan" in html
    assert "Kabupaten Bangka" in html and delegation.event.title in html
    assert re.search(r'<svg viewBox="0 0 \d+ \d+" class="qr-code">', html)
    assert "<script" not in html.split("</main>")[0]


def test_qr_encodes_the_url_it_is_given():
    """The SVG is a QR code of exactly that text (checked against segno's matrix)."""
    url = "http://localhost/events/7/check-in/42"
    svg = str(badges.qr_svg(url, title="<Siti>"))
    assert svg.startswith("<svg") and "&lt;Siti&gt;" in svg
    expected = badges.segno.make(url, error="m", micro=False)
    assert f"0 0 {expected.symbol_size(border=2)[0]}" in svg


def test_delegate_sees_own_card_not_another(
    client, login, make_user, delegation, make_delegate, make_person
):
    """A participant account opens its own card; another delegate's card is 403."""
    mine = make_delegate(delegation, person=make_person(full_name="Rina Saya"))
    theirs = make_delegate(delegation)
    user = make_user("participant", person=mine.person)
    login(user)
    assert client.get(_url(mine, "/card")).status_code == 200
    assert client.get(_url(theirs, "/card")).status_code == 403
    assert client.get(_url(mine)).status_code == 403  # no check-in of oneself
    cards = f"/events/{delegation.event_id}/check-in/cards"
    assert client.get(
        cards, query_string={"delegation": delegation.id}
    ).status_code == (403)


def test_head_sees_cards_of_own_delegation_only(
    client, login, make_user, make_event, organiser, make_delegation, make_delegate
):
    """The delegation's chapter head prints its sheet; not the event's nor another's."""
    event = make_event(organisers=[organiser])
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    belitung = make_delegation(event, region=region("19.02"), quota=5)
    ours = [make_delegate(bangka, status=DelegateStatus.CONFIRMED) for _ in range(3)]
    make_delegate(bangka)  # only nominated: no card yet
    other = make_delegate(belitung)
    head = make_user("chapter_head", regions=["19.01"])
    login(head)
    assert client.get(_url(ours[0], "/card")).status_code == 200
    assert client.get(_url(other, "/card")).status_code == 403
    base = f"/events/{event.id}/check-in/cards"
    sheet = client.get(base, query_string={"delegation": bangka.id})
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    assert html.count('class="delegate-card"') == 3
    assert html.count('class="qr-code"') == 3
    assert client.get(base, query_string={"delegation": belitung.id}).status_code == 403
    assert client.get(base).status_code == 403
    assert client.get(base, query_string={"delegation": "none"}).status_code == 403


def test_draft_event_cards_are_for_organisers_only(
    client, login, make_user, make_event, organiser, make_delegation, make_delegate
):
    """Until the event is published, heads and delegates see no card."""
    event = make_event(organisers=[organiser], status=EventStatus.DRAFT)
    delegate = make_delegate(make_delegation(event))
    login(make_user("chapter_head", regions=["19.01"]))
    assert client.get(_url(delegate, "/card")).status_code == 403


def test_event_sheet_lists_everyone_taking_part_in_constant_queries(
    client,
    login,
    organiser,
    delegation,
    make_delegate,
    make_person,
    make_event,
    count_queries,
):
    """The organiser's sheet: everyone taking part (speakers too); the withdrawn and
    the merely nominated left out."""
    event = delegation.event
    delegation.quota = 20
    speaker = Delegate(
        event_id=event.id,
        person=make_person(full_name="Dr. Narasumber"),
        role=DelegateRole.SPEAKER,
        status=DelegateStatus.CONFIRMED,
    )
    db.session.add(speaker)
    db.session.commit()
    make_delegate(delegation, status=DelegateStatus.WITHDRAWN)
    make_delegate(delegation, person=make_person(full_name="Baru Diusulkan"))
    login(organiser)
    base = f"/events/{event.id}/check-in/cards"
    counts = []
    for batch in (1, 2):
        for _ in range(batch * 2):
            make_delegate(delegation, status=DelegateStatus.CONFIRMED)
        with count_queries() as queries:
            response = client.get(base)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    html = response.get_data(as_text=True)
    assert html.count('class="delegate-card"') == 7
    assert "Dr. Narasumber" in html and "Narasumber" in html
    assert "7 kartu" in html
    assert "Baru Diusulkan" not in html
    only = client.get(base, query_string={"delegation": "none"}).get_data(as_text=True)
    assert only.count('class="delegate-card"') == 1


def test_inactive_delegate_card_has_no_qr(
    client, login, organiser, delegation, make_delegate
):
    """A withdrawn delegate's card says so and carries no QR code."""
    gone = make_delegate(delegation, status=DelegateStatus.WITHDRAWN)
    login(organiser)
    html = client.get(_url(gone, "/card")).get_data(as_text=True)
    assert 'class="qr-code"' not in html and "tanpa kode QR" in html


def test_overview_links_to_checkin_for_organisers(
    client, login, organiser, delegation, make_user
):
    """The event overview offers check-in and cards to its organisers only."""
    login(organiser)
    html = client.get(f"/events/{delegation.event_id}").get_data(as_text=True)
    assert f"/events/{delegation.event_id}/check-in/" in html


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_check_in_needs_the_csrf_token(
    client, login, organiser, delegation, make_delegate
):
    """Without the form's token the POST is refused; with it the tap works."""
    delegate = make_delegate(delegation)
    with client.session_transaction():
        pass
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post(
        "/auth/login",
        data={
            "email": organiser.email,
            "password": "rahasia-uji-123",
            "csrf_token": token.group(1),
        },
    )
    assert response.status_code == 302
    assert client.post(_url(delegate)).status_code == 400
    page = client.get(_url(delegate)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert client.post(
        _url(delegate), data={"csrf_token": token.group(1)}
    ).status_code == (302)
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.ATTENDED


# Checking in before the event, and taking a check-in back ------------------------------


def test_check_in_days_before_the_event_asks_first(
    client, login, organiser, make_event, make_delegation, make_delegate, make_person
):
    """Two or more days early the tap comes back with a question; ticking it checks in."""
    event = make_event(organisers=[organiser], starts_on=today() + timedelta(days=5))
    delegate = make_delegate(
        make_delegation(event), person=make_person(full_name="Siti Awal")
    )
    login(organiser)
    search = client.get(f"/events/{event.id}/check-in/?q=siti").text
    assert "baru dimulai" in search and "diminta konfirmasi dulu" in search
    page = client.get(_url(delegate)).text
    assert 'id="early-checkin"' in page and 'name="confirm_early"' in page

    asked = client.post(_url(delegate), data={"q": "siti"})
    assert asked.status_code == 200
    assert "centang kotak ini" in asked.text
    assert "5 hari lagi" in asked.text
    assert 'name="q" type="hidden" value="siti"' in asked.text  # back to the search
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.NOMINATED
    assert db.session.get(Delegate, delegate.id).changes == []

    done = client.post(_url(delegate), data={"q": "siti", "confirm_early": "y"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/events/{event.id}/check-in/?q=siti")
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.ATTENDED


def test_check_in_the_day_before_needs_no_question(
    client, login, organiser, make_event, make_delegation, make_delegate
):
    """Arrival day (the day before the first) is not early: one tap as always."""
    event = make_event(organisers=[organiser], starts_on=today() + timedelta(days=1))
    delegate = make_delegate(make_delegation(event))
    login(organiser)
    assert 'name="confirm_early"' not in client.get(_url(delegate)).text
    assert client.post(_url(delegate)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).status == DelegateStatus.ATTENDED


def test_undo_check_in_restores_the_status_and_is_in_the_history(
    client, login, organiser, delegation, make_delegate
):
    """A confirmed delegate checked in by mistake is confirmed again, audited."""
    delegate = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    login(organiser)
    assert client.post(_url(delegate)).status_code == 302
    page = client.get(_url(delegate)).text
    assert f'action="{_url(delegate, "/undo")}"' in page
    assert "Batalkan check-in" in page

    response = client.post(_url(delegate, "/undo"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(_url(delegate))
    page = client.get(response.headers["Location"]).text
    assert f"Check-in {delegate.person.full_name} dibatalkan." in page
    assert "Tandai hadir" in page
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    assert delegate.status == DelegateStatus.CONFIRMED
    assert delegate.attended_at is None
    assert delegate.delegation.confirmed_count == 1
    assert [(c.action, c.to_status) for c in delegate.changes] == [
        ("attended", "attended"),
        ("attendance_undone", "confirmed"),
    ]
    assert delegate.changes[1].by_user_id == organiser.id
    entry = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "attendance_undone")
    ).one()
    assert (entry.entity_id, entry.user_id) == (delegate.id, organiser.id)
    assert entry.changes == {"status": ["attended", "confirmed"]}
    history = client.get(f"/events/{delegation.event_id}/history/").text
    assert "check-in dibatalkan" in history
    assert (
        "Hadir 0 dari 1" in client.get(f"/events/{delegation.event_id}/check-in/").text
    )


def test_undo_of_a_nominee_checked_in_on_the_spot_frees_the_place(
    client, login, organiser, delegation, make_delegate
):
    """Checked in while only nominated: undo makes them a nominee again, place freed."""
    delegate = make_delegate(delegation)
    login(organiser)
    client.post(_url(delegate))
    db.session.expire_all()
    assert db.session.get(Delegate, delegate.id).delegation.confirmed_count == 1
    assert client.post(_url(delegate, "/undo")).status_code == 302
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    assert delegate.status == DelegateStatus.NOMINATED
    assert delegate.delegation.confirmed_count == 0


def test_undo_without_a_check_in_changes_nothing(
    client, login, organiser, delegation, make_delegate
):
    """Nobody to undo: a message, no change, no history line."""
    delegate = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    login(organiser)
    response = client.post(_url(delegate, "/undo"), follow_redirects=True)
    assert "belum tercatat hadir" in response.text
    db.session.expire_all()
    delegate = db.session.get(Delegate, delegate.id)
    assert delegate.status == DelegateStatus.CONFIRMED and delegate.changes == []
