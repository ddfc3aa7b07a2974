"""Delegations of an event: quotas, heads, nominations, confirmations, substitutions.

One module per job: ``table`` (the organiser's list, create, edit, delete, remind),
``roster`` (a delegation's page, and the people outside any), ``members``
(nominate, add, paste, confirm, withdraw, replace), ``mine`` (a chapter head's list);
``common`` holds what they share.
"""

from flask import Blueprint

bp = Blueprint("delegations", __name__)

from planner.blueprints.delegations import members, mine, roster, table  # noqa: E402, F401
