"""Stays at hotels, rooms, who sleeps where, and rooming lists of an event."""

from flask import Blueprint

bp = Blueprint("rooms", __name__, url_prefix="/events/<int:event_id>/rooms")


@bp.app_template_global("stays_of")
def _stays_of(delegate):
    """Where a delegate sleeps, for pages outside this blueprint ("Perjalanan saya",
    the delegate's card): a section is an include, no view changes."""
    from planner.services.rooms.personal import stays_of

    return stays_of(delegate)


@bp.app_template_global("stays_of_many")
def _stays_of_many(delegates):
    """Where each of several delegates sleeps, by delegate id, in one go."""
    from planner.services.rooms.personal import stays_of_many

    return stays_of_many(d.id for d in delegates)


@bp.app_template_global("room_numbers")
def _room_numbers(event):
    """The beds figure of the event overview (None: no stay booked)."""
    from planner.services.rooms import room_numbers

    return room_numbers(event)


from planner.blueprints.rooms import views  # noqa: E402, F401
