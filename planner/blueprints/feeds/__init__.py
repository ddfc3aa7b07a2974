"""Calendar feeds (iCalendar) and the pages that hand out their secret addresses."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)

from planner.blueprints.feeds import views  # noqa: E402, F401
