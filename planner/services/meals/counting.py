"""Portions per meal, counted from the run-down and the route.

Each meal or break item of the run-down feeds the people taking part in its audience,
plus the committee and speakers, who are there whatever the audience: everyone (every
delegate taking part); chosen delegations (their people, plus committee and
speakers); or the committee only. Each leg marked with a packed meal feeds the people
of the delegations riding it and those seated on its trip. Special portions are
counted by the people's dietary notes (the same note, ignoring case, is one kind).
A constant number of queries, whatever the event's size.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
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
    Leg,
    Person,
    Place,
    SeatAssignment,
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
    kind: AgendaKind | None
    starts_at: datetime
    place: str
    portions: int
    #: Dietary note → portions of it (included in ``portions``).
    special: dict[str, int] = field(default_factory=dict)
    #: A packed meal on a leg (kind None, ``item_id`` is the leg's id).
    is_packed: bool = False


@dataclass
class MealDay:
    """The meals of one day, in time order."""

    day: date
    meals: list[MealRow] = field(default_factory=list)

    @property
    def portions(self) -> int:
        return sum(m.portions for m in self.meals)


def _note(text: str | None) -> str:
    return " ".join(text.split()).casefold() if text else ""


class _Counts:
    """People taking part by (delegation id or 0, role, dietary note)."""

    def __init__(self, event: Event) -> None:
        self.rows: Counter = Counter()
        for delegation_id, role, note, n in db.session.execute(
            select(
                Delegate.delegation_id,
                Delegate.role,
                Person.dietary_notes,
                func.count(),
            )
            .join(Person, Person.id == Delegate.person_id)
            .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
            .group_by(Delegate.delegation_id, Delegate.role, Person.dietary_notes)
        ):
            self.rows[(delegation_id or 0, role, _note(note))] += n

    def count(self, keep) -> tuple[int, dict[str, int]]:
        total, special = 0, Counter()
        for (delegation_id, role, note), n in self.rows.items():
            if keep(delegation_id, role):
                total += n
                if note:
                    special[note] += n
        return total, dict(sorted(special.items()))


def _item_rows(event: Event, counts: _Counts) -> list[MealRow]:
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
    venue = event.venue.name if items and event.venue else ""
    rows = []
    for item in items:
        if item.audience == AgendaAudience.EVERYONE:
            portions, special = counts.count(lambda d, r: True)
        elif item.audience == AgendaAudience.COMMITTEE:
            portions, special = counts.count(lambda d, r: r == DelegateRole.COMMITTEE)
        else:
            chosen = {d.id for d in item.delegations}
            portions, special = counts.count(
                lambda d, r, chosen=chosen: r in ALWAYS_THERE or d in chosen
            )
        place = item.place.name if item.place else venue
        rows.append(
            MealRow(
                item_id=item.id,
                title=item.title,
                kind=item.kind,
                starts_at=item.starts_at,
                place=", ".join(x for x in (item.room, place) if x),
                portions=portions,
                special=special,
            )
        )
    return rows


def _packed_rows(event: Event, counts: _Counts) -> list[MealRow]:
    legs = db.session.scalars(
        select(Leg)
        .where(Leg.event_id == event.id, Leg.has_packed_meal.is_(True))
        .options(
            joinedload(Leg.from_place).joinedload(Place.region),
            joinedload(Leg.to_place),
            selectinload(Leg.delegations),
        )
        .order_by(Leg.departs_at, Leg.id)
    ).all()
    if not legs:
        return []
    # People seated on the legs' trips outside the riding delegations (committee…).
    seated: dict[int, Counter] = defaultdict(Counter)
    for trip_id, delegation_id, note, n in db.session.execute(
        select(
            SeatAssignment.trip_id,
            Delegate.delegation_id,
            Person.dietary_notes,
            func.count(),
        )
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .where(
            SeatAssignment.trip_id.in_({leg.trip_id for leg in legs}),
            Delegate.status.in_(TAKING_PART),
        )
        .group_by(SeatAssignment.trip_id, Delegate.delegation_id, Person.dietary_notes)
    ):
        seated[trip_id][(delegation_id or 0, _note(note))] += n
    rows = []
    for leg in legs:
        riding = {d.id for d in leg.delegations}
        portions, special = counts.count(lambda d, r, riding=riding: d in riding)
        extra = Counter()
        for (delegation_id, note), n in seated[leg.trip_id].items():
            if delegation_id not in riding:
                portions += n
                if note:
                    extra[note] += n
        for note, n in extra.items():
            special[note] = special.get(note, 0) + n
        rows.append(
            MealRow(
                item_id=leg.id,
                title=_(
                    "Nasi kotak: %(from)s → %(to)s",
                    **{"from": leg.from_place.name, "to": leg.to_place.name},
                ),
                kind=None,
                starts_at=leg.departs_at,
                place=leg.from_place.name,
                portions=portions,
                special=dict(sorted(special.items())),
                is_packed=True,
            )
        )
    return rows


def meal_days(event: Event) -> list[MealDay]:
    """The event's meals, breaks and packed meals per day, with their portions."""
    counts = _Counts(event)
    rows = _item_rows(event, counts) + _packed_rows(event, counts)
    zone = ZoneInfo(event.timezone)
    days: dict[date, MealDay] = {}
    for row in sorted(rows, key=lambda r: (r.starts_at, r.is_packed, r.item_id)):
        day = row.starts_at.astimezone(zone).date()
        days.setdefault(day, MealDay(day)).meals.append(row)
    return [days[d] for d in sorted(days)]
