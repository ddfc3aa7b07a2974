"""Forms for signing in, resetting a password and accepting an invitation."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from planner.services.accounts import MAX_PASSWORD_LENGTH


def strip(value):
    """Trim surrounding whitespace from text input."""
    return value.strip() if isinstance(value, str) else value


def email_field(label=None) -> EmailField:
    """An email field with Indonesian messages (shared by the account forms)."""
    return EmailField(
        label or _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Isi alamat email.")),
            Length(max=254, message=_l("Alamat email terlalu panjang.")),
            Email(message=_l("Alamat email tidak valid.")),
        ],
    )


def display_name_field() -> StringField:
    """The name shown to others, as the model stores it (120 characters)."""
    return StringField(
        _l("Nama tampilan"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Isi nama tampilan.")),
            Length(max=120, message=_l("Nama paling banyak 120 karakter.")),
        ],
    )


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition; the rules live in the accounts service."""
    password = PasswordField(
        _l("Kata sandi baru"),
        description=_l(
            "Minimal 10 karakter, bukan kata sandi umum, tidak memuat alamat email."
        ),
        validators=[
            DataRequired(message=_l("Isi kata sandi baru.")),
            Length(
                max=MAX_PASSWORD_LENGTH,
                message=_l("Kata sandi paling banyak 200 karakter."),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            DataRequired(message=_l("Ulangi kata sandi baru.")),
            EqualTo("password", message=_l("Kedua kata sandi tidak sama.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = StringField(
        _l("Email"),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Isi alamat email.")),
            Length(max=254, message=_l("Email atau kata sandi salah.")),
        ],
        render_kw={"autocomplete": "username", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[
            DataRequired(message=_l("Isi kata sandi.")),
            Length(max=MAX_PASSWORD_LENGTH, message=_l("Email atau kata sandi salah.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Ingat saya di perangkat ini"))


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    display_name = display_name_field()
    password, confirm = new_password_fields()
