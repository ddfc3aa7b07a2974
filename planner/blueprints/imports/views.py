"""Import pages: upload → (map columns) → preview → import, one upload at a time.

The uploaded file waits in ``instance/uploads/`` under a random name; the session only
remembers which names belong to this user and event (and the chosen columns), so a
stale or someone else's upload id is refused. Reading and checking the rows, and the
import itself, are jobs (:mod:`planner.jobs`): with a queue the person watches a
progress page; without one they run in the request, as before.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from types import SimpleNamespace

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner import jobs
from planner.blueprints.imports import bp
from planner.blueprints.imports.forms import (
    ConfirmForm,
    UploadForm,
    chosen_mapping,
    columns_form,
)
from planner.blueprints.jobs.views import announce
from planner.extensions import db
from planner.jobs.tasks import PREVIEW_ROWS
from planner.models import Event
from planner.permissions import can_manage_delegations, require, sees_all_people
from planner.services import PlannerError
from planner.services.imports import (
    ALLOWED_EXTENSIONS,
    FIELDS,
    MAX_UPLOAD_BYTES,
    check_mapping,
    file_extension,
)

#: Seconds an upload waits for its next step before it is stale.
UPLOAD_MAX_AGE = 2 * 60 * 60
#: Uploads a session keeps track of at once (older ones are forgotten and deleted).
MAX_PENDING = 5
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
_SESSION_KEY = "imports"


def _upload_dir() -> Path:
    """Where uploads wait: ``IMPORT_UPLOAD_DIR``, by default ``instance/uploads``."""
    configured = current_app.config.get("IMPORT_UPLOAD_DIR")
    path = (
        Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _upload_path(token: str, extension: str) -> Path:
    return _upload_dir() / f"{token}.{extension}"


def _load_event(event_id: int) -> Event:
    """The event, or 404; then 403 unless the user manages its delegations."""
    event = db.get_or_404(Event, event_id)
    require(can_manage_delegations(current_user, event))
    return event


def _pending() -> dict:
    return dict(session.get(_SESSION_KEY) or {})


def _forget(token: str) -> None:
    """Delete an upload's file and its session entry."""
    pending = _pending()
    entry = pending.pop(token, None)
    session[_SESSION_KEY] = pending
    if entry and _TOKEN.match(token) and entry.get("ext") in ("xlsx", "csv"):
        _upload_path(token, entry["ext"]).unlink(missing_ok=True)


def _remember(content: bytes, filename: str, event: Event) -> str:
    """Store the file under a random name and note it in the session."""
    token = secrets.token_urlsafe(18)
    extension = file_extension(filename)
    _upload_path(token, extension).write_bytes(content)
    pending = _pending()
    for old in sorted(pending, key=lambda t: pending[t].get("at", 0))[
        : max(len(pending) - MAX_PENDING + 1, 0)
    ]:
        _forget(old)
        pending.pop(old, None)
    pending[token] = {
        "event": event.id,
        "user": current_user.id,
        "name": filename[-120:],
        "ext": extension,
        "at": time.time(),
        "mapping": None,
    }
    session[_SESSION_KEY] = pending
    _sweep()
    return token


def _sweep() -> None:
    """Delete uploads nobody finished (older than a day)."""
    limit = time.time() - 24 * 60 * 60
    for path in _upload_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _entry(event: Event, token: str) -> dict:
    """This session's upload for this event; refuses stale or foreign ids."""
    entry = _pending().get(token) if _TOKEN.match(token) else None
    if (
        entry is None
        or entry.get("event") != event.id
        or entry.get("user") != current_user.id
        or entry.get("ext") not in ("xlsx", "csv")
    ):
        abort(404)
    path = _upload_path(token, entry["ext"])
    if time.time() - entry.get("at", 0) > UPLOAD_MAX_AGE or not path.exists():
        _forget(token)
        flash(_("Unggahan itu sudah kedaluwarsa. Unggah berkasnya lagi."), "warning")
        abort(redirect(url_for("imports.upload", event_id=event.id)))
    return entry


def _check(event: Event, token: str, entry: dict) -> jobs.JobRecord:
    """Start the job that reads and checks the upload (with the chosen columns)."""
    record = jobs.start(
        "import_preview",
        user=current_user._get_current_object(),
        params={
            "event_id": event.id,
            "ext": entry["ext"],
            "mapping": entry.get("mapping"),
            "reveal": sees_all_people(current_user),
        },
        input=_upload_path(token, entry["ext"]).read_bytes(),
        next_url=url_for("imports.preview", event_id=event.id, token=token),
        back_url=url_for("imports.upload", event_id=event.id),
    )
    pending = _pending()
    pending[token]["job"] = record.id
    session[_SESSION_KEY] = pending
    return record


def _checked(event: Event, token: str, entry: dict):
    """The finished check of this upload, or a redirect to where the person must go."""
    record = jobs.latest(entry["job"]) if entry.get("job") else None
    if record is None or not jobs.may_see(current_user, record):
        try:
            record = _check(event, token, entry)
        except jobs.JobsUnavailable as exc:
            flash(str(exc), "danger")
            return redirect(url_for("events.show", event_id=event.id))
    if not record.finished or record.status == jobs.FAILED:
        return redirect(url_for("jobs.show", job_id=record.id))
    if record.status == jobs.REFUSED:
        flash(record.message, "danger")
        if record.result.get("headings"):
            return redirect(url_for("imports.columns", event_id=event.id, token=token))
        _forget(token)
        return redirect(url_for("imports.upload", event_id=event.id))
    return record


def _after_check(event: Event, token: str, record: jobs.JobRecord):
    """Where to go once the check was started."""
    if not record.finished or record.status == jobs.FAILED:
        return redirect(url_for("jobs.show", job_id=record.id))
    if record.status == jobs.DONE and record.result.get("needs_columns"):
        return redirect(url_for("imports.columns", event_id=event.id, token=token))
    return redirect(url_for("imports.preview", event_id=event.id, token=token))


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload(event_id: int):
    """Upload a spreadsheet of delegates (.xlsx or .csv, up to 5 MB)."""
    event = _load_event(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        content = storage.read(MAX_UPLOAD_BYTES + 1)
        if file_extension(storage.filename) not in ALLOWED_EXTENSIONS:
            form.file.errors = [
                *form.file.errors,
                _("Hanya berkas .xlsx atau .csv yang bisa diimpor."),
            ]
        elif len(content) > MAX_UPLOAD_BYTES:
            form.file.errors = [*form.file.errors, _("Berkas lebih besar dari 5 MB.")]
        else:
            token = _remember(content, storage.filename, event)
            try:
                record = _check(event, token, _pending()[token])
            except jobs.JobsUnavailable as exc:
                _forget(token)
                form.file.errors = [*form.file.errors, str(exc)]
            else:
                if record.status == jobs.REFUSED and not record.result.get("headings"):
                    # Not a table at all (read in this request: no queue).
                    _forget(token)
                    form.file.errors = [*form.file.errors, record.message]
                else:
                    return _after_check(event, token, record)
    return render_template("imports/upload.html", event=event, form=form)


@bp.route("/<token>/columns", methods=["GET", "POST"])
@login_required
def columns(event_id: int, token: str):
    """Say which field each column holds when the headings were not all recognised."""
    event = _load_event(event_id)
    entry = _entry(event, token)
    record = _checked(event, token, entry)
    if not isinstance(record, jobs.JobRecord):
        return record
    result = record.result
    headings = result["headings"]
    mapping = result["mapping"]
    form = columns_form(headings, mapping)
    if form.validate_on_submit():
        mapping = chosen_mapping(form, len(headings))
        try:
            check_mapping(mapping)
        except PlannerError as exc:
            form.form_errors.append(str(exc))
        else:
            pending = _pending()
            pending[token]["mapping"] = mapping
            session[_SESSION_KEY] = pending
            try:
                record = _check(event, token, pending[token])
            except jobs.JobsUnavailable as exc:
                form.form_errors.append(str(exc))
            else:
                return _after_check(event, token, record)
    return render_template(
        "imports/columns.html",
        event=event,
        form=form,
        table=SimpleNamespace(headings=headings),
        entry=entry,
        token=token,
        samples=result["samples"],
    )


@bp.get("/<token>/preview")
@login_required
def preview(event_id: int, token: str):
    """Every row with its validation result, and the Impor button when all are valid."""
    event = _load_event(event_id)
    entry = _entry(event, token)
    record = _checked(event, token, entry)
    if not isinstance(record, jobs.JobRecord):
        return record
    if record.result.get("needs_columns"):
        return redirect(url_for("imports.columns", event_id=event.id, token=token))
    return render_template(
        "imports/preview.html",
        event=event,
        entry=entry,
        token=token,
        preview=record.result,
        shown=PREVIEW_ROWS,
        fields=FIELDS,
        form=ConfirmForm(),
    )


@bp.post("/<token>/import")
@login_required
def commit(event_id: int, token: str):
    """Import every row, or nothing when any row is invalid."""
    event = _load_event(event_id)
    entry = _entry(event, token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    checked = _checked(event, token, entry)
    if not isinstance(checked, jobs.JobRecord):
        return checked
    try:
        record = jobs.start(
            "import_commit",
            user=current_user._get_current_object(),
            params={
                "event_id": event.id,
                "ext": entry["ext"],
                "mapping": checked.result["mapping"],
                "reveal": sees_all_people(current_user),
            },
            input=_upload_path(token, entry["ext"]).read_bytes(),
            next_url=url_for("events.show", event_id=event.id),
            back_url=url_for("imports.preview", event_id=event.id, token=token),
        )
    except jobs.JobsUnavailable as exc:
        flash(str(exc), "danger")
        return redirect(url_for("imports.preview", event_id=event.id, token=token))
    if record.status == jobs.REFUSED:
        flash(record.message, "danger")
        return redirect(url_for("imports.preview", event_id=event.id, token=token))
    if record.status != jobs.DONE:
        return redirect(url_for("jobs.show", job_id=record.id))
    _forget(token)
    announce(record)
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/<token>/cancel")
@login_required
def cancel(event_id: int, token: str):
    """Drop an upload without importing it."""
    event = _load_event(event_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if _TOKEN.match(token) and token in _pending():
        _forget(token)
    flash(_("Impor dibatalkan."), "info")
    return redirect(url_for("events.show", event_id=event.id))
