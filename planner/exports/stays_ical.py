"""A personal feed's hotel nights: one all-day entry per stay, kept apart from
``ical.py`` so the two can change independently.

Each stay is an entry from check-in to check-out (DTEND is exclusive, so the
check-out morning is not covered), named after the hotel and the room, with the
hotel as LOCATION and its coordinates as GEO. Its UID is derived from the stay's id;
its SEQUENCE is the stay's revision counter, its DTSTAMP the latest change of the
stay or of the guest's bed. Like every entry of a cancelled event, a stay of one is
kept with ``STATUS:CANCELLED``, "DIBATALKAN" in its title and SEQUENCE one higher.

A pure builder: it takes the plain data ``planner/services/feed_data.py`` loads and
is called inside the feed's language (``ical.build_calendar``).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

if TYPE_CHECKING:
    from planner.exports.ical_writer import Property
    from planner.services.feed_data import EventData, StayData


def stay_order(stay: StayData, timezone: str) -> tuple:
    """The stay's place among the feed's entries: at midnight of check-in in the
    event's zone, after the items and legs starting at the same instant."""
    return (datetime.combine(stay.check_in_on, time(0), ZoneInfo(timezone)), 2, stay.id)


def stay_entry(stay: StayData, *, event: EventData, uid_domain: str) -> list[Property]:
    """The VEVENT of one stay, as the ``(name, value)`` pairs an ``icalendar.Event``
    would be given (``ical_writer.vevent`` writes them)."""
    cancelled = event.is_cancelled
    sequence, stamp = stay.sequence or 0, stay.updated_at
    if cancelled:
        sequence += 1
        stamp = max(stamp, event.updated_at)
    place = stay.place
    if stay.room:
        summary = _(
            "Menginap: %(hotel)s · kamar %(room)s", hotel=place.name, room=stay.room
        )
    else:
        summary = _("Menginap: %(hotel)s", hotel=place.name)
    if cancelled:
        word = _("DIBATALKAN")
        summary = f"{word}: {summary}"
    properties: list[Property] = [
        ("uid", f"stay-{stay.id}@{uid_domain}"),
        ("sequence", sequence),
        ("dtstamp", stamp),
        ("dtstart", stay.check_in_on),
        ("dtend", stay.check_out_on),
        ("summary", summary),
    ]
    lines = []
    if cancelled:
        lines.append(_("Acara ini dibatalkan."))
        if event.cancelled_reason:
            lines.append(_("Alasan: %(reason)s", reason=event.cancelled_reason))
    if stay.roommates:
        lines.append(_("Sekamar dengan: %(names)s", names=", ".join(stay.roommates)))
    if lines:
        properties.append(("description", "\n".join(lines)))
    where = place.address or place.region_name
    properties.append(("location", ", ".join(x for x in (place.name, where) if x)))
    if place.lat is not None and place.lon is not None:
        properties.append(("geo", (place.lat, place.lon)))
    properties.append(("transp", "TRANSPARENT"))
    properties.append(("status", "CANCELLED" if cancelled else "CONFIRMED"))
    return properties
