"""The audit trail: every change of an event's plan is recorded, append-only, shown to
the event's organisers."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaKind,
    AuditEntry,
    DelegateStatus,
    Leg,
    Vehicle,
)
from planner.services.delegations import confirm_delegate, withdraw_delegate
from planner.services.seating import auto_assign


def _entries(event_id, entity=None):
    stmt = sa.select(AuditEntry).where(AuditEntry.event_id == event_id)
    if entity:
        stmt = stmt.where(AuditEntry.entity == entity)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def test_create_update_delete_are_recorded_with_before_and_after(make_vehicle):
    vehicle = make_vehicle(label="Travel A", seats=7)
    event_id, vehicle_id = vehicle.event_id, vehicle.id
    vehicle.seats = 9
    vehicle.plate = "BN 1234 AB"
    db.session.commit()
    db.session.delete(vehicle)
    db.session.commit()

    created, updated, deleted = _entries(event_id, "vehicle")
    assert (created.action, created.entity_id, created.summary) == (
        "create",
        vehicle_id,
        "Travel A",
    )
    assert created.changes["seats"] == [None, 7]
    assert created.user_id is None and created.user_label is None
    assert updated.action == "update"
    assert updated.changes == {"seats": [7, 9], "plate": [None, "BN 1234 AB"]}
    assert deleted.action == "delete"
    assert deleted.changes["label"] == ["Travel A", None]
    assert deleted.changes["seats"] == [9, None]


def test_secrets_and_bookkeeping_stay_out(make_delegate):
    delegate = make_delegate()
    (entry,) = _entries(delegate.event_id, "delegate")
    assert "feed_token" not in entry.changes and "updated_at" not in entry.changes
    assert delegate.feed_token not in str(entry.changes)
    delegate.feed_token = "a-new-secret-token-value-of-some-length"
    db.session.commit()
    assert len(_entries(delegate.event_id, "delegate")) == 1  # nothing worth recording


def test_delegate_steps_are_recorded_through_their_history(make_delegate):
    delegate = make_delegate()
    confirm_delegate(delegate)
    withdraw_delegate(delegate)
    db.session.commit()
    steps = [
        (e.action, e.changes.get("status"))
        for e in _entries(delegate.event_id, "delegate")
    ]
    assert ("confirmed", ["nominated", "confirmed"]) in steps
    assert ("withdrawn", ["confirmed", "withdrawn"]) in steps
    summaries = {e.summary for e in _entries(delegate.event_id, "delegate")}
    assert summaries == {delegate.person.full_name}, summaries


def test_leg_vehicles_membership_is_recorded(make_leg, make_vehicle):
    leg = make_leg()
    van = make_vehicle(event=leg.event)
    leg.vehicles.append(van)
    db.session.commit()
    entry = _entries(leg.event_id, "leg")[-1]
    assert entry.action == "update"
    assert entry.changes["vehicles"] == [[], [van.id]]


def test_automatic_seating_leaves_one_entry(make_delegate, make_trip, make_vehicle):
    delegate = make_delegate(status=DelegateStatus.CONFIRMED)
    trip = make_trip(event=delegate.event)
    make_vehicle(event=delegate.event, seats=4)
    auto_assign(trip)
    db.session.commit()
    (entry,) = [e for e in _entries(trip.event_id, "seat") if e.action == "auto_assign"]
    assert entry.changes["placed"] == [None, 1]
    assert entry.summary == trip.name


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET action = 'tampered'",
        "DELETE FROM audit_entries",
    ],
)
def test_the_trail_is_append_only_in_the_database(app, make_vehicle, statement):
    vehicle = make_vehicle()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))
    db.session.rollback()
    assert [e.action for e in _entries(vehicle.event_id)] == ["create"]


def test_history_page_who_may_see_it(
    client, login, make_user, make_event, make_vehicle
):
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    make_vehicle(event=event, label="Bus Merah")
    other = make_user("organiser")
    make_event(organisers=[other])
    url = f"/events/{event.id}/history/"

    assert client.get(url).status_code == 302  # anonymous: sign in first
    login(other)
    assert client.get(url).status_code == 403
    client.post("/auth/logout")
    login(make_user("participant"))
    assert client.get(url).status_code == 403
    client.post("/auth/logout")
    login(organiser)
    page = client.get(url)
    assert page.status_code == 200
    assert "Bus Merah" in page.get_data(as_text=True)
    assert client.get("/events/999999/history/").status_code == 404


def test_history_records_the_signed_in_user_and_filters(
    client, login, make_user, make_event
):
    organiser = make_user("organiser", email="panitia.riwayat@rombongan.test")
    event = make_event(organisers=[organiser])
    login(organiser)
    response = client.post(
        f"/events/{event.id}/transport/vehicles/new",
        data={"label": "Travel Biru", "kind": "travel_van", "seats": "7"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    entry = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.entity == "vehicle")
    ).one()
    assert (entry.user_id, entry.user_label) == (organiser.id, organiser.email)
    vehicle = db.session.get(Vehicle, entry.entity_id)
    assert vehicle.label == "Travel Biru"

    base = f"/events/{event.id}/history/"
    assert "Travel Biru" in client.get(f"{base}?who={organiser.id}").get_data(
        as_text=True
    )
    assert "Travel Biru" not in client.get(f"{base}?who=system").get_data(as_text=True)
    assert "Travel Biru" not in client.get(f"{base}?kind=leg").get_data(as_text=True)
    for junk in ("?who=99999999999999", "?kind=nope", "?page=-5", "?who=abc"):
        assert client.get(base + junk).status_code == 200
    assert client.get(base + "?kind=%00").status_code == 400  # NUL bytes: refused


def test_history_page_queries_stay_constant(
    client, login, make_user, make_event, make_vehicle, count_queries
):
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    login(organiser)
    url = f"/events/{event.id}/history/"
    make_vehicle(event=event)
    with count_queries() as few:
        client.get(url)
    for _ in range(30):
        make_vehicle(event=event)
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)


def test_deleted_rows_keep_their_history(make_leg):
    leg = make_leg()
    event_id, leg_id = leg.event_id, leg.id
    db.session.delete(leg)
    db.session.commit()
    assert db.session.get(Leg, leg_id) is None
    assert [e.action for e in _entries(event_id, "leg")] == ["create", "delete"]


def test_history_shows_times_in_the_event_zone(
    client, login, make_user, make_trip, make_leg
):
    organiser = make_user("organiser")
    trip = make_trip()
    trip.event.organisers.append(organiser)
    db.session.commit()
    make_leg(trip)
    login(organiser)
    html = client.get(f"/events/{trip.event_id}/history/").get_data(as_text=True)
    assert "+00:00" not in html  # no raw UTC stamps
    assert "07.00 WIB" in html  # the leg's 00.00 UTC departure, in the event's zone


def _row_texts(html: str) -> list[str]:
    """The history table's "what" cells, as people read them."""
    cells = re.findall(r'<td class="small">\s*(<span class="badge.*?)</td>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_history_calls_a_run_down_item_mata_acara(
    client,
    login,
    make_user,
    make_event,
    make_trip,
    make_vehicle,
    make_delegation,
    make_delegate,
):
    """ "Acara" is the event; an item of its run-down is a "mata acara" (issue 11)."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    db.session.add(
        AgendaItem(
            event=event,
            title="Doa syukur",
            kind=AgendaKind.PRAYER,
            starts_at=datetime(2030, 1, 1, 1, 0, tzinfo=UTC),
            ends_at=datetime(2030, 1, 1, 1, 30, tzinfo=UTC),
        )
    )
    make_delegate(make_delegation(event), status=DelegateStatus.CONFIRMED)
    trip = make_trip(event=event, name="Pulang")
    make_vehicle(event=event)
    auto_assign(trip)
    db.session.commit()
    login(organiser)
    url = f"/events/{event.id}/history/"
    rows = _row_texts(client.get(url).get_data(as_text=True))
    assert "Mata acara Doa syukur dibuat" in rows
    assert not any(row.startswith("Acara ") for row in rows)
    assert "Kursi Pulang kursi dibagi otomatis" in rows

    client.post("/language", data={"lang": "en", "next": url})
    rows = _row_texts(client.get(url).get_data(as_text=True))
    assert "Agenda items Doa syukur was created" in rows
    assert "Seats Return seats assigned automatically" in rows
