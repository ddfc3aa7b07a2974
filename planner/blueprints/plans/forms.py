"""Forms of the plan pages: the download options and the upload."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, StringField
from wtforms.validators import ValidationError

from planner.services.events import SLUG_MAX

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
TITLE_MAX = 200


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ExportForm(FlaskForm):
    """Download the plan, with or without NIK and phone numbers."""

    personal_data = BooleanField(
        _l("Sertakan data pribadi (NIK dan nomor telepon)"), default=False
    )


class ImportForm(FlaskForm):
    """A plan file to import as a new event, with an optional new slug and title."""

    file = FileField(_l("Berkas rencana (.json)"))
    slug = StringField(
        _l("Slug baru (opsional)"),
        filters=[_strip],
        description=_l(
            "Wajib bila acara dengan slug yang sama sudah ada di sini, misalnya "
            "rakor-ipsm-babel-2028."
        ),
    )
    title = StringField(
        _l("Judul baru (opsional)"),
        filters=[_strip],
        description=_l("Kosongkan untuk memakai judul dari berkas."),
    )

    def validate_file(self, field) -> None:
        """A file must be chosen."""
        storage = field.data
        if not isinstance(storage, FileStorage) or not storage.filename:
            raise ValidationError(_l("Pilih berkas rencana (.json) yang akan diimpor."))

    def validate_slug(self, field) -> None:
        """Lower-case letters, digits and dashes, as the app's own slugs."""
        value = field.data or ""
        if value and (len(value) > SLUG_MAX or not _SLUG.match(value)):
            raise ValidationError(
                _l(
                    "Slug hanya boleh berisi huruf kecil, angka dan tanda hubung "
                    "(paling panjang 120), misalnya rakor-ipsm-babel-2028."
                )
            )

    def validate_title(self, field) -> None:
        """At most 200 characters, no control characters."""
        value = field.data or ""
        if len(value) > TITLE_MAX:
            raise ValidationError(_l("Judul paling panjang 200 karakter."))
        if _CONTROL.search(value):
            raise ValidationError(_l("Judul berisi karakter yang tidak diizinkan."))
