"""Vehicle and route pages of an event: its vehicles, its trips and their legs, with
computed estimates and itinerary warnings.

A vehicle is deleted only once no leg and no seat uses it (the page says what to
remove first): deleting a van must never silently empty a passenger list.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from planner import labels
from planner.blueprints.transport import bp
from planner.blueprints.transport.forms import (
    ActionForm,
    LegForm,
    MoveForm,
    ReturnTripForm,
    TripForm,
    VehicleForm,
)
from planner.extensions import db
from planner.models import Delegation, Event, Leg, Place, PlaceKind, Trip, Vehicle
from planner.permissions import can_manage_transport, can_view_transport, require
from planner.services import PlannerError
from planner.services.people import format_phone
from planner.services.transport import (
    create_default_trips,
    create_leg,
    create_trip,
    create_vehicle,
    delete_leg,
    delete_vehicle,
    duplicate_leg,
    estimate,
    format_duration,
    itinerary_warnings,
    make_return_trip,
    move_leg,
    next_leg_defaults,
    place_timezone,
    seat_counts_by_trip,
    update_leg,
    update_vehicle,
)

# Loading ------------------------------------------------------------------------------


def _load_event(event_id: int) -> Event:
    """The event with this id, or 404."""
    return db.one_or_404(db.select(Event).where(Event.id == event_id))


def _load_vehicle(event_id: int, vehicle_id: int) -> Vehicle:
    """A vehicle looked up by both ids, or 404."""
    return db.one_or_404(
        db.select(Vehicle)
        .options(joinedload(Vehicle.event))
        .filter_by(id=vehicle_id, event_id=event_id)
    )


def _load_leg(event_id: int, leg_id: int) -> Leg:
    """A leg looked up by both ids, or 404."""
    return db.one_or_404(
        db.select(Leg)
        .options(
            joinedload(Leg.event),
            joinedload(Leg.trip),
            joinedload(Leg.from_place).joinedload(Place.region),
            joinedload(Leg.to_place).joinedload(Place.region),
        )
        .filter_by(id=leg_id, event_id=event_id)
    )


def _manage(event_id: int) -> Event:
    event = _load_event(event_id)
    require(can_manage_transport(current_user, event))
    return event


def _apply_error(form, exc: PlannerError) -> None:
    """Show a service's refusal next to its field, or above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _route_url(event: Event) -> str:
    return url_for("transport.route", event_id=event.id)


# Vehicles -----------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/transport/vehicles")
@login_required
def vehicles(event_id: int):
    """The event's vehicles, with seats taken on each trip."""
    event = _load_event(event_id)
    require(can_view_transport(current_user, event))
    rows = db.session.scalars(
        db.select(Vehicle).filter_by(event_id=event.id).order_by(Vehicle.label)
    ).all()
    trips = db.session.scalars(
        db.select(Trip).filter_by(event_id=event.id).order_by(Trip.position, Trip.id)
    ).all()
    return render_template(
        "transport/vehicles.html",
        event=event,
        vehicles=rows,
        trips=trips,
        taken=seat_counts_by_trip(event) if trips else {},
        manager=can_manage_transport(current_user, event),
        labels=labels,
        format_phone=format_phone,
        delete_form=ActionForm(),
    )


def _vehicle_form_page(event: Event, form: VehicleForm, vehicle: Vehicle | None):
    return render_template(
        "transport/vehicle_form.html",
        event=event,
        form=form,
        vehicle=vehicle,
        delete_form=ActionForm(),
    )


@bp.route("/events/<int:event_id>/transport/vehicles/new", methods=["GET", "POST"])
@login_required
def new_vehicle(event_id: int):
    """Add a vehicle to the event."""
    event = _manage(event_id)
    form = VehicleForm()
    if form.validate_on_submit():
        try:
            vehicle = create_vehicle(event, data=form.data)
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Kendaraan %(label)s ditambahkan.", label=vehicle.label), "success")
            return redirect(url_for("transport.vehicles", event_id=event.id))
    return _vehicle_form_page(event, form, None)


@bp.route(
    "/events/<int:event_id>/transport/vehicles/<int:vehicle_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def edit_vehicle(event_id: int, vehicle_id: int):
    """Change a vehicle's details."""
    vehicle = _load_vehicle(event_id, vehicle_id)
    event = vehicle.event
    require(can_manage_transport(current_user, event))
    form = VehicleForm(obj=vehicle if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            update_vehicle(vehicle, data=form.data)
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Kendaraan %(label)s disimpan.", label=vehicle.label), "success")
            return redirect(url_for("transport.vehicles", event_id=event.id))
    return _vehicle_form_page(event, form, vehicle)


@bp.route(
    "/events/<int:event_id>/transport/vehicles/<int:vehicle_id>/delete",
    methods=["POST"],
)
@login_required
def remove_vehicle(event_id: int, vehicle_id: int):
    """Delete a vehicle no leg and no seat uses."""
    vehicle = _load_vehicle(event_id, vehicle_id)
    require(can_manage_transport(current_user, vehicle.event))
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    label = vehicle.label
    try:
        delete_vehicle(vehicle)
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
    else:
        db.session.commit()
        flash(_("Kendaraan %(label)s dihapus.", label=label), "success")
    return redirect(url_for("transport.vehicles", event_id=event_id))


# Route --------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/transport/")
@login_required
def route(event_id: int):
    """The event's trips in order, each with its legs, estimates and warnings."""
    event = _load_event(event_id)
    require(can_view_transport(current_user, event))
    place_opts = (joinedload(Place.region),)
    trips = db.session.scalars(
        db.select(Trip)
        .filter_by(event_id=event.id)
        .order_by(Trip.position, Trip.id)
        .options(
            selectinload(Trip.legs).options(
                joinedload(Leg.from_place).options(*place_opts),
                joinedload(Leg.to_place).options(*place_opts),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        )
    ).all()
    taken = seat_counts_by_trip(event) if trips else {}
    sections = []
    for trip in trips:
        seated = {v: n for (t, v), n in taken.items() if t == trip.id}
        warnings = itinerary_warnings(trip, seated=seated)
        legs = [
            {
                "leg": leg,
                "estimate": estimate(leg),
                "from_tz": place_timezone(leg.from_place, event),
                "to_tz": place_timezone(leg.to_place, event),
                "planned": format_duration(leg.arrives_at - leg.departs_at),
                "warnings": [w for w in warnings if w.leg_id == leg.id],
            }
            for leg in trip.legs
        ]
        sections.append(
            {
                "trip": trip,
                "legs": legs,
                "warnings": warnings,
            }
        )
    return render_template(
        "transport/route.html",
        event=event,
        sections=sections,
        manager=can_manage_transport(current_user, event),
        labels=labels,
        format_duration=format_duration,
        action_form=ActionForm(),
        move_form=MoveForm(),
    )


@bp.route("/events/<int:event_id>/transport/trips/defaults", methods=["POST"])
@login_required
def default_trips(event_id: int):
    """Create the usual "Berangkat" and "Pulang" trips with one click."""
    event = _manage(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    made = create_default_trips(event)
    db.session.commit()
    if made:
        flash(_("Perjalanan Berangkat dan Pulang dibuat."), "success")
    return redirect(_route_url(event))


@bp.route("/events/<int:event_id>/transport/trips/new", methods=["GET", "POST"])
@login_required
def new_trip(event_id: int):
    """Add a named trip to the event."""
    event = _manage(event_id)
    form = TripForm()
    if form.validate_on_submit():
        try:
            trip = create_trip(event, data=form.data)
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Perjalanan %(name)s dibuat.", name=trip.name), "success")
            return redirect(_route_url(event))
    return render_template("transport/trip_form.html", event=event, form=form)


# Legs ---------------------------------------------------------------------------------

#: Order of place groups in the leg form's selects.
_PLACE_GROUPS = [
    PlaceKind.PORT,
    PlaceKind.AIRPORT,
    PlaceKind.TERMINAL,
    PlaceKind.VENUE,
    PlaceKind.HOTEL,
    PlaceKind.OFFICE,
    PlaceKind.LANDMARK,
    PlaceKind.OTHER,
]


def _fill_choices(form: LegForm, event: Event) -> None:
    """The event's trips, every place grouped by kind, its vehicles and delegations."""
    trips = db.session.scalars(
        db.select(Trip).filter_by(event_id=event.id).order_by(Trip.position, Trip.id)
    ).all()
    form.trip_id.choices = [
        SelectChoice(str(t.id), labels.trip_name(t.name)) for t in trips
    ]
    places = db.session.scalars(
        db.select(Place).options(joinedload(Place.region)).order_by(Place.name)
    ).all()
    order = {kind: i for i, kind in enumerate(_PLACE_GROUPS)}
    places = sorted(places, key=lambda p: (order.get(p.kind, 99), p.name.lower()))
    place_choices = [SelectChoice("", _("— Pilih tempat —"))] + [
        SelectChoice(
            str(p.id),
            f"{p.name} ({p.region.label})" if p.region else p.name,
            optgroup=str(labels.PLACE_KIND[p.kind]),
        )
        for p in places
    ]
    form.from_place_id.choices = place_choices
    form.to_place_id.choices = place_choices
    vehicles = db.session.scalars(
        db.select(Vehicle).filter_by(event_id=event.id).order_by(Vehicle.label)
    ).all()
    form.vehicle_ids.choices = [
        SelectChoice(str(v.id), f"{v.label} · {v.plate}" if v.plate else v.label)
        for v in vehicles
    ]
    delegations = db.session.scalars(
        db.select(Delegation).filter_by(event_id=event.id).order_by(Delegation.name)
    ).all()
    form.delegation_ids.choices = [SelectChoice(str(d.id), d.name) for d in delegations]


def _leg_form_page(event: Event, form: LegForm, leg: Leg | None):
    return render_template(
        "transport/leg_form.html",
        event=event,
        form=form,
        leg=leg,
        delete_form=ActionForm(),
    )


@bp.route("/events/<int:event_id>/transport/legs/new", methods=["GET", "POST"])
@login_required
def new_leg(event_id: int):
    """Add a leg to one of the event's trips (its end)."""
    event = _manage(event_id)
    form = LegForm()
    _fill_choices(form, event)
    if not form.trip_id.choices:
        flash(_("Buat perjalanan dahulu (misalnya Berangkat dan Pulang)."), "warning")
        return redirect(_route_url(event))
    if request.method == "GET":
        form.departs_on.data = form.arrives_on.data = event.starts_on
        wanted = request.args.get("trip_id", "")
        if wanted in {c.value for c in form.trip_id.choices}:
            form.trip_id.data = int(wanted)
            # A new leg starts where the trip's last one ended.
            trip = db.session.get(Trip, int(wanted))
            for name, value in next_leg_defaults(trip).items():
                form[name].data = value
    if form.validate_on_submit():
        trip = db.session.scalar(
            db.select(Trip).filter_by(id=form.trip_id.data, event_id=event.id)
        )
        try:
            if trip is None:
                raise PlannerError(_("Pilih perjalanan dari daftar."), field="trip_id")
            create_leg(trip, data=form.data)
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Ruas perjalanan ditambahkan."), "success")
            return redirect(_route_url(event) + f"#trip-{trip.id}")
    return _leg_form_page(event, form, None)


@bp.route(
    "/events/<int:event_id>/transport/legs/<int:leg_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit_leg(event_id: int, leg_id: int):
    """Change a leg."""
    leg = _load_leg(event_id, leg_id)
    event = leg.event
    require(can_manage_transport(current_user, event))
    form = LegForm()
    _fill_choices(form, event)
    if request.method == "GET":
        from_tz = place_timezone(leg.from_place, event)
        to_tz = place_timezone(leg.to_place, event)
        from planner.formatting import to_zone

        departs, arrives = (
            to_zone(leg.departs_at, from_tz),
            to_zone(leg.arrives_at, to_tz),
        )
        form.process(
            data={
                "trip_id": leg.trip_id,
                "from_place_id": leg.from_place_id,
                "to_place_id": leg.to_place_id,
                "mode": leg.mode.value,
                "departs_on": departs.date(),
                "departs_time": departs.time().replace(tzinfo=None),
                "arrives_on": arrives.date(),
                "arrives_time": arrives.time().replace(tzinfo=None),
                "vehicle_ids": [v.id for v in leg.vehicles],
                "delegation_ids": [d.id for d in leg.delegations],
                "carrier": leg.carrier,
                "vessel": leg.vessel,
                "booking_ref": leg.booking_ref,
                "notes": leg.notes,
            }
        )
    if form.validate_on_submit():
        try:
            update_leg(leg, data=form.data)
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Ruas perjalanan disimpan."), "success")
            return redirect(_route_url(event) + f"#leg-{leg.id}")
    return _leg_form_page(event, form, leg)


@bp.post("/events/<int:event_id>/transport/legs/<int:leg_id>/duplicate")
@login_required
def copy_leg(event_id: int, leg_id: int):
    """Copy a leg one day later and open the copy to adjust it."""
    leg = _load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = duplicate_leg(leg)
    db.session.commit()
    flash(_("Ruas disalin ke hari berikutnya; sesuaikan bila perlu."), "success")
    return redirect(url_for("transport.edit_leg", event_id=event_id, leg_id=copy.id))


@bp.route(
    "/events/<int:event_id>/transport/trips/<int:trip_id>/return",
    methods=["GET", "POST"],
)
@login_required
def return_trip(event_id: int, trip_id: int):
    """Make the way back from a trip in one step: legs reversed, new times, the same
    vehicles, seats copied unless unticked."""
    from planner.services.seating import copy_seats
    from planner.services.transport import RETURN_TRIP

    event = _manage(event_id)
    trip = db.one_or_404(
        db.select(Trip)
        .filter_by(id=trip_id, event_id=event.id)
        .options(
            selectinload(Trip.legs).options(
                joinedload(Leg.from_place).joinedload(Place.region),
                joinedload(Leg.to_place).joinedload(Place.region),
                selectinload(Leg.vehicles),
                selectinload(Leg.delegations),
            )
        )
    )
    if not trip.legs:
        flash(_("Perjalanan ini belum punya ruas untuk dibalik."), "warning")
        return redirect(_route_url(event))
    form = ReturnTripForm()
    if request.method == "GET":
        form.name.data = RETURN_TRIP if trip.name != RETURN_TRIP else ""
        form.departs_on.data = event.ends_on
    if form.validate_on_submit():
        try:
            target = make_return_trip(trip, data=form.data)
            copied = copy_seats(trip, target) if form.copy_seats.data else 0
        except PlannerError as exc:
            db.session.rollback()
            _apply_error(form, exc)
        else:
            db.session.commit()
            flash(
                _(
                    "Perjalanan %(name)s dibuat dengan %(legs)s ruas; %(seats)s kursi "
                    "disalin. Periksa jam setiap ruas.",
                    name=labels.trip_name(target.name),
                    legs=len(trip.legs),
                    seats=copied,
                ),
                "success",
            )
            return redirect(_route_url(event) + f"#trip-{target.id}")
    return render_template(
        "transport/return_trip.html",
        event=event,
        trip=trip,
        form=form,
        start=trip.legs[-1].to_place,
    )


@bp.route("/events/<int:event_id>/transport/legs/<int:leg_id>/delete", methods=["POST"])
@login_required
def remove_leg(event_id: int, leg_id: int):
    """Delete a leg."""
    leg = _load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    if not ActionForm().validate_on_submit():
        abort(400)
    delete_leg(leg)
    db.session.commit()
    flash(_("Ruas perjalanan dihapus."), "success")
    return redirect(url_for("transport.route", event_id=event_id))


@bp.route("/events/<int:event_id>/transport/legs/<int:leg_id>/move", methods=["POST"])
@login_required
def move(event_id: int, leg_id: int):
    """Move a leg one place up or down in its trip."""
    leg = _load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        move_leg(leg, form.direction.data)
    except PlannerError:
        db.session.rollback()
        abort(400)
    db.session.commit()
    return redirect(url_for("transport.route", event_id=event_id) + f"#leg-{leg.id}")
