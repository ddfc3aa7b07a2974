"""Passenger manifests: the driver's copy per vehicle and the ferry operator's per leg."""

from flask import Blueprint

bp = Blueprint("manifests", __name__, url_prefix="/events/<int:event_id>/manifests")

from planner.blueprints.manifests import views  # noqa: E402, F401
