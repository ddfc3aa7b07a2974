"""The paperwork of a plan: budget settings and hand-typed lines, invitation letters,
the certificate template and certificates (the optional ``paperwork`` section).

Exported only when the event has any of it, so that a plan without paperwork writes
the same bytes as before the section existed. Checked after the other sections (its
references name delegations and delegates), written after them with bulk INSERTs.

Not carried: the letterhead logo and the signature image (a scanned signature does
not travel in a file that is passed around; upload them again after an import), and
the certificates' verification codes (secrets, unique across the installation: an
import issues new codes, so certificates printed from the original event verify on
the original installation only).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.formatting.plain import format_rupiah
from planner.models import (
    AllowanceKind,
    Budget,
    BudgetLine,
    Certificate,
    CertificateTemplate,
    Event,
    InvitationLetter,
    LetterSettings,
    utcnow,
)
from planner.models.paperwork import RATE_FIELDS, new_verification_code
from planner.services import PlannerError
from planner.services.paperwork.certificates import check_pattern
from planner.services.paperwork.rates import allowance_ceiling, fiscal_years, provinces
from planner.services.plans.common import (
    CheckedPlan,
    _insert_plain,
    _iso,
    _parse_date,
    _parse_datetime,
    json_path,
)

if TYPE_CHECKING:
    from planner.services.plans.checks import _Checker

#: The section's name in a plan file.
SECTION = "paperwork"
#: Texts of the budget settings (signatories of the payment sheets).
BUDGET_TEXTS = (
    "treasurer_name",
    "treasurer_nip",
    "official_name",
    "official_position",
    "official_nip",
    "signing_place",
)
LETTER_TEXTS = (
    "office_name",
    "office_address",
    "number_pattern",
    "signing_place",
    "signatory_name",
    "signatory_position",
)
TEMPLATE_TEXTS = ("title", "number_pattern", "signatory_name", "signatory_position")


# Export -------------------------------------------------------------------------------


def export_papers(
    event: Event,
    zone: str,
    delegation_key: dict[int, str],
    delegate_person: dict[int, str],
) -> dict | None:
    """The event's paperwork as the ``paperwork`` section, or None when it has none:
    one query for the settings (and whether there are lines, letters, certificates),
    then one per list that has entries, whatever the size of the event."""
    eid = event.id
    connection = db.session.connection()
    singles = (Budget, LetterSettings, CertificateTemplate)
    lists = (BudgetLine, InvitationLetter, Certificate)
    joined = Event.__table__
    for model in singles:
        joined = joined.outerjoin(model.__table__, model.event_id == Event.id)
    found = (
        connection.execute(
            sa.select(
                *(
                    column.label(f"{model.__tablename__}__{column.name}")
                    for model in singles
                    for column in model.__table__.c
                ),
                *(
                    sa.select(model.id)
                    .where(model.event_id == eid)
                    .exists()
                    .label(model.__tablename__)
                    for model in lists
                ),
            )
            .select_from(joined)
            .where(Event.id == eid)
        )
        .one()
        ._mapping
    )
    budget, settings, template = (_row(found, model.__tablename__) for model in singles)

    def many(model, *order) -> list:
        if not found[model.__tablename__]:
            return []
        return connection.execute(
            sa.select(model.__table__).where(model.event_id == eid).order_by(*order)
        ).all()

    lines = many(BudgetLine, BudgetLine.category, BudgetLine.id)
    letters = many(InvitationLetter, InvitationLetter.sequence)
    certificates = many(Certificate, Certificate.sequence)
    section: dict = {}
    if budget is not None:
        section["budget"] = {
            "fiscal_year": budget.fiscal_year,
            "allowance_kind": str(budget.allowance_kind),
            "province": budget.province_code,
            "allowance_rate": budget.allowance_rate,
            **{name: getattr(budget, name) for name in RATE_FIELDS},
            **{name: getattr(budget, name) for name in BUDGET_TEXTS},
        }
    if lines:
        section["budget_lines"] = [
            {
                "category": str(x.category),
                "description": x.description,
                "delegation": delegation_key.get(x.delegation_id),
                "quantity": x.quantity,
                "unit": x.unit,
                "unit_price": x.unit_price,
            }
            for x in lines
        ]
    if settings is not None:
        section["letter_settings"] = {
            "office_name": settings.office_name,
            "office_address": settings.office_address,
            "number_pattern": settings.number_pattern,
            "first_number": settings.first_number,
            "dated_on": settings.dated_on.isoformat(),
            "recipient_kind": str(settings.recipient_kind),
            "signing_place": settings.signing_place,
            "signatory_name": settings.signatory_name,
            "signatory_position": settings.signatory_position,
            "signatory_nip": settings.signatory_nip,
        }
    if letters:
        section["letters"] = [
            {
                "delegation": delegation_key[x.delegation_id],
                "sequence": x.sequence,
                "number": x.number,
                "issued_at": _iso(x.issued_at, zone),
            }
            for x in letters
        ]
    if template is not None:
        section["certificate_template"] = {
            "title": template.title,
            "number_pattern": template.number_pattern,
            "lesson_hours": template.lesson_hours,
            "signatory_name": template.signatory_name,
            "signatory_position": template.signatory_position,
            "signatory_nip": template.signatory_nip,
        }
    if certificates:
        section["certificates"] = [
            {
                "person": delegate_person[x.delegate_id],
                "sequence": x.sequence,
                "number": x.number,
                "issued_at": _iso(x.issued_at, zone),
                "revoked_at": _iso(x.revoked_at, zone),
                "revoked_reason": x.revoked_reason,
            }
            for x in certificates
        ]
    return section or None


def _row(found, prefix: str) -> SimpleNamespace | None:
    """One table's columns of the joined row (None when the event has no such row)."""
    values = {
        key.split("__", 1)[1]: value
        for key, value in found.items()
        if key.startswith(prefix + "__")
    }
    return SimpleNamespace(**values) if values["id"] is not None else None


# Checks -------------------------------------------------------------------------------


def check_papers(c: _Checker) -> None:
    """Rates within their ceiling, number patterns with {n}, every delegation and
    delegate named, each letter and certificate once."""
    papers = c.doc.get(SECTION)
    if not papers:
        return
    parts = [SECTION]
    if papers.get("budget") is not None:
        _check_budget(c, papers["budget"], [*parts, "budget"])
    for n, line in enumerate(papers.get("budget_lines") or ()):
        line_parts = [*parts, "budget_lines", n]
        _required(c, line, ("description",), line_parts)
        c.ref("delegations", line.get("delegation"), [*line_parts, "delegation"])
    settings = papers.get("letter_settings")
    if settings is not None:
        settings_parts = [*parts, "letter_settings"]
        _required(c, settings, LETTER_TEXTS, settings_parts)
        _pattern(c, settings["number_pattern"], [*settings_parts, "number_pattern"])
        c.day(settings, "dated_on", settings_parts)
    _check_issued(
        c,
        papers.get("letters") or (),
        [*parts, "letters"],
        reference="delegation",
        needs=settings is not None,
        needs_message=_(
            "Surat undangan bernomor memerlukan “letter_settings” (kop dan pola "
            "nomor surat)."
        ),
        twice_message=_("Delegasi “%(key)s” sudah punya surat undangan di %(other)s."),
    )
    template = papers.get("certificate_template")
    if template is not None:
        template_parts = [*parts, "certificate_template"]
        _required(c, template, TEMPLATE_TEXTS, template_parts)
        _pattern(c, template["number_pattern"], [*template_parts, "number_pattern"])
    _check_issued(
        c,
        papers.get("certificates") or (),
        [*parts, "certificates"],
        reference="person",
        needs=template is not None,
        needs_message=_(
            "Sertifikat memerlukan “certificate_template” (templat sertifikat)."
        ),
        twice_message=_("Peserta “%(key)s” sudah punya sertifikat di %(other)s."),
    )


def _required(c: _Checker, entry: dict, names: Iterable[str], parts: list) -> None:
    for name in names:
        if not (entry.get(name) or "").strip():
            c.add([*parts, name], _("Wajib diisi (tidak boleh hanya spasi)."))


def _pattern(c: _Checker, pattern: str, parts: list) -> None:
    try:
        check_pattern(pattern)
    except PlannerError as exc:
        c.add(parts, str(exc))


def _check_budget(c: _Checker, budget: dict, parts: list) -> None:
    """A year with a table of ceilings, a known province, a daily allowance not above
    its ceiling. (The schema refuses negative amounts.)"""
    year = budget["fiscal_year"]
    if year not in fiscal_years():
        c.add(
            [*parts, "fiscal_year"],
            _(
                "Tidak ada tabel uang harian untuk tahun anggaran %(year)s; yang ada: "
                "%(years)s.",
                year=year,
                years=", ".join(str(y) for y in fiscal_years()),
            ),
        )
        return
    code = budget.get("province")
    if code is not None and code not in dict(provinces(year)):
        c.add(
            [*parts, "province"],
            _("Provinsi %(code)s tidak ada di tabel uang harian.", code=code),
        )
        return
    rate = budget.get("allowance_rate")
    if rate is None:
        return
    kind = AllowanceKind(budget.get("allowance_kind") or AllowanceKind.OUT_OF_TOWN)
    ceiling = allowance_ceiling(year, code or _destination_province(c), kind)
    if ceiling and rate > ceiling:
        c.add(
            [*parts, "allowance_rate"],
            _(
                "Uang harian melebihi batas tertinggi SBM (%(ceiling)s).",
                ceiling=format_rupiah(ceiling),
            ),
        )


def _destination_province(c: _Checker) -> str | None:
    """The province of the venue's region (else the host region's), as the budget
    finds it once imported."""
    venue = c.event.get("venue")
    region = None
    if venue in c.index["places"]:
        region = c.sections["places"][c.index["places"][venue]].get("region")
    region = region or c.event.get("host_region")
    return region.split(".")[0] if region else None


def _check_issued(
    c: _Checker,
    entries: Iterable[dict],
    parts: list,
    *,
    reference: str,
    needs: bool,
    needs_message: str,
    twice_message: str,
) -> None:
    """Letters (``reference`` "delegation") or certificates ("person"): what they
    need, their delegation or delegate, each once, each sequence once, their times."""
    entries = list(entries)
    if entries and not needs:
        c.add(parts, needs_message)
    first: dict[str, int] = {}
    sequences: dict[int, int] = {}
    for n, entry in enumerate(entries):
        entry_parts = [*parts, n]
        key = entry[reference]
        if reference == "delegation":
            found = c.ref("delegations", key, [*entry_parts, reference])
        else:
            found = c.delegate_ref(key, [*entry_parts, reference])
        if found and key in first:
            c.add(
                [*entry_parts, reference],
                twice_message % {"key": key, "other": json_path([*parts, first[key]])},
            )
        elif found:
            first[key] = n
        sequence = entry["sequence"]
        if sequence in sequences:
            c.add(
                [*entry_parts, "sequence"],
                _(
                    "Nomor urut %(n)s sudah dipakai di %(other)s.",
                    n=sequence,
                    other=json_path([*parts, sequences[sequence]]),
                ),
            )
        else:
            sequences[sequence] = n
        for name in ("issued_at", "revoked_at"):
            c.time(entry, name, entry_parts)


# Writing ------------------------------------------------------------------------------


def write_papers(
    plan: CheckedPlan,
    event_id: int,
    delegations: dict[str, int],
    delegates: dict[str, int],
) -> None:
    """Insert the checked plan's paperwork for the new event (bulk: the import's one
    audit entry stands for these rows too). New verification codes are issued."""
    papers = plan.paperwork
    if not papers:
        return
    now = utcnow()
    budget = papers.get("budget")
    if budget is not None:
        _insert_plain(
            Budget,
            [
                {
                    "event_id": event_id,
                    "fiscal_year": budget["fiscal_year"],
                    "allowance_kind": budget.get("allowance_kind")
                    or AllowanceKind.OUT_OF_TOWN,
                    "province_code": budget.get("province"),
                    "allowance_rate": budget.get("allowance_rate"),
                    **{name: budget.get(name) or 0 for name in RATE_FIELDS},
                    **{name: _text(budget.get(name)) for name in BUDGET_TEXTS},
                }
            ],
        )
    _insert_plain(
        BudgetLine,
        [
            {
                "event_id": event_id,
                "category": x.get("category") or "other",
                "description": x["description"].strip(),
                "delegation_id": delegations.get(x.get("delegation") or ""),
                "quantity": x.get("quantity", 1),
                "unit": x.get("unit") or _("paket"),
                "unit_price": x.get("unit_price", 0),
            }
            for x in papers.get("budget_lines") or ()
        ],
    )
    settings = papers.get("letter_settings")
    if settings is not None:
        _insert_plain(
            LetterSettings,
            [
                {
                    "event_id": event_id,
                    **{name: settings[name].strip() for name in LETTER_TEXTS},
                    "first_number": settings.get("first_number", 1),
                    "dated_on": _parse_date(settings["dated_on"]),
                    "recipient_kind": settings.get("recipient_kind") or "office",
                    "signatory_nip": _text(settings.get("signatory_nip")),
                }
            ],
        )
    _insert_plain(
        InvitationLetter,
        [
            {
                "event_id": event_id,
                "delegation_id": delegations[x["delegation"]],
                "sequence": x["sequence"],
                "number": x["number"],
                **_issued(x, now),
            }
            for x in papers.get("letters") or ()
        ],
    )
    template = papers.get("certificate_template")
    if template is not None:
        _insert_plain(
            CertificateTemplate,
            [
                {
                    "event_id": event_id,
                    **{name: template[name].strip() for name in TEMPLATE_TEXTS},
                    "lesson_hours": template.get("lesson_hours", 0),
                    "signatory_nip": _text(template.get("signatory_nip")),
                }
            ],
        )
    _insert_plain(
        Certificate,
        [
            {
                "event_id": event_id,
                "delegate_id": delegates[x["person"]],
                "sequence": x["sequence"],
                "number": x["number"],
                "code": new_verification_code(),
                **_issued(x, now),
                "revoked_at": _parse_datetime(x.get("revoked_at")),
                "revoked_reason": _text(x.get("revoked_reason")),
            }
            for x in papers.get("certificates") or ()
        ],
    )


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _issued(entry: dict, now: datetime) -> dict:
    """``issued_at`` as the file has it, else the time of the import."""
    return {"issued_at": _parse_datetime(entry.get("issued_at")) or now}
