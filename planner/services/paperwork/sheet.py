"""The budget as printed: its lines and totals (per line, category and delegation).

:mod:`planner.services.paperwork.budget` computes it from the plan; the builders in
:mod:`planner.exports.paperwork` print it (PDF) or write it with live formulas (XLSX).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from planner.models import BudgetCategory

#: Categories in the order a budget prints them.
CATEGORIES = (
    BudgetCategory.ALLOWANCE,
    BudgetCategory.TRANSPORT,
    BudgetCategory.ACCOMMODATION,
    BudgetCategory.MEALS,
    BudgetCategory.HONORARIUM,
    BudgetCategory.OTHER,
)


@dataclass(frozen=True)
class Line:
    """One budget line: quantity × quantity2 × unit price."""

    category: BudgetCategory
    description: str
    quantity: int
    unit: str
    unit_price: int
    quantity2: int = 1
    unit2: str = ""
    #: Name of the delegation it is spent on; None: the event as a whole.
    delegation: str | None = None
    #: The hand-typed line's id (for deleting it), None for computed lines.
    line_id: int | None = None

    @property
    def amount(self) -> int:
        return self.quantity * self.quantity2 * self.unit_price


@dataclass
class BudgetSheet:
    """The whole budget as printed."""

    event_title: str
    organiser_body: str
    dates: tuple[date, date]
    fiscal_year: int
    province: str | None
    allowance_rate: int
    allowance_ceiling: int
    lines: list[Line] = field(default_factory=list)
    #: Why the daily allowance rate is unknown (its lines then cost Rp0), or None.
    allowance_warning: str | None = None
    #: Prices not set although there is something to pay with them (meal counts
    #: without a meal or snack price): their lines are left out until they are.
    price_hints: list[str] = field(default_factory=list)

    def category_lines(self, category: BudgetCategory) -> list[Line]:
        return [x for x in self.lines if x.category == category]

    def category_total(self, category: BudgetCategory) -> int:
        return sum(x.amount for x in self.category_lines(category))

    @property
    def categories(self) -> list[tuple[BudgetCategory, list[Line], int]]:
        """(category, its lines, its total) for each category that has lines."""
        return [
            (c, lines, sum(x.amount for x in lines))
            for c in CATEGORIES
            if (lines := self.category_lines(c))
        ]

    @property
    def delegation_totals(self) -> list[tuple[str | None, int]]:
        """(delegation name or None for the event as a whole, total), named first."""
        totals: dict[str | None, int] = defaultdict(int)
        for x in self.lines:
            totals[x.delegation] += x.amount
        named = sorted((k, v) for k, v in totals.items() if k is not None)
        return named + ([(None, totals[None])] if None in totals else [])

    @property
    def total(self) -> int:
        return sum(x.amount for x in self.lines)
