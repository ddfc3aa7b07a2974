"""A personal feed's hotel nights: one all-day entry per stay, kept apart from
``ical.py`` so the two can change independently.

Each stay is an entry from check-in to check-out (DTEND is exclusive, so the
check-out morning is not covered), named after the hotel and the room, with the
hotel as LOCATION and its coordinates as GEO. Its UID is derived from the stay's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from icalendar import Event as VEvent

from planner.services.rooms.personal import PersonalStay


def stay_entries(
    stays: Iterable[PersonalStay], *, uid_domain: str, timezone: str
) -> list[tuple[tuple, VEvent]]:
    """(sort key, VEVENT) per stay; the key sorts with the feed's timed entries."""
    zone = ZoneInfo(timezone)
    entries = []
    for stay in stays:
        component = VEvent()
        component.add("uid", f"stay-{stay.stay_id}@{uid_domain}")
        component.add("sequence", stay.sequence)
        component.add("dtstamp", stay.updated_at)
        component.add("dtstart", stay.check_in_on)
        component.add("dtend", stay.check_out_on)
        if stay.room:
            summary = _(
                "Menginap: %(hotel)s · kamar %(room)s",
                hotel=stay.place.name,
                room=stay.room,
            )
        else:
            summary = _("Menginap: %(hotel)s", hotel=stay.place.name)
        component.add("summary", summary)
        lines = []
        if stay.roommates:
            lines.append(
                _("Sekamar dengan: %(names)s", names=", ".join(stay.roommates))
            )
        if lines:
            component.add("description", "\n".join(lines))
        place = stay.place
        where = place.address or (place.region.name if place.region else None)
        component.add("location", ", ".join(x for x in (place.name, where) if x))
        if place.has_coordinates:
            component.add("geo", (place.lat, place.lon))
        component.add("transp", "TRANSPARENT")
        component.add("status", "CONFIRMED")
        key = (datetime.combine(stay.check_in_on, time(0), zone), 2, stay.stay_id)
        entries.append((key, component))
    return entries
