"""Reading a plan file: JSON with one clear problem when it is none."""

from __future__ import annotations

import json

from flask_babel import gettext as _

from planner.services.plans.common import (
    FORMAT,
    MAX_PLAN_BYTES,
    PlanInvalid,
    Problem,
    _cycles_collected_after,
)

#: Python's JSON error messages, in words people read.
_JSON_ERRORS = {
    "Expecting value": "nilai diharapkan",
    "Expecting ',' delimiter": "koma diharapkan",
    "Expecting ':' delimiter": "titik dua diharapkan",
    "Expecting property name enclosed in double quotes": (
        "nama kolom dalam tanda kutip ganda diharapkan"
    ),
    "Unterminated string starting at": "teks tidak ditutup",
    "Invalid control character at": "karakter kendali di dalam teks",
    "Invalid \\escape": "escape tidak sah",
    "Invalid \\uXXXX escape": "escape \\u tidak sah",
    "Extra data": "ada data lagi setelah akhir JSON",
}


def _one(message: str, path: str = "$") -> PlanInvalid:
    return PlanInvalid([Problem(path, message)])


def _refuse_constant(name: str):
    raise ValueError(name)


def load_plan(raw: bytes) -> dict:
    """Parse a plan file; :class:`PlanInvalid` with one clear problem when it is no JSON
    object (not UTF-8, truncated, too big, a list …). The content is not checked yet."""
    if len(raw) > MAX_PLAN_BYTES:
        raise _one(
            _(
                "Berkas lebih besar dari %(mb)s MB.",
                mb=MAX_PLAN_BYTES // (1024 * 1024),
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _one(_("Berkas bukan JSON: isinya bukan teks UTF-8.")) from None
    if not text.strip():
        raise _one(_("Berkas kosong."))
    try:
        with _cycles_collected_after():
            doc = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        reason = next(
            (v for k, v in _JSON_ERRORS.items() if exc.msg.startswith(k)), exc.msg
        )
        if exc.pos >= len(text.rstrip()) or reason == "teks tidak ditutup":
            raise _one(
                _(
                    "Berkas bukan JSON yang utuh: berkas berakhir sebelum JSON "
                    "selesai (%(reason)s) di baris %(line)s, kolom %(col)s. Mungkin "
                    "berkas terpotong saat diunduh atau disalin.",
                    reason=reason,
                    line=exc.lineno,
                    col=exc.colno,
                )
            ) from None
        raise _one(
            _(
                "Berkas bukan JSON yang utuh: %(reason)s di baris %(line)s, kolom "
                "%(col)s.",
                reason=reason,
                line=exc.lineno,
                col=exc.colno,
            )
        ) from None
    except RecursionError:
        raise _one(
            _("Berkas bukan rencana: JSON-nya bersarang terlalu dalam.")
        ) from None
    except ValueError as exc:  # NaN, Infinity, a number of thousands of digits
        raise _one(
            _("Berkas bukan JSON yang sah: nilai %(value)s.", value=str(exc)[:40])
        ) from None
    if not isinstance(doc, dict):
        raise _one(
            _(
                "Berkas bukan rencana Rombongan: isinya harus satu objek JSON "
                "({ … }) dengan kolom “format”: “%(format)s”.",
                format=FORMAT,
            )
        )
    return doc
