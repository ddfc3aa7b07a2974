"""Portions per meal, counted from the run-down: each meal or break item feeds the
people taking part in its audience, plus the committee and speakers, who are there
whatever the audience.

Everyone (audience "everyone"): every delegate taking part. Chosen delegations: their
people taking part, plus committee and speaker delegates. Committee only: the
committee. Two queries, whatever the event's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaStatus,
    Delegate,
    DelegateRole,
    Event,
)

#: Run-down kinds that are eaten.
MEAL_KINDS = (AgendaKind.MEAL, AgendaKind.BREAK)
#: Roles that are there at every meal, whatever its audience.
ALWAYS_THERE = (DelegateRole.COMMITTEE, DelegateRole.SPEAKER)


@dataclass
class MealRow:
    """One meal of a caterer's order: what, when, where and how many portions."""

    item_id: int
    title: str
    kind: AgendaKind
    starts_at: datetime
    place: str
    portions: int


@dataclass
class MealDay:
    """The meals of one day, in time order."""

    day: date
    meals: list[MealRow] = field(default_factory=list)

    @property
    def portions(self) -> int:
        return sum(m.portions for m in self.meals)


def meal_days(event: Event) -> list[MealDay]:
    """The event's meals and breaks per day with their portions."""
    items = db.session.scalars(
        select(AgendaItem)
        .where(
            AgendaItem.event_id == event.id,
            AgendaItem.kind.in_(MEAL_KINDS),
            AgendaItem.status != AgendaStatus.CANCELLED,
        )
        .options(joinedload(AgendaItem.place), selectinload(AgendaItem.delegations))
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).all()
    if not items:
        return []
    counts: Counter = Counter()  # (delegation id or 0, role) → people taking part
    for delegation_id, role, n in db.session.execute(
        select(Delegate.delegation_id, Delegate.role, func.count())
        .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
        .group_by(Delegate.delegation_id, Delegate.role)
    ):
        counts[(delegation_id or 0, role)] += n
    everyone = sum(counts.values())
    always = sum(n for (_d, role), n in counts.items() if role in ALWAYS_THERE)
    committee = sum(
        n for (_d, role), n in counts.items() if role == DelegateRole.COMMITTEE
    )
    zone = ZoneInfo(event.timezone)
    venue = event.venue.name if event.venue else ""
    days: dict[date, MealDay] = defaultdict(lambda: MealDay(date.min))
    for item in items:
        if item.audience == AgendaAudience.EVERYONE:
            portions = everyone
        elif item.audience == AgendaAudience.COMMITTEE:
            portions = committee
        else:
            chosen = {d.id for d in item.delegations}
            portions = always + sum(
                n
                for (delegation_id, role), n in counts.items()
                if delegation_id in chosen and role not in ALWAYS_THERE
            )
        local = item.starts_at.astimezone(zone)
        day = days[local.date()]
        day.day = local.date()
        day.meals.append(
            MealRow(
                item_id=item.id,
                title=item.title,
                kind=item.kind,
                starts_at=item.starts_at,
                place=", ".join(
                    x
                    for x in (item.room, item.place.name if item.place else venue)
                    if x
                ),
                portions=portions,
            )
        )
    return [days[d] for d in sorted(days)]
