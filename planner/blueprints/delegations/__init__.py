"""Delegations of an event: quotas, heads, nominations, confirmations, substitutions."""

from flask import Blueprint

bp = Blueprint("delegations", __name__)

from planner.blueprints.delegations import views  # noqa: E402, F401
