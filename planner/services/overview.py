"""What the event overview shows at a glance: its key numbers and each delegation's
quota fill, in a constant number of queries whatever the event's size."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaStatus,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    Leg,
    Region,
    Trip,
    Vehicle,
)


@dataclass(frozen=True)
class QuotaFill:
    """One delegation's quota against its people: attended, confirmed (not yet
    attended) and still only nominated."""

    delegation_id: int
    name: str
    quota: int
    nominated: int
    confirmed: int
    attended: int

    @property
    def taking_part(self) -> int:
        """Confirmed or attended: the places of the quota that are taken."""
        return self.confirmed + self.attended

    @property
    def places_left(self) -> int:
        return max(self.quota - self.taking_part, 0)


@dataclass(frozen=True)
class EventNumbers:
    """The key figures of the overview's summary."""

    delegations: list[QuotaFill]
    vehicles: int
    seats: int
    trips: int
    legs: int
    agenda_items: int

    @property
    def quota(self) -> int:
        return sum(row.quota for row in self.delegations)

    @property
    def taking_part(self) -> int:
        return sum(row.taking_part for row in self.delegations)

    @property
    def nominated(self) -> int:
        return sum(row.nominated for row in self.delegations)

    @property
    def attended(self) -> int:
        return sum(row.attended for row in self.delegations)


def quota_fill(event: Event) -> list[QuotaFill]:
    """Each delegation's quota and counts by status, in region-code order; one query."""

    def count(status: DelegateStatus):
        return sa.func.count(Delegate.id).filter(Delegate.status == status)

    rows = db.session.execute(
        sa.select(
            Delegation.id,
            Delegation.name,
            Delegation.quota,
            count(DelegateStatus.NOMINATED),
            count(DelegateStatus.CONFIRMED),
            count(DelegateStatus.ATTENDED),
        )
        .outerjoin(Region, Region.id == Delegation.region_id)
        .outerjoin(Delegate, Delegate.delegation_id == Delegation.id)
        .where(Delegation.event_id == event.id)
        .group_by(Delegation.id, Delegation.name, Delegation.quota, Region.code)
        .order_by(Region.code.is_(None), Region.code, Delegation.name, Delegation.id)
    )
    return [QuotaFill(*row) for row in rows]


def event_numbers(event: Event) -> EventNumbers:
    """Delegations with their quota fill, vehicles and seats, trips and legs, and
    run-down items not cancelled; two queries."""

    def scalar(query):
        return query.scalar_subquery()

    vehicles, seats, trips, legs, items = db.session.execute(
        sa.select(
            scalar(sa.select(sa.func.count()).where(Vehicle.event_id == event.id)),
            scalar(
                sa.select(sa.func.coalesce(sa.func.sum(Vehicle.seats), 0)).where(
                    Vehicle.event_id == event.id
                )
            ),
            scalar(sa.select(sa.func.count()).where(Trip.event_id == event.id)),
            scalar(sa.select(sa.func.count()).where(Leg.event_id == event.id)),
            scalar(
                sa.select(sa.func.count()).where(
                    AgendaItem.event_id == event.id,
                    AgendaItem.status != AgendaStatus.CANCELLED,
                )
            ),
        )
    ).one()
    return EventNumbers(
        delegations=quota_fill(event),
        vehicles=int(vehicles),
        seats=int(seats),
        trips=int(trips),
        legs=int(legs),
        agenda_items=int(items),
    )
