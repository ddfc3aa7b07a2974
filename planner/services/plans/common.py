"""Shared pieces of the plan format: constants, problems, paths and small helpers."""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import QUOTA_STATUSES, Event
from planner.services import PlannerError
from planner.services.events import slugify
from planner.services.plans.arrays import insert_arrays

FORMAT = "rombongan-plan"
VERSION = 1
#: The schema both the documentation and the validator use.
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "plan-format.schema.json"
#: Largest plan file read (the web upload is further bounded by MAX_CONTENT_LENGTH).
MAX_PLAN_BYTES = 25 * 1024 * 1024
#: Problems listed at most; the rest are counted in one last line.
MAX_PROBLEMS = 200
#: Rows per INSERT statement.
BATCH = 1000
#: Places of the same name closer than this (metres) are the same place.
SAME_PLACE_METRES = 50
#: Order of the top-level keys of a plan file.
TOP_KEYS = (
    "format",
    "version",
    "exported_at",
    "personal_data",
    "notice",
    "event",
    "places",
    "people",
    "delegations",
    "delegates",
    "vehicles",
    "trips",
    "legs",
    "seats",
    "agenda",
    "stays",
)
_SECTIONS = TOP_KEYS[6:]
#: Delegate statuses that hold a place of the quota, as a file writes them.
HOLDING = frozenset(str(s) for s in QUOTA_STATUSES)
#: Characters PostgreSQL text cannot hold (NUL, lone surrogates).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NIK = re.compile(r"[0-9]{16}")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan file: where (a JSON path) and what, in words."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class PlanInvalid(PlannerError):
    """The plan file cannot be imported; ``problems`` says why, nothing was written."""

    def __init__(self, problems: list[Problem], *, total: int | None = None) -> None:
        total = len(problems) if total is None else total
        super().__init__(
            _(
                "Berkas rencana tidak dapat diimpor (%(n)s masalah); tidak ada yang "
                "disimpan.",
                n=total,
            ),
            field="file",
        )
        self.problems = problems
        self.total = total


@dataclass
class ImportResult:
    """What an import made: the event, counts of people and places, and notices."""

    event: Event
    created_people: int = 0
    matched_people: int = 0
    created_places: int = 0
    matched_places: int = 0
    #: What was imported differently from the file (an unknown account), as sentences.
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RegionRow:
    """A region the file names, as found in this database."""

    id: int
    timezone: str
    is_province: bool


@dataclass(frozen=True)
class CheckedPlan:
    """A plan document that passed every check, with what the checks resolved: the
    writer's one input (it reads nothing else of the checks)."""

    event: dict
    #: Every section of the file (an absent one as an empty list).
    sections: dict[str, list[dict]]
    #: The slug and title the event gets (the file's, or those given instead).
    slug: str
    title: str
    #: Per keyed section: key → position of its entry.
    index: dict[str, dict[str, int]]
    #: Region code → the region found in this database.
    regions: dict[str, RegionRow]
    #: Lower-cased email → id of the account found in this database.
    users: dict[str, int]
    #: People's and drivers' phones in E.164, by position in their section.
    phones: list[str | None]
    driver_phones: list[str | None]
    #: What will be imported differently from the file, as sentences.
    notices: list[str]
    #: The file's ``paperwork`` section (see :mod:`planner.services.plans.papers`).
    paperwork: dict | None = None

    def region_id(self, code: str | None) -> int | None:
        return self.regions[code].id if code is not None else None

    def user_id(self, email: str | None) -> int | None:
        return self.users.get(email.lower()) if email else None


#: ``progress(done, total)``: called as an import or export goes on.
ProgressCallback = Callable[[int, int], None]


class Progress:
    """Counts work done out of a known total and tells ``callback``, if any."""

    def __init__(self, callback: ProgressCallback | None, total: int) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0

    def advance(self, amount: int = 1) -> None:
        self.done = min(self.done + amount, self.total)
        if self.callback is not None:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        self.advance(self.total - self.done)


def _capped(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems, and a last line counting the rest."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [
        Problem("$", _("…dan %(n)s masalah lain.", n=rest))
    ]


# Paths and small helpers --------------------------------------------------------------


def json_path(parts: Iterable[str | int]) -> str:
    """``["legs", 3, "vehicles", 0]`` → ``$.legs[3].vehicles[0]``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


@contextmanager
def _cycles_collected_after() -> Iterator[None]:
    """Python's cycle collector paused while a plan is read, imported or exported
    (also a decorator): each makes hundreds of thousands of objects (the document,
    the rows, the arrays), none in a cycle, which trigger full collections that walk
    every object of the process, a quarter of a second each in the bench, and free
    none of them (they are held to the end; reference counting frees them after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _iso(value: datetime | None, zone: str) -> str | None:
    """An aware datetime as ISO 8601 in ``zone``, with its offset."""
    if value is None:
        return None
    return _iso_in(value, zone)


@lru_cache(maxsize=4096)
def _iso_in(value: datetime, zone: str) -> str:
    # A plan repeats its times (a bulk confirmation's, a day's sessions): converting
    # into a zone is the dear part, 60,000 times per export at 10,000 delegates.
    return value.astimezone(_zone(zone)).isoformat()


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _times() -> Callable[[datetime | None, str], str | None]:
    """``iso(value, zone)``: what :func:`_iso` writes for a time read without its
    ``UTCDateTime`` conversion (naive on SQLite, which stores UTC without its
    offset), each distinct time converted once."""
    cache: dict[tuple[datetime, str], str] = {}

    def iso(value: datetime | None, zone: str) -> str | None:
        if value is None:
            return None
        key = (value, zone)
        text = cache.get(key)
        if text is None:
            aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
            text = cache[key] = aware.astimezone(_zone(zone)).isoformat()
        return text

    return iso


def _parse_datetime(text: str | None) -> datetime | None:
    """An ISO 8601 time with an offset (the schema checked the shape); None if not."""
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return None
    try:
        value.astimezone(UTC)  # year 1 at +14:00 is no storable moment
    except OverflowError:
        return None
    return value


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(min(1.0, math.sqrt(a)))


def _sortable(*values) -> tuple:
    """A sort key in which None sorts first and never meets a value of another type."""
    return tuple([(0, "") if v is None else (1, v) for v in values])


def _sorted_by(items: list, first: Callable, full: Callable) -> list:
    """``sorted(items, key=full)`` where ``first(item)`` orders as the start of
    ``full(item)`` and tells most items apart: the dear full key only for ties."""
    keys = [first(item) for item in items]
    order = sorted(range(len(items)), key=keys.__getitem__)
    out: list = []
    start, end = 0, len(order)
    while start < end:
        stop = start + 1
        key = keys[order[start]]
        while stop < end and keys[order[stop]] == key:
            stop += 1
        same = [items[i] for i in order[start:stop]]
        out.extend(sorted(same, key=full) if len(same) > 1 else same)
        start = stop
    return out


def _assign_keys(ids: Iterable[int], names: dict[int, str], fallback: str) -> dict:
    """Readable, unique keys from names, in the given order: "budi", "budi-2" …"""
    keys: dict[int, str] = {}
    taken: set[str] = set()
    for ident in ids:
        base = slugify(names[ident])[:60].strip("-") or fallback
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key)
        keys[ident] = key
    return keys


def _value(enum_or_none):
    return None if enum_or_none is None else str(enum_or_none)


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


# Bulk inserts -------------------------------------------------------------------------


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert rows in batches of :data:`BATCH`; their new ids, in the order of ``rows``.

    On PostgreSQL the ids are first taken from the table's sequence (one query) and
    each row dict gets its ``id``; the rows then go in as arrays
    (:mod:`~planner.services.plans.arrays`: one short statement per batch, where
    psycopg's executemany sends one INSERT per row). On SQLite Core INSERTs on the
    table (the ORM's bulk path splits batches wherever the None-valued keys differ)
    return the ids unordered and they are sorted: SQLite hands out the rowids of one
    statement in ascending order of its VALUES, one writer at a time.
    """
    table = model.__table__
    sequence = None
    if rows and db.session.get_bind().dialect.name == "postgresql":
        sequence = db.session.scalar(
            sa.select(sa.func.pg_get_serial_sequence(table.name, "id"))
        )
    if sequence is not None:
        ids = list(
            db.session.scalars(
                sa.select(sa.func.nextval(sequence)).select_from(
                    sa.func.generate_series(1, len(rows))
                )
            )
        )
        for row, ident in zip(rows, ids, strict=True):
            row["id"] = ident
        if not insert_arrays(table, rows, batch=BATCH):
            for chunk in _chunks(rows):
                db.session.execute(sa.insert(table), chunk)
        return ids
    ids: list[int] = []
    ordered = db.session.get_bind().dialect.name != "sqlite"
    stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=ordered)
    for chunk in _chunks(rows):
        found = list(db.session.scalars(stmt, chunk))
        ids.extend(found if ordered else sorted(found))
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} ids")
    return ids


def _insert_plain(target, rows: list[dict]) -> None:
    """Insert rows (of a model or an association table) in batches: on PostgreSQL as
    arrays (see :func:`_insert`)."""
    table = getattr(target, "__table__", target)
    if (
        rows
        and db.session.get_bind().dialect.name == "postgresql"
        and insert_arrays(table, rows, batch=BATCH)
    ):
        return
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(table), chunk)


def _int(value, default: int | None = 0) -> int | None:
    return default if value is None else int(value)
