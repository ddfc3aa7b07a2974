"""The events feature."""

from typing import NamedTuple

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("events", __name__, url_prefix="/events")


class OverviewSection(NamedTuple):
    """A template included in the event overview, and the tab it belongs to."""

    template: str
    tab: str = "details"


#: The overview's tabs in order: (key, label). A tab none of whose sections shows
#: anything for the user is left out.
OVERVIEW_TABS: list[tuple[str, object]] = [
    ("people", _l("Delegasi & peserta")),
    ("travel", _l("Transportasi")),
    ("agenda", _l("Susunan acara")),
    ("details", _l("Rincian acara")),
]

#: Templates included, in order, as extra cards of the event overview; later features
#: (delegations, vehicles, agenda) append theirs, an :class:`OverviewSection` naming
#: its tab (a bare template name goes to "details"). Each gets ``event`` and
#: ``manager``.
OVERVIEW_SECTIONS: list[OverviewSection | str] = []
OVERVIEW_SECTIONS.append(OverviewSection("events/_delegations_card.html", "people"))
OVERVIEW_SECTIONS.append(OverviewSection("rosters/_card.html", "people"))
OVERVIEW_SECTIONS.append(OverviewSection("imports/_card.html", "people"))
OVERVIEW_SECTIONS.append(OverviewSection("transport/_card.html", "travel"))
OVERVIEW_SECTIONS.append(OverviewSection("plans/_card.html", "details"))

from planner.blueprints.events import copy, views  # noqa: E402, F401
