"""A delegation's roster page, and the roster of speakers, committee and guests who
belong to no delegation: who is in, what changed, and the forms to nominate."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from planner.blueprints.delegations import bp
from planner.blueprints.delegations.common import (
    action_url,
    may_edit,
    roles_for,
    roster_url,
    scope,
)
from planner.blueprints.delegations.forms import (
    ConfirmForm,
    NewPersonForm,
    NominateForm,
    WithdrawForm,
)
from planner.formatting import format_day
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    Delegation,
    Event,
    EventStatus,
    Person,
)
from planner.permissions import (
    can_manage_delegations,
    can_view_delegate_contacts,
    heads_delegation,
)
from planner.services.delegations import (
    deadline_passed,
    nomination_candidates,
    roster,
    roster_history,
)
from planner.services.events import event_is_over
from planner.services.manifests import identity_gaps, needs_identity
from planner.services.people import MAX_QUERY_LENGTH
from planner.services.reminders import time_left

#: Most people offered in a "nominate" select (a search narrows it).
MAX_CANDIDATES = 200
#: Most history lines shown on a delegation page.
MAX_HISTORY = 200

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


def candidates(event: Event, delegation: Delegation | None, q: str) -> list[Person]:
    """People the user may nominate here, narrowed by a search, at most a select's
    worth."""
    return nomination_candidates(
        current_user, event, delegation, q=q, limit=MAX_CANDIDATES
    )


def person_choices(people: list[Person], blank: str) -> list[SelectChoice]:
    """A person select's options: formal name and region."""
    choices = [SelectChoice("", blank)]
    for person in people:
        label = person.formal_name
        if person.region is not None:
            label = f"{label} — {person.region.name}"
        choices.append(SelectChoice(str(person.id), label))
    return choices


def _identity_gaps(delegates: list[Delegate]) -> list[tuple[Delegate, tuple]]:
    """Active delegates lacking what a ferry or air manifest asks, with what."""
    gaps = []
    for delegate in delegates:
        missing = identity_gaps(delegate.person) if delegate.is_active else ()
        if missing:
            gaps.append((delegate, missing))
    return gaps


def _locked_reason(event: Event, delegation: Delegation, finished: bool) -> str | None:
    """Why a delegation's head may no longer change the roster."""
    if finished:
        return _(
            "Acara ini sudah selesai (hari terakhir %(day)s). Ketua delegasi "
            "tidak dapat lagi mengusulkan, mengonfirmasi, mengganti atau "
            "memundurkan peserta. Bila daftar perlu dibetulkan (misalnya untuk "
            "SPJ), hubungi panitia acara.",
            day=format_day(event.ends_on),
        )
    if event.status != EventStatus.OPEN:
        return _(
            "Pendaftaran acara ini sudah ditutup. Hanya panitia yang dapat "
            "mengubah daftar."
        )
    if deadline_passed(delegation):
        return _(
            "Tenggat sudah lewat. Hanya panitia yang dapat mengubah daftar; "
            "hubungi panitia bila ada perubahan."
        )
    return None


def render_roster(event, delegation, *, nominate_form=None, new_form=None):
    """The roster page, with bound forms kept when an action was refused."""
    editable = may_edit(event, delegation)
    identity_required = needs_identity(event)
    roles = roles_for(delegation)
    q = request.args.get("q", "")[:MAX_QUERY_LENGTH]
    people = candidates(event, delegation, q) if editable else []
    if editable:
        nominate_form = nominate_form or NominateForm(formdata=None, roles=roles)
        nominate_form.person_id.choices = person_choices(people, _("— Pilih orang —"))
        new_form = new_form or NewPersonForm(
            formdata=None,
            roles=roles,
            prefix="new",
            identity_required=identity_required,
        )
    delegates = roster(event, delegation)
    nominated = sum(1 for d in delegates if d.status in ACTIVE_STATUSES)
    head_view = delegation is not None and heads_delegation(current_user, delegation)
    finished = event_is_over(event)
    locked_reason = (
        _locked_reason(event, delegation, finished)
        if delegation is not None and not editable and head_view
        else None
    )
    return render_template(
        "delegations/show.html",
        event=event,
        delegation=delegation,
        delegates=delegates,
        nominated=nominated,
        history=roster_history(event, delegation, limit=MAX_HISTORY),
        history_actions=HISTORY_ACTIONS,
        identity_required=identity_required,
        identity_gaps=_identity_gaps(delegates) if identity_required else [],
        roster_url=roster_url(event, delegation),
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
        candidates_limited=len(people) >= MAX_CANDIDATES,
        q=q,
        action_url=lambda endpoint, **kw: action_url(endpoint, event, delegation, **kw),
    )


@bp.get("/events/<int:event_id>/delegations/<int:delegation_id>")
@login_required
def show(event_id: int, delegation_id: int):
    """A delegation's roster, progress and history; its head nominates and confirms here."""
    event, delegation = scope(event_id, delegation_id)
    return render_roster(event, delegation)


@bp.get("/events/<int:event_id>/delegations/others")
@login_required
def others(event_id: int):
    """Speakers, committee and guests who belong to no regional delegation."""
    event, delegation = scope(event_id, None)
    return render_roster(event, delegation)
