"""Dates and times as Indonesians write them, always naming the zone ("07.00 WIB")."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from flask import Flask, request, url_for
from flask_babel import get_locale

#: Indonesian zone labels; Asia/Pontianak (West/Central Kalimantan) is WIB too.
TZ_ABBR = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def formal_name(
    full_name: str | None,
    title_before: str | None = None,
    title_after: str | None = None,
    position: str | None = None,
    institution: str | None = None,
) -> str:
    """A person's name as Indonesian offices print it: "Drs. Ahmad Fauzi, S.Sos., M.PSSp."
    (titles before, the name, a comma and the titles after); an office holder known by
    position only is printed as "Kepala Bidang Rehabilitasi Sosial, Dinas Sosial …".

    ``Person.formal_name`` is the same in SQL; a test keeps the two in step.
    """
    name = (full_name or "").strip()
    if not name:
        return ", ".join(x for x in (position, institution) if x)
    if title_before:
        name = f"{title_before} {name}"
    if title_after:
        name = f"{name}, {title_after}"
    return name


def _locale() -> str:
    try:
        return str(get_locale() or "id")
    except (RuntimeError, AttributeError):  # outside a request: CLI, exports, tests
        return "id"


def tz_abbr(tz_name: str) -> str:
    """WIB/WITA/WIT for Indonesian zones, the zone's own abbreviation elsewhere."""
    if tz_name in TZ_ABBR:
        return TZ_ABBR[tz_name]
    return datetime.now(ZoneInfo(tz_name)).strftime("%Z") or tz_name


def format_day(value: date, locale: str | None = None) -> str:
    """'Selasa, 7 Mei 2024'."""
    return babel_format_date(value, "EEEE, d MMMM y", locale=locale or _locale())


def format_date(value: date, locale: str | None = None) -> str:
    """'7 Mei 2024'."""
    return babel_format_date(value, "d MMMM y", locale=locale or _locale())


def format_date_range(start: date, end: date, locale: str | None = None) -> str:
    """'7–12 Mei 2024', '30 April – 2 Mei 2024', '30 Desember 2024 – 2 Januari 2025'."""
    locale = locale or _locale()
    if start == end:
        return format_date(start, locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, locale)}"
    if start.year == end.year:
        first = babel_format_date(start, "d MMMM", locale=locale)
        return f"{first} – {format_date(end, locale)}"
    return f"{format_date(start, locale)} – {format_date(end, locale)}"


def to_zone(value: datetime, tz_name: str) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: its zone is unknown")
    return value.astimezone(ZoneInfo(tz_name))


def format_time(value: datetime, tz_name: str, locale: str | None = None) -> str:
    """'07.00 WIB' (Indonesian) or '07:00 WIB' (English), in the given zone."""
    local = to_zone(value, tz_name)
    separator = ":" if (locale or _locale()).startswith("en") else "."
    return f"{local:%H}{separator}{local:%M} {tz_abbr(tz_name)}"


def format_datetime(value: datetime, tz_name: str, locale: str | None = None) -> str:
    """'Selasa, 7 Mei 2024 · 07.00 WIB'."""
    local = to_zone(value, tz_name)
    return f"{format_day(local.date(), locale)} · {format_time(value, tz_name, locale)}"


def register(app: Flask) -> None:
    """Make the helpers available as Jinja filters."""
    app.jinja_env.filters.update(
        day=format_day,
        date_id=format_date,
        time_in=format_time,
        datetime_in=format_datetime,
        tz_abbr=tz_abbr,
        formal_name=formal_name,
    )
    from planner import permissions

    app.jinja_env.globals.update(
        format_date_range=format_date_range, url_with=url_with, perm=permissions
    )


def url_with(**changes) -> str:
    """The current page's address with some query arguments replaced."""
    args = request.args.to_dict()
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)
