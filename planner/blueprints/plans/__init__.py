"""Event plans as files: download an event's plan, import one as a new event."""

from flask import Blueprint

bp = Blueprint("plans", __name__, cli_group="plans")

from planner.blueprints.plans import cli, views  # noqa: E402, F401
