"""Changing an event's budget: its rates and signatories, and the lines typed by hand.

Every amount is whole rupiah and never negative; the daily allowance may be lowered
below the official ceiling, never raised above it.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.formatting.plain import format_rupiah
from planner.models import (
    AllowanceKind,
    Budget,
    BudgetCategory,
    BudgetLine,
    Delegation,
    Event,
)
from planner.models.paperwork import RATE_FIELDS
from planner.services import PlannerError
from planner.services.paperwork.budget import budget_settings, effective_allowance
from planner.services.paperwork.rates import fiscal_years, provinces

TEXT_FIELDS = (
    "treasurer_name",
    "treasurer_nip",
    "official_name",
    "official_position",
    "official_nip",
    "signing_place",
)


class BudgetError(PlannerError):
    """A budget change refused (a negative amount, a rate above its ceiling)."""


def _amount(value, field: str, *, optional: bool = False) -> int | None:
    if value is None or value == "":
        if optional:
            return None
        value = 0
    try:
        amount = int(value)
    except (TypeError, ValueError):
        raise BudgetError(
            _("Jumlah harus bilangan bulat rupiah."), field=field
        ) from None
    if amount < 0:
        raise BudgetError(_("Jumlah tidak boleh negatif."), field=field)
    return amount


def update_budget(event: Event, *, data: dict) -> Budget:
    """Save the event's rates and signatories (creating its settings on first use)."""
    budget = budget_settings(event)
    year = int(data.get("fiscal_year") or budget.fiscal_year)
    if year not in fiscal_years():
        raise BudgetError(
            _("Tidak ada tabel uang harian untuk tahun anggaran ini."),
            field="fiscal_year",
        )
    try:
        kind = AllowanceKind(data.get("allowance_kind") or budget.allowance_kind)
    except ValueError:
        raise BudgetError(
            _("Jenis uang harian tidak dikenal."), field="allowance_kind"
        ) from None
    code = (data.get("province_code") or "").strip() or None
    if code is not None and code not in dict(provinces(year)):
        raise BudgetError(_("Provinsi tidak dikenal."), field="province_code")
    budget.province_code = code
    rates = {name: _amount(data.get(name), name) for name in RATE_FIELDS}
    rate = _amount(data.get("allowance_rate"), "allowance_rate", optional=True)
    budget.fiscal_year, budget.allowance_kind = year, kind
    ceiling = effective_allowance(event, budget)[1]
    if rate is not None and ceiling and rate > ceiling:
        raise BudgetError(
            _(
                "Uang harian melebihi batas tertinggi SBM (%(ceiling)s).",
                ceiling=format_rupiah(ceiling),
            ),
            field="allowance_rate",
        )
    budget.allowance_rate = rate
    for name, value in rates.items():
        setattr(budget, name, value)
    for name in TEXT_FIELDS:
        value = (data.get(name) or "").strip()
        setattr(budget, name, value or None)
    if budget.id is None:
        budget.event = event
        db.session.add(budget)
    db.session.flush()
    return budget


def add_budget_line(event: Event, *, data: dict) -> BudgetLine:
    """Add a line typed by hand."""
    description = (data.get("description") or "").strip()
    if not description:
        raise BudgetError(_("Uraian wajib diisi."), field="description")
    try:
        category = BudgetCategory(data.get("category") or BudgetCategory.OTHER)
    except ValueError:
        raise BudgetError(_("Kategori tidak dikenal."), field="category") from None
    quantity = _amount(data.get("quantity"), "quantity")
    unit_price = _amount(data.get("unit_price"), "unit_price")
    try:
        delegation_id = int(data.get("delegation_id") or 0) or None
    except (TypeError, ValueError):
        delegation_id = -1
    if delegation_id is not None:
        delegation = db.session.scalar(
            sa.select(Delegation).filter_by(id=delegation_id, event_id=event.id)
        )
        if delegation is None:
            raise BudgetError(
                _("Delegasi tidak ada di kegiatan ini."), field="delegation_id"
            )
    line = BudgetLine(
        event=event,
        category=category,
        description=description[:200],
        delegation_id=delegation_id,
        quantity=quantity,
        unit=(data.get("unit") or "").strip()[:40] or _("paket"),
        unit_price=unit_price,
    )
    db.session.add(line)
    db.session.flush()
    return line


def delete_budget_line(event: Event, line_id: int) -> None:
    """Remove a hand-typed line of this event."""
    line = db.session.scalar(
        sa.select(BudgetLine).filter_by(id=line_id, event_id=event.id)
    )
    if line is None:
        raise BudgetError(_("Baris anggaran tidak ditemukan."))
    db.session.delete(line)
    db.session.flush()
