"""Vehicles, trips, legs and seats of an event, and each participant's own trip."""

from flask import Blueprint

bp = Blueprint("transport", __name__)

from planner.blueprints.transport import seats, views  # noqa: E402, F401
