"""Seat pages of the transport feature: a trip's seats per vehicle (by hand and
automatic), and a participant's own trip (``/my/trip``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload
from wtforms import BooleanField
from wtforms.validators import InputRequired, NumberRange, Optional

from planner import labels
from planner.blueprints.choices import coerce_id
from planner.blueprints.fields import SelectField, WholeNumberField
from planner.blueprints.transport import bp
from planner.commit import save
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    Delegation,
    Event,
    EventStatus,
    Person,
    SeatAssignment,
    Trip,
    Vehicle,
)
from planner.models.types import MAX_ID
from planner.permissions import can_manage_transport, can_view_transport, require
from planner.services import PlannerError
from planner.services.seating import (
    assign_seat,
    auto_assign,
    copy_seats,
    trips_of_delegates,
    unassign_seat,
    vehicle_order,
)

#: Most unseated delegates offered in the select (a delegation filter narrows it).
MAX_CHOICES = 300
#: Most names of unplaced delegates listed in the flash message.
MAX_UNPLACED_NAMES = 20


class SeatForm(FlaskForm):
    """Seat one delegate in one vehicle, with an optional seat number."""

    delegate_id = SelectField(
        _l("Peserta"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Pilih peserta."))],
    )
    vehicle_id = SelectField(
        _l("Kendaraan"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Pilih kendaraan."))],
    )
    seat_number = WholeNumberField(
        _l("Nomor kursi"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=100, message=_l("Nomor kursi harus antara 1 dan 100.")
            ),
        ],
        description=_l("Boleh kosong."),
        not_a_number=_l("Nomor kursi harus berupa angka."),
    )


class AutoSeatForm(FlaskForm):
    """Run the automatic assignment."""

    include_nominated = BooleanField(_l("Ikutkan peserta yang baru diusulkan"))
    keep_seats = BooleanField(
        _l("Kursi yang sudah dibagi tidak dipindah"),
        default=True,
        description=_l(
            "Hanya peserta tanpa kursi yang ditempatkan. Kosongkan untuk membagi "
            "ulang semua kursi otomatis."
        ),
    )


class CopySeatsForm(FlaskForm):
    """Copy the seats of another trip of the event onto this one."""

    source_id = SelectField(
        _l("Salin kursi dari"),
        coerce=coerce_id,
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Pilih perjalanan."))],
    )


class RemoveSeatForm(FlaskForm):
    """Take a seat away (only the CSRF token)."""


# Loading --------------------------------------------------------------------------------


def _load_trip(event_id: int, trip_id: int) -> Trip:
    """The trip, looked up by both ids, with its event; or 404."""
    return db.one_or_404(
        select(Trip)
        .options(joinedload(Trip.event))
        .filter_by(id=trip_id, event_id=event_id)
    )


def _seats_url(trip: Trip) -> str:
    return url_for("transport.seats", event_id=trip.event_id, trip_id=trip.id)


def _seated(trip: Trip):
    """The trip's seats grouped by vehicle id, each list ordered by seat then name."""
    rows = db.session.scalars(
        select(SeatAssignment)
        .filter_by(trip_id=trip.id)
        .options(
            joinedload(SeatAssignment.delegate).options(
                joinedload(Delegate.person), joinedload(Delegate.delegation)
            )
        )
    ).all()
    by_vehicle: dict[int, list[SeatAssignment]] = {}
    for row in rows:
        by_vehicle.setdefault(row.vehicle_id, []).append(row)
    for seats in by_vehicle.values():
        seats.sort(
            key=lambda a: (
                a.seat_number is None,
                a.seat_number or 0,
                a.delegate.person.full_name,
                a.delegate_id,
            )
        )
    return by_vehicle


def _unseated(trip: Trip, delegation_id: int | None):
    """(up to MAX_CHOICES active delegates without a seat on the trip, their count)."""
    seated = exists().where(
        SeatAssignment.trip_id == trip.id, SeatAssignment.delegate_id == Delegate.id
    )
    where = [
        Delegate.event_id == trip.event_id,
        Delegate.status.in_(ACTIVE_STATUSES),
        ~seated,
    ]
    if delegation_id is not None:
        where.append(Delegate.delegation_id == delegation_id)
    total = db.session.scalar(select(func.count(Delegate.id)).where(*where))
    delegates = db.session.scalars(
        select(Delegate)
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(*where)
        .options(joinedload(Delegate.person), joinedload(Delegate.delegation))
        .order_by(Delegation.name.is_(None), Delegation.name, Person.full_name)
        .limit(MAX_CHOICES)
    ).all()
    return delegates, total


def _delegate_label(delegate: Delegate) -> str:
    group = delegate.delegation.name if delegate.delegation else _("Tanpa delegasi")
    return f"{delegate.person.formal_name} — {group}"


def _assign(trip: Trip, form: SeatForm) -> bool:
    """Run the hand assignment for a validated form; True when it was saved."""
    delegate_id, vehicle_id = form.delegate_id.data, form.vehicle_id.data
    delegate = (
        db.session.get(Delegate, delegate_id) if 0 < delegate_id <= MAX_ID else None
    )
    vehicle = db.session.get(Vehicle, vehicle_id) if 0 < vehicle_id <= MAX_ID else None
    if delegate is None:
        form.delegate_id.errors = [_("Pilih peserta dari daftar.")]
        return False
    if vehicle is None:
        form.vehicle_id.errors = [_("Pilih kendaraan dari daftar.")]
        return False
    saved = save(
        lambda: assign_seat(
            trip, vehicle=vehicle, delegate=delegate, seat_number=form.seat_number.data
        ),
        form=form,
        # Another organiser took the seat at the same moment.
        conflict=PlannerError(
            _("Kursi ini baru saja diisi orang lain. Coba lagi."), field="seat_number"
        ),
    )
    if not saved:
        return False
    flash(
        _(
            "%(name)s duduk di %(vehicle)s.",
            name=delegate.person.formal_name,
            vehicle=vehicle.label,
        ),
        "success",
    )
    return True


# Pages ----------------------------------------------------------------------------------


@bp.route(
    "/events/<int:event_id>/transport/trips/<int:trip_id>/seats",
    methods=["GET", "POST"],
)
@login_required
def seats(event_id: int, trip_id: int):
    """A trip's seats: a table per vehicle, a hand-assignment form, automatic seating."""
    trip = _load_trip(event_id, trip_id)
    event = trip.event
    require(can_view_transport(current_user, event))
    manager = can_manage_transport(current_user, event)
    if request.method == "POST":
        require(manager)
    form = SeatForm()
    if manager and form.validate_on_submit() and _assign(trip, form):
        return redirect(_seats_url(trip))

    vehicles = sorted(
        db.session.scalars(select(Vehicle).filter_by(event_id=event.id)),
        key=vehicle_order,
    )
    by_vehicle = _seated(trip)
    unseated, unseated_total, delegations = [], 0, []
    filter_id = coerce_id(request.args.get("delegation"))
    if filter_id is not None and not 0 < filter_id <= MAX_ID:
        filter_id = None
    if manager:
        unseated, unseated_total = _unseated(trip, filter_id)
        delegations = db.session.execute(
            select(Delegation.id, Delegation.name)
            .filter_by(event_id=event.id)
            .order_by(Delegation.name)
        ).all()
        form.delegate_id.choices = [("", _("— pilih peserta —"))] + [
            (d.id, _delegate_label(d)) for d in unseated
        ]
        form.vehicle_id.choices = [("", _("— pilih kendaraan —"))] + [
            (
                v.id,
                _(
                    "%(label)s (%(taken)s/%(seats)s)",
                    label=v.label,
                    taken=len(by_vehicle.get(v.id, [])),
                    seats=v.seats,
                ),
            )
            for v in vehicles
        ]
    return render_template(
        "transport/seats.html",
        event=event,
        trip=trip,
        vehicles=vehicles,
        by_vehicle=by_vehicle,
        manager=manager,
        form=form,
        auto_form=AutoSeatForm(formdata=None),
        copy_form=_copy_form(trip, formdata=None),
        unseated_total=unseated_total,
        unseated_shown=len(unseated),
        delegations=delegations,
        filter_id=filter_id,
        seated_total=sum(len(s) for s in by_vehicle.values()),
        capacity=sum(v.seats for v in vehicles),
    )


@bp.route(
    "/events/<int:event_id>/transport/trips/<int:trip_id>/seats/auto",
    methods=["POST"],
)
@login_required
def auto_seats(event_id: int, trip_id: int):
    """Seat everyone without a seat automatically, delegations kept together."""
    trip = _load_trip(event_id, trip_id)
    require(can_manage_transport(current_user, trip.event))
    form = AutoSeatForm()
    if not form.validate_on_submit():
        flash(_("Permintaan tidak valid. Muat ulang halaman dan coba lagi."), "danger")
        return redirect(_seats_url(trip))
    result = save(
        lambda: auto_assign(
            trip,
            include_nominated=form.include_nominated.data,
            keep_seats=form.keep_seats.data,
        ),
        conflict=_busy(),
    ).value
    if result is None:
        return redirect(_seats_url(trip))
    flash(_("%(n)s peserta mendapat kursi.", n=len(result.placed)), "success")
    if result.unplaced:
        names = ", ".join(u.name for u in result.unplaced[:MAX_UNPLACED_NAMES])
        more = len(result.unplaced) - MAX_UNPLACED_NAMES
        if more > 0:
            names = _("%(names)s, dan %(n)s lainnya", names=names, n=more)
        flash(
            _(
                "%(n)s peserta belum mendapat kursi (%(reason)s): %(names)s",
                n=len(result.unplaced),
                reason=result.unplaced[0].reason,
                names=names,
            ),
            "warning",
        )
    return redirect(_seats_url(trip))


def _busy() -> PlannerError:
    """The refusal when someone else changed the trip's seats at the same moment."""
    return PlannerError(_("Kursi sedang diubah orang lain. Coba lagi."))


def _copy_form(trip: Trip, **kw) -> CopySeatsForm:
    form = CopySeatsForm(**kw)
    form.source_id.choices = [
        (t.id, labels.trip_name(t.name))
        for t in db.session.scalars(
            select(Trip)
            .where(Trip.event_id == trip.event_id, Trip.id != trip.id)
            .order_by(Trip.position, Trip.id)
        )
    ]
    return form


@bp.post("/events/<int:event_id>/transport/trips/<int:trip_id>/seats/copy")
@login_required
def copy_trip_seats(event_id: int, trip_id: int):
    """Seat everyone as on another trip of the event (those already seated stay)."""
    trip = _load_trip(event_id, trip_id)
    require(can_manage_transport(current_user, trip.event))
    form = _copy_form(trip)
    source = None
    if form.validate_on_submit():
        source = db.session.scalar(
            select(Trip).filter_by(id=form.source_id.data, event_id=event_id)
        )
    if source is None or source.id == trip.id:
        flash(_("Pilih perjalanan lain dari acara ini."), "danger")
        return redirect(_seats_url(trip))
    outcome = save(lambda: copy_seats(source, trip), conflict=_busy())
    if not outcome:
        return redirect(_seats_url(trip))
    copied = outcome.value
    flash(
        _(
            "%(n)s kursi disalin dari %(trip)s.",
            n=copied,
            trip=labels.trip_name(source.name),
        ),
        "success",
    )
    return redirect(_seats_url(trip))


@bp.route(
    "/events/<int:event_id>/transport/trips/<int:trip_id>/vehicles/<int:vehicle_id>"
    "/seats/<int:delegate_id>/remove",
    methods=["POST"],
)
@login_required
def remove_seat(event_id: int, trip_id: int, vehicle_id: int, delegate_id: int):
    """Take one delegate's seat in a vehicle away."""
    trip = _load_trip(event_id, trip_id)
    assignment = db.one_or_404(
        select(SeatAssignment)
        .join(Vehicle, Vehicle.id == SeatAssignment.vehicle_id)
        .where(
            SeatAssignment.trip_id == trip.id,
            SeatAssignment.vehicle_id == vehicle_id,
            SeatAssignment.delegate_id == delegate_id,
            Vehicle.event_id == event_id,
        )
        .options(joinedload(SeatAssignment.delegate).joinedload(Delegate.person))
    )
    require(can_manage_transport(current_user, trip.event))
    if not RemoveSeatForm().validate_on_submit():
        flash(_("Permintaan tidak valid. Muat ulang halaman dan coba lagi."), "danger")
        return redirect(_seats_url(trip))
    name = assignment.delegate.person.formal_name
    if save(lambda: unassign_seat(trip, delegate=assignment.delegate)):
        flash(_("Kursi %(name)s dilepas.", name=name), "success")
    return redirect(_seats_url(trip))


@bp.route("/my/trip")
@login_required
def my_trip():
    """A participant's own trips: vehicle, seat, driver and the legs they travel."""
    if current_user.person_id is None:
        return render_template("transport/my_trip.html", entries=[])
    delegates = db.session.scalars(
        select(Delegate)
        .join(Event, Event.id == Delegate.event_id)
        .where(
            Delegate.person_id == current_user.person_id,
            Delegate.status.in_(ACTIVE_STATUSES),
            Event.status != EventStatus.DRAFT,
        )
        .options(joinedload(Delegate.event), joinedload(Delegate.delegation))
        .order_by(Event.starts_on.desc(), Event.id)
    ).all()
    trips = trips_of_delegates(list(delegates))
    return render_template(
        "transport/my_trip.html",
        entries=[(d, trips[d.id]) for d in delegates],
    )
