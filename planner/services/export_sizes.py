"""How big a download will be, in one count query, before anything is loaded.

A view asks first: a small export is built in the request, a big one becomes a job
(:mod:`planner.jobs.exports`). Each count is of the rows the builder will write.
"""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    Certificate,
    Delegate,
    Event,
    InvitationLetter,
    RoomAssignment,
    SeatAssignment,
    Stay,
    Trip,
)
from planner.services.rosters import statuses_for


def roster_rows(event: Event, *, status: str | None = None) -> int:
    """Rows of the whole event's roster with this ``?status=`` filter."""
    _name, statuses = statuses_for(status)
    return _count(
        sa.select(sa.func.count(Delegate.id)).where(
            Delegate.event_id == event.id, Delegate.status.in_(list(statuses))
        )
    )


def attendance_rows(event: Event) -> int:
    """Rows of one day's daftar hadir: those taking part."""
    return _count(
        sa.select(sa.func.count(Delegate.id)).where(
            Delegate.event_id == event.id, Delegate.status.in_(list(TAKING_PART))
        )
    )


def trip_manifest_rows(trip: Trip) -> int:
    """Passenger rows of every vehicle's manifest of the trip."""
    return _count(
        sa.select(sa.func.count(SeatAssignment.id)).where(
            SeatAssignment.trip_id == trip.id
        )
    )


def rooming_rows(stay: Stay) -> int:
    """Rows of the rooming list: each bed taken, once per night of the stay."""
    beds = _count(
        sa.select(sa.func.count(RoomAssignment.id)).where(
            RoomAssignment.stay_id == stay.id
        )
    )
    nights = (stay.check_out_on - stay.check_in_on).days
    return beds * max(1, nights)


def payment_rows(event: Event, kind: str) -> int:
    """Rows of a payment sheet: those taking part (speakers' honoraria are few)."""
    if kind in ("allowance", "transport"):
        return attendance_rows(event)
    return 0


def certificate_count(event: Event) -> int:
    """Certificates in the event's printing batch (one or two pages each)."""
    return _count(
        sa.select(sa.func.count(Certificate.id)).where(Certificate.event_id == event.id)
    )


def letter_count(event: Event) -> int:
    """Invitation letters in the event's printing batch."""
    return _count(
        sa.select(sa.func.count(InvitationLetter.id)).where(
            InvitationLetter.event_id == event.id
        )
    )


def _count(query) -> int:
    return int(db.session.scalar(query) or 0)
