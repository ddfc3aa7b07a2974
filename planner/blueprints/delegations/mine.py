"""A chapter head's own list: every delegation they answer for, with progress."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_login import current_user, login_required

from planner.blueprints.delegations import bp
from planner.models import EventStatus
from planner.services.delegations import (
    active_counts,
    deadline_passed,
    delegations_answered_by,
)
from planner.services.reminders import time_left


@bp.get("/my/delegations")
@login_required
def mine():
    """Every delegation the user answers for in published events, with progress."""
    delegations = delegations_answered_by(current_user)
    nominated = active_counts(delegations)
    today = date.today()
    current = [
        d
        for d in delegations
        if d.event.ends_on >= today and d.event.status != EventStatus.CANCELLED
    ]
    past = [d for d in delegations if d not in current]
    return render_template(
        "delegations/mine.html",
        current=current,
        past=past,
        nominated=nominated,
        time_left=time_left,
        deadline_passed=deadline_passed,
    )
