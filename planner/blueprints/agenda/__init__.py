"""The run-down (susunan acara) of an event: its items, speakers and conflicts."""

from flask import Blueprint

bp = Blueprint("agenda", __name__, url_prefix="/events/<int:event_id>/agenda")

from planner.blueprints.agenda import views  # noqa: E402, F401
