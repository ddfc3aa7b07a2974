"""The rooms' part of the event overview: the to-do items (registered with the event
checklist) and the beds figure of the summary."""

from __future__ import annotations

from dataclasses import dataclass

from planner.models import Event
from planner.services.events import ChecklistItem, checklist_check
from planner.services.rooms.listing import beds_by_night, load_stays, room_warnings


@checklist_check
def _check_rooms(event: Event):
    """Every traveller has a bed each night away; rooms hold what they should; the
    stays match the itinerary."""
    return [
        ChecklistItem(message, "warning", "rooms.index")
        for message in room_warnings(event)
    ]


@dataclass(frozen=True)
class RoomNumbers:
    """Beds on the tightest night of the event: booked against needed."""

    stays: int
    booked: int
    needed: int


def room_numbers(event: Event) -> RoomNumbers | None:
    """The beds figure of the overview, or None when no stay is booked."""
    stays = load_stays(event)
    if not stays:
        return None
    nights = beds_by_night(event, stays)
    tightest = min(nights, key=lambda n: (n.booked - n.needed, n.night))
    return RoomNumbers(len(stays), tightest.booked, tightest.needed)
