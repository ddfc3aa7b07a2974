"""Forms for inviting and editing accounts, one's profile and password."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.blueprints.auth.forms import (
    MAX_PASSWORD_LENGTH,
    display_name_field,
    email_field,
    new_password_fields,
)
from planner.blueprints.choices import region_choices
from planner.blueprints.fields import SelectField, SelectMultipleField

LANGUAGE_LABELS = {"id": "Bahasa Indonesia", "en": "English"}


class _AccountFields(FlaskForm):
    """Roles, chapter-head regions and the participant link."""

    is_admin = BooleanField(
        _l("Admin"), description=_l("Mengelola akun dan semua acara.")
    )
    is_organiser = BooleanField(
        _l("Penyelenggara"), description=_l("Boleh membuat acara.")
    )
    region_ids = SelectMultipleField(
        _l("Ketua wilayah untuk"),
        coerce=int,
        description=_l(
            "Wilayah yang dipimpin sebagai ketua (provinsi mencakup semua "
            "kabupaten/kotanya). Ketik untuk mencari; pilih sebanyak yang perlu."
        ),
        invalid_value_message=_l("Wilayah yang dipilih tidak dikenal."),
        invalid_choice_message=_l("Wilayah yang dipilih tidak dikenal."),
        render_kw={"size": 10},
    )
    person_id = IntegerField(
        _l("ID data orang (peserta)"),
        description=_l("Opsional: nomor ID orang di menu Orang yang memakai akun ini."),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=2**31 - 1,
                message=_l("ID orang harus bilangan bulat positif."),
            ),
        ],
        invalid_value_message=_l("ID orang harus bilangan bulat positif."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_ids.choices = region_choices(multiple=True)


class InviteForm(_AccountFields):
    email = email_field()
    display_name = display_name_field()


class UserEditForm(_AccountFields):
    display_name = display_name_field()
    is_disabled = BooleanField(
        _l("Nonaktifkan akun"), description=_l("Akun nonaktif tidak bisa masuk.")
    )


class ProfileForm(FlaskForm):
    display_name = display_name_field()
    locale = SelectField(
        _l("Bahasa"),
        invalid_choice_message=_l("Pilih bahasa dari daftar."),
        validators=[DataRequired(message=_l("Pilih bahasa dari daftar."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, and marked so (screen readers, WCAG 3.1.2).
        self.locale.choices = [
            SelectChoice(code, LANGUAGE_LABELS.get(code, code), {"lang": code})
            for code in current_app.config["LANGUAGES"]
        ]


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"),
        validators=[
            DataRequired(message=_l("Isi kata sandi saat ini.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Kata sandi saat ini salah.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()
