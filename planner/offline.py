"""Which pages a phone keeps for when there is no signal (docs/offline.md).

The service worker (``planner/templates/pwa/sw.js``) stores a page it fetched only when
the answer carries ``X-Offline-Keep``; this module adds that header to the pages people
need away from signal — a participant's trip, card and calendar page; an organiser's
offline check-in, manifests and run-down — and to nothing else. Everything stored is
removed when the person signs out (``planner/static/js/pwa.js``).
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Endpoints whose pages are kept on the phone after a visit.
KEPT_ENDPOINTS = frozenset(
    {
        "transport.my_trip",
        "checkin.card",
        "feeds.delegate",
        "checkin.offline",
        "manifests.index",
        "manifests.vehicle",
        "manifests.leg",
        "agenda.index",
        "rooms.index",
        "rooms.stay",
        "rooms.mine",
    }
)
HEADER = "X-Offline-Keep"


def keep_offline(response: Response) -> Response:
    """Mark a page as one the phone may keep."""
    response.headers[HEADER] = "1"
    return response


def _mark(response: Response) -> Response:
    if (
        request.method == "GET"
        and request.endpoint in KEPT_ENDPOINTS
        and response.status_code == 200
        and response.mimetype == "text/html"
    ):
        keep_offline(response)
    return response


def register(app: Flask) -> None:
    app.after_request(_mark)
    app.jinja_env.globals["offline_kept"] = KEPT_ENDPOINTS
