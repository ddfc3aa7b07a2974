"""Delegation pages: the organiser's table, a delegation's roster and its actions,
speakers/committee/guests outside delegations, and a chapter head's "my delegations"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, or_
from sqlalchemy.orm import contains_eager, joinedload
from wtforms.fields.choices import SelectChoice

from planner.blueprints.choices import region_choices
from planner.blueprints.delegations import bp
from planner.blueprints.delegations.forms import (
    BulkDelegationForm,
    ConfirmForm,
    DeleteForm,
    EditDelegationForm,
    NamedDelegationForm,
    NewPersonForm,
    NominateForm,
    PasteForm,
    ReminderForm,
    ReplaceForm,
    WithdrawForm,
)
from planner.extensions import db
from planner.formatting import format_day
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Person,
    Region,
    User,
    utcnow,
)
from planner.models.types import MAX_ID as _MAX_ID
from planner.permissions import (
    can_edit_delegates,
    can_manage_delegations,
    can_view_delegate_contacts,
    can_view_delegation,
    can_view_person,
    heads_delegation,
    require,
)
from planner.services import PlannerError
from planner.services.delegations import (
    DelegationCounts,
    confirm_delegate,
    create_delegation,
    create_delegations_for_regions,
    deadline_passed,
    delegation_counts,
    delete_delegation,
    event_allocation,
    nominate_delegate,
    substitute_delegate,
    update_delegation,
    withdraw_delegate,
)
from planner.services.events import event_is_over
from planner.services.manifests import identity_gaps, needs_identity
from planner.services.people import (
    MAX_QUERY_LENGTH,
    PossibleDuplicate,
    create_person,
    visible_people,
)
from planner.services.reminders import (
    is_behind,
    reminder_problem,
    send_reminder_email,
    time_left,
    whatsapp_link,
)

#: Most people offered in a "nominate" select (a search narrows it).
MAX_CANDIDATES = 200
#: Most history lines shown on a delegation page.
MAX_HISTORY = 200

#: Roles offered in a regional delegation, and outside any.
DELEGATION_ROLES = [DelegateRole.PARTICIPANT, DelegateRole.HEAD]
OTHER_ROLES = [DelegateRole.SPEAKER, DelegateRole.COMMITTEE, DelegateRole.GUEST]

#: How each history action reads ("Siti … diusulkan").
HISTORY_ACTIONS = {
    "nominated": _l("diusulkan"),
    "confirmed": _l("dikonfirmasi"),
    "attended": _l("hadir"),
    "attendance_undone": _l("batal hadir (check-in dibatalkan)"),
    "withdrawn": _l("mundur"),
    "replaced": _l("diganti oleh"),
    "substitute": _l("menggantikan"),
    "reinstated": _l("diusulkan kembali"),
}

#: Columns of the organiser's table that can be sorted, with their sort keys.
SORT_KEYS = {
    "name": lambda r: r.delegation.name.lower(),
    "code": lambda r: (r.delegation.region is None, _code(r.delegation)),
    "head": lambda r: (r.delegation.head is None, _head_name(r.delegation)),
    "quota": lambda r: r.delegation.quota,
    "nominated": lambda r: r.nominated,
    "confirmed": lambda r: r.delegation.confirmed_count,
    "attended": lambda r: r.counts.attended,
    "deadline": lambda r: (r.delegation.deadline_at is None, r.delegation.deadline_at),
    "changed": lambda r: r.changed,
}


def _code(delegation: Delegation) -> str:
    return delegation.region.code if delegation.region else ""


def _head_name(delegation: Delegation) -> str:
    return delegation.head.display_name.lower() if delegation.head else ""


@bp.app_template_global()
def delegation_allocation(event: Event):
    """Allocated quota against announced capacity, for the event overview card."""
    return event_allocation(event)


# Loading ------------------------------------------------------------------------------


def _load_event(event_id: int) -> Event:
    """The event with this id, or 404."""
    return db.one_or_404(db.select(Event).where(Event.id == event_id))


def _load_delegation(event_id: int, delegation_id: int) -> Delegation:
    """The delegation, looked up by both ids, with its event, region and head; or 404."""
    return db.one_or_404(
        db.select(Delegation)
        .options(
            joinedload(Delegation.event),
            joinedload(Delegation.region).joinedload(Region.parent),
            joinedload(Delegation.head).joinedload(User.person),
        )
        .filter_by(id=delegation_id, event_id=event_id)
    )


def _scope(event_id: int, delegation_id: int | None):
    """(event, delegation) of a roster page; delegation None: people outside any."""
    if delegation_id is None:
        event = _load_event(event_id)
        require(can_manage_delegations(current_user, event))
        return event, None
    delegation = _load_delegation(event_id, delegation_id)
    require(can_view_delegation(current_user, delegation))
    return delegation.event, delegation


def _may_edit(event: Event, delegation: Delegation | None) -> bool:
    if delegation is None:
        return can_manage_delegations(current_user, event)
    return can_edit_delegates(current_user, delegation)


def _scope_for_edit(event_id: int, delegation_id: int | None):
    """Like :func:`_scope`, refusing (403) those who may only look."""
    event, delegation = _scope(event_id, delegation_id)
    require(_may_edit(event, delegation))
    return event, delegation


def _load_delegate(event: Event, delegation: Delegation | None, delegate_id: int):
    """A delegate of this roster, looked up by all ids, or 404."""
    return db.one_or_404(
        db.select(Delegate)
        .options(joinedload(Delegate.person))
        .filter_by(
            id=delegate_id,
            event_id=event.id,
            delegation_id=delegation.id if delegation else None,
        )
    )


def _roster_url(event: Event, delegation: Delegation | None) -> str:
    if delegation is None:
        return url_for("delegations.others", event_id=event.id)
    return url_for("delegations.show", event_id=event.id, delegation_id=delegation.id)


def _action_url(endpoint: str, event: Event, delegation, **kw) -> str:
    """A roster action's address (the "others" variant when there is no delegation)."""
    return url_for(
        f"delegations.{endpoint}",
        event_id=event.id,
        delegation_id=delegation.id if delegation else None,
        **kw,
    )


def _allowed_region_ids(delegation: Delegation | None) -> set[int] | None:
    """Regions whose people may join the delegation (a province: its regencies too).

    None: no limit (people outside delegations, a named body such as IPSM Pusat).
    """
    if delegation is None or delegation.region is None:
        return None
    ids = {delegation.region_id}
    if delegation.region.is_province:
        ids.update(
            db.session.scalars(
                db.select(Region.id).where(Region.parent_id == delegation.region_id)
            )
        )
    return ids


def _candidates(event: Event, delegation: Delegation | None, q: str) -> list[Person]:
    """People who may be nominated: visible to the user, of the delegation's regions,
    not already in the event; narrowed by a search."""
    in_event = db.select(Delegate.person_id).where(
        Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES)
    )
    stmt = visible_people(current_user, q=q).where(Person.id.not_in(in_event))
    region_ids = _allowed_region_ids(delegation)
    if region_ids is not None:
        stmt = stmt.where(Person.region_id.in_(region_ids))
    return list(db.session.scalars(stmt.limit(MAX_CANDIDATES)))


def _person_choices(people: list[Person], blank: str) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)]
    for person in people:
        label = person.formal_name
        if person.region is not None:
            label = f"{label} — {person.region.name}"
        choices.append(SelectChoice(str(person.id), label))
    return choices


def _chosen_person(
    person_id: int | None, delegation: Delegation | None
) -> tuple[Person | None, str | None]:
    """The submitted person, or why they cannot join this delegation."""
    person = db.session.get(Person, person_id) if person_id and person_id > 0 else None
    if person is None or not can_view_person(current_user, person):
        return None, _("Orang tidak ditemukan. Pilih dari daftar.")
    region_ids = _allowed_region_ids(delegation)
    if region_ids is not None and person.region_id not in region_ids:
        return None, _(
            "%(name)s bukan dari wilayah delegasi ini.", name=person.formal_name
        )
    return person, None


def _form_error(form, exc: PlannerError, default_field: str | None = None) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    name = exc.field if exc.field in form._fields else default_field
    field = form._fields.get(name) if name else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _person_data(form) -> dict:
    """What the new-person part of a form holds, for ``create_person``."""
    return {
        "full_name": form.full_name.data,
        "sex": form.sex.data,
        "nik": form.nik.data,
        "birth_on": form.birth_on.data,
        "phone": form.phone.data,
        "position": form.position.data,
        "institution": form.institution.data,
        "confirm_duplicate": form.confirm_duplicate.data,
    }


# The organiser's table ----------------------------------------------------------------


@dataclass
class _Row:
    """One line of the organiser's table."""

    delegation: Delegation
    counts: DelegationCounts
    changed: datetime
    behind: bool
    whatsapp: str | None
    problem: str | None

    @property
    def nominated(self) -> int:
        return self.counts.active


def _last_changes(event: Event) -> dict[int | None, datetime]:
    """The latest delegate change per delegation of the event, one query."""
    rows = db.session.execute(
        db.select(Delegate.delegation_id, func.max(DelegateChange.at))
        .join(DelegateChange.delegate)
        .where(Delegate.event_id == event.id)
        .group_by(Delegate.delegation_id)
    )
    return {delegation_id: at for delegation_id, at in rows}


@bp.get("/events/<int:event_id>/delegations/")
@login_required
def index(event_id: int):
    """All delegations of an event: quotas, progress, deadlines, reminders."""
    event = _load_event(event_id)
    require(can_manage_delegations(current_user, event))
    provinces = db.session.scalars(
        db.select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)
    ).all()
    province = request.args.get("province", "")[:8]
    if province not in {p.code for p in provinces}:
        province = ""
    sort = request.args.get("sort", "code")
    sort = sort if sort in SORT_KEYS else "code"
    direction = "desc" if request.args.get("dir") == "desc" else "asc"

    stmt = (
        db.select(Delegation)
        .options(
            joinedload(Delegation.region).joinedload(Region.parent),
            joinedload(Delegation.head).joinedload(User.person),
        )
        .where(Delegation.event_id == event.id)
    )
    if province:
        inside = db.select(Region.id).where(
            or_(
                Region.code == province,
                Region.parent_id.in_(
                    db.select(Region.id).where(Region.code == province)
                ),
            )
        )
        stmt = stmt.where(Delegation.region_id.in_(inside))
    delegations = db.session.scalars(stmt).unique().all()
    counts = delegation_counts(event)
    changes = _last_changes(event)
    now = utcnow()
    rows = []
    for delegation in delegations:
        link = url_for(
            "delegations.show",
            event_id=event.id,
            delegation_id=delegation.id,
            _external=True,
        )
        changed = max(filter(None, [delegation.updated_at, changes.get(delegation.id)]))
        rows.append(
            _Row(
                delegation=delegation,
                counts=counts.get(delegation.id, DelegationCounts()),
                changed=changed,
                behind=is_behind(delegation, now=now),
                whatsapp=whatsapp_link(
                    delegation, link=link, confirmed=delegation.confirmed_count
                ),
                problem=reminder_problem(delegation),
            )
        )
    rows.sort(key=SORT_KEYS[sort], reverse=direction == "desc")
    totals = {
        "quota": sum(r.delegation.quota for r in rows),
        "nominated": sum(r.nominated for r in rows),
        "confirmed": sum(r.delegation.confirmed_count for r in rows),
        "attended": sum(r.counts.attended for r in rows),
    }
    return render_template(
        "delegations/index.html",
        event=event,
        rows=rows,
        totals=totals,
        allocation=event_allocation(event),
        others=counts.get(None, DelegationCounts()),
        provinces=provinces,
        province=province,
        sort=sort,
        direction=direction,
        mail_enabled=bool(current_app.config.get("MAIL_SERVER")),
        reminder_form=ReminderForm(),
    )


@bp.route("/events/<int:event_id>/delegations/new", methods=["GET", "POST"])
@login_required
def new(event_id: int):
    """Create delegations in bulk: every regency/city of a province, or chosen regions."""
    event = _load_event(event_id)
    require(can_manage_delegations(current_user, event))
    form = _bulk_form()
    if form.validate_on_submit():
        regions, error = _bulk_regions(form)
        if error:
            form.form_errors.append(error)
        else:
            try:
                created = create_delegations_for_regions(
                    event,
                    regions=regions,
                    quota=form.quota.data,
                    deadline_at=form.deadline_at(event.timezone),
                )
            except PlannerError as exc:
                db.session.rollback()
                _form_error(form, exc)
            else:
                db.session.commit()
                flash(
                    _("%(n)s delegasi dibuat.", n=len(created)),
                    "success" if created else "warning",
                )
                if len(created) < len(regions):
                    flash(
                        _(
                            "%(n)s wilayah sudah punya delegasi dan dilewati.",
                            n=len(regions) - len(created),
                        ),
                        "info",
                    )
                return redirect(url_for("delegations.index", event_id=event.id))
    return _render_new(event, form, NamedDelegationForm(formdata=None))


@bp.post("/events/<int:event_id>/delegations/new-named")
@login_required
def new_named(event_id: int):
    """Create one delegation of a named body that is no region ("IPSM Pusat")."""
    event = _load_event(event_id)
    require(can_manage_delegations(current_user, event))
    form = NamedDelegationForm()
    if form.validate_on_submit():
        try:
            delegation = create_delegation(
                event,
                data={
                    "name": form.name.data,
                    "quota": form.quota.data,
                    "deadline_at": form.deadline_at(event.timezone),
                },
            )
        except PlannerError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Delegasi %(name)s dibuat.", name=delegation.name), "success")
            return redirect(url_for("delegations.index", event_id=event.id))
    return _render_new(event, _bulk_form(formdata=None), form)


def _bulk_form(**kwargs) -> BulkDelegationForm:
    """The bulk form with its province and region choices."""
    form = BulkDelegationForm(**kwargs)
    regions = db.session.scalars(db.select(Region).order_by(Region.code)).all()
    form.province_id.choices = [SelectChoice("", _("— Pilih provinsi —"))] + [
        SelectChoice(str(r.id), r.label) for r in regions if r.parent_id is None
    ]
    form.region_ids.choices = region_choices(regions, multiple=True)
    return form


def _bulk_regions(form: BulkDelegationForm) -> tuple[list[Region], str | None]:
    """The regions the bulk form asks for, or why it cannot."""
    if form.mode.data == "province":
        province = (
            db.session.get(Region, form.province_id.data)
            if form.province_id.data and form.province_id.data > 0
            else None
        )
        if province is None or not province.is_province:
            form.province_id.errors.append(_("Pilih provinsi dari daftar."))
            return [], _("Pilih provinsi dari daftar.")
        return list(province.children), None
    ids = {i for i in form.region_ids.data or [] if 0 < i <= _MAX_ID}
    regions = (
        list(db.session.scalars(db.select(Region).where(Region.id.in_(ids))))
        if ids
        else []
    )
    if not regions or len(regions) != len(form.region_ids.data or []):
        form.region_ids.errors.append(_("Pilih minimal satu wilayah dari daftar."))
        return [], _("Pilih minimal satu wilayah dari daftar.")
    return regions, None


def _render_new(event, bulk_form, named_form):
    return render_template(
        "delegations/new.html",
        event=event,
        form=bulk_form,
        named_form=named_form,
    )


@bp.route(
    "/events/<int:event_id>/delegations/<int:delegation_id>/edit",
    methods=["GET", "POST"],
)
@login_required
def edit(event_id: int, delegation_id: int):
    """Change a delegation's quota, head, deadline and notes."""
    delegation = _load_delegation(event_id, delegation_id)
    event = delegation.event
    require(can_manage_delegations(current_user, event))
    form = EditDelegationForm(obj=delegation)
    heads = db.session.scalars(
        db.select(User)
        .where(User.regions.any(), User.is_disabled.is_(False))
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    form.head_user_id.choices = [
        SelectChoice("", _("— Tanpa ketua (panitia yang mengurus) —"))
    ] + [SelectChoice(str(u.id), f"{u.display_name} ({u.email})") for u in heads]
    if not form.is_submitted():
        form.show_deadline(delegation.deadline_at, event.timezone)
    if form.validate_on_submit():
        head = next((u for u in heads if u.id == form.head_user_id.data), None)
        try:
            update_delegation(
                delegation,
                data={
                    "quota": form.quota.data,
                    "head": head,
                    "deadline_at": form.deadline_at(event.timezone),
                    "notes": (form.notes.data or "").strip(),
                },
            )
        except PlannerError as exc:
            db.session.rollback()
            _form_error(form, exc)
        else:
            db.session.commit()
            flash(_("Delegasi %(name)s disimpan.", name=delegation.name), "success")
            return redirect(url_for("delegations.index", event_id=event.id))
    return render_template(
        "delegations/edit.html",
        event=event,
        delegation=delegation,
        form=form,
        delete_form=DeleteForm(formdata=None),
    )


@bp.post("/events/<int:event_id>/delegations/<int:delegation_id>/delete")
@login_required
def delete(event_id: int, delegation_id: int):
    """Delete a delegation that has no delegates."""
    delegation = _load_delegation(event_id, delegation_id)
    require(can_manage_delegations(current_user, delegation.event))
    if DeleteForm().validate_on_submit():
        name = delegation.name
        try:
            delete_delegation(delegation)
        except PlannerError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
            return redirect(
                url_for(
                    "delegations.edit", event_id=event_id, delegation_id=delegation_id
                )
            )
        db.session.commit()
        flash(_("Delegasi %(name)s dihapus.", name=name), "success")
    return redirect(url_for("delegations.index", event_id=event_id))


@bp.post("/events/<int:event_id>/delegations/<int:delegation_id>/remind")
@login_required
def remind(event_id: int, delegation_id: int):
    """Email the delegation's head a reminder (when a mail server is configured)."""
    delegation = _load_delegation(event_id, delegation_id)
    require(can_manage_delegations(current_user, delegation.event))
    if not current_app.config.get("MAIL_SERVER"):
        abort(404)
    if ReminderForm().validate_on_submit():
        link = url_for(
            "delegations.show",
            event_id=event_id,
            delegation_id=delegation_id,
            _external=True,
        )
        sent = send_reminder_email(
            delegation, link=link, confirmed=delegation.confirmed_count
        )
        if sent:
            flash(
                _("Pengingat dikirim ke %(email)s.", email=delegation.head.email),
                "success",
            )
        else:
            flash(_("Pengingat tidak terkirim."), "danger")
    return redirect(url_for("delegations.index", event_id=event_id))


# A delegation's roster and its actions ------------------------------------------------


def _roster(event: Event, delegation: Delegation | None) -> list[Delegate]:
    """The roster's delegates with their people, active first, then by name."""
    where = (
        Delegate.delegation_id == delegation.id
        if delegation
        else Delegate.delegation_id.is_(None)
    )
    delegates = db.session.scalars(
        db.select(Delegate)
        .options(joinedload(Delegate.person).joinedload(Person.region))
        .where(Delegate.event_id == event.id, where)
    ).all()
    order = list(DelegateStatus)
    return sorted(
        delegates,
        key=lambda d: (order.index(d.status), d.person.full_name.lower(), d.id),
    )


def _history(event: Event, delegation: Delegation | None) -> list[DelegateChange]:
    """The roster's latest changes, newest first, with who and by whom, one query."""
    where = (
        Delegate.delegation_id == delegation.id
        if delegation
        else Delegate.delegation_id.is_(None)
    )
    return list(
        db.session.scalars(
            db.select(DelegateChange)
            .join(DelegateChange.delegate)
            .options(
                contains_eager(DelegateChange.delegate).joinedload(Delegate.person),
                joinedload(DelegateChange.other_delegate).joinedload(Delegate.person),
                joinedload(DelegateChange.by_user),
            )
            .where(Delegate.event_id == event.id, where)
            .order_by(DelegateChange.at.desc(), DelegateChange.id.desc())
            .limit(MAX_HISTORY)
        )
    )


def _identity_gaps(delegates: list[Delegate]) -> list[tuple[Delegate, tuple]]:
    """Active delegates lacking what a ferry or air manifest asks, with what."""
    gaps = []
    for delegate in delegates:
        missing = identity_gaps(delegate.person) if delegate.is_active else ()
        if missing:
            gaps.append((delegate, missing))
    return gaps


def _render_roster(event, delegation, *, nominate_form=None, new_form=None):
    """The roster page, with bound forms kept when an action was refused."""
    editable = _may_edit(event, delegation)
    identity_required = needs_identity(event)
    roles = OTHER_ROLES if delegation is None else DELEGATION_ROLES
    q = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    candidates = _candidates(event, delegation, q) if editable else []
    if editable:
        nominate_form = nominate_form or NominateForm(formdata=None, roles=roles)
        nominate_form.person_id.choices = _person_choices(
            candidates, _("— Pilih orang —")
        )
        new_form = new_form or NewPersonForm(
            formdata=None,
            roles=roles,
            prefix="new",
            identity_required=identity_required,
        )
    delegates = _roster(event, delegation)
    nominated = sum(1 for d in delegates if d.status in ACTIVE_STATUSES)
    head_view = delegation is not None and heads_delegation(current_user, delegation)
    locked_reason = None
    finished = event_is_over(event)
    if delegation is not None and not editable and head_view:
        if finished:
            locked_reason = _(
                "Acara ini sudah selesai (hari terakhir %(day)s). Ketua delegasi "
                "tidak dapat lagi mengusulkan, mengonfirmasi, mengganti atau "
                "memundurkan peserta. Bila daftar perlu dibetulkan (misalnya untuk "
                "SPJ), hubungi panitia acara.",
                day=format_day(event.ends_on),
            )
        elif event.status != EventStatus.OPEN:
            locked_reason = _(
                "Pendaftaran acara ini sudah ditutup. Hanya panitia yang dapat "
                "mengubah daftar."
            )
        elif deadline_passed(delegation):
            locked_reason = _(
                "Tenggat sudah lewat. Hanya panitia yang dapat mengubah daftar; "
                "hubungi panitia bila ada perubahan."
            )
    return render_template(
        "delegations/show.html",
        event=event,
        delegation=delegation,
        delegates=delegates,
        nominated=nominated,
        history=_history(event, delegation),
        history_actions=HISTORY_ACTIONS,
        identity_required=identity_required,
        identity_gaps=_identity_gaps(delegates) if identity_required else [],
        roster_url=_roster_url(event, delegation),
        editable=editable,
        manager=can_manage_delegations(current_user, event),
        contacts=delegation is None
        or can_view_delegate_contacts(current_user, delegation),
        locked_reason=locked_reason,
        # Whom a chapter head asks once the event is over; organisers are told that
        # their changes after the end are recorded in the history.
        finished=finished,
        contacts_for_changes=event.organisers if finished and locked_reason else [],
        time_left=time_left(delegation.deadline_at) if delegation else "",
        nominate_form=nominate_form,
        new_form=new_form,
        confirm_form=ConfirmForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None),
        candidates_limited=len(candidates) >= MAX_CANDIDATES,
        q=q,
        action_url=lambda endpoint, **kw: _action_url(
            endpoint, event, delegation, **kw
        ),
    )


@bp.get("/events/<int:event_id>/delegations/<int:delegation_id>")
@login_required
def show(event_id: int, delegation_id: int):
    """A delegation's roster, progress and history; its head nominates and confirms here."""
    event, delegation = _scope(event_id, delegation_id)
    return _render_roster(event, delegation)


@bp.get("/events/<int:event_id>/delegations/others")
@login_required
def others(event_id: int):
    """Speakers, committee and guests who belong to no regional delegation."""
    event, delegation = _scope(event_id, None)
    return _render_roster(event, delegation)


def _roster_route(rule: str, **options):
    """Register an action both for a delegation and for the people outside any."""

    def decorate(view):
        bp.add_url_rule(
            f"/events/<int:event_id>/delegations/<int:delegation_id>{rule}",
            view_func=view,
            **options,
        )
        bp.add_url_rule(
            f"/events/<int:event_id>/delegations/others{rule}",
            view_func=view,
            defaults={"delegation_id": None},
            **options,
        )
        return view

    return decorate


@_roster_route("/nominate", methods=["POST"])
@login_required
def nominate(event_id: int, delegation_id: int | None):
    """Nominate a person already on record."""
    event, delegation = _scope_for_edit(event_id, delegation_id)
    roles = OTHER_ROLES if delegation is None else DELEGATION_ROLES
    form = NominateForm(roles=roles)
    if form.validate_on_submit():
        person, error = _chosen_person(form.person_id.data, delegation)
        if error:
            form.person_id.errors.append(error)
        else:
            try:
                nominate_delegate(
                    event,
                    person=person,
                    delegation=delegation,
                    role=DelegateRole(form.role.data),
                    by=current_user._get_current_object(),
                )
            except PlannerError as exc:
                db.session.rollback()
                _form_error(form, exc, "person_id")
            else:
                db.session.commit()
                flash(_("%(name)s diusulkan.", name=person.formal_name), "success")
                return redirect(_roster_url(event, delegation))
    flash(_("Orang belum diusulkan. Periksa isian yang ditandai."), "danger")
    return _render_roster(event, delegation, nominate_form=form)


@_roster_route("/add-person", methods=["POST"])
@login_required
def add_person(event_id: int, delegation_id: int | None):
    """Add a new person in the delegation's region and nominate them in one step."""
    event, delegation = _scope_for_edit(event_id, delegation_id)
    roles = OTHER_ROLES if delegation is None else DELEGATION_ROLES
    form = NewPersonForm(
        roles=roles, prefix="new", identity_required=needs_identity(event)
    )
    if form.validate_on_submit():
        data = _person_data(form)
        data["region_id"] = delegation.region_id if delegation else None
        try:
            person = create_person(
                data=data, acting_user=current_user._get_current_object()
            )
            nominate_delegate(
                event,
                person=person,
                delegation=delegation,
                role=DelegateRole(form.role.data),
                by=current_user._get_current_object(),
            )
        except PossibleDuplicate as exc:
            db.session.rollback()
            names = ", ".join(p.formal_name for p in exc.people)
            form.confirm_duplicate.errors.append(
                f"{exc} {names}".strip() if names else str(exc)
            )
        except PlannerError as exc:
            db.session.rollback()
            _form_error(form, exc, "full_name")
        else:
            db.session.commit()
            flash(
                _("%(name)s ditambahkan dan diusulkan.", name=person.formal_name),
                "success",
            )
            return redirect(_roster_url(event, delegation))
    flash(_("Orang baru belum disimpan. Periksa isian yang ditandai."), "danger")
    return _render_roster(event, delegation, new_form=form)


@bp.route(
    "/events/<int:event_id>/delegations/<int:delegation_id>/add-people",
    methods=["GET", "POST"],
)
@login_required
def add_people(event_id: int, delegation_id: int):
    """Several people at once from a pasted list, nominated in one step (all or
    nothing; people on record reused, those already in the delegation skipped)."""
    from planner.services.imports import (
        ImportFileError,
        ImportInvalid,
        paste_people,
    )

    event, delegation = _scope_for_edit(event_id, delegation_id)
    identity = needs_identity(event)
    form = PasteForm()
    errors = []
    if form.validate_on_submit():
        try:
            report = paste_people(
                event,
                delegation,
                text=form.text.data,
                by=current_user._get_current_object(),
                identity_required=identity,
                confirm=form.confirm.data,
            )
        except ImportInvalid as exc:
            db.session.rollback()
            errors = exc.plan.errors
            form.text.errors = [*form.text.errors, str(exc)]
        except ImportFileError as exc:
            db.session.rollback()
            form.text.errors = [*form.text.errors, str(exc)]
        else:
            db.session.commit()
            flash(
                _(
                    "%(n)s orang diusulkan (%(new)s baru, %(known)s sudah terdaftar); "
                    "%(skipped)s sudah ada di delegasi ini.",
                    n=report.nominated,
                    new=report.created_people,
                    known=report.matched_people,
                    skipped=report.skipped,
                ),
                "success",
            )
            if report.confirmed:
                flash(_("%(n)s orang langsung dikonfirmasi.", n=report.confirmed))
            return redirect(_roster_url(event, delegation))
    return render_template(
        "delegations/add_people.html",
        event=event,
        delegation=delegation,
        form=form,
        errors=errors,
        identity_required=identity,
        roster_url=_roster_url(event, delegation),
    )


@_roster_route("/delegates/<int:delegate_id>/confirm", methods=["POST"])
@login_required
def confirm(event_id: int, delegation_id: int | None, delegate_id: int):
    """Confirm a nominated delegate (one tap), taking a quota place."""
    event, delegation = _scope_for_edit(event_id, delegation_id)
    delegate = _load_delegate(event, delegation, delegate_id)
    if ConfirmForm().validate_on_submit():
        try:
            confirm_delegate(delegate, by=current_user._get_current_object())
        except PlannerError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(
                _("%(name)s dikonfirmasi.", name=delegate.person.formal_name), "success"
            )
    return redirect(_roster_url(event, delegation))


@_roster_route("/delegates/<int:delegate_id>/withdraw", methods=["POST"])
@login_required
def withdraw(event_id: int, delegation_id: int | None, delegate_id: int):
    """Withdraw a delegate with a reason, giving their quota place back."""
    event, delegation = _scope_for_edit(event_id, delegation_id)
    delegate = _load_delegate(event, delegation, delegate_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw_delegate(
                delegate,
                by=current_user._get_current_object(),
                note=form.reason.data or None,
            )
        except PlannerError as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("%(name)s mundur.", name=delegate.person.formal_name), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(_roster_url(event, delegation))


@_roster_route("/delegates/<int:delegate_id>/replace", methods=["GET", "POST"])
@login_required
def replace(event_id: int, delegation_id: int | None, delegate_id: int):
    """Replace a delegate by a person on record or a new one, with a reason."""
    event, delegation = _scope_for_edit(event_id, delegation_id)
    delegate = _load_delegate(event, delegation, delegate_id)
    form = ReplaceForm(identity_required=needs_identity(event))
    q = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    candidates = _candidates(event, delegation, q)
    form.person_id.choices = _person_choices(
        candidates, _("— Pilih orang yang sudah terdaftar —")
    )
    if form.validate_on_submit():
        by = current_user._get_current_object()
        try:
            if form.person_id.data:
                person, error = _chosen_person(form.person_id.data, delegation)
                if error:
                    raise PlannerError(error, field="person_id")
            else:
                data = _person_data(form)
                data["region_id"] = delegation.region_id if delegation else None
                person = create_person(data=data, acting_user=by)
            replacement = substitute_delegate(
                delegate, person=person, by=by, note=form.reason.data or None
            )
        except PossibleDuplicate as exc:
            db.session.rollback()
            names = ", ".join(p.formal_name for p in exc.people)
            form.confirm_duplicate.errors.append(
                f"{exc} {names}".strip() if names else str(exc)
            )
        except PlannerError as exc:
            db.session.rollback()
            _form_error(form, exc, "person_id")
        else:
            db.session.commit()
            flash(
                _(
                    "%(old)s diganti oleh %(new)s.",
                    old=delegate.person.formal_name,
                    new=replacement.person.formal_name,
                ),
                "success",
            )
            return redirect(_roster_url(event, delegation))
    return render_template(
        "delegations/replace.html",
        event=event,
        delegation=delegation,
        delegate=delegate,
        form=form,
        q=q,
        roster_url=_roster_url(event, delegation),
        action_url=_action_url("replace", event, delegation, delegate_id=delegate.id),
    )


# The chapter head's list ----------------------------------------------------------------


@bp.get("/my/delegations")
@login_required
def mine():
    """Every delegation the user answers for in published events, with progress."""
    from planner.permissions import covered_region_ids

    condition = Delegation.head_user_id == current_user.id
    region_ids = covered_region_ids(current_user)
    if region_ids:
        condition = or_(condition, Delegation.region_id.in_(region_ids))
    delegations = db.session.scalars(
        db.select(Delegation)
        .join(Delegation.event)
        .options(contains_eager(Delegation.event), joinedload(Delegation.region))
        .where(condition, Event.status != EventStatus.DRAFT)
        .order_by(Event.starts_on, Event.id, Delegation.name)
    ).all()
    nominated = dict(
        db.session.execute(
            db.select(Delegate.delegation_id, func.count())
            .where(
                Delegate.delegation_id.in_([d.id for d in delegations]),
                Delegate.status.in_(ACTIVE_STATUSES),
            )
            .group_by(Delegate.delegation_id)
        ).all()
    )
    today = date.today()
    current = [
        d
        for d in delegations
        if d.event.ends_on >= today and d.event.status != EventStatus.CANCELLED
    ]
    past = [d for d in delegations if d not in current]
    return render_template(
        "delegations/mine.html",
        current=current,
        past=past,
        nominated=nominated,
        time_left=time_left,
        deadline_passed=deadline_passed,
    )
