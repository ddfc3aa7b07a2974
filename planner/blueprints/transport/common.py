"""What the vehicle, route and leg pages share: loading by both ids, the
permission check, the route page's address."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Event, Leg, Place, Vehicle
from planner.permissions import can_manage_transport, require


def load_event(event_id: int) -> Event:
    """The event with this id, or 404."""
    return db.one_or_404(db.select(Event).where(Event.id == event_id))


def load_vehicle(event_id: int, vehicle_id: int) -> Vehicle:
    """A vehicle looked up by both ids, or 404."""
    return db.one_or_404(
        db.select(Vehicle)
        .options(joinedload(Vehicle.event))
        .filter_by(id=vehicle_id, event_id=event_id)
    )


def load_leg(event_id: int, leg_id: int) -> Leg:
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


def manage(event_id: int) -> Event:
    """The event, for those who may manage its transport (403 otherwise)."""
    event = load_event(event_id)
    require(can_manage_transport(current_user, event))
    return event


def route_url(event: Event) -> str:
    """The route page: the event's trips and their legs."""
    return url_for("transport.route", event_id=event.id)
