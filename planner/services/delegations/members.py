"""Delegates: nominate, confirm, check in, withdraw and replace, one quota place each.

The quota is enforced by the database: a delegation's ``confirmed_count`` only rises
through a conditional UPDATE (``… WHERE confirmed_count < quota``) and a CHECK constraint
refuses anything above the quota, so two chapter heads confirming at the same moment
cannot both take the last place.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.audit import record_delegate_step
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    QUOTA_STATUSES,
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    Person,
    SeatAssignment,
    User,
    utcnow,
)
from planner.services import PlannerError
from planner.services.people import create_person


class QuotaFull(PlannerError):
    """The delegation has no quota place left."""


class AlreadyInEvent(PlannerError):
    """The person already takes part in the event."""


# Who may join ---------------------------------------------------------------------------


def allowed_region_ids(delegation: Delegation | None) -> set[int] | None:
    """Regions whose people may join the delegation (a province: its regencies too).

    None: no limit (people outside delegations, a named body such as IPSM Pusat).
    """
    if delegation is None or delegation.region is None:
        return None
    region = delegation.region
    ids = {region.id}
    if region.is_province:
        # The relationship stays loaded: an import nominating hundreds asks once.
        ids.update(child.id for child in region.children)
    return ids


def check_member_region(delegation: Delegation | None, person: Person) -> None:
    """Refuse a person who is not of the delegation's region(s)."""
    region_ids = allowed_region_ids(delegation)
    if region_ids is None:
        return
    region_id = person.region_id
    if region_id is None and person.region is not None:
        region_id = person.region.id  # set on a person not flushed yet
    if region_id not in region_ids:
        raise PlannerError(
            _("%(name)s bukan dari wilayah delegasi ini.", name=person.formal_name),
            field="person_id",
        )


def nominate_delegate(
    event: Event,
    *,
    person: Person,
    delegation: Delegation | None = None,
    role: DelegateRole = DelegateRole.PARTICIPANT,
    by: User | None = None,
    notes: str | None = None,
) -> Delegate:
    """Put a person in the event as nominated; a withdrawn person may be nominated again.

    The person must be of the delegation's region(s) (:func:`check_member_region`).
    Nominations may exceed the quota (a reserve list); confirmations may not.
    """
    if delegation is not None and delegation.event_id != event.id:
        raise PlannerError(
            _("Delegasi itu bukan milik acara ini."), field="delegation_id"
        )
    check_member_region(delegation, person)
    if delegation is None and role in (DelegateRole.PARTICIPANT, DelegateRole.HEAD):
        raise PlannerError(
            _("Peserta dan ketua rombongan harus masuk sebuah delegasi."),
            field="delegation_id",
        )
    existing = _delegate_of(event, person)
    if existing is not None:
        if existing.is_active:
            raise AlreadyInEvent(
                _(
                    "%(name)s sudah terdaftar di acara ini (%(where)s).",
                    name=person.formal_name,
                    where=existing.delegation.name
                    if existing.delegation
                    else _("tanpa delegasi"),
                ),
                field="person_id",
            )
        before = existing.status
        existing.delegation = delegation
        existing.role = role
        existing.status = DelegateStatus.NOMINATED
        existing.withdrawn_at = None
        existing.confirmed_at = None
        _record(existing, "reinstated", before, DelegateStatus.NOMINATED, by=by)
        db.session.flush()
        return existing
    delegate = Delegate(
        event_id=event.id,
        delegation=delegation,
        person=person,
        role=role,
        status=DelegateStatus.NOMINATED,
        notes=notes,
    )
    db.session.add(delegate)
    db.session.flush()
    _record(delegate, "nominated", None, DelegateStatus.NOMINATED, by=by)
    return delegate


def confirm_delegate(delegate: Delegate, *, by: User | None = None) -> Delegate:
    """Confirm a nominated delegate, taking one quota place of their delegation."""
    _refuse_when_full(delegate.delegation_id)
    # The time rides on the status UPDATE: no second UPDATE of the row at the flush.
    _move_status(
        delegate,
        DelegateStatus.NOMINATED,
        DelegateStatus.CONFIRMED,
        confirmed_at=utcnow(),
    )
    if delegate.delegation_id is not None:
        _take_quota_place(delegate.delegation_id)
    _record(
        delegate, "confirmed", DelegateStatus.NOMINATED, DelegateStatus.CONFIRMED, by=by
    )
    db.session.flush()
    return delegate


def mark_attended(delegate: Delegate, *, by: User | None = None) -> Delegate:
    """Check a delegate in; a nominated one takes a quota place on the way."""
    before = delegate.status
    if before == DelegateStatus.ATTENDED:
        return delegate
    if before not in (DelegateStatus.NOMINATED, DelegateStatus.CONFIRMED):
        raise PlannerError(_("Orang ini sudah mundur atau diganti."))
    if before == DelegateStatus.NOMINATED:
        _refuse_when_full(delegate.delegation_id)
    _move_status(delegate, before, DelegateStatus.ATTENDED, attended_at=utcnow())
    if before == DelegateStatus.NOMINATED and delegate.delegation_id is not None:
        _take_quota_place(delegate.delegation_id)
    _record(delegate, "attended", before, DelegateStatus.ATTENDED, by=by)
    db.session.flush()
    return delegate


def undo_attendance(delegate: Delegate, *, by: User | None = None) -> Delegate:
    """Take back a check-in made by mistake: the delegate returns to the status they had
    before it, and a nominee checked in on the spot gives the quota place back."""
    if delegate.status != DelegateStatus.ATTENDED:
        raise PlannerError(_("Orang ini belum tercatat hadir."))
    check_in = db.session.scalars(
        sa.select(DelegateChange)
        .where(
            DelegateChange.delegate_id == delegate.id,
            DelegateChange.action == "attended",
        )
        .order_by(DelegateChange.at.desc(), DelegateChange.id.desc())
        .limit(1)
    ).first()
    back = DelegateStatus.CONFIRMED
    if check_in is not None and check_in.from_status == DelegateStatus.NOMINATED:
        back = DelegateStatus.NOMINATED
    _move_status(delegate, DelegateStatus.ATTENDED, back, attended_at=None)
    if back == DelegateStatus.NOMINATED and delegate.delegation_id is not None:
        _release_quota_place(delegate.delegation_id)
    _record(delegate, "attendance_undone", DelegateStatus.ATTENDED, back, by=by)
    db.session.flush()
    return delegate


def withdraw_delegate(
    delegate: Delegate, *, by: User | None = None, note: str | None = None
) -> Delegate:
    """Withdraw a delegate, giving their quota place back."""
    before = delegate.status
    if before not in (DelegateStatus.NOMINATED, DelegateStatus.CONFIRMED):
        raise PlannerError(
            _("Hanya peserta yang diusulkan atau dikonfirmasi bisa mundur.")
        )
    _move_status(delegate, before, DelegateStatus.WITHDRAWN)
    if before in QUOTA_STATUSES and delegate.delegation_id is not None:
        _release_quota_place(delegate.delegation_id)
    delegate.withdrawn_at = utcnow()
    _record(delegate, "withdrawn", before, DelegateStatus.WITHDRAWN, by=by, note=note)
    db.session.flush()
    return delegate


def substitute_delegate(
    delegate: Delegate,
    *,
    person: Person,
    by: User | None = None,
    note: str | None = None,
) -> Delegate:
    """Replace a delegate by another person, keeping who replaced whom, when and by whom.

    The newcomer inherits the delegation, the role, the status and the seats: a
    confirmed delegate's replacement is confirmed at once, keeps the same quota place
    and sits where the replaced delegate sat on every trip (unless already seated on it).
    The pages go through :func:`replace_delegate`, which also holds the region rule.
    """
    before = delegate.status
    if before not in (DelegateStatus.NOMINATED, DelegateStatus.CONFIRMED):
        raise PlannerError(
            _("Hanya peserta yang diusulkan atau dikonfirmasi bisa diganti.")
        )
    if person.id == delegate.person_id:
        raise PlannerError(_("Pengganti harus orang lain."), field="person_id")
    existing = _delegate_of(delegate.event, person)
    if existing is not None:
        if existing.is_active:
            raise AlreadyInEvent(
                _("%(name)s sudah terdaftar di acara ini.", name=person.formal_name),
                field="person_id",
            )
        # A person who withdrew earlier comes back as the replacement.
        if existing.replaces_id is not None:
            existing.replaces_id = None
            db.session.flush()
        replacement = existing
        replacement.delegation_id = delegate.delegation_id
        replacement.role = delegate.role
        replacement.withdrawn_at = None
    else:
        replacement = Delegate(
            event_id=delegate.event_id,
            delegation_id=delegate.delegation_id,
            person=person,
            role=delegate.role,
        )
        db.session.add(replacement)
    _move_status(delegate, before, DelegateStatus.REPLACED)
    delegate.withdrawn_at = utcnow()
    replacement.status = before
    replacement.confirmed_at = utcnow() if before == DelegateStatus.CONFIRMED else None
    db.session.flush()
    replacement.replaces_id = delegate.id
    _hand_over_seats(delegate, replacement)
    db.session.flush()
    _record(
        delegate,
        "replaced",
        before,
        DelegateStatus.REPLACED,
        by=by,
        note=note,
        other=replacement,
    )
    _record(replacement, "substitute", None, before, by=by, note=note, other=delegate)
    db.session.flush()
    return replacement


def nominate_new_person(
    event: Event,
    *,
    delegation: Delegation | None,
    data: dict,
    role: DelegateRole,
    by: User,
) -> Delegate:
    """Add a person in the delegation's region (none outside delegations) and nominate
    them in one step; a possible duplicate is refused unless confirmed in ``data``."""
    person = create_person(data=_in_region(data, delegation), acting_user=by)
    return nominate_delegate(
        event, person=person, delegation=delegation, role=role, by=by
    )


def replace_delegate(
    delegate: Delegate,
    *,
    person: Person | None = None,
    data: dict | None = None,
    by: User,
    note: str | None = None,
) -> Delegate:
    """Replace a delegate by a person on record of the delegation's region(s), or by a
    new person (``data``) added in that region; see :func:`substitute_delegate`."""
    if person is None:
        person = create_person(
            data=_in_region(data or {}, delegate.delegation), acting_user=by
        )
    else:
        check_member_region(delegate.delegation, person)
    return substitute_delegate(delegate, person=person, by=by, note=note)


def _in_region(data: dict, delegation: Delegation | None) -> dict:
    """A new person's data placed in the delegation's region."""
    return {**data, "region_id": delegation.region_id if delegation else None}


def _hand_over_seats(delegate: Delegate, replacement: Delegate) -> None:
    """The replacement takes the replaced delegate's seat on each trip where they have
    none yet (so the manifest does not lose a traveller); two queries."""
    seats = db.session.scalars(
        sa.select(SeatAssignment).where(
            SeatAssignment.delegate_id.in_([delegate.id, replacement.id])
        )
    ).all()
    seated = {s.trip_id for s in seats if s.delegate_id == replacement.id}
    for seat in seats:
        if seat.delegate_id == delegate.id and seat.trip_id not in seated:
            seat.delegate_id = replacement.id
            seat.delegate = replacement


def _delegate_of(event_or_id, person: Person) -> Delegate | None:
    event_id = event_or_id if isinstance(event_or_id, int) else event_or_id.id
    return db.session.execute(
        sa.select(Delegate).filter_by(event_id=event_id, person_id=person.id)
    ).scalar_one_or_none()


def _move_status(
    delegate: Delegate, expected: DelegateStatus, new: DelegateStatus, **values
) -> None:
    """Conditional update: refuses when someone else changed the delegate meanwhile
    (their status, or moved them to another delegation). ``values``: more columns
    set by the same UPDATE (a step's time)."""
    delegation_id = delegate.delegation_id
    # Between two active statuses no calendar changes: feeds list active delegates
    # (and count their seats) without showing which of the three they are in.
    if expected in ACTIVE_STATUSES and new in ACTIVE_STATUSES:
        feeds: dict = {"feeds_unchanged": True}
    else:
        # The WHERE clause pins the row's keys: the feed revisions need no SELECT.
        feeds = {"touches": {"id": delegate.id, "delegation_id": delegation_id}}
    result = db.session.execute(
        sa.update(Delegate)
        .where(
            Delegate.id == delegate.id,
            Delegate.status == expected,
            Delegate.delegation_id.is_(None)
            if delegation_id is None
            else Delegate.delegation_id == delegation_id,
        )
        .values(status=new, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False, **feeds)
    )
    if result.rowcount != 1:
        db.session.refresh(delegate)
        raise PlannerError(
            _("Status orang ini baru saja diubah orang lain. Muat ulang halaman.")
        )
    db.session.expire(delegate, ["status", "updated_at", *values])


def _refuse_when_full(delegation_id: int | None) -> None:
    """Refuse before writing anything when the delegation, as this transaction
    already read it, has no place left: the refusal then ends in a COMMIT of reads
    (see ``planner.commit``). No query of its own; the conditional UPDATE of
    :func:`_take_quota_place` stays the guard against a race."""
    if delegation_id is None:
        return
    delegation = db.session.identity_map.get(
        db.session.identity_key(Delegation, delegation_id)
    )
    if delegation is None:
        return
    loaded = delegation.__dict__
    if "quota" not in loaded or "confirmed_count" not in loaded:
        return
    if loaded["confirmed_count"] >= loaded["quota"]:
        raise QuotaFull(_("Kuota delegasi ini sudah penuh."))


def _take_quota_place(delegation_id: int) -> None:
    result = db.session.execute(
        sa.update(Delegation)
        .where(
            Delegation.id == delegation_id,
            Delegation.confirmed_count < Delegation.quota,
        )
        # The count is derived; keeping updated_at for the delegation's own settings
        # keeps calendar feeds' ETags (which read it) steady while people confirm.
        .values(
            confirmed_count=Delegation.confirmed_count + 1,
            updated_at=Delegation.updated_at,
        )
        # No feed shows the count (see _move_status).
        .execution_options(synchronize_session=False, feeds_unchanged=True)
    )
    if result.rowcount != 1:
        raise QuotaFull(_("Kuota delegasi ini sudah penuh."))
    _expire_count(delegation_id)


def _release_quota_place(delegation_id: int) -> None:
    db.session.execute(
        sa.update(Delegation)
        .where(Delegation.id == delegation_id, Delegation.confirmed_count > 0)
        .values(
            confirmed_count=Delegation.confirmed_count - 1,
            updated_at=Delegation.updated_at,
        )
        .execution_options(synchronize_session=False, feeds_unchanged=True)
    )
    _expire_count(delegation_id)


def _expire_count(delegation_id: int) -> None:
    delegation = db.session.identity_map.get(
        db.session.identity_key(Delegation, delegation_id)
    )
    if delegation is not None:
        db.session.expire(delegation, ["confirmed_count"])


def _record(delegate, action, before, after, *, by=None, note=None, other=None) -> None:
    """The step in the delegate's history and its audit entry, written as rows at
    once: an object would cost a flush of the unit of work (half the CPU of a
    one-tap confirmation)."""
    if delegate.id is None or (other is not None and other.id is None):
        db.session.flush()
    from_status = str(before) if before else None
    to_status = str(after) if after else None
    db.session.execute(
        sa.insert(DelegateChange.__table__),
        {
            "delegate_id": delegate.id,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "other_delegate_id": other.id if other is not None else None,
            "by_user_id": by.id if by is not None else None,
            "note": (note or None) and note[:500],
        },
    )
    record_delegate_step(db.session, delegate, action, from_status, to_status)
