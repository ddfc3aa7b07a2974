"""Forms of the places pages."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import TextInput

from planner import labels
from planner.blueprints.choices import region_choices
from planner.blueprints.fields import SelectField
from planner.models import PlaceKind
from planner.models.types import MAX_ID

_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[.,]\d{0,15})?$")


def is_coordinate(text: str) -> bool:
    """Whether ``text`` is written as a decimal degree ("-2.1291", "106,109")."""
    return bool(_NUMBER.match((text or "").strip().replace("\u2212", "-")))


class CoordinateField(DecimalField):
    """A decimal degree that also accepts a comma ("-2,1291") and a Unicode minus."""

    #: A text box: number inputs refuse the decimal comma in many browsers.
    widget = TextInput()

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = (valuelist[0] or "").strip().replace("\u2212", "-")
        if not text:
            self.data = None
            return
        if not _NUMBER.match(text):
            self.data = None
            raise ValueError(_("Masukkan angka desimal, mis. -2,1291."))
        try:
            self.data = Decimal(text.replace(",", "."))
        except InvalidOperation:
            self.data = None
            raise ValueError(_("Masukkan angka desimal, mis. -2,1291.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(Decimal(str(self.data)).normalize(), "f")


def kind_choices() -> list[SelectChoice]:
    """The place kinds with their Indonesian labels."""
    return labels.choices(labels.PLACE_KIND)


def _optional_int(value):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return -1  # never a region id: refused by validate_region_id
    return number if number <= MAX_ID else -1


class PlaceForm(FlaskForm):
    """Name, kind, address, region and coordinates of a place."""

    name = StringField(
        _l("Nama tempat"),
        validators=[
            DataRequired(_l("Nama tempat wajib diisi.")),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    kind = SelectField(
        _l("Jenis"),
        choices=kind_choices(),
        default=PlaceKind.VENUE.value,
        validate_choice=False,
    )
    address = TextAreaField(
        _l("Alamat"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Paling banyak %(max)d karakter.")),
        ],
        render_kw={"rows": 2},
    )
    region_id = SelectField(
        _l("Kabupaten/kota"), coerce=_optional_int, validate_choice=False
    )
    lat = CoordinateField(
        _l("Lintang (latitude)"),
        places=None,
        validators=[
            Optional(),
            NumberRange(-90, 90, message=_l("Lintang harus antara -90 dan 90.")),
        ],
        description=_l("Derajat desimal, negatif di selatan khatulistiwa: -2,1291"),
    )
    lon = CoordinateField(
        _l("Bujur (longitude)"),
        places=None,
        validators=[
            Optional(),
            NumberRange(-180, 180, message=_l("Bujur harus antara -180 dan 180.")),
        ],
        description=_l("Derajat desimal: 106,1090"),
    )
    notes = TextAreaField(
        _l("Catatan"),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Paling banyak %(max)d karakter.")),
        ],
        render_kw={"rows": 2},
    )
    #: Set when a geocoder candidate was picked, so its source is kept on save.
    picked_source = HiddenField(validators=[Length(max=16)])
    picked_lat = HiddenField(validators=[Length(max=32)])
    picked_lon = HiddenField(validators=[Length(max=32)])
    lookup = SubmitField(_l("Cari koordinat"))
    submit = SubmitField(_l("Simpan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = region_choices()

    def validate_kind(self, field):
        if field.data not in {k.value for k in PlaceKind}:
            raise ValidationError(_l("Pilih jenis tempat dari daftar."))

    def validate_region_id(self, field):
        if field.data is None:
            return
        if field.data not in {
            int(c.value) for c in self.region_id.choices if c.value != ""
        }:
            raise ValidationError(_l("Pilih wilayah dari daftar."))

    def validate(self, extra_validators=None) -> bool:
        """Field rules, then: latitude and longitude come together or not at all."""
        ok = super().validate(extra_validators)
        if self.lat.errors or self.lon.errors:
            return ok
        if (self.lat.data is None) != (self.lon.data is None):
            empty = self.lat if self.lat.data is None else self.lon
            empty.errors.append(
                _("Isi lintang dan bujur keduanya, atau kosongkan keduanya.")
            )
            return False
        return ok


class PlaceSearchForm(FlaskForm):
    """The search box and kind filter above the list (a GET form, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Cari nama atau alamat"),
        validators=[Optional(), Length(max=200)],
    )
    kind = SelectField(
        _l("Jenis"),
        choices=[SelectChoice("", _l("Semua jenis")), *kind_choices()],
        validate_choice=False,
    )
