"""Meals (konsumsi) of an event: portions per meal from the run-down, and the
caterer's order sheet."""

from flask import Blueprint

bp = Blueprint("meals", __name__, url_prefix="/events/<int:event_id>/meals")


@bp.app_template_global("meal_days")
def _meal_days(event):
    """The meals of the event per day, for the overview's tile."""
    from planner.services.meals import meal_days

    return meal_days(event)


from planner.blueprints.meals import views  # noqa: E402, F401
