"""What manifests show, loaded in a constant number of queries.

Two kinds: the driver's copy of one vehicle for one trip (its legs and passengers) and
the ferry operator's passenger manifest of one ferry leg (every occupant of every
vehicle aboard, plus the drivers, with age and NIK). The builders in
:mod:`planner.exports.manifests` take these plain objects and never touch the database.

One module per job: :mod:`.records` (the plain objects), :mod:`.loading` (by ids;
None when they do not belong together, and the view answers 404), :mod:`.vehicles`,
:mod:`.ferry` and :mod:`.index`. Every public name is importable here.
"""

from planner.services.manifests.ferry import (
    IDENTITY_MODES,
    identity_gaps,
    load_ferry_manifest,
    needs_identity,
)
from planner.services.manifests.index import (
    TripManifests,
    UnseatedOnTrip,
    incomplete_travellers,
    load_index,
    unseated_by_trip,
)
from planner.services.manifests.loading import (
    load_ferry_leg,
    load_trip,
    load_vehicle,
    trip_vehicles,
)
from planner.services.manifests.records import (
    FerryManifest,
    FerryPerson,
    FerryVehicle,
    LegLine,
    Passenger,
    VehicleManifest,
    age_on,
    leg_line,
    nik_birth_year,
)
from planner.services.manifests.vehicles import load_vehicle_manifests

__all__ = [
    "FerryManifest",
    "FerryPerson",
    "FerryVehicle",
    "IDENTITY_MODES",
    "LegLine",
    "Passenger",
    "TripManifests",
    "UnseatedOnTrip",
    "VehicleManifest",
    "age_on",
    "identity_gaps",
    "incomplete_travellers",
    "leg_line",
    "load_ferry_leg",
    "load_ferry_manifest",
    "load_index",
    "load_trip",
    "load_vehicle",
    "load_vehicle_manifests",
    "needs_identity",
    "nik_birth_year",
    "trip_vehicles",
    "unseated_by_trip",
]
