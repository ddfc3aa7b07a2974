"""Check-ins sent from phones that may have been offline: each applied once, the earliest
moment kept, every one recorded.

A phone queues ``{"id", "delegate_id", "action", "at"}`` records while it has no signal
and sends them when it has. :func:`parse_records` checks what arrived;
:func:`apply_records` applies them in the order they happened. A record whose id was
seen before changes nothing. When two phones checked in the same person, the person is
present from the earlier moment and the delegate's history has a step for each phone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateChange,
    DelegateStatus,
    Event,
    User,
)
from planner.models.checkin import CheckinAction, CheckinOutcome, OfflineCheckin
from planner.models.types import utcnow
from planner.services import PlannerError
from planner.services.delegations import mark_attended, undo_attendance
from planner.services.parsing import instant

#: Records accepted in one request (a day at a busy gate is a few hundred).
MAX_RECORDS = 500
#: How far a phone's clock may run ahead of the server's.
CLOCK_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Record:
    """One checked record from a phone."""

    client_id: str
    delegate_id: int
    action: CheckinAction
    at: datetime


@dataclass
class SyncResult:
    """What became of each record sent, by its id."""

    outcomes: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "outcomes": self.outcomes,
            "messages": self.messages,
            "duplicates": self.duplicates,
        }


def parse_records(payload) -> list[Record]:
    """The records of a JSON body, or a PlannerError saying what is wrong with them."""
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list):
        raise PlannerError(_("Data check-in tidak terbaca."))
    if len(records) > MAX_RECORDS:
        raise PlannerError(
            _("Paling banyak %(n)s check-in sekali kirim.", n=MAX_RECORDS)
        )
    latest = utcnow() + CLOCK_SLACK
    parsed = []
    for raw in records:
        if not isinstance(raw, dict):
            raise PlannerError(_("Data check-in tidak terbaca."))
        try:
            client_id = str(uuid.UUID(str(raw.get("id", ""))[:36]))
        except ValueError:
            raise PlannerError(_("Data check-in tidak terbaca.")) from None
        delegate_id = raw.get("delegate_id")
        action = raw.get("action")
        at = instant(raw.get("at"))
        if (
            not isinstance(delegate_id, int)
            or isinstance(delegate_id, bool)
            or not 0 < delegate_id < 2**31
            or action not in (CheckinAction.CHECK_IN, CheckinAction.UNDO)
            or at is None
        ):
            raise PlannerError(_("Data check-in tidak terbaca."))
        if at > latest:
            raise PlannerError(
                _("Jam ponsel lebih cepat dari jam server: periksa jam ponsel.")
            )
        parsed.append(Record(client_id, delegate_id, CheckinAction(action), at))
    return parsed


def apply_records(event: Event, records: list[Record], *, by: User) -> SyncResult:
    """Apply the records not seen before, oldest first; return what became of each."""
    result = SyncResult()
    ids = {r.client_id for r in records}
    seen = (
        set(
            db.session.scalars(
                sa.select(OfflineCheckin.client_id).where(
                    OfflineCheckin.client_id.in_(ids)
                )
            )
        )
        if ids
        else set()
    )
    delegate_ids = {r.delegate_id for r in records}
    delegates = (
        {
            d.id: d
            for d in db.session.scalars(
                sa.select(Delegate)
                .where(Delegate.event_id == event.id, Delegate.id.in_(delegate_ids))
                .options(joinedload(Delegate.person))
            )
        }
        if delegate_ids
        else {}
    )
    for record in sorted(records, key=lambda r: (r.at, r.client_id)):
        if record.client_id in seen:
            result.duplicates.append(record.client_id)
            result.outcomes[record.client_id] = "duplicate"
            continue
        seen.add(record.client_id)
        delegate = delegates.get(record.delegate_id)
        if delegate is None:
            result.outcomes[record.client_id] = CheckinOutcome.REFUSED.value
            result.messages[record.client_id] = _("Orang ini bukan peserta acara ini.")
            continue
        outcome, note = _apply(event, delegate, record, by)
        db.session.add(
            OfflineCheckin(
                client_id=record.client_id,
                event_id=event.id,
                delegate_id=delegate.id,
                action=record.action,
                at=record.at,
                by_user_id=by.id,
                outcome=outcome,
                note=note,
            )
        )
        result.outcomes[record.client_id] = outcome.value
        if note:
            result.messages[record.client_id] = note
    db.session.flush()
    return result


def _apply(
    event: Event, delegate: Delegate, record: Record, by: User
) -> tuple[CheckinOutcome, str | None]:
    if record.action == CheckinAction.UNDO:
        present_since = delegate.attended_at
        if delegate.status != DelegateStatus.ATTENDED or (
            present_since is not None and present_since > record.at
        ):
            return CheckinOutcome.IGNORED, None
        undo_attendance(delegate, by=by)
        return CheckinOutcome.APPLIED, None
    if event.is_cancelled:
        return CheckinOutcome.REFUSED, _(
            "Acara ini dibatalkan: kehadiran tidak dicatat."
        )
    if delegate.status == DelegateStatus.ATTENDED:
        earlier = delegate.attended_at is None or record.at < delegate.attended_at
        if earlier:
            delegate.attended_at = record.at
        db.session.add(
            DelegateChange(
                delegate=delegate,
                action="attended",
                from_status=DelegateStatus.ATTENDED.value,
                to_status=DelegateStatus.ATTENDED.value,
                by_user=by,
                at=record.at,
                note=_("Check-in dari ponsel lain"),
            )
        )
        return (CheckinOutcome.EARLIER if earlier else CheckinOutcome.LATER), None
    try:
        mark_attended(delegate, by=by)
    except PlannerError as exc:
        return CheckinOutcome.REFUSED, str(exc)[:300]
    delegate.attended_at = record.at
    # The history step mark_attended wrote: at the moment of the tap, not of arrival.
    latest = (
        sa.select(sa.func.max(DelegateChange.id))
        .where(
            DelegateChange.delegate_id == delegate.id,
            DelegateChange.action == "attended",
        )
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(DelegateChange)
        .where(DelegateChange.id == latest)
        .values(at=record.at)
        .execution_options(synchronize_session=False)
    )
    return CheckinOutcome.APPLIED, None


@dataclass(frozen=True)
class OfflinePages:
    """What an organiser's phone keeps for a day at the gate: trips departing today or
    tomorrow (event's zone) with their vehicles, and their ferry legs."""

    trip_vehicles: list[tuple[int, int]]
    ferry_legs: list[int]
    #: Stays whose nights include tonight or tomorrow night (their rooming lists).
    stays: list[int]


def offline_pages(event: Event, now: datetime | None = None) -> OfflinePages:
    """The manifests worth keeping offline now (two queries at any size)."""
    from zoneinfo import ZoneInfo

    from planner.models import Leg, LegMode, Vehicle, leg_vehicles
    from planner.models.rooms import Stay

    zone = ZoneInfo(event.timezone)
    today = (now or utcnow()).astimezone(zone).date()
    days = {today, today + timedelta(days=1)}
    legs = db.session.execute(
        sa.select(Leg.id, Leg.trip_id, Leg.mode, Leg.departs_at)
        .where(Leg.event_id == event.id)
        .order_by(Leg.departs_at, Leg.id)
    ).all()
    chosen = [leg for leg in legs if leg.departs_at.astimezone(zone).date() in days]
    trips = {leg.trip_id for leg in chosen}
    pairs = (
        db.session.execute(
            sa.select(Leg.trip_id, Vehicle.id)
            .join(leg_vehicles, leg_vehicles.c.leg_id == Leg.id)
            .join(Vehicle, Vehicle.id == leg_vehicles.c.vehicle_id)
            .where(Leg.trip_id.in_(trips))
            .distinct()
            .order_by(Leg.trip_id, Vehicle.id)
        ).all()
        if trips
        else []
    )
    stays = db.session.scalars(
        sa.select(Stay.id)
        .where(
            Stay.event_id == event.id,
            Stay.check_in_on <= today + timedelta(days=1),
            Stay.check_out_on > today,
        )
        .order_by(Stay.check_in_on, Stay.id)
    ).all()
    return OfflinePages(
        trip_vehicles=[(t, v) for t, v in pairs],
        ferry_legs=[leg.id for leg in chosen if leg.mode == LegMode.FERRY],
        stays=list(stays),
    )
