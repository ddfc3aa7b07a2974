"""Views of the rosters: pages per delegation and for the whole event, downloads as
CSV, XLSX and PDF, and attendance sheets per event day.

Views only load, check permissions and set the content type, file name and caching
headers; the builders in :mod:`planner.exports` make the bytes.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from flask import Response, abort, render_template, request
from flask_login import current_user, login_required

from planner.blueprints.rosters import bp
from planner.exports.attendance import attendance_pdf
from planner.exports.rosters import roster_csv, roster_pdf, roster_title, roster_xlsx
from planner.permissions import (
    can_manage_event,
    can_view_delegate_contacts,
    can_view_delegation,
    require,
)
from planner.services.events import slugify
from planner.services.rosters import (
    STATUS_FILTERS,
    load_attendance,
    load_delegation,
    load_event,
    load_roster,
)

#: Above this many rows, the whole-event page shows totals until a province is chosen.
INLINE_ROWS = 1000

BUILDERS = {
    "csv": (roster_csv, "text/csv; charset=utf-8"),
    "xlsx": (
        roster_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": (roster_pdf, "application/pdf"),
}


def _province_arg() -> str | None:
    value = request.args.get("province", "")
    return value if re.fullmatch(r"\d{2}", value) else None


def download(data: bytes, mimetype: str, name: str, extension: str) -> Response:
    """The bytes as an attachment: ASCII file name plus RFC 5987 ``filename*``."""
    ascii_name = (slugify(name)[:80].strip("-") or "rombongan") + "." + extension
    utf8_name = quote(f"{name[:120]}.{extension}", safe="")
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    )
    # Names, phones and NIKs: never kept by a shared cache or the browser's disk.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


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
    )


@bp.get("/export.<any(csv, xlsx, pdf):fmt>")
@login_required
def export(event_id: int, fmt: str):
    """Download the whole event's roster; the organiser's export shows full NIKs."""
    event = load_event(event_id) or abort(404)
    require(can_manage_event(current_user, event))
    roster = load_roster(
        event, status=request.args.get("status"), contacts=True, full_nik=True
    )
    build, mimetype = BUILDERS[fmt]
    return download(
        build(roster), mimetype, f"{event.title} - {roster_title(roster)}", fmt
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
    sheet = load_attendance(event, when)
    return download(
        attendance_pdf(sheet),
        "application/pdf",
        f"Daftar hadir {event.title} {when.isoformat()}",
        "pdf",
    )
