"""Views of the rosters: pages per delegation and for the whole event, downloads as
CSV, XLSX and PDF, and attendance sheets per event day.

Views only load, check permissions and set the content type, file name and caching
headers; the builders in :mod:`planner.exports` make the bytes.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, render_template, request, url_for
from flask_login import current_user, login_required

from planner.blueprints.downloads import download, send_export
from planner.blueprints.rosters import bp
from planner.blueprints.rosters.html import totals_rows
from planner.jobs.exports import ROSTER_BUILDERS, attendance_file, roster_file
from planner.permissions import (
    can_manage_event,
    can_view_delegate_contacts,
    can_view_delegation,
    require,
)
from planner.services.export_sizes import attendance_rows, roster_rows
from planner.services.rosters import (
    STATUS_FILTERS,
    load_delegation,
    load_event,
    load_roster,
    statuses_for,
)

#: Above this many rows, the whole-event page shows totals until a province is chosen.
INLINE_ROWS = 1000

BUILDERS = ROSTER_BUILDERS


def _province_arg() -> str | None:
    value = request.args.get("province", "")
    return value if re.fullmatch(r"\d{2}", value) else None


@bp.get("/")
@login_required
def index(event_id: int):
    """The whole event's roster grouped by province and delegation (organisers)."""
    event = load_event(event_id) or abort(404)
    require(can_manage_event(current_user, event))
    province = _province_arg()
    # A long roster shows only totals: count the delegates instead of loading them.
    roster = load_roster(
        event,
        status=request.args.get("status"),
        contacts=True,
        province=province,
        rows_up_to=None if province is not None else INLINE_ROWS,
    )
    inline = roster.has_rows
    return render_template(
        "rosters/index.html",
        event=event,
        roster=roster,
        inline=inline,
        province=province,
        statuses=STATUS_FILTERS,
        totals_rows=totals_rows,
    )


@bp.get("/export.<any(csv, xlsx, pdf):fmt>")
@login_required
def export(event_id: int, fmt: str):
    """Download the whole event's roster; the organiser's export shows full NIKs.
    A big XLSX or PDF becomes a job (CSV stays quick at any size)."""
    event = load_event(event_id) or abort(404)
    require(can_manage_event(current_user, event))
    status = request.args.get("status")
    return send_export(
        "roster",
        lambda: roster_file(event, fmt=fmt, status=status),
        rows=0 if fmt == "csv" else roster_rows(event, status=status),
        # The cleaned filter name: a hostile ?status= is not kept in the job.
        params={"event_id": event.id, "fmt": fmt, "status": statuses_for(status)[0]},
        back_url=url_for("rosters.index", event_id=event.id),
    )


@bp.get("/<int:delegation_id>")
@login_required
def delegation(event_id: int, delegation_id: int):
    """One delegation's roster: organisers and the delegation's own head."""
    item = load_delegation(event_id, delegation_id) or abort(404)
    require(can_view_delegation(current_user, item))
    roster = load_roster(
        item.event,
        delegation=item,
        status=request.args.get("status"),
        contacts=can_view_delegate_contacts(current_user, item),
    )
    return render_template(
        "rosters/delegation.html",
        event=item.event,
        delegation=item,
        roster=roster,
        statuses=STATUS_FILTERS,
        manager=can_manage_event(current_user, item.event),
    )


@bp.get("/<int:delegation_id>/export.<any(csv, xlsx, pdf):fmt>")
@login_required
def delegation_export(event_id: int, delegation_id: int, fmt: str):
    """Download one delegation's roster; NIKs masked unless an organiser asks."""
    item = load_delegation(event_id, delegation_id) or abort(404)
    require(can_view_delegation(current_user, item))
    roster = load_roster(
        item.event,
        delegation=item,
        status=request.args.get("status"),
        contacts=can_view_delegate_contacts(current_user, item),
        full_nik=can_manage_event(current_user, item.event),
    )
    build, mimetype = BUILDERS[fmt]
    return download(build(roster), mimetype, f"{item.event.title} - {item.name}", fmt)


@bp.get("/attendance/<day>.pdf")
@login_required
def attendance(event_id: int, day: str):
    """The daftar hadir of one event day, A4 portrait (organisers)."""
    event = load_event(event_id) or abort(404)
    require(can_manage_event(current_user, event))
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if when not in event.days:
        abort(404)
    return send_export(
        "attendance",
        lambda: attendance_file(event, when),
        rows=attendance_rows(event),
        params={"event_id": event.id, "day": when.isoformat()},
        back_url=url_for("rosters.index", event_id=event.id),
    )
