"""The driver's copy of one vehicle for one trip: its legs and passengers, with each
delegation head's phone."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask_babel import gettext as _

from planner import labels
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    DelegateRole,
    Delegation,
    Leg,
    Person,
    SeatAssignment,
    Trip,
    User,
    Vehicle,
)
from planner.models.transport import leg_vehicles
from planner.services.manifests.loading import _travels_on_own, _unseated_rows
from planner.services.manifests.records import (
    LegLine,
    Passenger,
    VehicleManifest,
    _place_options,
    _sex_short,
    leg_line,
)
from planner.services.people import format_phone


def _head_phones(delegation_ids: Sequence[int]) -> dict[int, str]:
    """Phone of each delegation's head: the head account's person, else a delegate with
    the role head in that delegation (two queries)."""
    if not delegation_ids:
        return {}
    phones: dict[int, str] = {}
    rows = db.session.execute(
        sa.select(Delegate.delegation_id, Person.phone)
        .join(Person, Person.id == Delegate.person_id)
        .where(
            Delegate.delegation_id.in_(delegation_ids),
            Delegate.role == DelegateRole.HEAD,
            Delegate.status.in_(list(ACTIVE_STATUSES)),
            Person.phone.is_not(None),
        )
        .order_by(Delegate.id)
    )
    for delegation_id, phone in rows:
        phones.setdefault(delegation_id, phone)
    rows = db.session.execute(
        sa.select(Delegation.id, Person.phone)
        .join(User, User.id == Delegation.head_user_id)
        .join(Person, Person.id == User.person_id)
        .where(Delegation.id.in_(delegation_ids), Person.phone.is_not(None))
    )
    for delegation_id, phone in rows:
        phones[delegation_id] = phone  # the named head account comes first
    return phones


def load_vehicle_manifests(
    trip: Trip, vehicles: Sequence[Vehicle]
) -> list[VehicleManifest]:
    """The driver's copies of these vehicles for ``trip``, in four queries whatever
    their number."""
    event = trip.event
    kinds = labels.VEHICLE_KIND
    manifests = {
        v.id: VehicleManifest(
            event_title=event.title,
            organiser_body=event.organiser_body,
            trip_name=labels.trip_name(trip.name),
            vehicle_id=v.id,
            label=v.label,
            kind_label=str(kinds.get(v.kind, v.kind)),
            plate=v.plate or "",
            seats=v.seats,
            driver_name=v.driver_name or "",
            driver_phone=format_phone(v.driver_phone),
            operator=v.operator or "",
        )
        for v in vehicles
    }
    if not manifests:
        return []
    ids = list(manifests)
    legs = db.session.execute(
        sa.select(leg_vehicles.c.vehicle_id, Leg)
        .join(Leg, Leg.id == leg_vehicles.c.leg_id)
        .where(Leg.trip_id == trip.id, leg_vehicles.c.vehicle_id.in_(ids))
        .options(*_place_options())
        .order_by(Leg.position, Leg.departs_at, Leg.id)
    )
    lines: dict[int, LegLine] = {}
    for vehicle_id, leg in legs:
        if leg.id not in lines:
            lines[leg.id] = leg_line(leg, event)
        manifests[vehicle_id].legs.append(lines[leg.id])
    rows = db.session.execute(
        sa.select(
            SeatAssignment.vehicle_id,
            SeatAssignment.seat_number,
            Person.formal_name.label("full_name"),
            Person.sex,
            Delegate.delegation_id,
            Delegation.name,
        )
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(
            SeatAssignment.trip_id == trip.id,
            SeatAssignment.vehicle_id.in_(ids),
            Delegate.status.in_(list(ACTIVE_STATUSES)),
        )
        .order_by(
            SeatAssignment.vehicle_id,
            SeatAssignment.seat_number.is_(None),
            SeatAssignment.seat_number,
            Delegation.name,
            Person.full_name,
            Delegate.id,
        )
    ).all()
    phones = _head_phones(sorted({r.delegation_id for r in rows if r.delegation_id}))
    for vehicle_id, seat, name, sex, delegation_id, delegation_name in rows:
        manifests[vehicle_id].passengers.append(
            Passenger(
                seat=seat,
                name=name,
                sex=_sex_short(sex),
                delegation=delegation_name or _("Tanpa delegasi"),
                head_phone=format_phone(phones.get(delegation_id))
                if delegation_id
                else "",
            )
        )
    own = _travels_on_own(trip)
    unseated_rows = [r for r in _unseated_rows(trip) if r.delegation_id not in own]
    unseated_phones = _head_phones(
        sorted({r.delegation_id for r in unseated_rows if r.delegation_id})
    )
    unseated = [
        Passenger(
            seat=None,
            name=r.full_name,
            sex=_sex_short(r.sex),
            delegation=r.name or _("Tanpa delegasi"),
            head_phone=format_phone(unseated_phones.get(r.delegation_id))
            if r.delegation_id
            else "",
        )
        for r in unseated_rows
    ]
    for manifest in manifests.values():
        manifest.unseated = unseated
    return [manifests[v.id] for v in vehicles]
