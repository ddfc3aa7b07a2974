"""Creating and changing run-down items: create, update, cancel, reinstate, delete,
"add after this item" and "shift later items"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from planner.extensions import db
from planner.formatting.plain import to_zone
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    Delegation,
    Event,
    Person,
    Place,
    SpeakerRole,
)
from planner.models.types import utcnow
from planner.services import PlannerError, parsing
from planner.services.agenda.formatting import local_day

TITLE_MAX = 200
ROOM_MAX = 120
NOTES_MAX = 5000
SPEAKER_TEXT_MAX = 200
#: Speakers, moderators and MCs one item may have.
MAX_SPEAKERS = 12
#: Longest item (a free day, an overnight vigil): keeps day lists bounded.
MAX_DURATION = timedelta(days=7)
#: Items are typed at most this far from the event's dates (typos such as 2207).
DATE_WINDOW = timedelta(days=366)
#: Largest shift of "move all later items", in minutes (twelve hours).
MAX_SHIFT = 720
#: Length of an item added with "add after this item".
DEFAULT_LENGTH = timedelta(minutes=30)


def _times(event: Event, data: dict) -> tuple[datetime, datetime]:
    """Start and end from the day, the two clock times and the optional end day."""
    tz = event.timezone
    near = (event.starts_on, event.ends_on)
    start_day = parsing.day(data.get("day"), field="day", near=near, window=DATE_WINDOW)
    end_day = parsing.day(
        data.get("ends_on") or start_day, field="ends_on", near=near, window=DATE_WINDOW
    )
    no_clock = _("Jam wajib diisi.")
    starts_at = parsing.moment(
        start_day, data.get("starts_time"), tz, field="starts_time", message=no_clock
    )
    ends_at = parsing.moment(
        end_day, data.get("ends_time"), tz, field="ends_time", message=no_clock
    )
    if ends_at <= starts_at:
        raise PlannerError(
            _("Waktu selesai harus setelah waktu mulai."), field="ends_time"
        )
    if ends_at - starts_at > MAX_DURATION:
        raise PlannerError(_("Satu mata acara paling lama 7 hari."), field="ends_time")
    return starts_at, ends_at


def _place(data: dict, event: Event) -> Place | None:
    """The item's own place; None for the event's venue."""
    ident = parsing.form_id(data.get("place_id"))
    if ident is None:
        return None
    place = db.session.get(Place, ident) if ident > 0 else None
    if place is None:
        raise PlannerError(_("Pilih tempat dari daftar."), field="place_id")
    if place.id == event.venue_id:
        return None
    return place


def _delegations(data: dict, event: Event, audience: AgendaAudience) -> list:
    if audience != AgendaAudience.DELEGATIONS:
        return []
    message = _("Pilih delegasi acara ini dari daftar.")
    wanted = {parsing.form_id(i) for i in data.get("delegation_ids") or ()} - {None}
    if not wanted:
        raise PlannerError(
            _("Pilih delegasi yang mengikuti mata acara ini."), field="delegation_ids"
        )
    if any(i < 0 for i in wanted):
        raise PlannerError(message, field="delegation_ids")
    rows = db.session.scalars(
        db.select(Delegation).where(
            Delegation.id.in_(wanted), Delegation.event_id == event.id
        )
    ).all()
    if len(rows) != len(wanted):
        raise PlannerError(message, field="delegation_ids")
    return sorted(rows, key=lambda d: d.id)


def _speakers(data: dict) -> list[dict]:
    """The filled speaker rows, checked; blank rows are skipped."""
    rows = [row for row in data.get("speakers") or () if isinstance(row, dict)]
    found: list[dict] = []
    people_wanted: set[int] = set()
    for n, row in enumerate(rows, start=1):
        person_id = parsing.form_id(row.get("person_id"))
        name = parsing.text_in(row, "name", SPEAKER_TEXT_MAX)
        title = parsing.text_in(row, "title", SPEAKER_TEXT_MAX)
        institution = parsing.text_in(row, "institution", SPEAKER_TEXT_MAX)
        if person_id is None and name is None:
            if title or institution:
                raise PlannerError(
                    _("Baris pengisi acara %(n)s: isi nama atau pilih orang.", n=n),
                    field="speakers",
                )
            continue
        if person_id is not None and person_id < 0:
            raise PlannerError(_("Pilih orang dari daftar."), field="speakers")
        try:
            role = SpeakerRole(row.get("role") or SpeakerRole.SPEAKER)
        except ValueError:
            raise PlannerError(
                _("Pilih peran pengisi acara dari daftar."), field="speakers"
            ) from None
        if person_id is not None:
            people_wanted.add(person_id)
            name = None
        found.append(
            {
                "role": role,
                "person_id": person_id,
                "name": name,
                "title": title,
                "institution": institution,
            }
        )
    if len(found) > MAX_SPEAKERS:
        raise PlannerError(
            _("Paling banyak %(n)s pengisi acara.", n=MAX_SPEAKERS), field="speakers"
        )
    people: dict[int, Person] = {}
    if people_wanted:
        people = {
            p.id: p
            for p in db.session.scalars(
                db.select(Person).where(Person.id.in_(people_wanted))
            )
        }
        if set(people) != people_wanted:
            raise PlannerError(_("Pilih orang dari daftar."), field="speakers")
    for row in found:
        row["person"] = people.get(row.pop("person_id"))
    return found


def _apply(item: AgendaItem, event: Event, data: dict) -> None:
    """Check ``data`` and copy it onto ``item``; nothing is changed on error."""
    title = parsing.text_in(data, "title", TITLE_MAX)
    if not title:
        raise PlannerError(_("Judul mata acara wajib diisi."), field="title")
    try:
        kind = AgendaKind(data.get("kind"))
    except ValueError:
        raise PlannerError(_("Pilih jenis mata acara."), field="kind") from None
    starts_at, ends_at = _times(event, data)
    place = _place(data, event)
    room = parsing.text_in(data, "room", ROOM_MAX)
    try:
        audience = AgendaAudience(data.get("audience") or AgendaAudience.EVERYONE)
    except ValueError:
        raise PlannerError(
            _("Pilih untuk siapa mata acara ini."), field="audience"
        ) from None
    delegations = _delegations(data, event, audience)
    speakers = _speakers(data)
    notes = parsing.text_in(data, "notes", NOTES_MAX)
    committee_notes = parsing.text_in(data, "committee_notes", NOTES_MAX)

    item.event_id = event.id
    item.title, item.kind = title, kind
    item.starts_at, item.ends_at = starts_at, ends_at
    item.place = place
    item.room, item.audience, item.notes = room, audience, notes
    item.committee_notes = committee_notes
    item.delegations = delegations
    _set_speakers(item, speakers)


def _set_speakers(item: AgendaItem, rows: list[dict]) -> None:
    """Update the item's speaker rows in place, so that an unchanged list changes
    nothing; a changed list marks the item revised (its ``sequence`` rises)."""
    current = list(item.speakers)
    changed = len(current) != len(rows)
    for position, row in enumerate(rows):
        if position < len(current):
            speaker = current[position]
        else:
            speaker = AgendaSpeaker()
            item.speakers.append(speaker)
        person = row["person"]
        if speaker.person_id != (person.id if person is not None else None):
            speaker.person = person
            changed = True
        values = {
            "role": row["role"],
            "name": row["name"],
            "title": row["title"],
            "institution": row["institution"],
            "position": position,
        }
        for key, value in values.items():
            if getattr(speaker, key) != value:
                setattr(speaker, key, value)
                changed = True
    for speaker in current[len(rows) :]:
        item.speakers.remove(speaker)
    if changed and item.id is not None:
        item.updated_at = utcnow()


def create_item(event: Event, *, data: dict) -> AgendaItem:
    """Add an item to the event's run-down; times are typed in the event's zone."""
    item = AgendaItem(status=AgendaStatus.SCHEDULED, sequence=0)
    with db.session.no_autoflush:
        _apply(item, event, data)
    db.session.add(item)
    db.session.flush()
    return item


def update_item(item: AgendaItem, *, data: dict) -> AgendaItem:
    """Change an item; its ``sequence`` rises when something really changed."""
    with db.session.no_autoflush:
        _apply(item, item.event, data)
    db.session.flush()
    return item


def delete_item(item: AgendaItem) -> None:
    """Remove an item for good (cancelling keeps it visible as cancelled)."""
    db.session.delete(item)
    db.session.flush()


def cancel_item(item: AgendaItem) -> AgendaItem:
    """Mark an item cancelled; it stays in the run-down, struck through."""
    if item.status == AgendaStatus.CANCELLED:
        raise PlannerError(_("Mata acara ini sudah dibatalkan."))
    item.status = AgendaStatus.CANCELLED
    db.session.flush()
    return item


def reinstate_item(item: AgendaItem) -> AgendaItem:
    """Put a cancelled item back on the run-down."""
    if item.status != AgendaStatus.CANCELLED:
        raise PlannerError(_("Mata acara ini tidak dibatalkan."))
    item.status = AgendaStatus.SCHEDULED
    db.session.flush()
    return item


def after_defaults(item: AgendaItem) -> dict:
    """Form data of a new item right after ``item``: starting at its end, lasting
    30 minutes, in the same place and room."""
    tz = item.event.timezone
    start = to_zone(item.ends_at, tz)
    end = to_zone(item.ends_at + DEFAULT_LENGTH, tz)
    return {
        "day": start.date(),
        "starts_time": start.time().replace(tzinfo=None),
        "ends_time": end.time().replace(tzinfo=None),
        "ends_on": end.date() if end.date() != start.date() else None,
        "place_id": item.place_id,
        "room": item.room,
    }


def item_form_data(item: AgendaItem) -> dict:
    """An item as the form's data (times in the event's zone)."""
    tz = item.event.timezone
    start, end = to_zone(item.starts_at, tz), to_zone(item.ends_at, tz)
    return {
        "day": start.date(),
        "starts_time": start.time().replace(tzinfo=None),
        "ends_time": end.time().replace(tzinfo=None),
        "ends_on": end.date() if end.date() != start.date() else None,
        "title": item.title,
        "kind": item.kind.value,
        "place_id": item.place_id,
        "room": item.room,
        "audience": item.audience.value,
        "delegation_ids": [d.id for d in item.delegations],
        "speakers": [
            {
                "role": s.role.value,
                "person_id": s.person_id,
                "name": s.name,
                "title": s.title,
                "institution": s.institution,
            }
            for s in item.speakers
        ],
        "notes": item.notes,
        "committee_notes": item.committee_notes,
    }


def _day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """The first and the first-after-last moment of a local day, in UTC."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def shift_later_items(item: AgendaItem, minutes) -> list[AgendaItem]:
    """Move ``item`` and every item of the same local day starting at or after it by
    ``minutes`` (negative: earlier); each moved item's ``sequence`` rises."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise PlannerError(_("Isi jumlah menit berupa angka."), field="minutes")
    if minutes == 0:
        raise PlannerError(
            _("Geser paling sedikit 1 menit (atau -1 untuk lebih awal)."),
            field="minutes",
        )
    if abs(minutes) > MAX_SHIFT:
        raise PlannerError(
            _("Geser paling banyak %(n)s menit (12 jam).", n=MAX_SHIFT),
            field="minutes",
        )
    event = item.event
    _first, day_end = _day_bounds(local_day(item.starts_at, event), event.timezone)
    moved = db.session.scalars(
        db.select(AgendaItem)
        .where(
            AgendaItem.event_id == item.event_id,
            AgendaItem.starts_at >= item.starts_at,
            AgendaItem.starts_at < day_end,
        )
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).all()
    delta = timedelta(minutes=minutes)
    for other in moved:
        other.starts_at = other.starts_at + delta
        other.ends_at = other.ends_at + delta
    db.session.flush()
    return list(moved)
