"""What still needs doing for an event: the checks every feature registers with
:func:`checklist_check`, and the event's own."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from planner.models import Event, EventStatus
from planner.services.events.editing import today
from planner.services.events.public_holidays import holiday_messages


@dataclass(frozen=True)
class ChecklistItem:
    """One thing an organiser should still do, with how urgent it is."""

    text: str
    #: Bootstrap colour: "danger", "warning" or "info".
    severity: str = "warning"
    #: Endpoint (taking ``event_id``) of the page where it is done, if any.
    endpoint: str | None = None
    #: Further URL parameters of ``endpoint`` and ``action``, as (name, value) pairs.
    params: tuple[tuple[str, object], ...] = ()
    #: A POST endpoint doing it in one click, its button label and hidden fields.
    action: str | None = None
    action_label: str = ""
    action_fields: tuple[tuple[str, str], ...] = ()


CheckFn = Callable[[Event], Iterable[ChecklistItem] | ChecklistItem | None]

#: Every check :func:`event_checklist` runs; later features append theirs with
#: :func:`checklist_check`. A check must not query per row: use what the page loaded.
CHECKS: list[CheckFn] = []


def checklist_check(fn: CheckFn) -> CheckFn:
    """Register a check for the "what still needs doing" list (decorator)."""
    CHECKS.append(fn)
    return fn


def event_checklist(event: Event) -> list[ChecklistItem]:
    """What still needs doing for the event, most urgent first."""
    if event.status == EventStatus.CANCELLED:
        return []
    items: list[ChecklistItem] = []
    for check in CHECKS:
        result = check(event)
        if result is None:
            continue
        if isinstance(result, ChecklistItem):
            items.append(result)
        else:
            items.extend(result)
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda item: order.get(item.severity, 3))


@checklist_check
def _check_venue(event: Event):
    """A venue is chosen and has coordinates (routes and maps need them)."""
    if event.venue is None:
        return ChecklistItem(
            _("Tempat acara belum ditentukan."), "warning", "events.edit"
        )
    if not event.venue.has_coordinates:
        return ChecklistItem(
            _("Koordinat tempat acara belum diketahui (perlu untuk rute dan peta)."),
            "info",
        )
    return None


@checklist_check
def _check_capacity(event: Event):
    """The announced capacity is known."""
    if event.capacity is None:
        return ChecklistItem(
            _("Kapasitas peserta yang diumumkan belum diisi."), "info", "events.edit"
        )
    return None


@checklist_check
def _check_draft(event: Event):
    """The event has been published."""
    if event.status == EventStatus.DRAFT:
        return ChecklistItem(
            _("Acara masih draf: hanya panitia yang dapat melihatnya."), "warning"
        )
    return None


@checklist_check
def _check_past(event: Event):
    """An event whose days are over is marked finished."""
    if event.status != EventStatus.FINISHED and event.ends_on < today():
        return ChecklistItem(
            _("Tanggal acara sudah lewat, tetapi acara belum ditandai selesai."),
            "danger",
        )
    return None


@checklist_check
def _check_holidays(event: Event):
    """No public holiday falls on an event day."""
    return [
        ChecklistItem(message, "warning", "events.edit")
        for message in holiday_messages(event.starts_on, event.ends_on)
    ]


@checklist_check
def _check_description(event: Event):
    """The event has a description."""
    if not event.description:
        return ChecklistItem(_("Deskripsi acara belum diisi."), "info", "events.edit")
    return None
