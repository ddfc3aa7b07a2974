"""A VEVENT's bytes written straight from its properties, exactly the bytes icalendar's
``Event.to_ical()`` gives for the same ``add()`` calls, at a fraction of the cost.

``ical.py`` and ``stays_ical.py`` describe each entry as the list of ``(name, value)``
pairs they would ``add()`` to an ``icalendar.Event``; ``vevent`` writes them as
icalendar 7 does: properties in the VEVENT's canonical order (SUMMARY, DTSTART, DTEND,
DTSTAMP, UID, SEQUENCE first, the others by name), TEXT escaped as ``vText`` escapes
it, DTSTAMP, CREATED and LAST-MODIFIED turned into UTC, other times with their TZID
parameter (or ``Z`` in UTC), dates with ``VALUE=DATE``, lines ended by CRLF and
folded before 75 octets, never inside a UTF-8 character nor right after a backslash.
The tests hold it to icalendar's own bytes for many varied entries
(``tests/test_ical_writer.py``); a value of a kind it was not written for raises
``TypeError`` instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache

from icalendar import Event, vCategory, vDDDTypes, vGeo, vInt, vText
from icalendar.parser import Parameters
from icalendar.timezone.tzid import tzid_from_dt, tzid_from_tzinfo

#: One property as it would be given to ``Event.add``.
Property = tuple[str, object]

#: Properties icalendar always writes in UTC (RFC 5545 wants them so).
_IN_UTC = frozenset({"DTSTAMP", "CREATED", "LAST-MODIFIED"})
_CANONICAL = {name: n for n, name in enumerate(Event.canonical_order)}
#: icalendar folds a line once it would reach this many octets.
_LIMIT = 75
_BACKSLASH, _CARET = ord("\\"), ord("^")


def vevent(properties: Iterable[Property]) -> bytes:
    """The VEVENT's bytes, from BEGIN to the CRLF after END."""
    named = sorted(((name.upper(), value) for name, value in properties), key=_rank)
    lines = [b"BEGIN:VEVENT"]
    for name, value in named:
        lines.append(_fold(_line(name, value).encode()))
    lines.append(b"END:VEVENT\r\n")
    return b"\r\n".join(lines)


def text(value: str) -> str:
    """A TEXT value escaped as icalendar's ``vText`` escapes it (the order matters)."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _rank(item: tuple[str, object]) -> tuple[int, int, str]:
    """icalendar's order: the canonical names first, in their order, then by name;
    ``sorted`` is stable, so a repeated name keeps the order of its values."""
    name = item[0]
    position = _CANONICAL.get(name)
    return (0, position, "") if position is not None else (1, 0, name)


def _line(name: str, value: object) -> str:
    """One unfolded content line."""
    kind = _kind(name)
    if isinstance(value, str) and kind is vText:
        return f"{name}:{text(value)}"
    if isinstance(value, date) and kind is vDDDTypes:
        if not isinstance(value, datetime):
            return f"{name};VALUE=DATE:{value.year:04}{value.month:02}{value.day:02}"
        if name in _IN_UTC:
            value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        params, utc = _zone(value)
        stamp = (
            f"{value.year:04}{value.month:02}{value.day:02}"
            f"T{value.hour:02}{value.minute:02}{value.second:02}"
        )
        return f"{name}{params}:{stamp}Z" if utc else f"{name}{params}:{stamp}"
    if isinstance(value, int) and not isinstance(value, bool) and kind is vInt:
        return f"{name}:{value}"
    if isinstance(value, tuple) and kind is vGeo:
        latitude, longitude = value
        return f"{name}:{float(latitude)};{float(longitude)}"
    if isinstance(value, list) and kind is vCategory:
        return f"{name}:{','.join(text(category) for category in value)}"
    raise TypeError(f"{name}: no direct writing for {type(value).__name__}")


@lru_cache(maxsize=64)
def _kind(name: str) -> type:
    """icalendar's type of a property: what a value of it is written as (a name it
    does not know is written unescaped, which this writer refuses to guess)."""
    return Event.types_factory.for_property(name)


def _zone(value: datetime) -> tuple[str, bool]:
    """The parameters (``;TZID=…`` or nothing) of a time, and whether it is in UTC."""
    zone = value.tzinfo
    if zone is None:
        return "", False  # a floating time
    known = _zone_of(zone)
    return known if known is not None else _parameters(tzid_from_dt(value))


@lru_cache(maxsize=64)
def _zone_of(zone: tzinfo) -> tuple[str, bool] | None:
    """A zone's parameters when icalendar names it by the zone alone (IANA zones,
    UTC): once per zone, not per time."""
    tzid = tzid_from_tzinfo(zone)
    return None if tzid is None else _parameters(tzid)


@lru_cache(maxsize=64)
def _parameters(tzid: str | None) -> tuple[str, bool]:
    if tzid == "UTC":
        return "", True
    if not tzid:
        return "", False
    return ";" + Parameters({"TZID": tzid}).to_ical().decode(), False


def _fold(line: bytes) -> bytes:
    """The line folded as icalendar folds it: each piece the longest run of whole
    UTF-8 characters under 75 octets, except that a piece never ends with a backslash
    or caret after other characters (it moves to the next piece, so an escape is
    never split)."""
    size = len(line)
    if size < _LIMIT:
        return line
    pieces = []
    start = 0
    while size - start >= _LIMIT:
        end = start + _LIMIT - 1
        while line[end] & 0xC0 == 0x80:  # inside a character: back to its start
            end -= 1
        if line[end - 1] in (_BACKSLASH, _CARET) and end - 1 > start:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)
