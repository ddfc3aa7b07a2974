"""Forms of the vehicle, trip and leg pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from planner import labels
from planner.blueprints.choices import coerce_id, coerce_ids
from planner.blueprints.delegations.forms import IndonesianTimeField
from planner.blueprints.fields import SelectField, SelectMultipleField, WholeNumberField
from planner.blueprints.people.forms import (
    IndonesianDateField,
    _strip,
    enum_choices,
)

_INVALID_CHOICE = _l("Pilih salah satu dari daftar.")
_TOO_LONG = _l("Paling panjang %(max)d karakter.")


class VehicleForm(FlaskForm):
    """A vehicle of the event."""

    label = StringField(
        _l("Nama kendaraan"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Nama kendaraan wajib diisi.")),
            Length(max=60, message=_TOO_LONG),
        ],
        description=_l("Misalnya: Travel 1"),
    )
    kind = SelectField(
        _l("Jenis"),
        choices=enum_choices(labels.VEHICLE_KIND),
        default="travel_van",
        invalid_choice_message=_INVALID_CHOICE,
    )
    plate = StringField(
        _l("Nomor polisi"),
        filters=[_strip],
        validators=[Length(max=20, message=_TOO_LONG)],
        description=_l("Contoh: BN 1234 AB"),
    )
    seats = WholeNumberField(
        _l("Kursi penumpang"),
        validators=[
            InputRequired(_l("Jumlah kursi wajib diisi.")),
            NumberRange(
                min=1, max=100, message=_l("Jumlah kursi harus antara 1 dan 100.")
            ),
        ],
        description=_l("Tanpa kursi sopir."),
        not_a_number=_l("Jumlah kursi harus berupa angka."),
    )
    driver_name = StringField(
        _l("Nama sopir"),
        filters=[_strip],
        validators=[Length(max=120, message=_TOO_LONG)],
    )
    driver_phone = TelField(
        _l("Telepon sopir"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=40, message=_l("Nomor telepon tidak valid")),
        ],
        description=_l("Contoh: 0812-3456-7890"),
    )
    operator = StringField(
        _l("Operator / rental"),
        filters=[_strip],
        validators=[Length(max=200, message=_TOO_LONG)],
    )
    notes = TextAreaField(
        _l("Catatan"),
        filters=[_strip],
        validators=[Length(max=5000, message=_TOO_LONG)],
    )


class TripForm(FlaskForm):
    """A named trip: "Berangkat", "Pulang", an excursion."""

    name = StringField(
        _l("Nama perjalanan"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Nama perjalanan wajib diisi.")),
            Length(max=120, message=_TOO_LONG),
        ],
        description=_l("Misalnya: Kunjungan ke Kemensos"),
    )


class LegForm(FlaskForm):
    """A leg: from a place to a place, by one mode, at times in each place's zone."""

    trip_id = SelectField(
        _l("Perjalanan"),
        coerce=coerce_id,
        choices=[],
        invalid_choice_message=_l("Pilih perjalanan dari daftar."),
    )
    from_place_id = SelectField(
        _l("Dari"),
        coerce=coerce_id,
        choices=[],
        validators=[InputRequired(_l("Pilih tempat berangkat."))],
        invalid_choice_message=_l("Pilih tempat dari daftar."),
    )
    to_place_id = SelectField(
        _l("Ke"),
        coerce=coerce_id,
        choices=[],
        validators=[InputRequired(_l("Pilih tempat tujuan."))],
        invalid_choice_message=_l("Pilih tempat dari daftar."),
    )
    mode = SelectField(
        _l("Moda"),
        choices=enum_choices(labels.LEG_MODE),
        default="road",
        invalid_choice_message=_INVALID_CHOICE,
    )
    departs_on = IndonesianDateField(
        _l("Tanggal berangkat"),
        validators=[InputRequired(_l("Tanggal berangkat wajib diisi."))],
    )
    departs_time = IndonesianTimeField(
        _l("Jam berangkat"),
        validators=[InputRequired(_l("Jam berangkat wajib diisi."))],
        description=_l("Dalam zona waktu tempat berangkat."),
    )
    arrives_on = IndonesianDateField(
        _l("Tanggal tiba"),
        validators=[InputRequired(_l("Tanggal tiba wajib diisi."))],
    )
    arrives_time = IndonesianTimeField(
        _l("Jam tiba"),
        validators=[InputRequired(_l("Jam tiba wajib diisi."))],
        description=_l("Dalam zona waktu tempat tujuan."),
    )
    vehicle_ids = SelectMultipleField(
        _l("Kendaraan"),
        coerce=coerce_ids,
        choices=[],
        invalid_choice_message=_l("Pilih kendaraan acara ini dari daftar."),
        description=_l("Di ruas kapal feri: kendaraan yang ikut menyeberang."),
    )
    delegation_ids = SelectMultipleField(
        _l("Delegasi tanpa kendaraan acara"),
        coerce=coerce_ids,
        choices=[],
        invalid_choice_message=_l("Pilih delegasi acara ini dari daftar."),
        description=_l("Misalnya yang naik pesawat atau kapal umum."),
    )
    carrier = StringField(
        _l("Operator angkutan"),
        filters=[_strip],
        validators=[Length(max=120, message=_TOO_LONG)],
        description=_l("Perusahaan kapal, maskapai."),
    )
    vessel = StringField(
        _l("Kapal / nomor penerbangan"),
        filters=[_strip],
        validators=[Length(max=120, message=_TOO_LONG)],
    )
    booking_ref = StringField(
        _l("Kode pemesanan"),
        filters=[_strip],
        validators=[Length(max=60, message=_TOO_LONG)],
    )
    notes = TextAreaField(
        _l("Catatan"),
        filters=[_strip],
        validators=[Length(max=5000, message=_TOO_LONG)],
    )
    has_packed_meal = BooleanField(
        _l("Makan di jalan: nasi kotak untuk semua penumpang")
    )

    def validate_to_place_id(self, field) -> None:
        """A leg goes somewhere else."""
        if field.data and field.data == self.from_place_id.data:
            from wtforms.validators import ValidationError

            raise ValidationError(
                _l("Tempat tujuan harus berbeda dari tempat berangkat.")
            )


class ReturnTripForm(FlaskForm):
    """Make the way back from a trip: its name and when its first leg leaves."""

    name = StringField(
        _l("Nama perjalanan pulang"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Nama perjalanan wajib diisi.")),
            Length(max=120, message=_TOO_LONG),
        ],
    )
    departs_on = IndonesianDateField(
        _l("Tanggal berangkat pulang"),
        validators=[InputRequired(_l("Tanggal berangkat wajib diisi."))],
    )
    departs_time = IndonesianTimeField(
        _l("Jam berangkat pulang"),
        validators=[InputRequired(_l("Jam berangkat wajib diisi."))],
        description=_l("Dalam zona waktu tempat berangkat pulang."),
    )
    copy_seats = BooleanField(
        _l("Salin kursi dari perjalanan berangkat"),
        default=True,
        description=_l("Setiap orang duduk di kendaraan dan kursi yang sama."),
    )


class ActionForm(FlaskForm):
    """A button that changes something (delete, create default trips): CSRF only."""


class MoveForm(FlaskForm):
    """Move a leg one place up or down in its trip."""

    direction = HiddenField(validators=[InputRequired()])
