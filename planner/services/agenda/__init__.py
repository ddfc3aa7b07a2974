"""The run-down (susunan acara) of an event: its items with their speakers and
audience, the "add after this item" and "shift later items" helpers, and the
conflicts shown as warnings (computed, never stored).

One module per job: :mod:`.loading` (queries), :mod:`.formatting` (how times and
places are named), :mod:`.items` (creating and changing items), :mod:`.conflicts`
and :mod:`.summary` (with the checklist line). Every public name is importable here.
"""

from planner.services.agenda.conflicts import (
    HOLIDAY_EXEMPT,
    AgendaConflict,
    agenda_conflicts,
    event_conflicts,
    speaker_key,
)
from planner.services.agenda.formatting import (
    leg_time_range,
    local_day,
    moment_range,
    place_label,
    time_range,
)
from planner.services.agenda.items import (
    DATE_WINDOW,
    DEFAULT_LENGTH,
    MAX_DURATION,
    MAX_SHIFT,
    MAX_SPEAKERS,
    NOTES_MAX,
    ROOM_MAX,
    SPEAKER_TEXT_MAX,
    TITLE_MAX,
    after_defaults,
    cancel_item,
    create_item,
    delete_item,
    item_form_data,
    reinstate_item,
    shift_later_items,
    update_item,
)
from planner.services.agenda.loading import (
    agenda_query,
    carried_delegations,
    load_agenda,
    load_legs,
)
from planner.services.agenda.summary import AgendaSummary, agenda_summary

__all__ = [
    "AgendaConflict",
    "AgendaSummary",
    "DATE_WINDOW",
    "DEFAULT_LENGTH",
    "HOLIDAY_EXEMPT",
    "MAX_DURATION",
    "MAX_SHIFT",
    "MAX_SPEAKERS",
    "NOTES_MAX",
    "ROOM_MAX",
    "SPEAKER_TEXT_MAX",
    "TITLE_MAX",
    "after_defaults",
    "agenda_conflicts",
    "agenda_query",
    "agenda_summary",
    "cancel_item",
    "carried_delegations",
    "create_item",
    "delete_item",
    "event_conflicts",
    "item_form_data",
    "leg_time_range",
    "load_agenda",
    "load_legs",
    "local_day",
    "moment_range",
    "place_label",
    "reinstate_item",
    "shift_later_items",
    "speaker_key",
    "time_range",
    "update_item",
]
