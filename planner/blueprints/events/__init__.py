"""The events feature."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

from planner.blueprints.events import views  # noqa: E402, F401
