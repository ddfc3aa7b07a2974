"""Reading submitted form data: text, ids, days, clock times, choices and numbers.

One copy of the small input parsers every service used to carry; each refuses bad
input with a :class:`~planner.services.PlannerError` naming the field, in the user's
language.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from planner.formatting.plain import format_date_range
from planner.models.types import MAX_ID
from planner.services import PlannerError

E = TypeVar("E", bound=Enum)


def text(
    value, *, limit: int | None = None, field: str | None = None, collapse: bool = False
) -> str | None:
    """A string stripped (with ``collapse``, runs of whitespace made one space);
    None when blank or not text; longer than ``limit`` is refused on ``field``."""
    if not isinstance(value, str):
        return None
    value = " ".join(value.split()) if collapse else value.strip()
    if limit is not None and len(value) > limit:
        raise PlannerError(_("Paling panjang %(n)s karakter.", n=limit), field=field)
    return value or None


def text_in(data: dict, key: str, limit: int) -> str | None:
    """``data[key]`` as :func:`text`, at most ``limit`` characters, errors on ``key``."""
    return text(data.get(key), limit=limit, field=key)


def form_id(value) -> int | None:
    """An id from form data: None when blank (or 0, a select's "none"), -1 when it
    cannot be one."""
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


def day(
    value,
    *,
    field: str,
    near: tuple[date, date] | None = None,
    window: timedelta = timedelta(0),
) -> date:
    """A date (not a datetime); with ``near`` (an event's first and last day), at
    most ``window`` before or after them."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise PlannerError(_("Tanggal wajib diisi."), field=field)
    if near is not None and not near[0] - window <= value <= near[1] + window:
        raise PlannerError(
            _(
                "Tanggal terlalu jauh dari tanggal acara (%(dates)s).",
                dates=format_date_range(*near),
            ),
            field=field,
        )
    return value


def moment(
    on: date | None, clock: time | None, tz: str, *, field: str, message: str = ""
) -> datetime:
    """The UTC instant of a day and a clock time typed in zone ``tz``."""
    if not isinstance(on, date) or not isinstance(clock, time):
        raise PlannerError(message or _("Tanggal dan jam wajib diisi."), field=field)
    local = datetime.combine(on, clock.replace(tzinfo=None), ZoneInfo(tz))
    return local.astimezone(UTC)


def instant(value) -> datetime | None:
    """An ISO 8601 moment with its offset (``2026-12-02T08:00:00+07:00``, ``…Z``) in UTC;
    None when it is not one (a moment without offset is not one: whose clock?)."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return found.astimezone(UTC) if found.tzinfo is not None else None


def choice(enum_cls: type[E], value, *, field: str) -> E | None:
    """The member of ``enum_cls`` for a submitted value; None when empty."""
    if value in (None, ""):
        return None
    try:
        return enum_cls(value)
    except ValueError:
        raise PlannerError(_("Pilih salah satu dari daftar."), field=field) from None


def decimal(value, *, field: str) -> float | None:
    """A finite number from a form value (Decimal, float, "-2,1291"); None if empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        raise PlannerError(_("Masukkan angka desimal."), field=field) from None
    if not math.isfinite(number):
        raise PlannerError(_("Masukkan angka desimal."), field=field)
    return number
