"""Forms of the delegation pages."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from planner import labels
from planner.blueprints.choices import coerce_id, coerce_ids
from planner.blueprints.fields import SelectField, SelectMultipleField, WholeNumberField
from planner.blueprints.people.forms import (
    IndonesianDateField,
    PersonBasicFields,
    PersonIdentityFields,
    _strip,
)
from planner.models import DelegateRole

_INVALID_CHOICE = _l("Pilih salah satu dari daftar.")
_QUOTA_NAN = _l("Kuota harus berupa angka.")
#: Longest reason kept in a delegate's history (DelegateChange.note).
MAX_REASON = 500


class IndonesianTimeField(TimeField):
    """A time input whose parse error speaks Indonesian."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Jam tidak valid (gunakan format jj:mm).")) from None


class _DeadlineMixin:
    """A deadline typed as date + time in the event's zone."""

    deadline_on = IndonesianDateField(_l("Tenggat (tanggal)"), validators=[Optional()])
    deadline_time = IndonesianTimeField(
        _l("Tenggat (jam)"),
        validators=[Optional()],
        description=_l("Dalam zona waktu acara. Kosong: pukul 23.59."),
    )

    def deadline_at(self, tz_name: str) -> datetime | None:
        """The typed deadline as an aware UTC datetime (None when no date)."""
        if self.deadline_on.data is None:
            return None
        moment = self.deadline_time.data or time(23, 59)
        local = datetime.combine(self.deadline_on.data, moment, ZoneInfo(tz_name))
        return local.astimezone(UTC)

    def show_deadline(self, deadline_at: datetime | None, tz_name: str) -> None:
        """Fill the date and time fields from a stored deadline."""
        if deadline_at is None:
            return
        local = deadline_at.astimezone(ZoneInfo(tz_name))
        self.deadline_on.data = local.date()
        self.deadline_time.data = local.time().replace(second=0, microsecond=0)


_quota_validators = [
    InputRequired(_l("Kuota wajib diisi.")),
    NumberRange(min=0, max=100_000, message=_l("Kuota harus antara 0 dan 100.000.")),
]


class BulkDelegationForm(_DeadlineMixin, FlaskForm):
    """Many delegations at once: every regency/city of a province, or chosen regions."""

    mode = RadioField(
        _l("Buat delegasi untuk"),
        choices=[
            SelectChoice("province", _l("Setiap kabupaten/kota di satu provinsi")),
            SelectChoice("regions", _l("Wilayah yang dipilih")),
        ],
        default="province",
        validators=[InputRequired(_INVALID_CHOICE)],
        invalid_choice_message=_INVALID_CHOICE,
    )
    province_id = SelectField(
        _l("Provinsi"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
    )
    region_ids = SelectMultipleField(
        _l("Wilayah"),
        coerce=coerce_ids,
        choices=[],
        validate_choice=False,
        description=_l("Ketik untuk mencari; pilih sebanyak yang perlu."),
        render_kw={"size": 10},
    )
    quota = WholeNumberField(
        _l("Kuota tiap delegasi"),
        validators=_quota_validators,
        not_a_number=_l("Kuota harus berupa angka."),
    )


class NamedDelegationForm(_DeadlineMixin, FlaskForm):
    """One delegation of a named body that is no region ("IPSM Pusat")."""

    name = StringField(
        _l("Nama delegasi"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Nama delegasi wajib diisi.")),
            Length(max=200, message=_l("Paling panjang 200 huruf.")),
        ],
        description=_l("Misalnya: IPSM Pusat"),
    )
    quota = WholeNumberField(
        _l("Kuota"),
        validators=_quota_validators,
        not_a_number=_l("Kuota harus berupa angka."),
    )


class EditDelegationForm(_DeadlineMixin, FlaskForm):
    """A delegation's quota, head, deadline and notes."""

    quota = WholeNumberField(
        _l("Kuota"),
        validators=_quota_validators,
        not_a_number=_l("Kuota harus berupa angka."),
    )
    head_user_id = SelectField(
        _l("Ketua delegasi"),
        coerce=coerce_id,
        choices=[],
        invalid_choice_message=_l("Pilih akun ketua dari daftar."),
        description=_l(
            "Akun ketua IPSM kabupaten/kota. Kosong: panitia yang mengurus."
        ),
    )
    notes = TextAreaField(
        _l("Catatan"),
        validators=[Length(max=5000, message=_l("Catatan paling panjang 5000 huruf."))],
        render_kw={"rows": 3},
    )


class NominateForm(FlaskForm):
    """Nominate a person already on record."""

    person_id = SelectField(
        _l("Orang"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Pilih orang yang diusulkan."))],
    )
    role = SelectField(
        _l("Peran"),
        choices=[],
        default="participant",
        invalid_choice_message=_l("Pilih peran dari daftar."),
    )

    def __init__(self, *args, roles: list[DelegateRole], **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [
            SelectChoice(r.value, labels.DELEGATE_ROLE[r]) for r in roles
        ]
        fresh = kwargs.get("formdata", True) is None or not self.is_submitted()
        if fresh and self.role.data not in {r.value for r in roles}:
            self.role.data = roles[0].value


class NewPersonForm(PersonIdentityFields, PersonBasicFields, NominateForm):
    """Add a person on the spot and nominate them in one step; NIK, birth date and
    sex are required when the event has a ferry or air leg (``identity_required``)."""

    person_id = None
    confirm_duplicate = BooleanField(_l("Tetap simpan: ini orang yang berbeda"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self.identity_complete() and ok


_reason = TextAreaField(
    _l("Alasan"),
    filters=[_strip],
    validators=[
        Length(max=MAX_REASON, message=_l("Alasan paling panjang 500 huruf.")),
    ],
    render_kw={"rows": 2, "maxlength": MAX_REASON},
)


class WithdrawForm(FlaskForm):
    """Withdraw a delegate, with a reason."""

    reason = _reason


class ReplaceForm(PersonIdentityFields, FlaskForm):
    """Replace a delegate by a person on record or by a new person typed here; a new
    person's NIK, birth date and sex are required when the event has a ferry or air
    leg (``identity_required``)."""

    person_id = SelectField(
        _l("Pengganti (orang yang sudah terdaftar)"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
    )
    full_name = StringField(
        _l("… atau nama lengkap orang baru"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Nama paling panjang 200 huruf."))],
    )
    sex = PersonBasicFields.sex
    phone = PersonBasicFields.phone
    position = PersonBasicFields.position
    institution = PersonBasicFields.institution
    confirm_duplicate = BooleanField(_l("Tetap simpan: ini orang yang berbeda"))
    reason = _reason

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if bool(self.person_id.data) == bool(self.full_name.data):
            if not self.person_id.errors and not self.full_name.errors:
                self.person_id.errors.append(
                    _l(
                        "Pilih satu orang yang sudah terdaftar, atau isi nama orang baru."
                    )
                )
                ok = False
        elif self.full_name.data:
            ok = self.identity_complete() and ok
        return ok


class ConfirmForm(FlaskForm):
    """One tap: confirm a delegate (only the CSRF token)."""


class ReminderForm(FlaskForm):
    """Send the reminder email (only the CSRF token)."""


class DeleteForm(FlaskForm):
    """Delete an empty delegation (only the CSRF token)."""


class PasteForm(FlaskForm):
    """Several people at once: one per line, pasted from a spreadsheet or typed."""

    text = TextAreaField(
        _l("Daftar orang"),
        validators=[
            InputRequired(_l("Tempel minimal satu baris.")),
            Length(max=50_000, message=_l("Daftar terlalu panjang.")),
        ],
        description=_l(
            "Satu orang per baris: nama; L/P; tanggal lahir; NIK; nomor HP. Tempel "
            "langsung dari Excel (kolom dalam urutan itu) atau pisahkan dengan titik "
            "koma. Contoh: Siti Aminah; P; 1980-03-01; 1901014103800001; 0812 3456 7890"
        ),
        render_kw={"rows": 8, "spellcheck": "false", "autocomplete": "off"},
    )
    confirm = BooleanField(
        _l("Langsung konfirmasi semuanya"),
        description=_l("Setiap orang mengambil satu tempat kuota delegasi."),
    )
