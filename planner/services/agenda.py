"""The run-down (susunan acara) of an event: its items with their speakers and
audience, the "add after this item" and "shift later items" helpers, and the
conflicts shown as warnings (computed, never stored)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.formatting import (
    format_date_range,
    format_day,
    format_time,
    to_zone,
    tz_abbr,
)
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    Delegation,
    Event,
    Leg,
    Person,
    Place,
    SeatAssignment,
    SpeakerRole,
)
from planner.models.types import MAX_ID, utcnow
from planner.services import PlannerError
from planner.services.events import ChecklistItem, checklist_check, holiday_warnings
from planner.services.transport import place_timezone

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
#: Kinds that happen on a public holiday as on any day: no holiday warning for them.
HOLIDAY_EXEMPT = frozenset({AgendaKind.FREE_TIME, AgendaKind.MEAL, AgendaKind.BREAK})


# Loading ----------------------------------------------------------------------------


def agenda_query(event: Event, *, committee: bool = True):
    """The event's items in time order, with what the run-down shows eager-loaded;
    without ``committee`` the committee-only items are left out."""
    query = (
        db.select(AgendaItem)
        .where(AgendaItem.event_id == event.id)
        .order_by(AgendaItem.starts_at, AgendaItem.ends_at, AgendaItem.id)
        .options(
            selectinload(AgendaItem.speakers).joinedload(AgendaSpeaker.person),
            joinedload(AgendaItem.place),
            selectinload(AgendaItem.delegations),
        )
    )
    if not committee:
        query = query.where(AgendaItem.audience != AgendaAudience.COMMITTEE)
    return query


def load_agenda(event: Event, *, committee: bool = True) -> list[AgendaItem]:
    """The event's items (speakers and their people, place, delegations loaded) in a
    constant number of queries."""
    return list(db.session.scalars(agenda_query(event, committee=committee)).all())


def load_legs(event: Event) -> list[Leg]:
    """The event's legs in time order, with places (and regions), vehicles and
    delegations loaded."""
    return list(
        db.session.scalars(
            db.select(Leg)
            .where(Leg.event_id == event.id)
            .order_by(Leg.departs_at, Leg.id)
            .options(
                joinedload(Leg.from_place).joinedload(Place.region),
                joinedload(Leg.to_place).joinedload(Place.region),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        ).all()
    )


def carried_delegations(event: Event) -> dict[tuple[int, int], set[int]]:
    """Delegations with a delegate seated, per (trip id, vehicle id), in one query."""
    rows = db.session.execute(
        db.select(
            SeatAssignment.trip_id, SeatAssignment.vehicle_id, Delegate.delegation_id
        )
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .where(Delegate.event_id == event.id, Delegate.delegation_id.is_not(None))
        .distinct()
    ).all()
    carried: dict[tuple[int, int], set[int]] = defaultdict(set)
    for trip_id, vehicle_id, delegation_id in rows:
        carried[(trip_id, vehicle_id)].add(delegation_id)
    return dict(carried)


# Formatting -------------------------------------------------------------------------


def local_day(value: datetime, event: Event) -> date:
    """The calendar day of a moment in the event's zone."""
    return to_zone(value, event.timezone).date()


def _clock(value: datetime, tz: str) -> str:
    """ "10.00" (the zone left off)."""
    return format_time(value, tz).rsplit(" ", 1)[0]


def time_range(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """ "10.00–11.00 WIB"; an end on another day names that day."""
    start, end = to_zone(starts_at, tz), to_zone(ends_at, tz)
    if start.date() == end.date():
        return f"{_clock(starts_at, tz)}–{_clock(ends_at, tz)} {tz_abbr(tz)}"
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


# Creating and changing --------------------------------------------------------------


def _text(data: dict, key: str, limit: int) -> str | None:
    value = data.get(key)
    value = value.strip() if isinstance(value, str) else None
    if value and len(value) > limit:
        raise PlannerError(_("Paling panjang %(n)s karakter.", n=limit), field=key)
    return value or None


def _id(value) -> int | None:
    """An id from form data: None when blank, -1 when it cannot be one."""
    if value in (None, "", 0):
        return None
    if isinstance(value, bool):
        return -1
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else -1
    if isinstance(value, str) and value.strip().isdigit() and len(value) < 12:
        number = int(value)
        return number if 0 < number <= MAX_ID else -1
    return -1


def _day(value, event: Event, field: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise PlannerError(_("Tanggal wajib diisi."), field=field)
    if not (event.starts_on - DATE_WINDOW <= value <= event.ends_on + DATE_WINDOW):
        raise PlannerError(
            _(
                "Tanggal terlalu jauh dari tanggal acara (%(dates)s).",
                dates=format_date_range(event.starts_on, event.ends_on),
            ),
            field=field,
        )
    return value


def _moment(day: date, clock, tz: str, field: str) -> datetime:
    if not isinstance(clock, time):
        raise PlannerError(_("Jam wajib diisi."), field=field)
    local = datetime.combine(day, clock.replace(tzinfo=None), ZoneInfo(tz))
    return local.astimezone(UTC)


def _times(event: Event, data: dict) -> tuple[datetime, datetime]:
    """Start and end from the day, the two clock times and the optional end day."""
    tz = event.timezone
    day = _day(data.get("day"), event, "day")
    end_day = _day(data.get("ends_on") or day, event, "ends_on")
    starts_at = _moment(day, data.get("starts_time"), tz, "starts_time")
    ends_at = _moment(end_day, data.get("ends_time"), tz, "ends_time")
    if ends_at <= starts_at:
        raise PlannerError(
            _("Waktu selesai harus setelah waktu mulai."), field="ends_time"
        )
    if ends_at - starts_at > MAX_DURATION:
        raise PlannerError(_("Satu mata acara paling lama 7 hari."), field="ends_time")
    return starts_at, ends_at


def _place(data: dict, event: Event) -> Place | None:
    """The item's own place; None for the event's venue."""
    ident = _id(data.get("place_id"))
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
    wanted = {_id(i) for i in data.get("delegation_ids") or ()} - {None}
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
        person_id = _id(row.get("person_id"))
        name = _text(row, "name", SPEAKER_TEXT_MAX)
        title = _text(row, "title", SPEAKER_TEXT_MAX)
        institution = _text(row, "institution", SPEAKER_TEXT_MAX)
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
    title = _text(data, "title", TITLE_MAX)
    if not title:
        raise PlannerError(_("Judul mata acara wajib diisi."), field="title")
    try:
        kind = AgendaKind(data.get("kind"))
    except ValueError:
        raise PlannerError(_("Pilih jenis mata acara."), field="kind") from None
    starts_at, ends_at = _times(event, data)
    place = _place(data, event)
    room = _text(data, "room", ROOM_MAX)
    try:
        audience = AgendaAudience(data.get("audience") or AgendaAudience.EVERYONE)
    except ValueError:
        raise PlannerError(
            _("Pilih untuk siapa mata acara ini."), field="audience"
        ) from None
    delegations = _delegations(data, event, audience)
    speakers = _speakers(data)
    notes = _text(data, "notes", NOTES_MAX)
    committee_notes = _text(data, "committee_notes", NOTES_MAX)

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


# Conflicts --------------------------------------------------------------------------


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


# Summary and checklist --------------------------------------------------------------


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
