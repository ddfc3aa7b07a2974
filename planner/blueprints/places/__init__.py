"""The places feature."""

from flask import Blueprint

bp = Blueprint("places", __name__, url_prefix="/places")

from planner.blueprints.places import views  # noqa: E402, F401
