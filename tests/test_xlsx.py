"""The XLSX writer: its own row serialiser writes what XlsxWriter's cell calls would,
byte for byte, and the workbook reads back with the same values sheet by sheet."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
import xlsxwriter
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

from planner.exports import xlsx
from planner.exports.csv_safe import neutralise
from planner.exports.xlsx import Sheet, sheet_title, workbook_bytes
from planner.models import Sex

#: Text that XlsxWriter escapes, keeps as it is, or marks to keep its spaces.
HOSTILE = [
    "Budi",
    "a & b <c> d",
    "  spasi di depan",
    "spasi di belakang ",
    "tab\tdi tengah",
    "\tx",
    "=1+1",
    '=HYPERLINK("http://x")',
    "+62 812-3456-7890",
    "+1+cmd",
    "-2",
    "@SUM(A1)",
    "kendali\x01karakter",
    "\x1f",
    "_x0041_ seperti escape",
    "bukan\ufffekarakter",
    "baris\nbaru",
    "berakhir baris\n",
    "\u00a0spasi keras",
    "Ñoño Āhmad “Ucok” — Siregar 😀",
    '"kutip"',
]


class Blank:
    """A value whose text is empty: its cell stays empty."""

    def __str__(self) -> str:
        return ""


#: Values of other types, as the builders may pass them.
OTHERS = [
    0,
    -5,
    3.25,
    1e20,
    12345678901234567,
    date(2024, 5, 7),
    True,
    Decimal("1.5"),
    Sex.MALE,
    Blank(),
]


def _sheets() -> list[Sheet]:
    rows = [[f"baris {i}", i, value, None, ""] for i, value in enumerate(HOSTILE)]
    rows += [["lain", i, value, value, "x"] for i, value in enumerate(OTHERS)]
    rows.append(["panjang", 1, "x" * 40_000, "😀" * 20_000, "ab" * 9_000])
    totals = Sheet("Rekap: [semua]", ["Nama", "Jumlah"], [["A", 1], ["Jumlah", 1]])
    totals.bold_rows.add(1)
    return [
        totals,
        Sheet("Data", ["Delegasi", "No.", "Nilai", "Lain", "Catatan"], rows),
        Sheet("Kosong", ["Nama", ""], []),
        Sheet("Jarang", ["A", "B", "C", "D"], [[None, None, "c"], [], [None, 7]]),
    ]


def _reference(sheets: list[Sheet]) -> bytes:
    """The same workbook through XlsxWriter's own cell calls, one cell at a time."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, xlsx._OPTIONS)
    bold = wb.add_format({"bold": True})
    taken: set[str] = set()
    for sheet in sheets:
        ws = wb.add_worksheet(sheet_title(sheet.title, taken))
        ws.freeze_panes(1, 0)
        rows = [[str(h) for h in sheet.header], *sheet.rows]
        widths = [0] * len(sheet.header)
        for row in rows:
            for c, value in enumerate(row[: len(widths)]):
                if value is not None:
                    widths[c] = max(widths[c], len(str(value)))
        for c, width in enumerate(widths):
            ws.set_column(c, c, min(max(width + 2, xlsx.MIN_WIDTH), xlsx.MAX_WIDTH))
        for r, row in enumerate(rows):
            style = bold if r == 0 or r - 1 in sheet.bold_rows else None
            for c, value in enumerate(row):
                if value is None or str(value) == "":
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.write_number(r, c, value, style)
                else:
                    ws.write_string(r, c, neutralise(str(value)), style)
    wb.close()
    return out.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        # core.xml holds the time the workbook was made.
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_same_bytes_as_xlsxwriter_cell_calls():
    ours, theirs = _members(workbook_bytes(_sheets())), _members(_reference(_sheets()))
    assert ours.keys() == theirs.keys()
    for name in ours:
        assert ours[name] == theirs[name], name


def _expected(value):
    if value is None or str(value) == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:.16G}"  # Excel keeps 16 significant digits
        return float(text) if "." in text or "E" in text else int(text)
    # openpyxl leaves XlsxWriter's _xHHHH_ escapes of control characters as they are.
    text = Worksheet._escape_control_characters(neutralise(str(value)))
    # Excel's cap: 32,767 UTF-16 units, never half a character.
    return text.encode("utf-16-le")[: 2 * 32_767].decode("utf-16-le", "ignore")


def test_cell_values_sheet_by_sheet():
    sheets = _sheets()
    wb = load_workbook(io.BytesIO(workbook_bytes(sheets)))
    assert wb.sheetnames == ["Rekap   semua", "Data", "Kosong", "Jarang"]
    for sheet, ws in zip(sheets, wb.worksheets, strict=True):
        got = [list(r) for r in ws.iter_rows(values_only=True)]
        rows = [[str(h) for h in sheet.header], *sheet.rows]
        width = max(len(r) for r in rows)
        want = [[_expected(v) for v in r] + [None] * (width - len(r)) for r in rows]
        while want and not any(x is not None for x in want[-1]):
            want.pop()  # empty trailing rows are not written
        got = [r + [None] * (width - len(r)) for r in got]
        assert got == want, sheet.title
        assert ws.freeze_panes == "A2"
    data = wb["Data"]
    assert data["C2"].value == "Budi" and data["C8"].value == "'=1+1"
    assert data["C10"].value == "+62 812-3456-7890"
    assert data["C23"].value == 0 and data["C23"].data_type == "n"
    assert data["C28"].value == "2024-05-07" and data["C29"].value == "True"
    assert data["C31"].value == "male" and data["C32"].value is None
    assert len(data["C33"].value) == 32_767 and len(data["D33"].value) == 16_383
    assert [c.font.b for c in wb.worksheets[0]["A"]] == [True, False, True]
    assert all(c.data_type != "f" for row in data.iter_rows() for c in row)


def test_widths_fit_the_longest_value_within_bounds():
    wb = load_workbook(io.BytesIO(workbook_bytes(_sheets())))
    data, empty = wb["Data"], wb["Kosong"]
    # XlsxWriter stores a width in characters plus its padding in pixels.
    assert int(data.column_dimensions["A"].width) == len("Delegasi") + 2
    assert int(data.column_dimensions["C"].width) == xlsx.MAX_WIDTH
    assert int(empty.column_dimensions["B"].width) == xlsx.MIN_WIDTH


def test_markup_lookalike_text_is_written_as_text():
    # XlsxWriter copies in-line text shaped like "<r>…</r>" into the XML unescaped
    # (it takes it for a rich string); the serialiser always escapes.
    data = workbook_bytes([Sheet("A", ["Nama"], [["<r><t>x</t></r>"]])])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "<r><t>x</t></r>"


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_not_a_number_is_refused_like_xlsxwriter(value):
    with pytest.raises(TypeError):
        workbook_bytes([Sheet("A", ["Nilai"], [[value]])])
