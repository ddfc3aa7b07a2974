"""Import pages: upload → (map columns) → preview → import, one upload at a time.

The uploaded file waits in ``instance/uploads/`` under a random name; the session only
remembers which names belong to this user and event (and the chosen columns), so a
stale or someone else's upload id is refused.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

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

from planner.blueprints.imports import bp
from planner.blueprints.imports.forms import (
    ConfirmForm,
    UploadForm,
    chosen_mapping,
    columns_form,
)
from planner.extensions import db
from planner.models import Event
from planner.permissions import can_manage_delegations, require, sees_all_people
from planner.services import PlannerError
from planner.services.imports import (
    FIELDS,
    MAX_UPLOAD_BYTES,
    ImportFileError,
    ImportInvalid,
    Table,
    check_import,
    check_mapping,
    file_extension,
    guess_mapping,
    import_delegates,
    mapping_complete,
    read_table,
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


def _upload(event: Event, token: str) -> tuple[dict, Table]:
    """This session's upload for this event, read again; refuses stale or foreign ids."""
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
    try:
        table = read_table(path.read_bytes(), f"x.{entry['ext']}")
    except ImportFileError as exc:
        _forget(token)
        flash(str(exc), "danger")
        abort(redirect(url_for("imports.upload", event_id=event.id)))
    return entry, table


def _mapping(entry: dict, table: Table) -> list[str | None]:
    """The chosen mapping (or the guessed one), one entry per column."""
    saved = entry.get("mapping")
    if isinstance(saved, list) and len(saved) == len(table.headings):
        return [key if key in FIELDS else None for key in saved]
    return guess_mapping(table.headings)


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload(event_id: int):
    """Upload a spreadsheet of delegates (.xlsx or .csv, up to 5 MB)."""
    event = _load_event(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        storage = form.file.data
        content = storage.read(MAX_UPLOAD_BYTES + 1)
        try:
            table = read_table(content, storage.filename)
        except PlannerError as exc:
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            token = _remember(content, storage.filename, event)
            mapping = guess_mapping(table.headings)
            if not mapping_complete(table.headings, mapping):
                return redirect(
                    url_for("imports.columns", event_id=event.id, token=token)
                )
            return redirect(url_for("imports.preview", event_id=event.id, token=token))
    return render_template("imports/upload.html", event=event, form=form)


@bp.route("/<token>/columns", methods=["GET", "POST"])
@login_required
def columns(event_id: int, token: str):
    """Say which field each column holds when the headings were not all recognised."""
    event = _load_event(event_id)
    entry, table = _upload(event, token)
    form = columns_form(table.headings, _mapping(entry, table))
    if form.validate_on_submit():
        mapping = chosen_mapping(form, len(table.headings))
        try:
            check_mapping(mapping)
        except PlannerError as exc:
            form.form_errors.append(str(exc))
        else:
            pending = _pending()
            pending[token]["mapping"] = mapping
            session[_SESSION_KEY] = pending
            return redirect(url_for("imports.preview", event_id=event.id, token=token))
    return render_template(
        "imports/columns.html",
        event=event,
        form=form,
        table=table,
        entry=entry,
        token=token,
        samples=table.rows[:3],
    )


@bp.get("/<token>/preview")
@login_required
def preview(event_id: int, token: str):
    """Every row with its validation result, and the Impor button when all are valid."""
    event = _load_event(event_id)
    entry, table = _upload(event, token)
    mapping = _mapping(entry, table)
    try:
        plan = check_import(
            event, table=table, mapping=mapping, reveal=sees_all_people(current_user)
        )
    except PlannerError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("imports.columns", event_id=event.id, token=token))
    return render_template(
        "imports/preview.html",
        event=event,
        entry=entry,
        token=token,
        plan=plan,
        mapping=mapping,
        fields=FIELDS,
        form=ConfirmForm(),
    )


@bp.post("/<token>/import")
@login_required
def commit(event_id: int, token: str):
    """Import every row, or nothing when any row is invalid."""
    event = _load_event(event_id)
    entry, table = _upload(event, token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = import_delegates(
            event,
            table=table,
            mapping=_mapping(entry, table),
            by=current_user._get_current_object(),
            reveal=sees_all_people(current_user),
        )
    except ImportInvalid:
        db.session.rollback()
        flash(_("Ada baris yang tidak valid; tidak ada yang diimpor."), "danger")
        return redirect(url_for("imports.preview", event_id=event.id, token=token))
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("imports.preview", event_id=event.id, token=token))
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    _forget(token)
    flash(
        _(
            "Impor selesai: %(nominated)s orang diusulkan (%(created)s orang baru), "
            "%(skipped)s sudah terdaftar dan dilewati.",
            nominated=report.nominated,
            created=report.created_people,
            skipped=report.skipped,
        ),
        "success",
    )
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
