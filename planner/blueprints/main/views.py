"""Home page, language switch and health check."""

from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, session, url_for
from flask_login import current_user

from planner.blueprints.main import bp
from planner.commit import save
from planner.extensions import db
from planner.models.event import event_organisers
from planner.services.accounts import remember_language

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


def landing_url(user) -> str:
    """Where a signed-in user's work is, the strongest role first: organisers and
    admins their own events, chapter heads their delegations, participants their
    trips (with their card and calendar); anyone else the event list."""
    if user.is_admin or user.is_organiser:
        organises = db.session.scalar(
            db.select(event_organisers.c.event_id)
            .where(event_organisers.c.user_id == user.id)
            .limit(1)
        )
        if organises is not None:
            return url_for("events.index", mine=1)
        return url_for("events.index")
    if user.is_chapter_head:
        return url_for("delegations.mine")
    if user.is_participant:
        return url_for("transport.my_trip")
    return url_for("events.index")


@bp.route("/")
def index():
    """Send people where their work is (see :func:`landing_url`), or to sign in."""
    if current_user.is_authenticated:
        return redirect(landing_url(current_user))
    return redirect(url_for("auth.login"))


@bp.post("/language")
def set_language():
    """Switch the interface language and go back to the page the user was on."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            save(lambda: remember_language(current_user._get_current_object(), lang))
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.get("/health")
def health():
    """Liveness for a process manager: the database answers."""
    db.session.execute(db.select(1))
    return {"status": "ok"}
