"""Jobs: in the request without Redis, on RQ with it; who may see them; faults.

Tests that need Redis take ``REDIS_URL`` (CI: redis://127.0.0.1:6379/15) and skip when
it is unset, unless ``REQUIRE_SERVICES=1``; each pytest-xdist worker gets its own
queue name. Faults: Redis down (pages served, jobs refused with a message), the
worker killed mid-job (the job is marked failed, nothing written, retry works),
PostgreSQL dropping the app's connections (the next request still succeeds).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner import jobs
from planner.commit import transaction
from planner.extensions import db
from planner.jobs import runner, store
from planner.models import Place, PlaceKind
from tests.conftest import region

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("REDIS_URL")
#: Its own queue per pytest-xdist worker: they share one Redis database.
QUEUE = f"test-jobs-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
#: Nothing listens there: Redis "down".
DOWN_URL = "redis://127.0.0.1:9/0"


def _redis_or_skip():
    message = "REDIS_URL is not set"
    if REDIS_URL:
        import redis

        try:
            client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
            client.ping()
            return client
        except redis.exceptions.ConnectionError as exc:
            message = f"Redis at {REDIS_URL} is unreachable: {exc}"
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(message)
    pytest.skip(message + " (set REQUIRE_SERVICES=1 to make this a failure)")


def slow_write(job) -> None:
    """A test task: writes a place, says it is half done, then waits to be killed."""
    with transaction():
        db.session.add(
            Place(
                name="Tempat Setengah Jadi",
                kind=PlaceKind.VENUE,
                region=region("19.71"),
                lat=-2.1,
                lon=106.1,
            )
        )
        db.session.flush()
        job.progress(1, 2)
        time.sleep(float(job.params.get("sleep", 60)))


@pytest.fixture
def app_config(tmp_path):
    """Each test's job files in its own folder."""
    return {"JOBS_DIR": str(tmp_path / "jobs")}


@pytest.fixture
def organiser(make_user, login):
    user = make_user("organiser", email="jobs.org@example.org")
    login(user)
    return user


# Without Redis ---------------------------------------------------------------------


def test_without_redis_a_plan_export_is_a_download_and_leaves_a_record(
    client, organiser, make_event
):
    event = make_event(organisers=[organiser])
    response = client.post(f"/events/{event.id}/plan", data={})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    records = [store.load(p.stem) for p in store.jobs_dir().glob("*.json")]
    assert [(r.kind, r.status, r.user_id) for r in records] == [
        ("plan_export", "done", organiser.id)
    ]
    job_id = records[0].id
    assert client.get(f"/jobs/{job_id}/status").get_json()["status"] == "done"
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert f"/jobs/{job_id}/download" in page
    assert client.get(f"/jobs/{job_id}/download").data == response.data


def test_a_job_page_refuses_other_people_and_unknown_ids(
    client, app, organiser, make_user, make_event, login
):
    event = make_event(organisers=[organiser])
    client.post(f"/events/{event.id}/plan", data={})
    job_id = next(store.jobs_dir().glob("*.json")).stem
    other = make_user("organiser", email="other.org@example.org")
    client.post("/auth/logout")
    login(other)
    assert client.get(f"/jobs/{job_id}").status_code == 404
    assert client.get(f"/jobs/{job_id}/download").status_code == 404
    assert client.get("/jobs/not-an-id").status_code == 404
    assert client.get("/jobs/" + "0" * 32 + "/status").status_code == 404


def test_a_running_job_without_heartbeat_is_marked_failed_and_can_be_retried(
    app, client, organiser, make_event
):
    event = make_event(organisers=[organiser])
    app.config["JOBS_STALE_SECONDS"] = 5
    record = store.JobRecord(
        id=store.new_id(),
        kind="plan_export",
        user_id=organiser.id,
        params={"event_id": event.id},
        status=store.RUNNING,
        heartbeat_at=time.time() - 60,
        back_url=f"/events/{event.id}/plan",
    )
    store.save(record)
    page = client.get(f"/jobs/{record.id}")
    assert page.status_code == 200
    assert "Coba lagi" in page.get_data(as_text=True)
    assert store.load(record.id).status == "failed"
    again = client.post(f"/jobs/{record.id}/retry", data={})
    assert again.status_code == 302
    new_id = again.location.rsplit("/", 1)[-1]
    assert new_id != record.id
    assert store.load(new_id).status == "done"  # no Redis: ran in the request
    # The old job's page now leads to its retry.
    assert client.get(f"/jobs/{record.id}").location.endswith(f"/jobs/{new_id}")


def test_the_job_page_refreshes_itself_without_javascript(app, client, organiser):
    record = store.JobRecord(
        id=store.new_id(),
        kind="plan_import",
        user_id=organiser.id,
        status=store.RUNNING,
        done=3,
        total=10,
        heartbeat_at=time.time(),
    )
    store.save(record)
    page = client.get(f"/jobs/{record.id}").get_data(as_text=True)
    assert '<meta http-equiv="refresh"' in page
    assert 'value="30"' in page and re.search(r"js/jobs\.[0-9a-f]+\.js", page)
    status = client.get(f"/jobs/{record.id}/status").get_json()
    assert status == {
        "status": "running",
        "done": 3,
        "total": 10,
        "percent": 30,
        "finished": False,
        "message": "",
    }


def test_old_job_files_are_swept(app_ctx):
    record = store.JobRecord(id=store.new_id(), kind="plan_export", user_id=None)
    store.save(record)
    assert store.sweep(now=time.time() + store.KEEP_SECONDS + 10) == 1
    assert store.load(record.id) is None


# Redis down ------------------------------------------------------------------------


def test_with_redis_down_pages_are_served_and_jobs_refused_with_a_message(
    app, make_user, make_event
):
    from planner import create_app
    from tests.conftest import IsolatedClient

    organiser = make_user("organiser", email="jobs.down@example.org")
    event = make_event(organisers=[organiser])
    down = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "JOBS_DIR": app.config["JOBS_DIR"],
            # The limiter and the queue both point at a Redis that is not there.
            "REDIS_URL": DOWN_URL,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    assert down.config["RATELIMIT_STORAGE_URI"] == DOWN_URL
    down.test_client_class = IsolatedClient
    client = down.test_client()
    assert client.get("/auth/login").status_code == 200
    wrong = [
        client.post("/auth/login", data={"email": organiser.email, "password": "x"})
        for _ in range(5)
    ]
    # No 500: the limiter swallows the storage error (and falls back to memory for
    # the limits it checks before the view; the sign-in limit that only counts
    # failed attempts is not enforced while Redis is away).
    assert {r.status_code for r in wrong} <= {200, 429}
    client = down.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = organiser.get_id()
        session["_fresh"] = True
    assert client.get("/events/").status_code == 200
    assert client.get(f"/events/{event.id}").status_code == 200
    response = client.post(f"/events/{event.id}/plan", data={})
    assert response.status_code == 200
    assert "Antrean pekerjaan sedang tidak dapat dihubungi" in response.get_data(
        as_text=True
    )
    with down.app_context():
        assert list(store.jobs_dir().glob("*")) == []
    with down.app_context():
        db.engine.dispose()


# With Redis ------------------------------------------------------------------------


@pytest.fixture
def queued(app):
    """The app on the test Redis with its own queue; the queue is emptied after."""
    client = _redis_or_skip()
    app.config["REDIS_URL"] = REDIS_URL
    app.config["JOBS_QUEUE"] = QUEUE
    from planner import shared_state

    shared_state.init_app(app)
    yield client
    from rq import Queue

    Queue(QUEUE, connection=client).empty()
    for key in client.scan_iter(f"rq:*{QUEUE}*"):
        client.delete(key)


def _work_once(redis_client) -> None:
    """Run the queued jobs here, as the worker would (no fork)."""
    from rq import Queue, SimpleWorker

    queue = Queue(QUEUE, connection=redis_client)
    SimpleWorker([queue], connection=redis_client).work(burst=True)


def test_with_redis_an_export_is_queued_then_downloaded(
    queued, app, client, organiser, make_event
):
    event = make_event(organisers=[organiser])
    response = client.post(f"/events/{event.id}/plan", data={})
    assert response.status_code == 302 and "/jobs/" in response.location
    job_id = response.location.rsplit("/", 1)[-1]
    assert client.get(f"/jobs/{job_id}/status").get_json()["status"] == "queued"
    assert "Menunggu giliran" in client.get(f"/jobs/{job_id}").get_data(as_text=True)
    with app.app_context():
        _work_once(queued)
    status = client.get(f"/jobs/{job_id}/status").get_json()
    assert status["status"] == "done" and status["percent"] == 100
    download = client.get(f"/jobs/{job_id}/download")
    assert download.status_code == 200 and b'"format"' in download.data


def _worker(app, tmp_path, database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PLANNER_SECRET_KEY": "jobs-test",
        "PLANNER_REDIS_URL": REDIS_URL,
        "PLANNER_JOBS_QUEUE": QUEUE,
        "PLANNER_JOBS_DIR": str(store.jobs_dir()),
        "PLANNER_TESTING": "true",
    }
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 (closed by the caller)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "planner", "jobs", "worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return process, log


# On PostgreSQL the pool's connections to a backend whose peer was killed are
# collected while open (a ResourceWarning about psycopg, not about the app).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_killed_worker_leaves_nothing_written_and_the_job_failed(
    queued, app, client, organiser, database_url, tmp_path
):
    app.config["JOBS_STALE_SECONDS"] = 3
    with app.test_request_context():
        record = jobs.start(
            "tests.test_jobs:slow_write",
            user=organiser,
            params={"sleep": 120, "_heartbeat": 0.5},
        )
    process, log = _worker(app, tmp_path, database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            current = store.load(record.id)
            if current.status == "running" and current.done == 1:
                break
            assert process.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(0.2)
        else:
            pytest.fail(
                "the worker never started the job:\n"
                + (tmp_path / "worker.log").read_text()
            )
    finally:
        # RQ's work horse runs in a process group of its own: kill both.
        horse = store.load(record.id).pid
        if horse and horse != process.pid:
            os.kill(horse, signal.SIGKILL)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()
    time.sleep(4)
    status = client.get(f"/jobs/{record.id}/status").get_json()
    assert status["status"] == "failed"
    assert "coba lagi" in status["message"].lower()
    with app.app_context():
        names = db.session.scalars(sa.select(Place.name)).all()
    assert "Tempat Setengah Jadi" not in names
    again = client.post(f"/jobs/{record.id}/retry", data={})
    assert again.status_code == 302
    assert store.load(again.location.rsplit("/", 1)[-1]).status == "queued"


def test_the_runner_marks_a_crashing_task_failed_and_rolls_back(app_ctx, monkeypatch):
    def crash(job):
        with transaction():
            job.progress(1, 1)
            raise RuntimeError("boom")

    from planner.jobs import tasks

    monkeypatch.setitem(tasks.TASKS, "crash", crash)
    record = store.JobRecord(id=store.new_id(), kind="crash", user_id=None)
    store.save(record)
    final = runner.run(record.id)
    assert final.status == "failed" and "Coba lagi" in final.message


# PostgreSQL restarting ---------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_dropped_database_connections_are_replaced_not_a_500(
    app, client, organiser, make_event, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    event = make_event(organisers=[organiser])
    assert client.get(f"/events/{event.id}").status_code == 200
    db.session.close()  # the test's own connection goes back to the pool too
    killer = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with killer.connect() as conn:
        killed = conn.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    killer.dispose()
    assert killed >= 1
    for _ in range(3):
        assert client.get(f"/events/{event.id}").status_code == 200


def test_with_redis_an_import_goes_through_its_jobs_to_the_event(
    queued, app, client, make_user, make_event, make_delegation, login
):
    from planner.models import Delegate
    from tests.test_imports import csv_bytes, upload

    organiser = make_user("organiser", email="jobs.import@example.org")
    event = make_event(organisers=[organiser])
    make_delegation(event, region=region("32.75"), quota=3)
    login(organiser)
    app.config["IMPORT_UPLOAD_DIR"] = str(Path(app.config["JOBS_DIR"]).parent / "up")
    rows = [
        ["Nama Lengkap", "Jenis Kelamin", "Kabupaten/Kota"],
        ["Siti Aminah", "P", "Kota Bekasi"],
        ["Rina Wati", "P", "Kota Bekasi"],
    ]
    response = upload(client, event.id, csv_bytes(rows), "peserta.csv")
    assert response.status_code == 302 and "/jobs/" in response.location
    check = response.location.rsplit("/", 1)[-1]
    with app.app_context():
        _work_once(queued)
    to_preview = client.get(f"/jobs/{check}")
    assert to_preview.status_code == 302 and "/preview" in to_preview.location
    preview = client.get(to_preview.location)
    assert "Siti Aminah" in preview.get_data(as_text=True)
    token = to_preview.location.split("/import/")[1].split("/")[0]
    committed = client.post(f"/events/{event.id}/import/{token}/import", data={})
    assert committed.status_code == 302 and "/jobs/" in committed.location
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Delegate.id))) == 0
        _work_once(queued)
    done = client.get(committed.location, follow_redirects=True)
    assert "Impor selesai: 2 orang diusulkan" in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Delegate.id))) == 2
