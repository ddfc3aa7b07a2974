"""Downloads: the bytes as an attachment, or, for a big export, a job and its page.

Views load, check the permission and count the rows; :func:`send_export` builds a
small export in the request (as always) and turns a big one into an ``export`` job
(:mod:`planner.jobs.exports`) whose page offers the same file under the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user

from planner import jobs
from planner.jobs.exports import ExportFile, is_big
from planner.services.events import slugify


def download(data: bytes, mimetype: str, name: str, extension: str) -> Response:
    """The bytes as an attachment: ASCII file name plus RFC 5987 ``filename*``."""
    ascii_name = (slugify(name)[:80].strip("-") or "rombongan") + "." + extension
    utf8_name = quote(f"{name[:120]}.{extension}", safe="")
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    )
    # Names, phones and NIKs: never kept by a shared cache or the browser's disk.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def send_file(made: ExportFile) -> Response:
    return download(made.data, made.mimetype, made.name, made.extension)


def send_export(
    kind: str,
    build: Callable[[], ExportFile],
    *,
    rows: int,
    params: dict,
    back_url: str,
) -> Response:
    """The file now when ``rows`` is small; else a job, and its page."""
    if not is_big(kind, rows):
        return send_file(build())
    return queue_export(kind, params=params, back_url=back_url)


def queue_export(kind: str, *, params: dict, back_url: str) -> Response:
    """Start the ``export`` job and go to its page (back, saying why, without Redis)."""
    try:
        record = jobs.start(
            "export",
            user=current_user._get_current_object(),
            params={"export": kind, "base_url": request.host_url, **params},
            back_url=back_url,
        )
    except jobs.JobsUnavailable as exc:
        flash(str(exc), "danger")
        return redirect(back_url)
    return redirect(url_for("jobs.show", job_id=record.id))
