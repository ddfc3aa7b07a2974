"""Views of the events feature: list, overview, create, edit, status, cancel."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from planner.blueprints.events import (
    OVERVIEW_SECTIONS,
    OVERVIEW_TABS,
    OverviewSection,
    bp,
)
from planner.blueprints.events.forms import CancelForm, EventForm, StatusForm
from planner.blueprints.listing import paginate
from planner.commit import save
from planner.exports.charts import quota_fill_svg
from planner.extensions import db
from planner.labels import EVENT_STATUS
from planner.models import Event, EventKind, EventStatus, Place, Region
from planner.permissions import (
    can_create_event,
    can_manage_event,
    can_view_event,
    require,
)
from planner.services.events import (
    allowed_transitions,
    can_be_cancelled,
    cancel_event,
    change_status,
    create_event,
    default_timezone,
    event_checklist,
    holiday_messages,
    holiday_warnings,
    update_event,
    visible_events,
)
from planner.services.overview import EventNumbers, chart_rows, event_numbers

#: Button label of each status change offered on the overview.
TRANSITION_LABELS = {
    EventStatus.OPEN: _l("Buka pendaftaran"),
    EventStatus.DRAFT: _l("Kembalikan ke draf"),
    EventStatus.CLOSED: _l("Tutup pendaftaran"),
    EventStatus.FINISHED: _l("Tandai selesai"),
}
#: Pages beyond this are refused rather than sent to the database as huge offsets.


def _load_event(event_id: int, *options) -> Event:
    """The event with this id, or 404."""
    return db.one_or_404(db.select(Event).where(Event.id == event_id).options(*options))


def _quota_chart(numbers: EventNumbers | None) -> tuple[Markup | None, bool]:
    """The overview's quota chart (none without delegations) and whether its bars are
    provinces (a large event) rather than delegations."""
    if numbers is None or not numbers.delegations:
        return None, False
    rows, by_province = chart_rows(numbers.delegations)
    svg = quota_fill_svg(
        rows, delegations=len(numbers.delegations) if by_province else None
    )
    return Markup(svg), by_province


def _overview_tabs() -> list[tuple[str, object, list[str]]]:
    """The overview's tabs with the section templates each includes, in order."""
    sections = [
        s if isinstance(s, OverviewSection) else OverviewSection(s)
        for s in OVERVIEW_SECTIONS
    ]
    return [
        (key, label, [s.template for s in sections if s.tab == key])
        for key, label in OVERVIEW_TABS
    ]


def _flash_holidays(event: Event) -> None:
    """Warn, without refusing, about public holidays on the event's days."""
    for message in holiday_messages(event.starts_on, event.ends_on):
        flash(message, "warning")


@bp.get("/")
@login_required
def index():
    """List the events the user may see, upcoming or past, filtered and paginated."""
    when = "past" if request.args.get("when") == "past" else "upcoming"
    kind = request.args.get("kind", "")
    kind = kind if kind in {k.value for k in EventKind} else None
    status = request.args.get("status", "")
    status = status if status in {s.value for s in EventStatus} else None
    provinces = db.session.scalars(
        db.select(Region).where(Region.parent_id.is_(None)).order_by(Region.name)
    ).all()
    province = request.args.get("province", type=int)
    province = province if province in {p.id for p in provinces} else None
    mine = request.args.get("mine") == "1"
    events = paginate(
        visible_events(
            current_user,
            when=when,
            kind=kind,
            province=province,
            status=status,
            mine=mine,
        )
    )
    return render_template(
        "events/index.html",
        page=events,
        when=when,
        kind=kind,
        status=status,
        province=province,
        provinces=provinces,
        mine=mine,
        filtered=bool(kind or status or province or mine),
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Create an event; its creator becomes its organiser."""
    require(can_create_event(current_user))
    form = EventForm()
    if form.validate_on_submit():
        event = save(
            lambda: create_event(
                data=form.data, organiser=current_user._get_current_object()
            ),
            form=form,
        ).value
        if event is not None:
            flash(_("Acara %(title)s dibuat.", title=event.title), "success")
            _flash_holidays(event)
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/new.html", form=form)


@bp.get("/<int:event_id>")
@login_required
def show(event_id: int):
    """An event's overview: a summary with the key numbers and what still needs doing,
    then the features' sections in tabs."""
    event = _load_event(
        event_id,
        selectinload(Event.organisers),
        joinedload(Event.venue).joinedload(Place.region).joinedload(Region.parent),
        joinedload(Event.host_region).joinedload(Region.parent),
    )
    require(can_view_event(current_user, event))
    manager = can_manage_event(current_user, event)
    numbers = event_numbers(event) if manager else None
    chart, by_province = _quota_chart(numbers)
    return render_template(
        "events/show.html",
        event=event,
        manager=manager,
        numbers=numbers,
        quota_chart=chart,
        quota_by_province=by_province,
        holidays=holiday_warnings(event.starts_on, event.ends_on),
        checklist=event_checklist(event) if manager else [],
        transitions=[
            (s, TRANSITION_LABELS[s])
            for s in allowed_transitions(event)
            if s in TRANSITION_LABELS
        ],
        cancellable=can_be_cancelled(event),
        tabs=_overview_tabs(),
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Change an event's details."""
    event = _load_event(
        event_id,
        selectinload(Event.organisers),
        joinedload(Event.venue).joinedload(Place.region),
    )
    require(can_manage_event(current_user, event))
    form = EventForm(obj=event)
    if request.method == "GET" and event.timezone == default_timezone(
        event.venue, event.host_region
    ):
        form.timezone.data = ""  # still following the venue: keep it automatic
    if form.validate_on_submit() and save(
        lambda: update_event(event, data=form.data), form=form
    ):
        flash(_("Perubahan acara disimpan."), "success")
        _flash_holidays(event)
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/edit.html", form=form, event=event)


@bp.post("/<int:event_id>/status")
@login_required
def status(event_id: int):
    """Move the event to another status (open, close, finish, back to draft)."""
    event = _load_event(event_id, selectinload(Event.organisers))
    require(can_manage_event(current_user, event))
    form = StatusForm()
    if not form.validate_on_submit():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        flash(errors[0] if errors else _("Status tidak dikenal."), "danger")
    elif save(lambda: change_status(event, form.status.data)):
        flash(
            _(
                "Status acara sekarang: %(status)s.",
                status=EVENT_STATUS[event.status],
            ),
            "success",
        )
    return redirect(url_for("events.show", event_id=event_id))


@bp.route("/<int:event_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(event_id: int):
    """Ask for a reason, then cancel the event."""
    event = _load_event(event_id, selectinload(Event.organisers))
    require(can_manage_event(current_user, event))
    if not can_be_cancelled(event):
        flash(_("Acara ini tidak dapat dibatalkan lagi."), "warning")
        return redirect(url_for("events.show", event_id=event.id))
    form = CancelForm()
    if form.validate_on_submit() and save(
        lambda: cancel_event(event, reason=form.reason.data), form=form
    ):
        flash(_("Acara dibatalkan."), "success")
        return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/cancel.html", form=form, event=event)
