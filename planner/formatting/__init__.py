"""Dates and times as Indonesians write them, always naming the zone ("07.00 WIB").

:mod:`planner.formatting.plain` needs no request (services and exports import it);
:mod:`planner.formatting.filters` registers them as Jinja filters and holds what needs
a request. Names are re-exported here for views, templates and tests.
"""

from planner.formatting.filters import register, url_with
from planner.formatting.plain import (
    DEFAULT_LOCALE,
    TZ_ABBR,
    current_locale,
    formal_name,
    format_clock,
    format_date,
    format_date_range,
    format_datetime,
    format_day,
    format_number,
    format_rupiah,
    format_time,
    to_zone,
    tz_abbr,
)

#: The old private name (``planner.exports.svg`` used it).
_locale = current_locale

__all__ = [
    "DEFAULT_LOCALE",
    "TZ_ABBR",
    "current_locale",
    "formal_name",
    "format_clock",
    "format_date",
    "format_date_range",
    "format_datetime",
    "format_day",
    "format_number",
    "format_rupiah",
    "format_time",
    "register",
    "to_zone",
    "tz_abbr",
    "url_with",
]
