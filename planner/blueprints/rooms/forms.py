"""Forms of the stay, room and rooming pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from planner import labels
from planner.blueprints.choices import coerce_id
from planner.blueprints.fields import SelectField, WholeNumberField
from planner.blueprints.people.forms import IndonesianDateField, _strip, enum_choices

_TOO_LONG = _l("Paling panjang %(max)d karakter.")
_INVALID_CHOICE = _l("Pilih salah satu dari daftar.")


class StayForm(FlaskForm):
    """A hotel booked for some nights."""

    place_id = SelectField(
        _l("Hotel"),
        coerce=coerce_id,
        validate_choice=False,  # the service says which place is unknown
        description=_l(
            "Hotel dari daftar tempat; atau ketik nama hotel baru di bawah."
        ),
    )
    new_place_name = StringField(
        _l("Nama hotel baru"),
        filters=[_strip],
        validators=[Length(max=200, message=_TOO_LONG)],
    )
    check_in_on = IndonesianDateField(_l("Check-in"), validators=[Optional()])
    check_out_on = IndonesianDateField(_l("Check-out"), validators=[Optional()])
    booking_ref = StringField(
        _l("Kode pemesanan"),
        filters=[_strip],
        validators=[Length(max=60, message=_TOO_LONG)],
    )
    notes = TextAreaField(_l("Catatan"), filters=[_strip])


class RoomsForm(FlaskForm):
    """Rooms of one type booked at a stay."""

    room_type = SelectField(
        _l("Jenis kamar"),
        choices=enum_choices(labels.ROOM_TYPE),
        default="twin",
        invalid_choice_message=_INVALID_CHOICE,
    )
    count = WholeNumberField(
        _l("Jumlah kamar"),
        validators=[Optional()],
        default=1,
        not_a_number=_l("Jumlah kamar harus berupa angka."),
    )
    beds = WholeNumberField(
        _l("Tempat tidur per kamar (asrama)"),
        validators=[Optional()],
        not_a_number=_l("Jumlah tempat tidur harus berupa angka."),
    )
    rate = WholeNumberField(
        _l("Tarif per malam (Rp)"),
        validators=[Optional()],
        not_a_number=_l("Tarif harus berupa angka rupiah tanpa titik."),
    )
    label = StringField(
        _l("Awalan nomor kamar"),
        filters=[_strip],
        validators=[Length(max=30, message=_TOO_LONG)],
    )
    is_family = BooleanField(
        _l("Kamar keluarga (boleh campur laki-laki dan perempuan)")
    )


class RoomForm(RoomsForm):
    """One room: its number, type, beds, rate and family mark."""

    label = StringField(
        _l("Nomor kamar"),
        filters=[_strip],
        validators=[Length(max=40, message=_TOO_LONG)],
    )


class AssignForm(FlaskForm):
    """A delegate put in a room by hand (no room: their bed is taken away)."""

    delegate_id = SelectField(
        _l("Peserta"), coerce=coerce_id, invalid_choice_message=_INVALID_CHOICE
    )
    room_id = SelectField(
        _l("Kamar"), coerce=coerce_id, invalid_choice_message=_INVALID_CHOICE
    )


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""
