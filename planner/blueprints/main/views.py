"""Home page, language switch and health check."""

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from planner.blueprints.main import bp
from planner.extensions import db

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


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


@bp.before_app_request
def refuse_nul_bytes():
    """No person types a NUL byte, and PostgreSQL cannot store one: answer 400 early."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        abort(400)


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
