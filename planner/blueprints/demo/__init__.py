"""Demo data: the ``flask demo load`` command."""

from flask import Blueprint

bp = Blueprint("demo", __name__, cli_group="demo")

from planner.blueprints.demo import cli  # noqa: E402, F401
