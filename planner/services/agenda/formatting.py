"""How the run-down names its times and places: "07.00–09.00 WIB", the local day
of an item, a leg's departure and arrival; request-free, on top of
:mod:`planner.formatting.plain`."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from planner.formatting.plain import (
    format_clock,
    format_day,
    format_time,
    to_zone,
    tz_abbr,
)
from planner.models import AgendaItem, Event, Leg
from planner.services.transport import place_timezone


def local_day(value: datetime, event: Event) -> date:
    """The calendar day of a moment in the event's zone."""
    return to_zone(value, event.timezone).date()


def time_range(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """ "10.00–11.00 WIB"; an end on another day names that day."""
    start, end = to_zone(starts_at, tz), to_zone(ends_at, tz)
    if start.date() == end.date():
        return (
            f"{format_clock(starts_at, tz)}–{format_clock(ends_at, tz)} {tz_abbr(tz)}"
        )
    return _(
        "%(start)s – %(end)s (%(day)s)",
        start=format_time(starts_at, tz),
        end=format_time(ends_at, tz),
        day=format_day(end.date()),
    )


def moment_range(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """ "Selasa, 19 Januari 2027 pukul 10.00–11.00 WIB"."""
    return _(
        "%(day)s pukul %(time)s",
        day=format_day(to_zone(starts_at, tz).date()),
        time=time_range(starts_at, ends_at, tz),
    )


def leg_time_range(leg: Leg, event: Event) -> str:
    """ "08.00 WIB – 12.30 WIB", each end in its place's zone; another day is named."""
    from_tz = place_timezone(leg.from_place, event)
    to_tz = place_timezone(leg.to_place, event)
    departs = format_time(leg.departs_at, from_tz)
    arrives = format_time(leg.arrives_at, to_tz)
    arrival_day = to_zone(leg.arrives_at, to_tz).date()
    if arrival_day != to_zone(leg.departs_at, from_tz).date():
        arrives = f"{arrives} ({format_day(arrival_day)})"
    return f"{departs} – {arrives}"


def place_label(item: AgendaItem, event: Event) -> str:
    """Where an item happens: its place, else the event's venue."""
    if item.place_id is not None and item.place_id != event.venue_id:
        return item.place.name if item.place is not None else ""
    if event.venue is not None:
        return event.venue.name
    return _("tempat acara")
