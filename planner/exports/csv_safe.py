"""Neutralise spreadsheet formulas in exported cells (CSV/formula injection).

A cell beginning with ``= + - @`` (or a tab or carriage return) is run as a formula
by Excel and LibreOffice; a single quote in front makes it plain text. Phone numbers
("+62 812-3456-7890") and plain negative numbers cannot call anything, so they stay
as they are: organisers dial them from the sheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: A sign followed only by digits, spaces and phone punctuation: harmless.
_NUMBER_LIKE = re.compile(r"[+-][\d ().-]*\Z")


def neutralise(value):
    """``value`` with a leading quote when it would start a formula; non-text as is."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _NUMBER_LIKE.match(value)
    ):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads the accents), cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
