"""A small XLSX writer over openpyxl's streaming mode: bold frozen headings, fitted
column widths, neutralised formulas."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from planner.exports.csv_safe import neutralise

#: Widths, in characters, between which a column is fitted to its content.
MIN_WIDTH, MAX_WIDTH = 4, 60
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)


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
                n = len(str(value))
                if n > widths[i]:
                    widths[i] = n
    return [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as XLSX bytes: each sheet's heading row bold and frozen."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(sheet_title(sheet.title, taken))
        ws.freeze_panes = "A2"
        for i, width in enumerate(_widths(sheet), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        heading = []
        for value in sheet.header:
            cell = WriteOnlyCell(ws, neutralise(str(value)))
            cell.font = _BOLD
            heading.append(cell)
        ws.append(heading)
        bold = sheet.bold_rows
        for index, row in enumerate(sheet.rows):
            if index in bold:
                cells = []
                for value in row:
                    cell = WriteOnlyCell(ws, neutralise(value))
                    cell.font = _BOLD
                    cells.append(cell)
                ws.append(cells)
            else:
                ws.append([neutralise(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
