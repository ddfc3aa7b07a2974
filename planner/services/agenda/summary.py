"""The run-down in numbers for the event page, and its line in the event's checklist."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from planner.extensions import db
from planner.models import AgendaItem, AgendaStatus, Event
from planner.services.agenda.conflicts import agenda_conflicts, event_conflicts
from planner.services.agenda.formatting import local_day
from planner.services.agenda.loading import load_agenda, load_legs
from planner.services.events import ChecklistItem, checklist_check


@dataclass(frozen=True)
class AgendaSummary:
    """What the event overview shows of the run-down."""

    #: (local day, number of items that day), in day order.
    per_day: list[tuple[date, int]]
    total: int
    cancelled: int
    conflicts: int


def agenda_summary(event: Event, *, committee: bool = True) -> AgendaSummary:
    """Items per day (cancelled ones not counted) and the number of conflicts."""
    items = load_agenda(event, committee=committee)
    counts: dict[date, int] = defaultdict(int)
    cancelled = 0
    for item in items:
        if item.status == AgendaStatus.CANCELLED:
            cancelled += 1
            continue
        counts[local_day(item.starts_at, event)] += 1
    conflicts = (
        len(agenda_conflicts(event, items, load_legs(event)))
        if committee and items
        else 0
    )
    return AgendaSummary(
        per_day=sorted(counts.items()),
        total=len(items) - cancelled,
        cancelled=cancelled,
        conflicts=conflicts,
    )


@checklist_check
def _check_agenda(event: Event):
    """The run-down is filled in and has no conflicts."""
    has_items = db.session.scalar(
        db.select(AgendaItem.id).where(AgendaItem.event_id == event.id).limit(1)
    )
    if has_items is None:
        return ChecklistItem(_("Susunan acara belum diisi."), "warning", "agenda.index")
    conflicts = event_conflicts(event)
    if conflicts:
        return ChecklistItem(
            _("Susunan acara punya %(n)s peringatan bentrok.", n=len(conflicts)),
            "warning",
            "agenda.index",
        )
    return None
