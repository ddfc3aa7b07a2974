"""Vehicles, trips, legs and seats of an event, and each participant's own trip.

One module per job: ``vehicles``, ``route`` (the trips), ``legs``, ``seats`` (a
trip's seats and ``/my/trip``); ``common`` holds the loading they share.
"""

from flask import Blueprint

bp = Blueprint("transport", __name__)

from planner.blueprints.transport import legs, route, seats, vehicles  # noqa: E402, F401
