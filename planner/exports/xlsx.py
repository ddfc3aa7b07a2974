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
from math import isfinite

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from planner.exports.csv_safe import FORMULA_STARTS, neutralise

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
#: Excel's longest cell text, in UTF-16 units.
_STRMAX = 32767
#: What XlsxWriter escapes in cell text: XML's ``& < >``, control characters (as
#: ``_xHHHH_``), the two non-characters, and text that already looks like an escape.
_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_PRESERVE = ' xml:space="preserve"'


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


def _fitted(width: int) -> float:
    return min(max(width + 2, MIN_WIDTH), MAX_WIDTH)


def _plain(value):
    """A value that is neither ``str``, ``int`` nor ``float``: a number for number
    types (subclasses included, booleans excepted), its text for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value) if isinstance(value, float) else int(value)
    return str(value)


def _long_text(value: str) -> str:
    """``value`` cut to Excel's 32,767 UTF-16 units, as XlsxWriter cuts it."""
    if len(value.encode("utf-16-le", "surrogatepass")) // 2 <= _STRMAX:
        return value
    units = 0
    for i, char in enumerate(value):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > _STRMAX:
            return value[:i]
    return value


def _escaped(ws, value: str) -> tuple[str, str]:
    """The XML text of a string cell and its ``<t>`` attribute, exactly as
    XlsxWriter writes an in-line string in ``constant_memory`` mode."""
    if _NEEDS_ESCAPE.search(value):
        value = ws._escape_control_characters(value)
        space = (
            _PRESERVE if value and (value[0].isspace() or value[-1].isspace()) else ""
        )
        return ws._escape_data(value), space
    return value, (_PRESERVE if value[0].isspace() or value[-1].isspace() else "")


def _write_rows(ws, rows: Sequence[Sequence], widths: list[int], bold_rows, bold):
    """Serialise ``rows`` (below the heading, and the heading itself as row 0) straight
    into the worksheet's row stream, and widen ``widths`` to their lengths.

    XlsxWriter spends most of an export in its per-cell path (a stored tuple, then
    an attribute list, two regex substitutions and two searches per string), the
    same for every cell. Our cells are only text and numbers, so each row is written
    as one string with the markup XlsxWriter would write for it: ``test_xlsx.py``
    checks that the sheet XML is the same byte for byte.
    """
    names = [xl_col_to_name(c) for c in range(len(widths))]
    needs_escape = _NEEDS_ESCAPE.search
    starts = FORMULA_STARTS
    strmax = _STRMAX // 2
    first = last = None
    low, high = len(names), -1
    write = ws.row_data_fh.write
    for r, row in enumerate(rows):
        style = f' s="{bold._get_xf_index()}"' if r in bold_rows else ""
        n = str(r + 1)
        cells = []
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            cls = value.__class__
            if cls is not str and cls is not int and cls is not float:
                value = _plain(value)
                cls = value.__class__
            if cls is str:
                size = len(value)
                if size > widths[c]:
                    widths[c] = size
                if value.startswith(starts):
                    value = neutralise(value)
                if len(value) > strmax:
                    value = _long_text(value)
                if needs_escape(value):
                    text, space = _escaped(ws, value)
                else:
                    text = value
                    space = (
                        _PRESERVE if value[0].isspace() or value[-1].isspace() else ""
                    )
                cells.append(
                    f'<c r="{names[c]}{n}"{style} t="inlineStr"><is><t{space}>'
                    f"{text}</t></is></c>"
                )
            else:
                size = len(str(value))
                if size > widths[c]:
                    widths[c] = size
                if cls is float and not isfinite(value):
                    raise TypeError("NAN/INF not supported in an XLSX cell")
                cells.append(f'<c r="{names[c]}{n}"{style}><v>{value:.16G}</v></c>')
            if c < low:
                low = c
            if c > high:
                high = c
        if cells:
            if first is None:
                first = r
            last = r
            write(f'<row r="{n}">{"".join(cells)}</row>')
    if first is not None:
        # The sheet's <dimension> and the rows XlsxWriter may still accept.
        ws._check_dimensions(first, low)
        ws._check_dimensions(last, high)
        ws.previous_row = last


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as XLSX bytes: each sheet's heading row bold and frozen."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, _OPTIONS)
    bold = wb.add_format({"bold": True})
    taken: set[str] = set()
    try:
        for sheet in sheets:
            ws = wb.add_worksheet(sheet_title(sheet.title, taken))
            ws.freeze_panes(1, 0)
            header = [str(h) for h in sheet.header]
            widths = [0] * max(len(header), max(map(len, sheet.rows), default=0))
            # The heading is row 0 and bold; data row i is sheet row i + 1.
            _write_rows(
                ws,
                [header, *sheet.rows],
                widths,
                {0, *(i + 1 for i in sheet.bold_rows)},
                bold,
            )
            # Widths may follow the rows: XlsxWriter writes <cols> when it closes.
            for i in range(len(header)):
                ws.set_column(i, i, _fitted(widths[i]))
    finally:
        # On an error too: closing removes the temporary row files.
        wb.close()
    return out.getvalue()
