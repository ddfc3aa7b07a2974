"""The organiser's table of delegations: list, create (in bulk or one named body),
edit, delete, and remind a delegation's head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from planner.blueprints.choices import region_choices
from planner.blueprints.delegations import bp
from planner.blueprints.delegations.common import load_delegation, load_event
from planner.blueprints.delegations.forms import (
    BulkDelegationForm,
    DeleteForm,
    EditDelegationForm,
    NamedDelegationForm,
    ReminderForm,
)
from planner.commit import save
from planner.models import Delegation, Event, Region, utcnow
from planner.permissions import can_manage_delegations, require
from planner.services.delegations import (
    DelegationCounts,
    create_delegation,
    create_delegations_for_regions,
    delegation_counts,
    delete_delegation,
    event_allocation,
    event_delegations,
    last_changes,
    possible_heads,
    province_regions,
    provinces,
    regions_by_ids,
    regions_in_order,
    update_delegation,
)
from planner.services.reminders import (
    is_behind,
    reminder_problem,
    send_reminder_email,
    whatsapp_link,
)

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


@bp.get("/events/<int:event_id>/delegations/")
@login_required
def index(event_id: int):
    """All delegations of an event: quotas, progress, deadlines, reminders."""
    event = load_event(event_id)
    require(can_manage_delegations(current_user, event))
    all_provinces = provinces()
    province = request.args.get("province", "")[:8]
    if province not in {p.code for p in all_provinces}:
        province = ""
    sort = request.args.get("sort", "code")
    sort = sort if sort in SORT_KEYS else "code"
    direction = "desc" if request.args.get("dir") == "desc" else "asc"

    delegations = event_delegations(event, province_code=province)
    counts = delegation_counts(event)
    changes = last_changes(event)
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
        provinces=all_provinces,
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
    event = load_event(event_id)
    require(can_manage_delegations(current_user, event))
    form = _bulk_form()
    if form.validate_on_submit():
        regions = _bulk_regions(form)
        created = (
            save(
                lambda: create_delegations_for_regions(
                    event,
                    regions=regions,
                    quota=form.quota.data,
                    deadline_at=form.deadline_at(event.timezone),
                ),
                form=form,
            ).value
            if regions is not None
            else None
        )
        if created is not None:
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
    event = load_event(event_id)
    require(can_manage_delegations(current_user, event))
    form = NamedDelegationForm()
    if form.validate_on_submit():
        outcome = save(
            lambda: create_delegation(
                event,
                data={
                    "name": form.name.data,
                    "quota": form.quota.data,
                    "deadline_at": form.deadline_at(event.timezone),
                },
            ),
            form=form,
        )
        if outcome:
            flash(_("Delegasi %(name)s dibuat.", name=outcome.value.name), "success")
            return redirect(url_for("delegations.index", event_id=event.id))
    return _render_new(event, _bulk_form(formdata=None), form)


def _bulk_form(**kwargs) -> BulkDelegationForm:
    """The bulk form with its province and region choices."""
    form = BulkDelegationForm(**kwargs)
    regions = regions_in_order()
    form.province_id.choices = [SelectChoice("", _("— Pilih provinsi —"))] + [
        SelectChoice(str(r.id), r.label) for r in regions if r.parent_id is None
    ]
    form.region_ids.choices = region_choices(regions, multiple=True)
    return form


def _bulk_regions(form: BulkDelegationForm) -> list[Region] | None:
    """The regions the bulk form asks for; None (the field and the form say why) when
    it names none."""
    if form.mode.data == "province":
        regions = province_regions(form.province_id.data)
        field, message = form.province_id, _("Pilih provinsi dari daftar.")
    else:
        regions = regions_by_ids(form.region_ids.data)
        field, message = form.region_ids, _("Pilih minimal satu wilayah dari daftar.")
    if regions is None:
        field.errors.append(message)
        form.form_errors.append(message)
    return regions


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
    delegation = load_delegation(event_id, delegation_id)
    event = delegation.event
    require(can_manage_delegations(current_user, event))
    form = EditDelegationForm(obj=delegation)
    heads = possible_heads()
    form.head_user_id.choices = [
        SelectChoice("", _("— Tanpa ketua (panitia yang mengurus) —"))
    ] + [SelectChoice(str(u.id), f"{u.display_name} ({u.email})") for u in heads]
    if not form.is_submitted():
        form.show_deadline(delegation.deadline_at, event.timezone)
    if form.validate_on_submit():
        head = next((u for u in heads if u.id == form.head_user_id.data), None)
        saved = save(
            lambda: update_delegation(
                delegation,
                data={
                    "quota": form.quota.data,
                    "head": head,
                    "deadline_at": form.deadline_at(event.timezone),
                    "notes": (form.notes.data or "").strip(),
                },
            ),
            form=form,
        )
        if saved:
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
    delegation = load_delegation(event_id, delegation_id)
    require(can_manage_delegations(current_user, delegation.event))
    if DeleteForm().validate_on_submit():
        name = delegation.name
        if not save(lambda: delete_delegation(delegation)):
            return redirect(
                url_for(
                    "delegations.edit", event_id=event_id, delegation_id=delegation_id
                )
            )
        flash(_("Delegasi %(name)s dihapus.", name=name), "success")
    return redirect(url_for("delegations.index", event_id=event_id))


@bp.post("/events/<int:event_id>/delegations/<int:delegation_id>/remind")
@login_required
def remind(event_id: int, delegation_id: int):
    """Email the delegation's head a reminder (when a mail server is configured)."""
    delegation = load_delegation(event_id, delegation_id)
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
