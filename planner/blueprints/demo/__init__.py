"""The demo feature."""

from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group="demo")

from planner.blueprints.demo import views  # noqa: E402, F401
