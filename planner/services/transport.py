"""Vehicles, trips and legs of an event: creating them, estimating legs from their
distance, and the itinerary checks shown as warnings (computed, never stored)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from planner import geo, labels
from planner.extensions import db
from planner.models import (
    Delegation,
    Event,
    Leg,
    LegMode,
    Place,
    SeatAssignment,
    Trip,
    Vehicle,
    VehicleKind,
)
from planner.models.types import MAX_ID as _MAX_ID
from planner.services import PlannerError
from planner.services.events import ChecklistItem, checklist_check
from planner.services.people import normalise_phone

# Vehicles ---------------------------------------------------------------------------

MIN_SEATS, MAX_SEATS = 1, 100
_PLATE = re.compile(r"^([A-Z]{1,2})(\d{1,4})([A-Z]{0,3})$")


def normalise_plate(raw: str | None) -> str | None:
    """An Indonesian plate in its printed form ("bn1234ab" → "BN 1234 AB"); None if
    blank; a :class:`PlannerError` when it is not a plate."""
    text = (raw or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s.\-]+", "", text.upper())
    match = _PLATE.match(compact) if len(compact) <= 12 else None
    if match is None:
        raise PlannerError(
            _(
                "Nomor polisi tidak valid: 1–2 huruf, 1–4 angka, lalu 0–3 huruf "
                "(contoh: BN 1234 AB)."
            ),
            field="plate",
        )
    return " ".join(part for part in match.groups() if part)


def _text(data: dict, key: str, limit: int) -> str | None:
    value = data.get(key)
    value = value.strip() if isinstance(value, str) else None
    if value and len(value) > limit:
        raise PlannerError(_("Paling panjang %(n)s karakter.", n=limit), field=key)
    return value or None


def _apply_vehicle(vehicle: Vehicle, event: Event, data: dict) -> None:
    """Check ``data`` and copy it onto ``vehicle``; nothing is changed on error."""
    label = _text(data, "label", 60)
    if not label:
        raise PlannerError(_("Nama kendaraan wajib diisi."), field="label")
    try:
        kind = VehicleKind(data.get("kind"))
    except ValueError:
        raise PlannerError(_("Pilih jenis kendaraan."), field="kind") from None
    seats = data.get("seats")
    if not isinstance(seats, int) or not MIN_SEATS <= seats <= MAX_SEATS:
        raise PlannerError(
            _(
                "Jumlah kursi harus antara %(min)s dan %(max)s.",
                min=MIN_SEATS,
                max=MAX_SEATS,
            ),
            field="seats",
        )
    plate = normalise_plate(data.get("plate"))
    try:
        phone = normalise_phone(data.get("driver_phone"))
    except PlannerError as exc:
        raise PlannerError(str(exc), field="driver_phone") from None
    driver_name = _text(data, "driver_name", 120)
    operator = _text(data, "operator", 200)
    notes = _text(data, "notes", 5000)
    clash = db.session.scalar(
        db.select(Vehicle.id).where(
            Vehicle.event_id == event.id,
            Vehicle.label == label,
            Vehicle.id != (vehicle.id or 0),
        )
    )
    if clash is not None:
        raise PlannerError(
            _("Acara ini sudah punya kendaraan bernama %(label)s.", label=label),
            field="label",
        )
    vehicle.label, vehicle.kind, vehicle.seats, vehicle.plate = (
        label,
        kind,
        seats,
        plate,
    )
    vehicle.driver_name, vehicle.driver_phone = driver_name, phone
    vehicle.operator, vehicle.notes = operator, notes


def create_vehicle(event: Event, *, data: dict) -> Vehicle:
    """Add a vehicle to the event."""
    vehicle = Vehicle()
    _apply_vehicle(vehicle, event, data)
    vehicle.event = event
    db.session.add(vehicle)
    db.session.flush()
    return vehicle


def update_vehicle(vehicle: Vehicle, *, data: dict) -> Vehicle:
    """Change a vehicle's details."""
    _apply_vehicle(vehicle, vehicle.event, data)
    db.session.flush()
    return vehicle


def delete_vehicle(vehicle: Vehicle) -> None:
    """Remove a vehicle that no leg and no seat uses (those are removed first, so that
    nobody loses a passenger list by one click)."""
    seated = db.session.scalar(
        db.select(db.func.count(SeatAssignment.id)).where(
            SeatAssignment.vehicle_id == vehicle.id
        )
    )
    if seated:
        raise PlannerError(
            _(
                "Kendaraan ini masih punya %(n)s penumpang; kosongkan kursinya dahulu.",
                n=seated,
            )
        )
    if vehicle.legs:
        raise PlannerError(
            _(
                "Kendaraan ini masih dipakai di %(n)s ruas perjalanan; lepaskan "
                "dahulu dari ruas tersebut.",
                n=len(vehicle.legs),
            )
        )
    db.session.delete(vehicle)
    db.session.flush()


# Trips ------------------------------------------------------------------------------

#: Trip names are data, like event titles: stored in Indonesian whatever the UI language
#: of the organiser who clicked, so the record agrees; pages and printouts show these two
#: in the reader's language (:func:`planner.labels.trip_name`).
DEFAULT_TRIPS = ("Berangkat", "Pulang")


def create_trip(event: Event, *, data: dict) -> Trip:
    """Add a named trip after the event's last one."""
    name = _text(data, "name", 120)
    if not name:
        raise PlannerError(_("Nama perjalanan wajib diisi."), field="name")
    existing = db.session.scalars(
        db.select(Trip).where(Trip.event_id == event.id)
    ).all()
    if any(t.name.casefold() == name.casefold() for t in existing):
        raise PlannerError(_("Perjalanan %(name)s sudah ada.", name=name), field="name")
    trip = Trip(
        event_id=event.id,
        name=name,
        position=max((t.position for t in existing), default=-1) + 1,
    )
    db.session.add(trip)
    db.session.flush()
    return trip


def create_default_trips(event: Event) -> list[Trip]:
    """The usual "Berangkat" and "Pulang" trips, those missing only."""
    names = {
        n.casefold()
        for n in db.session.scalars(db.select(Trip.name).filter_by(event_id=event.id))
    }
    made = []
    for name in DEFAULT_TRIPS:
        if name.casefold() not in names:
            made.append(create_trip(event, data={"name": name}))
    return made


# Legs -------------------------------------------------------------------------------


def place_timezone(place: Place | None, event: Event) -> str:
    """The zone times at a place are typed and shown in: its region's, else the
    event's."""
    if place is not None and place.region is not None:
        return place.region.timezone
    return event.timezone


def _id(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) and 0 < value <= _MAX_ID:
        return value
    return -1


def _place(data: dict, key: str) -> Place:
    ident = _id(data.get(key))
    place = db.session.get(Place, ident) if ident and ident > 0 else None
    if place is None:
        raise PlannerError(_("Pilih tempat dari daftar."), field=key)
    return place


def _moment(day: date | None, clock: time | None, tz: str, field: str) -> datetime:
    if not isinstance(day, date) or not isinstance(clock, time):
        raise PlannerError(_("Tanggal dan jam wajib diisi."), field=field)
    local = datetime.combine(day, clock.replace(tzinfo=None), ZoneInfo(tz))
    return local.astimezone(UTC)


def _of_event(model, ids, event: Event, field: str, message: str) -> list:
    """The rows of ``model`` with these ids, all of this event; else an error."""
    wanted = {_id(i) for i in ids or ()} - {None}
    if not wanted:
        return []
    if any(i < 0 for i in wanted):
        raise PlannerError(message, field=field)
    rows = db.session.scalars(
        db.select(model).where(model.id.in_(wanted), model.event_id == event.id)
    ).all()
    if len(rows) != len(wanted):
        raise PlannerError(message, field=field)
    return sorted(rows, key=lambda r: r.id)


def _apply_leg(leg: Leg, trip: Trip, data: dict) -> None:
    """Check ``data`` and copy it onto ``leg``; nothing is changed on error."""
    event = trip.event
    from_place = _place(data, "from_place_id")
    to_place = _place(data, "to_place_id")
    if from_place.id == to_place.id:
        raise PlannerError(
            _("Tempat tujuan harus berbeda dari tempat berangkat."),
            field="to_place_id",
        )
    try:
        mode = LegMode(data.get("mode"))
    except ValueError:
        raise PlannerError(_("Pilih moda perjalanan."), field="mode") from None
    departs_at = _moment(
        data.get("departs_on"),
        data.get("departs_time"),
        place_timezone(from_place, event),
        "departs_on",
    )
    arrives_at = _moment(
        data.get("arrives_on"),
        data.get("arrives_time"),
        place_timezone(to_place, event),
        "arrives_on",
    )
    if arrives_at <= departs_at:
        raise PlannerError(
            _(
                "Waktu tiba harus sesudah waktu berangkat (perhatikan zona waktu "
                "masing-masing tempat)."
            ),
            field="arrives_on",
        )
    if arrives_at - departs_at > timedelta(days=7):
        raise PlannerError(_("Satu ruas paling lama 7 hari."), field="arrives_on")
    vehicles = _of_event(
        Vehicle,
        data.get("vehicle_ids"),
        event,
        "vehicle_ids",
        _("Pilih kendaraan acara ini dari daftar."),
    )
    delegations = _of_event(
        Delegation,
        data.get("delegation_ids"),
        event,
        "delegation_ids",
        _("Pilih delegasi acara ini dari daftar."),
    )
    carrier = _text(data, "carrier", 120)
    vessel = _text(data, "vessel", 120)
    booking_ref = _text(data, "booking_ref", 60)
    notes = _text(data, "notes", 5000)
    leg.event_id = event.id
    leg.trip = trip
    leg.from_place, leg.to_place, leg.mode = from_place, to_place, mode
    leg.departs_at, leg.arrives_at = departs_at, arrives_at
    leg.vehicles, leg.delegations = vehicles, delegations
    leg.carrier, leg.vessel, leg.booking_ref, leg.notes = (
        carrier,
        vessel,
        booking_ref,
        notes,
    )


def _next_position(trip: Trip) -> int:
    last = db.session.scalar(
        db.select(db.func.max(Leg.position)).where(Leg.trip_id == trip.id)
    )
    return 0 if last is None else last + 1


def create_leg(trip: Trip, *, data: dict) -> Leg:
    """Add a leg to the end of a trip; times are typed in each place's own zone."""
    leg = Leg()
    with db.session.no_autoflush:
        _apply_leg(leg, trip, data)
        leg.position = _next_position(trip)
    db.session.add(leg)
    db.session.flush()
    return leg


def update_leg(leg: Leg, *, data: dict) -> Leg:
    """Change a leg; a leg moved to another trip of the event goes to its end."""
    trip = leg.trip
    trip_id = _id(data.get("trip_id"))
    if trip_id is not None and trip_id != leg.trip_id:
        trip = db.session.scalar(
            db.select(Trip).where(Trip.id == trip_id, Trip.event_id == leg.event_id)
        )
        if trip is None:
            raise PlannerError(_("Pilih perjalanan dari daftar."), field="trip_id")
    with db.session.no_autoflush:
        moved = trip.id != leg.trip_id
        _apply_leg(leg, trip, data)
        if moved:
            leg.position = _next_position(trip)
    db.session.flush()
    return leg


def delete_leg(leg: Leg) -> None:
    """Remove a leg from its trip."""
    db.session.delete(leg)
    db.session.flush()


def move_leg(leg: Leg, direction: str) -> Leg:
    """Swap a leg with its neighbour ("up" or "down") in its trip's order."""
    if direction not in ("up", "down"):
        raise PlannerError(_("Arah tidak dikenal."))
    legs = db.session.scalars(
        db.select(Leg)
        .where(Leg.trip_id == leg.trip_id)
        .order_by(Leg.position, Leg.departs_at, Leg.id)
    ).all()
    index = legs.index(leg)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(legs):
        legs[index], legs[other] = legs[other], legs[index]
    for position, item in enumerate(legs):
        item.position = position
    db.session.flush()
    return leg


def duplicate_leg(leg: Leg) -> Leg:
    """A copy of the leg one day later at the end of its trip (the same crossing or
    drive on another day); the booking reference stays with the original."""
    day = timedelta(days=1)
    copy = Leg(
        event_id=leg.event_id,
        trip=leg.trip,
        from_place=leg.from_place,
        to_place=leg.to_place,
        mode=leg.mode,
        departs_at=leg.departs_at + day,
        arrives_at=leg.arrives_at + day,
        carrier=leg.carrier,
        vessel=leg.vessel,
        notes=leg.notes,
        vehicles=list(leg.vehicles),
        delegations=list(leg.delegations),
        position=_next_position(leg.trip),
    )
    db.session.add(copy)
    db.session.flush()
    return copy


def next_leg_defaults(trip: Trip) -> dict:
    """What a new leg of ``trip`` most likely is: from where the last leg ended, half
    an hour after it arrived (in that place's zone), with the same vehicles; by road
    after a crossing or a flight, else by the same mode."""
    last = db.session.scalars(
        db.select(Leg)
        .where(Leg.trip_id == trip.id)
        .order_by(Leg.position.desc(), Leg.departs_at.desc(), Leg.id.desc())
        .limit(1)
    ).first()
    if last is None:
        return {}
    from planner.formatting import to_zone

    departs = to_zone(
        last.arrives_at + timedelta(minutes=30),
        place_timezone(last.to_place, trip.event),
    )
    return {
        "from_place_id": last.to_place_id,
        "mode": (
            LegMode.ROAD if last.mode in (LegMode.FERRY, LegMode.AIR) else last.mode
        ).value,
        "departs_on": departs.date(),
        "departs_time": departs.time().replace(tzinfo=None, second=0, microsecond=0),
        "arrives_on": departs.date(),
        "vehicle_ids": [v.id for v in last.vehicles],
        "delegation_ids": [d.id for d in last.delegations],
    }


#: The return trip's name unless the organiser types another.
RETURN_TRIP = DEFAULT_TRIPS[1]


def make_return_trip(trip: Trip, *, data: dict) -> Trip:
    """The way back from ``trip``: its legs reversed, each as long as on the way out
    and with the same waits between them, the first leaving at the given local time;
    the same vehicles, delegations and carriers (bookings are new). An empty trip of
    that name (the usual "Pulang") is filled, otherwise one is made.

    Seats are the caller's business (:func:`planner.services.seating.copy_seats`).
    """
    legs = list(trip.legs)
    if not legs:
        raise PlannerError(
            _(
                "Perjalanan %(name)s belum punya ruas untuk dibalik.",
                name=labels.trip_name(trip.name),
            )
        )
    name = _text(data, "name", 120) or RETURN_TRIP
    if name.casefold() == trip.name.casefold():
        raise PlannerError(
            _(
                "Nama perjalanan pulang harus berbeda dari %(name)s.",
                name=labels.trip_name(trip.name),
            ),
            field="name",
        )
    target = db.session.scalar(
        db.select(Trip).where(
            Trip.event_id == trip.event_id, db.func.lower(Trip.name) == name.lower()
        )
    )
    if target is not None and target.legs:
        raise PlannerError(
            _(
                "Perjalanan %(name)s sudah punya ruas; beri nama lain atau hapus "
                "ruasnya dahulu.",
                name=labels.trip_name(target.name),
            ),
            field="name",
        )
    first_from = legs[-1].to_place
    start = _moment(
        data.get("departs_on"),
        data.get("departs_time"),
        place_timezone(first_from, trip.event),
        "departs_on",
    )
    if target is None:
        target = create_trip(trip.event, data={"name": name})
    # The waits between outbound legs, walked backwards.
    waits = [
        max(legs[i + 1].departs_at - legs[i].arrives_at, timedelta(0))
        for i in range(len(legs) - 1)
    ][::-1]
    departs = start
    for position, leg in enumerate(reversed(legs)):
        arrives = departs + (leg.arrives_at - leg.departs_at)
        db.session.add(
            Leg(
                event_id=trip.event_id,
                trip=target,
                position=position,
                from_place=leg.to_place,
                to_place=leg.from_place,
                mode=leg.mode,
                departs_at=departs,
                arrives_at=arrives,
                carrier=leg.carrier,
                vessel=leg.vessel,
                vehicles=list(leg.vehicles),
                delegations=list(leg.delegations),
            )
        )
        if position < len(waits):
            departs = arrives + waits[position]
    db.session.flush()
    return target


# Estimates --------------------------------------------------------------------------

#: Average speeds in km/h per mode, and fixed extra time (boarding, taxiing).
SPEEDS = {
    LegMode.ROAD: 50.0,
    LegMode.FERRY: 25.0,
    LegMode.AIR: 600.0,
    LegMode.RAIL: 70.0,
    LegMode.WALK: 4.5,
}
EXTRA = {LegMode.AIR: timedelta(hours=1)}
#: Roads are longer than the straight line between their ends.
ROAD_DETOUR = 1.3


@dataclass(frozen=True)
class Estimate:
    """A leg's great-circle distance and the duration its mode's speed gives."""

    distance_km: float
    duration: timedelta

    @property
    def minutes(self) -> int:
        return round(self.duration.total_seconds() / 60)


def estimate(leg: Leg) -> Estimate | None:
    """Distance and estimated duration of a leg; None when a place lacks
    coordinates."""
    distance = geo.distance_km(leg.from_place, leg.to_place)
    if distance is None:
        return None
    mode = LegMode(leg.mode)
    travelled = distance * ROAD_DETOUR if mode == LegMode.ROAD else distance
    hours = travelled / SPEEDS[mode]
    return Estimate(distance, timedelta(hours=hours) + EXTRA.get(mode, timedelta()))


# Itinerary checks -------------------------------------------------------------------

#: A planned duration this many times the estimate (or its inverse) is suspicious.
ESTIMATE_RATIO = 2.0
#: Longest time a driver should be on the road in one calendar day.
MAX_DRIVING = timedelta(hours=10)


@dataclass(frozen=True)
class ItineraryWarning:
    """One problem of a trip's itinerary, attached to the leg it concerns."""

    message: str
    leg_id: int | None = None


def format_duration(value: timedelta) -> str:
    """ "2 j 30 m" — hours and minutes, for planned and estimated durations."""
    minutes = max(round(value.total_seconds() / 60), 0)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)s j %(m)s m", h=hours, m=minutes)
    if hours:
        return _("%(h)s j", h=hours)
    return _("%(m)s m", m=minutes)


def _leg_name(leg: Leg) -> str:
    return _("%(a)s → %(b)s", a=leg.from_place.name, b=leg.to_place.name)


def _per_day(leg: Leg, tz: str) -> dict[date, timedelta]:
    """The leg's time split over the local calendar days it spans."""
    zone = ZoneInfo(tz)
    start, end = leg.departs_at.astimezone(zone), leg.arrives_at.astimezone(zone)
    out: dict[date, timedelta] = defaultdict(timedelta)
    while start < end:
        midnight = datetime.combine(start.date() + timedelta(days=1), time(), zone)
        stop = min(end, midnight)
        out[start.date()] += stop - start
        start = stop
    return out


def itinerary_warnings(
    trip: Trip, *, seated: dict[int, int] | None = None
) -> list[ItineraryWarning]:
    """What looks wrong in a trip's legs, in leg order.

    Uses what is loaded: the legs with their places (and regions), vehicles and
    delegations. ``seated`` maps vehicle ids to the trip's seat assignments in them;
    without it they are counted with one query.
    """
    event = trip.event
    legs = sorted(trip.legs, key=lambda leg: (leg.position, leg.departs_at, leg.id))
    if seated is None:
        seated = seat_counts(trip)
    warnings: list[ItineraryWarning] = []

    def warn(leg: Leg, message: str) -> None:
        warnings.append(ItineraryWarning(message, leg.id))

    by_vehicle: dict[int, list[Leg]] = defaultdict(list)
    previous: Leg | None = None
    for leg in legs:
        if leg.arrives_at <= leg.departs_at:
            warn(leg, _("%(leg)s tiba sebelum berangkat.", leg=_leg_name(leg)))
        for vehicle in leg.vehicles:
            by_vehicle[vehicle.id].append(leg)
        if (
            not leg.vehicles
            and previous is not None
            and previous.to_place_id != leg.from_place_id
        ):
            warn(
                leg,
                _(
                    "%(leg)s tidak berangkat dari %(place)s, tempat ruas sebelumnya "
                    "berakhir.",
                    leg=_leg_name(leg),
                    place=previous.to_place.name,
                ),
            )
        previous = leg
        guess = estimate(leg)
        planned = leg.arrives_at - leg.departs_at
        if guess is not None and guess.duration > timedelta(0):
            ratio = planned / guess.duration
            if ratio > ESTIMATE_RATIO or ratio < 1 / ESTIMATE_RATIO:
                warn(
                    leg,
                    _(
                        "%(leg)s: rencana %(planned)s, perkiraan %(estimate)s.",
                        leg=_leg_name(leg),
                        planned=format_duration(planned),
                        estimate=format_duration(guess.duration),
                    ),
                )
        if leg.vehicles:
            seats = sum(v.seats for v in leg.vehicles)
            travellers = sum(seated.get(v.id, 0) for v in leg.vehicles)
            if not travellers:
                travellers = sum(d.confirmed_count for d in leg.delegations)
            if travellers > seats:
                warn(
                    leg,
                    _(
                        "%(leg)s: %(n)s penumpang terkonfirmasi, tetapi hanya "
                        "%(seats)s kursi.",
                        leg=_leg_name(leg),
                        n=travellers,
                        seats=seats,
                    ),
                )

    vehicles = {v.id: v for leg in legs for v in leg.vehicles}
    for vehicle_id, vehicle_legs in by_vehicle.items():
        vehicle = vehicles[vehicle_id]
        ordered = sorted(vehicle_legs, key=lambda leg: (leg.departs_at, leg.id))
        driving: dict[date, timedelta] = defaultdict(timedelta)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.departs_at < before.arrives_at:
                warn(
                    after,
                    _(
                        "%(vehicle)s: %(leg)s dimulai sebelum ruas %(other)s selesai.",
                        vehicle=vehicle.label,
                        leg=_leg_name(after),
                        other=_leg_name(before),
                    ),
                )
            elif before.to_place_id != after.from_place_id:
                warn(
                    after,
                    _(
                        "%(vehicle)s: %(leg)s tidak berangkat dari %(place)s, tempat "
                        "ruas sebelumnya berakhir.",
                        vehicle=vehicle.label,
                        leg=_leg_name(after),
                        place=before.to_place.name,
                    ),
                )
        for leg in ordered:
            if leg.mode == LegMode.ROAD:
                tz = place_timezone(leg.from_place, event)
                for day, spent in _per_day(leg, tz).items():
                    driving[day] += spent
        for day, spent in sorted(driving.items()):
            if spent > MAX_DRIVING:
                from planner.formatting import format_day

                warnings.append(
                    ItineraryWarning(
                        _(
                            "%(vehicle)s: sopir di jalan %(time)s pada %(day)s "
                            "(lebih dari %(limit)s jam).",
                            vehicle=vehicle.label,
                            time=format_duration(spent),
                            day=format_day(day),
                            limit=int(MAX_DRIVING.total_seconds() // 3600),
                        )
                    )
                )
    return warnings


def seat_counts(trip: Trip) -> dict[int, int]:
    """Seat assignments of one trip per vehicle id."""
    return dict(
        db.session.execute(
            db.select(SeatAssignment.vehicle_id, db.func.count(SeatAssignment.id))
            .where(SeatAssignment.trip_id == trip.id)
            .group_by(SeatAssignment.vehicle_id)
        ).all()
    )


def seat_counts_by_trip(event: Event) -> dict[tuple[int, int], int]:
    """Seat assignments of the event per (trip id, vehicle id), in one query."""
    rows = db.session.execute(
        db.select(
            SeatAssignment.trip_id,
            SeatAssignment.vehicle_id,
            db.func.count(SeatAssignment.id),
        )
        .join(Trip, Trip.id == SeatAssignment.trip_id)
        .where(Trip.event_id == event.id)
        .group_by(SeatAssignment.trip_id, SeatAssignment.vehicle_id)
    ).all()
    return {(trip_id, vehicle_id): n for trip_id, vehicle_id, n in rows}


def event_warnings(event: Event) -> list[ItineraryWarning]:
    """Every trip's itinerary warnings, loaded in a constant number of queries."""
    from sqlalchemy.orm import joinedload, selectinload

    trips = db.session.scalars(
        db.select(Trip)
        .filter_by(event_id=event.id)
        .order_by(Trip.position, Trip.id)
        .options(
            selectinload(Trip.legs).options(
                joinedload(Leg.from_place).joinedload(Place.region),
                joinedload(Leg.to_place).joinedload(Place.region),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        )
    ).all()
    if not trips:
        return []
    taken = seat_counts_by_trip(event)
    found: list[ItineraryWarning] = []
    for trip in trips:
        seated = {v: n for (t, v), n in taken.items() if t == trip.id}
        found.extend(itinerary_warnings(trip, seated=seated))
    return found


@checklist_check
def _check_itinerary(event: Event):
    """The route has no warnings (overlaps, gaps, too few seats, long driving days)."""
    warnings = event_warnings(event)
    if not warnings:
        return None
    return ChecklistItem(
        _("Rute perjalanan punya %(n)s peringatan.", n=len(warnings)),
        "warning",
        "transport.route",
    )
