"""Static files under names that carry a hash of their content, cached for a year, sent
compressed.

Chapter heads open Rombongan on cheap phones over slow, metered networks. Every
``url_for('static', filename='planner.css')`` (and Bootstrap-Flask's
``bootstrap.static``) is written as ``planner.3f2a9c1b0d.css``: the name changes
whenever the content does, so the browser may keep the file for a year without asking
again (``Cache-Control: immutable``) and later pages make no request for it. Each file is
read, hashed and compressed (brotli and gzip) once per process, on first use; a request
for a name whose hash is not the current one (a page cached before a deploy) still gets
the current file, but without the long lifetime. Plain names keep working as before.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import re
from pathlib import Path
from threading import Lock

import brotli
from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

#: One year: the longest lifetime browsers honour; the name changes with the content.
MAX_AGE = 365 * 24 * 3600
#: Hex digits of the content's SHA-256 kept in the name.
HASH_LENGTH = 10
#: Kinds worth compressing (images and fonts are compressed already).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")

_HASHED = re.compile(
    rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[^./]+)$"
)


class StaticFile:
    """One file as sent: its bytes, type and content hash; compressed on first demand."""

    def __init__(self, path: Path, stat) -> None:
        self.stamp = (stat.st_mtime_ns, stat.st_size)
        self.plain = path.read_bytes()
        self.digest = hashlib.sha256(self.plain).hexdigest()[:HASH_LENGTH]
        self.mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.compressible = (
            self.mimetype.startswith(COMPRESSIBLE) and len(self.plain) > 512
        )
        self._encoded: dict[str, bytes] = {}

    def encoded(self, encoding: str) -> bytes:
        """The content compressed with ``encoding`` ("br" or "gzip"), made once."""
        if encoding not in self._encoded:
            if encoding == "br":
                data = brotli.compress(self.plain, quality=11)
            else:
                data = gzip.compress(self.plain, 9, mtime=0)
            self._encoded[encoding] = data
        return self._encoded[encoding]


#: Loaded files by absolute path, shared by every app in the process (tests make many).
_FILES: dict[str, StaticFile] = {}
_LOCK = Lock()


class StaticFiles:
    """The files of one static folder (one per static endpoint)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        #: Hashed names already worked out (outside debug files do not change while
        #: the app runs, as ``_FILES`` assumes): each page writes a dozen.
        self._names: dict[str, str] = {}

    def get(self, filename: str, *, fresh: bool = False) -> StaticFile | None:
        """The file at ``filename`` (relative), or None when there is none.

        ``fresh`` (debug mode) checks the file's modification time on every call.
        """
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        found = _FILES.get(path)
        if found is not None and not fresh:
            return found
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        if not Path(path).is_file():
            return None
        if found is None or found.stamp != (stat.st_mtime_ns, stat.st_size):
            with _LOCK:
                found = _FILES[path] = StaticFile(Path(path), stat)
        return found

    def hashed_name(self, filename: str, *, fresh: bool = False) -> str:
        """``css/planner.css`` → ``css/planner.<hash>.css`` (unchanged if no such file)."""
        if not fresh:
            known = self._names.get(filename)
            if known is not None:
                return known
        found = self.get(filename, fresh=fresh)
        if found is None:
            return filename
        stem, dot, ext = filename.rpartition(".")
        if not dot or "/" in ext:
            hashed = f"{filename}.{found.digest}"
        else:
            hashed = f"{stem}.{found.digest}.{ext}"
        if not fresh:
            self._names[filename] = hashed
        return hashed


def _encoding(file: StaticFile) -> tuple[bytes, str | None]:
    if file.compressible:
        accepted = request.accept_encodings
        for encoding in ("br", "gzip"):
            if accepted[encoding]:
                return file.encoded(encoding), encoding
    return file.plain, None


def _serve(files: StaticFiles, filename: str) -> Response:
    fresh = current_app.debug
    match = _HASHED.match(filename)
    found = None
    immutable = False
    if match:
        original = match["stem"] + match["ext"]
        found = files.get(original, fresh=fresh)
        immutable = found is not None and found.digest == match["hash"]
    if found is None:
        found = files.get(filename, fresh=fresh)
    if found is None:
        abort(404)
    body, encoding = _encoding(found)
    response = Response(body, mimetype=found.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if found.compressible:
        response.vary.add("Accept-Encoding")
    response.set_etag(f"{found.digest}-{encoding or 'identity'}")
    if immutable:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    """Hash the names ``url_for`` writes and serve them, for the app's and blueprints'
    static folders (Bootstrap-Flask's among them)."""
    folders: dict[str, StaticFiles] = {}
    if app.static_folder:
        folders["static"] = StaticFiles(app.static_folder)
    for name, blueprint in app.blueprints.items():
        if blueprint.static_folder and f"{name}.static" in app.view_functions:
            folders[f"{name}.static"] = StaticFiles(blueprint.static_folder)

    for endpoint, files in folders.items():

        def view(filename: str, _files: StaticFiles = files) -> Response:
            return _serve(_files, filename)

        app.view_functions[endpoint] = view

    @app.url_defaults
    def _hashed_static_names(endpoint: str, values: dict) -> None:
        files = folders.get(endpoint)
        if files is not None and "filename" in values:
            values["filename"] = files.hashed_name(
                values["filename"], fresh=current_app.debug
            )
