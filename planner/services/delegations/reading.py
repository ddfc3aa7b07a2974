"""What the delegation pages show: counts, the organiser's table, a roster and its
history, the people who may still be nominated, a chapter head's delegations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    DelegateChange,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Person,
    Region,
    User,
)
from planner.permissions import covered_region_ids
from planner.services.delegations.members import allowed_region_ids
from planner.services.people import visible_people


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


# The organiser's table ----------------------------------------------------------------


def event_delegations(event: Event, *, province_code: str = "") -> list[Delegation]:
    """The event's delegations with region and head, optionally those of one province
    (the province's own delegation and its regencies')."""
    stmt = (
        sa.select(Delegation)
        .options(
            joinedload(Delegation.region).joinedload(Region.parent),
            joinedload(Delegation.head).joinedload(User.person),
        )
        .where(Delegation.event_id == event.id)
    )
    if province_code:
        inside = sa.select(Region.id).where(
            sa.or_(
                Region.code == province_code,
                Region.parent_id.in_(
                    sa.select(Region.id).where(Region.code == province_code)
                ),
            )
        )
        stmt = stmt.where(Delegation.region_id.in_(inside))
    return list(db.session.scalars(stmt).unique())


def last_changes(event: Event) -> dict[int | None, datetime]:
    """The latest delegate change per delegation of the event, one query."""
    rows = db.session.execute(
        sa.select(Delegate.delegation_id, sa.func.max(DelegateChange.at))
        .join(DelegateChange.delegate)
        .where(Delegate.event_id == event.id)
        .group_by(Delegate.delegation_id)
    )
    return {delegation_id: at for delegation_id, at in rows}


# A roster -------------------------------------------------------------------------------


def _in_roster(delegation: Delegation | None):
    """Delegates of the delegation, or of none (speakers, committee, guests)."""
    if delegation is None:
        return Delegate.delegation_id.is_(None)
    return Delegate.delegation_id == delegation.id


def roster(event: Event, delegation: Delegation | None) -> list[Delegate]:
    """The roster's delegates with their people, active first, then by name."""
    delegates = db.session.scalars(
        sa.select(Delegate)
        .options(joinedload(Delegate.person).joinedload(Person.region))
        .where(Delegate.event_id == event.id, _in_roster(delegation))
    ).all()
    order = list(DelegateStatus)
    return sorted(
        delegates,
        key=lambda d: (order.index(d.status), d.person.full_name.lower(), d.id),
    )


def roster_history(
    event: Event, delegation: Delegation | None, *, limit: int
) -> list[DelegateChange]:
    """The roster's latest changes, newest first, with who and by whom, one query."""
    return list(
        db.session.scalars(
            sa.select(DelegateChange)
            .join(DelegateChange.delegate)
            .options(
                contains_eager(DelegateChange.delegate).joinedload(Delegate.person),
                joinedload(DelegateChange.other_delegate).joinedload(Delegate.person),
                joinedload(DelegateChange.by_user),
            )
            .where(Delegate.event_id == event.id, _in_roster(delegation))
            .order_by(DelegateChange.at.desc(), DelegateChange.id.desc())
            .limit(limit)
        )
    )


def nomination_candidates(
    user, event: Event, delegation: Delegation | None, *, q: str, limit: int
) -> list[Person]:
    """People who may be nominated: visible to ``user``, of the delegation's regions,
    not already in the event; narrowed by a search."""
    in_event = sa.select(Delegate.person_id).where(
        Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES)
    )
    stmt = visible_people(user, q=q).where(Person.id.not_in(in_event))
    region_ids = allowed_region_ids(delegation)
    if region_ids is not None:
        stmt = stmt.where(Person.region_id.in_(region_ids))
    return list(db.session.scalars(stmt.limit(limit)))


# A chapter head's delegations -----------------------------------------------------------


def delegations_answered_by(user) -> list[Delegation]:
    """Every delegation ``user`` heads or whose region they cover, in published events,
    with event and region, by event date."""
    condition = Delegation.head_user_id == user.id
    region_ids = covered_region_ids(user)
    if region_ids:
        condition = sa.or_(condition, Delegation.region_id.in_(region_ids))
    return list(
        db.session.scalars(
            sa.select(Delegation)
            .join(Delegation.event)
            .options(contains_eager(Delegation.event), joinedload(Delegation.region))
            .where(condition, Event.status != EventStatus.DRAFT)
            .order_by(Event.starts_on, Event.id, Delegation.name)
        )
    )


def active_counts(delegations: list[Delegation]) -> dict[int, int]:
    """Nominated, confirmed and attended delegates per delegation id, one query."""
    return dict(
        db.session.execute(
            sa.select(Delegate.delegation_id, sa.func.count())
            .where(
                Delegate.delegation_id.in_([d.id for d in delegations]),
                Delegate.status.in_(ACTIVE_STATUSES),
            )
            .group_by(Delegate.delegation_id)
        ).all()
    )
