"""The conflicts of a run-down, shown as warnings (computed, never stored): two items
in one place or with one speaker at once, items outside the event's days, items its
audience is still travelling for, items on public holidays."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from planner.formatting.plain import format_date_range, to_zone
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    Event,
    Leg,
)
from planner.services.agenda.formatting import (
    leg_time_range,
    moment_range,
    place_label,
    time_range,
)
from planner.services.agenda.loading import carried_delegations, load_agenda, load_legs
from planner.services.events import holiday_warnings

#: Kinds that happen on a public holiday as on any day: no holiday warning for them.
HOLIDAY_EXEMPT = frozenset({AgendaKind.FREE_TIME, AgendaKind.MEAL, AgendaKind.BREAK})


@dataclass(frozen=True)
class AgendaConflict:
    """One warning about the run-down: its kind, message and the items involved."""

    #: place, speaker, outside_dates, travelling or holiday.
    kind: str
    message: str
    items: tuple[AgendaItem, ...]
    leg: Leg | None = None

    @property
    def item_ids(self) -> frozenset[int]:
        return frozenset(i.id for i in self.items)


def _overlapping(entries: Iterable[tuple[datetime, datetime, object]]) -> Iterator:
    """Pairs of entries (start, end, thing) whose times overlap (an end equal to the
    other's start does not), by a sort and a sweep over the ones still running."""
    running: list[tuple[datetime, datetime, object]] = []
    for entry in sorted(entries, key=lambda e: (e[0], e[1])):
        running = [r for r in running if r[1] > entry[0]]
        for other in running:
            yield other[2], entry[2]
        running.append(entry)


def _norm(text: str | None) -> str | None:
    """Case- and space-insensitive form of a room or a name."""
    if not text:
        return None
    return " ".join(text.split()).casefold() or None


def _describe(item: AgendaItem, tz: str) -> str:
    return _(
        "%(title)s (%(time)s)",
        title=item.title,
        time=time_range(item.starts_at, item.ends_at, tz),
    )


def _pair(a: AgendaItem, b: AgendaItem, tz: str) -> dict:
    """Message arguments of two overlapping items: when they overlap, and each."""
    start, end = max(a.starts_at, b.starts_at), min(a.ends_at, b.ends_at)
    return {
        "when": moment_range(start, end, tz),
        "a": _describe(a, tz),
        "b": _describe(b, tz),
    }


def _place_conflicts(event: Event, items: list[AgendaItem], tz: str) -> list:
    found = []
    by_place: dict[int | None, list] = defaultdict(list)
    for item in items:
        key = None if item.place_id == event.venue_id else item.place_id
        by_place[key].append((item.starts_at, item.ends_at, item))
    for entries in by_place.values():
        for a, b in _overlapping(entries):
            room_a, room_b = _norm(a.room), _norm(b.room)
            if room_a and room_b and room_a != room_b:
                continue
            subject = (
                a.room.strip() if room_a and room_a == room_b else place_label(a, event)
            )
            found.append(
                AgendaConflict(
                    "place",
                    _(
                        "%(subject)s dipakai dua mata acara pada %(when)s: %(a)s dan %(b)s.",
                        subject=subject,
                        **_pair(a, b, tz),
                    ),
                    (a, b),
                )
            )
    return found


def speaker_key(speaker: AgendaSpeaker) -> tuple | None:
    """Who a speaker row names: the same person, or the same typed name."""
    if speaker.person_id is not None:
        return ("person", speaker.person_id)
    name = _norm(speaker.name)
    return ("name", name) if name else None


def _speaker_conflicts(items: list[AgendaItem], tz: str) -> list:
    found = []
    by_speaker: dict[tuple, list] = defaultdict(list)
    names: dict[tuple, str] = {}
    for item in items:
        seen = set()
        for speaker in item.speakers:
            key = speaker_key(speaker)
            if key is None or key in seen:
                continue
            seen.add(key)
            names.setdefault(key, speaker.display_name)
            by_speaker[key].append((item.starts_at, item.ends_at, item))
    for key, entries in by_speaker.items():
        for a, b in _overlapping(entries):
            found.append(
                AgendaConflict(
                    "speaker",
                    _(
                        "%(subject)s dijadwalkan di dua mata acara sekaligus pada "
                        "%(when)s: %(a)s dan %(b)s.",
                        subject=names[key],
                        **_pair(a, b, tz),
                    ),
                    (a, b),
                )
            )
    return found


def _last_day(value: datetime, tz: str) -> date:
    """The local day an end falls on; an end at midnight belongs to the day before."""
    local = to_zone(value, tz)
    if local.time() == time(0, 0):
        return local.date() - timedelta(days=1)
    return local.date()


def _outside_conflicts(event: Event, items: list[AgendaItem], tz: str) -> list:
    found = []
    for item in items:
        first = to_zone(item.starts_at, tz).date()
        if first < event.starts_on or _last_day(item.ends_at, tz) > event.ends_on:
            found.append(
                AgendaConflict(
                    "outside_dates",
                    _(
                        "%(item)s pada %(when)s berada di luar tanggal acara "
                        "(%(dates)s).",
                        item=item.title,
                        when=moment_range(item.starts_at, item.ends_at, tz),
                        dates=format_date_range(event.starts_on, event.ends_on),
                    ),
                    (item,),
                )
            )
    return found


def _carries(
    leg: Leg, item: AgendaItem, carried: dict[tuple[int, int], set[int]]
) -> bool:
    """Whether the leg carries (some of) the item's audience."""
    if item.audience != AgendaAudience.DELEGATIONS:
        return True
    wanted = {d.id for d in item.delegations}
    if wanted & {d.id for d in leg.delegations}:
        return True
    return any(
        wanted & carried.get((leg.trip_id, vehicle.id), set())
        for vehicle in leg.vehicles
    )


def _travel_conflicts(
    event: Event,
    items: list[AgendaItem],
    legs: list[Leg],
    carried: dict[tuple[int, int], set[int]],
    tz: str,
) -> list:
    found = []
    entries = [(i.starts_at, i.ends_at, ("item", i)) for i in items]
    entries += [(leg.departs_at, leg.arrives_at, ("leg", leg)) for leg in legs]
    for a, b in _overlapping(entries):
        if a[0] == b[0]:
            continue
        item, leg = (a[1], b[1]) if a[0] == "item" else (b[1], a[1])
        if not _carries(leg, item, carried):
            continue
        found.append(
            AgendaConflict(
                "travelling",
                _(
                    "%(item)s pada %(when)s bertabrakan dengan perjalanan %(leg)s "
                    "(%(leg_time)s): rombongan masih di jalan.",
                    item=item.title,
                    when=moment_range(item.starts_at, item.ends_at, tz),
                    leg=_("%(a)s → %(b)s", a=leg.from_place.name, b=leg.to_place.name),
                    leg_time=leg_time_range(leg, event),
                ),
                (item,),
                leg,
            )
        )
    return found


def _holiday_conflicts(event: Event, items: list[AgendaItem], tz: str) -> list:
    concerned = [i for i in items if i.kind not in HOLIDAY_EXEMPT]
    if not concerned:
        return []
    spans = [
        (to_zone(i.starts_at, tz).date(), _last_day(i.ends_at, tz), i)
        for i in concerned
    ]
    first = min(s[0] for s in spans)
    last = max(max(s[1], s[0]) for s in spans)
    holidays = holiday_warnings(first, last)
    if not holidays:
        return []
    found = []
    for start, end, item in spans:
        for day, name in holidays:
            if start <= day <= max(start, end):
                found.append(
                    AgendaConflict(
                        "holiday",
                        _(
                            "%(item)s pada %(when)s jatuh pada hari libur nasional: "
                            "%(name)s.",
                            item=item.title,
                            when=moment_range(item.starts_at, item.ends_at, tz),
                            name=name,
                        ),
                        (item,),
                    )
                )
                break
    return found


def agenda_conflicts(
    event: Event,
    items: Iterable[AgendaItem],
    legs: Iterable[Leg],
    *,
    carried: dict[tuple[int, int], set[int]] | None = None,
) -> list[AgendaConflict]:
    """What looks wrong in the run-down, ordered by time: two items in one place at
    once, a speaker in two items at once, an item outside the event's dates, while
    its audience is still travelling, or on a public holiday. Cancelled items never
    conflict. Uses what is loaded; ``carried`` (see :func:`carried_delegations`) is
    queried once when an item is meant for certain delegations only."""
    tz = event.timezone
    active = [i for i in items if i.status != AgendaStatus.CANCELLED]
    legs = list(legs)
    if carried is None:
        needs = legs and any(i.audience == AgendaAudience.DELEGATIONS for i in active)
        carried = carried_delegations(event) if needs else {}
    found = (
        _place_conflicts(event, active, tz)
        + _speaker_conflicts(active, tz)
        + _outside_conflicts(event, active, tz)
        + _travel_conflicts(event, active, legs, carried, tz)
        + _holiday_conflicts(event, active, tz)
    )
    order = {"outside_dates": 0, "holiday": 1, "travelling": 2, "place": 3}
    return sorted(
        found,
        key=lambda c: (
            min(i.starts_at for i in c.items),
            order.get(c.kind, 4),
            min(i.id or 0 for i in c.items),
        ),
    )


def event_conflicts(event: Event) -> list[AgendaConflict]:
    """The event's run-down conflicts, loaded in a constant number of queries."""
    items = load_agenda(event)
    if not items:
        return []
    return agenda_conflicts(event, items, load_legs(event))
