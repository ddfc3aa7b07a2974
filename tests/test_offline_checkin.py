"""Offline check-in: records made on phones, sent late, sent twice, from two phones."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Delegate, DelegateChange, DelegateStatus
from planner.models.checkin import OfflineCheckin
from planner.services.events import today


@pytest.fixture
def organiser(make_user):
    return make_user("organiser")


@pytest.fixture
def event(make_event, organiser):
    return make_event(organisers=[organiser], starts_on=today())


@pytest.fixture
def people(make_delegation, make_delegate, event):
    delegation = make_delegation(event, quota=30)
    found = [
        make_delegate(delegation, status=DelegateStatus.CONFIRMED) for _ in range(20)
    ]
    db.session.commit()
    return found


def _record(delegate_id, at, action="in", client_id=None):
    return {
        "id": client_id or str(uuid.uuid4()),
        "delegate_id": delegate_id,
        "action": action,
        "at": at.isoformat(),
    }


def _sync(client, event, records):
    return client.post(f"/events/{event.id}/check-in/sync", json={"records": records})


def _attended(event_id):
    return db.session.scalars(
        sa.select(Delegate).where(
            Delegate.event_id == event_id, Delegate.status == DelegateStatus.ATTENDED
        )
    ).all()


def test_twenty_records_sent_twice_make_twenty_attendances(
    client, login, organiser, event, people
):
    login(organiser)
    moment = datetime.now(UTC) - timedelta(hours=1)
    records = [
        _record(d.id, moment + timedelta(seconds=i)) for i, d in enumerate(people)
    ]
    first = _sync(client, event, records)
    assert first.status_code == 200
    assert set(first.json["outcomes"].values()) == {"applied"}
    again = _sync(client, event, records)
    assert again.status_code == 200
    assert sorted(again.json["duplicates"]) == sorted(r["id"] for r in records)
    db.session.expire_all()
    attended = _attended(event.id)
    assert len(attended) == 20
    # Present from the moment of the tap, not of arrival.
    first_one = next(d for d in attended if d.id == people[0].id)
    assert first_one.attended_at == moment
    assert db.session.scalar(sa.select(sa.func.count(OfflineCheckin.id))) == 20


def test_two_phones_keep_the_earlier_moment_and_both_in_the_history(
    client, login, organiser, event, people
):
    login(organiser)
    person = people[0]
    later = datetime.now(UTC) - timedelta(minutes=5)
    earlier = later - timedelta(minutes=20)
    assert _sync(client, event, [_record(person.id, later)]).json["outcomes"]
    reply = _sync(client, event, [_record(person.id, earlier)])
    assert list(reply.json["outcomes"].values()) == ["earlier"]
    db.session.expire_all()
    delegate = db.session.get(Delegate, person.id)
    assert delegate.status == DelegateStatus.ATTENDED
    assert delegate.attended_at == earlier
    steps = db.session.scalars(
        sa.select(DelegateChange).where(
            DelegateChange.delegate_id == person.id,
            DelegateChange.action == "attended",
        )
    ).all()
    assert sorted(s.at for s in steps) == [earlier, later]
    # A third, later phone changes nothing but the history.
    assert list(
        _sync(client, event, [_record(person.id, later + timedelta(minutes=1))])
        .json["outcomes"]
        .values()
    ) == ["later"]


def test_an_undo_queued_offline_is_applied_once_and_only_after_its_check_in(
    client, login, organiser, event, people
):
    login(organiser)
    person = people[1]
    tapped = datetime.now(UTC) - timedelta(minutes=10)
    check_in = _record(person.id, tapped)
    undo = _record(person.id, tapped + timedelta(minutes=1), action="undo")
    reply = _sync(client, event, [undo, check_in])  # sorted by moment on arrival
    assert reply.json["outcomes"] == {check_in["id"]: "applied", undo["id"]: "applied"}
    db.session.expire_all()
    assert db.session.get(Delegate, person.id).status == DelegateStatus.CONFIRMED
    # An undo older than a check-in made since does not undo it.
    again = _record(person.id, tapped + timedelta(minutes=3))
    old_undo = _record(person.id, tapped + timedelta(minutes=2), action="undo")
    _sync(client, event, [again])
    assert (
        _sync(client, event, [old_undo]).json["outcomes"][old_undo["id"]] == "ignored"
    )
    db.session.expire_all()
    assert db.session.get(Delegate, person.id).status == DelegateStatus.ATTENDED


@pytest.mark.parametrize(
    "body",
    [
        None,
        {"records": "x"},
        {
            "records": [
                {
                    "id": "not-a-uuid",
                    "delegate_id": 1,
                    "action": "in",
                    "at": "2026-12-02T08:00:00+07:00",
                }
            ]
        },
        {
            "records": [
                {
                    "id": str(uuid.uuid4()),
                    "delegate_id": "1",
                    "action": "in",
                    "at": "2026-12-02T08:00:00+07:00",
                }
            ]
        },
        {
            "records": [
                {
                    "id": str(uuid.uuid4()),
                    "delegate_id": 1,
                    "action": "drop",
                    "at": "2026-12-02T08:00:00+07:00",
                }
            ]
        },
        {
            "records": [
                {
                    "id": str(uuid.uuid4()),
                    "delegate_id": 1,
                    "action": "in",
                    "at": "2026-12-02T08:00:00",
                }
            ]
        },
        {
            "records": [
                {
                    "id": str(uuid.uuid4()),
                    "delegate_id": 1,
                    "action": "in",
                    "at": "2999-01-01T00:00:00+00:00",
                }
            ]
        },
        {"records": [{}] * 501},
    ],
)
def test_unreadable_queues_are_refused_and_change_nothing(
    client, login, organiser, event, people, body
):
    login(organiser)
    response = client.post(f"/events/{event.id}/check-in/sync", json=body)
    assert response.status_code == 400
    assert response.json["error"]
    assert db.session.scalar(sa.select(sa.func.count(OfflineCheckin.id))) == 0


def test_someone_of_another_event_is_refused_by_record(
    client, login, organiser, event, people, make_delegate
):
    login(organiser)
    stranger = make_delegate(status=DelegateStatus.CONFIRMED)  # another event
    db.session.commit()
    record = _record(stranger.id, datetime.now(UTC))
    reply = _sync(client, event, [record])
    assert reply.json["outcomes"] == {record["id"]: "refused"}
    db.session.expire_all()
    assert db.session.get(Delegate, stranger.id).status == DelegateStatus.CONFIRMED


def test_the_list_the_phone_keeps(client, login, organiser, event, people):
    login(organiser)
    response = client.get(f"/events/{event.id}/check-in/offline/list.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    ids = {d["id"] for d in response.json["delegates"]}
    assert ids == {d.id for d in people}
    page = client.get(f"/events/{event.id}/check-in/offline")
    assert page.status_code == 200
    assert page.headers["X-Offline-Keep"] == "1"
    assert "/static/js/offline-checkin." in page.get_data(as_text=True)


def test_sync_reads_the_same_for_two_and_seventeen(
    client, login, organiser, event, people, count_queries
):
    """Reading is constant; writing is what each newly present person needs."""
    login(organiser)
    moment = datetime.now(UTC) - timedelta(hours=1)

    def reads(delegates):
        records = [_record(d.id, moment) for d in delegates]
        with count_queries() as statements:
            assert _sync(client, event, records).status_code == 200
        # Each status change is one keyed UPDATE whose rows planner/revisions.py looks
        # up by primary key to bump the calendars they appear in: a write's bookkeeping.
        return [
            s
            for s in statements
            if s.lstrip().upper().startswith("SELECT")
            and not s.startswith("SELECT delegates.id, delegates.delegation_id \nFROM")
        ]

    reads(people[:1])  # the first request after signing in reads a little more
    small = reads(people[1:3])
    large = reads(people[3:20])
    assert len(small) == len(large), ([s[:70] for s in small], [s[:70] for s in large])


def test_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.json["start_url"] == "/"
    assert {i["sizes"] for i in manifest.json["icons"]} == {"192x192", "512x512"}
    for icon in manifest.json["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert worker.headers["Cache-Control"] == "no-cache"
    body = worker.get_data(as_text=True)
    assert "offline-checkin." in body and "/offline" in body


def test_tonights_rooming_list_is_kept_for_offline(
    client, login, organiser, event, people, make_place
):
    from planner.models import PlaceKind
    from planner.models.rooms import Stay

    hotel = make_place(kind=PlaceKind.HOTEL, name="Hotel Luring")
    stay = Stay(
        event_id=event.id,
        place_id=hotel.id,
        check_in_on=event.starts_on,
        check_out_on=event.ends_on,
    )
    db.session.add(stay)
    db.session.commit()
    login(organiser)
    page = client.get(f"/events/{event.id}/check-in/offline").get_data(as_text=True)
    assert f"/events/{event.id}/rooms/stays/{stay.id}" in page
    kept = client.get(f"/events/{event.id}/rooms/stays/{stay.id}")
    assert kept.status_code == 200
    assert kept.headers["X-Offline-Keep"] == "1"
