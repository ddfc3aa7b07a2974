"""Forms of the run-down pages: an item with its speakers, and the shift of later
items."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    StringField,
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
from planner.services.agenda import (
    MAX_SHIFT,
    MAX_SPEAKERS,
    NOTES_MAX,
    ROOM_MAX,
    SPEAKER_TEXT_MAX,
    TITLE_MAX,
)

_INVALID_CHOICE = _l("Pilih salah satu dari daftar.")
_TOO_LONG = _l("Paling panjang %(max)d karakter.")
#: Speaker rows a new item's form offers (an edited item gets one more than it has).
SPEAKER_ROWS = 4
#: Clock times are typed "10.00" (Indonesian) or "10:00".
_CLOCK_FORMATS = ["%H:%M", "%H.%M"]


class SpeakerRowForm(Form):
    """One speaker, moderator or MC: a person on record or a typed name."""

    role = SelectField(
        _l("Peran"),
        choices=enum_choices(labels.SPEAKER_ROLE),
        default="speaker",
        invalid_choice_message=_INVALID_CHOICE,
    )
    person_id = SelectField(
        _l("Orang terdaftar"),
        coerce=coerce_id,
        choices=[],
        validate_choice=True,
        invalid_choice_message=_l("Pilih orang dari daftar."),
    )
    name = StringField(
        _l("atau nama"),
        filters=[_strip],
        validators=[Length(max=SPEAKER_TEXT_MAX, message=_TOO_LONG)],
    )
    title = StringField(
        _l("Jabatan"),
        filters=[_strip],
        validators=[Length(max=SPEAKER_TEXT_MAX, message=_TOO_LONG)],
    )
    institution = StringField(
        _l("Instansi"),
        filters=[_strip],
        validators=[Length(max=SPEAKER_TEXT_MAX, message=_TOO_LONG)],
    )


class AgendaItemForm(FlaskForm):
    """An item of the run-down; times in the event's zone."""

    day = IndonesianDateField(
        _l("Tanggal"), validators=[InputRequired(_l("Tanggal wajib diisi."))]
    )
    starts_time = IndonesianTimeField(
        _l("Mulai"),
        format=_CLOCK_FORMATS,
        validators=[InputRequired(_l("Jam mulai wajib diisi."))],
    )
    ends_time = IndonesianTimeField(
        _l("Selesai"),
        format=_CLOCK_FORMATS,
        validators=[InputRequired(_l("Jam selesai wajib diisi."))],
    )
    ends_on = IndonesianDateField(
        _l("Selesai pada tanggal lain"),
        validators=[Optional()],
        description=_l("Hanya bila mata acara berlangsung lewat tengah malam."),
    )
    title = StringField(
        _l("Judul mata acara"),
        filters=[_strip],
        validators=[
            InputRequired(_l("Judul mata acara wajib diisi.")),
            Length(max=TITLE_MAX, message=_TOO_LONG),
        ],
        description=_l("Misalnya: Materi 1 — Konsep Dasar PSM"),
    )
    kind = SelectField(
        _l("Jenis"),
        choices=enum_choices(labels.AGENDA_KIND),
        default="material",
        invalid_choice_message=_INVALID_CHOICE,
    )
    place_id = SelectField(
        _l("Tempat"),
        coerce=coerce_id,
        choices=[],
        invalid_choice_message=_l("Pilih tempat dari daftar."),
    )
    room = StringField(
        _l("Ruang"),
        filters=[_strip],
        validators=[Length(max=ROOM_MAX, message=_TOO_LONG)],
        description=_l("Misalnya: Ruang Melati, Aula Lt. 2"),
    )
    audience = SelectField(
        _l("Untuk"),
        choices=enum_choices(labels.AGENDA_AUDIENCE),
        default="everyone",
        invalid_choice_message=_INVALID_CHOICE,
    )
    delegation_ids = SelectMultipleField(
        _l("Delegasi"),
        coerce=coerce_ids,
        choices=[],
        invalid_choice_message=_l("Pilih delegasi acara ini dari daftar."),
        description=_l("Hanya bila mata acara untuk delegasi tertentu."),
    )
    speakers = FieldList(
        FormField(SpeakerRowForm),
        min_entries=SPEAKER_ROWS,
        max_entries=MAX_SPEAKERS,
    )
    notes = TextAreaField(
        _l("Catatan"),
        description=_l(
            "Tampil apa adanya di kalender publik bila acara diterbitkan, dan di "
            "kalender peserta dan delegasi. Jangan tulis nomor HP, NIK atau hal "
            "internal di sini."
        ),
        filters=[_strip],
        validators=[Length(max=NOTES_MAX, message=_TOO_LONG)],
    )
    committee_notes = TextAreaField(
        _l("Catatan panitia"),
        description=_l(
            "Hanya untuk panitia: tidak pernah tampil di kalender mana pun, bagi "
            "delegasi, atau bagi peserta."
        ),
        filters=[_strip],
        validators=[Length(max=NOTES_MAX, message=_TOO_LONG)],
    )


class ShiftForm(FlaskForm):
    """Move an item and the later items of its day by some minutes."""

    minutes = WholeNumberField(
        _l("Menit"),
        default=15,
        validators=[
            InputRequired(_l("Isi jumlah menit.")),
            NumberRange(
                min=-MAX_SHIFT,
                max=MAX_SHIFT,
                message=_l("Geser antara %(min)s dan %(max)s menit."),
            ),
        ],
        not_a_number=_l("Isi jumlah menit berupa angka."),
    )


class ActionForm(FlaskForm):
    """A button that changes something (delete, cancel, reinstate): CSRF only."""
