"""``python -m bench`` (``make bench``): build a national-scale database, time pages.

The database is a fresh SQLite file under ``bench/out/`` or, when set,
``BENCH_DATABASE_URL``, whose tables are DROPPED first: point it at a throwaway
database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from bench import calendars as calendar_cases
from bench import goals
from bench import jobs as job_cases
from bench import manifests as manifest_cases
from bench import paperwork as paperwork_cases
from bench import plans as plan_cases
from bench import rooming as rooming_cases
from bench import rosters as roster_cases
from bench import seating as seating_cases
from bench.cases import CASES, Case, by_name
from bench.generate import BenchData, generate
from bench.measure import measure, skipped_line
from planner import create_app
from planner.extensions import db
from planner.models import Event, User

OUT = Path(__file__).resolve().parent / "out"


def database_url() -> str:
    """``BENCH_DATABASE_URL``, or a fresh SQLite file (the old one is removed)."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    OUT.mkdir(exist_ok=True)
    path = OUT / "bench.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def build_app(url: str) -> Flask:
    """An app on ``url`` with CSRF and rate limits off, so the client can sign in."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            # The builder cases time the file made in the request (what a small
            # export does); bench/jobs.py times the big ones as the jobs they are.
            "EXPORT_JOB_ROWS": 10**9,
        }
    )


def sign_in(app: Flask, client: FlaskClient, data: BenchData) -> str:
    """Sign the organiser in through the login form, or (no form yet) the session."""
    if "auth.login" in app.view_functions:
        response = client.post(
            "/auth/login",
            data={"email": data.organiser_email, "password": data.organiser_password},
        )
        if response.status_code == 302:
            return "login form"
    with app.app_context():
        user = db.session.get(User, data.organiser_id)
        user_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    return "session cookie (the login form did not answer 302)"


def route_problem(app: Flask, path: str) -> str | None:
    """Why ``path`` cannot be fetched yet (no route), or None when a route exists."""
    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except NotFound:
        return f"no page at {path} yet"
    except MethodNotAllowed:
        return f"{path} does not answer GET"
    except RequestRedirect:
        return None
    return None


def run_case(
    app: Flask,
    client: FlaskClient,
    engine: Engine,
    case: Case,
    data: BenchData,
    repeat: int,
) -> tuple[str, bool]:
    """Time one case; the report line and whether it ran without failing."""
    path = case.path(data)
    problem = route_problem(app, path)
    if problem:
        return skipped_line(case.name, problem), True
    probe = client.get(path)  # also the warm-up
    if probe.status_code == 404:
        return skipped_line(case.name, f"HTTP 404 at {path}"), True
    if probe.status_code != 200:
        where = probe.headers.get("Location", "")
        return skipped_line(
            case.name, f"FAILED: HTTP {probe.status_code} at {path} {where}".strip()
        ), False
    result = measure(
        case.name, lambda: client.get(path), repeat=repeat, warmup=0, engine=engine
    )
    return result.line(), True


def main(argv: list[str] | None = None) -> int:
    """Generate the data, then print one line per timed page."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--people", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--events", type=int, default=20, help="default 20")
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per case")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        metavar="NAME",
        choices=[c.name for c in CASES]
        + list(roster_cases.NAMES)
        + list(seating_cases.NAMES)
        + list(rooming_cases.NAMES)
        + list(rooming_cases.PDF_NAMES)
        + list(manifest_cases.NAMES)
        + list(paperwork_cases.NAMES)
        + list(plan_cases.NAMES)
        + list(calendar_cases.NAMES)
        + list(job_cases.NAMES),
        help="run one case: "
        + ", ".join([c.name for c in CASES] + list(roster_cases.NAMES)),
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.people < 0 or args.events < 1:
        parser.error("--repeat and --events must be at least 1, --people at least 0")

    goals.clear()
    url = database_url()
    app = build_app(url)
    with app.app_context():
        engine = db.engine
        print(f"database  {engine.url.render_as_string(hide_password=True)}")
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        data = generate(
            db.session, people=args.people, events=args.events, seed=args.seed
        )
        db.session.commit()
        elapsed = time.perf_counter() - start
    counts = ", ".join(f"{n:,} {table}" for table, n in data.counts.items())
    print(f"generated {counts} in {elapsed:.1f} s")

    client = app.test_client()
    print(f"signed in {data.organiser_email} via {sign_in(app, client, data)}")
    only_rosters = args.only in roster_cases.NAMES
    only_seating = args.only in seating_cases.NAMES
    only_rooming = args.only in rooming_cases.NAMES
    only_rooming_list = args.only in rooming_cases.PDF_NAMES
    only_manifests = args.only in manifest_cases.NAMES
    only_paperwork = args.only in paperwork_cases.NAMES
    only_plans = args.only in plan_cases.NAMES
    only_calendars = args.only in calendar_cases.NAMES
    only_jobs = args.only in job_cases.NAMES
    cases = (
        []
        if only_rosters
        or only_seating
        or only_rooming
        or only_rooming_list
        or only_manifests
        or only_paperwork
        or only_plans
        or only_calendars
        or only_jobs
        else [by_name(args.only)]
        if args.only
        else CASES
    )
    ok = True
    for case in cases:
        line, passed = run_case(app, client, engine, case, data, args.repeat)
        print(line, flush=True)
        ok = ok and passed
    if only_rosters or not args.only:
        for line in roster_cases.run(
            app, client, engine, data, args.repeat, args.only if only_rosters else None
        ):
            print(line, flush=True)
            ok = ok and "FAILED" not in line
    if only_seating or not args.only:
        for line in seating_cases.run(
            app, data, args.repeat, args.only if only_seating else None
        ):
            print(line, flush=True)
    if only_rooming or not args.only:
        for line in rooming_cases.run(app, data, args.repeat):
            print(line, flush=True)
    if only_rooming_list or not args.only:
        for line in rooming_cases.run_list(app, client, engine, data, args.repeat):
            print(line, flush=True)
            ok = ok and "FAILED" not in line
    if only_manifests or not args.only:
        for line in manifest_cases.run(app, client, engine, data, args.repeat):
            print(line, flush=True)
            ok = ok and "FAILED" not in line
    if only_paperwork or not args.only:
        for line in paperwork_cases.run(
            app,
            client,
            engine,
            data,
            args.repeat,
            args.only if only_paperwork else None,
        ):
            print(line, flush=True)
            ok = ok and "FAILED" not in line
    if only_plans or not args.only:
        for line in plan_cases.run(app, engine, data, args.repeat):
            print(line, flush=True)
    if only_calendars or not args.only:
        for line in calendar_cases.run(
            app, client, engine, data, args.repeat, args.only
        ):
            print(line, flush=True)
    if only_jobs or not args.only:
        with app.app_context():
            plan_event_id = db.session.scalar(
                db.select(Event.id).filter_by(slug=plan_cases.SLUG)
            )
        if plan_event_id is None:
            plan_event_id = plan_cases.prepare(app, data)
        # Only when asked: the tests' REDIS_URL is shared by parallel test workers.
        redis_url = os.environ.get("BENCH_REDIS_URL")
        for line in job_cases.run(
            app, client, engine, data, args.repeat, redis_url, plan_event_id
        ):
            print(line, flush=True)
            ok = ok and "FAILED" not in line
    engine.dispose()
    for line in goals.summary():
        print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
