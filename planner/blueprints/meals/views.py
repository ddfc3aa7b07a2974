"""The meals page and the caterer's order sheet (organisers only)."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.blueprints.downloads import download
from planner.blueprints.meals import bp
from planner.exports.meals import kind_label, meals_pdf, meals_xlsx, special_text
from planner.extensions import db
from planner.models import Event
from planner.permissions import can_manage_event, require
from planner.services.meals import meal_days

FORMATS = {
    "pdf": (meals_pdf, "application/pdf"),
    "xlsx": (
        meals_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _event(event_id: int) -> Event:
    event = db.one_or_404(db.select(Event).where(Event.id == event_id))
    require(can_manage_event(current_user, event))
    return event


@bp.get("/")
@login_required
def index(event_id: int):
    """Portions per meal and day, counted from the run-down."""
    event = _event(event_id)
    return render_template(
        "meals/index.html",
        event=event,
        days=meal_days(event),
        kind_label=kind_label,
        special_text=special_text,
    )


@bp.get("/order.<fmt>")
@login_required
def order(event_id: int, fmt: str):
    """The caterer's order sheet as PDF or XLSX."""
    event = _event(event_id)
    if fmt not in FORMATS:
        abort(404)
    build, mimetype = FORMATS[fmt]
    data = build(event.title, event.timezone, meal_days(event))
    name = _("Konsumsi")
    return download(data, mimetype, f"{event.title} - {name}", fmt)
