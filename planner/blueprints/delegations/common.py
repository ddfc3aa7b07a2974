"""What the delegation pages share: loading by ids with the permission check, the
roster's addresses, the roles a roster offers, a refused new person's messages."""

from __future__ import annotations

from functools import cache

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload

from planner.blueprints.delegations import bp
from planner.commit import show_error
from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Person,
    Region,
    User,
)
from planner.models.types import MAX_ID
from planner.permissions import (
    can_edit_delegates,
    can_manage_delegations,
    can_view_delegation,
    can_view_person,
    require,
)
from planner.services import PlannerError
from planner.services.people import PossibleDuplicate

#: Roles offered in a regional delegation, and outside any.
DELEGATION_ROLES = [DelegateRole.PARTICIPANT, DelegateRole.HEAD]
OTHER_ROLES = [DelegateRole.SPEAKER, DelegateRole.COMMITTEE, DelegateRole.GUEST]


def roles_for(delegation: Delegation | None) -> list[DelegateRole]:
    """The roles a roster offers: a delegation's, or those of people outside any."""
    return OTHER_ROLES if delegation is None else DELEGATION_ROLES


def load_event(event_id: int) -> Event:
    """The event with this id, or 404."""
    return db.one_or_404(db.select(Event).where(Event.id == event_id))


def load_delegation(
    event_id: int, delegation_id: int, *, shown: bool = True
) -> Delegation:
    """The delegation, looked up by both ids, with its event (and the organisers the
    permission checks read), and for a page (``shown``) its region and head; or 404."""
    return db.session.execute(
        _delegation_statement(shown),
        {"delegation_id": delegation_id, "event_id": event_id},
    ).unique().scalar_one_or_none() or abort(404)


@cache
def _delegation_statement(shown: bool):
    """Built once per variant (bound ids): a one-tap confirmation spent more building
    and keying the statement with its eager loads than running it."""
    options = [joinedload(Delegation.event).joinedload(Event.organisers)]
    if shown:
        options += [
            joinedload(Delegation.region).joinedload(Region.parent),
            joinedload(Delegation.head).joinedload(User.person),
        ]
    return (
        db.select(Delegation)
        .options(*options)
        .where(
            Delegation.id == bindparam("delegation_id"),
            Delegation.event_id == bindparam("event_id"),
        )
    )


def scope(event_id: int, delegation_id: int | None, *, shown: bool = True):
    """(event, delegation) of a roster page; delegation None: people outside any.
    ``shown`` False: an action that only redirects (no region or head loaded)."""
    if delegation_id is None:
        event = load_event(event_id)
        require(can_manage_delegations(current_user, event))
        return event, None
    delegation = load_delegation(event_id, delegation_id, shown=shown)
    require(can_view_delegation(current_user, delegation))
    return delegation.event, delegation


def may_edit(event: Event, delegation: Delegation | None) -> bool:
    """Whether the user may change this roster (not only look at it)."""
    if delegation is None:
        return can_manage_delegations(current_user, event)
    return can_edit_delegates(current_user, delegation)


def scope_for_edit(event_id: int, delegation_id: int | None, *, shown: bool = True):
    """Like :func:`scope`, refusing (403) those who may only look."""
    event, delegation = scope(event_id, delegation_id, shown=shown)
    require(may_edit(event, delegation))
    return event, delegation


def load_delegate(event: Event, delegation: Delegation | None, delegate_id: int):
    """A delegate of this roster, looked up by all ids, or 404."""
    params = {"delegate_id": delegate_id, "event_id": event.id}
    if delegation is not None:
        params["delegation_id"] = delegation.id
    return db.session.execute(
        _delegate_statement(delegation is not None), params
    ).scalar_one_or_none() or abort(404)


@cache
def _delegate_statement(in_delegation: bool):
    """Built once per variant (bound ids), with the person the pages name."""
    return (
        db.select(Delegate)
        .options(joinedload(Delegate.person))
        .where(
            Delegate.id == bindparam("delegate_id"),
            Delegate.event_id == bindparam("event_id"),
            Delegate.delegation_id == bindparam("delegation_id")
            if in_delegation
            else Delegate.delegation_id.is_(None),
        )
    )


def visible_person(person_id: int | None) -> Person | None:
    """The person picked in a form, if they exist and the user may see them."""
    person = (
        db.session.get(Person, person_id)
        if person_id and 0 < person_id <= MAX_ID
        else None
    )
    if person is None or not can_view_person(current_user, person):
        return None
    return person


def roster_url(event: Event, delegation: Delegation | None) -> str:
    """The roster page: a delegation's, or the people outside any."""
    if delegation is None:
        return url_for("delegations.others", event_id=event.id)
    return url_for("delegations.show", event_id=event.id, delegation_id=delegation.id)


def action_url(endpoint: str, event: Event, delegation, **kw) -> str:
    """A roster action's address (the "others" variant when there is no delegation)."""
    return url_for(
        f"delegations.{endpoint}",
        event_id=event.id,
        delegation_id=delegation.id if delegation else None,
        **kw,
    )


def roster_route(rule: str, **options):
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


def person_data(form) -> dict:
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


def show_person_refusal(form, field: str):
    """Where a refused new person's message goes: a possible duplicate names the
    people on record next to the "same person?" box; anything else on its field."""

    def show(exc: PlannerError) -> None:
        if isinstance(exc, PossibleDuplicate):
            names = ", ".join(p.formal_name for p in exc.people)
            form.confirm_duplicate.errors.append(
                f"{exc} {names}".strip() if names else str(exc)
            )
        else:
            show_error(exc, form, field)

    return show
