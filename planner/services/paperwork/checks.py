"""The paperwork's lines on an event's to-do list."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import (
    Budget,
    Certificate,
    CertificateTemplate,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    InvitationLetter,
)
from planner.services.events import ChecklistItem, checklist_check
from planner.services.paperwork.budget import allowance_warning, budget_settings


@checklist_check
def _check_budget(event: Event):
    """The budget's rates and the payment sheets' signatories are filled in (one
    query)."""
    row = db.session.execute(
        sa.select(Budget.treasurer_name, Budget.official_name).where(
            Budget.event_id == event.id
        )
    ).first()
    if row is None:
        return ChecklistItem(
            _("Anggaran (RAB) belum disusun: tarif belum disimpan."),
            "info",
            "paperwork.budget",
        )
    if not row.treasurer_name or not row.official_name:
        return ChecklistItem(
            _("Penanda tangan daftar penerimaan (bendahara, pejabat) belum diisi."),
            "info",
            "paperwork.budget",
        )
    return None


@checklist_check
def _check_allowance_rate(event: Event):
    """The daily allowance has a rate: typed, or the SBM ceiling of the destination
    province (one query, besides the venue and host region the page shows); after
    the event too, since the allowances are paid then."""
    reason = allowance_warning(event, budget_settings(event))
    if reason:
        return ChecklistItem(reason, "warning", "paperwork.budget")
    return None


@checklist_check
def _check_certificates(event: Event):
    """Everyone who attended has a certificate, once the event has a template (one
    query)."""
    has_template = sa.select(CertificateTemplate.id).where(
        CertificateTemplate.event_id == event.id
    )
    missing = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delegate)
        .where(
            Delegate.event_id == event.id,
            Delegate.status == DelegateStatus.ATTENDED,
            has_template.exists(),
            ~sa.select(Certificate.id)
            .where(Certificate.delegate_id == Delegate.id)
            .exists(),
        )
    )
    if missing:
        return ChecklistItem(
            _("%(n)s peserta yang hadir belum mendapat sertifikat.", n=missing),
            "info",
            "paperwork.certificates",
        )
    return None


@checklist_check
def _check_letters(event: Event):
    """Every delegation has its numbered invitation letter (one query)."""
    if event.status == EventStatus.FINISHED:
        return None
    missing = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delegation)
        .where(
            Delegation.event_id == event.id,
            ~sa.select(InvitationLetter.id)
            .where(InvitationLetter.delegation_id == Delegation.id)
            .exists(),
        )
    )
    if missing:
        return ChecklistItem(
            _("%(n)s delegasi belum mendapat surat undangan bernomor.", n=missing),
            "info",
            "paperwork.letters",
        )
    return None
