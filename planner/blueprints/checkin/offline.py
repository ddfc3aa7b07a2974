"""Check-in that works without signal: the page, the list it keeps on the phone, and the
endpoint its queue is sent to (docs/offline.md)."""

from __future__ import annotations

from flask import jsonify, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from planner.blueprints.checkin import bp
from planner.commit import save
from planner.extensions import db
from planner.models import ACTIVE_STATUSES, Delegate, Event
from planner.offline import keep_offline
from planner.permissions import can_check_in, can_view_ferry_manifest, require
from planner.services import PlannerError
from planner.services.checkins import (
    MAX_RECORDS,
    apply_records,
    offline_pages,
    parse_records,
)


def _load_event(event_id: int) -> Event:
    return db.get_or_404(Event, event_id)


@bp.get("/offline")
@login_required
def offline(event_id: int):
    """The check-in page that keeps working with no signal (its data lives on the phone)."""
    event = _load_event(event_id)
    require(can_check_in(current_user, event))
    response = make_response(
        render_template(
            "checkin/offline.html",
            event=event,
            list_url=url_for("checkin.offline_list", event_id=event.id),
            sync_url=url_for("checkin.sync", event_id=event.id),
            keep_urls=_pages_to_keep(event),
            max_records=MAX_RECORDS,
        )
    )
    # The one page allowed the camera: it reads participants' cards.
    response.headers["Permissions-Policy"] = (
        "camera=(self), microphone=(), geolocation=(), payment=()"
    )
    return keep_offline(response)


def _pages_to_keep(event: Event) -> list[str]:
    """This page, today's and tomorrow's manifests and the run-down (docs/offline.md)."""
    pages = offline_pages(event)
    urls = [
        url_for("checkin.offline", event_id=event.id),
        # The QR decoder for phones without BarcodeDetector (kept by the worker).
        url_for("static", filename="vendor/jsqr/jsQR.js"),
        url_for("manifests.index", event_id=event.id),
        url_for("agenda.index", event_id=event.id),
    ]
    urls += [
        url_for("manifests.vehicle", event_id=event.id, trip_id=t, vehicle_id=v)
        for t, v in pages.trip_vehicles
    ]
    if pages.stays:
        urls.append(url_for("rooms.index", event_id=event.id))
        urls += [
            url_for("rooms.stay", event_id=event.id, stay_id=s) for s in pages.stays
        ]
    if can_view_ferry_manifest(current_user, event):
        urls += [
            url_for("manifests.leg", event_id=event.id, leg_id=leg)
            for leg in pages.ferry_legs
        ]
    return urls


@bp.get("/offline/list.json")
@login_required
def offline_list(event_id: int):
    """Everyone who may be checked in, for the phone to keep: id, name, delegation,
    status and the moment they were checked in."""
    event = _load_event(event_id)
    require(can_check_in(current_user, event))
    delegates = db.session.scalars(
        db.select(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
        .options(joinedload(Delegate.person), joinedload(Delegate.delegation))
        .order_by(Delegate.id)
    ).all()
    response = jsonify(
        event={"id": event.id, "title": event.title, "timezone": event.timezone},
        delegates=[
            {
                "id": d.id,
                "name": d.person.formal_name,
                "delegation": d.delegation.name if d.delegation else "",
                "status": d.status.value,
                "attended_at": d.attended_at.isoformat() if d.attended_at else None,
            }
            for d in sorted(delegates, key=lambda d: (d.person.formal_name, d.id))
        ],
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/sync")
@login_required
def sync(event_id: int):
    """Receive a phone's queue of check-ins; each record is applied once."""
    event = _load_event(event_id)
    require(can_check_in(current_user, event))
    payload = request.get_json(silent=True)
    try:
        records = parse_records(payload)
    except PlannerError as exc:
        return jsonify(error=str(exc)), 400
    user = current_user._get_current_object()
    outcome = save(
        lambda: apply_records(event, records, by=user), on_error=lambda exc: None
    )
    if not outcome:
        return jsonify(error=str(outcome.error)), 409
    return jsonify(outcome.value.as_json())
