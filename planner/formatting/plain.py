"""Dates, times, zones and numbers as Indonesians write them, always naming the zone
("Selasa, 7 Mei 2024 · 07.00 WIB"); no request needed.

Services, exports, models and the CLI import from here. Every helper takes the
language as ``locale``; left out, it is the language the translations are in force
for (the user's in a request, Indonesian in the CLI, a job or a test), so a service's
text and its ``gettext`` messages always agree.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from babel.numbers import format_currency, format_decimal
from flask_babel import get_locale

#: The language of every text when nothing else is known.
DEFAULT_LOCALE = "id"

#: Indonesian zone labels; Asia/Pontianak (West/Central Kalimantan) is WIB too.
TZ_ABBR = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def current_locale() -> str:
    """The language translations are in force for: the request's, one set by
    ``force_locale``, else Indonesian (CLI, jobs, exports outside a request)."""
    try:
        return str(get_locale() or DEFAULT_LOCALE)
    except (RuntimeError, AttributeError):  # no application context at all
        return DEFAULT_LOCALE


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


def tz_abbr(tz_name: str) -> str:
    """WIB/WITA/WIT for Indonesian zones, the zone's own abbreviation elsewhere."""
    if tz_name in TZ_ABBR:
        return TZ_ABBR[tz_name]
    return datetime.now(ZoneInfo(tz_name)).strftime("%Z") or tz_name


def format_day(value: date, locale: str | None = None) -> str:
    """'Selasa, 7 Mei 2024'."""
    return babel_format_date(value, "EEEE, d MMMM y", locale=locale or current_locale())


def format_date(value: date, locale: str | None = None) -> str:
    """'7 Mei 2024'."""
    return babel_format_date(value, "d MMMM y", locale=locale or current_locale())


def format_date_range(start: date, end: date, locale: str | None = None) -> str:
    """'7–12 Mei 2024', '30 April – 2 Mei 2024', '30 Desember 2024 – 2 Januari 2025'.

    Not Babel's ``format_interval``: its Indonesian skeletons abbreviate the months
    ("30 Apr–2 Mei 2024").
    """
    locale = locale or current_locale()
    if start == end:
        return format_date(start, locale)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, locale)}"
    if start.year == end.year:
        first = babel_format_date(start, "d MMMM", locale=locale)
        return f"{first} – {format_date(end, locale)}"
    return f"{format_date(start, locale)} – {format_date(end, locale)}"


def to_zone(value: datetime, tz_name: str) -> datetime:
    """An aware datetime in the named zone; a naive one is refused."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: its zone is unknown")
    return value.astimezone(ZoneInfo(tz_name))


def format_clock(value: datetime, tz_name: str, locale: str | None = None) -> str:
    """'07.00' (Indonesian, Babel's short time) or '07:00' (English, 24-hour)."""
    locale = locale or current_locale()
    pattern = "HH:mm" if locale.startswith("en") else "short"
    return babel_format_time(to_zone(value, tz_name), pattern, locale=locale)


def format_time(value: datetime, tz_name: str, locale: str | None = None) -> str:
    """'07.00 WIB' (Indonesian) or '07:00 WIB' (English), in the given zone."""
    return f"{format_clock(value, tz_name, locale)} {tz_abbr(tz_name)}"


def format_datetime(value: datetime, tz_name: str, locale: str | None = None) -> str:
    """'Selasa, 7 Mei 2024 · 07.00 WIB'."""
    local = to_zone(value, tz_name)
    return f"{format_day(local.date(), locale)} · {format_time(value, tz_name, locale)}"


def format_number(value: int | float | Decimal, locale: str | None = None) -> str:
    """'1.234.567,5' (Indonesian) or '1,234,567.5' (English)."""
    return format_decimal(value, locale=locale or current_locale())


def format_rupiah(value: int | float | Decimal, locale: str | None = None) -> str:
    """'Rp1.500.000': whole rupiah, the currency sign of the language ('IDR1,500,000'
    in English)."""
    return format_currency(
        value,
        "IDR",
        format="¤#,##0",
        locale=locale or current_locale(),
        currency_digits=False,
    )
