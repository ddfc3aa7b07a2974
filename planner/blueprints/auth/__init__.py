"""The auth feature."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from planner.blueprints.auth import views  # noqa: E402, F401
