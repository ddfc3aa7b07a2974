"""Importing delegates from the spreadsheets organisers already have (XLSX or CSV).

Reading turns a file into a :class:`Table` (headings and rows as text, keeping the
spreadsheet's row numbers); :func:`guess_mapping` recognises Indonesian and English
headings; :func:`check_import` validates every row against the event without writing;
:func:`import_delegates` validates again and writes everything or nothing.

Decisions: a row whose person is already an active delegate of the same delegation is
*skipped* ("sudah terdaftar"), never an error, so importing the same file twice creates
nothing and does not fail. Such a person already in *another* delegation is an error.
Matched existing people only get their empty fields filled, never overwritten.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Person,
    Region,
    RegionKind,
    Sex,
    User,
)
from planner.permissions import sees_all_people
from planner.services import PlannerError
from planner.services.delegations import confirm_delegate, nominate_delegate
from planner.services.people import normalise_nik, normalise_phone, split_titles

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
#: Rows flushed to the database at once.
BATCH = 500

ALLOWED_EXTENSIONS = ("xlsx", "csv")

#: The fields a column can hold, in the order of the mapping page.
FIELDS: dict[str, object] = {
    "full_name": _l("Nama lengkap"),
    "sex": _l("Jenis kelamin"),
    "phone": _l("Nomor HP"),
    "nik": _l("NIK"),
    "region": _l("Kabupaten/kota"),
    "delegation": _l("Delegasi"),
    "position": _l("Jabatan"),
    "institution": _l("Instansi"),
    "role": _l("Peran"),
    "email": _l("Email"),
    "birth_on": _l("Tanggal lahir"),
}

#: Headings people write for each field, normalised (see normalise_heading), "|"-separated.
_HEADINGS = {
    "full_name": "nama|nama lengkap|nama peserta|name|full name",
    "sex": "jenis kelamin|jk|l p|kelamin|sex|gender",
    "phone": "no hp|nomor hp|no hp wa|nomor telepon|no telepon|no telp|telepon|telp|hp|"
    "whatsapp|wa|no wa|nomor whatsapp|phone|phone number|mobile|telephone",
    "nik": "nik|no ktp|nomor ktp|nomor induk kependudukan|national id",
    "region": "kabupaten kota|kab kota|kota kabupaten|kabupaten|wilayah|daerah|asal|"
    "asal daerah|kode wilayah|region|regency city|regency",
    "delegation": "delegasi|rombongan|utusan|delegation",
    "position": "jabatan|position|job title",
    "institution": "instansi|lembaga|asal instansi|institution|organisation|organization",
    "role": "peran|sebagai|role",
    "email": "email|e mail|surel|alamat email|email address",
    "birth_on": "tanggal lahir|tgl lahir|birth date|date of birth|birthdate|dob",
}
#: Normalised heading → field.
HEADING_FIELDS = {
    heading: key
    for key, headings in _HEADINGS.items()
    for heading in headings.split("|")
}

_ROLES = {
    "peserta": DelegateRole.PARTICIPANT,
    "participant": DelegateRole.PARTICIPANT,
    "anggota": DelegateRole.PARTICIPANT,
    "ketua rombongan": DelegateRole.HEAD,
    "ketua delegasi": DelegateRole.HEAD,
    "ketua": DelegateRole.HEAD,
    "head": DelegateRole.HEAD,
    "head of delegation": DelegateRole.HEAD,
    "narasumber": DelegateRole.SPEAKER,
    "pembicara": DelegateRole.SPEAKER,
    "speaker": DelegateRole.SPEAKER,
    "panitia": DelegateRole.COMMITTEE,
    "committee": DelegateRole.COMMITTEE,
    "tamu": DelegateRole.GUEST,
    "tamu undangan": DelegateRole.GUEST,
    "undangan": DelegateRole.GUEST,
    "guest": DelegateRole.GUEST,
}
_SEXES = {
    "l": Sex.MALE,
    "lk": Sex.MALE,
    "laki laki": Sex.MALE,
    "laki": Sex.MALE,
    "pria": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "p": Sex.FEMALE,
    "pr": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}
_REGION_CODE = re.compile(r"^(\d{2})(?:[.\s]?(\d{2}))?$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ImportFileError(PlannerError):
    """The uploaded file cannot be read as a spreadsheet."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


class ImportInvalid(PlannerError):
    """Some rows are invalid: nothing was written; ``plan`` lists the errors."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(
            _("Ada %(n)s kesalahan; tidak ada yang diimpor.", n=len(plan.errors))
        )
        self.plan = plan


# Reading files ------------------------------------------------------------------------


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


# Headings -----------------------------------------------------------------------------


def normalise_heading(text: str) -> str:
    """Lower case, accents and punctuation removed: "No. HP/WA" → "no hp wa"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def guess_mapping(headings: list[str]) -> list[str | None]:
    """The field of each column as recognised from its heading (None: unknown)."""
    mapping: list[str | None] = []
    for heading in headings:
        key = HEADING_FIELDS.get(normalise_heading(heading))
        mapping.append(key if key not in mapping else None)
    return mapping


def mapping_complete(headings: list[str], mapping: list[str | None]) -> bool:
    """True when every non-empty heading was recognised (no mapping page needed)."""
    return all(
        key or not heading.strip()
        for heading, key in zip(headings, mapping, strict=False)
    )


def check_mapping(mapping: list[str | None]) -> None:
    """Refuse a mapping without a name column or with one field on two columns."""
    chosen = [key for key in mapping if key]
    for key in chosen:
        if key not in FIELDS:
            raise PlannerError(_("Pilih salah satu dari daftar."), field="mapping")
    if "full_name" not in chosen:
        raise PlannerError(_("Pilih kolom yang berisi nama."), field="mapping")
    twice = sorted({key for key in chosen if chosen.count(key) > 1})
    if twice:
        raise PlannerError(
            _(
                "Setiap isian hanya boleh dipilih untuk satu kolom: %(fields)s.",
                fields=", ".join(str(FIELDS[key]) for key in twice),
            ),
            field="mapping",
        )


# Checking rows ------------------------------------------------------------------------


@dataclass
class RowError:
    """One problem: spreadsheet row number, column heading, Indonesian message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _(
            "Baris %(row)s, kolom %(column)s: %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


@dataclass
class RowPlan:
    """What one row will do: its cleaned values and where it goes."""

    number: int
    values: dict = field(default_factory=dict)
    person: Person | None = None
    delegation: Delegation | None = None
    region: Region | None = None
    role: DelegateRole = DelegateRole.PARTICIPANT
    #: "new" (a new person), "matched" (an existing person), "skipped" (already in).
    action: str = "new"
    #: True when the delegation was named in a delegation column (not by region).
    by_delegation: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportPlan:
    """Every row checked; ``errors`` flattened in row order."""

    rows: list[RowPlan]
    headings: list[str]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and row.ok)


@dataclass
class ImportReport:
    """What an import wrote."""

    created_people: int = 0
    matched_people: int = 0
    nominated: int = 0
    skipped: int = 0
    #: The delegates nominated, in row order.
    delegates: list[Delegate] = field(default_factory=list)
    #: Of those, how many were confirmed at once (a pasted list may ask for it).
    confirmed: int = 0


class _Regions:
    """Every region, findable by code or by a name as people type it."""

    def __init__(self, event: Event, delegations: list[Delegation]) -> None:
        regions = list(db.session.scalars(sa.select(Region)))
        self.by_code = {r.code: r for r in regions}
        self.by_name: dict[tuple[str | None, str], list[Region]] = {}
        for region in regions:
            kind, bare = _region_key(region.name)
            kind = kind or region.kind.value
            self.by_name.setdefault((kind, bare), []).append(region)
            self.by_name.setdefault((None, bare), []).append(region)
        self.in_event = {d.region_id for d in delegations if d.region_id}

    def find(self, text: str) -> tuple[Region | None, str | None]:
        """The region named or coded by ``text``, or an error message."""
        match = _REGION_CODE.match(text.strip())
        if match:
            code = match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
            region = self.by_code.get(code)
            if region is None:
                return None, _("Kode wilayah %(code)s tidak dikenal.", code=code)
            return region, None
        kind, bare = _region_key(text)
        candidates = self.by_name.get((kind, bare), [])
        if len(candidates) > 1:
            # "Bekasi": prefer the one that has a delegation in this event.
            in_event = [r for r in candidates if r.id in self.in_event]
            candidates = in_event if len(in_event) == 1 else candidates
        if len(candidates) == 1:
            return candidates[0], None
        if candidates:
            return None, _(
                "Nama wilayah %(name)s bisa berarti beberapa wilayah; tulis "
                "“Kota …” atau “Kabupaten …”, atau kodenya.",
                name=text,
            )
        return None, _("Wilayah %(name)s tidak dikenal.", name=text)


def _region_key(name: str) -> tuple[str | None, str]:
    """(kind or None, the name without its kind) as comparable text."""
    words = normalise_heading(name).split()
    kind = None
    if words and words[0] in ("kabupaten", "kab"):
        kind, words = RegionKind.KABUPATEN.value, words[1:]
    elif words and words[0] in ("kota", "kodya", "city"):
        kind, words = RegionKind.KOTA.value, words[1:]
    elif words and words[0] in ("provinsi", "prov", "province"):
        kind, words = RegionKind.PROVINSI.value, words[1:]
    elif words and words[-1] == "regency":
        kind, words = RegionKind.KABUPATEN.value, words[:-1]
    elif words and words[-1] == "city":
        kind, words = RegionKind.KOTA.value, words[:-1]
    return kind, "".join(words)


def _name_key(name: str) -> str:
    """A name compared without regard to case or spacing."""
    return "".join(name.split()).casefold()


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_import(
    event: Event,
    *,
    table: Table,
    mapping: list[str | None],
    reveal: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Validate every row against the event, writing nothing; errors by row and column.

    A NIK conflict names the person holding the NIK only with ``reveal`` (for those
    who see everyone: organisers, admins, the CLI); otherwise one message says nothing
    about them.
    """
    check_mapping(mapping)
    columns = {key: index for index, key in enumerate(mapping) if key}

    def heading(key: str) -> str:
        index = columns.get(key)
        if index is not None and table.headings[index].strip():
            return table.headings[index].strip()
        return str(FIELDS[key])

    delegations = list(
        db.session.scalars(sa.select(Delegation).filter_by(event_id=event.id))
    )
    by_region = {d.region_id: d for d in delegations if d.region_id}
    by_name = {_name_key(d.name): d for d in delegations}
    regions = _Regions(event, delegations)
    nik_checker = _nik_checker()

    plans: list[RowPlan] = []
    for number, cells in table.rows:
        raw = {key: cells[index] for key, index in columns.items()}
        plans.append(
            _check_row(number, raw, heading, regions, by_region, by_name, nik_checker)
        )
        if progress:
            progress(1)

    _match_people(plans, heading, reveal=reveal)
    _check_duplicates(plans, heading)
    _check_event(event, plans, heading)
    return ImportPlan(rows=plans, headings=table.headings)


def _nik_checker() -> Callable[[str], str | None]:
    """``normalise_nik`` asked once per province prefix instead of once per row."""
    verdicts: dict[str, PlannerError | None] = {}

    def check(raw: str) -> str | None:
        text = re.sub(r"[\s.]+", "", raw)
        if len(text) != 16 or not text.isascii() or not text.isdigit():
            return normalise_nik(raw)
        prefix = text[:2]
        if prefix not in verdicts:
            try:
                normalise_nik(text)
                verdicts[prefix] = None
            except PlannerError as exc:
                verdicts[prefix] = exc
        if verdicts[prefix] is not None:
            raise verdicts[prefix]
        return text

    return check


def _check_row(
    number, raw, heading, regions, by_region, by_name, nik_checker
) -> RowPlan:
    """Clean one row's values; errors name the row and the column."""
    plan = RowPlan(number=number)

    def error(key: str, message: str) -> None:
        plan.errors.append(RowError(number, heading(key), message))

    def attempt(key: str, func):
        try:
            return func(raw.get(key) or "")
        except PlannerError as exc:
            error(key, str(exc))
            return None

    values = plan.values
    # "Drs. Ahmad Fauzi, S.Sos." is matched and stored as "Ahmad Fauzi" with its titles.
    values["title_before"], name, values["title_after"] = split_titles(
        raw.get("full_name", "")
    )
    if not name:
        error("full_name", _("Nama wajib diisi."))
    elif len(name) > 200:
        error("full_name", _("Nama paling panjang 200 huruf."))
    values["full_name"] = name
    values["phone"] = attempt("phone", normalise_phone)
    values["nik"] = attempt("nik", nik_checker)
    for key in ("position", "institution"):
        text = " ".join(raw.get(key, "").split()) or None
        if text and len(text) > 200:
            error(key, _("Paling panjang 200 huruf."))
        values[key] = text
    email = raw.get("email", "").strip() or None
    if email and (len(email) > 254 or not _EMAIL.match(email)):
        error("email", _("Alamat email tidak valid."))
    values["email"] = email
    sex_text = raw.get("sex", "").strip()
    values["sex"] = _SEXES.get(normalise_heading(sex_text)) if sex_text else None
    if sex_text and values["sex"] is None:
        error("sex", _("Tulis L atau P (laki-laki/perempuan)."))
    values["birth_on"] = _birth_date(raw.get("birth_on", ""), error)

    role_text = raw.get("role", "").strip()
    if role_text:
        role = _ROLES.get(normalise_heading(role_text))
        if role is None:
            error(
                "role",
                _(
                    "Peran %(role)s tidak dikenal (peserta, ketua rombongan, "
                    "narasumber, panitia, tamu).",
                    role=role_text,
                ),
            )
        plan.role = role or DelegateRole.PARTICIPANT

    region_text = raw.get("region", "").strip()
    if region_text:
        plan.region, message = regions.find(region_text)
        if message:
            error("region", message)
    delegation_text = raw.get("delegation", "").strip()
    if delegation_text:
        plan.delegation = by_name.get(_name_key(delegation_text))
        plan.by_delegation = True
        if plan.delegation is None:
            error(
                "delegation",
                _(
                    "Delegasi %(name)s tidak ada di acara ini.",
                    name=delegation_text,
                ),
            )
    elif plan.region is not None:
        plan.delegation = by_region.get(plan.region.id)
        if plan.delegation is None:
            error(
                "region",
                _(
                    "%(region)s tidak punya delegasi di acara ini.",
                    region=plan.region.name,
                ),
            )
    if plan.region is None and plan.delegation is not None:
        plan.region = plan.delegation.region
    needs_delegation = plan.role in (DelegateRole.PARTICIPANT, DelegateRole.HEAD)
    if needs_delegation and plan.delegation is None and not plan.errors:
        error(
            "region",
            _("Isi kabupaten/kota atau delegasi (wajib bagi peserta dan ketua)."),
        )
    return plan


def _birth_date(text: str, error) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            value = datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        error("birth_on", _("Tanggal lahir tidak valid (misalnya 1980-05-17)."))
        return None
    if not date(1900, 1, 1) <= value <= date.today():
        error("birth_on", _("Tanggal lahir tidak masuk akal."))
        return None
    return value


def _match_people(plans: list[RowPlan], heading, *, reveal: bool = False) -> None:
    """Find each row's existing person: by NIK, then phone, then name + region.

    A NIK is an identity, so a NIK held by someone with another name, or by someone
    outside the row's region, is an error row, never a match (it would nominate that
    person and show their data to the delegation's head). A phone held by someone
    outside the row's region is an error row naming them with ``reveal`` (organisers
    see everyone anyway); without it, no match (a phone is shared within families, and
    a refusal would tell a chapter head the number is on record elsewhere).
    """
    niks = sorted({p.values["nik"] for p in plans if p.values.get("nik")})
    phones = sorted({p.values["phone"] for p in plans if p.values.get("phone")})
    by_nik: dict[str, Person] = {}
    by_phone: dict[str, list[Person]] = {}
    by_name: dict[tuple[str, int | None], list[Person]] = {}
    with_region = joinedload(Person.region)
    for chunk in _chunks(niks):
        for person in db.session.scalars(
            sa.select(Person).options(with_region).where(Person.nik.in_(chunk))
        ):
            by_nik[person.nik] = person
    for chunk in _chunks(phones):
        stmt = (
            sa.select(Person)
            .options(with_region)
            .where(Person.phone.in_(chunk))
            .order_by(Person.id)
        )
        for person in db.session.scalars(stmt):
            by_phone.setdefault(person.phone, []).append(person)
    # Names are compared in Python (SQL's lower() and spaces differ per database):
    # load the people of the regions the file names, a bounded set.
    region_ids = sorted({p.region.id for p in plans if p.ok and p.region is not None})
    wanted = {
        (_name_key(p.values["full_name"]), p.region and p.region.id) for p in plans
    }
    conditions = [Person.region_id.in_(chunk) for chunk in _chunks(region_ids)]
    if any(p.ok and p.region is None for p in plans):
        conditions.append(Person.region_id.is_(None))
    if conditions:
        stmt = sa.select(Person).where(sa.or_(*conditions)).order_by(Person.id)
        for person in db.session.scalars(stmt):
            key = (_name_key(person.full_name), person.region_id)
            if key in wanted:
                by_name.setdefault(key, []).append(person)

    for plan in plans:
        if not plan.ok:
            continue
        nik = plan.values.get("nik")

        person = by_nik.get(nik) if nik else None
        if person is not None:
            conflict = _nik_conflict(person, plan, reveal=reveal)
            if conflict:
                plan.errors.append(RowError(plan.number, heading("nik"), conflict))
                continue
        if person is None and plan.values.get("phone"):
            same_phone = [
                p for p in by_phone.get(plan.values["phone"], []) if _compatible(p, nik)
            ]
            person = next((p for p in same_phone if _inside(p, plan.region)), None)
            if person is None and same_phone and reveal:
                other = same_phone[0]
                plan.errors.append(
                    RowError(
                        plan.number,
                        heading("phone"),
                        _(
                            "Nomor HP ini milik orang lain (di luar wilayah "
                            "%(region)s): %(name)s, %(where)s.",
                            region=plan.region.name,
                            name=other.full_name,
                            where=_region_name(other),
                        ),
                    )
                )
                continue
        if person is None:
            key = (
                _name_key(plan.values["full_name"]),
                plan.region.id if plan.region else None,
            )
            person = next(
                (p for p in by_name.get(key, []) if _compatible(p, nik)), None
            )
        if person is not None:
            plan.person = person
            plan.action = "matched"


#: Words dropped when comparing names: degree titles ("Drs.", "S.Sos.", "M.Si").
_TITLE = re.compile(r"^(?:\w{1,4}\.)+\w{0,4}$")


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same person: case, spacing, punctuation and
    degree titles before or after the name ("Hj. Siti Aminah, S.Sos.") ignored."""

    def words(name: str) -> list[str]:
        kept = []
        for word in name.replace(",", " ").split():
            if _TITLE.match(word):
                continue
            letters = "".join(ch for ch in word.casefold() if ch.isalnum())
            if letters:
                kept.append(letters)
        return kept

    return words(a) == words(b) or _name_key(a) == _name_key(b)


def _inside(person: Person, region: Region | None) -> bool:
    """Whether ``person`` belongs to ``region`` (or its regencies), or to none yet."""
    if region is None or person.region_id is None:
        return True
    if person.region_id == region.id:
        return True
    return person.region is not None and person.region.parent_id == region.id


def _nik_conflict(person: Person, plan: RowPlan, *, reveal: bool) -> str | None:
    """Why the holder of a row's NIK cannot be the row's person, or None."""
    other_name = not same_name(person.full_name, plan.values["full_name"])
    outside = not _inside(person, plan.region)
    if not (other_name or outside):
        return None
    if not reveal:
        # One message for chapter heads: nothing about who holds it, or where.
        return _(
            "NIK ini milik orang lain (nama berbeda atau di luar wilayah delegasi "
            "ini). Periksa lagi angkanya; bila sudah benar, hubungi panitia."
        )
    where = _region_name(person)
    if other_name:
        return _(
            "NIK ini milik orang lain (nama berbeda): %(name)s, %(where)s.",
            name=person.full_name,
            where=where,
        )
    return _(
        "NIK ini milik orang lain (di luar wilayah %(region)s): %(name)s, %(where)s.",
        region=plan.region.name,
        name=person.full_name,
        where=where,
    )


def _region_name(person: Person) -> str:
    return person.region.name if person.region else _("tanpa wilayah")


def _compatible(person: Person, nik: str | None) -> bool:
    """A person found by phone or name is the row's only if their NIKs do not differ."""
    return not nik or not person.nik or person.nik == nik


def _check_duplicates(plans: list[RowPlan], heading) -> None:
    """The same person twice in the file (same NIK, phone, name + region, or match)."""
    seen: dict[tuple, int] = {}
    for plan in plans:
        if not plan.values.get("full_name"):
            continue
        keys = []
        if plan.person is not None:
            keys.append(("person", plan.person.id))
        if plan.values.get("nik"):
            keys.append(("nik", plan.values["nik"]))
        if plan.values.get("phone"):
            keys.append(("phone", plan.values["phone"]))
        keys.append(
            (
                "name",
                _name_key(plan.values["full_name"]),
                plan.region.id if plan.region else None,
            )
        )
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            plan.errors.append(
                RowError(
                    plan.number,
                    heading("full_name"),
                    _("Orang yang sama sudah ada di baris %(row)s.", row=first),
                )
            )
        for key in keys:
            seen.setdefault(key, plan.number)


def _check_event(event: Event, plans: list[RowPlan], heading) -> None:
    """People already in the event, and rows beyond each delegation's free places."""
    person_ids = [p.person.id for p in plans if p.person is not None]
    existing: dict[int, Delegate] = {}
    for chunk in _chunks(person_ids):
        stmt = (
            sa.select(Delegate)
            .options(selectinload(Delegate.delegation))
            .where(Delegate.event_id == event.id, Delegate.person_id.in_(chunk))
        )
        for delegate in db.session.scalars(stmt):
            existing[delegate.person_id] = delegate
    for plan in plans:
        delegate = existing.get(plan.person.id) if plan.person is not None else None
        if delegate is None or not delegate.is_active or not plan.ok:
            continue
        if delegate.delegation_id == (plan.delegation.id if plan.delegation else None):
            plan.action = "skipped"
        else:
            where = (
                delegate.delegation.name if delegate.delegation else _("tanpa delegasi")
            )
            plan.errors.append(
                RowError(
                    plan.number,
                    heading("full_name"),
                    _(
                        "%(name)s sudah terdaftar di acara ini (%(where)s).",
                        name=plan.person.full_name,
                        where=where,
                    ),
                )
            )

    taken = dict(
        db.session.execute(
            sa.select(Delegate.delegation_id, sa.func.count())
            .where(
                Delegate.event_id == event.id,
                Delegate.delegation_id.is_not(None),
                Delegate.status.in_(ACTIVE_STATUSES),
            )
            .group_by(Delegate.delegation_id)
        ).all()
    )
    added: dict[int, int] = {}
    for plan in plans:
        if plan.delegation is None or plan.action == "skipped":
            continue
        delegation = plan.delegation
        added[delegation.id] = added.get(delegation.id, 0) + 1
        used = taken.get(delegation.id, 0)
        if used + added[delegation.id] > delegation.quota:
            column = "delegation" if plan.by_delegation else "region"
            plan.errors.append(
                RowError(
                    plan.number,
                    heading(column),
                    _(
                        "Melebihi kuota %(name)s (kuota %(quota)s, sudah terisi "
                        "%(used)s).",
                        name=delegation.name,
                        quota=delegation.quota,
                        used=used,
                    ),
                )
            )


# Writing ------------------------------------------------------------------------------


def import_delegates(
    event: Event,
    *,
    table: Table,
    mapping: list[str | None],
    by: User | None = None,
    dry_run: bool = False,
    reveal: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Check every row, then add people and nominate them; all or nothing.

    Raises :class:`ImportInvalid` (nothing written) when any row is invalid. Flushes
    per :data:`BATCH` rows; the caller commits, or rolls back on any error.
    ``progress`` is called with row counts twice over: while checking, then writing.
    """
    plan = check_import(
        event, table=table, mapping=mapping, reveal=reveal, progress=progress
    )
    if not plan.ok:
        raise ImportInvalid(plan)
    return write_plan(event, plan, by=by, dry_run=dry_run, progress=progress)


def write_plan(
    event: Event,
    plan: ImportPlan,
    *,
    by: User | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Add the people of a checked, valid plan and nominate them (flushes, never
    commits)."""
    report = ImportReport()
    if dry_run:
        if progress:
            progress(len(plan.rows))
        report.created_people = plan.count("new")
        report.matched_people = plan.count("matched")
        report.nominated = report.created_people + report.matched_people
        report.skipped = plan.count("skipped")
        return report
    todo = [row for row in plan.rows if row.action != "skipped"]
    report.skipped = len(plan.rows) - len(todo)
    for batch in _chunks(todo, BATCH):
        # People first, flushed together; then one nomination per row.
        with db.session.no_autoflush:
            for row in batch:
                if row.person is None:
                    row.person = _new_person(row)
                    db.session.add(row.person)
                    report.created_people += 1
                else:
                    _fill_blanks(row.person, row)
                    report.matched_people += 1
        db.session.flush()
        for row in batch:
            report.delegates.append(
                nominate_delegate(
                    event,
                    person=row.person,
                    delegation=row.delegation,
                    role=row.role,
                    by=by,
                    notes=None,
                )
            )
            report.nominated += 1
        db.session.flush()
        if progress:
            progress(len(batch))
    if progress and report.skipped:
        progress(report.skipped)
    return report


_PERSON_FIELDS = (
    "title_before",
    "title_after",
    "sex",
    "phone",
    "email",
    "position",
    "institution",
    "nik",
    "birth_on",
)


# A list pasted on the delegation page ---------------------------------------------------

#: The columns of a pasted list, in this order; all but the name may stay empty.
PASTE_COLUMNS = ("full_name", "sex", "birth_on", "nik", "phone")
#: Most lines pasted at once (a longer list is a file for the import page).
MAX_PASTE_LINES = 200
#: What a person needs on a ferry or air manifest.
IDENTITY_FIELDS = ("sex", "birth_on", "nik")


def pasted_table(text: str, delegation: Delegation) -> tuple[Table, list[int]]:
    """Lines pasted from a spreadsheet (cells separated by tabs) or typed with ";"
    between the cells, as a :class:`Table` for ``delegation``; and the numbers of
    the lines with more cells than :data:`PASTE_COLUMNS`. A heading line is skipped."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        raise ImportFileError(_("Tempel minimal satu baris."))
    if len(lines) > MAX_PASTE_LINES:
        raise ImportFileError(
            _(
                "Paling banyak %(n)s baris sekaligus; untuk daftar yang lebih panjang "
                "pakai halaman Impor.",
                n=MAX_PASTE_LINES,
            )
        )
    width = len(PASTE_COLUMNS)
    rows, too_wide = [], []
    for index, (number, line) in enumerate(lines):
        separator = "\t" if "\t" in line else (";" if ";" in line else None)
        cells = [" ".join(c.split()) for c in line.split(separator)]
        if not separator:
            cells = [" ".join(line.split())]
        recognised = sum(1 for c in cells if normalise_heading(c) in HEADING_FIELDS)
        if index == 0 and recognised >= 2:
            continue
        while len(cells) > width and not cells[-1]:
            cells.pop()
        if len(cells) > width:
            too_wide.append(number)
        rows.append((number, (cells + [""] * width)[:width] + [delegation.name]))
    if not rows:
        raise ImportFileError(_("Tempel minimal satu baris."))
    headings = [str(FIELDS[key]) for key in (*PASTE_COLUMNS, "delegation")]
    return Table(headings=headings, rows=rows, heading_row=0), too_wide


def paste_people(
    event: Event,
    delegation: Delegation,
    *,
    text: str,
    by: User | None = None,
    identity_required: bool = False,
    confirm: bool = False,
) -> ImportReport:
    """Add and nominate everyone on a pasted list in one step, all or nothing: people
    already on record (same NIK, phone, or name in the region) are reused, those
    already in the delegation skipped; ``confirm`` confirms those nominated (quota
    places taken). Raises :class:`ImportInvalid` with every
    line's problems (nothing written), or :class:`ImportFileError`."""
    table, too_wide = pasted_table(text, delegation)
    plan = check_import(
        event,
        table=table,
        mapping=[*PASTE_COLUMNS, "delegation"],
        reveal=sees_all_people(by),
    )
    line = str(_("Baris"))
    for row in plan.rows:
        if row.number in too_wide:
            row.errors.append(
                RowError(
                    row.number,
                    line,
                    _("Terlalu banyak kolom: nama; L/P; tanggal lahir; NIK; nomor HP."),
                )
            )
        if not identity_required or row.action == "skipped":
            continue
        for key in IDENTITY_FIELDS:
            known = row.person is not None and getattr(row.person, key)
            if not row.values.get(key) and not known:
                row.errors.append(
                    RowError(
                        row.number,
                        str(FIELDS[key]),
                        _("Wajib diisi: acara ini punya ruas kapal atau pesawat."),
                    )
                )
    if not plan.ok:
        raise ImportInvalid(plan)
    report = write_plan(event, plan, by=by)
    if confirm:
        # Rows beyond the quota were refused above; the database still guards it.
        for delegate in report.delegates:
            confirm_delegate(delegate, by=by)
            report.confirmed += 1
        db.session.flush()
    return report


def _new_person(row: RowPlan) -> Person:
    values = {key: row.values.get(key) for key in _PERSON_FIELDS}
    return Person(full_name=row.values["full_name"], region=row.region, **values)


def _fill_blanks(person: Person, row: RowPlan) -> None:
    """Give a matched person the values the file knows and the record lacks."""
    for key in _PERSON_FIELDS:
        if getattr(person, key) in (None, "") and row.values.get(key) is not None:
            setattr(person, key, row.values[key])
    if person.region_id is None and row.region is not None:
        person.region = row.region
