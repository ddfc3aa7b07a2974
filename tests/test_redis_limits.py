"""Sign-in limits shared through Redis hold across gunicorn workers.

Four real gunicorn workers (separate processes, each its own limiter) serve the app on
loopback; 15 wrong passwords from one address, each on a new connection so they
spread over the workers: with ``RATELIMIT_STORAGE_URI=redis://…`` exactly the first
10 are answered and the rest refused (429). With the default ``memory://`` each
worker counts alone (shown too, so the test proves it measures something).

Needs the machine's Redis (``REDIS_URL``, default 127.0.0.1:6379). CI sets
``REQUIRE_SERVICES=1``: then an unreachable Redis fails the test instead of skipping.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from planner import create_app
from planner.extensions import db

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
WORKERS = 4
ATTEMPTS = 15
LIMIT = 10


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        message = f"Redis at {REDIS_URL} is unreachable: {exc}"
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message + " (set REQUIRE_SERVICES=1 to make this a failure)")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path, storage: str):
    """gunicorn with 4 workers on a fresh SQLite database; returns (process, url)."""
    database = f"sqlite:///{tmp_path / 'limits.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "x"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 (closed by the caller)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "PLANNER_SECRET_KEY": "limits-test-secret",
        "PLANNER_WTF_CSRF_ENABLED": "false",
        "PLANNER_RATELIMIT_STORAGE_URI": storage,
        "PLANNER_LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--graceful-timeout",
            "1",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        log.close()
        raise AssertionError((tmp_path / "gunicorn.log").read_text()[-2000:])
    time.sleep(0.5)  # let every worker come up
    return process, url


def _wrong_passwords(url: str) -> list[int]:
    body = urllib.parse.urlencode(
        {"email": "siapa@example.org", "password": "salah-sekali-123"}
    ).encode()
    codes = []
    for _ in range(ATTEMPTS):
        request = urllib.request.Request(f"{url}/auth/login", data=body)
        request.add_header("Connection", "close")  # a new connection each time
        try:
            codes.append(urllib.request.urlopen(request, timeout=10).status)
        except urllib.error.HTTPError as exc:
            codes.append(exc.code)
    return codes


@pytest.mark.parametrize("storage", ["redis", "memory"])
def test_sign_in_limit_across_four_workers(tmp_path, storage):
    client = _redis()
    client.flushdb()
    uri = REDIS_URL if storage == "redis" else "memory://"
    process, url = _serve(tmp_path, uri)
    try:
        codes = _wrong_passwords(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.log.close()
        client.flushdb()
    answered = sum(1 for code in codes if code != 429)
    if storage == "redis":
        assert answered == LIMIT, codes
        assert codes[LIMIT:] == [429] * (ATTEMPTS - LIMIT)
    else:
        # Each worker keeps its own count: more than the limit get through.
        assert answered > LIMIT, codes
