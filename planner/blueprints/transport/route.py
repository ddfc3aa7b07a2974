"""The route of an event: its trips in order with their legs, computed estimates and
itinerary warnings; the usual trips in one click, a named trip, the way back."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from planner import labels
from planner.blueprints.transport import bp
from planner.blueprints.transport.common import load_event, manage, route_url
from planner.blueprints.transport.forms import (
    ActionForm,
    MoveForm,
    ReturnTripForm,
    TripForm,
)
from planner.commit import save
from planner.extensions import db
from planner.models import Leg, Place, Trip
from planner.permissions import can_manage_transport, can_view_transport, require
from planner.services.transport import (
    create_default_trips,
    create_trip,
    estimate,
    format_duration,
    itinerary_warnings,
    make_return_trip,
    place_timezone,
    seat_counts_by_trip,
)


@bp.route("/events/<int:event_id>/transport/")
@login_required
def route(event_id: int):
    """The event's trips in order, each with its legs, estimates and warnings."""
    event = load_event(event_id)
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
    event = manage(event_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if save(lambda: create_default_trips(event)).value:
        flash(_("Perjalanan Berangkat dan Pulang dibuat."), "success")
    return redirect(route_url(event))


@bp.route("/events/<int:event_id>/transport/trips/new", methods=["GET", "POST"])
@login_required
def new_trip(event_id: int):
    """Add a named trip to the event."""
    event = manage(event_id)
    form = TripForm()
    if form.validate_on_submit():
        trip = save(lambda: create_trip(event, data=form.data), form=form).value
        if trip is not None:
            flash(_("Perjalanan %(name)s dibuat.", name=trip.name), "success")
            return redirect(route_url(event))
    return render_template("transport/trip_form.html", event=event, form=form)


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

    event = manage(event_id)
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
        return redirect(route_url(event))
    form = ReturnTripForm()
    if request.method == "GET":
        form.name.data = RETURN_TRIP if trip.name != RETURN_TRIP else ""
        form.departs_on.data = event.ends_on

    def make_return():
        target = make_return_trip(trip, data=form.data)
        return target, copy_seats(trip, target) if form.copy_seats.data else 0

    if form.validate_on_submit():
        outcome = save(make_return, form=form)
        if outcome:
            target, copied = outcome.value
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
            return redirect(route_url(event) + f"#trip-{target.id}")
    return render_template(
        "transport/return_trip.html",
        event=event,
        trip=trip,
        form=form,
        start=trip.legs[-1].to_place,
    )
