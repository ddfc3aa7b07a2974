"""A job's page (progress, then its result), its JSON status, its file, a retry.

Only the person who started a job, or an admin, gets an answer; everyone else gets
404, as for a job that does not exist.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner import jobs
from planner.blueprints.downloads import download as send_download
from planner.blueprints.jobs import bp
from planner.blueprints.jobs.forms import RetryForm
from planner.jobs import store

#: Notices shown one by one after a plan import; the rest are counted.
MAX_NOTICES = 10


def _mine(job_id: str) -> jobs.JobRecord:
    """The job, or 404 unless the current user started it or is an admin."""
    record = jobs.status(job_id)
    if record is None or not jobs.may_see(current_user, record):
        abort(404)
    return record


def announce(record: jobs.JobRecord) -> None:
    """Flash what a finished job did, in the words its page used before jobs."""
    result = record.result or {}
    if record.kind == "import_commit":
        flash(
            _(
                "Impor selesai: %(nominated)s orang diusulkan (%(created)s orang baru), "
                "%(skipped)s sudah terdaftar dan dilewati.",
                nominated=result.get("nominated", 0),
                created=result.get("created", 0),
                skipped=result.get("skipped", 0),
            ),
            "success",
        )
    elif record.kind == "plan_import":
        flash(
            _(
                "Rencana diimpor sebagai acara baru “%(title)s”: %(created)s orang "
                "baru, %(matched)s orang sudah ada; %(places)s tempat baru.",
                title=result.get("title", ""),
                created=result.get("created", 0),
                matched=result.get("matched", 0),
                places=result.get("places", 0),
            ),
            "success",
        )
        notices = result.get("notices") or []
        for notice in notices[:MAX_NOTICES]:
            flash(notice, "warning")
        if len(notices) > MAX_NOTICES:
            flash(
                _(
                    "…dan %(n)s catatan lain tentang akun yang tidak ada.",
                    n=len(notices) - MAX_NOTICES,
                ),
                "warning",
            )


def title_of(record: jobs.JobRecord) -> str:
    return {
        "import_preview": _("Memeriksa berkas impor"),
        "import_commit": _("Mengimpor peserta"),
        "plan_export": _("Menyiapkan berkas rencana"),
        "plan_import": _("Mengimpor rencana"),
        "export": _("Menyiapkan berkas unduhan"),
    }.get(record.kind, _("Pekerjaan"))


@bp.get("/<job_id>")
@login_required
def show(job_id: str):
    """The job's progress (refreshing itself), then where its result is."""
    record = _mine(job_id)
    if record.retried_by:
        return redirect(url_for("jobs.show", job_id=record.retried_by))
    if record.status == jobs.DONE and not record.file_name:
        target = record.next_url
        if not target and (record.result or {}).get("event_id"):
            target = url_for("events.show", event_id=record.result["event_id"])
        if target:
            announce(record)
            return redirect(target)
    return render_template(
        "jobs/show.html",
        job=record,
        title=title_of(record),
        form=RetryForm(),
        refresh=not record.finished,
    )


@bp.get("/<job_id>/status")
@login_required
def status(job_id: str):
    """How far the job got, as JSON (the progress page polls it)."""
    record = _mine(job_id)
    response = jsonify(
        status=record.status,
        done=record.done,
        total=record.total,
        percent=record.percent,
        finished=record.finished,
        message=record.message,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<job_id>/download")
@login_required
def download(job_id: str):
    """The file the job made."""
    record = _mine(job_id)
    content = (
        store.read_file(record.id, "result") if record.status == jobs.DONE else None
    )
    if content is None or not record.file_name:
        abort(404)
    result = record.result or {}
    if record.kind == "export" and result.get("name"):
        # The same name and headers as the direct download of a small export.
        return send_download(
            content, record.mimetype, result["name"], result["extension"]
        )
    response = make_response(content)
    response.mimetype = record.mimetype or "application/octet-stream"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{record.file_name}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<job_id>/retry")
@login_required
def retry(job_id: str):
    """Start a failed job again with the same file and choices."""
    record = _mine(job_id)
    form = RetryForm()
    if not form.validate_on_submit():
        abort(400)
    if record.status != jobs.FAILED:
        return redirect(url_for("jobs.show", job_id=record.id))
    try:
        again = jobs.retry(record, user=current_user._get_current_object())
    except jobs.JobsUnavailable as exc:
        flash(str(exc), "danger")
        return redirect(url_for("jobs.show", job_id=record.id))
    return redirect(url_for("jobs.show", job_id=again.id))
