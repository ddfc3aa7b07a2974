"""An event's history: the audit trail of its plan, for its organisers."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/events/<int:event_id>/history")

from planner.blueprints.audit import views  # noqa: E402, F401
