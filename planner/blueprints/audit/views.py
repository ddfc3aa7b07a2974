"""The history page: who changed what in the event's plan, newest first, filtered."""

from __future__ import annotations

from datetime import datetime

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from planner.blueprints.audit import bp
from planner.blueprints.events import OVERVIEW_SECTIONS, OverviewSection
from planner.blueprints.listing import paginate
from planner.extensions import db
from planner.formatting import format_datetime
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
    "agenda_item": _l("Mata acara"),
    "agenda_speaker": _l("Narasumber"),
    "budget": _l("Anggaran"),
    "budget_line": _l("Baris anggaran"),
    "certificate": _l("Sertifikat"),
    "invitation_letter": _l("Surat undangan"),
    "plan": _l("Berkas rencana"),
}

ACTION_LABELS = {
    "create": _l("dibuat"),
    "update": _l("diubah"),
    "delete": _l("dihapus"),
    "auto_assign": _l("kursi dibagi otomatis"),
    "copy_seats": _l("kursi disalin dari perjalanan lain"),
    "nominated": _l("diusulkan"),
    "confirmed": _l("dikonfirmasi"),
    "attended": _l("hadir"),
    "attendance_undone": _l("check-in dibatalkan"),
    "withdrawn": _l("mengundurkan diri"),
    "replaced": _l("diganti"),
    "substitute": _l("pengganti"),
    "reinstated": _l("diaktifkan kembali"),
    "imported": _l("diimpor"),
}

#: The "who" filter value for changes made from the terminal or by the system.
SYSTEM = "system"

#: Always the event the page is about: not worth a line.
HIDDEN_FIELDS = frozenset({"event_id"})

OVERVIEW_SECTIONS.append(OverviewSection("audit/_card.html", "details"))


def _shown(value, tz: str) -> str | None:
    """A recorded value as people read it: times in the event's zone, lists joined."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None:
            return format_datetime(moment, tz)
    return str(value)


def _changes(entry: AuditEntry, tz: str) -> list[tuple[str, str | None, str | None]]:
    """(field, before, after) of an entry, for the page."""
    return [
        (field, _shown(values[0], tz), _shown(values[1], tz))
        for field, values in sorted((entry.changes or {}).items())
        if field not in HIDDEN_FIELDS and isinstance(values, list) and len(values) == 2
    ]


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
        changes={entry.id: _changes(entry, event.timezone) for entry in page.items},
    )
