"""Official daily allowances (uang harian) per province, from the Standar Biaya Masukan
tables shipped in ``planner/data/sbm_uang_harian_<year>.csv``.

A later year's table is one more file beside the others: it is found by its name.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from planner.models import AllowanceKind

#: Where the tables are; one file per fiscal year.
TABLES = Path(__file__).resolve().parents[2] / "data"
_NAME = re.compile(r"sbm_uang_harian_(\d{4})\.csv")


@cache
def allowance_tables() -> dict[int, dict[str, dict[AllowanceKind, int]]]:
    """Year → province code → allowance kind → ceiling in rupiah."""
    tables: dict[int, dict[str, dict[AllowanceKind, int]]] = {}
    for path in sorted(TABLES.glob("sbm_uang_harian_*.csv")):
        match = _NAME.fullmatch(path.name)
        if not match:
            continue
        with path.open(newline="", encoding="utf-8") as f:
            tables[int(match[1])] = {
                row["province_code"]: {
                    kind: int(row[kind.value]) for kind in AllowanceKind
                }
                for row in csv.DictReader(f)
            }
    return tables


def fiscal_years() -> list[int]:
    return sorted(allowance_tables())


def default_year(year: int) -> int:
    """The table for ``year``, else the latest one before it, else the earliest."""
    years = fiscal_years()
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def allowance_ceiling(year: int, province_code: str | None, kind: AllowanceKind) -> int:
    """The ceiling of one kind of allowance in a province (0 when unknown)."""
    table = allowance_tables().get(year, {})
    row = table.get(province_code or "")
    return row[AllowanceKind(kind)] if row else 0


def provinces(year: int) -> list[tuple[str, str]]:
    """(code, name) of the provinces of a year's table, in code order."""
    return sorted(_names().get(year, {}).items())


@cache
def _names() -> dict[int, dict[str, str]]:
    names: dict[int, dict[str, str]] = {}
    for path in sorted(TABLES.glob("sbm_uang_harian_*.csv")):
        match = _NAME.fullmatch(path.name)
        if match:
            with path.open(newline="", encoding="utf-8") as f:
                names[int(match[1])] = {
                    row["province_code"]: row["province"] for row in csv.DictReader(f)
                }
    return names
