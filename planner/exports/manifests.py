"""Manifests as A4 PDF and XLSX: the driver's copy of a vehicle (one or all vehicles of
a trip) and the ferry operator's passenger manifest of a ferry leg."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from planner.exports.pdf import FONT, MARGIN, Column, Document, Table
from planner.models import Sex
from planner.services.manifests import FerryManifest, LegLine, VehicleManifest

#: Height of the coordinator's signature block, in mm.
SIGNATURE_BLOCK = 40


def _leg_columns() -> list[Column]:
    return [
        Column(_("No."), 8, "R"),
        Column(_("Dari"), 34),
        Column(_("Ke"), 34),
        Column(_("Moda"), 15),
        Column(_("Berangkat"), 33),
        Column(_("Tiba"), 33),
        Column(_("Operator / kapal"), 29),
    ]


def _passenger_columns() -> list[Column]:
    return [
        Column(_("No."), 9, "R"),
        Column(_("Kursi"), 12, "C"),
        Column(_("Nama"), 62),
        Column(_("L/P"), 9, "C"),
        Column(_("Delegasi"), 58),
        Column(_("Telepon ketua delegasi"), 36),
    ]


def _carrier(leg: LegLine) -> str:
    return " · ".join(x for x in (leg.carrier, leg.vessel) if x)


def _fit(doc: Document, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` mm in the current font."""
    room = width - 2 * doc.c_margin
    if doc.width_of(text) <= room:
        return text
    while text and doc.width_of(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _facts(doc: Document, facts: Sequence[tuple[str, str]], width: float) -> None:
    """Label : value lines, two per row; a value too long for its half is cut.
    Labels first, then values: two font changes rather than two per fact."""
    half = width / 2
    label_width = 31
    room = half - label_width - 3
    top = doc.y
    places = [
        (doc.l_margin + (half if i % 2 else 0), top + (i // 2) * 5)
        for i in range(len(facts))
    ]
    doc.set_font(FONT, "", 9)
    for (label, _value), (x, y) in zip(facts, places, strict=True):
        doc.y = y
        doc.line_text(label, height=5, x=x, advance=False)
        doc.line_text(":", height=5, x=x + label_width, advance=False)
    doc.set_font(FONT, "B", 9)
    for (_label, value), (x, y) in zip(facts, places, strict=True):
        doc.y = y
        text = _fit(doc, value or "-", room)
        doc.line_text(text, height=5, x=x + label_width + 3, advance=False)
    doc.set_xy(doc.l_margin, top + (len(facts) + 1) // 2 * 5)


def _signature(pdf: Document, width: float) -> None:
    """ "Koordinator rombongan", room to sign and a blank name line, right-aligned."""
    block = 72
    if pdf.get_y() + SIGNATURE_BLOCK > pdf.bottom:
        pdf.add_page()
    pdf.ln(6)
    x = pdf.l_margin + width - block
    pdf.set_font(FONT, "", 9.5)
    pdf.line_text(
        _("Koordinator rombongan"), height=5, x=x, width=block, align="C", advance=False
    )
    pdf.ln(22)
    pdf.line_text("(" + "." * 50 + ")", height=5, x=x, width=block, align="C")


def _warning(doc: Document, width: float, text: str) -> None:
    """A boxed, bold warning line in dark red: what a reader must not miss."""
    doc.set_font(FONT, "B", 9.5)
    doc.set_text_color(160, 0, 0)
    doc.set_draw_color(160, 0, 0)
    doc.multi_cell(width, 5.5, text, border=1, new_x="LMARGIN", new_y="NEXT")
    doc.set_text_color(0)
    doc.set_draw_color(0)
    doc.ln(1.5)


def unseated_warning(n: int) -> str:
    """The banner over a manifest that some confirmed travellers have no seat."""
    return _(
        "PERHATIAN: %(n)s peserta terkonfirmasi belum mendapat kursi. Mereka tetap "
        "ikut dan tercantum di bagian \u201cBelum mendapat kursi\u201d.",
        n=n,
    )


def incomplete_warning(n: int) -> str:
    """The banner over a ferry manifest with rows that lack what the operator asks."""
    return _(
        "PERHATIAN: data %(n)s penumpang belum lengkap (L/P, umur atau NIK); "
        "lihat kolom Keterangan.",
        n=n,
    )


def passenger_note(person) -> str:
    """The ferry manifest's remark: driver or passenger, and what is missing."""
    note = _ferry_note(person.is_driver)
    if person.missing:
        note += " · " + _("kurang: %(fields)s", fields=", ".join(person.missing))
    return note


def _fact_labels() -> list[str]:
    return [
        _("Kendaraan"),
        _("Jenis"),
        _("Nomor polisi"),
        _("Kursi penumpang"),
        _("Pengemudi"),
        _("Telepon pengemudi"),
        _("Operator/rental"),
        _("Perjalanan"),
    ]


def _vehicle_pages(
    pdf: Document,
    legs: Table,
    table: Table,
    m: VehicleManifest,
    labels: Sequence[str],
    width: float,
):
    """One vehicle's copy: facts, legs, passengers, signature (from a new page);
    ``labels``: :func:`_fact_labels`, translated once per document."""
    pdf.add_page()
    if m.unseated:
        _warning(pdf, width, unseated_warning(len(m.unseated)))
    values = [
        m.label,
        m.kind_label,
        m.plate,
        str(m.seats),
        m.driver_name,
        m.driver_phone,
        m.operator,
        m.trip_name,
    ]
    _facts(pdf, list(zip(labels, values, strict=True)), width)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10)
    pdf.line_text(_("Rute"), height=6)
    legs.heading()
    for n, leg in enumerate(m.legs, start=1):
        legs.row(
            [
                str(n),
                leg.from_name,
                leg.to_name,
                leg.mode_label,
                leg.departs,
                leg.arrives,
                _carrier(leg),
            ]
        )
    if not m.legs:
        legs.row(["", _("Kendaraan ini belum masuk rute perjalanan ini."), *[""] * 5])
    legs.end()
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    pdf.line_text(
        _(
            "Penumpang: %(n)s dari %(seats)s kursi",
            n=len(m.passengers),
            seats=m.seats,
        ),
        height=6,
    )
    table.room(table.row_height * 3)
    table.heading()
    for n, p in enumerate(m.passengers, start=1):
        table.row(
            [
                str(n),
                str(p.seat) if p.seat is not None else "",
                p.name,
                p.sex,
                p.delegation,
                p.head_phone,
            ]
        )
    if not m.passengers:
        table.row(["", "", _("Belum ada penumpang."), "", "", ""])
    if m.unseated:
        table.continued = None
        table.subheading(
            _("Belum mendapat kursi") + " — " + _("%(n)s orang", n=len(m.unseated))
        )
        for p in m.unseated:
            table.row(["", "", p.name, p.sex, p.delegation, p.head_phone])
    table.end()
    _signature(pdf, width)


def vehicle_manifests_pdf(manifests: Sequence[VehicleManifest]) -> bytes:
    """A4 portrait, each vehicle from a new page; headings repeated, page N of M."""
    first = manifests[0] if manifests else None
    title = _("Manifes kendaraan")
    pdf = Document("P", title=f"{title} · {first.event_title if first else ''}")
    width = pdf.w - 2 * MARGIN
    current: list[VehicleManifest | None] = [first]
    heading = _("MANIFES PENUMPANG KENDARAAN")
    labels = _fact_labels()

    def header(doc: Document) -> None:
        m = current[0]
        if m is None:
            return
        doc.title_block(
            heading,
            (f"{m.event_title} · {m.organiser_body}", "", 9, 4.6),
            (f"{m.trip_name} · {m.title}", "B", 10, 6),
        )
        doc.ln(1.5)

    pdf.draw_header = header
    legs = Table(pdf, _leg_columns())
    table = Table(pdf, _passenger_columns())
    for m in manifests:
        current[0] = m
        _vehicle_pages(pdf, legs, table, m, labels, width)
    if not manifests:
        pdf.add_page()
        pdf.set_font(FONT, "", 10)
        pdf.cell(width, 6, _("Belum ada kendaraan dalam perjalanan ini."))
    return bytes(pdf.output())


def _ferry_columns() -> list[Column]:
    return [
        Column(_("No."), 9, "R"),
        Column(_("Nama"), 58),
        Column(_("L/P"), 9, "C"),
        Column(_("Umur"), 14, "C"),
        Column(_("NIK"), 36),
        Column(_("Nomor polisi"), 30),
        Column(_("Keterangan"), 30),
    ]


def _ferry_note(is_driver: bool) -> str:
    return _("Pengemudi") if is_driver else _("Penumpang")


def ferry_totals(m: FerryManifest) -> str:
    """ "18 orang (L 10, P 7, tidak diketahui 1) · 2 kendaraan"."""
    parts = [
        _("L %(n)s", n=m.count_sex(Sex.MALE)),
        _("P %(n)s", n=m.count_sex(Sex.FEMALE)),
    ]
    unknown = m.count_sex(None)
    if unknown:
        parts.append(_("tidak diketahui %(n)s", n=unknown))
    return _(
        "%(persons)s orang (%(by_sex)s) · %(vehicles)s kendaraan",
        persons=m.total,
        by_sex=", ".join(parts),
        vehicles=len(m.vehicles),
    )


def ferry_manifest_pdf(m: FerryManifest) -> bytes:
    """A4 portrait: the crossing, people grouped by vehicle, totals, page N of M."""
    pdf = Document("P", title=_("Manifes penumpang kapal") + f" · {m.event_title}")
    width = pdf.w - 2 * MARGIN
    leg = m.leg
    crossing = f"{leg.from_name} → {leg.to_name}"

    def header(doc: Document) -> None:
        doc.title_block(
            _("MANIFES PENUMPANG KAPAL PENYEBERANGAN"),
            (f"{m.event_title} · {m.organiser_body} · {m.trip_name}", "", 9, 4.6),
        )
        doc.ln(1.5)
        if doc.page_no() == 1:
            _facts(
                doc,
                [
                    (_("Dari"), leg.from_name),
                    (_("Berangkat"), leg.departs),
                    (_("Ke"), leg.to_name),
                    (_("Tiba"), leg.arrives),
                    (_("Operator"), leg.carrier),
                    (_("Kapal"), leg.vessel),
                    (_("Kode booking"), leg.booking_ref),
                ],
                width,
            )
            doc.set_font(FONT, "B", 9)
            doc.line_text(_("Jumlah") + ": " + ferry_totals(m), height=5.5)
            doc.ln(1.5)
            if m.unseated:
                _warning(doc, width, unseated_warning(len(m.unseated)))
            if m.incomplete:
                _warning(doc, width, incomplete_warning(m.incomplete))
        else:
            doc.running_header(f"{crossing} · {leg.departs}")

    pdf.draw_header = header
    table = Table(pdf, _ferry_columns())
    table.new_page()
    n = 0
    for group in m.vehicles:
        label = f"{group.title} ({group.kind_label})"
        table.continued = None
        table.subheading(f"{label} — " + _("%(n)s orang", n=len(group.people)))
        table.continued = label
        for person in group.people:
            n += 1
            table.row(
                [
                    str(n),
                    person.name,
                    person.sex,
                    person.age_label,
                    person.nik,
                    person.plate,
                    passenger_note(person),
                ]
            )
        table.continued = None
        if not group.people:
            table.row(["", _("Belum ada penumpang."), *[""] * 5])
    if not m.vehicles and not m.unseated:
        table.row(["", _("Belum ada kendaraan di lintasan ini."), *[""] * 5])
    if m.unseated:
        table.subheading(
            _("Belum mendapat kursi") + " — " + _("%(n)s orang", n=len(m.unseated))
        )
        for person in m.unseated:
            n += 1
            row = [str(n), person.name, person.sex, person.age_label, person.nik]
            table.row([*row, "", passenger_note(person)])
    table.total(_("Jumlah"), ferry_totals(m))
    table.end()
    return bytes(pdf.output())


# The same manifests as XLSX (one job per module).
from planner.exports.manifests_xlsx import (  # noqa: E402, F401
    ferry_manifest_xlsx,
    vehicle_manifest_xlsx,
)
