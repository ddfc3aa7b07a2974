"""``make prod-smoke``: the production processes on this machine, one short journey.

Starts gunicorn (``wsgi:app``, 4 workers) and the job worker (``flask jobs worker``) —
the commands ``deploy/compose.yaml`` runs — against this machine's PostgreSQL (its own
database, created and dropped here) and Redis (its own database number), then over
real HTTP: signs in, uploads an import and follows its job to the preview, exports a
plan through a job and downloads it, fetches a calendar feed. Exits non-zero on any
wrong answer; stops what it started.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG = os.environ.get("SMOKE_PG", "postgresql://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("SMOKE_DATABASE", "prod_smoke")
REDIS = os.environ.get("SMOKE_REDIS", "redis://127.0.0.1:6379/12")
ADMIN = "smoke.admin@example.org"
PASSWORD = secrets.token_urlsafe(16)
CSV = (
    "Nama Lengkap,NIK,Jenis Kelamin,Kabupaten/Kota,Peran\n"
    "Siti Rahmawati,1901014101900001,P,Kabupaten Bangka,peserta\n"
    "Budi Santoso,1901010101900002,L,Kabupaten Bangka,peserta\n"
)


def step(message: str) -> None:
    print(f"prod-smoke: {message}", flush=True)


def fail(message: str) -> None:
    print(f"prod-smoke: FAILED: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG}/{database}", "-XAtqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Cookies, CSRF tokens and redirects not followed (so we see where they lead)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            self._NoRedirect(),
        )

    def request(self, path, data=None, headers=None):
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, data=data, headers=headers or {})
        started = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:
            response = exc
        body = response.read()
        took = time.perf_counter() - started
        return response.status, response.headers, body, took

    def csrf(self, path) -> str:
        status, _headers, body, _took = self.request(path)
        if status != 200:
            fail(f"GET {path} answered {status}")
        match = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', body)
        if not match:
            match = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
        if not match:
            fail(f"no CSRF token on {path}")
        return match.group(1).decode()

    def post(self, path, fields, files=None):
        if files:
            boundary = secrets.token_hex(12)
            parts = []
            for name, value in fields.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                    f"\r\n\r\n{value}\r\n".encode()
                )
            for name, (filename, content) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                    + content
                    + b"\r\n"
                )
            parts.append(f"--{boundary}--\r\n".encode())
            data = b"".join(parts)
            headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        else:
            data = urllib.parse.urlencode(fields).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(path, data, headers)

    def follow_job(self, location: str) -> str:
        """Poll a job's status until it finishes; returns the job page's path."""
        path = urllib.parse.urlsplit(location).path
        if not re.match(r"^/jobs/[0-9a-f]{32}$", path):
            fail(f"expected a job page, got {location}")
        last = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, _h, body, _t = self.request(path + "/status")
            if status != 200:
                fail(f"{path}/status answered {status}")
            import json

            job = json.loads(body)
            if (job["done"], job["total"], job["status"]) != last:
                last = (job["done"], job["total"], job["status"])
                step(f"  job {path[6:14]}…: {job['status']} {job['percent']}%")
            if job["finished"]:
                if job["status"] != "done":
                    fail(f"job ended {job['status']}: {job['message']}")
                return path
            time.sleep(0.3)
        fail("job did not finish in 120 s")


def run(command, **kwargs) -> None:
    """Run a set-up command; on failure show what it said."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        fail(f"{' '.join(command[1:])} exited {done.returncode}:\n{done.stderr}")


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="prod-smoke-"))
    database_url = f"{PG}/{DATABASE}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PLANNER_REDIS_URL": REDIS,
        "PLANNER_SECRET_KEY": secrets.token_hex(32),
        "PLANNER_JOBS_DIR": str(workdir / "jobs"),
        "PLANNER_IMPORT_UPLOAD_DIR": str(workdir / "uploads"),
        "FLASK_APP": "planner",
    }
    flask = [str(BIN / "flask"), "--app", "planner"]
    step(f"database {DATABASE}, Redis {REDIS}, files in {workdir}")
    psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{DATABASE}"')
    subprocess.run(
        ["redis-cli", "-u", REDIS, "FLUSHDB"], check=True, capture_output=True
    )
    processes: list[subprocess.Popen] = []
    try:
        for command in (["db", "upgrade"], ["regions", "load"], ["demo", "load"]):
            run(flask + command, cwd=ROOT, env=env)
        run(
            flask + ["users", "create-admin", ADMIN],
            cwd=ROOT,
            env=env,
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        step("schema, regions, demo data and an admin are in place")
        port = free_port()
        log = open(workdir / "processes.log", "wb")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "--workers",
                    "4",
                    "--timeout",
                    "30",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        processes.append(
            subprocess.Popen(
                flask + ["jobs", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        base = f"http://127.0.0.1:{port}"
        browser = Browser(base)
        for _ in range(100):
            try:
                if browser.request("/auth/login")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            fail("gunicorn did not answer:\n" + (workdir / "processes.log").read_text())
        step(f"gunicorn (4 workers) on {base} and the job worker are up")

        token = browser.csrf("/auth/login")
        status, headers, _b, _t = browser.post(
            "/auth/login", {"csrf_token": token, "email": ADMIN, "password": PASSWORD}
        )
        if status != 302:
            fail(f"sign-in answered {status}")
        step("signed in")

        event_id = int(psql("SELECT min(id) FROM events", DATABASE))
        token = browser.csrf(f"/events/{event_id}/import/")
        status, headers, _b, took = browser.post(
            f"/events/{event_id}/import/",
            {"csrf_token": token},
            files={"file": ("peserta.csv", CSV.encode())},
        )
        if status != 302:
            fail(f"upload answered {status}")
        step(f"import uploaded in {took * 1000:.0f} ms; following its job")
        job = browser.follow_job(headers["Location"])
        status, headers, _b, _t = browser.request(job)
        if status != 302 or "/preview" not in headers["Location"]:
            fail(f"finished check led to {status} {headers.get('Location')}")
        status, _h, body, _t = browser.request(headers["Location"])
        if status != 200 or b"Siti Rahmawati" not in body:
            fail(f"preview answered {status} without the uploaded rows")
        step("import preview shows the uploaded rows")

        token = browser.csrf(f"/events/{event_id}/plan")
        status, headers, _b, took = browser.post(
            f"/events/{event_id}/plan", {"csrf_token": token}
        )
        if status != 302:
            fail(f"plan export answered {status}")
        step(f"plan export queued in {took * 1000:.0f} ms")
        job = browser.follow_job(headers["Location"])
        status, headers, body, _t = browser.request(job + "/download")
        if status != 200 or b'"format"' not in body[:200]:
            fail(f"plan download answered {status}")
        step(f"plan downloaded: {len(body):,} bytes")

        feed = psql(
            "SELECT d.feed_token FROM delegates d JOIN delegations g ON "
            "g.id = d.delegation_id JOIN events e ON e.id = g.event_id "
            "WHERE d.feed_token IS NOT NULL AND e.status <> 'draft' LIMIT 1",
            DATABASE,
        )
        status, headers, body, _t = browser.request(f"/feeds/{feed}.ics")
        if status != 200 or not body.startswith(b"BEGIN:VCALENDAR"):
            fail(f"calendar feed answered {status}")
        step(f"calendar feed: {body.count(b'BEGIN:VEVENT')} events")
        step("OK")
        return 0
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        subprocess.run(["redis-cli", "-u", REDIS, "FLUSHDB"], capture_output=True)
        step("processes stopped, database dropped")


if __name__ == "__main__":
    sys.exit(main())
