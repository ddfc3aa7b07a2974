"""The history page: who changed what in the event's plan, newest first, filtered."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from planner.blueprints.audit import bp
from planner.blueprints.events import OVERVIEW_SECTIONS
from planner.blueprints.listing import paginate
from planner.extensions import db
from planner.models import Event
from planner.models.audit import AuditEntry
from planner.models.types import MAX_ID
from planner.permissions import can_manage_event, require

#: What the entries are about, as organisers call them (filter and column).
ENTITY_LABELS = {
    "delegation": _l("Delegasi"),
    "delegate": _l("Peserta"),
    "vehicle": _l("Kendaraan"),
    "trip": _l("Perjalanan"),
    "leg": _l("Rute"),
    "seat": _l("Kursi"),
    "agenda_item": _l("Acara"),
    "agenda_speaker": _l("Narasumber"),
    "plan": _l("Berkas rencana"),
}

ACTION_LABELS = {
    "create": _l("dibuat"),
    "update": _l("diubah"),
    "delete": _l("dihapus"),
    "auto_assign": _l("kursi dibagi otomatis"),
    "nominated": _l("diusulkan"),
    "confirmed": _l("dikonfirmasi"),
    "attended": _l("hadir"),
    "withdrawn": _l("mengundurkan diri"),
    "replaced": _l("diganti"),
    "substitute": _l("pengganti"),
    "reinstated": _l("diaktifkan kembali"),
    "imported": _l("diimpor"),
}

#: The "who" filter value for changes made from the terminal or by the system.
SYSTEM = "system"

OVERVIEW_SECTIONS.append("audit/_card.html")


@bp.get("/")
@login_required
def index(event_id: int):
    """Entries of this event, newest first; filter by who made them and by kind."""
    event = db.get_or_404(Event, event_id)
    require(can_manage_event(current_user, event))
    stmt = db.select(AuditEntry).where(AuditEntry.event_id == event.id)

    kind = request.args.get("kind", "")
    if kind not in ENTITY_LABELS:
        kind = ""
    if kind:
        stmt = stmt.where(AuditEntry.entity == kind)

    who = request.args.get("who", "")
    if who == SYSTEM:
        stmt = stmt.where(AuditEntry.user_id.is_(None))
    elif who.isdigit() and int(who) <= MAX_ID:
        stmt = stmt.where(AuditEntry.user_id == int(who))
    else:
        who = ""

    people = db.session.execute(
        db.select(AuditEntry.user_id, AuditEntry.user_label)
        .where(AuditEntry.event_id == event.id)
        .distinct()
        .order_by(AuditEntry.user_label, AuditEntry.user_id)
    ).all()
    page = paginate(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return render_template(
        "audit/index.html",
        event=event,
        page=page,
        kind=kind,
        who=who,
        people=people,
        system=SYSTEM,
        entity_labels=ENTITY_LABELS,
        action_labels=ACTION_LABELS,
    )
