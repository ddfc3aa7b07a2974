"""Payment sheets (daftar penerimaan): who receives how much, to sign for it.

Three kinds: the daily allowance (days × rate), transport money (once per person) and
speakers' honoraria (sessions × rate), from the same rates as the budget.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from num2words import num2words
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    AgendaItem,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    Event,
    SpeakerRole,
)
from planner.services import PlannerError
from planner.services.paperwork.budget import (
    allowance_warning,
    budget_settings,
    effective_allowance,
)


class PaymentError(PlannerError):
    """A payment sheet that cannot be made (its rate is unknown)."""


class PaymentKind(enum.StrEnum):
    ALLOWANCE = "allowance"
    TRANSPORT = "transport"
    HONORARIUM = "honorarium"


@dataclass(frozen=True)
class PaymentRow:
    name: str
    delegation: str
    quantity: int
    unit: str
    rate: int

    @property
    def amount(self) -> int:
        return self.quantity * self.rate


@dataclass
class PaymentSheet:
    """One sheet as printed."""

    kind: PaymentKind
    title: str
    event_title: str
    organiser_body: str
    dates: tuple[date, date]
    signing_place: str | None
    treasurer_name: str | None
    treasurer_nip: str | None
    official_name: str | None
    official_position: str | None
    official_nip: str | None
    rows: list[PaymentRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)

    @property
    def total_in_words(self) -> str:
        return amount_in_words(self.total)


def amount_in_words(amount: int) -> str:
    """'dua juta tiga ratus ribu rupiah' (terbilang)."""
    return f"{num2words(amount, lang='id')} rupiah"


def _participants(event: Event) -> list[Delegate]:
    """Everyone taking part (confirmed or attended), by delegation and name."""
    delegates = db.session.scalars(
        sa.select(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
        .options(joinedload(Delegate.person), joinedload(Delegate.delegation))
    ).all()
    return sorted(
        delegates,
        key=lambda d: (
            d.delegation is None,
            d.delegation.name if d.delegation else "",
            d.person.full_name.casefold(),
        ),
    )


def payment_sheet(event: Event, kind: PaymentKind | str) -> PaymentSheet:
    """The sheet of one kind of payment for the whole event.

    The allowance sheet is refused while its rate is unknown: a sheet of Rp0 amounts
    to sign would look finished and be wrong.
    """
    kind = PaymentKind(kind)
    budget = budget_settings(event)
    if kind == PaymentKind.ALLOWANCE and (reason := allowance_warning(event, budget)):
        raise PaymentError(
            _("Daftar penerimaan uang harian belum dapat dibuat.") + " " + reason
        )
    titles = {
        PaymentKind.ALLOWANCE: _("DAFTAR PENERIMAAN UANG HARIAN"),
        PaymentKind.TRANSPORT: _("DAFTAR PENERIMAAN UANG TRANSPORT"),
        PaymentKind.HONORARIUM: _("DAFTAR PENERIMAAN HONORARIUM NARASUMBER"),
    }
    sheet = PaymentSheet(
        kind=kind,
        title=titles[kind],
        event_title=event.title,
        organiser_body=event.organiser_body,
        dates=(event.starts_on, event.ends_on),
        signing_place=budget.signing_place,
        treasurer_name=budget.treasurer_name,
        treasurer_nip=budget.treasurer_nip,
        official_name=budget.official_name,
        official_position=budget.official_position,
        official_nip=budget.official_nip,
    )
    other = _("Panitia dan undangan")
    if kind == PaymentKind.ALLOWANCE:
        rate, _ceiling = effective_allowance(event, budget)
        days = len(event.days)
        sheet.rows = [
            PaymentRow(
                d.person.formal_name,
                d.delegation.name if d.delegation else other,
                days,
                _("hari"),
                rate,
            )
            for d in _participants(event)
        ]
    elif kind == PaymentKind.TRANSPORT:
        sheet.rows = [
            PaymentRow(
                d.person.formal_name,
                d.delegation.name if d.delegation else other,
                1,
                _("kali"),
                budget.transport_allowance,
            )
            for d in _participants(event)
        ]
    else:
        items = db.session.scalars(
            sa.select(AgendaItem)
            .where(
                AgendaItem.event_id == event.id,
                AgendaItem.status != AgendaStatus.CANCELLED,
            )
            .options(
                selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.person)
            )
        ).all()
        sessions: dict[tuple[str, str], int] = defaultdict(int)
        for item in items:
            for s in item.speakers:
                if s.role != SpeakerRole.SPEAKER:
                    continue
                name = s.name or (s.person.formal_name if s.person else "")
                if name:
                    sessions[(name, s.institution or "")] += 1
        sheet.rows = [
            PaymentRow(name, institution, n, _("sesi"), budget.honorarium_per_session)
            for (name, institution), n in sorted(sessions.items())
        ]
    return sheet
