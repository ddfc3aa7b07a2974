"""``python -m bench.load`` (``make load``): hold a mixed load on the app under gunicorn.

Builds a small data set (the bench generator), starts gunicorn on 127.0.0.1 with
several sync workers, and lets N client threads send requests over loopback for a
fixed time: calendar feed polling (half of them conditional, answered 304), roster
pages, and one-tap confirmations of nominated delegates (each delegate handed out
once, from a shared queue; a refusal because the quota is full is a normal 302).

Prints requests, requests per second, median and p95 latency and errors per kind of
request and in total, then checks the quota invariant in the database. Errors are
answers of 500 or more, unexpected statuses, connection errors, timeouts and any body
saying "database is locked"; the exit code is 1 when there is any, or when the
invariant is broken.

The database is a fresh SQLite file under ``bench/out/`` or, when set,
``BENCH_DATABASE_URL``, whose tables are DROPPED first: point it at a throwaway
database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import make_url

from bench.generate import BenchData, generate
from bench.measure import NAME_WIDTH, median, percentile
from planner import create_app
from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    Leg,
    LegMode,
    Place,
    PlaceKind,
    Region,
    Trip,
    User,
)
from planner.models.delegation import QUOTA_STATUSES
from planner.models.transport import leg_delegations

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
HOST = "127.0.0.1"
#: The gunicorn factory reads the database from here (set for the subprocess only).
URL_VARIABLE = "BENCH_LOAD_DATABASE_URL"
#: … and Redis from here, when the run uses it (``--redis``).
REDIS_VARIABLE = "BENCH_LOAD_REDIS_URL"
#: Job records and results of the load's job worker (git-ignored, like all of out/).
JOBS_DIR = Path(__file__).resolve().parent / "out" / "load-jobs"
SECRET_KEY = "bench-load-secret-key"

HEAD_EMAIL = "bench.ketua@rombongan.test"
HEAD_PASSWORD = "bench-ketua-2024"

#: Kinds of request in the mix and their default weights.
FEED, ROSTER_EVENT, ROSTER_DELEGATION, CONFIRM = (
    "feed",
    "roster_event",
    "roster_delegation",
    "confirm",
)
WEIGHTS = {FEED: 50, ROSTER_EVENT: 5, ROSTER_DELEGATION: 25, CONFIRM: 20}
#: Feed requests are reported apart: with If-None-Match (mostly 304) or without.
FEED_FULL, FEED_CONDITIONAL = "feed", "feed_if_none_match"
#: Only in each client's first round: the feed just polled, with its ETag.
FEED_AGAIN = "feed_again"
LOGIN = "login"
#: The trivial route, timed in turns with the mix: the yardstick of the ratio.
TRIVIAL = "health"
#: Issue 15's goals: the mix at least this share of the trivial route's requests per
#: second, and every kind's p95 under this many milliseconds.
RATIO_GOAL = 0.3
P95_GOAL_MS = 1000
KINDS = (FEED_FULL, FEED_CONDITIONAL, ROSTER_EVENT, ROSTER_DELEGATION, CONFIRM)
#: Statuses that are a normal answer for each kind; anything else is an error.
EXPECTED = {
    LOGIN: {302},
    TRIVIAL: {200},
    FEED_FULL: {200},
    FEED_CONDITIONAL: {200, 304},
    ROSTER_EVENT: {200},
    ROSTER_DELEGATION: {200},
    CONFIRM: {302},
}
LOCKED = b"database is locked"
#: Feeds polled (per kind of owner): few, so each client soon holds their ETags.
FEED_TOKENS = 12
#: Every third delegation with nominees gets room for only half of them: refusals
#: happen. Personal feeds polled are those of attended delegates (stable, so 304s).
TIGHT_EVERY = 3


# The app under gunicorn ---------------------------------------------------------------


def build_app(url: str, redis_url: str | None = None) -> Flask:
    """The app on ``url`` with CSRF and rate limits off, so clients can post forms;
    with ``redis_url`` it shares its caches and job queue through Redis, as in
    production (``deploy/compose.yaml``)."""
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": SECRET_KEY,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_DIR": str(JOBS_DIR),
    }
    if redis_url:
        config["REDIS_URL"] = redis_url
    return create_app(config)


def create_load_app() -> Flask:
    """Gunicorn's (and the job worker's) factory:
    ``gunicorn 'bench.load:create_load_app()'``."""
    return build_app(os.environ[URL_VARIABLE], os.environ.get(REDIS_VARIABLE) or None)


def empty_redis(redis_url: str) -> None:
    """Empty the run's Redis database: cached feeds are named by revision numbers,
    which a fresh data set reuses for other contents."""
    import redis

    redis.Redis.from_url(redis_url, socket_connect_timeout=2).flushdb()


def free_port() -> int:
    """A TCP port on the loopback nobody listens on (at this instant)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """Gunicorn serving the load app, and with Redis the job worker (``flask jobs
    worker``), as in production; their output goes to ``log_path``."""

    def __init__(
        self,
        url: str,
        *,
        workers: int,
        log_path: Path,
        redis_url: str | None = None,
    ) -> None:
        self.url = url
        self.redis_url = redis_url
        self.workers = workers
        self.log_path = log_path
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.job_worker: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            "1",
            "--worker-class",
            "sync",
            # No --timeout: gunicorn's default (30 s) is what a deployment gets.
            "--graceful-timeout",
            "5",
            "--chdir",
            str(ROOT),
            "--log-level",
            "info",
            "bench.load:create_load_app()",
        ]
        env = {**os.environ, URL_VARIABLE: self.url}
        if self.redis_url:
            env[REDIS_VARIABLE] = self.redis_url
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT
            )
            if self.redis_url:
                self.job_worker = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "flask",
                        "--app",
                        "bench.load:create_load_app()",
                        "jobs",
                        "worker",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=ROOT,
                )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            if self.job_worker is not None and self.job_worker.poll() is not None:
                raise RuntimeError(f"the job worker exited:\n{self.log_tail()}")
            if self._healthy():
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /health:\n{self.log_tail()}")

    def _healthy(self) -> bool:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
        try:
            conn.request("GET", "/health")
            response = conn.getresponse()
            response.read()
            return response.status == 200
        except OSError:
            return False
        finally:
            conn.close()

    def stop(self) -> None:
        """Terminate (graceful), then kill what lingers."""
        for process in (self.process, self.job_worker):
            if process is not None and process.poll() is None:
                process.terminate()
        for process in (self.process, self.job_worker):
            if process is None:
                continue
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


# The data -----------------------------------------------------------------------------


def database_url(name: str = "load.sqlite") -> str:
    """``BENCH_DATABASE_URL``, or a fresh SQLite file under ``bench/out/``."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    OUT.mkdir(exist_ok=True)
    return sqlite_url(OUT / name)


def sqlite_url(path: Path) -> str:
    """A fresh SQLite file at ``path`` (an old one and its WAL are removed)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


@dataclass
class Plan:
    """What the clients need: accounts, ids, feed tokens, delegates to confirm."""

    event_id: int
    organiser: tuple[str, str]
    head: tuple[str, str]
    delegation_ids: list[int]
    feed_tokens: list[str]
    #: (delegation id, delegate id) of nominated delegates, one delegation after
    #: another, so clients race for the same quota.
    nominated: list[tuple[int, int]]
    notes: list[str] = field(default_factory=list)


def prepare(url: str, *, people: int, events: int, seed: int = 1) -> Plan:
    """Fresh schema, generated data, then what the load needs; committed."""
    app = build_app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        start = time.perf_counter()
        data = generate(db.session, people=people, events=events, seed=seed)
        db.session.commit()
        counts = ", ".join(f"{n:,} {table}" for table, n in data.counts.items())
        notes = [f"generated {counts} in {time.perf_counter() - start:.1f} s"]
        plan = _extend(data, random.Random(seed))
        db.session.commit()
        db.engine.dispose()
    plan.notes[:0] = notes
    return plan


def _extend(data: BenchData, rng: random.Random) -> Plan:
    """A chapter head over every province; confirmed delegates back to nominated (so
    there are plenty to confirm); tight quotas on some delegations; a run-down and two
    legs so feeds have content."""
    session = db.session
    event_id = data.delegation_event_id
    event = session.get(Event, event_id)

    head = User(email=HEAD_EMAIL, display_name="Ketua Uji Beban")
    head.set_password(HEAD_PASSWORD)
    head.regions = list(
        session.scalars(select(Region).where(Region.parent_id.is_(None)))
    )
    session.add(head)

    session.execute(
        update(Delegate)
        .where(
            Delegate.event_id == event_id, Delegate.status == DelegateStatus.CONFIRMED
        )
        .values(status=DelegateStatus.NOMINATED, confirmed_at=None)
        .execution_options(synchronize_session=False)
    )
    held = dict(
        session.execute(
            select(Delegate.delegation_id, func.count())
            .where(Delegate.event_id == event_id, Delegate.status.in_(QUOTA_STATUSES))
            .group_by(Delegate.delegation_id)
        ).all()
    )
    nominated: dict[int, list[int]] = {}
    for delegation_id, delegate_id in session.execute(
        select(Delegate.delegation_id, Delegate.id)
        .where(
            Delegate.event_id == event_id, Delegate.status == DelegateStatus.NOMINATED
        )
        .order_by(Delegate.id)
    ):
        nominated.setdefault(delegation_id, []).append(delegate_id)
    quotas = session.execute(
        select(Delegation.id, Delegation.quota)
        .where(Delegation.event_id == event_id)
        .order_by(Delegation.id)
    ).all()
    delegation_ids = [delegation_id for delegation_id, _ in quotas]
    deadline = datetime.now(UTC) + timedelta(days=30)
    rows, tight = [], 0
    candidates = 0
    for delegation_id, quota in quotas:
        count = held.get(delegation_id, 0)
        waiting = len(nominated.get(delegation_id, ()))
        if waiting >= 2:
            if candidates % TIGHT_EVERY == 0:
                quota = count + waiting // 2
                tight += 1
            candidates += 1
        rows.append(
            {
                "id": delegation_id,
                "confirmed_count": count,
                "quota": quota,
                "deadline_at": deadline,
            }
        )
    session.execute(update(Delegation), rows)

    order = list(nominated)
    rng.shuffle(order)
    queue = [(d, delegate) for d in order for delegate in nominated[d]]

    polled = rng.sample(delegation_ids, min(FEED_TOKENS, len(delegation_ids)))
    items, legs = _feed_content(event, polled)
    tokens = list(
        session.scalars(select(Delegation.feed_token).where(Delegation.id.in_(polled)))
    )
    tokens += list(
        session.scalars(
            select(Delegate.feed_token)
            .where(
                Delegate.event_id == event_id,
                Delegate.status == DelegateStatus.ATTENDED,
                Delegate.feed_token.is_not(None),
            )
            .order_by(Delegate.id)
            .limit(FEED_TOKENS)
        )
    )
    return Plan(
        event_id=event_id,
        organiser=(data.organiser_email, data.organiser_password),
        head=(HEAD_EMAIL, HEAD_PASSWORD),
        delegation_ids=delegation_ids,
        feed_tokens=[t for t in tokens if t],
        nominated=queue,
        notes=[
            f"prepared  chapter head {HEAD_EMAIL} over every province; "
            f"{len(queue):,} nominated delegates to confirm "
            f"({tight} delegations with room for half of theirs); "
            f"{items} agenda items, {legs} legs; {len(tokens)} feeds polled"
        ],
    )


def _feed_content(event: Event, delegation_ids: list[int]) -> tuple[int, int]:
    """Eight agenda items a day for everyone, and a leg there and back listing the
    polled delegations; (items, legs)."""
    session = db.session
    zone = ZoneInfo(event.timezone)
    rows = []
    day = event.starts_on
    kinds = list(AgendaKind)
    while day <= event.ends_on:
        for slot in range(8):
            starts = datetime.combine(day, clock(8), tzinfo=zone) + timedelta(
                hours=slot
            )
            rows.append(
                {
                    "event_id": event.id,
                    "starts_at": starts.astimezone(UTC),
                    "ends_at": (starts + timedelta(minutes=50)).astimezone(UTC),
                    "title": f"Sesi {len(rows) + 1}: Penguatan peran PSM",
                    "kind": kinds[len(rows) % len(kinds)],
                    "audience": AgendaAudience.EVERYONE,
                    "room": f"Ruang {slot % 3 + 1}",
                }
            )
        day += timedelta(days=1)
    session.execute(insert(AgendaItem), rows)

    venue = session.get(Place, event.venue_id)
    airport = Place(
        name="Bandara Uji Beban",
        kind=PlaceKind.AIRPORT,
        region_id=venue.region_id,
        lat=-6.125,
        lon=106.655,
    )
    session.add(airport)
    session.flush()
    there = datetime.combine(event.starts_on, clock(6), tzinfo=zone)
    back = datetime.combine(event.ends_on, clock(15), tzinfo=zone)
    legs = []
    for position, (name, start, origin, to) in enumerate(
        (
            ("Berangkat", there, airport.id, venue.id),
            ("Pulang", back, venue.id, airport.id),
        )
    ):
        trip = Trip(event_id=event.id, name=name, position=position)
        session.add(trip)
        session.flush()
        leg = Leg(
            event_id=event.id,
            trip_id=trip.id,
            from_place_id=origin,
            to_place_id=to,
            mode=LegMode.ROAD,
            departs_at=start.astimezone(UTC),
            arrives_at=(start + timedelta(hours=1, minutes=30)).astimezone(UTC),
        )
        session.add(leg)
        session.flush()
        legs.append(leg.id)
    session.execute(
        insert(leg_delegations),
        [{"leg_id": leg, "delegation_id": d} for leg in legs for d in delegation_ids],
    )
    return len(rows), len(legs)


# The clients --------------------------------------------------------------------------


@dataclass
class Stats:
    """Latencies (ms), statuses and errors per kind of request."""

    times: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def record(self, kind: str, ms: float, status: int | None, error: str | None):
        self.times.setdefault(kind, []).append(ms)
        self.statuses.setdefault(kind, Counter())[status or 0] += 1
        if error:
            self.errors[kind] += 1
            if len(self.examples) < 5:
                self.examples.append(f"{kind}: {error}")

    def merge(self, other: Stats) -> None:
        for kind, values in other.times.items():
            self.times.setdefault(kind, []).extend(values)
        for kind, counts in other.statuses.items():
            self.statuses.setdefault(kind, Counter()).update(counts)
        self.errors.update(other.errors)
        for example in other.examples:
            if len(self.examples) < 5:
                self.examples.append(example)

    def count(self, kind: str) -> int:
        return len(self.times.get(kind, ()))


class Client:
    """One simulated user pair on one connection: the organiser (whole roster) and
    the chapter head (delegation rosters, confirmations); feeds need no sign-in."""

    def __init__(
        self,
        port: int,
        plan: Plan,
        confirmations: deque,
        rng: random.Random,
        weights: dict[str, int],
        timeout: float,
        stopped: threading.Event | None = None,
    ) -> None:
        self.port = port
        self.plan = plan
        self.confirmations = confirmations
        self.rng = rng
        self.weights = weights
        self.timeout = timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, dict[str, str]] = {"organiser": {}, "head": {}}
        self.etags: dict[str, str] = {}
        self.first_round_done = False
        self.last_token = plan.feed_tokens[0]
        self.stats = Stats()
        self.confirms_posted = 0
        #: Set when the run is cut short (Ctrl-C): the loop ends after this request.
        self.stopped = stopped or threading.Event()

    def close(self) -> None:
        self.conn.close()

    def send(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        role: str | None = None,
        form: dict | None = None,
        headers: dict | None = None,
        keep_cookies: bool = True,
    ) -> tuple[int | None, dict]:
        """One request, timed and checked; (status or None, response headers)."""
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        jar = self.cookies[role] if role else {}
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        start = time.perf_counter()
        status, reply, error = None, {}, None
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            payload = response.read()
            status = response.status
            reply = {k.lower(): v for k, v in response.getheaders()}
            if role and keep_cookies:
                for value in response.headers.get_all("Set-Cookie") or ():
                    for name, morsel in SimpleCookie(value).items():
                        if morsel.value:
                            jar[name] = morsel.value
                        else:
                            jar.pop(name, None)
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # reconnects on the next request
            error = f"{type(exc).__name__}: {exc} ({method} {path})"
        else:
            if LOCKED in payload:
                error = f"'database is locked' in HTTP {status} ({method} {path})"
            elif status not in EXPECTED[kind]:
                error = f"HTTP {status} ({method} {path})"
            elif status in (301, 302, 303) and "/auth/login" in reply.get(
                "location", ""
            ):
                error = f"sent to the login page ({method} {path})"
        self.stats.record(kind, (time.perf_counter() - start) * 1000, status, error)
        return status, reply

    def sign_in(self) -> None:
        for role, (email, password) in (
            ("organiser", self.plan.organiser),
            ("head", self.plan.head),
        ):
            self.send(
                LOGIN,
                "POST",
                "/auth/login",
                role=role,
                form={"email": email, "password": password},
            )

    def feed(self, *, again: bool = False) -> None:
        """Poll a feed; half the time with the ETag seen before (304 when unchanged).
        ``again``: the last feed polled, with its ETag."""
        token = self.last_token if again else self.rng.choice(self.plan.feed_tokens)
        self.last_token = token
        path = f"/feeds/{token}.ics"
        etag = self.etags.get(token)
        if etag and (again or self.rng.random() < 0.5):
            status, reply = self.send(
                FEED_CONDITIONAL, "GET", path, headers={"If-None-Match": etag}
            )
        else:
            status, reply = self.send(FEED_FULL, "GET", path)
        if status == 200 and reply.get("etag"):
            self.etags[token] = reply["etag"]

    def health(self) -> None:
        self.send(TRIVIAL, "GET", "/health")

    def roster_event(self) -> None:
        self.send(
            ROSTER_EVENT,
            "GET",
            f"/events/{self.plan.event_id}/rosters/",
            role="organiser",
        )

    def roster_delegation(self) -> None:
        delegation_id = self.rng.choice(self.plan.delegation_ids)
        self.send(
            ROSTER_DELEGATION,
            "GET",
            f"/events/{self.plan.event_id}/rosters/{delegation_id}",
            role="head",
        )

    def confirm(self) -> bool:
        """Confirm the next nominated delegate; False when none is left."""
        try:
            delegation_id, delegate_id = self.confirmations.popleft()
        except IndexError:
            return False
        self.confirms_posted += 1
        # The flash message goes into the session cookie; a browser would show it on
        # the page it is sent to. We do not follow, so we keep the cookie we had.
        self.send(
            CONFIRM,
            "POST",
            f"/events/{self.plan.event_id}/delegations/{delegation_id}"
            f"/delegates/{delegate_id}/confirm",
            role="head",
            form={},
            keep_cookies=False,
        )
        return True

    def run_trivial(self, until: float) -> None:
        """Only the trivial route until ``until`` (the yardstick's turn)."""
        while not self.stopped.is_set() and time.monotonic() < until:
            self.health()

    def run(self, until: float) -> None:
        """Every kind once, and a feed polled again at once (so short runs still
        cover the mix and the 304), then weighted draws until ``until``.

        The first round always completes, even past ``until``: on a loaded machine
        a short run would otherwise end before every kind was asked for once."""
        actions: dict[str, Callable[[], object]] = {
            FEED: self.feed,
            FEED_AGAIN: lambda: self.feed(again=True),
            ROSTER_EVENT: self.roster_event,
            ROSTER_DELEGATION: self.roster_delegation,
            CONFIRM: self.confirm,
        }
        kinds = [k for k, w in self.weights.items() if w > 0]
        weights = [self.weights[k] for k in kinds]
        first = [k for k in (FEED, FEED_AGAIN) if FEED in kinds] + [
            k for k in kinds if k != FEED
        ]
        if self.first_round_done:
            first = []
        self.first_round_done = True
        while not self.stopped.is_set() and (first or time.monotonic() < until):
            kind = first.pop(0) if first else self.rng.choices(kinds, weights)[0]
            if kind == CONFIRM and not self.confirm():
                kind = FEED  # nobody left to confirm: poll a feed instead
            if kind != CONFIRM:
                actions[kind]()


# The run ------------------------------------------------------------------------------


@dataclass
class Result:
    """What a load run measured and found."""

    stats: Stats
    seconds: float
    login_seconds: float
    confirms_posted: int
    confirmations_left: int
    confirmed: int
    invariant_problems: list[str]
    delegations: int
    server_locked: int
    server_tracebacks: int
    trivial_seconds: float = 0.0
    turns: int = 0

    @property
    def errors(self) -> int:
        return sum(self.stats.errors.values()) + self.server_locked

    @property
    def ok(self) -> bool:
        return self.errors == 0 and not self.invariant_problems

    def lines(self) -> list[str]:
        lines = [
            stat_line(
                LOGIN + " (before the clock)",
                self.stats.times.get(LOGIN, []),
                self.login_seconds,
                self.stats.errors[LOGIN],
                self.stats.statuses.get(LOGIN, Counter()),
            )
        ]
        every: list[float] = []
        statuses: Counter = Counter()
        for kind in KINDS:
            times = self.stats.times.get(kind, [])
            every += times
            statuses.update(self.stats.statuses.get(kind, Counter()))
            lines.append(
                stat_line(
                    kind,
                    times,
                    self.seconds,
                    self.stats.errors[kind],
                    self.stats.statuses.get(kind, Counter()),
                )
            )
        timed_errors = sum(self.stats.errors[k] for k in KINDS)
        lines.append(stat_line("total", every, self.seconds, timed_errors, statuses))
        trivial = self.stats.times.get(TRIVIAL, [])
        if trivial and self.trivial_seconds:
            lines.append(
                stat_line(
                    "trivial GET /health",
                    trivial,
                    self.trivial_seconds,
                    self.stats.errors[TRIVIAL],
                    self.stats.statuses.get(TRIVIAL, Counter()),
                )
            )
            mixed_rps = len(every) / self.seconds
            trivial_rps = len(trivial) / self.trivial_seconds
            ratio = mixed_rps / trivial_rps
            verdict = "meets" if ratio >= RATIO_GOAL else "MISSES"
            lines.append(
                f"ratio     mix {mixed_rps:,.1f} rps / trivial {trivial_rps:,.1f} rps = "
                f"{ratio:.2f} (goal >= {RATIO_GOAL}, {verdict}; "
                f"{self.turns} turns of each, alternating)"
            )
            worst = max(
                (percentile(self.stats.times[k], 95), k)
                for k in KINDS
                if self.stats.times.get(k)
            )
            verdict = "meets" if worst[0] < P95_GOAL_MS else "MISSES"
            lines.append(
                f"p95       slowest kind {worst[1]} {worst[0]:,.1f} ms "
                f"(goal every kind < {P95_GOAL_MS:,} ms, {verdict})"
            )
        refused = self.confirms_posted - self.confirmed
        lines.append(
            f"confirmations: {self.confirms_posted:,} posted, {self.confirmed:,} "
            f"confirmed, {refused:,} refused (quota full), "
            f"{self.confirmations_left:,} nominees left"
        )
        lines.append(
            f"server log: {self.server_locked} 'database is locked', "
            f"{self.server_tracebacks} tracebacks"
        )
        if self.invariant_problems:
            lines.append(
                f"invariant BROKEN in {len(self.invariant_problems)} of "
                f"{self.delegations} delegations:"
            )
            lines += [f"  {p}" for p in self.invariant_problems[:10]]
        else:
            lines.append(
                f"invariant ok: in all {self.delegations} delegations confirmed_count "
                "= confirmed + attended delegates <= quota"
            )
        lines += [f"error: {e}" for e in self.stats.examples]
        return lines


def stat_line(
    name: str, times: list[float], seconds: float, errors: int, statuses: Counter
) -> str:
    """``name  requests  rps  median  p95  errors  statuses``, like bench lines."""
    shown = " ".join(f"{s or 'none'}×{n}" for s, n in sorted(statuses.items()))
    if not times:
        return f"{name:<{NAME_WIDTH}} requests      0  errors {errors:3d}"
    rps = len(times) / seconds if seconds > 0 else 0.0
    return (
        f"{name:<{NAME_WIDTH}} requests {len(times):6,d}  rps {rps:6.1f}  "
        f"median {median(times):6.1f} ms  p95 {percentile(times, 95):6.1f} ms  "
        f"errors {errors:3d}  statuses {shown}"
    )


def check_invariant(url: str) -> tuple[int, list[str]]:
    """(delegations, problems): confirmed_count must equal the confirmed + attended
    delegates and never exceed the quota."""
    app = build_app(url)
    with app.app_context():
        held = dict(
            db.session.execute(
                select(Delegate.delegation_id, func.count())
                .where(Delegate.status.in_(QUOTA_STATUSES))
                .group_by(Delegate.delegation_id)
            ).all()
        )
        rows = db.session.execute(
            select(Delegation.id, Delegation.confirmed_count, Delegation.quota)
        ).all()
        db.engine.dispose()
    problems = []
    for delegation_id, count, quota in rows:
        real = held.get(delegation_id, 0)
        if count != real or count > quota:
            problems.append(
                f"delegation {delegation_id}: confirmed_count {count}, "
                f"confirmed + attended {real}, quota {quota}"
            )
    return len(rows), problems


def count_confirmed(url: str, event_id: int) -> int:
    app = build_app(url)
    with app.app_context():
        n = db.session.scalar(
            select(func.count()).where(
                Delegate.event_id == event_id,
                Delegate.status == DelegateStatus.CONFIRMED,
            )
        )
        db.engine.dispose()
    return n or 0


def run_load(
    url: str,
    plan: Plan,
    *,
    workers: int = 3,
    clients: int = 8,
    seconds: float = 20,
    weights: dict[str, int] | None = None,
    seed: int = 1,
    timeout: float = 30,
    log_path: Path | None = None,
    out: Callable[[str], None] = print,
    turns: int = 2,
    trivial_seconds: float = 3.0,
    redis_url: str | None = None,
) -> Result:
    """Start gunicorn (and with ``redis_url`` the job worker), sign every client in,
    hold the mix for ``seconds``, stop them, then check the database."""
    weights = dict(weights or WEIGHTS)
    if redis_url:
        empty_redis(redis_url)
    server = Server(
        url,
        workers=workers,
        log_path=log_path or OUT / "load-gunicorn.log",
        redis_url=redis_url,
    )
    confirmations = deque(plan.nominated)
    pool: list[Client] = []
    stopped = threading.Event()
    try:
        server.start()
        out(f"gunicorn  {workers} workers x 1 thread on {HOST}:{server.port}")
        if redis_url:
            redis_shown = make_url(redis_url).render_as_string(hide_password=True)
            out(f"redis     {redis_shown}: shared caches, and a job worker")
        pool += [
            Client(
                server.port,
                plan,
                confirmations,
                random.Random(seed * 1000 + n),
                weights,
                timeout,
                stopped,
            )
            for n in range(clients)
        ]
        start = time.monotonic()
        _in_threads([client.sign_in for client in pool])
        login_seconds = time.monotonic() - start
        out(
            f"load      {clients} clients for {seconds:g} s, weights "
            + ", ".join(f"{k} {w}" for k, w in weights.items())
        )
        # In turns: trivial, mix, trivial, mix … so both see the same machine.
        elapsed = trivial_elapsed = 0.0
        for _turn in range(max(turns, 1) if trivial_seconds > 0 else 1):
            if trivial_seconds > 0:
                start = time.monotonic()
                until = start + trivial_seconds
                _in_threads(
                    [lambda c=client, u=until: c.run_trivial(u) for client in pool]
                )
                trivial_elapsed += time.monotonic() - start
            start = time.monotonic()
            until = start + seconds / max(turns, 1)
            _in_threads([lambda c=client, u=until: c.run(u) for client in pool])
            elapsed += time.monotonic() - start
    finally:
        stopped.set()
        for client in pool:
            client.close()
        server.stop()
    stats = Stats()
    for client in pool:
        stats.merge(client.stats)
    log = server.log()
    delegations, problems = check_invariant(url)
    return Result(
        stats=stats,
        seconds=elapsed,
        login_seconds=login_seconds,
        confirms_posted=sum(c.confirms_posted for c in pool),
        confirmations_left=len(confirmations),
        confirmed=count_confirmed(url, plan.event_id),
        invariant_problems=problems,
        delegations=delegations,
        server_locked=log.count("database is locked"),
        server_tracebacks=log.count("Traceback"),
        trivial_seconds=trivial_elapsed,
        turns=max(turns, 1) if trivial_seconds > 0 else 0,
    )


def _in_threads(jobs: list[Callable[[], object]]) -> None:
    """Run each job in its own thread; wait for all; re-raise the first failure."""
    failures: list[BaseException] = []

    def wrap(job):
        try:
            job()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--people", type=int, default=3_000, help="default 3,000")
    parser.add_argument("--events", type=int, default=5, help="default 5")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--turns", type=int, default=2, help="turns of trivial route and mix (2)"
    )
    parser.add_argument(
        "--trivial-seconds",
        type=float,
        default=3.0,
        help="seconds of GET /health per turn, the ratio's yardstick (3; 0: none)",
    )
    parser.add_argument("--clients", type=int, default=8, help="client threads (8)")
    parser.add_argument("--seconds", type=float, default=20, help="duration (20)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--redis",
        default=os.environ.get("BENCH_REDIS_URL") or None,
        metavar="URL",
        help="Redis as in production: caches shared by the workers, and a job worker "
        "(default BENCH_REDIS_URL; that database is EMPTIED first)",
    )
    for kind, weight in WEIGHTS.items():
        parser.add_argument(
            f"--{kind.replace('_', '-')}-weight",
            dest=f"weight_{kind}",
            type=int,
            default=weight,
            metavar="W",
            help=f"share of {kind} requests (default {weight})",
        )
    args = parser.parse_args(argv)
    if args.workers < 1 or args.clients < 1 or args.seconds <= 0 or args.events < 1:
        parser.error("--workers, --clients, --events and --seconds must be positive")
    weights = {kind: getattr(args, f"weight_{kind}") for kind in WEIGHTS}
    if any(w < 0 for w in weights.values()) or not any(weights.values()):
        parser.error("weights must not be negative, and one must be positive")

    url = database_url()
    print(f"database  {make_url(url).render_as_string(hide_password=True)}")
    plan = prepare(url, people=args.people, events=args.events, seed=args.seed)
    for note in plan.notes:
        print(note)
    result = run_load(
        url,
        plan,
        workers=args.workers,
        clients=args.clients,
        seconds=args.seconds,
        weights=weights,
        seed=args.seed,
        turns=args.turns,
        trivial_seconds=args.trivial_seconds,
        redis_url=args.redis,
    )
    for line in result.lines():
        print(line)
    print(
        f"result    {'ok' if result.ok else 'FAILED'}: {result.errors} errors "
        f"({args.workers} workers, {args.clients} clients, {args.seconds:g} s)"
    )
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
