"""Copy an event as next year's template: the form and the view."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from planner.blueprints.events import bp
from planner.blueprints.events.forms import REQUIRED, YEARS, clean_text
from planner.commit import save
from planner.extensions import db
from planner.models import Event
from planner.permissions import can_create_event, can_manage_event, require
from planner.services.copying import (
    TITLE_MAX,
    copy_event,
    copy_summary,
    default_start,
    default_title,
)
from planner.services.events import holiday_messages


class CopyForm(FlaskForm):
    """The new event's title and start date, and whether people and seats come along."""

    title = StringField(
        _l("Nama acara baru"),
        filters=[clean_text],
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=TITLE_MAX, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    starts_on = DateField(
        _l("Tanggal mulai baru"),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=_l("Tanggal tidak valid."),
    )
    include_delegates = BooleanField(
        _l("Salin juga para delegasi (sebagai calon, harus dikonfirmasi ulang)"),
        description=_l(
            "Peserta yang sudah mundur atau diganti tidak disalin; riwayatnya juga "
            "tidak."
        ),
    )
    include_seats = BooleanField(
        _l("Salin juga pembagian kursi"),
        description=_l("Hanya bersama para delegasi."),
    )

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

    def validate_include_seats(self, field) -> None:
        """Seats belong to delegates: without them there is nobody to seat."""
        if field.data and not self.include_delegates.data:
            raise ValidationError(
                _l(
                    "Pembagian kursi hanya dapat disalin bersama para delegasi: "
                    "centang juga pilihan di atas."
                )
            )


def _shift_message(days: int) -> str:
    """How far the schedule moved, in words."""
    if days > 0:
        return _("Semua jadwal digeser %(n)s hari ke depan.", n=days)
    if days < 0:
        return _("Semua jadwal digeser %(n)s hari lebih awal.", n=-days)
    return _("Tanggal dan jadwal tidak berubah.")


@bp.route("/<int:event_id>/copy", methods=["GET", "POST"])
@login_required
def copy(event_id: int):
    """Copy the event as a new draft with new dates (next year's plan)."""
    event = db.one_or_404(
        db.select(Event)
        .where(Event.id == event_id)
        .options(selectinload(Event.organisers))
    )
    require(can_manage_event(current_user, event) and can_create_event(current_user))
    form = CopyForm()
    if request.method == "GET":
        form.starts_on.data = default_start(event)
        form.title.data = default_title(event, form.starts_on.data)
    if form.validate_on_submit():
        new = save(
            lambda: copy_event(
                event,
                title=form.title.data,
                starts_on=form.starts_on.data,
                by_user=current_user._get_current_object(),
                include_delegates=form.include_delegates.data,
                include_seats=form.include_seats.data,
            ),
            form=form,
        ).value
        if new is not None:
            days = (new.starts_on - event.starts_on).days
            flash(
                _("Acara disalin sebagai draf: %(title)s.", title=new.title)
                + " "
                + _shift_message(days),
                "success",
            )
            for message in holiday_messages(new.starts_on, new.ends_on):
                flash(message, "warning")
            return redirect(url_for("events.show", event_id=new.id))
    chosen = form.starts_on.data
    if not isinstance(chosen, date) or chosen.year not in YEARS:
        chosen = None
    return render_template(
        "events/copy.html",
        form=form,
        event=event,
        summary=copy_summary(event),
        suggested=default_start(event),
        chosen=chosen,
        chosen_end=chosen + (event.ends_on - event.starts_on) if chosen else None,
    )
