"""Checking every row of a table against an event, writing nothing: values cleaned,
regions and delegations found, duplicates and quotas refused, by row and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Region,
    RegionKind,
    Sex,
)
from planner.services import PlannerError
from planner.services.imports.mapping import FIELDS, check_mapping, normalise_heading
from planner.services.imports.matching import _match_people
from planner.services.imports.reading import Table
from planner.services.imports.records import (
    ImportPlan,
    RowError,
    RowPlan,
    _chunks,
    _name_key,
)
from planner.services.people import normalise_nik, normalise_phone, split_titles

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
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
    # Dietary notes as on the person form: one line of at most 200 letters.
    for key in ("position", "institution", "dietary_notes"):
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
