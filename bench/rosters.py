"""Roster and attendance-sheet cases: pages over HTTP, and the XLSX/PDF builders timed
in turns against the bare libraries writing the same rows in the same run (the ratio).

The bare baselines are the fastest honest way to produce the same rows with the same
library: bare openpyxl (``write_only``, ``append``) and bare XlsxWriter
(``constant_memory``, ``write_string``/``write_number``) for the roster; for the
attendance sheet, fpdf2 drawing the same text lines with ``text()`` and ruling them
with ``line()``, in the one font the rows use. Each report line says what the
builder does beyond it.

The data are made here, from the generated people, with bulk inserts into three events
of their own, so these cases do not depend on another step's delegations:
a national event (every person, one delegation per regency/city), a 500-person
delegation, and a 5,000-person event for the attendance sheet.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from flask import Flask
from flask.testing import FlaskClient
from fpdf import FPDF
from openpyxl import Workbook
from sqlalchemy import Engine, insert, select

from bench.generate import TODAY, BenchData
from bench.goals import record
from bench.measure import NAME_WIDTH, in_turns, measure
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
#: Goals of issue 16: builder time over the bare library's (for the XLSX, over the
#: faster of bare openpyxl and bare XlsxWriter).
XLSX_GOAL, PDF_GOAL = 1.0, 1.5
#: The national event's slug (bench/jobs.py finds it by this).
NATIONAL_SLUG = "bench-ros-1"
#: Timed turns of each builder and its baselines.
TURNS = 7


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
        national = _event(session, org, "Temu Nasional PSM (uji daftar)", NATIONAL_SLUG)
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


def bare_openpyxl(rows: list[list]) -> bytes:
    """The rows in one sheet with openpyxl's streaming writer."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bare_xlsxwriter(rows: list[list]) -> bytes:
    """The rows in one sheet with XlsxWriter's streaming mode, each value with the
    call of its type (the rows hold text and whole numbers; None and "" stay empty,
    as ``write()`` leaves them): about a tenth faster than ``write_row``, whose
    ``write()`` works out the type of every value."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Data")
    write_string, write_number = ws.write_string, ws.write_number
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if value.__class__ is str:
                write_string(r, c, value)
            else:
                write_number(r, c, value)
    wb.close()
    return out.getvalue()


def bare_pdf(
    rows: Sequence[tuple[float, Sequence[Sequence[str]]]],
    widths: Sequence[float],
    *,
    signatures: bool = False,
    font_size: float = 8.5,
) -> bytes:
    """fpdf2 drawing ``rows`` — (height, lines of each cell) — as a ruled table:
    each line with ``text()`` from the cell's left edge, centred in the row as
    ``cell()`` would, a rule under each row and the column rules once per page; a
    new page when the next row does not fit. With ``signatures``, each row's number
    and its dotted line in the left or right half of the last column (the attendance
    sheet's signature space). Regular Lato only, at the rows' ``font_size``.
    """
    from planner.exports.pdf import FOOTER, MARGIN, font_files

    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font("Lato", "", str(font_files()[""]))
    pdf.set_font("Lato", "", font_size)
    pdf.set_auto_page_break(False)
    pad, line_height = 1.2, 4.6
    edges = [float(MARGIN)]
    for width in widths:
        edges.append(edges[-1] + width)
    lefts = [x + pad for x in edges[:-1]]
    left, right, bottom = edges[0], edges[-1], pdf.h - FOOTER
    half = widths[-1] / 2
    text, line = pdf.text, pdf.line
    below_middle = 0.3 * pdf.font_size
    pdf.add_page()
    y = top = float(MARGIN)
    for n, (height, cells) in enumerate(rows, start=1):
        if y + height > bottom:
            for x in edges:
                line(x, top, x, y)
            pdf.add_page()
            y = top = float(MARGIN)
        middle = y + height / 2 + below_middle
        for x, lines in zip(lefts, cells, strict=False):
            baseline = middle - (len(lines) - 1) * line_height / 2
            for value in lines:
                text(x, baseline, value)
                baseline += line_height
        y += height
        line(left, y, right, y)
        if signatures:
            baseline = y - 2.2
            x = edges[-2] + (0 if n % 2 else half) + pad
            text(x, baseline, f"{n}.")
            pdf.set_dash_pattern(0.25, 0.75)
            line(x + 6, baseline, x + half - 2 * pad, baseline)
            pdf.set_dash_pattern()
    for x in edges:
        line(x, top, x, y)
    return bytes(pdf.output())


def ratio_line(
    line: str, times: dict[str, float], builder: str, bare: str, goal: float
) -> str:
    """``line`` + "builder 420 ms / bare … 300 ms = ratio 1.40 (goal ≤ 1.5)".

    The ratio is also recorded for the summary table (:mod:`bench.goals`), under the
    case's name (the first word of ``line``).
    """
    ratio = times[builder] / times[bare]
    record(
        f"{line.split()[0]} builder / {bare}",
        f"ratio {ratio:.2f}",
        f"≤ {goal}",
        ratio <= goal,
    )
    return (
        f"{line}  {builder} {times[builder]:.0f} ms / {bare} {times[bare]:.0f} ms"
        f" = ratio {ratio:.2f} (goal ≤ {goal})"
    )


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
            times = in_turns(
                {
                    "builder": lambda: roster_xlsx(roster),
                    "bare openpyxl": lambda: bare_openpyxl(rows),
                    "bare XlsxWriter": lambda: bare_xlsxwriter(rows),
                },
                repeat=max(1, min(repeat, TURNS)),
            )
        delegations = sum(1 for _ in roster.delegations)
        fastest = min(("bare openpyxl", "bare XlsxWriter"), key=times.__getitem__)
        other = "bare XlsxWriter" if fastest == "bare openpyxl" else "bare openpyxl"
        lines.append(
            ratio_line(line, times, "builder", fastest, XLSX_GOAL)
            + f"  [{other} {times[other]:.0f} ms; bare: the {len(rows):,} rows in one"
            f" sheet; builder also: a totals sheet ({delegations}"
            f" delegations, province totals), one sheet per province"
            f" ({len(roster.provinces)}), bold frozen headings, fitted widths,"
            " formulas neutralised]"
        )
    if "attendance_pdf_5k" in wanted:
        day = rd.attendance_day.isoformat()
        path = f"/events/{rd.attendance_event_id}/rosters/attendance/{day}.pdf"
        line = page("attendance_pdf_5k", path, heavy)
        with app.test_request_context():
            from planner.exports.attendance import ROW_HEIGHT, _columns
            from planner.exports.pdf import Document, Table

            event = db.session.get(Event, rd.attendance_event_id)
            sheet = load_attendance(event, rd.attendance_day)
            columns = _columns()
            # The lines the builder draws in each cell, wrapped as it wraps them.
            table = Table(Document(), columns, row_height=ROW_HEIGHT)
            rows = []
            n = 0
            for g in sheet.groups:
                for r in g.rows:
                    n += 1
                    job = ", ".join(x for x in (r.position, r.institution) if x)
                    cells = table.cell_lines([str(n), r.name, g.name, job, ""])
                    rows.append((table.height_of(cells), cells))
            table.pdf.close_fonts()
            texts = sum(len(x) for _, cells in rows for x in cells) + n
            widths = [c.width for c in columns]
            times = in_turns(
                {
                    "builder": lambda: attendance_pdf(sheet),
                    "bare fpdf2": lambda: bare_pdf(rows, widths, signatures=True),
                },
                repeat=max(1, min(repeat, TURNS)),
            )
        lines.append(
            ratio_line(line, times, "builder", "bare fpdf2", PDF_GOAL)
            + f"  [bare: the same {texts:,} text lines, row rules and dotted"
            " signature lines with text()/line(), regular font only; builder also:"
            " measures, wraps and right-aligns the cells, title block, headings and"
            f" running header on every page, {len(sheet.groups)} delegation"
            " subheadings, page numbers, committee signature, the bold font]"
        )
    return lines
