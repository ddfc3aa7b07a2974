"""Stay, room and rooming-list pages of an event, and each participant's own rooms.

Organisers book stays and rooms and put people in them; a delegation's head sees the
rooms of their own delegations' people; a participant sees their own room only.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms.fields.choices import SelectChoice

from planner import labels
from planner.blueprints.downloads import send_export
from planner.blueprints.rooms import bp
from planner.blueprints.rooms.forms import (
    ActionForm,
    AssignForm,
    RoomForm,
    RoomsForm,
    StayForm,
)
from planner.commit import save
from planner.exports.rooming import night_title
from planner.extensions import db
from planner.jobs.exports import ROOMING_BUILDERS, own_delegations, rooming_list_file
from planner.models import (
    TAKING_PART,
    Delegate,
    Event,
    Person,
    Place,
    PlaceKind,
    Room,
    RoomAssignment,
    Stay,
)
from planner.permissions import (
    can_manage_rooms,
    can_view_rooms,
    require,
)
from planner.services.export_sizes import rooming_rows
from planner.services.rooms import (
    add_rooms,
    assign_room,
    auto_assign_rooms,
    beds_by_night,
    create_stay,
    delete_room,
    delete_stay,
    room_warnings,
    rooming_list,
    stays_from_itinerary,
    unassign_room,
    update_room,
    update_stay,
)
from planner.services.rooms.listing import load_stay_rooms, load_stays

FORMATS = ROOMING_BUILDERS


# Loading ------------------------------------------------------------------------------


def _event(event_id: int) -> Event:
    return db.one_or_404(db.select(Event).where(Event.id == event_id))


def _manage(event_id: int) -> Event:
    event = _event(event_id)
    require(can_manage_rooms(current_user, event))
    return event


def _stay(event: Event, stay_id: int) -> Stay:
    """A stay looked up by both ids, or 404."""
    return db.one_or_404(
        db.select(Stay)
        .options(joinedload(Stay.place))
        .filter_by(id=stay_id, event_id=event.id)
    )


def _room(stay: Stay, room_id: int) -> Room:
    return db.one_or_404(db.select(Room).filter_by(id=room_id, stay_id=stay.id))


def _own_delegations(event: Event) -> set[int] | None:
    """None for organisers (everyone); else the ids of the delegations the user heads."""
    return own_delegations(current_user, event)


def _index_url(event: Event) -> str:
    return url_for("rooms.index", event_id=event.id)


def _stay_url(stay: Stay) -> str:
    return url_for("rooms.stay", event_id=stay.event_id, stay_id=stay.id)


def _hotel_choices(current: Place | None = None) -> list[SelectChoice]:
    hotels = db.session.scalars(
        select(Place).where(Place.kind == PlaceKind.HOTEL).order_by(Place.name)
    ).all()
    if current is not None and current not in hotels:
        hotels = [current, *hotels]
    return [SelectChoice("", _("— hotel baru —"))] + [
        SelectChoice(p.id, p.name) for p in hotels
    ]


# The event's stays ----------------------------------------------------------------------


@bp.get("/")
@login_required
def index(event_id: int):
    """The event's stays, beds booked against beds needed per night, and warnings."""
    event = _event(event_id)
    require(can_view_rooms(current_user, event))
    manager = can_manage_rooms(current_user, event)
    stays = load_stays(event)
    return render_template(
        "rooms/index.html",
        event=event,
        stays=stays,
        nights=beds_by_night(event, stays) if manager else [],
        warnings=room_warnings(event) if manager else [],
        manager=manager,
        action_form=ActionForm(),
    )


def _stay_form_page(event: Event, form: StayForm, stay: Stay | None):
    return render_template(
        "rooms/stay_form.html",
        event=event,
        form=form,
        stay=stay,
        action_form=ActionForm(),
    )


@bp.route("/stays/new", methods=["GET", "POST"])
@login_required
def new_stay(event_id: int):
    """Book a hotel for some nights."""
    event = _manage(event_id)
    form = StayForm()
    form.place_id.choices = _hotel_choices()
    if request.method == "GET":
        form.check_in_on.data = event.starts_on
        form.check_out_on.data = event.ends_on
    if form.validate_on_submit():
        outcome = save(lambda: create_stay(event, data=form.data), form=form)
        if outcome:
            flash(_("Penginapan disimpan."), "success")
            return redirect(_stay_url(outcome.value))
    return _stay_form_page(event, form, None)


@bp.route("/stays/<int:stay_id>/edit", methods=["GET", "POST"])
@login_required
def edit_stay(event_id: int, stay_id: int):
    """Change a stay's hotel, dates or booking reference."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    form = StayForm(obj=stay)
    form.place_id.choices = _hotel_choices(stay.place)
    if form.validate_on_submit():
        if save(lambda: update_stay(stay, data=form.data), form=form):
            flash(_("Penginapan disimpan."), "success")
            return redirect(_stay_url(stay))
    return _stay_form_page(event, form, stay)


@bp.post("/stays/<int:stay_id>/delete")
@login_required
def remove_stay(event_id: int, stay_id: int):
    """Remove a stay with its rooms."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    if ActionForm().validate_on_submit() and save(lambda: delete_stay(stay)):
        flash(_("Penginapan dihapus."), "success")
    return redirect(_index_url(event))


@bp.post("/from-itinerary")
@login_required
def from_itinerary(event_id: int):
    """Book the nights the itinerary spends at hotels."""
    event = _manage(event_id)
    if ActionForm().validate_on_submit():
        outcome = save(lambda: stays_from_itinerary(event))
        if outcome:
            flash(
                _("%(n)s penginapan dibuat dari rute.", n=len(outcome.value)),
                "success",
            )
    return redirect(_index_url(event))


@bp.post("/auto")
@login_required
def auto(event_id: int):
    """Give every traveller a bed automatically (pinned beds are kept)."""
    event = _manage(event_id)
    if ActionForm().validate_on_submit():
        outcome = save(lambda: auto_assign_rooms(event))
        if outcome:
            result = outcome.value
            flash(
                _(
                    "%(placed)s tempat tidur dibagikan di %(rooms)s kamar; %(left)s "
                    "peserta belum mendapat kamar.",
                    placed=result.placed,
                    rooms=result.rooms_used,
                    left=len(result.unplaced),
                ),
                "success" if not result.unplaced else "warning",
            )
    return redirect(_index_url(event))


# One stay ----------------------------------------------------------------------------


def _assign_form(event: Event, rooms: list[Room]) -> AssignForm:
    form = AssignForm(prefix="assign")
    people = db.session.execute(
        select(
            Delegate.id,
            Person.full_name,
            Person.title_before,
            Person.title_after,
            Person.position,
            Person.institution,
        )
        .join(Person, Person.id == Delegate.person_id)
        .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
        .order_by(Person.full_name, Delegate.id)
    ).all()
    form.delegate_id.choices = [
        SelectChoice(row.id, row.full_name or row.position or str(row.id))
        for row in people
    ]
    form.room_id.choices = [SelectChoice("", _("— tanpa kamar —"))] + [
        SelectChoice(r.id, f"{r.label} ({len(r.assignments)}/{r.beds})") for r in rooms
    ]
    return form


def _stay_page(event, stay, *, rooms_form=None, assign_form=None):
    own = _own_delegations(event)
    rooms = load_stay_rooms(stay)
    manager = own is None
    return render_template(
        "rooms/stay.html",
        event=event,
        stay=stay,
        rooms=rooms,
        listing=rooming_list(stay, delegation_ids=own, rooms=rooms),
        manager=manager,
        rooms_form=rooms_form or RoomsForm(prefix="rooms"),
        assign_form=assign_form or (_assign_form(event, rooms) if manager else None),
        action_form=ActionForm(),
        labels=labels,
        night_title=night_title,
    )


@bp.get("/stays/<int:stay_id>")
@login_required
def stay(event_id: int, stay_id: int):
    """A stay's rooms and who sleeps in them (a head: their own delegations' people)."""
    event = _event(event_id)
    require(can_view_rooms(current_user, event))
    return _stay_page(event, _stay(event, stay_id))


@bp.post("/stays/<int:stay_id>/rooms")
@login_required
def new_rooms(event_id: int, stay_id: int):
    """Book rooms of one type at a stay."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    form = RoomsForm(prefix="rooms")
    if form.validate_on_submit():
        outcome = save(lambda: add_rooms(stay, data=form.data), form=form)
        if outcome:
            flash(_("%(n)s kamar ditambahkan.", n=len(outcome.value)), "success")
            return redirect(_stay_url(stay))
    return _stay_page(event, stay, rooms_form=form), 400


@bp.route("/stays/<int:stay_id>/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@login_required
def edit_room(event_id: int, stay_id: int, room_id: int):
    """Change a room's number, type, beds, rate or family mark."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    room = _room(stay, room_id)
    form = RoomForm(obj=room)
    if form.validate_on_submit():
        if save(lambda: update_room(room, data=form.data), form=form):
            flash(_("Kamar disimpan."), "success")
            return redirect(_stay_url(stay))
    return render_template(
        "rooms/room_form.html",
        event=event,
        stay=stay,
        room=room,
        form=form,
        action_form=ActionForm(),
    )


@bp.post("/stays/<int:stay_id>/rooms/<int:room_id>/delete")
@login_required
def remove_room(event_id: int, stay_id: int, room_id: int):
    """Remove a room and the beds given in it."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    room = _room(stay, room_id)
    if ActionForm().validate_on_submit() and save(lambda: delete_room(room)):
        flash(_("Kamar dihapus."), "success")
    return redirect(_stay_url(stay))


@bp.post("/stays/<int:stay_id>/assign")
@login_required
def assign(event_id: int, stay_id: int):
    """Put a delegate in a room by hand, or take their bed away."""
    event = _manage(event_id)
    stay = _stay(event, stay_id)
    rooms = load_stay_rooms(stay)
    form = _assign_form(event, rooms)
    if form.validate_on_submit():
        delegate = db.session.get(Delegate, form.delegate_id.data)
        if delegate is None or delegate.event_id != event.id:
            abort(404)
        room = next((r for r in rooms if r.id == form.room_id.data), None)
        if room is None:
            action = lambda: unassign_room(stay, delegate=delegate)  # noqa: E731
        else:
            action = lambda: assign_room(room, delegate=delegate)  # noqa: E731
        if save(action, form=form):
            flash(_("Kamar disimpan."), "success")
            return redirect(_stay_url(stay))
    return _stay_page(event, stay, assign_form=form), 400


@bp.get("/stays/<int:stay_id>/rooming.<fmt>")
@login_required
def rooming_file(event_id: int, stay_id: int, fmt: str):
    """The rooming list as PDF or XLSX, a section per night."""
    event = _event(event_id)
    require(can_view_rooms(current_user, event))
    if fmt not in FORMATS:
        abort(404)
    stay = _stay(event, stay_id)
    own = _own_delegations(event)
    return send_export(
        "rooming",
        lambda: rooming_list_file(stay, fmt=fmt, delegation_ids=own),
        rows=rooming_rows(stay),
        params={"event_id": event.id, "stay_id": stay.id, "fmt": fmt},
        back_url=_stay_url(stay),
    )


# A participant's own rooms ---------------------------------------------------------


@bp.get("/mine")
@login_required
def mine(event_id: int):
    """Where I sleep each night of the event: hotel, room and roommates' names."""
    event = _event(event_id)
    delegate = None
    if current_user.person_id is not None:
        delegate = db.session.execute(
            select(Delegate).filter_by(
                event_id=event.id, person_id=current_user.person_id
            )
        ).scalar_one_or_none()
    if delegate is None or not event.is_published:
        abort(403)
    from planner.services.rooms.personal import stays_of

    return render_template(
        "rooms/mine.html", event=event, delegate=delegate, stays=stays_of(delegate)
    )


__all__ = ["RoomAssignment"]
