"""Importing delegates from the spreadsheets organisers already have."""

from flask import Blueprint

bp = Blueprint(
    "imports",
    __name__,
    url_prefix="/events/<int:event_id>/import",
    cli_group="delegations",
)

from planner.blueprints.imports import cli, views  # noqa: E402, F401
