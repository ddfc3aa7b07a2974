"""A small XLSX writer over XlsxWriter's streaming mode (``constant_memory``): bold
frozen headings, fitted column widths, neutralised formulas.

XlsxWriter rather than openpyxl because it writes the same rows faster (see
``docs/bench.md``); openpyxl still reads the files back in the tests and reads
uploaded workbooks (``planner/services/imports.py``). Each value is written with the
call of its type (``write_string``, ``write_number``), never the generic ``write()``,
which would also turn a text starting with "=" into a formula.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import xlsxwriter

from planner.exports.csv_safe import neutralise

#: Widths, in characters, between which a column is fitted to its content.
MIN_WIDTH, MAX_WIDTH = 4, 60
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
#: Text is never read as a formula, URL or number: every value is written by type.
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass
class Sheet:
    """One worksheet: a title, a heading row and data rows (bold rows by index)."""

    title: str
    header: Sequence[str]
    rows: list[Sequence] = field(default_factory=list)
    #: Indexes into ``rows`` printed bold (subtotals, totals).
    bold_rows: set[int] = field(default_factory=set)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet title: at most 31 characters, none of ``[]:*?/\\``."""
    base = _BAD_TITLE.sub(" ", name).strip().strip("'") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _widths(sheet: Sheet) -> list[float]:
    widths = [len(str(h)) for h in sheet.header]
    for row in sheet.rows:
        for i, value in enumerate(row):
            if value is not None:
                n = len(value) if value.__class__ is str else len(str(value))
                if n > widths[i]:
                    widths[i] = n
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def _write_value(ws, r: int, c: int, value, cell_format=None) -> None:
    """One value with the call of its type; None and "" leave the cell empty."""
    if value is None or value == "":
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(r, c, value, cell_format)
    else:
        ws.write_string(r, c, neutralise(str(value)), cell_format)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as XLSX bytes: each sheet's heading row bold and frozen."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, _OPTIONS)
    bold = wb.add_format({"bold": True})
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.add_worksheet(sheet_title(sheet.title, taken))
        ws.freeze_panes(1, 0)
        for i, width in enumerate(_widths(sheet)):
            ws.set_column(i, i, width)
        for c, value in enumerate(sheet.header):
            _write_value(ws, 0, c, str(value), bold)
        bold_rows = sheet.bold_rows
        # The plain rows below skip write_string()'s A1-notation wrapper: rows and
        # columns are numbers here, and the wrapper is a third of the time per cell.
        write_string, write_number = ws._write_string, ws._write_number
        for index, row in enumerate(sheet.rows):
            r = index + 1
            if index in bold_rows:
                for c, value in enumerate(row):
                    _write_value(ws, r, c, value, bold)
                continue
            # The plain rows inline: this loop is most of the export's time.
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if value.__class__ is str:
                    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        value = neutralise(value)
                    write_string(r, c, value)
                elif value.__class__ is int or value.__class__ is float:
                    write_number(r, c, value)
                else:
                    _write_value(ws, r, c, value)
    wb.close()
    return out.getvalue()
