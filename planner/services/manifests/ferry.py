"""The ferry operator's passenger manifest of one ferry leg (every occupant of every
vehicle aboard, plus the drivers, with age and NIK), and what identity data an
event's legs ask for."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from planner import labels
from planner.extensions import db
from planner.models import (
    ACTIVE_STATUSES,
    Delegate,
    Event,
    Leg,
    LegMode,
    Person,
    SeatAssignment,
)
from planner.services.manifests.loading import _travels_on_own, _unseated_rows
from planner.services.manifests.records import (
    FerryManifest,
    FerryPerson,
    FerryVehicle,
    _sex_short,
    age_on,
    leg_line,
    nik_birth_year,
)


def load_ferry_manifest(leg: Leg) -> FerryManifest:
    """The ferry leg's passenger manifest: drivers first in each vehicle, then its
    passengers by seat; one query after the leg."""
    event = leg.event
    line = leg_line(leg, event)
    on = line.departs_on
    kinds = labels.VEHICLE_KIND
    groups: dict[int, FerryVehicle] = {}
    for v in leg.vehicles:
        group = groups[v.id] = FerryVehicle(
            v.label, str(kinds.get(v.kind, v.kind)), v.plate or ""
        )
        if v.driver_name:
            group.people.append(
                FerryPerson(
                    name=v.driver_name,
                    sex="",
                    age=None,
                    birth_year=None,
                    nik="",
                    plate=v.plate or "",
                    is_driver=True,
                )
            )
    if groups:
        rows = db.session.execute(
            sa.select(
                SeatAssignment.vehicle_id,
                Person.formal_name.label("full_name"),
                Person.sex,
                Person.birth_on,
                Person.nik,
            )
            .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
            .join(Person, Person.id == Delegate.person_id)
            .where(
                SeatAssignment.trip_id == leg.trip_id,
                SeatAssignment.vehicle_id.in_(list(groups)),
                Delegate.status.in_(list(ACTIVE_STATUSES)),
            )
            .order_by(
                SeatAssignment.vehicle_id,
                SeatAssignment.seat_number.is_(None),
                SeatAssignment.seat_number,
                Person.full_name,
                Delegate.id,
            )
        )
        for vehicle_id, name, sex, birth_on, nik in rows:
            group = groups[vehicle_id]
            group.people.append(_passenger(name, sex, birth_on, nik, group.plate, on))
    # Delegations carried on this leg without a vehicle of the event, and confirmed
    # travellers still without a seat: they cross too, so the manifest lists them.
    on_foot = FerryVehicle(str(_("Tanpa kendaraan")), str(_("penumpang")), "")
    aboard = {d.id for d in leg.delegations}
    own = _travels_on_own(leg.trip)
    unseated = []
    for r in _unseated_rows(leg.trip):
        person = _passenger(r.full_name, r.sex, r.birth_on, r.nik, "", on)
        if r.delegation_id in aboard:
            on_foot.people.append(person)
        elif r.delegation_id not in own:
            unseated.append(person)
    vehicles = list(groups.values())
    if on_foot.people:
        vehicles.append(on_foot)
    return FerryManifest(
        event_title=event.title,
        organiser_body=event.organiser_body,
        trip_name=labels.trip_name(leg.trip.name),
        leg=line,
        vehicles=vehicles,
        unseated=unseated,
    )


def _passenger(name, sex, birth_on, nik, plate: str, on: date) -> FerryPerson:
    """A passenger line of a ferry manifest, with what the operator asks for that
    is missing."""
    age = age_on(birth_on, on) if birth_on else None
    birth_year = None if birth_on else nik_birth_year(nik, on)
    missing = []
    if not sex:
        missing.append(str(_("L/P")))
    if age is None and birth_year is None:
        missing.append(str(_("umur")))
    if not nik:
        missing.append(str(_("NIK")))
    return FerryPerson(
        name=name,
        sex=_sex_short(sex),
        age=age,
        birth_year=birth_year,
        nik=nik or "",
        plate=plate,
        is_driver=False,
        missing=tuple(missing),
    )


#: Modes whose operators list every passenger by NIK, birth date (age) and sex.
IDENTITY_MODES = (LegMode.FERRY, LegMode.AIR)


def needs_identity(event: Event) -> bool:
    """Whether the event has a ferry or air leg, so its people need NIK, birth date
    and sex on record (one query)."""
    return (
        db.session.scalar(
            sa.select(Leg.id)
            .where(Leg.event_id == event.id, Leg.mode.in_(IDENTITY_MODES))
            .limit(1)
        )
        is not None
    )


def identity_gaps(person: Person) -> tuple[str, ...]:
    """What a ferry or air manifest asks of this person that is not on record."""
    gaps = []
    if not person.sex:
        gaps.append(str(_("jenis kelamin")))
    if not person.birth_on:
        gaps.append(str(_("tanggal lahir")))
    if not person.nik:
        gaps.append(str(_("NIK")))
    return tuple(gaps)
