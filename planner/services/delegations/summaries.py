"""Counts per delegation and the event's allocation of quota places."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from planner.extensions import db
from planner.models import ACTIVE_STATUSES, Delegate, DelegateStatus, Delegation, Event


@dataclass(frozen=True)
class DelegationCounts:
    """How far a delegation has got: nominated (still to confirm), confirmed, attended."""

    nominated: int = 0
    confirmed: int = 0
    attended: int = 0

    @property
    def active(self) -> int:
        return self.nominated + self.confirmed + self.attended


def delegation_counts(event: Event) -> dict[int | None, DelegationCounts]:
    """Counts per delegation id (None: delegates outside any delegation), one query."""
    rows = db.session.execute(
        sa.select(Delegate.delegation_id, Delegate.status, sa.func.count())
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
        .group_by(Delegate.delegation_id, Delegate.status)
    )
    raw: dict[int | None, dict[str, int]] = {}
    for delegation_id, status, n in rows:
        raw.setdefault(delegation_id, {})[DelegateStatus(status).value] = n
    return {key: DelegationCounts(**value) for key, value in raw.items()}


@dataclass(frozen=True)
class EventAllocation:
    """Allocated quota against announced capacity (the bimtek: 475 of 500)."""

    announced: int | None
    allocated: int
    delegations: int
    nominated: int
    confirmed: int
    attended: int

    @property
    def unallocated(self) -> int | None:
        return None if self.announced is None else self.announced - self.allocated


def event_allocation(event: Event) -> EventAllocation:
    """The event's quota totals and delegate counts, in two queries."""
    allocated, delegations = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Delegation.quota), 0), sa.func.count()
        ).where(Delegation.event_id == event.id)
    ).one()
    totals = DelegationCounts()
    for counts in delegation_counts(event).values():
        totals = DelegationCounts(
            totals.nominated + counts.nominated,
            totals.confirmed + counts.confirmed,
            totals.attended + counts.attended,
        )
    return EventAllocation(
        announced=event.capacity,
        allocated=int(allocated),
        delegations=int(delegations),
        nominated=totals.nominated,
        confirmed=totals.confirmed,
        attended=totals.attended,
    )
