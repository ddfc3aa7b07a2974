"""What checking and writing an import produce: row errors, row plans, the plan of
a whole file and the report of what was written."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from planner.models import Delegate, DelegateRole, Delegation, Person, Region
from planner.services import PlannerError


class ImportInvalid(PlannerError):
    """Some rows are invalid: nothing was written; ``plan`` lists the errors."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(
            _("Ada %(n)s kesalahan; tidak ada yang diimpor.", n=len(plan.errors))
        )
        self.plan = plan


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


def _name_key(name: str) -> str:
    """A name compared without regard to case or spacing."""
    return "".join(name.split()).casefold()


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]
