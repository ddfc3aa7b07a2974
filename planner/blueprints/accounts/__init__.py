"""The accounts feature (pages and the ``flask users`` commands)."""

from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts", cli_group="users")

from planner.blueprints.accounts import cli, views  # noqa: E402, F401
