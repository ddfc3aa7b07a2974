"""Reading an uploaded XLSX or CSV into a :class:`Table` of text cells, refusing what
is not a sane spreadsheet (zip bombs, binary files, thousands of columns)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from planner.services import PlannerError
from planner.services.imports.mapping import HEADING_FIELDS, normalise_heading

#: Largest upload accepted, in bytes.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Largest uncompressed member of an XLSX (a zip): anything bigger is a zip bomb.
MAX_XLSX_MEMBER_BYTES = 50 * 1024 * 1024
#: Largest total uncompressed size of an XLSX.
MAX_XLSX_TOTAL_BYTES = 100 * 1024 * 1024
#: Most data rows and columns read from one file (a CSV row with more filled columns
#: is refused as it is read; an XLSX sheet is cut to its first columns).
MAX_ROWS = 20_000
MAX_COLUMNS = 60
#: Longest cell text kept (longer text is an error on the fields that have a limit).
MAX_CELL = 1_000

ALLOWED_EXTENSIONS = ("xlsx", "csv")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(PlannerError):
    """The uploaded file cannot be read as a spreadsheet."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


@dataclass
class Table:
    """A sheet as text: its headings and its data rows with their spreadsheet numbers."""

    headings: list[str]
    rows: list[tuple[int, list[str]]]
    #: Spreadsheet row number of the heading row.
    heading_row: int = 1


def file_extension(filename: str | None) -> str:
    """The lower-case extension of a file name ("" when none)."""
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_table(content: bytes, filename: str) -> Table:
    """Read an uploaded XLSX or CSV into a :class:`Table`, refusing anything else."""
    extension = file_extension(filename)
    if extension not in ALLOWED_EXTENSIONS:
        raise ImportFileError(_("Hanya berkas .xlsx atau .csv yang bisa diimpor."))
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_("Berkas lebih besar dari 5 MB."))
    raw = _read_xlsx(content) if extension == "xlsx" else _read_csv(content)
    return _table(raw)


def _read_csv(content: bytes) -> list[list]:
    """Rows of a CSV: UTF-8 (with or without BOM), else cp1252, else latin-1; ; or ,."""
    encodings = ("utf-8-sig", "cp1252", "latin-1")
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)  # Excel's "Unicode text"
    text = ""
    for encoding in encodings:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text.count("\x00") > len(text) // 100:
        raise ImportFileError(_("Berkas ini bukan CSV (berisi data biner)."))
    text = text.replace("\x00", "")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(row) > MAX_COLUMNS:
                # Refused at the first wide row, before the rest is read: a narrow
                # file with thousands of columns once held a worker past its timeout.
                while row and not row[-1].strip():
                    row.pop()
                if len(row) > MAX_COLUMNS:
                    raise ImportFileError(
                        _(
                            "Berkas ini punya lebih dari %(n)s kolom (baris %(row)s); "
                            "paling banyak %(n)s kolom.",
                            n=MAX_COLUMNS,
                            row=len(rows) + 1,
                        )
                    )
            rows.append(row)
            if len(rows) > MAX_ROWS + 20:
                break
    except csv.Error:
        raise ImportFileError(_("Berkas CSV ini tidak bisa dibaca.")) from None
    return rows


def _read_xlsx(content: bytes) -> list[list]:
    """Rows of an XLSX's first sheet, after checking the zip is sane and not a bomb."""
    import openpyxl

    bad = ImportFileError(_("Berkas .xlsx ini rusak atau bukan berkas Excel."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise bad from None
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_XLSX_MEMBER_BYTES or total > MAX_XLSX_TOTAL_BYTES:
            raise ImportFileError(
                _(
                    "Berkas .xlsx ini terlalu besar setelah dibuka; pecah menjadi beberapa."
                )
            )
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False
        )
    except Exception:  # openpyxl raises many kinds on broken files
        raise bad from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise bad
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row[:MAX_COLUMNS]))
            if len(rows) > MAX_ROWS + 20:
                break
    except PlannerError:
        raise
    except Exception:
        raise bad from None
    finally:
        workbook.close()
    return rows


def _cell(value) -> str:
    """A cell as text: numbers without ".0", dates as ISO, formulas kept literally."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _CONTROL.sub("", str(value))
    return text[:MAX_CELL].strip()


def _table(raw: list[list]) -> Table:
    """Find the heading row (the first with recognised headings) and the data rows."""
    rows = [[_cell(v) for v in row] for row in raw]
    heading_index = None
    for index, row in enumerate(rows[:10]):
        if sum(1 for v in row if normalise_heading(v) in HEADING_FIELDS) >= 2:
            heading_index = index
            break
    if heading_index is None:
        heading_index = next((i for i, row in enumerate(rows) if any(row)), None)
    if heading_index is None:
        raise ImportFileError(_("Berkas ini kosong."))
    headings = rows[heading_index]
    while headings and not headings[-1]:
        headings.pop()
    width = len(headings)
    data = [
        (index + 1, (row + [""] * width)[:width])
        for index, row in enumerate(rows)
        if index > heading_index and any(row[:width])
    ]
    if not data:
        raise ImportFileError(_("Berkas ini tidak berisi baris data."))
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _(
                "Paling banyak %(n)s baris per berkas.",
                n=f"{MAX_ROWS:,}".replace(",", "."),
            )
        )
    return Table(headings=headings, rows=data, heading_row=heading_index + 1)
