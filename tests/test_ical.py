"""The iCalendar builder and what each feed holds: read back by icalendar AND vobject,
times compared in UTC (a WITA → WIB flight), time zones, stable bytes, revisions,
cancellations, folding, audiences and personal data, fingerprints, the demo tour."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from planner.exports.ical import (
    DEFAULT_REFRESH,
    DEFAULT_UID_DOMAIN,
    build_calendar,
    etag,
)
from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaStatus,
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Person,
    SeatAssignment,
    User,
)
from planner.models import user as user_model
from planner.services import feeds
from tests import calendar_support
from tests.calendar_support import (
    DRIVER,
    DRIVER_PHONE,
    FLIGHT_ARRIVES,
    FLIGHT_DEPARTS,
    PLATE,
    ROAD_ARRIVES,
    ROAD_DEPARTS,
    SEAT,
    calendar_of,
    long_lines,
    parse,
)

#: The shared calendar world (a fixture, see calendar_support).
world = calendar_support.world


def _fresh() -> None:
    """Forget loaded objects, as a new request would."""
    db.session.expire_all()


def public_bytes(world) -> bytes:
    _fresh()
    return build_calendar(feeds.public_feed(world.event_id))


def delegate_bytes(world, delegate_id=None) -> bytes:
    _fresh()
    return build_calendar(feeds.delegate_feed(delegate_id or world.delegate_id))


def delegation_bytes(world, delegation_id=None) -> bytes:
    _fresh()
    return build_calendar(feeds.delegation_feed(delegation_id or world.delegation_id))


def test_flight_from_wita_to_wib_keeps_both_zones_and_instants(world):
    for data in (public_bytes(world), delegate_bytes(world), delegation_bytes(world)):
        entries = parse(data)
        flight = entries[f"leg-{world.flight_id}@rombongan.id"]
        assert flight.start_tzid == "Asia/Makassar"
        assert flight.end_tzid == "Asia/Jakarta"
        assert flight.start_utc == FLIGHT_DEPARTS
        assert flight.end_utc == FLIGHT_ARRIVES
        # Written as the local clock of each end: 09.00 WITA, 10.30 WIB.
        assert b"DTSTART;TZID=Asia/Makassar:20270506T090000" in data
        assert b"DTEND;TZID=Asia/Jakarta:20270506T103000" in data
        road = entries[f"leg-{world.road_id}@rombongan.id"]
        assert (road.start_tzid, road.end_tzid) == ("Asia/Jakarta", "Asia/Jakarta")
        assert (road.start_utc, road.end_utc) == (ROAD_DEPARTS, ROAD_ARRIVES)
        opening = entries[f"agenda-{world.opening_id}@rombongan.id"]
        assert opening.start_tzid == "Asia/Jakarta"
        item = db.session.get(AgendaItem, world.opening_id)
        assert (opening.start_utc, opening.end_utc) == (item.starts_at, item.ends_at)
        # One VTIMEZONE per zone used, sorted by TZID, before the entries.
        cal = calendar_of(data)
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [
            "Asia/Jakarta",
            "Asia/Makassar",
        ]
        assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")
        assert cal.get_missing_tzids() == set()


def test_calendar_properties(world):
    data = public_bytes(world)
    cal = calendar_of(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//Rombongan//Jadwal Acara//ID"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["NAME"]) == str(cal["X-WR-CALNAME"]) == "Rakor IPSM Nasional"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data
    assert cal.refresh_interval == timedelta(hours=1)
    assert "DESCRIPTION" in cal and "X-WR-CALDESC" in cal
    opening = next(c for c in cal.walk("VEVENT") if c["UID"].startswith("agenda-"))
    # Stamps are the row's own times: no "now" in the feed.
    item = db.session.get(AgendaItem, world.opening_id)
    assert opening["DTSTAMP"].dt == item.updated_at.replace(microsecond=0)
    assert opening["LAST-MODIFIED"].dt == item.updated_at.replace(microsecond=0)
    assert opening["CREATED"].dt == item.created_at.replace(microsecond=0)
    assert opening["GEO"].latitude == pytest.approx(-6.2349)
    assert "Ruang Melati, Hotel Balai Kartini, Jl. Gatot Subroto" in str(
        opening["LOCATION"]
    )
    text = str(opening["DESCRIPTION"])
    assert "Pembukaan · 08.00–09.00 WIB" in text
    assert (
        "Narasumber: Dr. H. Ahmad Fauzi, M.Si. (Kepala Dinas Sosial Provinsi, "
        "Pemerintah Provinsi DKI Jakarta)" in text
    )
    assert "Pembawa acara (MC): Sari Pembawa Acara" in text


def test_uid_domain_is_a_setting(world):
    _fresh()
    feed = feeds.public_feed(world.event_id)
    data = build_calendar(feed, uid_domain="jadwal.contoh.id")
    assert set(parse(data)) >= {f"agenda-{world.opening_id}@jadwal.contoh.id"}
    assert b"@rombongan.id" not in data


def test_unchanged_data_gives_identical_bytes(world):
    assert public_bytes(world) == public_bytes(world)
    assert delegate_bytes(world) == delegate_bytes(world)
    assert delegation_bytes(world) == delegation_bytes(world)


def test_stays_keep_the_bytes_stable_and_follow_the_event(
    world, make_place, make_delegate
):
    """A personal feed with a stay: the same bytes for the same data, built afresh or
    from cached entries; the stay sorts on its check-in date; the public feed is
    unchanged by it; a cancelled event cancels the stay like every other entry."""
    from planner.blueprints.feeds.cache import LocalCache

    public_before = public_bytes(world)
    calendar_support.book_stay(
        world, make_place=make_place, make_delegate=make_delegate
    )
    assert public_bytes(world) == public_before
    data = delegate_bytes(world)
    assert data == delegate_bytes(world)
    cache = LocalCache(1 << 20)
    _fresh()
    feed = feeds.delegate_feed(world.delegate_id)
    assert build_calendar(feed, cache=cache) == data
    assert build_calendar(feed, cache=cache) == data  # every entry from the cache
    assert not long_lines(data)
    uids = [line for line in data.split(b"\r\n") if line.startswith(b"UID:")]
    # 6 May: the stay (all day, from midnight WIB), the flight and the ride; 7 May:
    # the items.
    assert [u.split(b"-")[0] for u in uids][:4] == [
        b"UID:stay",
        b"UID:leg",
        b"UID:leg",
        b"UID:agenda",
    ]

    before = calendar_support.stays_of(parse(data))
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.CANCELLED
    event.cancelled_reason = "Banjir di lokasi acara."
    db.session.commit()
    after = calendar_support.stays_of(parse(delegate_bytes(world)))
    assert set(after) == set(before)
    for uid, entry in after.items():
        assert entry.status == "CANCELLED"
        assert entry.summary == "DIBATALKAN: " + before[uid].summary
        assert entry.sequence == before[uid].sequence + 1
        assert entry.description.startswith("Acara ini dibatalkan.\nAlasan: Banjir")
        assert entry.description.endswith("Sekamar dengan: Rahmat Bangka")


def test_text_is_indonesian_whatever_the_locale(app, world):
    from flask_babel import force_locale

    with force_locale("en"):
        data = public_bytes(world)
    flight = parse(data)[f"leg-{world.flight_id}@rombongan.id"].description
    assert "Berangkat: Bandara Sultan Hasanuddin, Kamis, 6 Mei 2027 · 09.00 WITA" in (
        flight
    )
    assert "Tiba: Bandara Soekarno-Hatta, Kamis, 6 Mei 2027 · 10.30 WIB" in flight


def test_sequence_rises_with_each_change_of_an_item(world):
    uid = f"agenda-{world.opening_id}@rombongan.id"
    before = parse(public_bytes(world))[uid]
    item = db.session.get(AgendaItem, world.opening_id)
    item.title = "Pembukaan Rakor (diundur)"
    item.starts_at += timedelta(minutes=30)
    db.session.commit()
    after = parse(public_bytes(world))[uid]
    assert after.sequence == before.sequence + 1
    assert after.summary == "Pembukaan Rakor (diundur)"
    assert after.start_utc == before.start_utc + timedelta(minutes=30)
    leg_uid = f"leg-{world.flight_id}@rombongan.id"
    leg_before = parse(public_bytes(world))[leg_uid]
    leg = db.session.get(Leg, world.flight_id)
    leg.vessel = "GA 617"
    db.session.commit()
    leg_after = parse(public_bytes(world))[leg_uid]
    assert leg_after.sequence == leg_before.sequence + 1
    assert "GA 617" in leg_after.description


def test_cancelled_item_stays_with_its_uid(world):
    uid = f"agenda-{world.opening_id}@rombongan.id"
    before = parse(public_bytes(world))[uid]
    item = db.session.get(AgendaItem, world.opening_id)
    item.status = AgendaStatus.CANCELLED
    db.session.commit()
    data = public_bytes(world)
    after = parse(data)[uid]
    assert after.status == "CANCELLED"
    assert after.summary == "DIBATALKAN: Pembukaan Rakor"
    assert after.sequence > before.sequence
    assert after.start_utc == before.start_utc
    others = [e for u, e in parse(data).items() if u != uid]
    assert others and all(e.status == "CONFIRMED" for e in others)


def test_cancelled_event_cancels_every_entry(world):
    before = parse(public_bytes(world))
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.CANCELLED
    event.cancelled_reason = "Banjir di lokasi acara."
    db.session.commit()
    after = parse(public_bytes(world))
    assert set(after) == set(before)
    for uid, entry in after.items():
        assert entry.status == "CANCELLED", uid
        assert entry.summary.startswith("DIBATALKAN: ")
        assert entry.sequence == before[uid].sequence + 1
        assert "Banjir di lokasi acara." in entry.description


def test_lines_are_folded_at_75_octets(world):
    item = db.session.get(AgendaItem, world.opening_id)
    title = "Sambutan Kepala Dinas Sosial — “Peran PSM” ✓ 😀 " * 4  # within 200
    notes = "Catatan panjang: é ü ñ — " * 20 + "\n" + "Baris kedua 😀" * 10
    item.title = title.strip()
    item.notes = notes
    db.session.commit()
    for data in (public_bytes(world), delegate_bytes(world), delegation_bytes(world)):
        assert long_lines(data) == []
        assert b"\r\n " in data  # folded, not just short
        entry = parse(data)[f"agenda-{world.opening_id}@rombongan.id"]
        assert entry.summary == title.strip()
        assert notes.strip() in entry.description


def test_public_feed_leaves_out_committee_items_and_personal_data(world):
    data = public_bytes(world)
    entries = parse(data)
    uids = {u.split("@")[0] for u in entries}
    assert uids == {
        f"agenda-{world.opening_id}",
        f"agenda-{world.for_makassar_id}",
        f"agenda-{world.for_bangka_id}",
        f"leg-{world.flight_id}",
        f"leg-{world.road_id}",
    }
    unfolded = data.replace(b"\r\n ", b"").decode()
    for secret in (
        DRIVER,
        DRIVER_PHONE,
        PLATE,
        "Kursi",
        "Andi Makassar",
        "Rahmat Bangka",
        "KODE-RAHASIA-1",
        "Rapat panitia",
        "Evaluasi panitia",
    ):
        assert secret not in unfolded, secret
    road = entries[f"leg-{world.road_id}@rombongan.id"]
    assert "Kendaraan: Travel 1" in road.description


def test_delegate_feed_has_their_items_legs_vehicle_and_seat(world):
    entries = parse(delegate_bytes(world))
    uids = {u.split("@")[0] for u in entries}
    assert uids == {
        f"agenda-{world.opening_id}",
        f"agenda-{world.for_makassar_id}",  # their delegation's
        f"agenda-{world.moderated_id}",  # a committee item they moderate
        f"leg-{world.flight_id}",  # listing their delegation
        f"leg-{world.road_id}",  # carrying their vehicle
    }
    road = entries[f"leg-{world.road_id}@rombongan.id"].description
    assert f"Kendaraan Anda: Travel 1 ({PLATE})" in road
    assert f"Kursi: {SEAT}" in road
    assert f"Sopir: {DRIVER} · {DRIVER_PHONE}" in road
    assert "Titik kumpul: Bandara Soekarno-Hatta, Kabupaten Tangerang" in road
    flight = entries[f"leg-{world.flight_id}@rombongan.id"].description
    assert "Kursi" not in flight  # no vehicle of the event on the flight
    assert "Kode pemesanan: KODE-RAHASIA-1" in flight
    assert "Rahmat Bangka" not in delegate_bytes(world).decode()


def test_committee_delegate_sees_committee_items(world):
    delegate = db.session.get(Delegate, world.other_delegate_id)
    delegate.role = DelegateRole.COMMITTEE
    db.session.commit()
    uids = {u.split("@")[0] for u in parse(delegate_bytes(world, delegate.id))}
    assert uids == {
        f"agenda-{world.opening_id}",
        f"agenda-{world.committee_id}",
        f"agenda-{world.moderated_id}",
        f"agenda-{world.for_bangka_id}",
        f"leg-{world.road_id}",
    }


def test_delegation_feed_counts_members_per_vehicle(world, make_delegate):
    delegation = db.session.get(Delegation, world.delegation_id)
    third = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    trip_id, vehicle_id = world.trip_id, world.vehicle_id
    db.session.add(
        SeatAssignment(
            trip_id=trip_id, vehicle_id=vehicle_id, delegate_id=third.id, seat_number=6
        )
    )
    withdrawn = make_delegate(delegation, status=DelegateStatus.WITHDRAWN)
    db.session.add(
        SeatAssignment(trip_id=trip_id, vehicle_id=vehicle_id, delegate_id=withdrawn.id)
    )
    db.session.commit()
    entries = parse(delegation_bytes(world))
    uids = {u.split("@")[0] for u in entries}
    assert uids == {
        f"agenda-{world.opening_id}",
        f"agenda-{world.for_makassar_id}",
        f"leg-{world.flight_id}",
        f"leg-{world.road_id}",
    }
    road = entries[f"leg-{world.road_id}@rombongan.id"].description
    assert f"Anggota delegasi: 2 orang di Travel 1 ({PLATE})" in road
    # The other delegation's feed: only the van, with its one member.
    other = parse(delegation_bytes(world, world.other_delegation_id))
    assert {u.split("@")[0] for u in other if u.startswith("leg-")} == {
        f"leg-{world.road_id}"
    }
    assert (
        "1 orang di Travel 1" in other[f"leg-{world.road_id}@rombongan.id"].description
    )


def test_withdrawn_delegate_has_no_feed(world):
    delegate = db.session.get(Delegate, world.delegate_id)
    assert feeds.find_subscription(delegate.feed_token) is not None
    delegate.status = DelegateStatus.WITHDRAWN
    db.session.commit()
    assert feeds.find_subscription(world.delegate_token) is None
    # The delegation's feed goes on.
    assert feeds.find_subscription(world.delegation_token).kind == feeds.DELEGATION


def test_tokens_revoke_and_reissue(world):
    delegate = db.session.get(Delegate, world.delegate_id)
    old = delegate.feed_token
    assert len(old) >= 32 and feeds.valid_token(old)
    new = feeds.reissue_feed_token(delegate)
    db.session.commit()
    assert new != old and len(new) >= 32
    assert feeds.find_subscription(old) is None
    assert feeds.find_subscription(new).id == world.delegate_id
    feeds.revoke_feed_token(delegate)
    db.session.commit()
    assert delegate.feed_token is None
    assert feeds.find_subscription(new) is None


@pytest.mark.parametrize(
    "token",
    ["", "x", "a" * 65, "a" * 20 + "/..", "a" * 20 + "\x00", "ü" * 20, "' OR 1=1 --"],
)
def test_malformed_tokens_are_not_found(world, token):
    assert feeds.find_subscription(token) is None


def _etag(version) -> str:
    return etag(version.key, uid_domain=DEFAULT_UID_DOMAIN, refresh=DEFAULT_REFRESH)


def _etags(world) -> tuple[str, str, str]:
    return (
        _etag(feeds.version_by_slug(world.slug)),
        _etag(feeds.version_by_token(world.delegate_token)),
        _etag(feeds.version_by_token(world.delegation_token)),
    )


def test_fingerprint_names_what_it_found(world):
    public = feeds.version_by_slug(world.slug)
    assert (public.event_id, public.is_draft, public.kind, public.owner_id) == (
        world.event_id,
        False,
        feeds.PUBLIC,
        world.event_id,
    )
    assert public.stored
    mine = feeds.version_by_token(world.delegate_token)
    assert (mine.kind, mine.owner_id, mine.event_id) == (
        feeds.DELEGATE,
        world.delegate_id,
        world.event_id,
    )
    theirs = feeds.version_by_token(world.delegation_token)
    assert (theirs.kind, theirs.owner_id) == (feeds.DELEGATION, world.delegation_id)
    assert feeds.version_by_slug("tidak-ada") is None
    assert feeds.version_by_slug("Tidak Ada!") is None
    assert feeds.version_by_token("x" * 32) is None
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.DRAFT
    db.session.commit()
    assert feeds.version_by_slug(world.slug).is_draft
    assert feeds.version_by_token(world.delegate_token).is_draft
    delegate = db.session.get(Delegate, world.delegate_id)
    delegate.status = DelegateStatus.REPLACED
    db.session.commit()
    assert feeds.version_by_token(world.delegate_token) is None


def test_fingerprint_follows_every_change(world):
    first = _etags(world)
    assert _etags(world) == first
    assert len(set(first)) == 3
    item = db.session.get(AgendaItem, world.opening_id)
    item.notes = "Dress code: batik."
    db.session.commit()
    second = _etags(world)
    assert all(a != b for a, b in zip(first, second, strict=True))
    db.session.delete(db.session.get(AgendaItem, world.for_bangka_id))
    db.session.commit()
    third = _etags(world)
    assert all(a != b for a, b in zip(second, third, strict=True))
    # A seat moved by hand changes the delegate's and the delegation's feeds.
    seat = db.session.scalars(
        db.select(SeatAssignment).filter_by(delegate_id=world.delegate_id)
    ).one()
    seat.seat_number = 9
    db.session.commit()
    fourth = _etags(world)
    assert fourth[1] != third[1]
    # The person's name is the personal calendar's name.
    person = db.session.get(Delegate, world.delegate_id).person
    person.full_name = "Andi Makassar, S.Sos."
    db.session.commit()
    fifth = _etags(world)
    assert fifth[1] != fourth[1]
    # Places are shown (name, address, coordinates): the venue, a leg's end.
    for place in (
        db.session.get(Event, world.event_id).venue,
        db.session.get(Leg, world.flight_id).from_place,
    ):
        place.address = f"Alamat baru {place.id}"
        db.session.commit()
        sixth = _etags(world)
        assert all(a != b for a, b in zip(fifth, sixth, strict=True))
        fifth = sixth


def test_fingerprint_last_modified_is_the_latest_change(world):
    before = feeds.version_by_slug(world.slug).changed_at
    leg = db.session.get(Leg, world.road_id)
    leg.notes = "Bus menunggu di pintu kedatangan."
    db.session.commit()
    after = feeds.version_by_slug(world.slug).changed_at
    assert after >= db.session.get(Leg, world.road_id).updated_at
    assert after > before
    # A deletion moves it too (the revision is written at every change).
    db.session.delete(db.session.get(AgendaItem, world.opening_id))
    db.session.commit()
    assert feeds.version_by_slug(world.slug).changed_at > after


def test_fingerprint_is_one_query_and_loaders_are_constant(
    app, world, count_queries, make_delegate, make_leg, make_trip
):
    def counts() -> tuple[int, ...]:
        out = []
        for fn in (
            lambda: feeds.version_by_token(world.delegate_token),
            lambda: public_bytes(world),
            lambda: delegate_bytes(world),
            lambda: delegation_bytes(world),
        ):
            _fresh()
            with count_queries() as queries:
                fn()
            out.append(len(queries))
        return tuple(out)

    few = counts()
    assert few[0] == 1
    event = db.session.get(Event, world.event_id)
    delegation = db.session.get(Delegation, world.delegation_id)
    delegation.quota = 50
    source = db.session.get(AgendaItem, world.opening_id)
    trip = make_trip(event, name="Pulang")
    for n in range(12):
        item = AgendaItem(
            event=event,
            title=f"Sesi {n}",
            kind=source.kind,
            starts_at=source.starts_at + timedelta(days=1, hours=n % 8),
            ends_at=source.ends_at + timedelta(days=1, hours=n % 8),
            audience=source.audience,
            place=db.session.get(Leg, world.road_id).from_place if n % 2 else None,
        )
        item.speakers = [s.__class__(name=f"Narasumber {n}") for s in source.speakers]
        db.session.add(item)
        member = make_delegate(delegation, status=DelegateStatus.CONFIRMED)
        leg = make_leg(
            trip,
            departs_at=datetime(2027, 5, 9, n, 0, tzinfo=UTC),
            arrives_at=datetime(2027, 5, 9, n, 30, tzinfo=UTC),
        )
        leg.vehicles.append(db.session.get(Leg, world.road_id).vehicles[0])
        leg.delegations.append(delegation)
        db.session.add(
            SeatAssignment(
                trip=trip,
                vehicle_id=world.vehicle_id,
                delegate_id=member.id if n else world.delegate_id,
                seat_number=n + 1,
            )
        )
    db.session.commit()
    many = counts()
    assert many == few
    assert len(parse(public_bytes(world))) > 20


# The demo --------------------------------------------------------------------------


@pytest.fixture
def fast_hashing(monkeypatch):
    """Hash demo passwords cheaply: scrypt costs ~0.4 s per account here."""
    monkeypatch.setattr(
        user_model,
        "generate_password_hash",
        lambda password: generate_password_hash(password, method="pbkdf2:sha256:1000"),
    )


def test_demo_participant_feed_shows_the_tour_legs_in_wib(app_ctx, fast_hashing):
    from zoneinfo import ZoneInfo

    from planner.services.demo import load_demo

    load_demo()
    db.session.commit()
    account = db.session.scalars(
        db.select(User).filter_by(email="peserta@rombongan.test")
    ).one()
    delegate = db.session.scalars(
        db.select(Delegate)
        .join(Event, Event.id == Delegate.event_id)
        .where(
            Delegate.person_id == account.person_id,
            Event.slug == "tour-studi-pgk-jkt-2024",
        )
    ).one()
    found = feeds.find_subscription(delegate.feed_token)
    assert found is not None and found.kind == feeds.DELEGATE
    data = build_calendar(feeds.delegate_feed(delegate.id))
    assert long_lines(data) == []
    entries = parse(data)
    legs = sorted(
        (e for u, e in entries.items() if u.startswith("leg-")),
        key=lambda e: e.start_utc,
    )
    assert len(legs) == 12  # six legs there, six back
    wib = ZoneInfo("Asia/Jakarta")
    first, last = legs[0], legs[-1]
    # "Berangkat" starts 7 May 2024 at 05.00 WIB at the meeting point.
    assert first.start_tzid == "Asia/Jakarta"
    assert first.start_utc == datetime(2024, 5, 7, 5, 0, tzinfo=wib)
    assert first.end_utc == datetime(2024, 5, 7, 8, 0, tzinfo=wib)
    assert "Kursi:" in first.description and "Kendaraan Anda:" in first.description
    assert "05.00 WIB" in first.description
    assert last.end_utc == datetime(2024, 5, 12, 16, 30, tzinfo=wib)
    persons = {d.person_id for d in db.session.scalars(db.select(Delegate))}
    assert account.person_id in persons
    assert db.session.get(Person, account.person_id).full_name in str(
        calendar_of(data)["X-WR-CALNAME"]
    )


# The same bytes for the same data ------------------------------------------------------

GOLDEN = Path(__file__).parent / "data" / "calendars"
CREATED = datetime(2027, 1, 4, 2, 3, 4, tzinfo=UTC)
UPDATED = datetime(2027, 2, 5, 6, 7, 8, 123456, tzinfo=UTC)


def _freeze_times() -> None:
    """Put every stamp a feed shows on fixed instants, so bytes can be compared with
    files written by an earlier version of the builder."""
    for model in (AgendaItem, Leg, Event):
        table = model.__table__
        db.session.execute(
            sa.update(table).values(created_at=CREATED, updated_at=UPDATED)
        )
    db.session.commit()


def _named_uids(world, data: bytes) -> bytes:
    """UIDs with names instead of ids (ids differ between databases)."""
    names = {
        f"agenda-{world.opening_id}": "agenda-opening",
        f"agenda-{world.committee_id}": "agenda-committee",
        f"agenda-{world.for_makassar_id}": "agenda-for-makassar",
        f"agenda-{world.for_bangka_id}": "agenda-for-bangka",
        f"agenda-{world.moderated_id}": "agenda-moderated",
        f"leg-{world.flight_id}": "leg-flight",
        f"leg-{world.road_id}": "leg-road",
    }
    return re.sub(
        rb"UID:((?:agenda|leg)-\d+)@",
        lambda m: b"UID:" + names[m.group(1).decode()].encode() + b"@",
        data,
    )


def _compare_with_golden(name: str, data: bytes) -> None:
    path = GOLDEN / f"{name}.ics"
    if os.environ.get("WRITE_GOLDEN_CALENDARS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert data == path.read_bytes(), name


def test_feed_bytes_match_the_golden_files(world):
    """The bytes of every kind of feed are exactly those of the files in
    tests/data/calendars (written by the first version of the builder): a faster
    builder, a cache or a new loader must not change a byte for the same data."""
    _freeze_times()
    _compare_with_golden("public", _named_uids(world, public_bytes(world)))
    _compare_with_golden("delegate", _named_uids(world, delegate_bytes(world)))
    _compare_with_golden("delegation", _named_uids(world, delegation_bytes(world)))
    # Long lines with multi-byte characters, a cancelled item, then the whole event.
    item = db.session.get(AgendaItem, world.opening_id)
    item.title = ("Sambutan Kepala Dinas Sosial — “Peran PSM” ✓ 😀 " * 4).strip()
    item.notes = "Catatan panjang: é ü ñ — " * 20 + "\n" + "Baris kedua 😀" * 10
    db.session.get(AgendaItem, world.for_makassar_id).status = AgendaStatus.CANCELLED
    db.session.commit()
    _freeze_times()
    _compare_with_golden("folded", _named_uids(world, public_bytes(world)))
    event = db.session.get(Event, world.event_id)
    event.status = EventStatus.CANCELLED
    event.cancelled_reason = "Banjir di lokasi acara."
    db.session.commit()
    _freeze_times()
    _compare_with_golden("cancelled", _named_uids(world, delegate_bytes(world)))
