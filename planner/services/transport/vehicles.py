"""An event's vehicles: plates as Indonesians write them, drivers, seats; created,
changed and deleted with their seats."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Event, SeatAssignment, Vehicle, VehicleKind
from planner.services import PlannerError, parsing
from planner.services.people import normalise_phone

MIN_SEATS, MAX_SEATS = 1, 100
_PLATE = re.compile(r"^([A-Z]{1,2})(\d{1,4})([A-Z]{0,3})$")


def normalise_plate(raw: str | None) -> str | None:
    """An Indonesian plate in its printed form ("bn1234ab" → "BN 1234 AB"); None if
    blank; a :class:`PlannerError` when it is not a plate."""
    text = (raw or "").strip()
    if not text:
        return None
    compact = re.sub(r"[\s.\-]+", "", text.upper())
    match = _PLATE.match(compact) if len(compact) <= 12 else None
    if match is None:
        raise PlannerError(
            _(
                "Nomor polisi tidak valid: 1–2 huruf, 1–4 angka, lalu 0–3 huruf "
                "(contoh: BN 1234 AB)."
            ),
            field="plate",
        )
    return " ".join(part for part in match.groups() if part)


def _apply_vehicle(vehicle: Vehicle, event: Event, data: dict) -> None:
    """Check ``data`` and copy it onto ``vehicle``; nothing is changed on error."""
    label = parsing.text_in(data, "label", 60)
    if not label:
        raise PlannerError(_("Nama kendaraan wajib diisi."), field="label")
    try:
        kind = VehicleKind(data.get("kind"))
    except ValueError:
        raise PlannerError(_("Pilih jenis kendaraan."), field="kind") from None
    seats = data.get("seats")
    if not isinstance(seats, int) or not MIN_SEATS <= seats <= MAX_SEATS:
        raise PlannerError(
            _(
                "Jumlah kursi harus antara %(min)s dan %(max)s.",
                min=MIN_SEATS,
                max=MAX_SEATS,
            ),
            field="seats",
        )
    plate = normalise_plate(data.get("plate"))
    try:
        phone = normalise_phone(data.get("driver_phone"))
    except PlannerError as exc:
        raise PlannerError(str(exc), field="driver_phone") from None
    driver_name = parsing.text_in(data, "driver_name", 120)
    operator = parsing.text_in(data, "operator", 200)
    notes = parsing.text_in(data, "notes", 5000)
    clash = db.session.scalar(
        db.select(Vehicle.id).where(
            Vehicle.event_id == event.id,
            Vehicle.label == label,
            Vehicle.id != (vehicle.id or 0),
        )
    )
    if clash is not None:
        raise PlannerError(
            _("Acara ini sudah punya kendaraan bernama %(label)s.", label=label),
            field="label",
        )
    vehicle.label, vehicle.kind, vehicle.seats, vehicle.plate = (
        label,
        kind,
        seats,
        plate,
    )
    vehicle.driver_name, vehicle.driver_phone = driver_name, phone
    vehicle.operator, vehicle.notes = operator, notes


def create_vehicle(event: Event, *, data: dict) -> Vehicle:
    """Add a vehicle to the event."""
    vehicle = Vehicle()
    _apply_vehicle(vehicle, event, data)
    vehicle.event = event
    db.session.add(vehicle)
    db.session.flush()
    return vehicle


def update_vehicle(vehicle: Vehicle, *, data: dict) -> Vehicle:
    """Change a vehicle's details."""
    _apply_vehicle(vehicle, vehicle.event, data)
    db.session.flush()
    return vehicle


def delete_vehicle(vehicle: Vehicle) -> None:
    """Remove a vehicle that no leg and no seat uses (those are removed first, so that
    nobody loses a passenger list by one click)."""
    seated = db.session.scalar(
        db.select(db.func.count(SeatAssignment.id)).where(
            SeatAssignment.vehicle_id == vehicle.id
        )
    )
    if seated:
        raise PlannerError(
            _(
                "Kendaraan ini masih punya %(n)s penumpang; kosongkan kursinya dahulu.",
                n=seated,
            )
        )
    if vehicle.legs:
        raise PlannerError(
            _(
                "Kendaraan ini masih dipakai di %(n)s ruas perjalanan; lepaskan "
                "dahulu dari ruas tersebut.",
                n=len(vehicle.legs),
            )
        )
    db.session.delete(vehicle)
    db.session.flush()
