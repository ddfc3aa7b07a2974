"""The paperwork of an event: budget (RAB) and payment sheets (daftar penerimaan)."""

from flask import Blueprint

bp = Blueprint("paperwork", __name__, url_prefix="/events/<int:event_id>/paperwork")

from planner.blueprints.paperwork import views  # noqa: E402, F401
