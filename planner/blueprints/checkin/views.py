"""Check-in on the event day (search, one tap) and delegates' cards with a QR code."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager, joinedload

from planner.blueprints.checkin import bp
from planner.blueprints.checkin.forms import (
    MAX_QUERY_LENGTH,
    CheckInForm,
    SearchForm,
    UndoCheckInForm,
    clean_query,
)
from planner.blueprints.events import OVERVIEW_SECTIONS, OverviewSection
from planner.commit import save
from planner.exports.badges import qr_svg
from planner.extensions import db
from planner.formatting import format_time
from planner.models import (
    ACTIVE_STATUSES,
    TAKING_PART,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    Person,
)
from planner.models.types import MAX_ID as _MAX_ID
from planner.permissions import (
    can_check_in,
    can_view_delegate_card,
    can_view_delegation,
    require,
)
from planner.services import PlannerError
from planner.services.delegations import (
    QuotaFull,
    delegation_counts,
    mark_attended,
    undo_attendance,
)
from planner.services.events import check_in_is_early, days_until_start

#: Search results shown at once; a longer name narrows them.
RESULT_LIMIT = 50
#: Cards per printed sheet (10 per A4 page).
CARDS_PER_SHEET = 200

OVERVIEW_SECTIONS.append(OverviewSection("checkin/_overview.html", "people"))


def _like_escape(text: str) -> str:
    """Make % and _ typed by the user match themselves in LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _load_event(event_id: int) -> Event:
    """The event with its organisers (for the permission check), or 404."""
    return db.one_or_404(
        db.select(Event).where(Event.id == event_id).options(joinedload(Event.venue))
    )


def _load_delegate(event_id: int, delegate_id: int) -> Delegate:
    """The delegate of this event with person, delegation and event, or 404."""
    return db.one_or_404(
        db.select(Delegate)
        .where(Delegate.id == delegate_id, Delegate.event_id == event_id)
        .options(
            joinedload(Delegate.person).joinedload(Person.region),
            joinedload(Delegate.delegation).joinedload(Delegation.region),
            joinedload(Delegate.event),
        )
    )


def _totals(event: Event) -> tuple[int, int]:
    """(attended, expected) for the event: expected counts those taking part
    (confirmed or attended; a nominee is not expected yet)."""
    counts = delegation_counts(event).values()
    return (
        sum(c.attended for c in counts),
        sum(c.confirmed + c.attended for c in counts),
    )


def _search(event: Event, text: str) -> tuple[list[Delegate], bool]:
    """Active delegates whose name contains ``text``; and whether more were cut."""
    pattern = f"%{_like_escape(text)}%"
    rows = list(
        db.session.scalars(
            db.select(Delegate)
            .join(Delegate.person)
            .options(
                contains_eager(Delegate.person),
                joinedload(Delegate.delegation),
            )
            .where(
                Delegate.event_id == event.id,
                Delegate.status.in_(ACTIVE_STATUSES),
                Person.full_name.ilike(pattern, escape="\\"),
            )
            .order_by(Person.full_name, Delegate.id)
            .limit(RESULT_LIMIT + 1)
        )
    )
    return rows[:RESULT_LIMIT], len(rows) > RESULT_LIMIT


@bp.get("/")
@login_required
def index(event_id: int):
    """Search delegates by name and mark them present with one tap (organisers)."""
    event = _load_event(event_id)
    require(can_check_in(current_user, event))
    form = SearchForm(formdata=request.args)
    results: list[Delegate] = []
    more = searched = False
    if form.q.data and form.validate():
        results, more = _search(event, form.q.data)
        searched = True
    attended, expected = _totals(event)
    return render_template(
        "checkin/index.html",
        event=event,
        form=form,
        results=results,
        more=more,
        searched=searched,
        attended=attended,
        expected=expected,
        check_form=CheckInForm(formdata=None, q=form.q.data if searched else ""),
        limit=RESULT_LIMIT,
        early=check_in_is_early(event),
        days_to_go=days_until_start(event),
    )


@bp.route("/<int:delegate_id>", methods=["GET", "POST"])
@login_required
def confirm(event_id: int, delegate_id: int):
    """The page a card's QR code opens: one big button marks the delegate present;
    more than a day before the event it asks first."""
    delegate = _load_delegate(event_id, delegate_id)
    event = delegate.event
    require(can_check_in(current_user, event))
    form = CheckInForm()
    early = check_in_is_early(event)
    if form.validate_on_submit():
        if _asks_first(delegate, early) and not form.confirm_early.data:
            form.confirm_early.errors.append(
                _("Acara belum dimulai: centang kotak ini untuk tetap mencatat hadir.")
            )
        else:
            _check_in(delegate)
            query = form.return_query()
            if query:
                return redirect(url_for("checkin.index", event_id=event.id, q=query))
            return redirect(
                url_for("checkin.confirm", event_id=event.id, delegate_id=delegate.id)
            )
    return render_template(
        "checkin/confirm.html",
        event=event,
        delegate=delegate,
        form=form,
        ask_first=_asks_first(delegate, early),
        days_to_go=days_until_start(event),
        undo_form=UndoCheckInForm(formdata=None),
    )


def _asks_first(delegate: Delegate, early: bool) -> bool:
    """Whether a tap would mark someone present before the event: then it asks."""
    return (
        early
        and not delegate.event.is_cancelled
        and delegate.status in (DelegateStatus.NOMINATED, DelegateStatus.CONFIRMED)
    )


@bp.post("/<int:delegate_id>/undo")
@login_required
def undo(event_id: int, delegate_id: int):
    """Take back a check-in made by mistake; the history keeps both steps."""
    delegate = _load_delegate(event_id, delegate_id)
    event = delegate.event
    require(can_check_in(current_user, event))
    if UndoCheckInForm().validate_on_submit():
        name = delegate.person.formal_name
        if save(
            lambda: undo_attendance(delegate, by=current_user._get_current_object()),
            on_error=_refused(name),
        ):
            flash(_("Check-in %(name)s dibatalkan.", name=name), "success")
    return redirect(
        url_for("checkin.confirm", event_id=event.id, delegate_id=delegate.id)
    )


def _refused(name: str):
    """How a refused check-in (or undo) of ``name`` is told: a full quota says what
    to do about it; anything else gives the service's reason."""

    def show(exc: PlannerError) -> None:
        if isinstance(exc, QuotaFull):
            message = _(
                "Kuota delegasi sudah penuh: %(name)s belum bisa dicatat hadir. "
                "Naikkan kuota atau mundurkan peserta lain dulu.",
                name=name,
            )
        else:
            message = _("%(name)s: %(reason)s", name=name, reason=str(exc))
        flash(message, "danger")

    return show


def _check_in(delegate: Delegate) -> None:
    """Mark one delegate present, commit, and flash what happened."""
    event = delegate.event
    name = delegate.person.formal_name
    if event.is_cancelled:
        flash(_("Acara ini dibatalkan: kehadiran tidak dicatat."), "danger")
        return
    already = delegate.status == DelegateStatus.ATTENDED
    if not save(
        lambda: mark_attended(delegate, by=current_user), on_error=_refused(name)
    ):
        return
    if already:
        if delegate.attended_at is None:
            flash(_("%(name)s sudah tercatat hadir.", name=name), "info")
        else:
            time = format_time(delegate.attended_at, event.timezone)
            flash(
                _(
                    "%(name)s sudah tercatat hadir pukul %(time)s.",
                    name=name,
                    time=time,
                ),
                "info",
            )
        return
    time = format_time(delegate.attended_at, event.timezone)
    flash(_("%(name)s tercatat hadir pukul %(time)s.", name=name, time=time), "success")


@bp.get("/<int:delegate_id>/card")
@login_required
def card(event_id: int, delegate_id: int):
    """A delegate's card: name, role, delegation, the event and a check-in QR code."""
    delegate = _load_delegate(event_id, delegate_id)
    require(can_view_delegate_card(current_user, delegate))
    return render_template(
        "checkin/card.html",
        event=delegate.event,
        delegate=delegate,
        qr=_qr_for(delegate),
        sheet_delegation=delegate.delegation,
    )


def _checkin_url(delegate: Delegate) -> str:
    """The absolute address a card's QR code holds."""
    return url_for(
        "checkin.confirm",
        event_id=delegate.event_id,
        delegate_id=delegate.id,
        _external=True,
    )


def _qr_for(delegate: Delegate):
    """The QR code of an active delegate's check-in address; None for the others."""
    if not delegate.is_active:
        return None
    return qr_svg(
        _checkin_url(delegate),
        title=_("Kode QR check-in %(name)s", name=delegate.person.formal_name),
    )


@bp.get("/cards")
@login_required
def cards(event_id: int):
    """A printable A4 sheet of cards: one delegation (its head too) or the whole event."""
    event = _load_event(event_id)
    raw = clean_query(request.args.get("delegation", ""))[:MAX_QUERY_LENGTH]
    delegation = None
    stmt = (
        db.select(Delegate)
        .join(Delegate.person)
        .outerjoin(Delegate.delegation)
        .options(
            contains_eager(Delegate.person),
            contains_eager(Delegate.delegation).joinedload(Delegation.region),
        )
        .where(Delegate.event_id == event.id, Delegate.status.in_(TAKING_PART))
    )
    if raw == "none":
        require(can_check_in(current_user, event))
        stmt = stmt.where(Delegate.delegation_id.is_(None))
    elif raw:
        if not raw.isdigit() or int(raw) > _MAX_ID:
            abort(404)
        delegation = db.one_or_404(
            db.select(Delegation).filter_by(id=int(raw), event_id=event.id)
        )
        require(can_view_delegation(current_user, delegation))
        stmt = stmt.where(Delegate.delegation_id == delegation.id)
    else:
        require(can_check_in(current_user, event))
    stmt = stmt.order_by(
        Delegation.name.is_(None), Delegation.name, Person.full_name, Delegate.id
    )
    page = request.args.get("page", 1, type=int) or 1
    pages = db.paginate(
        stmt,
        page=min(max(page, 1), 100_000),
        per_page=CARDS_PER_SHEET,
        max_per_page=CARDS_PER_SHEET,
        error_out=False,
        count=True,
    )
    items = [(d, _qr_for(d)) for d in pages.items]
    return render_template(
        "checkin/cards.html",
        event=event,
        delegation=delegation,
        selection=raw,
        pages=pages,
        items=items,
    )
