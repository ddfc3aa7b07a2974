"""Where everyone sleeps: stays at hotels and their rooms (``stays``), who sleeps in
which room (``assigning``), and the lists, counts and warnings read from them
(``listing``)."""

from planner.services.rooms.assigning import (
    AssignResult,
    assign_room,
    auto_assign_rooms,
    follow_replacements,
    unassign_room,
)
from planner.services.rooms.checks import RoomNumbers, room_numbers
from planner.services.rooms.listing import (
    RoomingNight,
    beds_by_night,
    room_warnings,
    rooming_list,
    travellers,
)
from planner.services.rooms.stays import (
    RoomError,
    add_rooms,
    create_stay,
    delete_room,
    delete_stay,
    itinerary_nights,
    stays_from_itinerary,
    update_room,
    update_stay,
)

__all__ = [
    "AssignResult",
    "RoomError",
    "RoomNumbers",
    "RoomingNight",
    "add_rooms",
    "assign_room",
    "auto_assign_rooms",
    "beds_by_night",
    "create_stay",
    "delete_room",
    "delete_stay",
    "follow_replacements",
    "itinerary_nights",
    "room_numbers",
    "room_warnings",
    "rooming_list",
    "stays_from_itinerary",
    "travellers",
    "unassign_room",
    "update_room",
    "update_stay",
]
