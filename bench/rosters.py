"""Roster and attendance-sheet cases: pages over HTTP, and the XLSX/PDF builders timed
against the bare library writing the same rows in the same run (the ratio).

The data are made here, from the generated people, with bulk inserts into three events
of their own, so these cases do not depend on another step's delegations:
a national event (every person, one delegation per regency/city), a 500-person
delegation, and a 5,000-person event for the attendance sheet.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import date

from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from openpyxl import Workbook
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.measure import NAME_WIDTH, measure, median
from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Person,
    Region,
    event_organisers,
)

NAMES = (
    "roster_delegation_page",
    "roster_all_regions_page",
    "roster_xlsx_10k",
    "attendance_pdf_5k",
)
#: Targets of the issue: builder time over the bare library's.
XLSX_TARGET, PDF_TARGET = 1.3, 1.5


@dataclass
class RosterData:
    national_id: int
    big_event_id: int
    big_delegation_id: int
    attendance_event_id: int
    attendance_day: date
    rows: int


def _event(session, organiser_id: int, title: str, slug: str) -> int:
    event_id = session.scalar(
        insert(Event).returning(Event.id),
        [
            {
                "kind": EventKind.BIMTEK,
                "title": title,
                "slug": slug,
                "organiser_body": "IPSM Pengurus Nasional",
                "starts_on": date(TODAY.year + 1, 3, 3),
                "ends_on": date(TODAY.year + 1, 3, 4),
                "timezone": "Asia/Jakarta",
                "status": EventStatus.OPEN,
            }
        ],
    )
    session.execute(
        insert(event_organisers), [{"event_id": event_id, "user_id": organiser_id}]
    )
    return event_id


def _fill(session, event_id: int, people: list[tuple[int, int]], regions) -> int:
    """One delegation per region of ``people`` (id, region id); all confirmed."""
    per_region: dict[int, list[int]] = {}
    for person_id, region_id in people:
        per_region.setdefault(region_id, []).append(person_id)
    ids = list(
        session.scalars(
            insert(Delegation).returning(Delegation.id, sort_by_parameter_order=True),
            [
                {
                    "event_id": event_id,
                    "region_id": region_id,
                    "name": regions[region_id],
                    "quota": len(members),
                    "confirmed_count": len(members),
                }
                for region_id, members in per_region.items()
            ],
        )
    )
    rows = []
    for delegation_id, members in zip(ids, per_region.values(), strict=True):
        for person_id in members:
            rows.append(
                {
                    "event_id": event_id,
                    "delegation_id": delegation_id,
                    "person_id": person_id,
                    "role": DelegateRole.PARTICIPANT,
                    "status": DelegateStatus.CONFIRMED,
                }
            )
    session.execute(insert(Delegate), rows)
    return ids[0]


def prepare(app: Flask, data: BenchData) -> RosterData:
    """Make the three events and their delegations; commit."""
    with app.app_context():
        session = db.session
        regions = {i: n for i, n in session.execute(select(Region.id, Region.name))}
        people = list(
            session.execute(select(Person.id, Person.region_id).order_by(Person.id))
        )
        org = data.organiser_id
        national = _event(session, org, "Temu Nasional PSM (uji daftar)", "bench-ros-1")
        _fill(session, national, people, regions)
        big = _event(session, org, "Bimtek PSM Kota Bekasi (uji)", "bench-ros-2")
        region_id = people[0][1]
        big_delegation = _fill(
            session, big, [(p, region_id) for p, _ in people[:500]], regions
        )
        attendance = _event(session, org, "Rakor PSM (uji daftar hadir)", "bench-ros-3")
        _fill(session, attendance, people[:5000], regions)
        session.commit()
        return RosterData(
            national,
            big,
            big_delegation,
            attendance,
            date(TODAY.year + 1, 3, 3),
            len(people),
        )


def _bare_xlsx(rows: list[list]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _bare_pdf(rows: list[list[str]], widths: list[float]) -> bytes:
    from planner.exports.pdf import add_fonts

    pdf = FPDF()
    add_fonts(pdf)
    pdf.set_font("Lato", "", 8.5)
    pdf.add_page()
    for row in rows:
        for value, width in zip(row, widths, strict=True):
            pdf.cell(width, 9, value, border=1)
        pdf.ln(9)
    return bytes(pdf.output())


def _timed(fn, repeat: int) -> float:
    times = []
    fn()
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return median(times)


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data: BenchData,
    repeat: int,
    only: str | None = None,
) -> list[str]:
    """The report lines of the roster cases (``only``: one of :data:`NAMES`)."""
    from planner.exports.attendance import attendance_pdf
    from planner.exports.rosters import roster_xlsx
    from planner.services.rosters import load_attendance, load_roster

    rd = prepare(app, data)
    heavy = max(1, min(repeat, 5))
    lines = []
    wanted = [only] if only else list(NAMES)

    def page(name: str, path: str, n: int) -> str:
        probe = client.get(path)
        if probe.status_code != 200:
            return f"{name:<{NAME_WIDTH}} skipped (FAILED: HTTP {probe.status_code} at {path})"
        return measure(
            name, lambda: client.get(path), repeat=n, warmup=0, engine=engine
        ).line()

    if "roster_delegation_page" in wanted:
        lines.append(
            page(
                "roster_delegation_page",
                f"/events/{rd.big_event_id}/rosters/{rd.big_delegation_id}",
                repeat,
            )
            + "  rows 500"
        )
    if "roster_all_regions_page" in wanted:
        lines.append(
            page(
                "roster_all_regions_page", f"/events/{rd.national_id}/rosters/", repeat
            )
            + f"  rows {rd.rows:,}"
        )
    if "roster_xlsx_10k" in wanted:
        line = page(
            "roster_xlsx_10k", f"/events/{rd.national_id}/rosters/export.xlsx", heavy
        )
        with app.test_request_context():
            event = db.session.get(Event, rd.national_id)
            roster = load_roster(event, contacts=True, full_nik=True)
            rows = [
                [
                    g.name,
                    n,
                    r.name,
                    r.sex,
                    r.role,
                    r.status_label,
                    r.position,
                    r.institution,
                    r.phone,
                    r.nik,
                ]
                for g in roster.delegations
                for n, r in enumerate(g.rows, start=1)
            ]
            ours = _timed(lambda: roster_xlsx(roster), heavy)
            bare = _timed(lambda: _bare_xlsx(rows), heavy)
        lines.append(
            f"{line}  builder {ours:.0f} ms / bare openpyxl {bare:.0f} ms = "
            f"ratio {ours / bare:.2f} (target ≤ {XLSX_TARGET})"
        )
    if "attendance_pdf_5k" in wanted:
        day = rd.attendance_day.isoformat()
        path = f"/events/{rd.attendance_event_id}/rosters/attendance/{day}.pdf"
        line = page("attendance_pdf_5k", path, heavy)
        with app.test_request_context():
            event = db.session.get(Event, rd.attendance_event_id)
            sheet = load_attendance(event, rd.attendance_day)
            rows = [
                [
                    str(n),
                    r.name,
                    g.name,
                    ", ".join(x for x in (r.position, r.institution) if x),
                    f"{n}. ......",
                ]
                for n, (g, r) in enumerate(
                    ((g, r) for g in sheet.groups for r in g.rows), start=1
                )
            ]
            widths = [9, 48, 34, 53, 42]
            ours = _timed(lambda: attendance_pdf(sheet), heavy)
            bare = _timed(lambda: _bare_pdf(rows, widths), heavy)
        lines.append(
            f"{line}  builder {ours:.0f} ms / bare fpdf2 {bare:.0f} ms = "
            f"ratio {ours / bare:.2f} (target ≤ {PDF_TARGET})"
        )
    return lines
