"""The quota holds under concurrency: threads confirming, withdrawing and substituting
at the same instant, each with its own app context, session and connection."""

from __future__ import annotations

import threading
import traceback

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import Delegate, DelegateStatus, Delegation, Person
from planner.services import PlannerError
from planner.services.delegations import (
    confirm_delegate,
    mark_attended,
    substitute_delegate,
    withdraw_delegate,
)

THREADS = 20


@pytest.fixture
def app_config():
    """A pool large enough for every thread to hold its own connection at once."""
    return {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": THREADS + 2, "max_overflow": 0}}


def _race(app, jobs) -> list[BaseException]:
    """Run each job in its own thread and app context, all released together.

    A job gets its thread's session and returns after the work; the thread commits,
    or rolls back on a PlannerError. Anything else is returned for the test to fail on.
    """
    barrier = threading.Barrier(len(jobs))
    unexpected: list[BaseException] = []
    lock = threading.Lock()

    def run(job):
        with app.app_context():
            try:
                prepared = job(db.session, None)
                barrier.wait(timeout=30)
                job(db.session, prepared)
                db.session.commit()
            except PlannerError:
                db.session.rollback()
            except BaseException as exc:  # noqa: BLE001  (reported by the test)
                db.session.rollback()
                exc.add_note(traceback.format_exc())
                with lock:
                    unexpected.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return unexpected


def _held(delegation_id: int) -> tuple[int, int]:
    """(confirmed_count, delegates really holding a place) read fresh."""
    db.session.expire_all()
    count = db.session.scalar(
        sa.select(Delegation.confirmed_count).where(Delegation.id == delegation_id)
    )
    held = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delegate)
        .where(
            Delegate.delegation_id == delegation_id,
            Delegate.status.in_((DelegateStatus.CONFIRMED, DelegateStatus.ATTENDED)),
        )
    )
    return count, held


def _delegate_job(delegate_id: int, action):
    """A job loading one delegate first, then (after the barrier) acting on it."""

    def job(session, prepared):
        if prepared is None:
            delegate = session.get(Delegate, delegate_id)
            delegate.delegation  # noqa: B018  (loaded before the race)
            session.commit()  # no transaction held while waiting (SQLite)
            return delegate_id
        delegate = session.get(Delegate, prepared)
        action(delegate, session)

    return job


def test_twenty_confirmations_fill_a_quota_of_five_exactly(
    app, make_delegation, make_delegate
):
    """Twenty heads confirm at once: five win, the others get QuotaFull."""
    delegation = make_delegation(quota=5)
    ids = [make_delegate(delegation).id for _ in range(THREADS)]
    delegation_id = delegation.id
    db.session.remove()

    jobs = [
        _delegate_job(i, lambda d, s: confirm_delegate(d)) for i in ids
    ]  # every thread confirms a different delegate
    unexpected = _race(app, jobs)
    assert not unexpected, unexpected

    count, held = _held(delegation_id)
    assert count == held == 5
    statuses = db.session.scalars(
        sa.select(Delegate.status).where(Delegate.id.in_(ids))
    ).all()
    assert statuses.count(DelegateStatus.CONFIRMED) == 5
    assert statuses.count(DelegateStatus.NOMINATED) == THREADS - 5


def test_the_same_delegate_confirmed_twice_at_once_counts_once(
    app, make_delegation, make_delegate
):
    """Two taps on the same delegate: one confirmation, one place taken."""
    delegation = make_delegation(quota=5)
    delegate_id = make_delegate(delegation).id
    delegation_id = delegation.id
    db.session.remove()

    jobs = [_delegate_job(delegate_id, lambda d, s: confirm_delegate(d))] * 6
    unexpected = _race(app, jobs)
    assert not unexpected, unexpected
    assert _held(delegation_id) == (1, 1)


def test_mixed_withdrawals_confirmations_and_substitutions_keep_the_count(
    app, make_delegation, make_delegate, make_person
):
    """Withdraw, confirm, substitute and check in at once: the count stays true."""
    delegation = make_delegation(quota=5)
    confirmed = [
        make_delegate(delegation, status=DelegateStatus.CONFIRMED).id for _ in range(5)
    ]
    nominated = [make_delegate(delegation).id for _ in range(9)]
    newcomers = [make_person().id for _ in range(3)]
    delegation_id = delegation.id
    db.session.remove()

    def substitute(person_id):
        def act(delegate, session):
            substitute_delegate(delegate, person=session.get(Person, person_id))

        return act

    jobs = [
        # Three confirmed delegates withdraw, freeing three places…
        *(_delegate_job(i, lambda d, s: withdraw_delegate(d)) for i in confirmed[:3]),
        # …one is replaced (keeping its place), one checked in…
        _delegate_job(confirmed[3], substitute(newcomers[0])),
        _delegate_job(confirmed[4], lambda d, s: mark_attended(d)),
        # …while nine nominated ones race for the free places (some check in
        # directly, which takes a place too)…
        *(
            _delegate_job(
                i,
                (lambda d, s: mark_attended(d))
                if n % 3 == 0
                else (lambda d, s: confirm_delegate(d)),
            )
            for n, i in enumerate(nominated)
        ),
        # …and two nominated ones are replaced as they are confirmed.
        _delegate_job(nominated[0], substitute(newcomers[1])),
        _delegate_job(nominated[1], substitute(newcomers[2])),
    ]
    unexpected = _race(app, jobs)
    assert not unexpected, unexpected

    count, held = _held(delegation_id)
    # Two places stay held throughout (the substitute's, the check-in's); how many of
    # the three freed ones the race won depends on the order, never the count's truth.
    assert count == held and 2 <= count <= 5
    db.session.expire_all()
    stand_in = db.session.execute(
        sa.select(Delegate).filter_by(person_id=newcomers[0])
    ).scalar_one()
    assert stand_in.replaces_id == confirmed[3]
    assert stand_in.status == DelegateStatus.CONFIRMED


# Seats ------------------------------------------------------------------------------


def _seat_job(trip_id: int, vehicle_id: int, delegate_id: int, seat_number=None):
    """Load trip, vehicle and delegate first; after the barrier take a seat."""
    from planner.models import Trip, Vehicle
    from planner.services.seating import assign_seat

    def job(session, prepared):
        if prepared is None:
            session.get(Trip, trip_id)
            session.get(Vehicle, vehicle_id)
            session.get(Delegate, delegate_id)
            session.commit()
            return True
        assign_seat(
            session.get(Trip, trip_id),
            vehicle=session.get(Vehicle, vehicle_id),
            delegate=session.get(Delegate, delegate_id),
            seat_number=seat_number,
        )

    return job


def _seated(trip_id: int, vehicle_id: int) -> list[int | None]:
    from planner.models import SeatAssignment

    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(SeatAssignment.seat_number).where(
                SeatAssignment.trip_id == trip_id,
                SeatAssignment.vehicle_id == vehicle_id,
            )
        )
    )


def test_twenty_people_race_for_five_seats(
    app, make_delegation, make_delegate, make_vehicle, make_trip
):
    """Twenty organisers seat twenty people in a five-seat van at once: five sit."""
    delegation = make_delegation(quota=THREADS)
    ids = [
        make_delegate(delegation, status=DelegateStatus.CONFIRMED).id
        for _ in range(THREADS)
    ]
    vehicle = make_vehicle(delegation.event, seats=5)
    trip = make_trip(delegation.event)
    trip_id, vehicle_id = trip.id, vehicle.id
    db.session.remove()

    unexpected = _race(app, [_seat_job(trip_id, vehicle_id, i) for i in ids])
    assert not unexpected, unexpected
    assert len(_seated(trip_id, vehicle_id)) == 5


def test_ten_people_race_for_the_same_seat_number(
    app, make_delegation, make_delegate, make_vehicle, make_trip
):
    """Seat 1 is given once; the others are told it is taken, none is lost."""
    delegation = make_delegation(quota=10)
    ids = [
        make_delegate(delegation, status=DelegateStatus.CONFIRMED).id for _ in range(10)
    ]
    vehicle = make_vehicle(delegation.event, seats=12)
    trip = make_trip(delegation.event)
    trip_id, vehicle_id = trip.id, vehicle.id
    db.session.remove()

    unexpected = _race(
        app, [_seat_job(trip_id, vehicle_id, i, seat_number=1) for i in ids]
    )
    assert not unexpected, unexpected
    assert _seated(trip_id, vehicle_id) == [1]
