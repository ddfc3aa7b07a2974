"""Calendar feeds over HTTP: the public feed and its draft rule, secret addresses
(revoke, reissue, garbage), conditional requests (ETag, Last-Modified, 304 in two
queries), constant query counts, and the subscription pages and their links."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Person,
    Room,
    RoomAssignment,
    SeatAssignment,
    Stay,
    leg_vehicles,
)
from planner.services import feeds
from tests import calendar_support
from tests.calendar_support import DRIVER, PLATE, SEAT, parse

#: The shared calendar world (a fixture, see calendar_support).
world = calendar_support.world


def public_url(world) -> str:
    return f"/events/{world.slug}/calendar.ics"


def token_url(token: str) -> str:
    return f"/feeds/{token}.ics"


def _assert_calendar(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"]
    return parse(response.get_data())


# The public feed -------------------------------------------------------------------


def test_public_feed_of_a_published_event(client, world):
    response = client.get(public_url(world))
    entries = _assert_calendar(response)
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert f"agenda-{world.opening_id}@rombongan.id" in entries
    assert f"agenda-{world.committee_id}@rombongan.id" not in entries
    body = response.get_data(as_text=True).replace("\r\n ", "")
    assert DRIVER not in body and PLATE not in body and "Kursi" not in body


def test_draft_feed_is_only_for_its_organisers(client, login, world):
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(public_url(world)).status_code == 404
    login(world.other_organiser)
    assert client.get(public_url(world)).status_code == 404
    client.post("/auth/logout")
    login(world.organiser)
    response = client.get(public_url(world))
    _assert_calendar(response)
    assert response.headers["Cache-Control"] == "private, no-cache"
    # Secret feeds of a draft are off too.
    client.post("/auth/logout")
    assert client.get(token_url(world.delegate_token)).status_code == 404


@pytest.mark.parametrize(
    "slug",
    [
        "tidak-ada",
        "x" * 500,
        "Rakor-IPSM",
        "rakor%00ipsm",
        "%F0%9F%98%80",
        "rakor..ipsm",
        "' OR 1=1 --",
        "9" * 40,
    ],
)
def test_unknown_or_odd_slugs_are_a_short_404(client, world, slug):
    response = client.get(f"/events/{slug}/calendar.ics")
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert len(response.get_data()) < 100


def test_feeds_are_indonesian_and_need_no_session(client, world):
    response = client.get(public_url(world), headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert "Berangkat: Bandara Sultan Hasanuddin" in body.replace("\r\n ", "")
    assert "Set-Cookie" not in response.headers


def test_committee_notes_are_in_no_feed(client, world):
    opening = db.session.get(AgendaItem, world.opening_id)
    opening.notes = "Hadir 15 menit lebih awal."
    opening.committee_notes = "Kunci aula di pos satpam, HP 0812 9999 0000."
    db.session.commit()
    for url in (
        public_url(world),
        token_url(world.delegate_token),
        token_url(world.delegation_token),
    ):
        body = client.get(url).get_data(as_text=True).replace("\r\n ", "")
        assert "Hadir 15 menit lebih awal." in body, url
        assert "pos satpam" not in body and "9999" not in body, url


# Secret addresses -----------------------------------------------------------------


def test_delegate_feed_by_token(client, world):
    response = client.get(token_url(world.delegate_token))
    entries = _assert_calendar(response)
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["X-Robots-Tag"] == "noindex"
    road = entries[f"leg-{world.road_id}@rombongan.id"]
    assert f"Kursi: {SEAT}" in road.description
    assert f"Kendaraan Anda: Travel 1 ({PLATE})" in road.description
    assert f"agenda-{world.moderated_id}@rombongan.id" in entries


def test_delegation_feed_by_token(client, world):
    entries = _assert_calendar(client.get(token_url(world.delegation_token)))
    assert f"agenda-{world.for_makassar_id}@rombongan.id" in entries
    assert f"agenda-{world.for_bangka_id}@rombongan.id" not in entries
    assert (
        "1 orang di Travel 1"
        in entries[f"leg-{world.road_id}@rombongan.id"].description
    )


@pytest.mark.parametrize(
    "token",
    [
        "tidak-ada-token-seperti-ini-1234",
        "a" * 65,
        "a" * 5000,
        "abc",
        "aaaaaaaaaaaaaaaaaaaa%00",
        "aaaaaaaaaaaaaaaaaaaa%27%20OR%201%3D1",
        "%E2%80%AE" * 10,
        "..",
    ],
)
def test_garbage_tokens_are_a_short_404(client, world, token):
    response = client.get(token_url(token))
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_tampered_token_is_not_found(client, world):
    token = world.delegate_token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(token_url(tampered)).status_code == 404
    assert client.get(token_url(token.upper())).status_code in (200, 404)
    assert client.get(token_url(token)).status_code == 200


def test_revoke_and_reissue_from_the_page(client, login, world):
    login(world.participant)
    base = f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    old = world.delegate_token
    response = client.post(base + "/reissue")
    assert response.status_code == 302
    new = db.session.scalar(
        db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
    )
    assert new and new != old
    assert client.get(token_url(old)).status_code == 404
    assert client.get(token_url(new)).status_code == 200
    page = client.get(base).get_data(as_text=True)
    assert new in page and old not in page
    assert "Alamat kalender baru sudah dibuat" in page

    assert client.post(base + "/revoke").status_code == 302
    assert client.get(token_url(new)).status_code == 404
    page = client.get(base).get_data(as_text=True)
    assert "Alamat kalender dicabut" in page
    assert 'id="revoked"' in page and "webcal://" not in page
    assert "Buat alamat baru" in page and 'id="revoke"' not in page
    # A new address after a revocation works.
    client.post(base + "/reissue")
    newest = db.session.scalar(
        db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
    )
    assert newest not in (None, new, old)
    assert client.get(token_url(newest)).status_code == 200


def test_delegation_address_is_revoked_by_its_head(client, login, world):
    login(world.head)
    base = f"/events/{world.event_id}/delegations/{world.delegation_id}/calendar"
    assert client.post(base + "/revoke").status_code == 302
    assert client.get(token_url(world.delegation_token)).status_code == 404
    assert (
        db.session.scalar(
            db.select(Delegation.feed_token).filter_by(id=world.delegation_id)
        )
        is None
    )


def test_withdrawn_delegate_feed_is_gone(client, login, world):
    delegate = db.session.get(Delegate, world.delegate_id)
    delegate.status = DelegateStatus.WITHDRAWN
    db.session.commit()
    assert client.get(token_url(world.delegate_token)).status_code == 404
    login(world.organiser)
    base = f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    page = client.get(base).get_data(as_text=True)
    assert "sudah mundur atau diganti" in page and "webcal://" not in page
    # No new address for someone who left.
    client.post(base + "/reissue")
    assert (
        db.session.scalar(db.select(Delegate.feed_token).filter_by(id=delegate.id))
        == world.delegate_token
    )


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_address_buttons_need_the_csrf_token(client, world, app_config):
    with client.session_transaction() as session:
        session["_user_id"] = world.participant.get_id()
        session["_fresh"] = True
    base = f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    page = client.get(base).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, page[:500]
    assert client.post(base + "/revoke").status_code == 400
    assert (
        db.session.scalar(
            db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
        )
        == world.delegate_token
    )
    response = client.post(base + "/revoke", data={"csrf_token": token.group(1)})
    assert response.status_code == 302
    assert (
        db.session.scalar(
            db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
        )
        is None
    )


# Conditional requests ---------------------------------------------------------------


@pytest.mark.parametrize("which", ["public", "delegate", "delegation"])
def test_304_when_nothing_changed_and_200_after_a_change(client, world, which):
    url = {
        "public": public_url(world),
        "delegate": token_url(world.delegate_token),
        "delegation": token_url(world.delegation_token),
    }[which]
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    by_date = client.get(
        url, headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert by_date.status_code == 304

    item = db.session.get(AgendaItem, world.opening_id)
    item.room = "Aula Lantai 2"
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Aula Lantai 2" in changed.get_data(as_text=True)
    etag = changed.headers["ETag"]

    # Deleting an item changes the ETag too (the counts do).
    db.session.delete(db.session.get(AgendaItem, world.opening_id))
    db.session.commit()
    deleted = client.get(url, headers={"If-None-Match": etag})
    assert deleted.status_code == 200
    assert f"agenda-{world.opening_id}@" not in deleted.get_data(as_text=True)


def test_seat_change_refreshes_the_personal_feed(client, world):
    url = token_url(world.delegate_token)
    etag = client.get(url).headers["ETag"]
    seat = db.session.scalars(
        db.select(SeatAssignment).filter_by(delegate_id=world.delegate_id)
    ).one()
    seat.seat_number = 8
    db.session.commit()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Kursi: 8" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"If-None-Match": '"unterminated'},
        {"If-None-Match": "W/"},
        {"If-None-Match": ",,,;;;"},
        {"If-None-Match": "x" * 10_000},
        {"If-None-Match": '"\u00ff"'},
        {"If-Modified-Since": "kemarin sore"},
        {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
        {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"If-None-Match": '""', "If-Modified-Since": "Fri, 31 Dec 9999 23:59:59 GMT"},
    ],
)
def test_malformed_conditional_headers_get_a_full_answer(client, world, headers):
    for url in (public_url(world), token_url(world.delegate_token)):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, headers)
        assert b"BEGIN:VCALENDAR" in response.get_data()


def test_304_and_an_unchanged_feed_take_one_query(client, world, count_queries):
    """The stored revision answers a conditional request, and names the built bytes
    an unconditional re-poll gets from the cache (Google Calendar sends no ETag)."""
    for url in (
        public_url(world),
        token_url(world.delegate_token),
        token_url(world.delegation_token),
    ):
        first = client.get(url)
        with count_queries() as queries:
            response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert response.status_code == 304
        assert len(queries) == 1, queries
        with count_queries() as queries:
            again = client.get(url)
        assert again.get_data() == first.get_data()
        assert len(queries) == 1, queries


def test_a_conditional_get_opens_no_transaction_on_postgresql(client, world):
    """On PostgreSQL the revision is read in autocommit when nothing else was read:
    no BEGIN before it, no ROLLBACK after it, the request's session never begins."""
    from flask_sqlalchemy.session import Session

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads through the session")
    begun = []

    def after_begin(session, transaction, connection):
        begun.append(connection)

    sa.event.listen(Session, "after_begin", after_begin)
    try:
        for url in (public_url(world), token_url(world.delegate_token)):
            etag = client.get(url).headers["ETag"]
            begun.clear()
            response = client.get(url, headers={"If-None-Match": etag})
            assert response.status_code == 304
            assert begun == []
    finally:
        sa.event.remove(Session, "after_begin", after_begin)


def test_a_revision_read_inside_a_transaction_sees_its_writes(app_ctx, world):
    before = feeds.version_by_slug(world.slug).revisions
    db.session.execute(
        sa.text(
            "UPDATE feed_revisions SET revision = revision + 100"
            " WHERE kind = 'event' AND owner_id = :id"
        ),
        {"id": world.event_id},
    )
    assert feeds.version_by_slug(world.slug).revisions == (before[0] + 100,)
    db.session.rollback()
    assert feeds.version_by_slug(world.slug).revisions == before


def _grow(world, make_delegate, make_trip, make_leg, n: int) -> None:
    """Add n items (with speakers), n legs and n seated delegates."""
    event = db.session.get(Event, world.event_id)
    delegation = db.session.get(Delegation, world.delegation_id)
    delegation.quota += n
    road = db.session.get(Leg, world.road_id)
    van, venue = road.vehicles[0], road.to_place
    trip = make_trip(event, name=f"Kunjungan {n}")
    for i in range(n):
        starts = datetime(2027, 5, 8, 1, 0, tzinfo=UTC) + timedelta(minutes=20 * i)
        item = AgendaItem(
            event=event,
            title=f"Sesi {i}",
            kind=AgendaKind.MATERIAL,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=15),
            place=venue if i % 2 else None,
        )
        item.speakers = [AgendaSpeaker(name=f"Narasumber {i}", title="Dosen")]
        db.session.add(item)
        member = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
        leg = make_leg(
            trip,
            departs_at=datetime(2027, 5, 9, 0, 0, tzinfo=UTC) + timedelta(hours=i),
            arrives_at=datetime(2027, 5, 9, 0, 30, tzinfo=UTC) + timedelta(hours=i),
        )
        leg.vehicles.append(van)
        db.session.add(
            SeatAssignment(
                trip=trip,
                vehicle=van,
                delegate_id=member.id if i else world.delegate_id,
                seat_number=i + 1,
            )
        )
    db.session.commit()


def test_feed_query_counts_do_not_grow(
    client, world, count_queries, make_delegate, make_trip, make_leg
):
    urls = (
        public_url(world),
        token_url(world.delegate_token),
        token_url(world.delegation_token),
    )

    def counts() -> list[int]:
        out = []
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    few = counts()
    _grow(world, make_delegate, make_trip, make_leg, 2)
    two = counts()
    _grow(world, make_delegate, make_trip, make_leg, 9)
    many = counts()
    assert few == two == many, (few, two, many)
    assert len(parse(client.get(urls[1]).get_data())) > 15


# Subscription pages --------------------------------------------------------------------


def test_delegate_sees_their_subscription_page(client, login, world):
    login(world.participant)
    response = client.get(
        f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    https = f"http://localhost/feeds/{world.delegate_token}.ics"
    webcal = f"webcal://localhost/feeds/{world.delegate_token}.ics"
    assert https in page and f'href="{webcal}"' in page
    google = "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    assert google.replace("&", "&amp;") in page or google in page
    assert "<svg" in page and "Kode QR alamat kalender" in page
    assert "Tambahkan ke Google Calendar" in page
    assert "Buat alamat baru" in page and "Cabut alamat" in page
    assert "Kalender saya" in page
    assert "Saat ini: 3 mata acara, 2 perjalanan." in page


@pytest.mark.parametrize(
    "who,status",
    [
        ("participant", 200),
        ("head", 200),  # chapter head of the delegate's region
        ("organiser", 200),
        ("other_head", 403),  # chapter head of another region
        ("other_organiser", 403),  # organiser of another event
    ],
)
def test_delegate_page_permissions(client, login, world, who, status):
    login(getattr(world, who))
    base = f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    assert client.get(base).status_code == status
    before = world.delegate_token
    response = client.post(base + "/revoke")
    assert response.status_code == (302 if status == 200 else 403)
    token = db.session.scalar(
        db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
    )
    assert (token is None) == (status == 200)
    if status != 200:
        assert token == before


@pytest.mark.parametrize(
    "who,status",
    [("head", 200), ("organiser", 200), ("other_head", 403), ("participant", 403)],
)
def test_delegation_page_permissions(client, login, world, who, status):
    login(getattr(world, who))
    base = f"/events/{world.event_id}/delegations/{world.delegation_id}/calendar"
    response = client.get(base)
    assert response.status_code == status
    if status == 200:
        page = response.get_data(as_text=True)
        assert f"webcal://localhost/feeds/{world.delegation_token}.ics" in page
        assert "Kalender delegasi" in page
    assert client.post(base + "/reissue").status_code == (302 if status == 200 else 403)


def test_pages_need_sign_in(client, world):
    for url in (
        f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar",
        f"/events/{world.event_id}/delegations/{world.delegation_id}/calendar",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
        assert client.post(url + "/revoke").status_code == 302
    assert (
        db.session.scalar(
            db.select(Delegate.feed_token).filter_by(id=world.delegate_id)
        )
        == world.delegate_token
    )


def test_another_events_delegate_in_the_url_is_404(client, login, world, make_event):
    other = make_event(organisers=[world.organiser])
    login(world.organiser)
    for url in (
        f"/events/{other.id}/delegates/{world.delegate_id}/calendar",
        f"/events/{other.id}/delegations/{world.delegation_id}/calendar",
        f"/events/{world.event_id}/delegates/{2**31 - 1}/calendar",
        f"/events/{world.event_id}/delegations/{2**31}/calendar",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/events/{other.id}/delegates/{world.delegate_id}/calendar/revoke"
    )
    assert response.status_code == 404


# Links from other pages --------------------------------------------------------------


def test_links_to_the_calendars(client, login, world):
    login(world.participant)
    trip = client.get("/my/trip").get_data(as_text=True)
    assert f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar" in trip
    assert "Kalender saya" in trip
    card = client.get(
        f"/events/{world.event_id}/check-in/{world.delegate_id}/card"
    ).get_data(as_text=True)
    assert f"webcal://localhost/feeds/{world.delegate_token}.ics" in card
    assert card.count("<svg") == 2  # the check-in QR and the calendar QR
    assert card.index("delegate-card-qr") < card.index("calendar-strip")

    client.post("/auth/logout")
    login(world.head)
    roster = client.get(
        f"/events/{world.event_id}/delegations/{world.delegation_id}"
    ).get_data(as_text=True)
    assert "Kalender delegasi" in roster
    assert f"/delegations/{world.delegation_id}/calendar" in roster

    overview = client.get(f"/events/{world.event_id}").get_data(as_text=True)
    assert f"http://localhost/events/{world.slug}/calendar.ics" in overview
    assert "Kalender acara" in overview


def test_overview_of_a_draft_has_no_public_address(client, login, world):
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.DRAFT
    db.session.commit()
    login(world.organiser)
    overview = client.get(f"/events/{world.event_id}").get_data(as_text=True)
    assert "calendar.ics" not in overview
    assert "aktif setelah acara diterbitkan" in overview


def test_confirmations_elsewhere_leave_a_feed_unchanged(
    client, make_delegation, make_delegate
):
    """Other people confirming (which moves their delegation's count) is no change to
    this delegate's calendar: the feed still answers 304."""
    from planner.extensions import db
    from planner.models import DelegateStatus
    from planner.services.delegations import confirm_delegate

    mine = make_delegate(status=DelegateStatus.CONFIRMED)
    other_delegation = make_delegation(mine.event, name="Kabupaten Lain", region=None)
    other = make_delegate(other_delegation)
    url = f"/feeds/{mine.feed_token}.ics"
    first = client.get(url)
    assert first.status_code == 200
    confirm_delegate(other)
    db.session.commit()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


# Query counts at two sizes, revisions of bulk statements, several processes ------------


def _bulk_grow(world, items: int, legs: int) -> None:
    """Grow the event to ``items`` agenda items (each with a speaker) and ``legs``
    more legs in the van, by bulk statements through the session (as the plan import
    and the bench write)."""
    event_id = world.event_id
    road = db.session.get(Leg, world.road_id)
    have = db.session.scalar(
        db.select(db.func.count(AgendaItem.id)).filter_by(event_id=event_id)
    )
    start = datetime(2027, 5, 8, 1, 0, tzinfo=UTC)
    rows = [
        {
            "event_id": event_id,
            "title": f"Sesi {n}",
            "kind": AgendaKind.MATERIAL,
            "starts_at": start + timedelta(minutes=5 * n),
            "ends_at": start + timedelta(minutes=5 * n + 4),
            "place_id": road.to_place_id if n % 2 else None,
            "room": f"Ruang {n % 3}",
        }
        for n in range(have, items)
    ]
    ids = db.session.scalars(
        sa.insert(AgendaItem).returning(AgendaItem.id, sort_by_parameter_order=True),
        rows,
    ).all()
    db.session.execute(
        sa.insert(AgendaSpeaker),
        [{"item_id": i, "name": f"Narasumber {i}", "title": "Dosen"} for i in ids],
    )
    leg_ids = db.session.scalars(
        sa.insert(Leg).returning(Leg.id, sort_by_parameter_order=True),
        [
            {
                "event_id": event_id,
                "trip_id": world.trip_id,
                "position": 10 + n,
                "from_place_id": road.from_place_id,
                "to_place_id": road.to_place_id,
                "mode": "road",
                "departs_at": start + timedelta(days=2, hours=n),
                "arrives_at": start + timedelta(days=2, hours=n, minutes=30),
            }
            for n in range(legs)
        ],
    ).all()
    db.session.execute(
        sa.insert(leg_vehicles),
        [{"leg_id": i, "vehicle_id": world.vehicle_id} for i in leg_ids],
    )
    db.session.commit()


def test_feed_queries_are_the_same_at_300_and_2000_items(
    app, client, world, count_queries
):
    urls = (
        public_url(world),
        token_url(world.delegate_token),
        token_url(world.delegation_token),
    )

    def counts() -> list[tuple[int, int, int]]:
        out = []
        for url in urls:
            with count_queries() as built:
                first = client.get(url)
            assert first.status_code == 200
            with count_queries() as cached:
                assert client.get(url).get_data() == first.get_data()
            with count_queries() as not_modified:
                response = client.get(
                    url, headers={"If-None-Match": first.headers["ETag"]}
                )
            assert response.status_code == 304
            out.append((len(built), len(cached), len(not_modified)))
        return out

    _bulk_grow(world, 300, 20)
    small = counts()
    _bulk_grow(world, 2000, 120)
    large = counts()
    assert small == large, (small, large)
    assert all(cached == not_modified == 1 for _b, cached, not_modified in large)
    entries = parse(client.get(urls[1]).get_data())
    assert len([u for u in entries if u.startswith("agenda-")]) >= 1995


def test_bulk_statements_change_the_feeds(client, world):
    """Automatic seating (bulk DELETE and INSERT), a bulk UPDATE of items and a bulk
    status move reach the stored revisions as surely as the unit of work does."""
    from planner.services.seating import auto_assign

    urls = (public_url(world), token_url(world.delegate_token))

    def tags():
        return [client.get(url).headers["ETag"] for url in urls]

    first = tags()
    db.session.execute(
        sa.update(AgendaItem)
        .where(AgendaItem.id == world.opening_id)
        .values(title="Pembukaan (baru)", sequence=AgendaItem.sequence + 1)
    )
    db.session.commit()
    second = tags()
    assert all(a != b for a, b in zip(first, second, strict=True))
    assert "Pembukaan (baru)" in client.get(urls[0]).get_data(as_text=True)

    db.session.execute(
        sa.delete(SeatAssignment).where(SeatAssignment.trip_id == world.trip_id)
    )
    db.session.commit()
    third = tags()
    assert third[0] == second[0]  # seats are not in the public feed
    assert third[1] != second[1]
    assert "Kursi:" not in client.get(urls[1]).get_data(as_text=True)
    trip = db.session.get(Leg, world.road_id).trip
    auto_assign(trip)
    db.session.commit()
    assert tags()[1] != third[1]
    assert "Kursi:" in client.get(urls[1]).get_data(as_text=True)


def test_a_revision_rolled_back_is_not_written(app_ctx, world):
    before = feeds.version_by_slug(world.slug).revisions
    db.session.get(AgendaItem, world.opening_id).title = "Tidak jadi"
    db.session.flush()
    db.session.rollback()
    db.session.get(Event, world.event_id)
    db.session.commit()
    assert feeds.version_by_slug(world.slug).revisions == before


def test_imported_and_copied_events_have_stored_revisions(app_ctx, world):
    from planner.services.copying import copy_event
    from planner.services.plans import export_plan, import_plan

    event = db.session.get(Event, world.event_id)
    imported = import_plan(export_plan(event), slug="rakor-salinan-impor").event
    db.session.commit()
    assert feeds.version_by_slug(imported.slug).stored
    copy = copy_event(
        event,
        title="Rakor IPSM Nasional 2028",
        starts_on=event.starts_on.replace(year=2028),
        by_user=world.organiser,
        include_delegates=True,
        include_seats=True,
    )
    db.session.commit()
    assert feeds.version_by_slug(copy.slug).stored


def _second_app(app, **config):
    """Another application (another worker) on the same database."""
    from planner import create_app
    from tests.conftest import _config

    other = _config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    other.update(config)
    second = create_app(other)
    second.test_client_class = type(app.test_client())
    return second


REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/3")


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    return client


@pytest.mark.parametrize("shared", [False, True], ids=["in-process", "redis"])
def test_a_change_in_one_worker_shows_in_every_other(app, world, shared):
    """Two workers, each with its cache (and Redis between them, or not): a change
    committed through one is served at once by the other, never the stale feed."""
    config = {}
    if shared:
        _redis_or_skip()
        config["REDIS_URL"] = REDIS_TEST_URL
    one = _second_app(app, **config)
    two = _second_app(app, **config)
    a, b = one.test_client(), two.test_client()
    for url in (public_url(world), token_url(world.delegate_token)):
        assert b.get(url).get_data() == a.get(url).get_data()
    with one.app_context():
        db.session.get(AgendaItem, world.opening_id).room = "Aula Lantai 9"
        seat = db.session.scalars(
            db.select(SeatAssignment).filter_by(delegate_id=world.delegate_id)
        ).one()
        seat.seat_number = 12
        db.session.commit()
        db.engine.dispose()
    for url in (public_url(world), token_url(world.delegate_token)):
        body = b.get(url).get_data(as_text=True).replace("\r\n ", "")
        assert "Aula Lantai 9" in body, url
    assert "Kursi: 12" in b.get(token_url(world.delegate_token)).get_data(as_text=True)
    with two.app_context():
        db.engine.dispose()
    if shared:
        # The second worker built nothing the first had not: it found the bytes.
        from planner.blueprints.feeds.cache import feed_cache

        assert feed_cache(one).redis is not None


# Stays in the personal feed (issue 12) ---------------------------------------------------


@pytest.fixture
def booked(world, make_place, make_delegate):
    """The world with its hotel stay booked (see calendar_support.book_stay)."""
    return calendar_support.book_stay(
        world, make_place=make_place, make_delegate=make_delegate
    )


def _stay_entries(client, url: str) -> dict:
    return calendar_support.stays_of(_assert_calendar(client.get(url)))


def test_the_personal_feed_carries_each_stay_and_no_other_feed_does(
    client, world, booked
):
    import icalendar

    response = client.get(token_url(world.delegate_token))
    entries = calendar_support.stays_of(_assert_calendar(response))
    assert list(entries) == [f"stay-{booked.stay_id}@rombongan.id"]
    entry = entries[f"stay-{booked.stay_id}@rombongan.id"]
    assert entry.summary == f"Menginap: {calendar_support.HOTEL} · kamar Asrama 1"
    assert entry.description == "Sekamar dengan: Rahmat Bangka"
    assert (entry.start_utc, entry.end_utc) == (
        calendar_support.CHECK_IN,
        calendar_support.CHECK_OUT,
    )
    assert entry.start_tzid is None and entry.status == "CONFIRMED"
    assert entry.location.startswith(calendar_support.HOTEL)
    assert calendar_support.HOTEL_ADDRESS in entry.location
    component = next(
        c
        for c in icalendar.Calendar.from_ical(response.data).walk("VEVENT")
        if str(c["UID"]).startswith("stay-")
    )
    assert (component["GEO"].latitude, component["GEO"].longitude) == (
        calendar_support.HOTEL_LAT,
        calendar_support.HOTEL_LON,
    )
    assert b"DTSTART;VALUE=DATE:20270506\r\n" in response.data
    # The roommate's feed names the delegate; the outsider sleeps alone.
    other = db.session.get(Delegate, world.other_delegate_id)
    theirs = _stay_entries(client, token_url(other.feed_token))
    assert [e.description for e in theirs.values()] == ["Sekamar dengan: Andi Makassar"]
    alone = _stay_entries(client, token_url(booked.outsider_token))
    assert [e.summary for e in alone.values()] == [
        f"Menginap: {calendar_support.HOTEL} · kamar Twin 1"
    ]
    assert [e.description for e in alone.values()] == [""]
    # Neither the public feed nor the delegation's shows hotels or rooms.
    for url in (public_url(world), token_url(world.delegation_token)):
        data = client.get(url).get_data()
        assert not calendar_support.stays_of(_assert_calendar(client.get(url)))
        assert calendar_support.HOTEL.encode() not in data


def _roommate_joins(world, booked):
    from planner.services.rooms import assign_room

    room = db.session.get(Room, booked.shared_room_id)
    outsider = db.session.get(Delegate, booked.outsider_id)
    assign_room(room, delegate=outsider)


def _change_stay(world, booked):
    from planner.services.rooms import update_stay

    stay = db.session.get(Stay, booked.stay_id)
    update_stay(
        stay,
        data={
            "place_id": stay.place_id,
            "check_in_on": stay.check_in_on,
            "check_out_on": stay.check_out_on + timedelta(days=1),
        },
    )


def _relabel_room(world, booked):
    from planner.services.rooms import update_room

    room = db.session.get(Room, booked.shared_room_id)
    update_room(
        room,
        data={"label": "305", "room_type": "dormitory", "beds": 4, "rate": 0},
    )


def _rename_roommate(world, booked):
    db.session.get(Delegate, world.other_delegate_id).person.full_name = "Rahmat B."


def _move_hotel(world, booked):
    db.session.get(Stay, booked.stay_id).place.address = "Jl. Kebon Sirih 1"


def _unassign(world, booked):
    from planner.services.rooms import unassign_room

    unassign_room(
        db.session.get(Stay, booked.stay_id),
        delegate=db.session.get(Delegate, world.delegate_id),
    )


def _move_bed(world, booked):
    from planner.services.rooms import assign_room

    room = db.session.get(Room, booked.twin_room_id)
    assign_room(room, delegate=db.session.get(Delegate, world.delegate_id))


def _roommate_leaves(world, booked):
    from planner.services.rooms import unassign_room

    unassign_room(
        db.session.get(Stay, booked.stay_id),
        delegate=db.session.get(Delegate, world.other_delegate_id),
    )


def _delete_room(world, booked):
    from planner.services.rooms.stays import delete_room

    delete_room(db.session.get(Room, booked.shared_room_id))


def _delete_stay(world, booked):
    from planner.services.rooms.stays import delete_stay

    delete_stay(db.session.get(Stay, booked.stay_id))


def _new_stay(world, booked):
    from planner.services.rooms import add_rooms, assign_room, create_stay

    event = db.session.get(Event, world.event_id)
    stay = create_stay(
        event,
        data={
            "new_place_name": "Wisma Transit",
            "check_in_on": calendar_support.CHECK_OUT,
            "check_out_on": calendar_support.CHECK_OUT + timedelta(days=1),
        },
    )
    room = add_rooms(stay, data={"room_type": "single", "count": 1})[0]
    assign_room(room, delegate=db.session.get(Delegate, world.delegate_id))


#: change → (what the delegate's stays read afterwards, whether the outsider's feed
#: changes too).
STAY_CHANGES = {
    "new stay": (_new_stay, ["Asrama 1", "Wisma Transit"], False),
    "bed moved": (_move_bed, ["Twin 1"], True),
    "bed taken away": (_unassign, [], False),
    "roommate joins": (_roommate_joins, ["Rahmat Bangka, "], True),
    "roommate leaves": (_roommate_leaves, ["Asrama 1"], False),
    "roommate renamed": (_rename_roommate, ["Rahmat B."], False),
    "room relabelled": (_relabel_room, ["kamar 305"], False),
    "room deleted": (_delete_room, [], False),
    "stay changed": (_change_stay, ["Asrama 1"], True),
    "stay deleted": (_delete_stay, [], True),
    "hotel moved": (_move_hotel, ["Jl. Kebon Sirih 1"], True),
}


@pytest.mark.parametrize("change", list(STAY_CHANGES))
def test_each_change_of_a_bed_room_or_stay_refreshes_the_personal_feed(
    client, world, booked, change
):
    """Adding, editing, deleting or moving a stay, room or bed changes the stored
    revision of every personal feed that shows it, and of no other feed."""
    act, expected, outsider_changes = STAY_CHANGES[change]
    urls = {
        "mine": token_url(world.delegate_token),
        "outsider": token_url(booked.outsider_token),
        "public": public_url(world),
        "delegation": token_url(world.delegation_token),
    }
    first = {name: client.get(url) for name, url in urls.items()}
    before = calendar_support.stays_of(_assert_calendar(first["mine"]))
    act(world, booked)
    db.session.commit()
    after = {
        name: client.get(url, headers={"If-None-Match": first[name].headers["ETag"]})
        for name, url in urls.items()
    }
    assert after["mine"].status_code == 200
    stays = calendar_support.stays_of(_assert_calendar(after["mine"]))
    assert stays != before
    shown = "\n".join(
        f"{e.summary}\n{e.description}\n{e.location}" for e in stays.values()
    )
    for text in expected:
        assert text in shown, (change, shown)
    if not expected:
        assert not stays
    assert after["outsider"].status_code == (200 if outsider_changes else 304)
    assert after["public"].status_code == 304
    assert after["delegation"].status_code == 304


def test_a_stay_edit_raises_the_entry_sequence(client, world, booked):
    url = token_url(world.delegate_token)
    (before,) = _stay_entries(client, url).values()
    _change_stay(world, booked)
    db.session.commit()
    (after,) = _stay_entries(client, url).values()
    assert after.sequence == before.sequence + 1
    assert after.end_utc == calendar_support.CHECK_OUT + timedelta(days=1)


def test_bulk_statements_on_beds_rooms_and_stays_change_the_personal_feed(
    client, world, booked
):
    """The automatic assignment (bulk DELETE and INSERT of beds) and bulk deletes of
    rooms and stays reach the stored revisions, though the database deletes the beds
    (ON DELETE CASCADE) where the session does not see them."""
    from planner.services.rooms import auto_assign_rooms

    url = token_url(world.delegate_token)

    def etag() -> str:
        return client.get(url).headers["ETag"]

    tags = [etag()]
    db.session.execute(
        sa.update(RoomAssignment)
        .where(RoomAssignment.stay_id == booked.stay_id)
        .values(is_pinned=False)
    )
    db.session.commit()
    tags.append(etag())
    # A bed moved by a bulk UPDATE reaches the room it joins (whose id the statement
    # names only in its values).
    outsider_url = token_url(booked.outsider_token)
    outsider_tag = client.get(outsider_url).headers["ETag"]
    db.session.execute(
        sa.update(RoomAssignment)
        .where(RoomAssignment.delegate_id == world.delegate_id)
        .values(room_id=booked.twin_room_id)
    )
    db.session.commit()
    tags.append(etag())
    assert tags[-1] != tags[-2]
    assert client.get(outsider_url).headers["ETag"] != outsider_tag
    (entry,) = calendar_support.stays_of(
        _assert_calendar(client.get(outsider_url))
    ).values()
    assert entry.description == "Sekamar dengan: Andi Makassar"
    auto_assign_rooms(db.session.get(Event, world.event_id))
    db.session.commit()
    tags.append(etag())
    assert tags[-1] != tags[-2]
    assert _stay_entries(client, url)
    room_id = db.session.scalars(
        sa.select(RoomAssignment.room_id).filter_by(delegate_id=world.delegate_id)
    ).one()
    db.session.execute(sa.delete(Room).where(Room.id == room_id))
    db.session.commit()
    tags.append(etag())
    assert tags[-1] != tags[-2] and not _stay_entries(client, url)
    auto_assign_rooms(db.session.get(Event, world.event_id))
    db.session.commit()
    tags.append(etag())
    assert tags[-1] != tags[-2] and _stay_entries(client, url)
    db.session.execute(sa.delete(Stay).where(Stay.id == booked.stay_id))
    db.session.commit()
    tags.append(etag())
    assert tags[-1] != tags[-2] and not _stay_entries(client, url)


def test_a_deleted_roommate_leaves_the_personal_feed(client, world, booked):
    url = token_url(world.delegate_token)
    first = client.get(url)
    db.session.execute(
        sa.delete(SeatAssignment).where(
            SeatAssignment.delegate_id == world.other_delegate_id
        )
    )
    db.session.delete(db.session.get(Delegate, world.other_delegate_id))
    db.session.commit()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    (entry,) = calendar_support.stays_of(_assert_calendar(again)).values()
    assert "Rahmat" not in entry.description


def _fill_hotel(world, booked, *, stays: int, roommates: int, guests: int) -> None:
    """Grow the booking by bulk statements: ``stays`` more stays, in each a dormitory
    shared by the delegate and ``roommates`` others, and ``guests`` more delegates with
    a bed each in a room of their own."""
    delegation = db.session.get(Delegation, world.other_delegation_id)
    first = db.session.get(Stay, booked.stay_id)
    have = db.session.scalar(
        sa.select(sa.func.count(Delegate.id)).filter_by(event_id=world.event_id)
    )
    person_ids = db.session.scalars(
        sa.insert(Person).returning(Person.id, sort_by_parameter_order=True),
        [
            {"full_name": f"Tamu Hotel {n}", "region_id": delegation.region_id}
            for n in range(have, have + roommates + guests)
        ],
    ).all()
    delegate_ids = db.session.scalars(
        sa.insert(Delegate).returning(Delegate.id, sort_by_parameter_order=True),
        [
            {
                "event_id": world.event_id,
                "delegation_id": delegation.id,
                "person_id": person_id,
                "status": DelegateStatus.CONFIRMED,
                "role": "participant",
                "feed_token": f"tamu-hotel-token-{person_id:08d}",
            }
            for person_id in person_ids
        ],
    ).all()
    booked_before = db.session.scalar(
        sa.select(sa.func.count(Stay.id)).filter_by(event_id=world.event_id)
    )
    stay_ids = db.session.scalars(
        sa.insert(Stay).returning(Stay.id, sort_by_parameter_order=True),
        [
            {
                "event_id": world.event_id,
                "place_id": first.place_id,
                "check_in_on": first.check_in_on - timedelta(days=n + 1),
                "check_out_on": first.check_in_on - timedelta(days=n),
            }
            for n in range(booked_before - 1, booked_before - 1 + stays)
        ],
    ).all()
    now = datetime(2027, 1, 1, tzinfo=UTC)
    beds = []
    for stay_id in stay_ids:
        (dorm,) = db.session.scalars(
            sa.insert(Room).returning(Room.id),
            [
                {
                    "stay_id": stay_id,
                    "label": "Barak",
                    "room_type": "dormitory",
                    "beds": 100,
                }
            ],
        ).all()
        for delegate_id in (world.delegate_id, *delegate_ids[:roommates]):
            beds.append((stay_id, dorm, delegate_id))
    room_ids = db.session.scalars(
        sa.insert(Room).returning(Room.id, sort_by_parameter_order=True),
        [
            {
                "stay_id": first.id,
                "label": f"Kamar {have + n}",
                "room_type": "single",
                "beds": 1,
                "position": 10 + n,
            }
            for n in range(guests)
        ],
    ).all()
    beds.extend(
        (first.id, room_id, delegate_id)
        for room_id, delegate_id in zip(room_ids, delegate_ids[roommates:], strict=True)
    )
    db.session.execute(
        sa.insert(RoomAssignment),
        [
            {"stay_id": s, "room_id": r, "delegate_id": d, "created_at": now}
            for s, r, d in beds
        ],
    )
    db.session.commit()


def test_personal_feed_queries_are_the_same_at_10_and_200_beds(
    client, world, booked, count_queries
):
    url = token_url(world.delegate_token)

    def counts() -> tuple[int, int, int]:
        with count_queries() as built:
            first = client.get(url)
        assert first.status_code == 200
        with count_queries() as cached:
            assert client.get(url).get_data() == first.get_data()
        with count_queries() as not_modified:
            response = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert response.status_code == 304
        return len(built), len(cached), len(not_modified)

    _fill_hotel(world, booked, stays=2, roommates=4, guests=4)
    small = counts()
    assert len(_stay_entries(client, url)) == 3
    _fill_hotel(world, booked, stays=4, roommates=96, guests=100)
    large = counts()
    assert small == large, (small, large)
    assert large[1] == large[2] == 1
    stays = _stay_entries(client, url)
    assert len(stays) == 7
    assert max(e.description.count(",") for e in stays.values()) >= 95


def test_subscription_page_says_the_stays_are_in_the_calendar(
    client, login, world, booked
):
    login(world.participant)
    page = client.get(
        f"/events/{world.event_id}/delegates/{world.delegate_id}/calendar"
    ).get_data(as_text=True)
    assert "Malam-malam Anda di hotel" in page
    assert "Saat ini: 3 mata acara, 2 perjalanan. 1 penginapan." in page


def test_a_confirmation_leaves_the_delegate_s_and_delegation_s_feeds_unchanged(
    client, make_delegation, make_delegate
):
    """Feeds list active delegates without showing which active status they are in,
    and no feed shows a delegation's count: confirming, checking in and undoing it
    keep both calendars' ETags (304); withdrawing ends the delegate's feed."""
    from planner.extensions import db
    from planner.models import DelegateStatus
    from planner.services.delegations import (
        confirm_delegate,
        mark_attended,
        undo_attendance,
        withdraw_delegate,
    )

    delegation = make_delegation(name="Kabupaten Bangka")
    delegate = make_delegate(delegation, status=DelegateStatus.NOMINATED)
    urls = [f"/feeds/{delegate.feed_token}.ics", f"/feeds/{delegation.feed_token}.ics"]
    tags = {url: client.get(url).headers["ETag"] for url in urls}
    for step in (confirm_delegate, mark_attended, undo_attendance):
        step(delegate)
        db.session.commit()
        for url in urls:
            again = client.get(url, headers={"If-None-Match": tags[url]})
            assert again.status_code == 304, (step.__name__, url)
    withdraw_delegate(delegate)
    db.session.commit()
    assert client.get(urls[0]).status_code == 404
