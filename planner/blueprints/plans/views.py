"""Plan pages: an event's plan as a download, and importing a plan as a new event."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from planner.blueprints.plans import bp
from planner.blueprints.plans.forms import ExportForm, ImportForm
from planner.commit import discard, save
from planner.errors import render_error
from planner.extensions import db
from planner.models import Event
from planner.permissions import can_create_event, can_manage_event, require
from planner.services import PlannerError
from planner.services.plans import (
    MAX_PLAN_BYTES,
    dump_plan,
    export_plan,
    import_plan,
    load_plan,
)

#: Notices shown one by one after an import; the rest are counted.
MAX_NOTICES = 10


def upload_limit() -> int:
    """Largest plan file the web page takes: the plan limit or the app's, if lower."""
    app_limit = current_app.config.get("MAX_CONTENT_LENGTH") or MAX_PLAN_BYTES
    return min(MAX_PLAN_BYTES, app_limit)


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


@bp.route("/events/<int:event_id>/plan", methods=["GET", "POST"])
@login_required
def show(event_id: int):
    """Download the event's plan file, with or without personal data."""
    event = db.one_or_404(
        db.select(Event)
        .options(selectinload(Event.organisers))
        .where(Event.id == event_id)
    )
    require(can_manage_event(current_user, event))
    form = ExportForm()
    if form.validate_on_submit():
        doc = export_plan(event, personal_data=bool(form.personal_data.data))
        response = make_response(dump_plan(doc))
        response.mimetype = "application/json"
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{event.slug}.rombongan.json"'
        )
        response.headers["Cache-Control"] = "no-store"
        return response
    return render_template(
        "plans/show.html",
        event=event,
        form=form,
        may_import=can_create_event(current_user),
    )


@bp.route("/plans/import", methods=["GET", "POST"])
@login_required
def upload():
    """Import a plan file as a new event: everything is checked first, all or nothing."""
    require(can_create_event(current_user))
    form = ImportForm()
    problems: list = []
    if form.validate_on_submit():
        limit = upload_limit()
        raw = form.file.data.read(limit + 1)
        if len(raw) > limit:
            raise RequestEntityTooLarge()

        def refused(exc: PlannerError) -> None:
            problems.extend(getattr(exc, "problems", ()))
            form.file.errors = [*form.file.errors, str(exc)]

        outcome = save(
            lambda: import_plan(
                load_plan(raw),
                slug=form.slug.data or None,
                title=form.title.data or None,
                by_user=current_user._get_current_object(),
            ),
            on_error=refused,
        )
        if outcome:
            result = outcome.value
            event = result.event
            flash(
                _(
                    "Rencana diimpor sebagai acara baru “%(title)s”: %(created)s orang "
                    "baru, %(matched)s orang sudah ada; %(places)s tempat baru.",
                    title=event.title,
                    created=result.created_people,
                    matched=result.matched_people,
                    places=result.created_places,
                ),
                "success",
            )
            for notice in result.notices[:MAX_NOTICES]:
                flash(notice, "warning")
            if len(result.notices) > MAX_NOTICES:
                flash(
                    _(
                        "…dan %(n)s catatan lain tentang akun yang tidak ada.",
                        n=len(result.notices) - MAX_NOTICES,
                    ),
                    "warning",
                )
            return redirect(url_for("events.show", event_id=event.id))
    return render_template(
        "plans/import.html",
        form=form,
        problems=problems,
        limit_mb=_megabytes(upload_limit()),
    )


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    """An upload over the limit: the import page again, saying so; nothing written."""
    discard()
    if request.endpoint != "plans.upload":
        return render_error(413)
    form = ImportForm(formdata=None)
    form.file.errors = [
        _(
            "Berkas lebih besar dari %(mb)s MB; tidak ada yang diimpor. Rencana "
            "sebesar ini dapat diimpor di server dengan perintah "
            "“flask plans import BERKAS”.",
            mb=_megabytes(upload_limit()),
        )
    ]
    return (
        render_template(
            "plans/import.html",
            form=form,
            problems=[],
            limit_mb=_megabytes(upload_limit()),
        ),
        413,
    )
