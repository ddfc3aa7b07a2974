"""Views of the manifests: an index per event, the driver's copy per vehicle and trip
(page, PDF, XLSX, and all vehicles of a trip as one PDF), and the ferry operator's
passenger manifest per ferry leg (organisers only: it holds NIKs).

Views only load, check permissions and set the content type, file name and caching
headers; the builders in :mod:`planner.exports.manifests` make the bytes.
"""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from planner.blueprints.downloads import download, send_export
from planner.blueprints.events import OVERVIEW_SECTIONS, OverviewSection
from planner.blueprints.manifests import bp
from planner.exports.manifests import (
    ferry_manifest_pdf,
    ferry_manifest_xlsx,
    ferry_totals,
    vehicle_manifest_xlsx,
    vehicle_manifests_pdf,
)
from planner.extensions import db
from planner.jobs.exports import trip_manifests_file
from planner.models import Event
from planner.permissions import (
    can_view_ferry_manifest,
    can_view_transport,
    require,
)
from planner.services.export_sizes import trip_manifest_rows
from planner.services.manifests import (
    load_ferry_leg,
    load_ferry_manifest,
    load_index,
    load_trip,
    load_vehicle,
    load_vehicle_manifests,
)

OVERVIEW_SECTIONS.append(OverviewSection("manifests/_card.html", "travel"))

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _vehicle_manifest(event_id: int, trip_id: int, vehicle_id: int):
    trip = load_trip(event_id, trip_id) or abort(404)
    require(can_view_transport(current_user, trip.event))
    vehicle = load_vehicle(event_id, vehicle_id) or abort(404)
    return trip, load_vehicle_manifests(trip, [vehicle])[0]


def _ferry_manifest(event_id: int, leg_id: int):
    leg = load_ferry_leg(event_id, leg_id) or abort(404)
    require(can_view_ferry_manifest(current_user, leg.event))
    return leg, load_ferry_manifest(leg)


@bp.get("/")
@login_required
def index(event_id: int):
    """The event's manifests: per trip, each vehicle's and each ferry leg's."""
    event = db.one_or_404(
        db.select(Event)
        .where(Event.id == event_id)
        .options(selectinload(Event.organisers), selectinload(Event.delegations))
    )
    require(can_view_transport(current_user, event))
    return render_template(
        "manifests/index.html",
        event=event,
        trips=load_index(event),
        ferry=can_view_ferry_manifest(current_user, event),
    )


@bp.get("/trips/<int:trip_id>/vehicles/<int:vehicle_id>")
@login_required
def vehicle(event_id: int, trip_id: int, vehicle_id: int):
    """The driver's copy of one vehicle for one trip, as a page."""
    trip, manifest = _vehicle_manifest(event_id, trip_id, vehicle_id)
    return render_template(
        "manifests/vehicle.html", event=trip.event, trip=trip, m=manifest
    )


@bp.get("/trips/<int:trip_id>/vehicles/<int:vehicle_id>.pdf")
@login_required
def vehicle_pdf(event_id: int, trip_id: int, vehicle_id: int):
    """The driver's copy of one vehicle for one trip, A4 PDF."""
    trip, manifest = _vehicle_manifest(event_id, trip_id, vehicle_id)
    name = f"Manifes {manifest.label} {trip.name} - {trip.event.title}"
    return download(vehicle_manifests_pdf([manifest]), "application/pdf", name, "pdf")


@bp.get("/trips/<int:trip_id>/vehicles/<int:vehicle_id>.xlsx")
@login_required
def vehicle_xlsx(event_id: int, trip_id: int, vehicle_id: int):
    """The driver's copy of one vehicle for one trip, XLSX."""
    trip, manifest = _vehicle_manifest(event_id, trip_id, vehicle_id)
    name = f"Manifes {manifest.label} {trip.name} - {trip.event.title}"
    return download(vehicle_manifest_xlsx(manifest), XLSX, name, "xlsx")


@bp.get("/trips/<int:trip_id>/vehicles.pdf")
@login_required
def trip_pdf(event_id: int, trip_id: int):
    """Every vehicle's copy for one trip as one A4 PDF, each from a new page."""
    trip = load_trip(event_id, trip_id) or abort(404)
    require(can_view_transport(current_user, trip.event))
    return send_export(
        "trip_manifests",
        lambda: trip_manifests_file(trip),
        rows=trip_manifest_rows(trip),
        params={"event_id": event_id, "trip_id": trip.id},
        back_url=url_for("manifests.index", event_id=event_id),
    )


@bp.get("/legs/<int:leg_id>")
@login_required
def leg(event_id: int, leg_id: int):
    """The passenger manifest of one ferry leg, as a page (organisers)."""
    item, manifest = _ferry_manifest(event_id, leg_id)
    return render_template(
        "manifests/leg.html",
        event=item.event,
        leg=item,
        m=manifest,
        totals=ferry_totals(manifest),
    )


@bp.get("/legs/<int:leg_id>.pdf")
@login_required
def leg_pdf(event_id: int, leg_id: int):
    """The passenger manifest of one ferry leg, A4 PDF (organisers)."""
    item, manifest = _ferry_manifest(event_id, leg_id)
    name = _ferry_name(manifest)
    return download(ferry_manifest_pdf(manifest), "application/pdf", name, "pdf")


@bp.get("/legs/<int:leg_id>.xlsx")
@login_required
def leg_xlsx(event_id: int, leg_id: int):
    """The passenger manifest of one ferry leg, XLSX (organisers)."""
    item, manifest = _ferry_manifest(event_id, leg_id)
    return download(ferry_manifest_xlsx(manifest), XLSX, _ferry_name(manifest), "xlsx")


def _ferry_name(manifest) -> str:
    leg = manifest.leg
    return f"Manifes kapal {leg.from_name} - {leg.to_name} {leg.departs_on.isoformat()}"
