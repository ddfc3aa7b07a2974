"""The accounts feature."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

from planner.blueprints.accounts import views  # noqa: E402, F401
