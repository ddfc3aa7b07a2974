"""Forms of the budget page: rates and signatories, and a line typed by hand."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from planner import labels
from planner.blueprints.choices import coerce_id
from planner.blueprints.fields import SelectField, WholeNumberField
from planner.blueprints.people.forms import IndonesianDateField, enum_choices

_NOT_A_NUMBER = _l("Isi dengan bilangan bulat rupiah, tanpa titik.")
_NOT_NEGATIVE = _l("Jumlah tidak boleh negatif.")


def _money(label, **kw):
    return WholeNumberField(
        label,
        [Optional(), NumberRange(min=0, message=_NOT_NEGATIVE)],
        not_a_number=_NOT_A_NUMBER,
        **kw,
    )


def _text_field(label, n):
    return StringField(label, [Optional(), Length(max=n)])


class BudgetForm(FlaskForm):
    """The rates the computed lines use, and who signs the payment sheets."""

    fiscal_year = WholeNumberField(
        _l("Tahun anggaran"),
        [Optional()],
        not_a_number=_l("Tahun anggaran harus berupa angka."),
    )
    allowance_kind = SelectField(
        _l("Jenis uang harian"),
        choices=enum_choices(labels.ALLOWANCE_KIND),
        invalid_choice_message=_l("Pilih salah satu dari daftar."),
    )
    province_code = SelectField(
        _l("Provinsi tujuan (batas SBM)"),
        choices=[],
        validate_choice=False,
        description=_l("Kosongkan untuk memakai provinsi tempat acara."),
    )
    allowance_rate = _money(
        _l("Uang harian per orang per hari"),
        description=_l("Kosongkan untuk memakai batas tertinggi SBM."),
    )
    transport_allowance = _money(_l("Uang transport per orang"))
    ferry_passenger_fare = _money(_l("Tiket kapal per penumpang"))
    ferry_vehicle_fare = _money(_l("Tiket kapal per kendaraan"))
    van_rental_per_day = _money(_l("Sewa kendaraan per hari"))
    fuel_per_km = _money(_l("BBM per km"))
    toll_per_road_leg = _money(_l("Tol per kendaraan per ruas jalan"))
    honorarium_per_session = _money(_l("Honorarium narasumber per sesi"))
    meal_price = _money(
        _l("Harga makan per porsi"),
        description=_l("Makan (ishoma) dan nasi kotak di perjalanan."),
    )
    snack_price = _money(
        _l("Harga kudapan per porsi"),
        description=_l("Rehat dan rehat kopi."),
    )
    treasurer_name = _text_field(_l("Nama bendahara"), 200)
    treasurer_nip = _text_field(_l("NIP bendahara"), 30)
    official_name = _text_field(_l("Nama pejabat penanggung jawab"), 200)
    official_position = _text_field(_l("Jabatan pejabat"), 200)
    official_nip = _text_field(_l("NIP pejabat"), 30)
    signing_place = _text_field(_l("Tempat penandatanganan"), 120)


class BudgetLineForm(FlaskForm):
    """A line typed by hand."""

    description = StringField(
        _l("Uraian"),
        [InputRequired(_l("Uraian wajib diisi.")), Length(max=200)],
    )
    category = SelectField(
        _l("Kategori"),
        choices=enum_choices(labels.BUDGET_CATEGORY),
        default="other",
        invalid_choice_message=_l("Pilih salah satu dari daftar."),
    )
    delegation_id = SelectField(
        _l("Delegasi"),
        coerce=coerce_id,
        choices=[],
        invalid_choice_message=_l("Pilih salah satu dari daftar."),
    )
    quantity = WholeNumberField(
        _l("Volume"),
        [
            InputRequired(_l("Volume wajib diisi.")),
            NumberRange(min=0, message=_NOT_NEGATIVE),
        ],
        not_a_number=_l("Volume harus berupa angka."),
        default=1,
    )
    unit = _text_field(_l("Satuan"), 40)
    unit_price = WholeNumberField(
        _l("Harga satuan"),
        [
            InputRequired(_l("Harga satuan wajib diisi.")),
            NumberRange(min=0, message=_NOT_NEGATIVE),
        ],
        not_a_number=_NOT_A_NUMBER,
    )


class CertificateTemplateForm(FlaskForm):
    """What the event's certificates say and who signs them."""

    title = StringField(
        _l("Judul"),
        [InputRequired(_l("Judul wajib diisi.")), Length(max=120)],
        default="Sertifikat",
    )
    number_pattern = StringField(
        _l("Pola nomor"),
        [InputRequired(_l("Pola nomor wajib diisi.")), Length(max=120)],
        default="{n}/SERT/{roman_month}/{year}",
        description=_l(
            "{n} nomor urut, {roman_month} bulan dalam angka Romawi, {month} bulan, "
            "{year} tahun."
        ),
    )
    lesson_hours = WholeNumberField(
        _l("Jam pelajaran (JP)"),
        [
            Optional(),
            NumberRange(min=0, message=_l("Jam pelajaran tidak boleh negatif.")),
        ],
        not_a_number=_l("Jam pelajaran harus berupa angka."),
        default=0,
    )
    signatory_name = StringField(
        _l("Nama penanda tangan"),
        [InputRequired(_l("Nama penanda tangan wajib diisi.")), Length(max=200)],
    )
    signatory_position = StringField(
        _l("Jabatan penanda tangan"),
        [InputRequired(_l("Jabatan penanda tangan wajib diisi.")), Length(max=200)],
    )
    signatory_nip = _text_field(_l("NIP penanda tangan"), 30)
    signature = FileField(_l("Gambar tanda tangan (PNG atau JPEG, paling besar 1 MB)"))
    remove_signature = BooleanField(_l("Hapus gambar tanda tangan"))


class LetterSettingsForm(FlaskForm):
    """The letterhead, number pattern and signatory of the invitation letters."""

    office_name = StringField(
        _l("Nama kantor (kop surat)"),
        [InputRequired(_l("Nama kantor wajib diisi.")), Length(max=200)],
    )
    office_address = StringField(
        _l("Alamat kantor"),
        [InputRequired(_l("Alamat kantor wajib diisi.")), Length(max=300)],
    )
    logo = FileField(_l("Logo (PNG atau JPEG, paling besar 1 MB)"))
    remove_logo = BooleanField(_l("Hapus logo"))
    number_pattern = StringField(
        _l("Pola nomor surat"),
        [InputRequired(_l("Pola nomor wajib diisi.")), Length(max=120)],
        default="005/{n}/DINSOS/{roman_month}/{year}",
        description=_l(
            "{n} nomor urut, {roman_month} bulan dalam angka Romawi, {month} bulan, "
            "{year} tahun."
        ),
    )
    first_number = WholeNumberField(
        _l("Nomor urut pertama"),
        [Optional(), NumberRange(min=1, message=_l("Nomor pertama paling kecil 1."))],
        not_a_number=_l("Nomor urut harus berupa angka."),
        default=1,
    )
    dated_on = IndonesianDateField(
        _l("Tanggal surat"), [InputRequired(_l("Tanggal surat wajib diisi."))]
    )
    recipient_kind = SelectField(
        _l("Ditujukan kepada"),
        choices=enum_choices(labels.RECIPIENT_KIND),
        invalid_choice_message=_l("Pilih salah satu dari daftar."),
    )
    signing_place = StringField(
        _l("Tempat penandatanganan"),
        [InputRequired(_l("Tempat wajib diisi.")), Length(max=120)],
    )
    signatory_name = StringField(
        _l("Nama penanda tangan"),
        [InputRequired(_l("Nama penanda tangan wajib diisi.")), Length(max=200)],
    )
    signatory_position = StringField(
        _l("Jabatan penanda tangan"),
        [InputRequired(_l("Jabatan penanda tangan wajib diisi.")), Length(max=200)],
    )
    signatory_nip = _text_field(_l("NIP penanda tangan"), 30)
