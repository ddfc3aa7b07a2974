"""What is done to a roster's members: nominate a person on record, add a new person,
paste a list, confirm, withdraw and replace."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.blueprints.delegations import bp
from planner.blueprints.delegations.common import (
    action_url,
    load_delegate,
    person_data,
    roles_for,
    roster_route,
    roster_url,
    scope_for_edit,
    show_person_refusal,
    visible_person,
)
from planner.blueprints.delegations.forms import (
    ConfirmForm,
    NewPersonForm,
    NominateForm,
    PasteForm,
    ReplaceForm,
    WithdrawForm,
)
from planner.blueprints.delegations.roster import (
    candidates,
    person_choices,
    render_roster,
)
from planner.commit import save, show_error
from planner.models import DelegateRole
from planner.services.delegations import (
    confirm_delegate,
    nominate_delegate,
    nominate_new_person,
    replace_delegate,
    withdraw_delegate,
)
from planner.services.manifests import needs_identity
from planner.services.people import MAX_QUERY_LENGTH


def _not_found() -> str:
    """Why a picked person cannot be used: unknown, or not visible to the user."""
    return _("Orang tidak ditemukan. Pilih dari daftar.")


@roster_route("/nominate", methods=["POST"])
@login_required
def nominate(event_id: int, delegation_id: int | None):
    """Nominate a person already on record (of the delegation's region or regions)."""
    event, delegation = scope_for_edit(event_id, delegation_id)
    form = NominateForm(roles=roles_for(delegation))
    if form.validate_on_submit():
        person = visible_person(form.person_id.data)
        if person is None:
            form.person_id.errors.append(_not_found())
        elif save(
            lambda: nominate_delegate(
                event,
                person=person,
                delegation=delegation,
                role=DelegateRole(form.role.data),
                by=current_user._get_current_object(),
            ),
            form=form,
            field="person_id",
        ):
            flash(_("%(name)s diusulkan.", name=person.formal_name), "success")
            return redirect(roster_url(event, delegation))
    flash(_("Orang belum diusulkan. Periksa isian yang ditandai."), "danger")
    return render_roster(event, delegation, nominate_form=form)


@roster_route("/add-person", methods=["POST"])
@login_required
def add_person(event_id: int, delegation_id: int | None):
    """Add a new person in the delegation's region and nominate them in one step."""
    event, delegation = scope_for_edit(event_id, delegation_id)
    form = NewPersonForm(
        roles=roles_for(delegation),
        prefix="new",
        identity_required=needs_identity(event),
    )
    if form.validate_on_submit():
        outcome = save(
            lambda: nominate_new_person(
                event,
                delegation=delegation,
                data=person_data(form),
                role=DelegateRole(form.role.data),
                by=current_user._get_current_object(),
            ),
            on_error=show_person_refusal(form, "full_name"),
        )
        if outcome:
            flash(
                _(
                    "%(name)s ditambahkan dan diusulkan.",
                    name=outcome.value.person.formal_name,
                ),
                "success",
            )
            return redirect(roster_url(event, delegation))
    flash(_("Orang baru belum disimpan. Periksa isian yang ditandai."), "danger")
    return render_roster(event, delegation, new_form=form)


@bp.route(
    "/events/<int:event_id>/delegations/<int:delegation_id>/add-people",
    methods=["GET", "POST"],
)
@login_required
def add_people(event_id: int, delegation_id: int):
    """Several people at once from a pasted list, nominated in one step (all or
    nothing; people on record reused, those already in the delegation skipped)."""
    from planner.services.imports import ImportInvalid, paste_people

    event, delegation = scope_for_edit(event_id, delegation_id)
    identity = needs_identity(event)
    form = PasteForm()
    errors = []

    def refused(exc) -> None:
        # A list with bad lines keeps them to show; an unreadable one only says why.
        nonlocal errors
        if isinstance(exc, ImportInvalid):
            errors = exc.plan.errors
        show_error(exc, form, "text")

    if form.validate_on_submit():
        outcome = save(
            lambda: paste_people(
                event,
                delegation,
                text=form.text.data,
                by=current_user._get_current_object(),
                identity_required=identity,
                confirm=form.confirm.data,
            ),
            on_error=refused,
        )
        if outcome:
            report = outcome.value
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
            return redirect(roster_url(event, delegation))
    return render_template(
        "delegations/add_people.html",
        event=event,
        delegation=delegation,
        form=form,
        errors=errors,
        identity_required=identity,
        roster_url=roster_url(event, delegation),
    )


@roster_route("/delegates/<int:delegate_id>/confirm", methods=["POST"])
@login_required
def confirm(event_id: int, delegation_id: int | None, delegate_id: int):
    """Confirm a nominated delegate (one tap), taking a quota place."""
    event, delegation = scope_for_edit(event_id, delegation_id, shown=False)
    delegate = load_delegate(event, delegation, delegate_id)
    # Read before the commit expires the objects: afterwards each would cost a query.
    done = _("%(name)s dikonfirmasi.", name=delegate.person.formal_name)
    back = roster_url(event, delegation)
    if ConfirmForm().validate_on_submit() and save(
        lambda: confirm_delegate(delegate, by=current_user._get_current_object())
    ):
        flash(done, "success")
    return redirect(back)


@roster_route("/delegates/<int:delegate_id>/withdraw", methods=["POST"])
@login_required
def withdraw(event_id: int, delegation_id: int | None, delegate_id: int):
    """Withdraw a delegate with a reason, giving their quota place back."""
    event, delegation = scope_for_edit(event_id, delegation_id)
    delegate = load_delegate(event, delegation, delegate_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        if save(
            lambda: withdraw_delegate(
                delegate,
                by=current_user._get_current_object(),
                note=form.reason.data or None,
            )
        ):
            flash(_("%(name)s mundur.", name=delegate.person.formal_name), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
    return redirect(roster_url(event, delegation))


@roster_route("/delegates/<int:delegate_id>/replace", methods=["GET", "POST"])
@login_required
def replace(event_id: int, delegation_id: int | None, delegate_id: int):
    """Replace a delegate by a person on record or a new one, with a reason."""
    event, delegation = scope_for_edit(event_id, delegation_id)
    delegate = load_delegate(event, delegation, delegate_id)
    form = ReplaceForm(identity_required=needs_identity(event))
    q = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    form.person_id.choices = person_choices(
        candidates(event, delegation, q), _("— Pilih orang yang sudah terdaftar —")
    )
    if form.validate_on_submit():
        picked = form.person_id.data
        person = visible_person(picked) if picked else None
        if picked and person is None:
            form.person_id.errors = [*form.person_id.errors, _not_found()]
        else:
            outcome = save(
                lambda: replace_delegate(
                    delegate,
                    person=person,
                    data=None if person else person_data(form),
                    by=current_user._get_current_object(),
                    note=form.reason.data or None,
                ),
                on_error=show_person_refusal(form, "person_id"),
            )
            if outcome:
                flash(
                    _(
                        "%(old)s diganti oleh %(new)s.",
                        old=delegate.person.formal_name,
                        new=outcome.value.person.formal_name,
                    ),
                    "success",
                )
                return redirect(roster_url(event, delegation))
    return render_template(
        "delegations/replace.html",
        event=event,
        delegation=delegation,
        delegate=delegate,
        form=form,
        q=q,
        roster_url=roster_url(event, delegation),
        action_url=action_url("replace", event, delegation, delegate_id=delegate.id),
    )
