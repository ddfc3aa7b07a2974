"""Who may do what: ``can_*`` predicates, and :func:`require` turning a no into 403."""

from __future__ import annotations

from functools import cache

from flask import abort, g, has_request_context, request
from sqlalchemy import bindparam

from planner.extensions import db
from planner.models import Event, Person, Region, RegionKind, User
from planner.models.user import user_regions


def require(ok: bool) -> None:
    """Abort with 403 unless ``ok``."""
    if not ok:
        abort(403)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_admin(user) -> bool:
    return _signed_in(user) and user.is_admin


@cache
def _covered_statement():
    """Built once (a bound user id): building and keying it cost more than running it."""
    held = db.select(user_regions.c.region_id).where(
        user_regions.c.user_id == bindparam("user_id")
    )
    provinces = db.select(Region.id).where(
        Region.id.in_(held), Region.kind == RegionKind.PROVINSI
    )
    return db.select(Region.id).where(
        Region.id.in_(held) | Region.parent_id.in_(provinces)
    )


@cache
def _covers_statement():
    """Whether one region is covered: held, or the child of a held province. Two
    indexed lookups; no list of ids to send back."""
    parent = db.aliased(Region)
    held = user_regions.c.user_id == bindparam("user_id")
    return db.select(
        db.exists().where(held, user_regions.c.region_id == bindparam("region_id"))
        | db.exists().where(
            held,
            Region.id == bindparam("region_id"),
            parent.id == Region.parent_id,
            parent.kind == RegionKind.PROVINSI,
            user_regions.c.region_id == parent.id,
        )
    )


@cache
def _holds_statement():
    return db.select(db.exists().where(user_regions.c.user_id == bindparam("user_id")))


#: Regions asked about one by one in a request before the whole covered set is
#: loaded instead.
_ONE_BY_ONE = 2


def _request_cache(name: str) -> dict:
    """A dict kept for the current request (on the request object: a test's app
    context outlives its requests, and the answers must not); outside a request, for
    the app context."""
    if has_request_context():
        return request.__dict__.setdefault("_planner_" + name, {})
    return g.setdefault(name, {})


def covers_region(user, region_id: int | None) -> bool:
    """Whether ``region_id`` is among :func:`covered_region_ids` without loading
    them: a chapter head over every province covers 552 regions, and a page about
    one delegation asks about one. Answered from the full set when this request
    loaded it; cached for the request."""
    if region_id is None or not _signed_in(user):
        return False
    loaded = g.get("_covered_region_ids", {}).get(user.id)
    if loaded is not None:
        return region_id in loaded
    if "regions" in user.__dict__ and not user.regions:
        return False
    cache = _request_cache("_covers_region")
    key = (user.id, region_id)
    if key not in cache:
        if sum(uid == user.id for uid, _region in cache) >= _ONE_BY_ONE:
            # A page asking about many regions (a list of people): the whole set.
            return region_id in covered_region_ids(user)
        cache[key] = bool(
            db.session.scalar(
                _covers_statement(), {"user_id": user.id, "region_id": region_id}
            )
        )
    return cache[key]


def covered_region_ids(user) -> frozenset[int]:
    """Ids of the regions a chapter head answers for; a province covers its children.

    Cached for the request, since pages ask it once per row. One query of ids, no
    region objects: the user's regions and the children of those that are provinces.
    """
    if not _signed_in(user):
        return frozenset()
    cache = g.setdefault("_covered_region_ids", {})
    if user.id not in cache:
        if "regions" in user.__dict__:  # loaded already: no query when there are none
            if not user.regions:
                return frozenset()
        cache[user.id] = frozenset(
            db.session.scalars(_covered_statement(), {"user_id": user.id})
        )
    return cache[user.id]


# Events -----------------------------------------------------------------------------


def can_create_event(user) -> bool:
    return _signed_in(user) and (user.is_admin or user.is_organiser)


def can_manage_event(user, event: Event) -> bool:
    """Edit, cancel and plan the event: admins and the event's own organisers."""
    if not _signed_in(user):
        return False
    return user.is_admin or any(o.id == user.id for o in event.organisers)


def can_view_event(user, event: Event) -> bool:
    """Drafts are seen by their organisers only; published events by every account."""
    if not _signed_in(user):
        return False
    return event.is_published or can_manage_event(user, event)


# Places and regions -------------------------------------------------------------------


def can_view_places(user) -> bool:
    return _signed_in(user)


def can_manage_places(user) -> bool:
    return _signed_in(user) and (user.is_admin or user.is_organiser)


def can_view_regions(user) -> bool:
    return _signed_in(user)


# People ---------------------------------------------------------------------------


def sees_all_people(user) -> bool:
    """Admins and organisers work across regions; chapter heads, participants do not."""
    return _signed_in(user) and (user.is_admin or user.is_organiser)


def heads_a_chapter(user) -> bool:
    """``user.is_chapter_head``: whether they hold any region. No query once this
    request has loaded their covered regions or found one region covered; else one
    EXISTS, cached for the request (the site's menu asks on every page)."""
    if not _signed_in(user):
        return False
    loaded = g.get("_covered_region_ids", {}).get(user.id)
    if loaded is not None:
        return bool(loaded)
    if "regions" in user.__dict__:
        return bool(user.regions)
    if any(
        covered and uid == user.id
        for (uid, _region), covered in _request_cache("_covers_region").items()
    ):
        return True
    cache = _request_cache("_heads_a_chapter")
    if user.id not in cache:
        cache[user.id] = bool(
            db.session.scalar(_holds_statement(), {"user_id": user.id})
        )
    return cache[user.id]


def can_list_people(user) -> bool:
    return sees_all_people(user) or heads_a_chapter(user)


def can_view_person(user, person: Person) -> bool:
    if not _signed_in(user):
        return False
    if sees_all_people(user):
        return True
    if covers_region(user, person.region_id):
        return True
    return user.person_id is not None and user.person_id == person.id


can_edit_person = can_view_person


def can_view_nik(user, person: Person) -> bool:
    """The NIK is sensitive: organisers, the region's chapter head, and the person."""
    return can_view_person(user, person)


def can_create_person(user) -> bool:
    return can_list_people(user)


def can_set_person_region(user, region: Region | None) -> bool:
    """A chapter head may only put people in the regions they answer for."""
    if sees_all_people(user):
        return True
    return region is not None and covers_region(user, region.id)


# Accounts -------------------------------------------------------------------------


def can_manage_users(user) -> bool:
    return is_admin(user)


def can_edit_user(user, other: User) -> bool:
    return is_admin(user) or (_signed_in(user) and user.id == other.id)


# Delegations ------------------------------------------------------------------------


def heads_delegation(user, delegation) -> bool:
    """The delegation's named head, or a chapter head of its region."""
    if not _signed_in(user):
        return False
    if delegation.head_user_id is not None and delegation.head_user_id == user.id:
        return True
    return covers_region(user, delegation.region_id)


def can_manage_delegations(user, event: Event) -> bool:
    """Create delegations, set quotas and heads, change any list at any time."""
    return can_manage_event(user, event)


def can_view_delegation(user, delegation) -> bool:
    return can_manage_event(user, delegation.event) or (
        delegation.event.is_published and heads_delegation(user, delegation)
    )


def can_edit_delegates(user, delegation, *, now=None) -> bool:
    """Organisers always; the delegation's head while nominations are open, the
    deadline has not passed and the event's last day is not over."""
    from planner.models import EventStatus
    from planner.services.delegations import deadline_passed
    from planner.services.events import event_is_over

    if can_manage_event(user, delegation.event):
        return True
    return (
        heads_delegation(user, delegation)
        and delegation.event.status == EventStatus.OPEN
        and not deadline_passed(delegation, now)
        and not event_is_over(delegation.event, now)
    )


def can_view_delegate_contacts(user, delegation) -> bool:
    """Phone numbers and NIK on rosters: organisers and the delegation's own head."""
    return delegation is not None and (
        can_manage_event(user, delegation.event) or heads_delegation(user, delegation)
    )


def can_check_in(user, event: Event) -> bool:
    """Marking delegates as attended on the event day: organisers only."""
    return can_manage_event(user, event)


def can_view_delegate_card(user, delegate) -> bool:
    """A delegate's card with its check-in QR code: organisers, the delegation's
    head, and the delegate themself (their participant account)."""
    if not _signed_in(user):
        return False
    if can_manage_event(user, delegate.event):
        return True
    if not delegate.event.is_published:
        return False
    if delegate.delegation is not None and heads_delegation(user, delegate.delegation):
        return True
    return user.person_id is not None and user.person_id == delegate.person_id


# Transport ----------------------------------------------------------------------------


def can_manage_transport(user, event: Event) -> bool:
    """Vehicles, legs and seats: the event's organisers."""
    return can_manage_event(user, event)


def can_view_transport(user, event: Event) -> bool:
    """The route, the vehicles and their passenger lists (no ID numbers): organisers, and
    once the event is published every head of one of its delegations."""
    if can_manage_event(user, event):
        return True
    return event.is_published and any(
        heads_delegation(user, delegation) for delegation in event.delegations
    )


def can_view_ferry_manifest(user, event: Event) -> bool:
    """Ferry manifests carry ID numbers (NIK): organisers only."""
    return can_manage_event(user, event)


# Paperwork ---------------------------------------------------------------------------


def can_manage_paperwork(user, event: Event) -> bool:
    """Budget, payment sheets, letters and certificates: the event's organisers."""
    return can_manage_event(user, event)


def can_view_certificate(user, event: Event, delegate) -> bool:
    """A certificate: the event's organisers, and the delegate it was given to."""
    if can_manage_paperwork(user, event):
        return True
    return (
        _signed_in(user)
        and user.person_id is not None
        and user.person_id == delegate.person_id
    )


# Rooms ----------------------------------------------------------------------------


def can_manage_rooms(user, event: Event) -> bool:
    """Stays, rooms and who sleeps where: the event's organisers."""
    return can_manage_event(user, event)


def can_view_rooms(user, event: Event) -> bool:
    """The stays and rooming lists: organisers, and once the event is published each
    head of one of its delegations (who sees their own delegations' people only)."""
    return can_view_transport(user, event)
