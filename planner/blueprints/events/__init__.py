"""The events feature."""

from flask import Blueprint

bp = Blueprint("events", __name__, url_prefix="/events")

#: Templates included, in order, as extra cards of the event overview; later features
#: (delegations, vehicles, agenda) append theirs. Each gets ``event`` and ``manager``.
OVERVIEW_SECTIONS: list[str] = []
OVERVIEW_SECTIONS.append("events/_delegations_card.html")
OVERVIEW_SECTIONS.append("imports/_card.html")
OVERVIEW_SECTIONS.append("rosters/_card.html")
OVERVIEW_SECTIONS.append("transport/_card.html")
OVERVIEW_SECTIONS.append("plans/_card.html")

from planner.blueprints.events import copy, views  # noqa: E402, F401
