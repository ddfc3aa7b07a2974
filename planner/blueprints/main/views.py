"""Home page, language switch and health check."""

from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from flask_login import current_user

from planner.blueprints.main import bp
from planner.extensions import db


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow local paths, never another host (open-redirect guard)."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return fallback
    return target


@bp.route("/")
def index():
    """Send people where their work is: the event list, or the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for("events.index"))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Switch the interface language and go back to the page the user was on."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.get("/health")
def health():
    """Liveness for a process manager: the database answers."""
    db.session.execute(db.select(1))
    return {"status": "ok"}
