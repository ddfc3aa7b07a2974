"""Plan pages: an event's plan as a download, and importing a plan as a new event."""

from __future__ import annotations

from flask import (
    current_app,
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

from planner import jobs
from planner.blueprints.jobs.views import announce
from planner.blueprints.plans import bp
from planner.blueprints.plans.forms import ExportForm, ImportForm
from planner.commit import discard
from planner.errors import render_error
from planner.extensions import db
from planner.jobs import store
from planner.models import Event
from planner.permissions import can_create_event, can_manage_event, require
from planner.services.plans import MAX_PLAN_BYTES


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
        try:
            record = jobs.start(
                "plan_export",
                user=current_user._get_current_object(),
                params={
                    "event_id": event.id,
                    "personal_data": bool(form.personal_data.data),
                },
                back_url=url_for("plans.show", event_id=event.id),
            )
        except jobs.JobsUnavailable as exc:
            form.form_errors.append(str(exc))
        else:
            content = store.read_file(record.id, "result")
            if record.status != jobs.DONE or content is None:
                return redirect(url_for("jobs.show", job_id=record.id))
            # Built in this request (no queue): the file straight away, as before.
            response = make_response(content)
            response.mimetype = "application/json"
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{record.file_name}"'
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
    problems = []
    if form.validate_on_submit():
        limit = upload_limit()
        raw = form.file.data.read(limit + 1)
        if len(raw) > limit:
            raise RequestEntityTooLarge()
        try:
            record = jobs.start(
                "plan_import",
                user=current_user._get_current_object(),
                params={"slug": form.slug.data or "", "title": form.title.data or ""},
                input=raw,
                back_url=url_for("plans.upload"),
            )
        except jobs.JobsUnavailable as exc:
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            if record.status == jobs.REFUSED:
                problems = record.problems
                form.file.errors = [*form.file.errors, record.message]
            elif record.status == jobs.DONE:
                announce(record)
                return redirect(
                    url_for("events.show", event_id=record.result["event_id"])
                )
            else:
                return redirect(url_for("jobs.show", job_id=record.id))
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
