"""Rosters per region and attendance sheets (daftar hadir), as pages, CSV, XLSX and PDF."""

from flask import Blueprint

bp = Blueprint("rosters", __name__, url_prefix="/events/<int:event_id>/rosters")

from planner.blueprints.rosters import views  # noqa: E402, F401
