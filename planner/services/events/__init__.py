"""Events: creating and editing them, their status, the public holidays on their
days, the checklist of what still needs doing, and the lists users see.

One module per job: :mod:`.editing`, :mod:`.public_holidays`, :mod:`.checklist` and
:mod:`.lists`. Every public name is importable here.
"""

from planner.services.events.checklist import (
    CHECKS,
    CheckFn,
    ChecklistItem,
    checklist_check,
    event_checklist,
)
from planner.services.events.editing import (
    DEFAULT_TIMEZONE,
    MAX_EVENT_DAYS,
    REASON_MAX,
    SLUG_MAX,
    TIMEZONES,
    TRANSITIONS,
    allowed_transitions,
    can_be_cancelled,
    cancel_event,
    change_status,
    check_in_is_early,
    create_event,
    days_until_start,
    default_timezone,
    event_is_over,
    local_today,
    slugify,
    today,
    unique_slug,
    update_event,
)
from planner.services.events.lists import event_days, visible_events
from planner.services.events.public_holidays import holiday_messages, holiday_warnings

__all__ = [
    "CHECKS",
    "CheckFn",
    "ChecklistItem",
    "DEFAULT_TIMEZONE",
    "MAX_EVENT_DAYS",
    "REASON_MAX",
    "SLUG_MAX",
    "TIMEZONES",
    "TRANSITIONS",
    "allowed_transitions",
    "can_be_cancelled",
    "cancel_event",
    "change_status",
    "check_in_is_early",
    "checklist_check",
    "create_event",
    "days_until_start",
    "default_timezone",
    "event_checklist",
    "event_days",
    "event_is_over",
    "holiday_messages",
    "holiday_warnings",
    "local_today",
    "slugify",
    "today",
    "unique_slug",
    "update_event",
    "visible_events",
]
