"""Copy an event as a template: last year's plan, shifted to new dates, as a new draft.

Every moment is shifted by whole calendar days in the zone it is shown in (agenda items
and delegation deadlines in the event's zone, a leg's departure in the zone of the place
it leaves from and its arrival in the zone of the place it reaches), so that a 07.00 WIB
departure stays a 07.00 WIB departure; a stay's check-in and check-out move by the same
days. What belongs to the old dates is left behind: booking references, cancelled agenda
items, confirmations, delegate histories, who slept in which room and feed addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    AgendaItem,
    AgendaSpeaker,
    AgendaStatus,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    EventStatus,
    Leg,
    Place,
    Room,
    SeatAssignment,
    Stay,
    Trip,
    Vehicle,
)
from planner.services import PlannerError
from planner.services.events import today, unique_slug
from planner.services.transport import place_timezone

TITLE_MAX = 200
#: How far from today a copy may start: beyond it a typo is likelier than a plan.
MAX_YEARS_AWAY = 10
#: The default shift: 52 weeks, so that a Tuesday event is copied to a Tuesday.
DEFAULT_SHIFT_DAYS = 364
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass(frozen=True)
class CopySummary:
    """What :func:`copy_event` would copy from an event (counts shown on the form)."""

    delegations: int
    vehicles: int
    trips: int
    legs: int
    agenda_items: int
    cancelled_items: int
    delegates: int
    seats: int
    stays: int
    rooms: int


def copy_summary(event: Event) -> CopySummary:
    """Counts of the rows a copy takes over, in one query."""

    def count(model, *where):
        return (
            db.select(func.count())
            .select_from(model)
            .where(model.event_id == event.id, *where)
            .scalar_subquery()
        )

    active = Delegate.status.in_(ACTIVE_STATUSES)
    seats = (
        db.select(func.count())
        .select_from(SeatAssignment)
        .join(Delegate, SeatAssignment.delegate_id == Delegate.id)
        .where(Delegate.event_id == event.id, active)
        .scalar_subquery()
    )
    rooms = (
        db.select(func.count())
        .select_from(Room)
        .join(Stay, Room.stay_id == Stay.id)
        .where(Stay.event_id == event.id)
        .scalar_subquery()
    )
    row = db.session.execute(
        db.select(
            count(Delegation),
            count(Vehicle),
            count(Trip),
            count(Leg),
            count(AgendaItem, AgendaItem.status != AgendaStatus.CANCELLED),
            count(AgendaItem, AgendaItem.status == AgendaStatus.CANCELLED),
            count(Delegate, active),
            seats,
            count(Stay),
            rooms,
        )
    ).one()
    return CopySummary(*row)


def default_start(event: Event) -> date:
    """The same weekday about a year later (52 weeks)."""
    return event.starts_on + timedelta(days=DEFAULT_SHIFT_DAYS)


def default_title(event: Event, starts_on: date) -> str:
    """The old title with its year replaced by the new one, else "… (salinan)"."""
    old_years = {str(event.starts_on.year), str(event.ends_on.year)}
    new_year = str(starts_on.year)
    if new_year not in old_years and _YEAR.search(event.title):
        title = _YEAR.sub(
            lambda m: new_year if m.group(1) in old_years else m.group(1), event.title
        )
        if title != event.title:
            return title[:TITLE_MAX]
    suffix = " " + _("(salinan)")
    return event.title[: TITLE_MAX - len(suffix)].rstrip() + suffix


def shift_moment(moment: datetime | None, days: int, zone: str) -> datetime | None:
    """The same local clock time ``days`` calendar days later in ``zone``, in UTC."""
    if moment is None:
        return None
    # Arithmetic on an aware datetime with a ZoneInfo is wall-clock arithmetic: the
    # offset is looked up again for the new day.
    local = moment.astimezone(ZoneInfo(zone)) + timedelta(days=days)
    return local.astimezone(UTC)


def _check(event: Event, title, starts_on, include_delegates, include_seats) -> str:
    """The cleaned title; a :class:`PlannerError` for input a copy cannot use."""
    if not isinstance(starts_on, date) or isinstance(starts_on, datetime):
        raise PlannerError(_("Tanggal mulai wajib diisi."), field="starts_on")
    title = (title or "").replace("\x00", "").strip() if isinstance(title, str) else ""
    if not title:
        raise PlannerError(_("Nama acara wajib diisi."), field="title")
    if len(title) > TITLE_MAX:
        raise PlannerError(
            _("Nama acara paling banyak %(n)s karakter.", n=TITLE_MAX), field="title"
        )
    if abs((starts_on - today()).days) > MAX_YEARS_AWAY * 366:
        raise PlannerError(
            _(
                "Tanggal mulai paling jauh %(n)s tahun dari hari ini.",
                n=MAX_YEARS_AWAY,
            ),
            field="starts_on",
        )
    if include_seats and not include_delegates:
        raise PlannerError(
            _("Pembagian kursi hanya dapat disalin bersama para delegasi."),
            field="include_seats",
        )
    return title


def copy_event(
    event: Event,
    *,
    title: str,
    starts_on: date,
    by_user,
    include_delegates: bool = False,
    include_seats: bool = False,
) -> Event:
    """Copy ``event`` as a new draft starting on ``starts_on``, everything shifted.

    Delegations (quotas, heads, deadlines), vehicles, trips, legs, the scheduled
    agenda items and the stays with their rooms (nobody in them) are copied;
    delegates only with ``include_delegates`` (as nominated: they must confirm again)
    and their seats only with ``include_seats``. The copier becomes an organiser next
    to the old ones.

    Bulk-friendly: one flush per table, parents before children so that every row of
    a table carries the same columns (explicit foreign-key ids), which PostgreSQL
    sends as multi-row INSERTs; SQLite, which cannot hand back the new ids of a
    multi-row INSERT in order, gets one INSERT per row. The number of SELECT
    statements does not grow with the event.
    """
    title = _check(event, title, starts_on, include_delegates, include_seats)
    days = (starts_on - event.starts_on).days
    zone = event.timezone

    organisers = list(event.organisers)
    if all(o.id != by_user.id for o in organisers):
        organisers.append(by_user)
    copy = Event(
        kind=event.kind,
        title=title,
        slug=unique_slug(title, starts_on.year),
        organiser_body=event.organiser_body,
        host_region_id=event.host_region_id,
        venue_id=event.venue_id,
        starts_on=starts_on,
        ends_on=event.ends_on + timedelta(days=days),
        timezone=zone,
        capacity=event.capacity,
        status=EventStatus.DRAFT,
        description=event.description,
        cancelled_reason=None,
    )
    copy.organisers = organisers
    db.session.add(copy)
    db.session.flush()

    # Delegations ------------------------------------------------------------------
    delegations = db.session.scalars(
        db.select(Delegation)
        .where(Delegation.event_id == event.id)
        .order_by(Delegation.id)
    ).all()
    delegation_of: dict[int, Delegation] = {}
    for old in delegations:
        delegation_of[old.id] = Delegation(
            event_id=copy.id,
            region_id=old.region_id,
            name=old.name,
            quota=old.quota,
            confirmed_count=0,
            head_user_id=old.head_user_id,
            deadline_at=shift_moment(old.deadline_at, days, zone),
            notes=old.notes,
        )
    db.session.add_all(delegation_of.values())
    db.session.flush()

    # Vehicles and trips -----------------------------------------------------------
    vehicles = db.session.scalars(
        db.select(Vehicle).where(Vehicle.event_id == event.id).order_by(Vehicle.id)
    ).all()
    vehicle_of = {
        old.id: Vehicle(
            event_id=copy.id,
            kind=old.kind,
            label=old.label,
            plate=old.plate,
            seats=old.seats,
            driver_name=old.driver_name,
            driver_phone=old.driver_phone,
            operator=old.operator,
            notes=old.notes,
        )
        for old in vehicles
    }
    trips = db.session.scalars(
        db.select(Trip).where(Trip.event_id == event.id).order_by(Trip.id)
    ).all()
    trip_of = {
        old.id: Trip(event_id=copy.id, name=old.name, position=old.position)
        for old in trips
    }
    db.session.add_all([*vehicle_of.values(), *trip_of.values()])
    db.session.flush()

    # Legs (booking references stay behind: a booking is for the old date) ---------
    legs = db.session.scalars(
        db.select(Leg)
        .where(Leg.event_id == event.id)
        .options(
            joinedload(Leg.from_place).joinedload(Place.region),
            joinedload(Leg.to_place).joinedload(Place.region),
            selectinload(Leg.vehicles),
            selectinload(Leg.delegations),
        )
        .order_by(Leg.id)
    ).all()
    new_legs = [
        Leg(
            event_id=copy.id,
            trip_id=trip_of[old.trip_id].id,
            position=old.position,
            from_place_id=old.from_place_id,
            to_place_id=old.to_place_id,
            mode=old.mode,
            departs_at=shift_moment(
                old.departs_at, days, place_timezone(old.from_place, event)
            ),
            arrives_at=shift_moment(
                old.arrives_at, days, place_timezone(old.to_place, event)
            ),
            carrier=old.carrier,
            vessel=old.vessel,
            booking_ref=None,
            notes=old.notes,
            has_packed_meal=old.has_packed_meal,
            sequence=0,
            vehicles=[vehicle_of[v.id] for v in old.vehicles if v.id in vehicle_of],
            delegations=[
                delegation_of[d.id] for d in old.delegations if d.id in delegation_of
            ],
        )
        for old in legs
    ]
    db.session.add_all(new_legs)
    db.session.flush()

    # Agenda (cancelled items are not part of next year's plan) --------------------
    items = db.session.scalars(
        db.select(AgendaItem)
        .where(
            AgendaItem.event_id == event.id,
            AgendaItem.status != AgendaStatus.CANCELLED,
        )
        .options(
            selectinload(AgendaItem.speakers), selectinload(AgendaItem.delegations)
        )
        .order_by(AgendaItem.starts_at, AgendaItem.id)
    ).all()
    new_items = [
        AgendaItem(
            event_id=copy.id,
            starts_at=shift_moment(old.starts_at, days, zone),
            ends_at=shift_moment(old.ends_at, days, zone),
            title=old.title,
            kind=old.kind,
            place_id=old.place_id,
            room=old.room,
            audience=old.audience,
            status=AgendaStatus.SCHEDULED,
            notes=old.notes,
            sequence=0,
            speakers=[
                AgendaSpeaker(
                    role=s.role,
                    position=s.position,
                    person_id=s.person_id,
                    name=s.name,
                    title=s.title,
                    institution=s.institution,
                )
                for s in old.speakers
            ],
            delegations=[
                delegation_of[d.id] for d in old.delegations if d.id in delegation_of
            ],
        )
        for old in items
    ]
    db.session.add_all(new_items)
    db.session.flush()

    _copy_stays(event, copy, days)
    if include_delegates:
        _copy_delegates(event, copy, delegation_of, trip_of, vehicle_of, include_seats)
    return copy


def _copy_delegates(
    event: Event,
    copy: Event,
    delegation_of: dict[int, Delegation],
    trip_of: dict[int, Trip],
    vehicle_of: dict[int, Vehicle],
    include_seats: bool,
) -> None:
    """Active delegates as nominated (no history, no quota place), then their seats."""
    delegates = db.session.scalars(
        db.select(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
        .order_by(Delegate.id)
    ).all()
    delegate_of = {}
    for old in delegates:
        delegation = delegation_of.get(old.delegation_id)
        delegate_of[old.id] = Delegate(
            event_id=copy.id,
            delegation_id=delegation.id if delegation is not None else None,
            person_id=old.person_id,
            role=old.role,
            status=DelegateStatus.NOMINATED,
            notes=old.notes,
        )
    db.session.add_all(delegate_of.values())
    db.session.flush()
    if not include_seats or not delegate_of:
        return
    seats = db.session.scalars(
        db.select(SeatAssignment)
        .join(Delegate, SeatAssignment.delegate_id == Delegate.id)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
        .order_by(SeatAssignment.id)
    ).all()
    db.session.add_all(
        SeatAssignment(
            event_id=copy.id,
            trip_id=trip_of[old.trip_id].id,
            vehicle_id=vehicle_of[old.vehicle_id].id,
            delegate_id=delegate_of[old.delegate_id].id,
            seat_number=old.seat_number,
            is_pinned=old.is_pinned,
        )
        for old in seats
        # Rows of one event only; a stray reference to another event's is left out.
        if old.trip_id in trip_of and old.vehicle_id in vehicle_of
    )
    db.session.flush()


def _copy_stays(event: Event, copy: Event, days: int) -> None:
    """The stays moved by ``days`` with their rooms, as a template: no booking
    reference and nobody in the rooms (people are given beds again for the new trip)."""
    stays = db.session.scalars(
        db.select(Stay)
        .where(Stay.event_id == event.id)
        .options(selectinload(Stay.rooms))
        .order_by(Stay.check_in_on, Stay.id)
    ).all()
    stay_of = {
        old.id: Stay(
            event_id=copy.id,
            place_id=old.place_id,
            check_in_on=old.check_in_on + timedelta(days=days),
            check_out_on=old.check_out_on + timedelta(days=days),
            booking_ref=None,
            notes=old.notes,
            sequence=0,
        )
        for old in stays
    }
    db.session.add_all(stay_of.values())
    db.session.flush()
    db.session.add_all(
        Room(
            stay_id=stay_of[old.id].id,
            label=room.label,
            room_type=room.room_type,
            beds=room.beds,
            rate=room.rate,
            is_family=room.is_family,
            position=room.position,
        )
        for old in stays
        for room in old.rooms
    )
    db.session.flush()
