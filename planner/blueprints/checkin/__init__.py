"""Check-in on the event day and delegates' cards with a QR code."""

from flask import Blueprint

bp = Blueprint("checkin", __name__, url_prefix="/events/<int:event_id>/check-in")

from planner.blueprints.checkin import offline, views  # noqa: E402, F401
