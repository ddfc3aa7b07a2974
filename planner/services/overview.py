"""What the event overview shows at a glance: its key numbers and each delegation's
quota fill, in a constant number of queries whatever the event's size."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

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
    #: The province the delegation's region lies in ("" when it has no region).
    province: str = ""

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


#: Above this many delegations the overview's chart draws one bar per province (a
#: national event's 514 bars made a picture 35,000 units tall and a 546 KB page); the
#: delegations table keeps every delegation's numbers.
CHART_DELEGATIONS = 40


def quota_fill(event: Event) -> list[QuotaFill]:
    """Each delegation's quota and counts by status, in region-code order, with the
    name of its region's province; one query."""

    def count(status: DelegateStatus):
        return sa.func.count(Delegate.id).filter(Delegate.status == status)

    parent = aliased(Region)
    province = sa.func.coalesce(parent.name, Region.name, "")
    rows = db.session.execute(
        sa.select(
            Delegation.id,
            Delegation.name,
            Delegation.quota,
            count(DelegateStatus.NOMINATED),
            count(DelegateStatus.CONFIRMED),
            count(DelegateStatus.ATTENDED),
            province,
        )
        .outerjoin(Region, Region.id == Delegation.region_id)
        .outerjoin(parent, parent.id == Region.parent_id)
        .outerjoin(Delegate, Delegate.delegation_id == Delegation.id)
        .where(Delegation.event_id == event.id)
        .group_by(
            Delegation.id,
            Delegation.name,
            Delegation.quota,
            Region.code,
            Region.name,
            parent.name,
        )
        .order_by(Region.code.is_(None), Region.code, Delegation.name, Delegation.id)
    )
    return [QuotaFill(*row) for row in rows]


def chart_rows(rows: list[QuotaFill]) -> tuple[list[QuotaFill], bool]:
    """The bars of the overview's quota chart and whether they are provinces: the
    delegations themselves up to :data:`CHART_DELEGATIONS`, else one bar per province
    (in the order of the rows, i.e. of the region codes) adding up its delegations;
    delegations without a region make one bar named ""."""
    if len(rows) <= CHART_DELEGATIONS:
        return rows, False
    groups: dict[str, list[int]] = {}
    for row in rows:
        sums = groups.setdefault(row.province, [0, 0, 0, 0])
        sums[0] += row.quota
        sums[1] += row.nominated
        sums[2] += row.confirmed
        sums[3] += row.attended
    bars = [QuotaFill(0, name, *sums, province=name) for name, sums in groups.items()]
    return bars, True


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
