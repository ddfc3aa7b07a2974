"""Heavy requests with a job queue: how long the request holds a web worker.

With Redis (``BENCH_REDIS_URL``, e.g. redis://127.0.0.1:6379/5) each heavy case is
posted over the test client: the 19,000-row CSV upload (its check becomes a job), the
5,000-column CSV, the plan import of the national plan file and its export, and the
whole national roster as XLSX (10,000 rows by default: above the export threshold, so a
job). The request only stores the file (or counts the rows) and enqueues the job; the
line gives the HTTP time (the goal: under 2 s at national scale) and, separately, how
long the job itself then takes in a worker (run once, in this process). The jobs go on
their own queue (``bench-jobs``), emptied after.
"""

from __future__ import annotations

import io
import random
import shutil
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from bench import rosters as roster_cases
from bench.measure import measure, skipped_line
from planner.extensions import db
from planner.models import Event, Region
from planner.services.export_sizes import roster_rows

NAMES = (
    "job_import_preview_19000_rows",
    "job_import_preview_19000_rows_page",
    "job_import_5000_columns",
    "job_plan_import",
    "job_plan_export",
    "job_roster_xlsx_10k",
)
QUEUE = "bench-jobs"
OUT = Path(__file__).resolve().parent / "out"


def _csv_rows(regions: list[str], rows: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = ["Nama Lengkap,NIK,Jenis Kelamin,Kabupaten/Kota,No HP,Peran"]
    for n in range(rows):
        nik = f"{rng.randint(11, 94)}{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
        nik += f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99)}"
        nik += f"{rng.randint(1, 9999):04d}"
        lines.append(
            f"Peserta Uji {n},{nik},{'L' if n % 2 else 'P'},{rng.choice(regions)},"
            f"+62812{3000000 + n},peserta"
        )
    return ("\n".join(lines) + "\n").encode()


def _csv_columns(columns: int) -> bytes:
    headings = ["Nama Lengkap"] + [f"Kolom {n}" for n in range(columns - 1)]
    row = ["Peserta Lebar"] + ["x"] * (columns - 1)
    return (",".join(headings) + "\n" + ",".join(row) + "\n").encode()


def _job_id(response) -> str:
    location = response.headers.get("Location", "")
    if response.status_code != 302 or "/jobs/" not in location:
        raise AssertionError(
            f"expected a redirect to a job page, got {response.status_code} {location}"
        )
    return location.rsplit("/", 1)[-1]


def run(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    data,
    repeat: int,
    url: str | None,
    plan_event_id: int | None,
) -> list[str]:
    """The report lines of the job cases (skipped without Redis)."""
    if not url:
        return [skipped_line(name, "BENCH_REDIS_URL is not set") for name in NAMES]
    import redis
    from rq import Queue

    from planner import shared_state
    from planner.jobs import runner

    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as exc:
        return [skipped_line(name, f"Redis unreachable: {exc}") for name in NAMES]
    jobs_dir = OUT / "jobs"
    shutil.rmtree(jobs_dir, ignore_errors=True)
    app.config.update(REDIS_URL=url, JOBS_QUEUE=QUEUE, JOBS_DIR=str(jobs_dir))
    app.config["IMPORT_UPLOAD_DIR"] = str(OUT / "uploads")
    shared_state.init_app(app)
    queue = Queue(QUEUE, connection=connection)
    queue.empty()

    with app.app_context():
        regions = list(
            db.session.scalars(select(Region.name).where(Region.parent_id.is_not(None)))
        )
        if plan_event_id is None:
            plan_event_id = data.largest_event_id
        plan_slug = db.session.get(Event, plan_event_id).slug
    event_id = data.delegation_event_id or data.largest_event_id
    heavy = max(1, min(repeat, 5))
    lines: list[str] = []

    def case(name: str, post, worker: bool = True) -> None:
        job_ids: list[str] = []

        def call():
            response = post()
            job_ids.append(_job_id(response))
            return response

        result = measure(name, call, repeat=heavy, warmup=1, engine=engine)
        queue.empty()
        line = result.line()
        if worker:
            with app.test_request_context():
                started = time.perf_counter()
                record = runner.run(job_ids[-1])
                took = time.perf_counter() - started
                db.session.rollback()
            line += f"  job in worker {took:6.1f} s ({record.status})"
            if record.status != "done":
                line += f": {record.message[:80]}"
        lines.append(line)
        if worker and record.status == "done" and record.next_url:
            page = measure(
                name + "_page",
                lambda: client.get(record.next_url),
                repeat=heavy,
                warmup=1,
                engine=engine,
            )
            lines.append(page.line())

    big = _csv_rows(regions, 19_000)
    case(
        NAMES[0],
        lambda: client.post(
            f"/events/{event_id}/import/",
            data={"file": (io.BytesIO(big), "peserta.csv")},
        ),
    )
    wide = _csv_columns(5_000)
    case(
        NAMES[2],
        lambda: client.post(
            f"/events/{event_id}/import/",
            data={"file": (io.BytesIO(wide), "lebar.csv")},
        ),
    )
    with app.test_request_context():
        from planner.services.plans import dump_plan, export_plan

        plan = dump_plan(
            export_plan(db.session.get(Event, plan_event_id), personal_data=True)
        )
        db.session.rollback()
    case(
        NAMES[3] + f" ({len(plan) / 1e6:.1f} MB)",
        lambda: client.post(
            "/plans/import",
            data={
                "file": (io.BytesIO(plan), "plan.json"),
                "slug": f"{plan_slug}-copy-{time.monotonic_ns()}",
            },
        ),
        worker=False,
    )
    case(
        NAMES[4],
        lambda: client.post(f"/events/{plan_event_id}/plan", data={}),
        worker=False,
    )
    with app.app_context():
        national_id = db.session.scalar(
            select(Event.id).filter_by(slug=roster_cases.NATIONAL_SLUG)
        )
    if national_id is None:
        national_id = roster_cases.prepare(app, data).national_id
    with app.app_context():
        rows = roster_rows(db.session.get(Event, national_id))
    # The real threshold here (bench/__main__ lifts it for the builder cases).
    lifted = app.config.pop("EXPORT_JOB_ROWS", None)
    try:
        case(
            NAMES[5] + f" ({rows:,} rows)",
            lambda: client.get(f"/events/{national_id}/rosters/export.xlsx"),
        )
    finally:
        if lifted is not None:
            app.config["EXPORT_JOB_ROWS"] = lifted
    queue.empty()
    shutil.rmtree(jobs_dir, ignore_errors=True)
    return lines
