"""The plain objects manifests are made of (legs as printed, passengers, vehicles,
ferry people), and the ages and birth years printed on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner import labels
from planner.formatting.plain import format_datetime, to_zone
from planner.models import Event, Leg, LegMode, Place, Sex


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


def _sex_short(sex: Sex | str | None) -> str:
    """ "L" or "P" ("M" or "F" in English), "" when not recorded."""
    return str(labels.SEX_SHORT.get(sex, "")) if sex else ""
