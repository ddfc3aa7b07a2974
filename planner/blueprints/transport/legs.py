"""The legs of a trip: add one (starting where the trip's last one ended), change,
copy to the next day, delete, and move up or down."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from planner import labels
from planner.blueprints.transport import bp
from planner.blueprints.transport.common import load_leg, manage, route_url
from planner.blueprints.transport.forms import ActionForm, LegForm, MoveForm
from planner.commit import save
from planner.extensions import db
from planner.formatting import to_zone
from planner.models import Delegation, Event, Leg, Place, PlaceKind, Trip, Vehicle
from planner.permissions import can_manage_transport, require
from planner.services import PlannerError
from planner.services.transport import (
    create_leg,
    delete_leg,
    duplicate_leg,
    move_leg,
    next_leg_defaults,
    place_timezone,
    update_leg,
)

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
    event = manage(event_id)
    form = LegForm()
    _fill_choices(form, event)
    if not form.trip_id.choices:
        flash(_("Buat perjalanan dahulu (misalnya Berangkat dan Pulang)."), "warning")
        return redirect(route_url(event))
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
        if trip is None:
            form.trip_id.errors = [
                *form.trip_id.errors,
                _("Pilih perjalanan dari daftar."),
            ]
        elif save(lambda: create_leg(trip, data=form.data), form=form):
            flash(_("Ruas perjalanan ditambahkan."), "success")
            return redirect(route_url(event) + f"#trip-{trip.id}")
    return _leg_form_page(event, form, None)


@bp.route(
    "/events/<int:event_id>/transport/legs/<int:leg_id>/edit", methods=["GET", "POST"]
)
@login_required
def edit_leg(event_id: int, leg_id: int):
    """Change a leg."""
    leg = load_leg(event_id, leg_id)
    event = leg.event
    require(can_manage_transport(current_user, event))
    form = LegForm()
    _fill_choices(form, event)
    if request.method == "GET":
        from_tz = place_timezone(leg.from_place, event)
        to_tz = place_timezone(leg.to_place, event)
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
    if form.validate_on_submit() and save(
        lambda: update_leg(leg, data=form.data), form=form
    ):
        flash(_("Ruas perjalanan disimpan."), "success")
        return redirect(route_url(event) + f"#leg-{leg.id}")
    return _leg_form_page(event, form, leg)


@bp.post("/events/<int:event_id>/transport/legs/<int:leg_id>/duplicate")
@login_required
def copy_leg(event_id: int, leg_id: int):
    """Copy a leg one day later and open the copy to adjust it."""
    leg = load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = save(lambda: duplicate_leg(leg)).value
    if copy is None:
        return redirect(route_url(leg.event))
    flash(_("Ruas disalin ke hari berikutnya; sesuaikan bila perlu."), "success")
    return redirect(url_for("transport.edit_leg", event_id=event_id, leg_id=copy.id))


@bp.route("/events/<int:event_id>/transport/legs/<int:leg_id>/delete", methods=["POST"])
@login_required
def remove_leg(event_id: int, leg_id: int):
    """Delete a leg."""
    leg = load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    if not ActionForm().validate_on_submit():
        abort(400)
    if save(lambda: delete_leg(leg)):
        flash(_("Ruas perjalanan dihapus."), "success")
    return redirect(url_for("transport.route", event_id=event_id))


@bp.route("/events/<int:event_id>/transport/legs/<int:leg_id>/move", methods=["POST"])
@login_required
def move(event_id: int, leg_id: int):
    """Move a leg one place up or down in its trip."""
    leg = load_leg(event_id, leg_id)
    require(can_manage_transport(current_user, leg.event))
    form = MoveForm()
    if not form.validate_on_submit() or not save(
        lambda: move_leg(leg, form.direction.data), on_error=_bad_request
    ):
        abort(400)
    return redirect(url_for("transport.route", event_id=event_id) + f"#leg-{leg.id}")


def _bad_request(exc: PlannerError) -> None:
    """A move the trip cannot make (first leg up, last leg down) answers 400, below."""
