"""iCalendar (RFC 5545) feeds: an event's run-down and travel legs as bytes, and in a
delegate's feed their hotel nights (``stays_ical.py``).

A pure builder: it takes the plain data ``planner/services/feeds.py`` loads (it sends
no query) and reads no clock. DTSTAMP and LAST-MODIFIED are the rows' ``updated_at``,
CREATED their ``created_at``, SEQUENCE their revision counter, and UIDs are made of
database ids and a configured domain, so the same data always gives the same bytes
and a client recognises every entry across refreshes.

Each VEVENT is a function of its entry's data and a few facts of the event: given a
cache, the builder keeps every VEVENT's bytes under a digest of exactly those inputs,
so a feed rebuilt after one item changed builds one VEVENT, and the public feed and
every personal feed of an event share their agenda items' bytes. Each entry is first
the list of properties an ``icalendar.Event`` would be given, then written straight to
bytes by ``ical_writer.vevent`` (icalendar's own serialisation took nearly all of a
build from nothing; the tests hold the two to the same bytes). The calendar's bytes
are its header, its VTIMEZONEs and its VEVENTs joined, exactly what icalendar's
``Calendar.to_ical()`` writes for the same components.

Cancelled entries stay in the feed with ``STATUS:CANCELLED`` and a title starting
with "DIBATALKAN": a client that already holds the entry only marks or drops it
reliably when it sees the cancellation with a higher SEQUENCE; an entry that just
vanishes looks like a sync glitch and some clients keep their stale copy.

The text is Indonesian whatever the request's language: calendar apps fetch feeds
without a session, and the people subscribed read Indonesian.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

import orjson
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Timezone, vText

from planner import labels
from planner.exports.ical_writer import Property, vevent
from planner.exports.stays_ical import stay_entry, stay_order
from planner.formatting.plain import format_datetime, format_time

if TYPE_CHECKING:
    from planner.services.feed_data import (
        FeedData,
        ItemData,
        LegData,
        PlaceData,
        SpeakerData,
        StayData,
        VehicleData,
    )

#: Raised whenever the bytes for the same data change (part of every feed's ETag).
FORMAT_VERSION = 1
PRODID = "-//Rombongan//Jadwal Acara//ID"
#: Default of the ``FEED_UID_DOMAIN`` setting: never the request's host, which differs
#: between the addresses one server answers to.
DEFAULT_UID_DOMAIN = "rombongan.id"
DEFAULT_REFRESH = timedelta(hours=1)
#: The language of every feed (see the module's docstring).
FEED_LOCALE = "id"


class Cache(Protocol):
    """Where built pieces are kept between builds (``planner/blueprints/feeds/cache.py``)."""

    def get_many(self, keys: list[str]) -> dict[str, bytes]: ...

    def set_many(self, values: dict[str, bytes]) -> None: ...


@lru_cache(maxsize=16)
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of an IANA zone, computed once per process (it takes ~20 ms).

    The component is shared between calendars and must not be changed.
    """
    return Timezone.from_tzid(tzid)


@lru_cache(maxsize=16)
def _vtimezone_bytes(tzid: str) -> bytes:
    return vtimezone(tzid).to_ical()


def uid(kind: str, ident: int, domain: str) -> str:
    """The never-changing UID of an agenda item or a leg: ``agenda-12@rombongan.id``."""
    return f"{kind}-{ident}@{domain}"


def etag(key: tuple, *, uid_domain: str, refresh: timedelta) -> str:
    """A feed's ETag: its stored revisions (``FeedVersion.key``) with everything else
    that shapes its bytes."""
    value = repr((FORMAT_VERSION, uid_domain, refresh.total_seconds(), key))
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def build_calendar(
    feed: FeedData,
    *,
    uid_domain: str = DEFAULT_UID_DOMAIN,
    refresh: timedelta = DEFAULT_REFRESH,
    cache: Cache | None = None,
) -> bytes:
    """The feed as iCalendar bytes (CRLF lines folded at 75 octets)."""
    with force_locale(FEED_LOCALE):
        return _Builder(feed, uid_domain).to_ical(refresh, cache)


def _digest(*parts) -> str:
    return "vevent:" + hashlib.blake2b(orjson.dumps(parts), digest_size=16).hexdigest()


class _Builder:
    """Turns one feed's data into iCalendar bytes."""

    def __init__(self, feed: FeedData, uid_domain: str) -> None:
        self.feed = feed
        self.event = feed.event
        self.uid_domain = uid_domain
        self.cancelled_event = feed.event.is_cancelled
        # Labels resolved once per build, in the feed's language.
        self.kinds = {k: str(v) for k, v in labels.AGENDA_KIND.items()}
        self.modes = {k: str(v) for k, v in labels.LEG_MODE.items()}
        self.roles = {k: str(v) for k, v in labels.SPEAKER_ROLE.items()}
        self.cancelled_word = _("DIBATALKAN")
        self.travel_word = _("Perjalanan")

    def _header(self, refresh: timedelta) -> bytes:
        feed, event = self.feed, self.event
        name, description = _title(feed)
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("name", name)
        cal.add("x-wr-calname", vText(name))
        cal.add("description", description)
        cal.add("x-wr-caldesc", vText(description))
        cal.add("x-wr-timezone", event.timezone)
        # RFC 7986 wants the VALUE parameter spelt out; X-PUBLISHED-TTL is Outlook's
        # older name for the same hint, as a plain duration.
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", _duration(refresh))
        return cal.to_ical()[: -len(_END)]

    def to_ical(self, refresh: timedelta, cache: Cache | None) -> bytes:
        feed, event = self.feed, self.event
        # What every entry's bytes depend on beyond its own data.
        context = (
            FORMAT_VERSION,
            self.uid_domain,
            event.timezone,
            event.is_cancelled,
            event.cancelled_reason if event.is_cancelled else None,
            event.updated_at if event.is_cancelled else None,
        )
        entries: list[tuple[tuple, str, object]] = []
        zones = {event.timezone}
        for item in feed.items:
            venue = event.venue if item.place is None else None
            key = _digest("agenda", context, venue, item)
            entries.append(((item.starts_at, 0, item.id), key, item))
        for leg in feed.legs:
            zones.update((leg.from_place.timezone, leg.to_place.timezone))
            key = _digest("leg", context, feed.private, leg)
            entries.append(((leg.departs_at, 1, leg.id), key, leg))
        for stay in feed.stays:  # all-day: no VTIMEZONE needed
            key = _digest("stay", context, stay)
            entries.append((stay_order(stay, event.timezone), key, stay))
        # Time zones first, sorted by TZID; then the entries by start, items before
        # legs before stays, by id: a fixed order, so unchanged data gives identical
        # bytes.
        entries.sort(key=lambda entry: entry[0])
        keys = [key for _order, key, _data in entries]
        built = cache.get_many(keys) if cache is not None and keys else {}
        new: dict[str, bytes] = {}
        for _order, key, data in entries:
            if key not in built:
                built[key] = new[key] = vevent(self.properties(data))
        if cache is not None and new:
            cache.set_many(new)
        return b"".join(
            [
                self._header(refresh),
                *(_vtimezone_bytes(tzid) for tzid in sorted(zones)),
                *(built[key] for key in keys),
                _END,
            ]
        )

    def properties(self, data: ItemData | LegData | StayData) -> list[Property]:
        """The entry's VEVENT as the ``(name, value)`` pairs an ``icalendar.Event``
        would be given, in that order (``ical_writer.vevent`` writes them)."""
        if _is_stay(data):
            return stay_entry(data, event=self.event, uid_domain=self.uid_domain)
        return self.leg(data) if _is_leg(data) else self.item(data)

    # Agenda items --------------------------------------------------------------------

    def item(self, item: ItemData) -> list[Property]:
        event = self.event
        tz = ZoneInfo(event.timezone)
        cancelled = item.is_cancelled or self.cancelled_event
        lines: list[str] = []
        if cancelled:
            lines.extend(self._cancelled_lines())
        start_text = format_time(item.starts_at, event.timezone, FEED_LOCALE)
        end_text = format_time(item.ends_at, event.timezone, FEED_LOCALE)
        lines.append(
            f"{self.kinds.get(item.kind, item.kind)} · "
            f"{start_text.rsplit(' ', 1)[0]}–{end_text}"
        )
        for speaker in item.speakers:
            lines.append(self._speaker_line(speaker))
        if item.audience == "committee":
            lines.append(_("Khusus panitia."))
        elif item.audience == "delegations" and item.delegations:
            names = ", ".join(item.delegations)
            lines.append(_("Untuk delegasi: %(names)s", names=names))
        if item.notes:
            lines.append(item.notes.strip())

        properties: list[Property] = [
            ("uid", uid("agenda", item.id, self.uid_domain)),
            *self._revision(item),
            ("dtstart", item.starts_at.astimezone(tz)),
            ("dtend", item.ends_at.astimezone(tz)),
            ("summary", self._summary(item.title, cancelled)),
            ("description", "\n".join(lines)),
        ]
        place = item.place or event.venue
        location = _location(place, room=item.room)
        if location:
            properties.append(("location", location))
        if place is not None and _has_coordinates(place):
            properties.append(("geo", (place.lat, place.lon)))
        properties.append(("status", "CANCELLED" if cancelled else "CONFIRMED"))
        properties.append(("categories", [self.kinds.get(item.kind, item.kind)]))
        return properties

    def _speaker_line(self, speaker: SpeakerData) -> str:
        role = self.roles.get(speaker.role, speaker.role)
        about = ", ".join(x for x in (speaker.title, speaker.institution) if x)
        name = speaker.name
        if about:
            name = f"{name} ({about})"
        if speaker.role == "speaker":
            return _("Narasumber: %(name)s", name=name)
        return f"{role}: {name}"

    # Legs ----------------------------------------------------------------------------

    def leg(self, leg: LegData) -> list[Property]:
        private = self.feed.private
        cancelled = self.cancelled_event
        mode = self.modes.get(leg.mode, leg.mode)
        origin, goal = leg.from_place, leg.to_place
        lines: list[str] = []
        if cancelled:
            lines.extend(self._cancelled_lines())
        lines.append(" · ".join(x for x in (mode, leg.carrier, leg.vessel) if x))
        lines.append(
            _(
                "Berangkat: %(place)s, %(when)s",
                place=origin.name,
                when=format_datetime(leg.departs_at, origin.timezone, FEED_LOCALE),
            )
        )
        lines.append(
            _(
                "Tiba: %(place)s, %(when)s",
                place=goal.name,
                when=format_datetime(leg.arrives_at, goal.timezone, FEED_LOCALE),
            )
        )
        if leg.seat is not None:
            vehicle, number = leg.seat
            lines.append(_("Kendaraan Anda: %(vehicle)s", vehicle=_vehicle(vehicle)))
            if number is not None:
                lines.append(_("Kursi: %(number)s", number=number))
            else:
                lines.append(_("Kursi: bebas"))
            driver = " · ".join(
                x for x in (vehicle.driver_name, vehicle.driver_phone) if x
            )
            if driver:
                lines.append(_("Sopir: %(driver)s", driver=driver))
            lines.append(
                _("Titik kumpul: %(place)s", place=_location(origin) or origin.name)
            )
        if leg.riders:
            riders = "; ".join(
                _("%(count)s orang di %(vehicle)s", vehicle=_vehicle(v), count=n)
                for v, n in leg.riders
            )
            lines.append(_("Anggota delegasi: %(riders)s", riders=riders))
        elif leg.vehicles and leg.seat is None:
            vehicles = ", ".join(
                _vehicle(v) if private else v.label for v in leg.vehicles
            )
            lines.append(_("Kendaraan: %(vehicles)s", vehicles=vehicles))
        if leg.delegations:
            names = ", ".join(leg.delegations)
            lines.append(_("Delegasi: %(names)s", names=names))
        if private and leg.booking_ref:
            lines.append(_("Kode pemesanan: %(ref)s", ref=leg.booking_ref))
        if leg.notes:
            lines.append(leg.notes.strip())

        summary = self._summary(f"{mode}: {origin.name} → {goal.name}", cancelled)
        properties: list[Property] = [
            ("uid", uid("leg", leg.id, self.uid_domain)),
            *self._revision(leg),
            ("dtstart", leg.departs_at.astimezone(ZoneInfo(origin.timezone))),
            ("dtend", leg.arrives_at.astimezone(ZoneInfo(goal.timezone))),
            ("summary", summary),
            ("description", "\n".join(lines)),
        ]
        location = _location(origin)
        if location:
            properties.append(("location", location))
        if _has_coordinates(origin):
            properties.append(("geo", (origin.lat, origin.lon)))
        properties.append(("status", "CANCELLED" if cancelled else "CONFIRMED"))
        properties.append(("categories", [self.travel_word, mode]))
        return properties

    # Shared --------------------------------------------------------------------------

    def _revision(self, row: ItemData | LegData) -> list[Property]:
        """SEQUENCE, DTSTAMP, LAST-MODIFIED and CREATED of an entry.

        Cancelling the whole event touches no item or leg, yet every entry turns
        CANCELLED: its SEQUENCE goes up by one and its stamp is the event's change, so
        clients take the cancellation as a revision.
        """
        sequence, stamp = row.sequence or 0, row.updated_at
        if self.cancelled_event:
            sequence += 1
            stamp = max(stamp, self.event.updated_at)
        return [
            ("sequence", sequence),
            ("dtstamp", stamp),
            ("last-modified", stamp),
            ("created", row.created_at),
        ]

    def _summary(self, title: str, cancelled: bool) -> str:
        return f"{self.cancelled_word}: {title}" if cancelled else title

    def _cancelled_lines(self) -> Iterable[str]:
        if self.cancelled_event:
            yield _("Acara ini dibatalkan.")
            if self.event.cancelled_reason:
                yield _("Alasan: %(reason)s", reason=self.event.cancelled_reason)
        else:
            yield _("Bagian acara ini dibatalkan.")


_END = b"END:VCALENDAR\r\n"


def _is_leg(data) -> bool:
    return hasattr(data, "departs_at")


def _is_stay(data) -> bool:
    return hasattr(data, "check_in_on")


def _title(feed: FeedData) -> tuple[str, str]:
    """The calendar's name and description, in the feed's language."""
    event = feed.event
    if feed.kind == "delegate":
        return (
            _("%(name)s · %(event)s", name=feed.owner_name, event=event.title),
            _(
                "Jadwal pribadi %(name)s: mata acara yang ditujukan kepada Anda dan "
                "perjalanan Anda, dengan kendaraan, kursi dan titik kumpul.",
                name=feed.owner_name,
            ),
        )
    if feed.kind == "delegation":
        return (
            _("Delegasi %(name)s · %(event)s", name=feed.owner_name, event=event.title),
            _(
                "Jadwal delegasi %(name)s: mata acara untuk semua peserta dan untuk "
                "delegasi ini, dan perjalanan kendaraan yang membawa anggotanya.",
                name=feed.owner_name,
            ),
        )
    return event.title, _(
        "Susunan acara dan perjalanan rombongan %(title)s (%(body)s).",
        title=event.title,
        body=event.organiser_body,
    )


def _duration(value: timedelta) -> str:
    """An RFC 5545 duration of whole minutes: ``PT1H``, ``PT30M``, ``P1D``."""
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = "P" + (f"{days}D" if days else "")
    if hours or minutes or not days:
        text += (
            "T" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        )
    return text if text != "PT" else "PT0M"


def _vehicle(vehicle: VehicleData) -> str:
    """ "Travel 1 (BN 1234 AB)"."""
    return f"{vehicle.label} ({vehicle.plate})" if vehicle.plate else vehicle.label


def _has_coordinates(place: PlaceData) -> bool:
    return place.lat is not None and place.lon is not None


def _location(place: PlaceData | None, *, room: str | None = None) -> str:
    """ "Ruang Melati, Hotel Puncak, Jl. Merdeka 1": room, place, address or region."""
    if place is None:
        return room or ""
    where = place.address or place.region_name
    return ", ".join(x for x in (room, place.name, where) if x)
