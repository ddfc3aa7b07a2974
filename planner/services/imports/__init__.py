"""Importing delegates from the spreadsheets organisers already have (XLSX or CSV).

One module per job: :mod:`.reading` turns a file into a :class:`Table` (headings and
rows as text, keeping the spreadsheet's row numbers); :mod:`.mapping` recognises
Indonesian and English headings (:func:`guess_mapping`); :mod:`.checking` (with
:mod:`.matching`) validates every row against the event without writing
(:func:`check_import`); :mod:`.writing` validates again and writes everything or
nothing (:func:`import_delegates`); :mod:`.pasting` does the same for a list pasted on
the delegation page. Every public name is importable from here.

Decisions: a row whose person is already an active delegate of the same delegation is
*skipped* ("sudah terdaftar"), never an error, so importing the same file twice creates
nothing and does not fail. Such a person already in *another* delegation is an error.
Matched existing people (skipped ones too) only get their empty fields filled, never
overwritten: a dietary note on record stays, a blank one takes the file's.
"""

from planner.services.imports.checking import check_import
from planner.services.imports.mapping import (
    FIELDS,
    HEADING_FIELDS,
    check_mapping,
    guess_mapping,
    mapping_complete,
    normalise_heading,
)
from planner.services.imports.matching import same_name
from planner.services.imports.pasting import (
    IDENTITY_FIELDS,
    MAX_PASTE_LINES,
    PASTE_COLUMNS,
    paste_people,
    pasted_table,
)
from planner.services.imports.reading import (
    ALLOWED_EXTENSIONS,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    MAX_XLSX_MEMBER_BYTES,
    MAX_XLSX_TOTAL_BYTES,
    ImportFileError,
    Table,
    file_extension,
    read_table,
)
from planner.services.imports.records import (
    ImportInvalid,
    ImportPlan,
    ImportReport,
    RowError,
    RowPlan,
)
from planner.services.imports.writing import BATCH, import_delegates, write_plan

__all__ = [
    "ALLOWED_EXTENSIONS",
    "BATCH",
    "FIELDS",
    "HEADING_FIELDS",
    "IDENTITY_FIELDS",
    "MAX_CELL",
    "MAX_COLUMNS",
    "MAX_PASTE_LINES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "MAX_XLSX_MEMBER_BYTES",
    "MAX_XLSX_TOTAL_BYTES",
    "PASTE_COLUMNS",
    "ImportFileError",
    "ImportInvalid",
    "ImportPlan",
    "ImportReport",
    "RowError",
    "RowPlan",
    "Table",
    "check_import",
    "check_mapping",
    "file_extension",
    "guess_mapping",
    "import_delegates",
    "mapping_complete",
    "normalise_heading",
    "paste_people",
    "pasted_table",
    "read_table",
    "same_name",
    "write_plan",
]
