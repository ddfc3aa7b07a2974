"""The installable web app: manifest, service worker and the page shown offline."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from planner.blueprints.pwa import views  # noqa: E402, F401
