"""Forms of the events feature."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from planner.blueprints.choices import region_choices
from planner.blueprints.fields import SelectField
from planner.extensions import db
from planner.labels import EVENT_KIND
from planner.models import EventStatus, Place
from planner.services.events import MAX_EVENT_DAYS, TIMEZONES

INVALID_CHOICE = _l("Pilihan tidak valid.")
REQUIRED = _l("Wajib diisi.")
#: Years a date may have; beyond them a typo is far likelier than an event.
YEARS = range(1990, 2101)


def int_or_none(value) -> int | None:
    """Coerce a select's value to an id; the blank option means "none"."""
    if value is None or value == "":
        return None
    return int(value)


def clean_text(value):
    """Trim the text and drop NUL characters, which PostgreSQL refuses."""
    if isinstance(value, str):
        return value.replace("\x00", "").strip()
    return value


def place_choices() -> list[SelectChoice]:
    """Every place, labelled "name — region"."""
    places = db.session.scalars(
        db.select(Place)
        .options(joinedload(Place.region))
        .order_by(Place.name, Place.id)
    ).all()
    choices = [SelectChoice("", _l("— Belum ditentukan —"))]
    for place in places:
        label = f"{place.name} — {place.region.name}" if place.region else place.name
        choices.append(SelectChoice(str(place.id), label))
    return choices


def timezone_choices() -> list[SelectChoice]:
    """Blank (from the venue) and the four zones an Indonesian event can use."""
    return [SelectChoice("", _l("Otomatis (dari tempat acara)"))] + [
        SelectChoice(name, f"{abbr} — {name}") for name, abbr in TIMEZONES.items()
    ]


class EventForm(FlaskForm):
    """An event's details, for creating and editing."""

    kind = SelectField(
        _l("Jenis acara"),
        choices=[SelectChoice(k.value, label) for k, label in EVENT_KIND.items()],
        validators=[DataRequired(message=REQUIRED)],
        invalid_choice_message=INVALID_CHOICE,
    )
    title = StringField(
        _l("Nama acara"),
        filters=[clean_text],
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    organiser_body = StringField(
        _l("Penyelenggara"),
        description=_l(
            'Seperti yang dicetak, mis. "IPSM Provinsi Kepulauan Bangka Belitung".'
        ),
        filters=[clean_text],
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    host_region_id = SelectField(
        _l("Wilayah tuan rumah"),
        coerce=int_or_none,
        validators=[DataRequired(message=REQUIRED)],
        invalid_value_message=INVALID_CHOICE,
        invalid_choice_message=INVALID_CHOICE,
    )
    venue_id = SelectField(
        _l("Tempat acara"),
        coerce=int_or_none,
        validators=[Optional()],
        invalid_value_message=INVALID_CHOICE,
        invalid_choice_message=INVALID_CHOICE,
    )
    new_venue_name = StringField(
        _l("… atau tempat baru"),
        filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
        validators=[
            Optional(),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
        description=_l(
            "Belum ada di daftar? Tulis namanya, misalnya Hotel Santika Pangkalpinang."
        ),
    )
    new_venue_region_id = SelectField(
        _l("Wilayah tempat baru"),
        coerce=int_or_none,
        validators=[Optional()],
        invalid_value_message=INVALID_CHOICE,
        invalid_choice_message=INVALID_CHOICE,
    )
    starts_on = DateField(
        _l("Tanggal mulai"),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=_l("Tanggal tidak valid."),
    )
    ends_on = DateField(
        _l("Tanggal selesai"),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=_l("Tanggal tidak valid."),
    )
    timezone = SelectField(
        _l("Zona waktu"),
        description=_l("Kosongkan agar mengikuti wilayah tempat acara."),
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    capacity = IntegerField(
        _l("Kapasitas yang diumumkan"),
        description=_l(
            "Jumlah peserta yang diumumkan; kuota per wilayah bisa berbeda."
        ),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=1_000_000,
                message=_l("Isi angka antara %(min)s dan %(max)s."),
            ),
        ],
        invalid_value_message=_l("Isi angka bulat, mis. 150."),
        render_kw={"min": 0, "max": 1_000_000, "inputmode": "numeric"},
    )
    description = TextAreaField(
        _l("Deskripsi"),
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=5000, message=_l("Paling banyak %(max)d karakter.")),
        ],
        render_kw={"rows": 5},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = region_choices()
        self.host_region_id.choices = regions
        self.new_venue_region_id.choices = [
            SelectChoice("", _l("— Sama dengan wilayah tuan rumah —")),
            *regions[1:],
        ]
        self.venue_id.choices = place_choices()
        self.timezone.choices = timezone_choices()

    def validate_starts_on(self, field) -> None:
        """Refuse years no event of ours can have (typos such as 0202)."""
        if field.data is not None and field.data.year not in YEARS:
            raise ValidationError(
                _l(
                    "Tahun harus antara %(first)s dan %(last)s.",
                    first=YEARS[0],
                    last=YEARS[-1],
                )
            )

    def validate_ends_on(self, field) -> None:
        """The end is on or after the start, and the event lasts at most a year."""
        start: date | None = self.starts_on.data
        if field.data is None or start is None:
            return
        if field.data < start:
            raise ValidationError(
                _l("Tanggal selesai tidak boleh sebelum tanggal mulai.")
            )
        if (field.data - start).days + 1 > MAX_EVENT_DAYS:
            raise ValidationError(_l("Acara paling lama %(n)s hari.", n=MAX_EVENT_DAYS))


class StatusForm(FlaskForm):
    """The status an organiser moves the event to."""

    status = SelectField(
        choices=[SelectChoice(s.value) for s in EventStatus],
        validators=[DataRequired(message=REQUIRED)],
        invalid_choice_message=_l("Status tidak dikenal."),
    )


class CancelForm(FlaskForm):
    """Why the event is cancelled (shown to everyone who sees it)."""

    reason = TextAreaField(
        _l("Alasan pembatalan"),
        filters=[clean_text],
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=1000, message=_l("Paling banyak %(max)d karakter.")),
        ],
        render_kw={"rows": 4},
    )
