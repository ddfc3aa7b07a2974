"""Vehicles, trips and legs of an event: creating them, estimating legs from their
distance, and the itinerary checks shown as warnings (computed, never stored).

One module per job: :mod:`.vehicles`, :mod:`.trips` (trips and their legs) and
:mod:`.itinerary` (estimates and warnings). Every public name is importable here.
"""

from planner.services.transport.itinerary import (
    ESTIMATE_RATIO,
    EXTRA,
    MAX_DRIVING,
    ROAD_DETOUR,
    SPEEDS,
    Estimate,
    ItineraryWarning,
    estimate,
    event_warnings,
    format_duration,
    itinerary_warnings,
    seat_counts,
    seat_counts_by_trip,
)
from planner.services.transport.trips import (
    DEFAULT_TRIPS,
    RETURN_TRIP,
    create_default_trips,
    create_leg,
    create_trip,
    delete_leg,
    duplicate_leg,
    make_return_trip,
    move_leg,
    next_leg_defaults,
    place_timezone,
    update_leg,
)
from planner.services.transport.vehicles import (
    create_vehicle,
    delete_vehicle,
    normalise_plate,
    update_vehicle,
)

__all__ = [
    "DEFAULT_TRIPS",
    "ESTIMATE_RATIO",
    "EXTRA",
    "Estimate",
    "ItineraryWarning",
    "MAX_DRIVING",
    "RETURN_TRIP",
    "ROAD_DETOUR",
    "SPEEDS",
    "create_default_trips",
    "create_leg",
    "create_trip",
    "create_vehicle",
    "delete_leg",
    "delete_vehicle",
    "duplicate_leg",
    "estimate",
    "event_warnings",
    "format_duration",
    "itinerary_warnings",
    "make_return_trip",
    "move_leg",
    "next_leg_defaults",
    "normalise_plate",
    "place_timezone",
    "seat_counts",
    "seat_counts_by_trip",
    "update_leg",
    "update_vehicle",
]
