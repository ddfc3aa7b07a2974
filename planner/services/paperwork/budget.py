"""The budget (RAB, rencana anggaran biaya) of an event, computed from its plan.

Every computed line is volume₁ × volume₂ × unit price: people × days × daily
allowance, vehicles × km × fuel price, rooms × nights × room rate, portions × price,
a speaker's sessions × honorarium. Lines typed by hand have one volume. Totals come
per line, per category and per delegation; the builders in
:mod:`planner.exports.paperwork` print them (PDF) or write them with live formulas
(XLSX).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.formatting.plain import format_date_range, format_number, to_zone
from planner.labels import ROOM_TYPE
from planner.models import (
    ACTIVE_STATUSES,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    AllowanceKind,
    Budget,
    BudgetCategory,
    BudgetLine,
    Delegate,
    Delegation,
    Event,
    Leg,
    LegMode,
    RoomType,
    SpeakerRole,
    Stay,
    Trip,
    Vehicle,
    VehicleKind,
)
from planner.models.paperwork import RATE_FIELDS
from planner.services.meals import MealDay, meal_days
from planner.services.paperwork.rates import (
    allowance_ceiling,
    default_year,
    provinces,
)
from planner.services.paperwork.sheet import BudgetSheet, Line
from planner.services.transport.itinerary import ROAD_DETOUR, estimate

#: Vehicles rented by the day (a boat is paid per crossing, not here).
RENTED_KINDS = (
    VehicleKind.TRAVEL_VAN,
    VehicleKind.MINIBUS,
    VehicleKind.BUS,
    VehicleKind.CAR,
)


def destination_province(event: Event):
    """The province of the venue (else of the host region), or None."""
    region = event.venue.region if event.venue and event.venue.region else None
    region = region or event.host_region
    return region.province if region is not None else None


def budget_settings(event: Event) -> Budget:
    """The event's saved settings, or unsaved defaults (nothing is written)."""
    budget = db.session.scalar(sa.select(Budget).filter_by(event_id=event.id))
    if budget is None:
        budget = Budget(
            fiscal_year=default_year(event.starts_on.year),
            allowance_kind=AllowanceKind.OUT_OF_TOWN,
            **dict.fromkeys(RATE_FIELDS, 0),
        )
    return budget


def province_code(event: Event, budget: Budget) -> str | None:
    """The province whose ceilings apply: chosen on the budget, else the venue's."""
    if budget.province_code:
        return budget.province_code
    province = destination_province(event)
    return province.code if province is not None else None


def effective_allowance(event: Event, budget: Budget) -> tuple[int, int]:
    """(rate paid, ceiling) of the daily allowance per person per day."""
    ceiling = allowance_ceiling(
        budget.fiscal_year, province_code(event, budget), budget.allowance_kind
    )
    rate = budget.allowance_rate if budget.allowance_rate is not None else ceiling
    return rate, ceiling


def allowance_warning(event: Event, budget: Budget) -> str | None:
    """Why the daily allowance rate is unknown, or None when it is known.

    It is known when typed on the budget, or when the SBM table of the fiscal year has
    a ceiling for the destination province. Without either, every allowance would be
    Rp0: the budget warns, and the allowance payment sheet is refused.
    """
    if budget.allowance_rate is not None:
        return None
    code = province_code(event, budget)
    if code is None:
        return _(
            "Provinsi tujuan acara belum diketahui (tempat acara dan wilayah tuan "
            "rumah tanpa provinsi), jadi tarif uang harian SBM tidak diketahui. "
            "Pilih provinsi tujuan atau isi tarif uang harian di Tarif dan penanda "
            "tangan."
        )
    if not allowance_ceiling(budget.fiscal_year, code, budget.allowance_kind):
        return _(
            "Tabel SBM %(year)s tidak memuat uang harian untuk provinsi tujuan acara, "
            "jadi tarifnya tidak diketahui. Isi tarif uang harian di Tarif dan "
            "penanda tangan.",
            year=budget.fiscal_year,
        )
    return None


def _allowance_lines(event: Event, rate: int) -> list[Line]:
    days = len(event.days)
    counts = db.session.execute(
        sa.select(Delegate.delegation_id, sa.func.count())
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
        .group_by(Delegate.delegation_id)
    ).all()
    names = {d.id: d.name for d in event.delegations}
    lines = []
    for delegation_id, n in sorted(
        counts, key=lambda r: (r[0] is None, names.get(r[0], ""))
    ):
        name = names.get(delegation_id)
        lines.append(
            Line(
                BudgetCategory.ALLOWANCE,
                _("Uang harian %(who)s", who=name)
                if name
                else _("Uang harian panitia, narasumber dan undangan"),
                n,
                _("orang"),
                rate,
                days,
                _("hari"),
                delegation=name,
            )
        )
    return lines


def _transport_allowance_lines(event: Event, rate: int) -> list[Line]:
    if not rate:
        return []
    n = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delegate)
        .where(Delegate.event_id == event.id, Delegate.status.in_(ACTIVE_STATUSES))
    )
    if not n:
        return []
    return [
        Line(BudgetCategory.TRANSPORT, _("Uang transport peserta"), n, _("orang"), rate)
    ]


def _leg_passengers(leg: Leg) -> int:
    """Passengers of a leg: people seated in its vehicles, plus its delegations'."""
    vehicle_ids = {v.id for v in leg.vehicles}
    seated = sum(1 for s in leg.trip.seat_assignments if s.vehicle_id in vehicle_ids)
    walking_on = sum(
        1 for d in leg.delegations for x in d.delegates if x.status in ACTIVE_STATUSES
    )
    return seated + walking_on


def _leg_lines(event: Event, budget: Budget) -> list[Line]:
    legs = db.session.scalars(
        sa.select(Leg)
        .where(Leg.event_id == event.id)
        .order_by(Leg.departs_at, Leg.id)
        .options(
            selectinload(Leg.vehicles),
            selectinload(Leg.delegations).selectinload(Delegation.delegates),
            selectinload(Leg.trip).selectinload(Trip.seat_assignments),
            selectinload(Leg.from_place),
            selectinload(Leg.to_place),
        )
    ).all()
    lines = []
    for leg in legs:
        route = f"{leg.from_place.name} → {leg.to_place.name}"
        vehicles = len(leg.vehicles)
        if leg.mode == LegMode.FERRY:
            lines.append(
                Line(
                    BudgetCategory.TRANSPORT,
                    _("Tiket kapal penumpang %(route)s", route=route),
                    _leg_passengers(leg),
                    _("orang"),
                    budget.ferry_passenger_fare,
                )
            )
            if vehicles:
                lines.append(
                    Line(
                        BudgetCategory.TRANSPORT,
                        _("Tiket kapal kendaraan %(route)s", route=route),
                        vehicles,
                        _("kendaraan"),
                        budget.ferry_vehicle_fare,
                    )
                )
        elif leg.mode == LegMode.ROAD and vehicles:
            found = estimate(leg)
            km = round(found.distance_km * ROAD_DETOUR) if found else 0
            lines.append(
                Line(
                    BudgetCategory.TRANSPORT,
                    _("BBM %(route)s", route=route),
                    vehicles,
                    _("kendaraan"),
                    budget.fuel_per_km,
                    km,
                    "km",
                )
            )
            if budget.toll_per_road_leg:
                lines.append(
                    Line(
                        BudgetCategory.TRANSPORT,
                        _("Tol %(route)s", route=route),
                        vehicles,
                        _("kendaraan"),
                        budget.toll_per_road_leg,
                    )
                )
    return lines


def _rental_lines(event: Event, rate: int) -> list[Line]:
    vehicles = db.session.scalars(
        sa.select(Vehicle)
        .where(Vehicle.event_id == event.id, Vehicle.kind.in_(RENTED_KINDS))
        .order_by(Vehicle.label, Vehicle.id)
        .options(selectinload(Vehicle.legs))
    ).all()
    lines = []
    for vehicle in vehicles:
        if vehicle.legs:
            first = min(
                to_zone(x.departs_at, event.timezone).date() for x in vehicle.legs
            )
            last = max(
                to_zone(x.arrives_at, event.timezone).date() for x in vehicle.legs
            )
            days = (last - first).days + 1
        else:
            days = len(event.days)
        lines.append(
            Line(
                BudgetCategory.TRANSPORT,
                _("Sewa kendaraan %(label)s", label=vehicle.label),
                1,
                _("unit"),
                rate,
                days,
                _("hari"),
            )
        )
    return lines


def _honorarium_lines(event: Event, rate: int) -> list[Line]:
    items = db.session.scalars(
        sa.select(AgendaItem)
        .where(
            AgendaItem.event_id == event.id, AgendaItem.status != AgendaStatus.CANCELLED
        )
        .options(selectinload(AgendaItem.speakers).selectinload(AgendaSpeaker.person))
    ).all()
    sessions: dict[str, int] = defaultdict(int)
    for item in items:
        for speaker in item.speakers:
            if speaker.role == SpeakerRole.SPEAKER:
                name = speaker.name or (
                    speaker.person.formal_name if speaker.person else ""
                )
                if name:
                    sessions[name] += 1
    return [
        Line(
            BudgetCategory.HONORARIUM,
            _("Honorarium narasumber %(name)s", name=name),
            n,
            _("sesi"),
            rate,
        )
        for name, n in sorted(sessions.items())
    ]


def _accommodation_lines(event: Event) -> list[Line]:
    """Per stay, one line per room type and nightly rate: rooms booked × nights. The
    stay's dates tell apart two stays at one hotel (on the way there and back)."""
    stays = db.session.scalars(
        sa.select(Stay)
        .where(Stay.event_id == event.id)
        .order_by(Stay.check_in_on, Stay.id)
        .options(joinedload(Stay.place), selectinload(Stay.rooms))
    ).all()
    order = {kind: n for n, kind in enumerate(RoomType)}
    lines = []
    for stay in stays:
        rooms: dict[tuple[RoomType, int], int] = defaultdict(int)
        for room in stay.rooms:
            rooms[(room.room_type, room.rate)] += 1
        for (kind, rate), n in sorted(
            rooms.items(), key=lambda x: (order[x[0][0]], x[0][1])
        ):
            lines.append(
                Line(
                    BudgetCategory.ACCOMMODATION,
                    _(
                        "Penginapan %(hotel)s – kamar %(type)s, %(dates)s",
                        hotel=stay.place.name,
                        type=ROOM_TYPE[kind],
                        dates=format_date_range(stay.check_in_on, stay.check_out_on),
                    ),
                    n,
                    _("kamar"),
                    rate,
                    len(stay.nights),
                    _("malam"),
                )
            )
    return lines


def _meal_lines(days: list[MealDay], budget: Budget) -> tuple[list[Line], list[str]]:
    """One line per kind of meal over the event (portions × price), as a caterer's
    order is paid; a kind whose price is not set gives a hint instead of a line."""
    portions = {"meal": 0, "break": 0, "packed": 0}
    for day in days:
        for row in day.meals:
            if row.is_packed:
                portions["packed"] += row.portions
            elif row.kind == AgendaKind.BREAK:
                portions["break"] += row.portions
            else:
                portions["meal"] += row.portions
    kinds = (
        ("meal", _("Konsumsi makan"), budget.meal_price),
        ("packed", _("Konsumsi nasi kotak perjalanan"), budget.meal_price),
        ("break", _("Konsumsi rehat (kudapan)"), budget.snack_price),
    )
    lines = [
        Line(BudgetCategory.MEALS, description, portions[key], _("porsi"), price)
        for key, description, price in kinds
        if price and portions[key]
    ]
    hints = []
    if not budget.meal_price and (portions["meal"] or portions["packed"]):
        hints.append(
            _(
                "Harga makan per porsi belum diisi: %(n)s porsi makan dan nasi kotak "
                "belum masuk anggaran.",
                n=format_number(portions["meal"] + portions["packed"]),
            )
        )
    if not budget.snack_price and portions["break"]:
        hints.append(
            _(
                "Harga kudapan per porsi belum diisi: %(n)s porsi rehat belum masuk "
                "anggaran.",
                n=format_number(portions["break"]),
            )
        )
    return lines, hints


def hand_lines(event: Event) -> list[BudgetLine]:
    return db.session.scalars(
        sa.select(BudgetLine)
        .where(BudgetLine.event_id == event.id)
        .order_by(BudgetLine.category, BudgetLine.id)
        .options(selectinload(BudgetLine.delegation))
    ).all()


def compute_budget(event: Event) -> BudgetSheet:
    """The event's budget as it stands now (reads only)."""
    budget = budget_settings(event)
    rate, ceiling = effective_allowance(event, budget)
    code = province_code(event, budget)
    names = dict(provinces(budget.fiscal_year))
    sheet = BudgetSheet(
        event_title=event.title,
        organiser_body=event.organiser_body,
        dates=(event.starts_on, event.ends_on),
        fiscal_year=budget.fiscal_year,
        province=names.get(code or ""),
        allowance_rate=rate,
        allowance_ceiling=ceiling,
        allowance_warning=allowance_warning(event, budget),
    )
    sheet.lines += _allowance_lines(event, rate)
    sheet.lines += _transport_allowance_lines(event, budget.transport_allowance)
    sheet.lines += _leg_lines(event, budget)
    sheet.lines += _rental_lines(event, budget.van_rental_per_day)
    sheet.lines += _accommodation_lines(event)
    meals, sheet.price_hints = _meal_lines(meal_days(event), budget)
    sheet.lines += meals
    sheet.lines += _honorarium_lines(event, budget.honorarium_per_session)
    for x in hand_lines(event):
        sheet.lines.append(
            Line(
                BudgetCategory(x.category),
                x.description,
                x.quantity,
                x.unit,
                x.unit_price,
                delegation=x.delegation.name if x.delegation else None,
                line_id=x.id,
            )
        )
    return sheet
