"""``python -m bench.requests``: the load's kinds of request, each timed in process.

Builds the load data once (``bench.load.prepare``), signs in with the Flask test client
and times each kind of request of ``make load`` in turns with the trivial route
``GET /health``: the app's CPU time (``time.process_time``, medians) plus, on
PostgreSQL, the CPU time of the database server process serving the app's
connection (``/proc``, mean per request; both share the machine under ``make load``).
Prints each kind's cost relative to ``/health`` and the mix's weighted mean, i.e.
the ratio ``make load`` should approach on an idle machine: about 1 / mean (gunicorn
and the client threads add the same to every kind). Cheaper than a load run and
steadier on a shared machine, since it counts CPU time, not wall time.

``--profile KIND`` prints a cProfile of that kind instead (cumulative, top 40).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from bench.load import (
    CONFIRM,
    FEED,
    ROSTER_DELEGATION,
    ROSTER_EVENT,
    WEIGHTS,
    build_app,
    database_url,
    prepare,
)
from bench.measure import median
from planner.extensions import db


def _requests(app, plan) -> dict[str, Callable[[], object]]:
    """One callable per kind (and the trivial route), each sending one request."""
    organiser, head, anonymous = app.test_client(), app.test_client(), app.test_client()
    for client, (email, password) in ((organiser, plan.organiser), (head, plan.head)):
        reply = client.post("/auth/login", data={"email": email, "password": password})
        assert reply.status_code == 302, reply.status_code
    event_id = plan.event_id
    queue = list(plan.nominated)
    tokens = plan.feed_tokens
    etags: dict[str, str] = {}
    turn = {"n": 0}

    def check(reply, *statuses):
        assert reply.status_code in statuses, (reply.status_code, reply.request.path)
        return reply

    def feed():
        turn["n"] += 1
        token = tokens[turn["n"] % len(tokens)]
        headers = {}
        if token in etags and turn["n"] % 2:
            headers["If-None-Match"] = etags[token]
        reply = check(anonymous.get(f"/feeds/{token}.ics", headers=headers), 200, 304)
        if reply.status_code == 200:
            etags[token] = reply.headers["ETag"]

    def roster_delegation():
        turn["n"] += 1
        delegation_id = plan.delegation_ids[turn["n"] % len(plan.delegation_ids)]
        check(head.get(f"/events/{event_id}/rosters/{delegation_id}"), 200)

    signed_in = head.get_cookie("session").value

    def confirm():
        delegation_id, delegate_id = queue.pop(0)
        check(
            head.post(
                f"/events/{event_id}/delegations/{delegation_id}"
                f"/delegates/{delegate_id}/confirm"
            ),
            302,
        )
        # As the load's clients: the flash message is not kept in the session.
        head.set_cookie("session", signed_in)

    return {
        "health": lambda: check(anonymous.get("/health"), 200),
        FEED: feed,
        ROSTER_EVENT: lambda: check(organiser.get(f"/events/{event_id}/rosters/"), 200),
        ROSTER_DELEGATION: roster_delegation,
        CONFIRM: confirm,
    }


#: Clock ticks per second of /proc/<pid>/stat.
TICKS = os.sysconf("SC_CLK_TCK")


def _backend(app) -> int | None:
    """The PostgreSQL server process of the app's (single) pooled connection, when
    its CPU time can be read (same machine); None on SQLite."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return None
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.rollback()
        busy = db.engine.pool.checkedin()
    if busy != 1 or not Path(f"/proc/{pid}/stat").exists():
        return None
    return pid


def _ticks(pid: int | None) -> int:
    """User + system CPU ticks of a process so far (0 without one)."""
    if pid is None:
        return 0
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def _cpu_ms(action: Callable[[], object], walls: list[float]) -> float:
    start, wall = time.process_time(), time.perf_counter()
    action()
    walls.append((time.perf_counter() - wall) * 1000)
    return (time.process_time() - start) * 1000


def _mixed(requests: dict, backend: int | None, args) -> None:
    """The kinds drawn at random by weight, one after another as under load (a
    refused confirmation's rollback, for one, affects the requests after it), in
    turns with as many ``/health``; the mean CPU (app and database) of each."""
    rng = random.Random(1)
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    spent = {"mix": 0.0, "health": 0.0}
    for _ in range(args.rounds):
        for name in spent:
            ticks, start = _ticks(backend), time.process_time()
            for _ in range(args.batch * 5):
                kind = "health" if name == "health" else rng.choices(kinds, weights)[0]
                requests[kind]()
            spent[name] += (time.process_time() - start) * 1000
            spent[name] += (_ticks(backend) - ticks) * 1000 / TICKS
    count = args.rounds * args.batch * 5
    mix, health = spent["mix"] / count, spent["health"] / count
    print(
        f"mixed in turns     mix {mix:.2f} ms, /health {health:.2f} ms a request"
        f" (app + db cpu)  ->  mix cost {mix / health:.2f}x, ratio {health / mix:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--events", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=15, help="turns of each kind")
    parser.add_argument("--batch", type=int, default=10, help="requests per turn")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument(
        "--mixed", action="store_true", help="also time the kinds drawn as in the mix"
    )
    parser.add_argument("--profile", choices=[FEED, *WEIGHTS][1:], default=None)
    args = parser.parse_args(argv)

    url = database_url("requests.sqlite")
    plan = prepare(url, people=args.people, events=args.events)
    app = build_app(url)
    requests = _requests(app, plan)
    for action in requests.values():  # warm caches, templates, statements
        for _ in range(3):
            action()

    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU, not waits
        profile.enable()
        for _ in range(args.batch * 5):
            requests[args.profile]()
        profile.disable()
        pstats.Stats(profile).sort_stats(args.sort).print_stats(40)
        return 0

    backend = _backend(app)
    times: dict[str, list[float]] = {kind: [] for kind in requests}
    walls: dict[str, list[float]] = {kind: [] for kind in requests}
    server: dict[str, float] = dict.fromkeys(requests, 0.0)
    for _ in range(args.rounds):
        for kind, action in requests.items():
            ticks = _ticks(backend)
            for _ in range(args.batch):
                times[kind].append(_cpu_ms(action, walls[kind]))
            server[kind] += (_ticks(backend) - ticks) * 1000 / TICKS
    count = args.rounds * args.batch
    if backend is None:
        print("database server CPU: not measured (SQLite, or no /proc)")

    def cost(kind: str) -> float:
        return median(times[kind]) + server[kind] / count

    trivial = cost("health")
    mean = 0.0
    for kind, weight in [("health", 0), *WEIGHTS.items()]:
        ratio = cost(kind) / trivial
        mean += ratio * weight / sum(WEIGHTS.values())
        print(
            f"{kind:<18} app cpu {median(times[kind]):6.2f} ms"
            f"  db cpu {server[kind] / count:5.2f} ms"
            f"  cost {ratio:5.2f}x /health"
            f"  wall {median(walls[kind]):6.2f} ms  (weight {weight})"
        )
    print(f"weighted mean cost {mean:.2f}x  ->  expected mix ratio {1 / mean:.2f}")
    if args.mixed:
        _mixed(requests, backend, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
