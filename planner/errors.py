"""Error pages in the site's layout, in the user's language."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Permintaan tidak valid"), _("Permintaan tidak dapat diproses.")),
        403: (
            _("Akses ditolak"),
            _("Anda tidak memiliki izin untuk membuka halaman ini."),
        ),
        404: (
            _("Halaman tidak ditemukan"),
            _("Halaman atau data yang Anda cari tidak ada."),
        ),
        405: (_("Metode tidak diizinkan"), _("Tindakan ini tidak didukung di sini.")),
        413: (
            _("Berkas terlalu besar"),
            _("Berkas yang diunggah melebihi batas ukuran."),
        ),
        429: (
            _("Terlalu banyak percobaan"),
            _("Tunggu sebentar, lalu coba lagi."),
        ),
        500: (
            _("Terjadi kesalahan"),
            _("Maaf, terjadi kesalahan di server. Tim kami sudah tercatat."),
        ),
    }


def render_error(code: int, detail: str | None = None):
    title, message = _messages().get(code, (str(code), ""))
    return (
        render_template(
            "errors.html", code=code, title=title, message=detail or message
        ),
        code,
    )


def register(app: Flask) -> None:
    """Install handlers for HTTP errors, CSRF failures and unexpected exceptions."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return render_error(
            400,
            _(
                "Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman dan coba lagi."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code)

    @app.errorhandler(500)
    def server_error(exc):
        return render_error(500)
