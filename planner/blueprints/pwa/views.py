"""Manifest, service worker (at the root, so it may serve every page) and offline page."""

from __future__ import annotations

import hashlib

from flask import Response, render_template, url_for
from flask_babel import gettext as _

from planner.blueprints.pwa import bp

#: Files every page needs, stored when the service worker installs.
SHELL = [
    ("bootstrap.static", "css/bootstrap.min.css"),
    ("bootstrap.static", "umd/popper.min.js"),
    ("bootstrap.static", "js/bootstrap.min.js"),
    ("static", "vendor/bootstrap-icons/sprite.svg"),
    ("static", "planner.css"),
    ("static", "print.css"),
    ("static", "js/forms.js"),
    ("static", "js/pwa.js"),
    ("static", "js/offline-checkin.js"),
]


@bp.get("/sw.js")
def service_worker():
    """The service worker; its bytes change whenever a shell file does."""
    shell = [url_for(endpoint, filename=name) for endpoint, name in SHELL]
    shell.append(url_for("pwa.offline"))
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    body = render_template("pwa/sw.js", shell=shell, version=version)
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """What a phone needs to install Rombongan on its home screen."""
    response = Response(
        render_template(
            "pwa/manifest.webmanifest",
            name="Rombongan",
            description=_("Rencana acara dan perjalanan rombongan PSM"),
        ),
        mimetype="application/manifest+json",
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    """Shown in place of a page that was never stored, when there is no signal."""
    return render_template("pwa/offline.html")
