"""iCalendar (RFC 5545) feeds: an event's run-down and travel legs as bytes.

A pure builder: it takes objects already loaded (it sends no query) and reads no clock.
DTSTAMP and LAST-MODIFIED are the rows' ``updated_at``, CREATED their ``created_at``,
SEQUENCE their revision counter, and UIDs are made of database ids and a configured
domain, so the same data always gives the same bytes and a client recognises every
entry across refreshes.

Cancelled entries stay in the feed with ``STATUS:CANCELLED`` and a title starting
with "DIBATALKAN": a client that already holds the entry only marks or drops it
reliably when it sees the cancellation with a higher SEQUENCE; an entry that just
vanishes looks like a sync glitch and some clients keep their stale copy.

The text is Indonesian whatever the request's language: calendar apps fetch feeds
without a session, and the people subscribed read Indonesian.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Timezone, vText
from icalendar import Event as VEvent

from planner import labels
from planner.formatting.plain import format_datetime, format_time
from planner.models import (
    AgendaAudience,
    AgendaItem,
    Event,
    Leg,
    Place,
    SpeakerRole,
    Vehicle,
)
from planner.services.transport import place_timezone

#: Raised whenever the bytes for the same data change (part of every feed's ETag).
FORMAT_VERSION = 1
PRODID = "-//Rombongan//Jadwal Acara//ID"
#: Default of the ``FEED_UID_DOMAIN`` setting: never the request's host, which differs
#: between the addresses one server answers to.
DEFAULT_UID_DOMAIN = "rombongan.id"
DEFAULT_REFRESH = timedelta(hours=1)
#: The language of every feed (see the module's docstring).
FEED_LOCALE = "id"


@dataclass(frozen=True)
class Seat:
    """Where the subscriber of a personal feed sits on a leg."""

    vehicle: Vehicle
    number: int | None


@dataclass(frozen=True)
class LegEntry:
    """A leg as one feed shows it."""

    leg: Leg
    #: The delegate's own vehicle and seat (personal feed).
    seat: Seat | None = None
    #: Vehicles carrying the delegation's members on this leg, and how many of them
    #: sit in each (delegation feed).
    riders: tuple[tuple[Vehicle, int], ...] = ()


@dataclass
class FeedContent:
    """Everything one feed shows, loaded: the builder reads only these objects."""

    event: Event
    #: Calendar name (NAME, X-WR-CALNAME).
    name: str
    #: What the calendar holds (DESCRIPTION, X-WR-CALDESC).
    description: str
    items: list[AgendaItem] = field(default_factory=list)
    legs: list[LegEntry] = field(default_factory=list)
    #: A secret feed: plates, drivers and booking codes may be shown.
    private: bool = False
    #: The subscriber's hotel nights (personal feed; ``stays_ical``).
    stays: list = field(default_factory=list)


@lru_cache(maxsize=16)
def vtimezone(tzid: str) -> Timezone:
    """The VTIMEZONE of an IANA zone, computed once per process (it takes ~20 ms).

    The component is shared between calendars and must not be changed.
    """
    return Timezone.from_tzid(tzid)


def uid(kind: str, ident: int, domain: str) -> str:
    """The never-changing UID of an agenda item or a leg: ``agenda-12@rombongan.id``."""
    return f"{kind}-{ident}@{domain}"


def build_calendar(
    feed: FeedContent,
    *,
    uid_domain: str = DEFAULT_UID_DOMAIN,
    refresh: timedelta = DEFAULT_REFRESH,
) -> bytes:
    """The feed as iCalendar bytes (CRLF lines folded at 75 octets)."""
    with force_locale(FEED_LOCALE):
        return _Builder(feed, uid_domain).calendar(refresh).to_ical()


class _Builder:
    """Turns one :class:`FeedContent` into a :class:`icalendar.Calendar`."""

    def __init__(self, feed: FeedContent, uid_domain: str) -> None:
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

    def calendar(self, refresh: timedelta) -> Calendar:
        feed, event = self.feed, self.event
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("name", feed.name)
        cal.add("x-wr-calname", vText(feed.name))
        cal.add("description", feed.description)
        cal.add("x-wr-caldesc", vText(feed.description))
        cal.add("x-wr-timezone", event.timezone)
        # RFC 7986 wants the VALUE parameter spelt out; X-PUBLISHED-TTL is Outlook's
        # older name for the same hint, as a plain duration.
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", _duration(refresh))

        entries: list[tuple[tuple, VEvent]] = []
        zones = {event.timezone}
        for item in feed.items:
            entries.append(((item.starts_at, 0, item.id), self.item(item)))
        for entry in feed.legs:
            leg = entry.leg
            from_tz = place_timezone(leg.from_place, event)
            to_tz = place_timezone(leg.to_place, event)
            zones.update((from_tz, to_tz))
            entries.append(
                ((leg.departs_at, 1, leg.id), self.leg(entry, from_tz, to_tz))
            )
        if feed.stays:
            from planner.exports.stays_ical import stay_entries

            entries.extend(
                stay_entries(
                    feed.stays, uid_domain=self.uid_domain, timezone=event.timezone
                )
            )
        # Time zones first, sorted by TZID; then the entries by start, items before
        # legs, by id: a fixed order, so unchanged data gives identical bytes.
        for tzid in sorted(zones):
            cal.add_component(vtimezone(tzid))
        entries.sort(key=lambda pair: pair[0])
        for _key, component in entries:
            cal.add_component(component)
        return cal

    # Agenda items --------------------------------------------------------------------

    def item(self, item: AgendaItem) -> VEvent:
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
        if item.audience == AgendaAudience.COMMITTEE:
            lines.append(_("Khusus panitia."))
        elif item.audience == AgendaAudience.DELEGATIONS and item.delegations:
            names = ", ".join(d.name for d in item.delegations)
            lines.append(_("Untuk delegasi: %(names)s", names=names))
        if item.notes:
            lines.append(item.notes.strip())

        component = VEvent()
        component.add("uid", uid("agenda", item.id, self.uid_domain))
        self._revision(component, item)
        component.add("dtstart", item.starts_at.astimezone(tz))
        component.add("dtend", item.ends_at.astimezone(tz))
        component.add("summary", self._summary(item.title, cancelled))
        component.add("description", "\n".join(lines))
        place = item.place or event.venue
        location = _location(place, room=item.room)
        if location:
            component.add("location", location)
        if place is not None and place.has_coordinates:
            component.add("geo", (place.lat, place.lon))
        component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        component.add("categories", [self.kinds.get(item.kind, item.kind)])
        return component

    def _speaker_line(self, speaker) -> str:
        role = self.roles.get(speaker.role, speaker.role)
        about = ", ".join(x for x in (speaker.title, speaker.institution) if x)
        name = speaker.display_name
        if about:
            name = f"{name} ({about})"
        if speaker.role == SpeakerRole.SPEAKER:
            return _("Narasumber: %(name)s", name=name)
        return f"{role}: {name}"

    # Legs ----------------------------------------------------------------------------

    def leg(self, entry: LegEntry, from_tz: str, to_tz: str) -> VEvent:
        leg, private = entry.leg, self.feed.private
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
                when=format_datetime(leg.departs_at, from_tz, FEED_LOCALE),
            )
        )
        lines.append(
            _(
                "Tiba: %(place)s, %(when)s",
                place=goal.name,
                when=format_datetime(leg.arrives_at, to_tz, FEED_LOCALE),
            )
        )
        if entry.seat is not None:
            vehicle = entry.seat.vehicle
            lines.append(_("Kendaraan Anda: %(vehicle)s", vehicle=_vehicle(vehicle)))
            if entry.seat.number is not None:
                lines.append(_("Kursi: %(number)s", number=entry.seat.number))
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
        if entry.riders:
            riders = "; ".join(
                _("%(count)s orang di %(vehicle)s", vehicle=_vehicle(v), count=n)
                for v, n in entry.riders
            )
            lines.append(_("Anggota delegasi: %(riders)s", riders=riders))
        elif leg.vehicles and entry.seat is None:
            vehicles = ", ".join(
                _vehicle(v) if private else v.label for v in leg.vehicles
            )
            lines.append(_("Kendaraan: %(vehicles)s", vehicles=vehicles))
        if leg.delegations:
            names = ", ".join(d.name for d in leg.delegations)
            lines.append(_("Delegasi: %(names)s", names=names))
        if private and leg.booking_ref:
            lines.append(_("Kode pemesanan: %(ref)s", ref=leg.booking_ref))
        if leg.notes:
            lines.append(leg.notes.strip())

        component = VEvent()
        component.add("uid", uid("leg", leg.id, self.uid_domain))
        self._revision(component, leg)
        component.add("dtstart", leg.departs_at.astimezone(ZoneInfo(from_tz)))
        component.add("dtend", leg.arrives_at.astimezone(ZoneInfo(to_tz)))
        component.add(
            "summary", self._summary(f"{mode}: {origin.name} → {goal.name}", cancelled)
        )
        component.add("description", "\n".join(lines))
        location = _location(origin)
        if location:
            component.add("location", location)
        if origin.has_coordinates:
            component.add("geo", (origin.lat, origin.lon))
        component.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        component.add("categories", [self.travel_word, mode])
        return component

    # Shared --------------------------------------------------------------------------

    def _revision(self, component: VEvent, row: AgendaItem | Leg) -> None:
        """SEQUENCE, DTSTAMP, LAST-MODIFIED and CREATED of an entry.

        Cancelling the whole event touches no item or leg, yet every entry turns
        CANCELLED: its SEQUENCE goes up by one and its stamp is the event's change, so
        clients take the cancellation as a revision.
        """
        sequence, stamp = row.sequence or 0, row.updated_at
        if self.cancelled_event:
            sequence += 1
            stamp = max(stamp, self.event.updated_at)
        component.add("sequence", sequence)
        component.add("dtstamp", stamp)
        component.add("last-modified", stamp)
        component.add("created", row.created_at)

    def _summary(self, title: str, cancelled: bool) -> str:
        return f"{self.cancelled_word}: {title}" if cancelled else title

    def _cancelled_lines(self) -> Iterable[str]:
        if self.cancelled_event:
            yield _("Acara ini dibatalkan.")
            if self.event.cancelled_reason:
                yield _("Alasan: %(reason)s", reason=self.event.cancelled_reason)
        else:
            yield _("Bagian acara ini dibatalkan.")


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


def _vehicle(vehicle: Vehicle) -> str:
    """ "Travel 1 (BN 1234 AB)"."""
    return f"{vehicle.label} ({vehicle.plate})" if vehicle.plate else vehicle.label


def _location(place: Place | None, *, room: str | None = None) -> str:
    """ "Ruang Melati, Hotel Puncak, Jl. Merdeka 1": room, place, address or region."""
    if place is None:
        return room or ""
    where = place.address or (place.region.name if place.region else None)
    return ", ".join(x for x in (room, place.name, where) if x)
