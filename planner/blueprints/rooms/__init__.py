"""Stays at hotels, rooms, who sleeps where, and rooming lists of an event."""

from flask import Blueprint

bp = Blueprint("rooms", __name__, url_prefix="/events/<int:event_id>/rooms")

from planner.blueprints.rooms import views  # noqa: E402, F401
