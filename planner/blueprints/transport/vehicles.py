"""The vehicles of an event: list, add, change and delete.

A vehicle is deleted only once no leg and no seat uses it (the page says what to
remove first): deleting a van must never silently empty a passenger list.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner import labels
from planner.blueprints.transport import bp
from planner.blueprints.transport.common import load_event, load_vehicle, manage
from planner.blueprints.transport.forms import ActionForm, VehicleForm
from planner.commit import save
from planner.extensions import db
from planner.models import Event, Trip, Vehicle
from planner.permissions import can_manage_transport, can_view_transport, require
from planner.services.people import format_phone
from planner.services.transport import (
    create_vehicle,
    delete_vehicle,
    seat_counts_by_trip,
    update_vehicle,
)


@bp.route("/events/<int:event_id>/transport/vehicles")
@login_required
def vehicles(event_id: int):
    """The event's vehicles, with seats taken on each trip."""
    event = load_event(event_id)
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
    event = manage(event_id)
    form = VehicleForm()
    if form.validate_on_submit():
        vehicle = save(lambda: create_vehicle(event, data=form.data), form=form).value
        if vehicle is not None:
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
    vehicle = load_vehicle(event_id, vehicle_id)
    event = vehicle.event
    require(can_manage_transport(current_user, event))
    form = VehicleForm(obj=vehicle if request.method == "GET" else None)
    if form.validate_on_submit() and save(
        lambda: update_vehicle(vehicle, data=form.data), form=form
    ):
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
    vehicle = load_vehicle(event_id, vehicle_id)
    require(can_manage_transport(current_user, vehicle.event))
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    label = vehicle.label
    if save(lambda: delete_vehicle(vehicle)):
        flash(_("Kendaraan %(label)s dihapus.", label=label), "success")
    return redirect(url_for("transport.vehicles", event_id=event_id))
