"""Forms of the people pages."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from planner import labels
from planner.blueprints.choices import coerce_id, region_choices
from planner.blueprints.fields import SelectField
from planner.models import Region
from planner.services import PlannerError
from planner.services.people import normalise_nik

#: Stands for a submitted region id that is not a number ("abc"): never a valid choice.


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class IndonesianDateField(DateField):
    """A date input whose parse error speaks Indonesian."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                _l("Tanggal tidak valid (gunakan format tttt-bb-hh).")
            ) from None


def enum_choices(label_map: dict, *, blank=None) -> list[SelectChoice]:
    """Choices from a label dict of ``planner.labels``, in declaration order."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(m.value, label) for m, label in label_map.items()]


_INVALID_CHOICE = _l("Pilih salah satu dari daftar.")


class PersonBasicFields:
    """Name, sex, phone, position and institution: what a quick "add a person" form asks,
    shared by the person form and the delegation page's add-on-the-spot form."""

    full_name = StringField(
        _l("Nama lengkap"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Nama lengkap wajib diisi.")),
            Length(max=200, message=_l("Nama paling panjang 200 huruf.")),
        ],
    )

    sex = SelectField(
        _l("Jenis kelamin"),
        choices=[SelectChoice("", _l("— Tidak diisi —"))]
        + [
            SelectChoice(member.value, label)
            for member, label in labels.SEX_CHOICE.items()
        ],
        default="",
        invalid_choice_message=_INVALID_CHOICE,
    )

    phone = TelField(
        _l("Nomor telepon / WhatsApp"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=40, message=_l("Nomor telepon tidak valid")),
        ],
        description=_l("Contoh: 0812-3456-7890"),
    )

    position = StringField(
        _l("Jabatan"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Paling panjang 200 huruf."))],
        description=_l("Misalnya: Ketua IPSM Kabupaten Bangka"),
    )

    institution = StringField(
        _l("Instansi"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Paling panjang 200 huruf."))],
        description=_l("Misalnya: Dinas Sosial Kota Bekasi"),
    )


def _title_field(label, example):
    return StringField(
        label,
        filters=[_strip],
        validators=[
            Length(max=60, message=_l("Gelar paling panjang %(n)s huruf.", n=60))
        ],
        description=example,
    )


#: Why a manifest field must be filled in (the event has a ferry or air leg).
IDENTITY_REQUIRED_HELP = _l(
    "Wajib: acara ini punya perjalanan kapal laut atau pesawat."
)


class PersonIdentityFields:
    """NIK and birth date with their checks, and (with ``sex`` from
    :class:`PersonBasicFields`) what ferry and air manifests ask of every passenger;
    shared by the person form and the delegation page's add and replace forms.

    ``identity_required=True`` (an event with a ferry or air leg) makes the three
    required; :meth:`identity_complete` then reports every empty one at once.
    """

    nik = StringField(
        _l("NIK"),
        filters=[_strip],
        validators=[Length(max=40, message=_l("NIK harus terdiri dari 16 angka."))],
        description=_l("16 angka, sesuai KTP. Boleh dikosongkan."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    birth_on = IndonesianDateField(_l("Tanggal lahir"), validators=[Optional()])

    def __init__(self, *args, identity_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity_required = identity_required
        if identity_required:
            for field in (self.sex, self.nik, self.birth_on):
                field.flags.required = True
            self.sex.description = IDENTITY_REQUIRED_HELP
            self.birth_on.description = IDENTITY_REQUIRED_HELP
            self.nik.description = _l(
                "16 angka, sesuai KTP. Wajib: acara ini punya perjalanan kapal laut "
                "atau pesawat."
            )

    def validate_nik(self, field) -> None:
        """The service's NIK rules (16 digits, a known province), checked with the
        other fields so every mistake shows at once."""
        try:
            normalise_nik(field.data)
        except PlannerError as exc:
            raise ValidationError(str(exc)) from None

    def validate_birth_on(self, field) -> None:
        if field.data is None:
            return
        if field.data > date.today():
            raise ValidationError(_l("Tanggal lahir tidak boleh di masa depan."))
        if field.data < date(1900, 1, 1):
            raise ValidationError(_l("Tanggal lahir tidak boleh sebelum tahun 1900."))

    def identity_complete(self) -> bool:
        """When required, mark each of sex, birth date and NIK left empty (and not
        already marked wrong); True when nothing is missing."""
        if not self.identity_required:
            return True
        complete = True
        for field, message in (
            (self.sex, _l("Jenis kelamin wajib diisi untuk manifes kapal/pesawat.")),
            (
                self.birth_on,
                _l("Tanggal lahir wajib diisi untuk manifes kapal/pesawat."),
            ),
            (self.nik, _l("NIK wajib diisi untuk manifes kapal/pesawat.")),
        ):
            if field.data in (None, "") and not field.errors:
                field.errors = [*field.errors, message]
                complete = False
        return complete


class PersonForm(PersonBasicFields, PersonIdentityFields, FlaskForm):
    """A person's record; the view drops ``region_id`` and ``nik`` when not allowed.

    The name may stay empty for an official known by position and institution only.
    """

    full_name = StringField(
        _l("Nama lengkap (tanpa gelar)"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Nama paling panjang 200 huruf."))],
        description=_l(
            "Nama yang dipakai untuk mencari dan mencocokkan. Pejabat yang namanya "
            "belum diketahui: kosongkan, lalu isi jabatan dan instansi."
        ),
    )
    title_before = _title_field(_l("Gelar depan"), _l("Misalnya: Drs. atau Dr. H."))
    title_after = _title_field(_l("Gelar belakang"), _l("Misalnya: S.Sos., M.PSSp."))

    email = EmailField(
        _l("Email"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=254, message=_l("Email terlalu panjang.")),
            Email(_l("Alamat email tidak valid.")),
        ],
    )
    region_id = SelectField(
        _l("Wilayah (kabupaten/kota)"),
        coerce=coerce_id,
        choices=[],
        invalid_choice_message=_l("Pilih wilayah dari daftar."),
    )
    pillar = SelectField(
        _l("Pilar sosial"),
        choices=enum_choices(labels.SOCIAL_PILLAR),
        default="psm",
        invalid_choice_message=_INVALID_CHOICE,
    )
    notes = TextAreaField(
        _l("Catatan"),
        validators=[Length(max=5000, message=_l("Catatan paling panjang 5000 huruf."))],
        render_kw={"rows": 3},
    )
    dietary_notes = StringField(
        _l("Catatan makanan"),
        filters=[_strip],
        validators=[Length(max=200, message=_l("Paling panjang 200 huruf."))],
        description=_l("Misalnya: vegetarian, tanpa seafood, alergi kacang, diabetes"),
    )
    confirm_duplicate = BooleanField(_l("Tetap simpan: ini orang yang berbeda"))

    def __init__(self, *args, regions: list[Region] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.region_id.choices = region_choices(regions)

    def validate_full_name(self, field) -> None:
        if not field.data and not (self.position.data and self.institution.data):
            raise ValidationError(
                _l(
                    "Nama lengkap wajib diisi. Untuk pejabat yang namanya belum "
                    "diketahui, isi jabatan dan instansinya."
                )
            )
