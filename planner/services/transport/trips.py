"""Trips and their legs: the default trips, legs created, changed, moved and copied,
the next leg's defaults and the return trip made from the outward one."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _

from planner import labels
from planner.extensions import db
from planner.formatting.plain import to_zone
from planner.models import Delegation, Event, Leg, LegMode, Place, Trip, Vehicle
from planner.services import PlannerError, parsing

#: Trip names are data, like event titles: stored in Indonesian whatever the UI language
#: of the organiser who clicked, so the record agrees; pages and printouts show these two
#: in the reader's language (:func:`planner.labels.trip_name`).
DEFAULT_TRIPS = ("Berangkat", "Pulang")


def create_trip(event: Event, *, data: dict) -> Trip:
    """Add a named trip after the event's last one."""
    name = parsing.text_in(data, "name", 120)
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


def place_timezone(place: Place | None, event: Event) -> str:
    """The zone times at a place are typed and shown in: its region's, else the
    event's."""
    if place is not None and place.region is not None:
        return place.region.timezone
    return event.timezone


def _place(data: dict, key: str) -> Place:
    ident = parsing.form_id(data.get(key))
    place = db.session.get(Place, ident) if ident and ident > 0 else None
    if place is None:
        raise PlannerError(_("Pilih tempat dari daftar."), field=key)
    return place


def _of_event(model, ids, event: Event, field: str, message: str) -> list:
    """The rows of ``model`` with these ids, all of this event; else an error."""
    wanted = {parsing.form_id(i) for i in ids or ()} - {None}
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
    departs_at = parsing.moment(
        data.get("departs_on"),
        data.get("departs_time"),
        place_timezone(from_place, event),
        field="departs_on",
    )
    arrives_at = parsing.moment(
        data.get("arrives_on"),
        data.get("arrives_time"),
        place_timezone(to_place, event),
        field="arrives_on",
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
    carrier = parsing.text_in(data, "carrier", 120)
    vessel = parsing.text_in(data, "vessel", 120)
    booking_ref = parsing.text_in(data, "booking_ref", 60)
    notes = parsing.text_in(data, "notes", 5000)
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
    if "has_packed_meal" in data:
        leg.has_packed_meal = bool(data["has_packed_meal"])


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
    trip_id = parsing.form_id(data.get("trip_id"))
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
        has_packed_meal=leg.has_packed_meal,
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
    name = parsing.text_in(data, "name", 120) or RETURN_TRIP
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
    start = parsing.moment(
        data.get("departs_on"),
        data.get("departs_time"),
        place_timezone(first_from, trip.event),
        field="departs_on",
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
