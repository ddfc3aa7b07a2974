"""Manifests as XLSX: the driver's copy of a vehicle and the ferry operator's
passenger manifest, for offices that keep them in Excel."""

from __future__ import annotations

from flask_babel import gettext as _

from planner.exports.manifests import (
    incomplete_warning,
    passenger_note,
    unseated_warning,
)
from planner.exports.xlsx import Sheet, workbook_bytes
from planner.labels import SEX_SHORT
from planner.models import Sex
from planner.services.manifests import FerryManifest, VehicleManifest


def vehicle_manifest_xlsx(m: VehicleManifest) -> bytes:
    """Two sheets: the passengers, then the route."""
    passengers = Sheet(
        _("Penumpang"),
        [_("No."), _("Kursi"), _("Nama"), _("L/P"), _("Delegasi"), _("Telepon ketua")],
    )
    for n, p in enumerate(m.passengers, start=1):
        passengers.rows.append(
            [n, p.seat, p.name, p.sex, p.delegation, p.head_phone or None]
        )
    passengers.bold_rows.add(len(passengers.rows))
    passengers.rows.append(
        [
            None,
            None,
            _(
                "Jumlah penumpang: %(n)s dari %(seats)s kursi",
                n=len(m.passengers),
                seats=m.seats,
            ),
            None,
            None,
            None,
        ]
    )
    if m.unseated:
        passengers.bold_rows.update({len(passengers.rows), len(passengers.rows) + 1})
        passengers.rows.append([None, None, unseated_warning(len(m.unseated))])
        passengers.rows.append([None, None, _("Belum mendapat kursi"), None, None])
        for p in m.unseated:
            passengers.rows.append(
                [None, None, p.name, p.sex, p.delegation, p.head_phone or None]
            )
    route = Sheet(
        _("Rute"),
        [
            _("No."),
            _("Dari"),
            _("Ke"),
            _("Moda"),
            _("Berangkat"),
            _("Tiba"),
            _("Operator"),
            _("Kapal/penerbangan"),
            _("Kode booking"),
        ],
    )
    for n, leg in enumerate(m.legs, start=1):
        route.rows.append(
            [
                n,
                leg.from_name,
                leg.to_name,
                leg.mode_label,
                leg.departs,
                leg.arrives,
                leg.carrier,
                leg.vessel,
                leg.booking_ref,
            ]
        )
    vehicle = Sheet(_("Kendaraan"), [_("Keterangan"), _("Isi")])
    vehicle.rows.extend(
        [
            [_("Perjalanan"), m.trip_name],
            [_("Kendaraan"), m.label],
            [_("Jenis"), m.kind_label],
            [_("Nomor polisi"), m.plate],
            [_("Kursi penumpang"), m.seats],
            [_("Pengemudi"), m.driver_name],
            [_("Telepon pengemudi"), m.driver_phone],
            [_("Operator/rental"), m.operator],
        ]
    )
    return workbook_bytes([passengers, route, vehicle])


# Ferry manifests -----------------------------------------------------------------------


def ferry_manifest_xlsx(m: FerryManifest) -> bytes:
    """One sheet: a row per person with the vehicle, then bold totals."""
    sheet = Sheet(
        _("Manifes"),
        [
            _("No."),
            _("Kendaraan"),
            _("Nomor polisi"),
            _("Nama"),
            _("L/P"),
            _("Umur"),
            _("Tahun lahir"),
            _("NIK"),
            _("Keterangan"),
        ],
    )
    n = 0
    unseated = _("Belum mendapat kursi")
    groups = [(g.label, g.people) for g in m.vehicles] + [(unseated, m.unseated)]
    for label, people in groups:
        for p in people:
            n += 1
            sheet.rows.append(
                [
                    n,
                    label,
                    p.plate or None,
                    p.name,
                    p.sex,
                    p.age,
                    p.birth_year,
                    p.nik or None,
                    passenger_note(p),
                ]
            )
    empty = [None] * 7
    sheet.bold_rows.update({len(sheet.rows), len(sheet.rows) + 1})
    sheet.rows.append([None, _("Jumlah orang"), m.total, *empty[1:]])
    sheet.rows.append([None, _("Jumlah kendaraan"), len(m.vehicles), *empty[1:]])
    for sex in (Sex.MALE, Sex.FEMALE, None):
        count = m.count_sex(sex)
        if sex or count:
            sheet.bold_rows.add(len(sheet.rows))
            label = str(SEX_SHORT[sex]) if sex else _("L/P tidak diketahui")
            sheet.rows.append([None, label, count, *empty[1:]])
    for warning in (
        unseated_warning(len(m.unseated)) if m.unseated else None,
        incomplete_warning(m.incomplete) if m.incomplete else None,
    ):
        if warning:
            sheet.bold_rows.add(len(sheet.rows))
            sheet.rows.append([None, warning, *[None] * 7])
    leg = m.leg
    crossing = Sheet(_("Lintasan"), [_("Keterangan"), _("Isi")])
    crossing.rows.extend(
        [
            [_("Acara"), m.event_title],
            [_("Perjalanan"), m.trip_name],
            [_("Dari"), leg.from_name],
            [_("Ke"), leg.to_name],
            [_("Berangkat"), leg.departs],
            [_("Tiba"), leg.arrives],
            [_("Operator"), leg.carrier],
            [_("Kapal"), leg.vessel],
            [_("Kode booking"), leg.booking_ref],
        ]
    )
    return workbook_bytes([sheet, crossing])
