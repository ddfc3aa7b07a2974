"""The checks of a plan's transport: vehicles, trips, legs and seats."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from planner.services.plans.common import json_path

if TYPE_CHECKING:
    from planner.services.plans.checks import _Checker


def check_vehicles(c: _Checker) -> None:
    """Drivers' phones in E.164; labels used once."""
    c.driver_phones = [
        c.phone(vehicle.get("driver_phone"), ["vehicles", n, "driver_phone"])
        for n, vehicle in enumerate(c.sections["vehicles"])
    ]
    c.unique(
        "vehicles",
        "label",
        _("Nama kendaraan “%(value)s” sudah dipakai di %(other)s."),
    )


def check_trips(c: _Checker) -> None:
    """Trip names used once."""
    c.unique(
        "trips",
        "name",
        _("Nama perjalanan “%(value)s” sudah dipakai di %(other)s."),
    )


def check_legs(c: _Checker) -> None:
    """Each leg's trip, places, times, vehicles and delegations."""
    for n, leg in enumerate(c.sections["legs"]):
        parts = ["legs", n]
        c.ref("trips", leg["trip"], [*parts, "trip"])
        c.ref("places", leg["from"], [*parts, "from"])
        c.ref("places", leg["to"], [*parts, "to"])
        if leg["from"] == leg["to"]:
            c.add([*parts, "to"], _("Tempat tujuan harus lain dari tempat berangkat."))
        departs = c.time(leg, "departs_at", parts)
        arrives = c.time(leg, "arrives_at", parts)
        if departs and arrives and arrives <= departs:
            c.add(
                [*parts, "arrives_at"],
                _("Waktu tiba harus sesudah waktu berangkat."),
            )
        c.key_list("vehicles", leg.get("vehicles") or (), [*parts, "vehicles"])
        c.key_list("delegations", leg.get("delegations") or (), [*parts, "delegations"])


def check_seats(c: _Checker) -> None:
    """A seat per delegate and trip, its number free and within the vehicle."""
    vehicles = c.sections["vehicles"]
    seated: dict[tuple, int] = {}
    numbers: dict[tuple, int] = {}
    filled: Counter[tuple] = Counter()
    for n, seat in enumerate(c.sections["seats"]):
        parts = ["seats", n]
        trip_ok = c.ref("trips", seat["trip"], [*parts, "trip"])
        vehicle_ok = c.ref("vehicles", seat["vehicle"], [*parts, "vehicle"])
        person_ok = c.delegate_ref(seat["person"], [*parts, "person"])
        if not (trip_ok and vehicle_ok and person_ok):
            continue
        trip, key, person = seat["trip"], seat["vehicle"], seat["person"]
        vehicle = vehicles[c.index["vehicles"][key]]
        if (trip, person) in seated:
            c.add(
                [*parts, "person"],
                _(
                    "“%(key)s” sudah punya kursi pada perjalanan ini di %(other)s.",
                    key=person,
                    other=json_path(["seats", seated[trip, person]]),
                ),
            )
            continue
        seated[trip, person] = n
        number = seat.get("seat")
        if number is not None:
            if number > vehicle["seats"]:
                c.add(
                    [*parts, "seat"],
                    _(
                        "Kursi nomor %(n)s tidak ada: “%(vehicle)s” hanya punya "
                        "%(seats)s kursi.",
                        n=number,
                        vehicle=vehicle["label"],
                        seats=vehicle["seats"],
                    ),
                )
            elif (trip, key, number) in numbers:
                c.add(
                    [*parts, "seat"],
                    _(
                        "Kursi nomor %(n)s di “%(vehicle)s” sudah terisi di %(other)s.",
                        n=number,
                        vehicle=vehicle["label"],
                        other=json_path(["seats", numbers[trip, key, number]]),
                    ),
                )
            else:
                numbers[trip, key, number] = n
        filled[trip, key] += 1
        if filled[trip, key] == vehicle["seats"] + 1:
            c.add(
                parts,
                _(
                    "“%(vehicle)s” hanya punya %(seats)s kursi; pada perjalanan "
                    "“%(trip)s” lebih banyak orang yang didudukkan di sana.",
                    vehicle=vehicle["label"],
                    seats=vehicle["seats"],
                    trip=trip,
                ),
            )
