"""Run-down pages: the whole run-down or one day with the travel legs in the same
timeline and the conflicts as warnings; adding, editing, cancelling, deleting and
shifting items (organisers only)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from planner import labels
from planner.blueprints.agenda import bp
from planner.blueprints.agenda.forms import (
    SPEAKER_ROWS,
    ActionForm,
    AgendaItemForm,
    ShiftForm,
)
from planner.blueprints.events import OVERVIEW_SECTIONS, OverviewSection
from planner.commit import save
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Leg,
    Person,
    Place,
    PlaceKind,
    SpeakerRole,
)
from planner.permissions import can_manage_event, can_view_event, require
from planner.services.agenda import (
    DATE_WINDOW,
    MAX_SPEAKERS,
    after_defaults,
    agenda_conflicts,
    agenda_summary,
    cancel_item,
    create_item,
    delete_item,
    item_form_data,
    leg_time_range,
    load_agenda,
    load_legs,
    local_day,
    reinstate_item,
    shift_later_items,
    time_range,
    update_item,
)

OVERVIEW_SECTIONS.append(OverviewSection("agenda/_card.html", "agenda"))

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@bp.app_template_global("agenda_summary")
def _agenda_summary(event: Event, manager: bool):
    """Items per day and conflicts, for the event overview card."""
    return agenda_summary(event, committee=manager)


# Loading ------------------------------------------------------------------------------


def _load_event(event_id: int) -> Event:
    """The event with this id (organisers and venue loaded), or 404."""
    return db.one_or_404(
        db.select(Event)
        .where(Event.id == event_id)
        .options(
            selectinload(Event.organisers),
            joinedload(Event.venue).joinedload(Place.region),
        )
    )


def _load_item(event_id: int, item_id: int) -> AgendaItem:
    """An item looked up by both ids, or 404."""
    return db.one_or_404(
        db.select(AgendaItem)
        .where(AgendaItem.id == item_id, AgendaItem.event_id == event_id)
        .options(
            joinedload(AgendaItem.event).selectinload(Event.organisers),
            selectinload(AgendaItem.speakers).joinedload(AgendaSpeaker.person),
            selectinload(AgendaItem.delegations),
        )
    )


def _manage(event_id: int) -> Event:
    event = _load_event(event_id)
    require(can_manage_event(current_user, event))
    return event


def _manage_item(event_id: int, item_id: int) -> AgendaItem:
    item = _load_item(event_id, item_id)
    require(can_manage_event(current_user, item.event))
    return item


def _parse_day(raw: str | None) -> date | None:
    """A YYYY-MM-DD query argument as a date; None when it is not one."""
    if not raw or not _DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _near(day: date | None, event: Event) -> bool:
    return (
        day is not None
        and event.starts_on - DATE_WINDOW <= day <= event.ends_on + DATE_WINDOW
    )


def _index_url(event_id: int, item: AgendaItem | None = None, **args) -> str:
    """The run-down at the item's day, scrolled to it."""
    if item is None:
        return url_for("agenda.index", event_id=event_id, **args)
    day = local_day(item.starts_at, item.event).isoformat()
    return url_for("agenda.index", event_id=event_id, day=day) + f"#item-{item.id}"


# The run-down -------------------------------------------------------------------------


def _speaker_groups(item: AgendaItem) -> dict[str, list]:
    groups: dict[str, list] = {role.value: [] for role in SpeakerRole}
    for speaker in item.speakers:
        groups[speaker.role.value].append(speaker)
    return groups


def _rows_by_day(event, items, legs, flagged, leg_flags):
    """Items and travel legs per local day of the event's zone, in time order."""
    tz = event.timezone
    days: dict[date, list[dict]] = defaultdict(list)
    for item in items:
        days[local_day(item.starts_at, event)].append(
            {
                "type": "item",
                "sort": (item.starts_at, item.ends_at, 1, item.id),
                "item": item,
                "time": time_range(item.starts_at, item.ends_at, tz),
                "speakers": _speaker_groups(item),
                "conflicts": flagged.get(item.id, []),
            }
        )
    for leg in legs:
        days[local_day(leg.departs_at, event)].append(
            {
                "type": "leg",
                "sort": (leg.departs_at, leg.arrives_at, 0, leg.id),
                "leg": leg,
                "time": leg_time_range(leg, event),
                "conflicts": leg_flags.get(leg.id, []),
            }
        )
    for rows in days.values():
        rows.sort(key=lambda r: r["sort"])
    return days


@bp.get("/")
@login_required
def index(event_id: int):
    """The run-down grouped by day (or one day), the legs interleaved, conflicts on
    top; committee-only items for organisers only."""
    event = _load_event(event_id)
    require(can_view_event(current_user, event))
    manager = can_manage_event(current_user, event)
    items = load_agenda(event, committee=manager)
    legs = load_legs(event)
    conflicts = agenda_conflicts(event, items, legs) if manager else []
    flagged: dict[int, list] = defaultdict(list)
    leg_flags: dict[int, list] = defaultdict(list)
    for conflict in conflicts:
        for item in conflict.items:
            flagged[item.id].append(conflict)
        if conflict.leg is not None:
            leg_flags[conflict.leg.id].append(conflict)
    by_day = _rows_by_day(event, items, legs, flagged, leg_flags)
    tabs = sorted(set(event.days) | set(by_day))

    raw_day = request.args.get("day")
    chosen = _parse_day(raw_day)
    day_error = None
    if raw_day is not None and not _near(chosen, event):
        day_error = _(
            "Tanggal %(day)s tidak dikenali; yang tampil adalah seluruh susunan acara.",
            day=raw_day[:40],
        )
        chosen = None
    shown = [chosen] if chosen is not None else tabs
    sections = [(day, by_day.get(day, [])) for day in shown]
    if chosen is None:
        sections = [(day, rows) for day, rows in sections if rows or day in event.days]
    shown_ids = {
        r["item"].id for _day, rows in sections for r in rows if r["type"] == "item"
    }
    shown_conflicts = [c for c in conflicts if c.item_ids & shown_ids]
    return render_template(
        "agenda/index.html",
        event=event,
        manager=manager,
        sections=sections,
        tabs=tabs,
        chosen=chosen,
        day_error=day_error,
        conflicts=shown_conflicts,
        conflict_total=len(conflicts),
        labels=labels,
        action_form=ActionForm(),
        shift_form=ShiftForm(),
        has_items=bool(items),
    )


# Editing ------------------------------------------------------------------------------

#: Order of place groups in the place select.
_PLACE_GROUPS = [
    PlaceKind.VENUE,
    PlaceKind.HOTEL,
    PlaceKind.OFFICE,
    PlaceKind.LANDMARK,
    PlaceKind.PORT,
    PlaceKind.AIRPORT,
    PlaceKind.TERMINAL,
    PlaceKind.OTHER,
]


def _place_text(place: Place) -> str:
    return f"{place.name} ({place.region.label})" if place.region else place.name


def _fill_choices(form: AgendaItemForm, event: Event, item=None) -> None:
    """The venue first, then the places the event already uses, then every other
    place by kind; the event's delegations; the people a speaker row may name."""
    venue = event.venue
    first = (
        _("Tempat acara: %(name)s", name=venue.name)
        if venue is not None
        else _("Tempat acara (belum ditentukan)")
    )
    used_ids = set(
        db.session.scalars(
            db.select(AgendaItem.place_id).where(
                AgendaItem.event_id == event.id, AgendaItem.place_id.is_not(None)
            )
        )
    )
    for from_id, to_id in db.session.execute(
        db.select(Leg.from_place_id, Leg.to_place_id).where(Leg.event_id == event.id)
    ):
        used_ids.update((from_id, to_id))
    used_ids.discard(event.venue_id)
    places = db.session.scalars(
        db.select(Place).options(joinedload(Place.region)).order_by(Place.name)
    ).all()
    order = {kind: i for i, kind in enumerate(_PLACE_GROUPS)}
    used = [p for p in places if p.id in used_ids]
    others = sorted(
        (p for p in places if p.id not in used_ids and p.id != event.venue_id),
        key=lambda p: (order.get(p.kind, 99), p.name.lower()),
    )
    used_group = _("Dipakai acara ini")
    form.place_id.choices = (
        [SelectChoice("", first)]
        + [SelectChoice(str(p.id), _place_text(p), optgroup=used_group) for p in used]
        + [
            SelectChoice(
                str(p.id), _place_text(p), optgroup=str(labels.PLACE_KIND[p.kind])
            )
            for p in others
        ]
    )
    delegations = db.session.scalars(
        db.select(Delegation).filter_by(event_id=event.id).order_by(Delegation.name)
    ).all()
    form.delegation_ids.choices = [SelectChoice(str(d.id), d.name) for d in delegations]
    people = list(
        db.session.scalars(
            db.select(Person)
            .join(Delegate, Delegate.person_id == Person.id)
            .where(
                Delegate.event_id == event.id,
                Delegate.role != DelegateRole.PARTICIPANT,
                Delegate.status.in_(ACTIVE_STATUSES),
            )
            .distinct()
            .order_by(Person.full_name, Person.id)
        )
    )
    known = {p.id for p in people}
    if item is not None:
        people += [
            s.person
            for s in item.speakers
            if s.person is not None and s.person.id not in known
        ]
    person_choices = [SelectChoice("", _("— Tidak ada (isi nama) —"))] + [
        SelectChoice(
            str(p.id),
            f"{p.formal_name} — {p.position}"[:120]
            if p.position and not p.is_office_holder
            else p.formal_name[:120],
        )
        for p in people
    ]
    for entry in form.speakers:
        entry.form.person_id.choices = person_choices


def _pad_speakers(form: AgendaItemForm, filled: int) -> None:
    """One empty speaker row more than filled, at least the usual number."""
    wanted = min(MAX_SPEAKERS, max(SPEAKER_ROWS, filled + 1))
    while len(form.speakers.entries) < wanted:
        form.speakers.append_entry()


def _form_page(event: Event, form: AgendaItemForm, item: AgendaItem | None):
    return render_template(
        "agenda/form.html",
        event=event,
        form=form,
        item=item,
        action_form=ActionForm(),
    )


def _arg_item(event: Event, raw: str | None) -> AgendaItem | None:
    """The item a query argument names; 404 when it is no item of this event."""
    if raw is None:
        return None
    ident = int(raw) if raw.isdigit() and len(raw) < 11 else 0
    if not 0 < ident < 2**31:
        abort(404)
    return _load_item(event.id, ident)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new(event_id: int):
    """Add an item; ``?after=<id>`` starts it where that item ends, ``?day=`` on that
    day."""
    event = _manage(event_id)
    form = AgendaItemForm()
    if request.method == "GET":
        after = _arg_item(event, request.args.get("after"))
        if after is not None:
            form.process(data=after_defaults(after))
        else:
            day = _parse_day(request.args.get("day"))
            form.day.data = day if _near(day, event) else event.starts_on
    _pad_speakers(form, 0)
    _fill_choices(form, event)
    if form.validate_on_submit():
        item = save(lambda: create_item(event, data=form.data), form=form).value
        if item is not None:
            flash(_("Mata acara %(title)s ditambahkan.", title=item.title), "success")
            return redirect(_index_url(event.id, item))
    return _form_page(event, form, None)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int, item_id: int):
    """Change an item."""
    item = _manage_item(event_id, item_id)
    event = item.event
    form = AgendaItemForm()
    if request.method == "GET":
        form.process(data=item_form_data(item))
    _pad_speakers(form, len(item.speakers))
    _fill_choices(form, event, item)
    if form.validate_on_submit() and save(
        lambda: update_item(item, data=form.data), form=form
    ):
        flash(_("Mata acara %(title)s disimpan.", title=item.title), "success")
        return redirect(_index_url(event.id, item))
    return _form_page(event, form, item)


def _action(event_id: int, item_id: int) -> AgendaItem:
    item = _manage_item(event_id, item_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return item


@bp.post("/<int:item_id>/delete")
@login_required
def delete(event_id: int, item_id: int):
    """Delete an item for good."""
    item = _action(event_id, item_id)
    title, day = item.title, local_day(item.starts_at, item.event)
    if save(lambda: delete_item(item)):
        flash(_("Mata acara %(title)s dihapus.", title=title), "success")
    return redirect(_index_url(event_id, day=day.isoformat()))


@bp.post("/<int:item_id>/cancel")
@login_required
def cancel(event_id: int, item_id: int):
    """Mark an item cancelled; it stays in the run-down, struck through."""
    item = _action(event_id, item_id)
    if save(lambda: cancel_item(item), category="warning"):
        flash(_("Mata acara %(title)s dibatalkan.", title=item.title), "success")
    return redirect(_index_url(event_id, item))


@bp.post("/<int:item_id>/reinstate")
@login_required
def reinstate(event_id: int, item_id: int):
    """Put a cancelled item back on the run-down."""
    item = _action(event_id, item_id)
    if save(lambda: reinstate_item(item), category="warning"):
        flash(_("Mata acara %(title)s dijadwalkan lagi.", title=item.title), "success")
    return redirect(_index_url(event_id, item))


@bp.post("/<int:item_id>/shift")
@login_required
def shift(event_id: int, item_id: int):
    """Move an item and every later item of its day by some minutes."""
    item = _manage_item(event_id, item_id)
    form = ShiftForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        for message in form.minutes.errors:
            flash(str(message), "danger")
        return redirect(_index_url(event_id, item))
    moved = save(lambda: shift_later_items(item, form.minutes.data)).value
    if moved is None:
        return redirect(_index_url(event_id, item))
    flash(
        _(
            "%(n)s mata acara digeser %(minutes)s menit.",
            n=len(moved),
            minutes=form.minutes.data,
        ),
        "success",
    )
    return redirect(_index_url(event_id, item))
