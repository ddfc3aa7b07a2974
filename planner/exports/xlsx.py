"""A small XLSX writer over XlsxWriter's streaming mode (``constant_memory``): bold
frozen headings, fitted column widths, neutralised formulas.

XlsxWriter rather than openpyxl because it writes the same rows faster (see
``docs/bench.md``); openpyxl still reads the files back in the tests and reads
uploaded workbooks (``planner/services/imports.py``). XlsxWriter makes the workbook
(sheets, styles, frozen panes, widths, the package); the rows themselves are written
by :func:`_write_rows` in the markup XlsxWriter's ``write_string``/``write_number``
would give them, which takes less than half the time. Text is always an in-line
string, never a formula, URL or number.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import isfinite

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

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


def _escaped(ws: Worksheet, value: str) -> tuple[str, str]:
    """The XML text of a string cell that needs escaping and its ``<t>`` attribute,
    with XlsxWriter's own escapes, in its order (spaces are kept after control
    characters become ``_xHHHH_``)."""
    value = ws._escape_control_characters(value)
    space = _PRESERVE if value[0].isspace() or value[-1].isspace() else ""
    return ws._escape_data(value), space


def _write_rows(
    ws: Worksheet,
    rows: Sequence[Sequence],
    widths: list[int],
    bold_rows: set[int],
    bold: Format,
) -> None:
    """Serialise ``rows`` (row 0 is the heading) straight into the worksheet's
    ``constant_memory`` row stream, ``bold_rows`` bold, and widen ``widths`` to the
    lengths of the values as given.

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
                if value == "":
                    continue
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
        # The sheet's <dimension> element, from the cells written.
        ws._check_dimensions(first, low)
        ws._check_dimensions(last, high)


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
