"""Events: create, edit, move through the life cycle, and what still needs doing."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, false, or_
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.formatting import format_date
from planner.models import (
    Event,
    EventKind,
    EventStatus,
    Place,
    PlaceKind,
    Region,
    event_organisers,
    utcnow,
)
from planner.models.types import MAX_ID
from planner.services import PlannerError

#: Indonesian zones an event may use, with their labels; blank means "from the venue".
TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}
DEFAULT_TIMEZONE = "Asia/Jakarta"

#: Where an event may go next by :func:`change_status`; cancelling has its own service.
TRANSITIONS: dict[EventStatus, tuple[EventStatus, ...]] = {
    EventStatus.DRAFT: (EventStatus.OPEN,),
    EventStatus.OPEN: (EventStatus.CLOSED, EventStatus.DRAFT),
    EventStatus.CLOSED: (EventStatus.FINISHED, EventStatus.OPEN),
    EventStatus.FINISHED: (),
    EventStatus.CANCELLED: (),
}

SLUG_MAX = 120
REASON_MAX = 1000
#: Longest event accepted (a year): keeps day lists and holiday look-ups bounded.
MAX_EVENT_DAYS = 366
_EDITABLE = (
    "kind",
    "title",
    "organiser_body",
    "starts_on",
    "ends_on",
    "capacity",
    "description",
)


def today() -> date:
    """Today's date in WIB, the westernmost zone: the last place an event day ends."""
    return datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()


def local_today(event: Event, now: datetime | None = None) -> date:
    """Today's date where the event happens (its own zone)."""
    return (now or utcnow()).astimezone(ZoneInfo(event.timezone)).date()


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    """True once the event's last day has ended in its own zone: lists are then
    changed by organisers only."""
    return local_today(event, now) > event.ends_on


def days_until_start(event: Event, now: datetime | None = None) -> int:
    """Whole days from today (in the event's zone) to its first day; 0 on that day."""
    return (event.starts_on - local_today(event, now)).days


def check_in_is_early(event: Event, now: datetime | None = None) -> bool:
    """More than a day before the first day begins: a check-in then is asked twice
    (the day before is arrival day and needs no question)."""
    return days_until_start(event, now) > 1


# Creating and editing ---------------------------------------------------------


def slugify(text: str) -> str:
    """ASCII, lower-case, dash-separated: "Rakor Bangka" → "rakor-bangka"."""
    decomposed = unicodedata.normalize("NFKD", text)
    # Accents go; any other non-ASCII character (a dash "–", a letter) separates words.
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def unique_slug(title: str, year: int, *, exclude_id: int | None = None) -> str:
    """A slug from the title and year, suffixed -2, -3 … until no other event has it."""
    tail = f"-{year}"
    base = slugify(title)[: SLUG_MAX - len(tail) - 4].strip("-") or "acara"
    base += tail
    query = db.select(Event.slug).where(Event.slug.like(f"{base}%"))
    if exclude_id is not None:
        query = query.where(Event.id != exclude_id)
    taken = set(db.session.scalars(query))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def default_timezone(venue: Place | None, host_region: Region | None) -> str:
    """The venue's zone, else the host region's, else WIB (Asia/Jakarta)."""
    if venue is not None and venue.region is not None:
        return venue.region.timezone
    if host_region is not None:
        return host_region.timezone
    return DEFAULT_TIMEZONE


def _resolve(model, ident, field: str, message: str):
    """The row with this id, None for a blank id; an unknown id is refused."""
    if ident in (None, ""):
        return None
    if not isinstance(ident, int) or not 0 < ident <= MAX_ID:
        raise PlannerError(message, field=field)
    obj = db.session.get(model, ident)
    if obj is None:
        raise PlannerError(message, field=field)
    return obj


def _apply(event: Event, data: dict) -> None:
    """Check the rules that span fields and copy ``data`` onto ``event``."""
    starts_on, ends_on = data["starts_on"], data["ends_on"]
    if starts_on is None or ends_on is None:
        raise PlannerError(
            _("Tanggal mulai dan selesai wajib diisi."), field="starts_on"
        )
    if ends_on < starts_on:
        raise PlannerError(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="ends_on"
        )
    if (ends_on - starts_on).days + 1 > MAX_EVENT_DAYS:
        raise PlannerError(
            _("Acara paling lama %(n)s hari.", n=MAX_EVENT_DAYS), field="ends_on"
        )
    capacity = data.get("capacity")
    if capacity is not None and capacity < 0:
        raise PlannerError(_("Kapasitas tidak boleh negatif."), field="capacity")
    host_region = _resolve(
        Region,
        data.get("host_region_id"),
        "host_region_id",
        _("Wilayah tuan rumah tidak ditemukan."),
    )
    venue = _resolve(
        Place, data.get("venue_id"), "venue_id", _("Tempat acara tidak ditemukan.")
    )
    new_venue = (data.get("new_venue_name") or "").strip()
    if new_venue:
        if venue is not None:
            raise PlannerError(
                _("Pilih tempat dari daftar atau tulis tempat baru, jangan keduanya."),
                field="new_venue_name",
            )
        venue_region = _resolve(
            Region,
            data.get("new_venue_region_id"),
            "new_venue_region_id",
            _("Wilayah tempat baru tidak ditemukan."),
        )
        venue = _venue_named(new_venue, venue_region or host_region)
    timezone = data.get("timezone") or default_timezone(venue, host_region)
    if timezone not in TIMEZONES:
        raise PlannerError(_("Zona waktu tidak dikenal."), field="timezone")
    for key in _EDITABLE:
        if key in data:
            setattr(event, key, data[key])
    event.kind = EventKind(data["kind"])
    event.description = (data.get("description") or "").strip() or None
    event.host_region = host_region
    event.venue = venue
    event.timezone = timezone


def _venue_named(name: str, region: Region | None) -> Place:
    """The venue typed on the event form: the place of that name in the host region
    if there is one (no duplicates), else a new venue there (coordinates to come)."""
    from planner.services.places import create_place

    same = db.session.scalars(
        db.select(Place).where(
            db.func.lower(Place.name) == name.lower(),
            Place.region_id == (region.id if region is not None else None),
        )
    ).first()
    if same is not None:
        return same
    try:
        return create_place(
            data={
                "name": name,
                "kind": PlaceKind.VENUE,
                "region_id": region.id if region is not None else None,
            }
        )
    except PlannerError as exc:
        raise PlannerError(str(exc), field="new_venue_name") from None


def create_event(*, data: dict, organiser) -> Event:
    """Create a draft event from form data; its creator becomes its first organiser."""
    event = Event(status=EventStatus.DRAFT)
    _apply(event, data)
    event.slug = unique_slug(event.title, event.starts_on.year)
    event.organisers = [organiser]
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, *, data: dict) -> Event:
    """Change an event's details; the slug stays, since public addresses use it."""
    _apply(event, data)
    db.session.flush()
    return event


# Status -----------------------------------------------------------------------


def allowed_transitions(event: Event) -> tuple[EventStatus, ...]:
    """The statuses :func:`change_status` accepts from the event's current one."""
    return TRANSITIONS.get(event.status, ())


def change_status(event: Event, new_status: EventStatus | str) -> Event:
    """Move the event along its life cycle (draft ↔ open ↔ closed → finished)."""
    try:
        new_status = EventStatus(new_status)
    except ValueError:
        raise PlannerError(_("Status tidak dikenal."), field="status") from None
    if new_status == EventStatus.CANCELLED:
        raise PlannerError(
            _("Pembatalan memerlukan alasan; gunakan tombol Batalkan acara."),
            field="status",
        )
    if new_status not in allowed_transitions(event):
        from planner.labels import EVENT_STATUS

        raise PlannerError(
            _(
                "Status tidak dapat diubah dari %(old)s ke %(new)s.",
                old=EVENT_STATUS[event.status],
                new=EVENT_STATUS[new_status],
            ),
            field="status",
        )
    event.status = new_status
    db.session.flush()
    return event


def can_be_cancelled(event: Event) -> bool:
    """Anything not finished and not already cancelled can be cancelled."""
    return event.status not in (EventStatus.FINISHED, EventStatus.CANCELLED)


def cancel_event(event: Event, *, reason: str) -> Event:
    """Cancel the event, keeping the reason to show everyone who sees it."""
    if event.status == EventStatus.CANCELLED:
        raise PlannerError(_("Acara ini sudah dibatalkan."))
    if event.status == EventStatus.FINISHED:
        raise PlannerError(_("Acara yang sudah selesai tidak dapat dibatalkan."))
    reason = (reason or "").strip()
    if not reason:
        raise PlannerError(_("Alasan pembatalan wajib diisi."), field="reason")
    if len(reason) > REASON_MAX:
        raise PlannerError(
            _("Alasan paling banyak %(n)s karakter.", n=REASON_MAX), field="reason"
        )
    event.status = EventStatus.CANCELLED
    event.cancelled_reason = reason
    db.session.flush()
    return event


# Holidays ---------------------------------------------------------------------

#: Years the holiday calendar is asked about; outside them there is nothing to warn of.
_HOLIDAY_YEARS = range(1990, 2101)


@lru_cache(maxsize=64)
def _holidays(year: int, language: str | None) -> dict[date, str]:
    """One year's Indonesian public holidays, named in ``language`` if supported."""
    calendar = holidays.country_holidays("ID", years=year)
    supported = getattr(calendar, "supported_languages", ()) or ()
    if language is not None and language in supported:
        calendar = holidays.country_holidays("ID", years=year, language=language)
    return dict(calendar.items())


def _ui_locale() -> str:
    """The interface language, Indonesian outside a request."""
    try:
        return str(get_locale() or "id")
    except (RuntimeError, AttributeError):  # outside a request
        return "id"


def _holiday_language(locale: str) -> str:
    """The holidays package's language code for a UI locale ("en" → "en_US")."""
    return {"en": "en_US"}.get(locale, locale)


def holiday_warnings(
    starts_on: date, ends_on: date, *, locale: str | None = None
) -> list[tuple[date, str]]:
    """Indonesian public holidays on the event's days, named in the UI language.

    Indonesian unless the interface is in another language the holidays package
    knows; otherwise the package's own default names.
    """
    if starts_on is None or ends_on is None or ends_on < starts_on:
        return []
    locale = locale or _ui_locale()
    language = _holiday_language(locale)
    found: list[tuple[date, str]] = []
    for year in range(starts_on.year, ends_on.year + 1):
        if year not in _HOLIDAY_YEARS:
            continue
        for day, name in sorted(_holidays(year, language).items()):
            if starts_on <= day <= ends_on:
                found.append((day, name))
    return found


def holiday_messages(
    starts_on: date, ends_on: date, *, locale: str | None = None
) -> list[str]:
    """One sentence per holiday: "17 Agustus 2026 adalah hari libur: …"."""
    locale = locale or _ui_locale()
    return [
        _(
            "%(day)s adalah hari libur: %(name)s.",
            day=format_date(day, locale),
            name=name,
        )
        for day, name in holiday_warnings(starts_on, ends_on, locale=locale)
    ]


# What still needs doing -------------------------------------------------------


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


# Lists ------------------------------------------------------------------------


def visible_events(
    user,
    *,
    when: str = "upcoming",
    kind: str | None = None,
    province: int | None = None,
    status: str | None = None,
    mine: bool = False,
) -> Select:
    """Events the user may see, filtered, with what a list row shows eager-loaded;
    ``mine``: only those the user organises."""
    query = db.select(Event).options(
        joinedload(Event.venue),
        joinedload(Event.host_region).joinedload(Region.parent),
    )
    if user is None or not user.is_authenticated:
        return query.where(false())
    if not user.is_admin:
        organised = db.select(event_organisers.c.event_id).where(
            event_organisers.c.user_id == user.id
        )
        query = query.where(
            or_(Event.status != EventStatus.DRAFT, Event.id.in_(organised))
        )
    if mine:
        query = query.where(
            Event.id.in_(
                db.select(event_organisers.c.event_id).where(
                    event_organisers.c.user_id == user.id
                )
            )
        )
    if kind:
        query = query.where(Event.kind == EventKind(kind))
    if status:
        query = query.where(Event.status == EventStatus(status))
    if province is not None:
        in_province = db.select(Region.id).where(
            or_(Region.id == province, Region.parent_id == province)
        )
        query = query.where(Event.host_region_id.in_(in_province))
    if when == "past":
        query = query.where(Event.ends_on < today()).order_by(
            Event.starts_on.desc(), Event.id.desc()
        )
    else:
        query = query.where(Event.ends_on >= today()).order_by(
            Event.starts_on, Event.id
        )
    return query


def event_days(event: Event) -> int:
    """How many calendar days the event spans."""
    return (event.ends_on - event.starts_on).days + 1
