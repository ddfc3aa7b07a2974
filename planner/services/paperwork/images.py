"""Uploaded images (a letterhead logo, a signature): PNG or JPEG, at most 1 MB."""

from __future__ import annotations

import io

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from planner.services import PlannerError

#: Largest upload kept, in bytes.
MAX_IMAGE_BYTES = 1024 * 1024
_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ImageError(PlannerError):
    """An upload that is no PNG or JPEG image, or too large."""


def checked_image(data: bytes, *, field: str) -> tuple[bytes, str]:
    """``(data, mime type)`` of a PNG or JPEG of at most 1 MB; else :class:`ImageError`."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(_("Gambar paling besar 1 MB."), field=field)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError(_("Berkas bukan gambar PNG atau JPEG."), field=field) from None
    if kind not in _FORMATS:
        raise ImageError(_("Berkas bukan gambar PNG atau JPEG."), field=field)
    return data, _FORMATS[kind]
