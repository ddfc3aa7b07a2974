"""Forms of the import pages: the upload, the column mapping, the final confirmation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice
from wtforms.validators import ValidationError

from planner.blueprints.fields import SelectField
from planner.services.imports import FIELDS, file_extension

IGNORE = ""


class UploadForm(FlaskForm):
    """The spreadsheet to import."""

    file = FileField(_l("Berkas Excel (.xlsx) atau CSV"))

    def validate_file(self, field) -> None:
        """Refuse a missing file or one that is neither .xlsx nor .csv."""
        storage = field.data
        if storage is None or not getattr(storage, "filename", None):
            raise ValidationError(_l("Pilih berkas yang akan diimpor."))
        if file_extension(storage.filename) not in ("xlsx", "csv"):
            raise ValidationError(_l("Hanya berkas .xlsx atau .csv yang bisa diimpor."))


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token of the Impor and Batal buttons."""


def columns_form(headings: list[str], mapping: list[str | None], **kwargs):
    """A form with one select per column: which field it holds, or "abaikan"."""
    choices = [SelectChoice(IGNORE, _l("— abaikan —"))] + [
        SelectChoice(key, label) for key, label in FIELDS.items()
    ]

    class ColumnsForm(FlaskForm):
        pass

    for index, heading in enumerate(headings):
        setattr(
            ColumnsForm,
            f"col_{index}",
            SelectField(
                heading or _l("(tanpa judul)"),
                choices=choices,
                default=mapping[index] or IGNORE if index < len(mapping) else IGNORE,
                validate_choice=True,
            ),
        )
    form = ColumnsForm(**kwargs)
    for index in range(len(headings)):
        form[f"col_{index}"].pre_validate = _choice_check(form[f"col_{index}"])
    return form


def _choice_check(field):
    """Replace WTForms' English "Not a valid choice" by an Indonesian message."""
    valid = {IGNORE, *FIELDS}

    def check(form) -> None:
        if field.data not in valid:
            raise ValidationError(_l("Pilihan tidak valid."))

    return check


def chosen_mapping(form, width: int) -> list[str | None]:
    """The submitted mapping, one field (or None) per column."""
    return [form[f"col_{i}"].data or None for i in range(width)]
