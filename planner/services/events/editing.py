"""Creating and editing events: dates in the event's zone, slugs, the venue and zone,
and the status an event may move to (cancelling has its own service)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from planner.extensions import db
from planner.models import (
    Event,
    EventKind,
    EventStatus,
    Place,
    PlaceKind,
    Region,
    utcnow,
)
from planner.services import PlannerError, parsing

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


def slugify(text: str) -> str:
    """ASCII, lower-case, dash-separated: "Rakor Bangka" → "rakor-bangka"."""
    if text.isascii():  # nothing to decompose (most names: plan exports slug 10,000)
        bare = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        # Accents go; any other non-ASCII character (a dash "–", a letter) separates
        # words.
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
    ident = parsing.form_id(ident)
    if ident is None:
        return None
    if ident < 0:
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
