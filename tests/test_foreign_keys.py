"""The database itself keeps a delegate in its delegation's event, and a seat's trip,
vehicle and delegate in one event: rows inserted with plain SQL, past every service,
are refused on every backend."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Delegate, SeatAssignment


@pytest.fixture
def two_events(make_event, make_delegation, make_delegate, make_vehicle, make_trip):
    """Event X and event Y, each with a delegation, a delegate, a vehicle and a trip."""
    found = {}
    for key in ("x", "y"):
        event = make_event()
        delegation = make_delegation(event)
        found[key] = {
            "event": event.id,
            "delegation": delegation.id,
            "delegate": make_delegate(delegation).id,
            "vehicle": make_vehicle(event).id,
            "trip": make_trip(event).id,
        }
    return found


def _refused(statement) -> None:
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(statement)


def _delegate_row(person_id: int, event_id: int, delegation_id: int | None) -> dict:
    return {
        "event_id": event_id,
        "delegation_id": delegation_id,
        "person_id": person_id,
        "role": "participant",
        "status": "nominated",
    }


def test_a_delegate_in_another_event_than_its_delegation_is_refused(
    two_events, make_person
):
    x, y = two_events["x"], two_events["y"]
    person = make_person().id
    table = Delegate.__table__
    _refused(
        sa.insert(table).values(_delegate_row(person, y["event"], x["delegation"]))
    )
    # The same row in the delegation's own event, or without a delegation, is taken.
    with db.engine.begin() as conn:
        conn.execute(
            sa.insert(table).values(_delegate_row(person, x["event"], x["delegation"]))
        )
        conn.execute(sa.insert(table).values(_delegate_row(person, y["event"], None)))


def test_moving_a_delegate_to_another_event_is_refused(two_events):
    x, y = two_events["x"], two_events["y"]
    table = Delegate.__table__
    _refused(
        sa.update(table).where(table.c.id == x["delegate"]).values(event_id=y["event"])
    )


@pytest.mark.parametrize("stranger", ["trip", "vehicle", "delegate"])
def test_a_seat_mixing_two_events_is_refused(two_events, stranger):
    x, y = two_events["x"], two_events["y"]
    row = {
        "trip_id": x["trip"],
        "vehicle_id": x["vehicle"],
        "delegate_id": x["delegate"],
        f"{stranger}_id": y[stranger],
    }
    table = SeatAssignment.__table__
    for event_id in (x["event"], y["event"]):
        _refused(sa.insert(table).values(event_id=event_id, **row))


def test_a_seat_of_one_event_is_taken_and_its_event_found_from_the_trip(two_events):
    """Given only ids (no event_id), the column default reads the trip's event."""
    x = two_events["x"]
    seat = SeatAssignment(
        trip_id=x["trip"], vehicle_id=x["vehicle"], delegate_id=x["delegate"]
    )
    db.session.add(seat)
    db.session.commit()
    assert seat.event_id == x["event"]
    table = SeatAssignment.__table__
    _refused(
        sa.update(table)
        .where(table.c.id == seat.id)
        .values(event_id=two_events["y"]["event"])
    )
