"""Regions: provinces and regencies/cities (pages and ``flask regions`` commands)."""

from flask import Blueprint

bp = Blueprint("regions", __name__, url_prefix="/regions")

from planner.blueprints.regions import cli, views  # noqa: E402, F401
