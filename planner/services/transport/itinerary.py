"""Estimating legs from their distance, and the itinerary checks shown as warnings
(computed, never stored): implausible durations, drivers too long on the road,
unseated travellers, with the event checklist's line."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from planner import geo
from planner.extensions import db
from planner.formatting.plain import format_day
from planner.models import Event, Leg, LegMode, Place, SeatAssignment, Trip
from planner.services.events import ChecklistItem, checklist_check
from planner.services.transport.trips import place_timezone

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
