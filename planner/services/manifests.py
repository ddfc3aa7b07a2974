"""What manifests show, loaded in a constant number of queries.

Two kinds: the driver's copy of one vehicle for one trip (its legs and passengers) and
the ferry operator's passenger manifest of one ferry leg (every occupant of every
vehicle aboard, plus the drivers, with age and NIK). The builders in
:mod:`planner.exports.manifests` take these plain objects and never touch the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from planner import labels
from planner.extensions import db
from planner.formatting import format_datetime, to_zone
from planner.models import (
    ACTIVE_STATUSES,
    TAKING_PART,
    Delegate,
    DelegateRole,
    Delegation,
    Event,
    Leg,
    LegMode,
    Person,
    Place,
    SeatAssignment,
    Sex,
    Trip,
    User,
    Vehicle,
)
from planner.models.transport import leg_delegations, leg_vehicles
from planner.services.events import ChecklistItem, checklist_check
from planner.services.people import format_phone


@dataclass(frozen=True)
class LegLine:
    """A leg as printed: places, mode, times in each place's zone, carrier."""

    leg_id: int
    from_name: str
    to_name: str
    mode: LegMode
    mode_label: str
    departs: str
    arrives: str
    carrier: str
    vessel: str
    booking_ref: str
    #: Departure date in the zone of the place of departure (ages are counted on it).
    departs_on: date


@dataclass(frozen=True)
class Passenger:
    """One passenger of a vehicle, as on the driver's copy."""

    seat: int | None
    name: str
    sex: str
    delegation: str
    head_phone: str


@dataclass
class VehicleManifest:
    """The driver's copy of one vehicle for one trip."""

    event_title: str
    organiser_body: str
    trip_name: str
    vehicle_id: int
    label: str
    kind_label: str
    plate: str
    seats: int
    driver_name: str
    driver_phone: str
    operator: str
    legs: list[LegLine] = field(default_factory=list)
    passengers: list[Passenger] = field(default_factory=list)
    #: Confirmed travellers of the trip seated in no vehicle (shared by every vehicle
    #: of the trip): printed under "Belum mendapat kursi" with a warning.
    unseated: list[Passenger] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " · ".join(x for x in (self.label, self.plate) if x)


@dataclass(frozen=True)
class FerryPerson:
    """One person aboard: a passenger, or a driver (crew line)."""

    name: str
    sex: str
    #: Age in years at the departure date, or None.
    age: int | None
    #: Year of birth when no full date is known (from the NIK), or None.
    birth_year: int | None
    nik: str
    plate: str
    is_driver: bool
    #: What the operator asks for that is missing (labels: sex, age, NIK); never
    #: for drivers, whose identity the operator takes from their licence.
    missing: tuple[str, ...] = ()

    @property
    def age_label(self) -> str:
        """ "34" or "l. 1980" (born in) or ""."""
        if self.age is not None:
            return str(self.age)
        if self.birth_year is not None:
            return _("l. %(year)s", year=self.birth_year)
        return ""


@dataclass
class FerryVehicle:
    """The people aboard one vehicle on the ferry."""

    label: str
    kind_label: str
    plate: str
    people: list[FerryPerson] = field(default_factory=list)

    @property
    def title(self) -> str:
        return " · ".join(x for x in (self.label, self.plate) if x)


@dataclass
class FerryManifest:
    """The passenger manifest of one ferry leg, grouped by vehicle."""

    event_title: str
    organiser_body: str
    trip_name: str
    leg: LegLine
    vehicles: list[FerryVehicle]
    #: Confirmed travellers of the trip with no seat in any vehicle: they travel too,
    #: so they are printed in a section of their own, never left out.
    unseated: list[FerryPerson] = field(default_factory=list)

    @property
    def people(self) -> list[FerryPerson]:
        return [p for v in self.vehicles for p in v.people] + self.unseated

    @property
    def incomplete(self) -> int:
        """Passengers whose row lacks something the operator asks for."""
        return sum(1 for p in self.people if p.missing)

    @property
    def total(self) -> int:
        return len(self.people)

    def count_sex(self, sex: Sex | None) -> int:
        """People of this sex (``None``: sex not recorded)."""
        short = _sex_short(sex)
        return sum(1 for p in self.people if p.sex == short)


def age_on(birth: date, on: date) -> int:
    """Age in whole years on the day ``on`` (the birthday itself counts)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def nik_birth_year(nik: str | None, on: date) -> int | None:
    """The year of birth a 16-digit NIK encodes (digits 11–12), the century being the
    one that makes the person younger than 100 on ``on``; None if it is not a NIK."""
    if not nik or len(nik) != 16 or not nik.isdigit():
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women: day + 40
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    year = (on.year // 100) * 100 + yy
    if year > on.year:
        year -= 100
    return year


def _zone(place: Place, event: Event) -> str:
    return place.timezone or event.timezone


def leg_line(leg: Leg, event: Event) -> LegLine:
    """A leg as printed; its places (with regions) must be loaded."""
    from_zone = _zone(leg.from_place, event)
    return LegLine(
        leg_id=leg.id,
        from_name=leg.from_place.name,
        to_name=leg.to_place.name,
        mode=leg.mode,
        mode_label=str(labels.LEG_MODE.get(leg.mode, leg.mode)),
        departs=format_datetime(leg.departs_at, from_zone),
        arrives=format_datetime(leg.arrives_at, _zone(leg.to_place, event)),
        carrier=leg.carrier or "",
        vessel=leg.vessel or "",
        booking_ref=leg.booking_ref or "",
        departs_on=to_zone(leg.departs_at, from_zone).date(),
    )


def _place_options():
    return (
        joinedload(Leg.from_place).joinedload(Place.region),
        joinedload(Leg.to_place).joinedload(Place.region),
    )


# Loading by ids (404 when they do not belong together) ---------------------------------


def load_trip(event_id: int, trip_id: int) -> Trip:
    """A trip of this event with its event (organisers loaded), or 404."""
    return db.one_or_404(
        sa.select(Trip)
        .where(Trip.id == trip_id, Trip.event_id == event_id)
        .options(joinedload(Trip.event).selectinload(Event.organisers))
    )


def load_vehicle(event_id: int, vehicle_id: int) -> Vehicle:
    """A vehicle of this event, or 404."""
    return db.one_or_404(
        sa.select(Vehicle).where(Vehicle.id == vehicle_id, Vehicle.event_id == event_id)
    )


def load_ferry_leg(event_id: int, leg_id: int) -> Leg:
    """A ferry leg of this event with its places, trip, event and vehicles, or 404."""
    leg = db.one_or_404(
        sa.select(Leg)
        .where(Leg.id == leg_id, Leg.event_id == event_id)
        .options(
            *_place_options(),
            joinedload(Leg.trip),
            joinedload(Leg.event).selectinload(Event.organisers),
            selectinload(Leg.vehicles),
            selectinload(Leg.delegations),
        )
    )
    if leg.mode != LegMode.FERRY:
        abort(404)
    return leg


def trip_vehicles(trip: Trip) -> list[Vehicle]:
    """The vehicles of a trip: on one of its legs or holding one of its seats."""
    on_leg = (
        sa.select(leg_vehicles.c.vehicle_id)
        .join(Leg, Leg.id == leg_vehicles.c.leg_id)
        .where(Leg.trip_id == trip.id)
    )
    seated = sa.select(SeatAssignment.vehicle_id).where(
        SeatAssignment.trip_id == trip.id
    )
    return list(
        db.session.scalars(
            sa.select(Vehicle)
            .where(
                Vehicle.event_id == trip.event_id,
                sa.or_(Vehicle.id.in_(on_leg), Vehicle.id.in_(seated)),
            )
            .order_by(Vehicle.label, Vehicle.id)
        )
    )


# Who travels without a seat ------------------------------------------------------------


def _unseated_rows(trip: Trip):
    """Confirmed (or attended) delegates of the trip's event with no seat on it, and
    whether their delegation travels some leg of the trip without a vehicle (a flight, a
    public ferry); one query."""
    seated = sa.select(SeatAssignment.delegate_id).where(
        SeatAssignment.trip_id == trip.id
    )
    return db.session.execute(
        sa.select(
            Delegate.id,
            Delegate.delegation_id,
            Person.formal_name.label("full_name"),
            Person.sex,
            Person.birth_on,
            Person.nik,
            Delegation.name,
        )
        .join(Person, Person.id == Delegate.person_id)
        .outerjoin(Delegation, Delegation.id == Delegate.delegation_id)
        .where(
            Delegate.event_id == trip.event_id,
            Delegate.status.in_(list(TAKING_PART)),
            Delegate.id.not_in(seated),
        )
        .order_by(Delegation.name, Person.full_name, Delegate.id)
    ).all()


def _travels_on_own(trip: Trip) -> set[int]:
    """Delegations carried on some leg of the trip without a vehicle of the event."""
    return set(
        db.session.scalars(
            sa.select(leg_delegations.c.delegation_id)
            .join(Leg, Leg.id == leg_delegations.c.leg_id)
            .where(Leg.trip_id == trip.id)
        )
    )


# Vehicle manifests ---------------------------------------------------------------------


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


# Ferry manifests -----------------------------------------------------------------------


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


def _sex_short(sex: Sex | str | None) -> str:
    """ "L" or "P" ("M" or "F" in English), "" when not recorded."""
    return str(labels.SEX_SHORT.get(sex, "")) if sex else ""


# The index of an event's manifests ---------------------------------------------------


@dataclass
class TripManifests:
    """One trip on the manifests index: its vehicles and its ferry legs."""

    trip: Trip
    vehicles: list[Vehicle]
    ferry_legs: list[LegLine]


def load_index(event: Event) -> list[TripManifests]:
    """The event's trips with their vehicles and ferry legs, in three queries."""
    trips = list(
        db.session.scalars(
            sa.select(Trip)
            .where(Trip.event_id == event.id)
            .options(
                selectinload(Trip.legs).options(
                    *_place_options(), selectinload(Leg.vehicles)
                )
            )
            .order_by(Trip.position, Trip.id)
        )
    )
    seated = db.session.execute(
        sa.select(SeatAssignment.trip_id, SeatAssignment.vehicle_id)
        .join(Trip, Trip.id == SeatAssignment.trip_id)
        .where(Trip.event_id == event.id)
        .distinct()
    ).all()
    vehicles = {
        v.id: v
        for v in db.session.scalars(
            sa.select(Vehicle).where(Vehicle.event_id == event.id)
        )
    }
    out = []
    for trip in trips:
        ids = {v.id for leg in trip.legs for v in leg.vehicles}
        ids.update(vehicle_id for trip_id, vehicle_id in seated if trip_id == trip.id)
        out.append(
            TripManifests(
                trip=trip,
                vehicles=sorted(
                    (vehicles[i] for i in ids if i in vehicles),
                    key=lambda v: (v.label, v.id),
                ),
                ferry_legs=[
                    leg_line(leg, event)
                    for leg in trip.legs
                    if leg.mode == LegMode.FERRY
                ],
            )
        )
    return out


# What the overview asks for ------------------------------------------------------------


@dataclass(frozen=True)
class UnseatedOnTrip:
    """A trip in the event's vehicles with confirmed travellers who have no seat."""

    trip_id: int
    trip_name: str
    count: int


def unseated_by_trip(event: Event) -> list[UnseatedOnTrip]:
    """Per trip travelled in the event's vehicles, the confirmed (or attended)
    delegates without a seat on it, leaving out delegations carried on their own on
    some leg (a flight, a public ferry): the people its manifests list under "Belum
    mendapat kursi". One query, whatever the number of trips and delegates."""
    own_leg = sa.orm.aliased(Leg)
    vehicle_leg = sa.orm.aliased(Leg)
    seated = sa.exists().where(
        SeatAssignment.trip_id == Trip.id, SeatAssignment.delegate_id == Delegate.id
    )
    on_own = (
        sa.exists()
        .select_from(
            leg_delegations.join(own_leg, own_leg.id == leg_delegations.c.leg_id)
        )
        .where(
            own_leg.trip_id == Trip.id,
            leg_delegations.c.delegation_id == Delegate.delegation_id,
        )
    )
    by_vehicle = (
        sa.exists()
        .select_from(
            leg_vehicles.join(vehicle_leg, vehicle_leg.id == leg_vehicles.c.leg_id)
        )
        .where(vehicle_leg.trip_id == Trip.id)
    )
    rows = db.session.execute(
        sa.select(Trip.id, Trip.name, sa.func.count(Delegate.id))
        .join(Delegate, Delegate.event_id == Trip.event_id)
        .where(
            Trip.event_id == event.id,
            Delegate.status.in_(list(TAKING_PART)),
            by_vehicle,
            ~seated,
            ~on_own,
        )
        .group_by(Trip.id, Trip.name, Trip.position)
        .order_by(Trip.position, Trip.id)
    ).all()
    return [UnseatedOnTrip(trip_id, name, n) for trip_id, name, n in rows]


def incomplete_travellers(event: Event) -> int:
    """Confirmed (or attended) delegates of an event with trips whose manifest line
    lacks sex or age (a birth date, or a NIK to read the year from), and the NIK when
    some leg goes by ferry or air; two queries."""
    modes = set(
        db.session.scalars(
            sa.select(Leg.mode)
            .join(Trip, Trip.id == Leg.trip_id)
            .where(Trip.event_id == event.id)
            .distinct()
        )
    )
    if not modes:
        return 0
    lacking = [
        Person.sex.is_(None),
        sa.and_(Person.birth_on.is_(None), Person.nik.is_(None)),
    ]
    if modes & {LegMode.FERRY, LegMode.AIR}:
        lacking.append(Person.nik.is_(None))
    return db.session.scalar(
        sa.select(sa.func.count(Delegate.id))
        .join(Person, Person.id == Delegate.person_id)
        .where(
            Delegate.event_id == event.id,
            Delegate.status.in_(list(TAKING_PART)),
            sa.or_(*lacking),
        )
    )


@checklist_check
def _check_manifests(event: Event):
    """Every confirmed traveller has a seat, and what the manifests print about them."""
    items = [
        ChecklistItem(
            _(
                "%(n)s peserta terkonfirmasi belum mendapat kursi di %(trip)s; "
                "manifesnya mencantumkan mereka di bagian “Belum mendapat kursi”.",
                n=gap.count,
                trip=labels.trip_name(gap.trip_name),
            ),
            "danger",
            "transport.seats",
            params=(("trip_id", gap.trip_id),),
            action="transport.auto_seats",
            action_label=_("Beri kursi sekarang"),
            action_fields=(("keep_seats", "y"),),
        )
        for gap in unseated_by_trip(event)
    ]
    incomplete = incomplete_travellers(event)
    if incomplete:
        items.append(
            ChecklistItem(
                _(
                    "Data %(n)s peserta belum lengkap untuk manifes (L/P, tanggal "
                    "lahir atau NIK).",
                    n=incomplete,
                ),
                "warning",
                "delegations.index",
            )
        )
    return items
