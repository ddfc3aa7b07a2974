"""Indonesian public holidays on an event's days, named in the reader's language."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays
from flask_babel import gettext as _

from planner.formatting.plain import current_locale, format_date

#: Years the holiday calendar is asked about; outside them there is nothing to warn of.
_HOLIDAY_YEARS = range(1990, 2101)


@lru_cache(maxsize=64)
def _holidays(year: int, language: str | None) -> dict[date, str]:
    """One year's Indonesian public holidays, named in ``language`` if supported."""
    calendar = holidays.country_holidays("ID", years=year)
    supported = getattr(calendar, "supported_languages", ()) or ()
    if language is not None and language in supported:
        calendar = holidays.country_holidays("ID", years=year, language=language)
    return dict(calendar.items())


def _holiday_language(locale: str) -> str:
    """The holidays package's language code for a UI locale ("en" → "en_US")."""
    return {"en": "en_US"}.get(locale, locale)


def holiday_warnings(
    starts_on: date, ends_on: date, *, locale: str | None = None
) -> list[tuple[date, str]]:
    """Indonesian public holidays on the event's days, named in the UI language.

    Indonesian unless the interface is in another language the holidays package
    knows; otherwise the package's own default names.
    """
    if starts_on is None or ends_on is None or ends_on < starts_on:
        return []
    locale = locale or current_locale()
    language = _holiday_language(locale)
    found: list[tuple[date, str]] = []
    for year in range(starts_on.year, ends_on.year + 1):
        if year not in _HOLIDAY_YEARS:
            continue
        for day, name in sorted(_holidays(year, language).items()):
            if starts_on <= day <= ends_on:
                found.append((day, name))
    return found


def holiday_messages(
    starts_on: date, ends_on: date, *, locale: str | None = None
) -> list[str]:
    """One sentence per holiday: "17 Agustus 2026 adalah hari libur: …"."""
    locale = locale or current_locale()
    return [
        _(
            "%(day)s adalah hari libur: %(name)s.",
            day=format_date(day, locale),
            name=name,
        )
        for day, name in holiday_warnings(starts_on, ends_on, locale=locale)
    ]
