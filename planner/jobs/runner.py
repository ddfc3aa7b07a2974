"""Running one job: its record says running, a heartbeat, progress, then the outcome.

The same code runs in the worker (``flask jobs worker``, a fresh application context
per job) and in the request's process when no Redis is configured. A job's writes go
through :func:`planner.commit.transaction`, so a job that fails or whose worker is
killed leaves nothing half-written.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections.abc import Callable

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _

from planner.jobs import store
from planner.services import PlannerError

#: Seconds between heartbeats while a job runs.
HEARTBEAT_SECONDS = 2.0
#: ``app.extensions`` key: the pid of ``flask jobs worker`` (its horses fork from it).
WORKER_PID = "planner_jobs_worker_pid"
#: Least seconds between two progress writes of the record.
PROGRESS_EVERY = 0.25


class RunningJob:
    """What a task sees: its parameters, progress reporting and where results go."""

    def __init__(self, record: store.JobRecord) -> None:
        self.record = record
        self.params = record.params
        self._lock = threading.Lock()
        self._saved_at = 0.0
        self._dir = store.jobs_dir()

    # Progress -----------------------------------------------------------------
    def progress(self, done: int, total: int | None = None) -> None:
        """Say how far the job got (``done`` of ``total`` steps)."""
        with self._lock:
            self.record.done = max(0, int(done))
            if total is not None:
                self.record.total = max(0, int(total))
            self._save_soon()

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps done (``click.progressbar.update``'s shape)."""
        with self._lock:
            self.record.done += int(steps)
            self._save_soon()

    def set_total(self, total: int) -> None:
        with self._lock:
            self.record.total = max(0, int(total))
            self._save_soon(force=True)

    def _save_soon(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._saved_at >= PROGRESS_EVERY:
            self._saved_at = now
            self.record.heartbeat_at = time.time()
            store.save(self.record, self._dir)

    def beat(self) -> None:
        with self._lock:
            self.record.heartbeat_at = time.time()
            store.save(self.record, self._dir)

    # Results ------------------------------------------------------------------
    def input(self) -> bytes:
        """The file the job was started with."""
        content = store.read_file(self.record.id, "input")
        if content is None:
            raise PlannerError(_("Berkas pekerjaan ini sudah tidak ada; mulai lagi."))
        return content

    def attach(self, content: bytes, name: str, mimetype: str) -> None:
        """Keep ``content`` as the job's file to download."""
        store.write_file(self.record.id, "result", content)
        self.record.file_name = name
        self.record.mimetype = mimetype


def perform(job_id: str) -> None:
    """The RQ entry point: run the job in a fresh application context."""
    if has_app_context():
        app = current_app._get_current_object()
    else:
        from planner import create_app

        app = create_app()
    with app.app_context():
        from planner.extensions import db

        # A forked work horse must not share its parent's connections (the parent
        # worker noted its pid); elsewhere the pool is this process's own.
        parent = app.extensions.get(WORKER_PID)
        if parent is not None and parent != os.getpid():
            db.engine.dispose(close=False)
        run(job_id)
        db.session.remove()


def run(
    job_id: str, tasks: dict[str, Callable] | None = None
) -> store.JobRecord | None:
    """Run the job in the current application context; returns its final record."""
    from planner.jobs.tasks import task_for

    record = store.load(job_id)
    if record is None or record.finished:
        return record
    job = RunningJob(record)
    record.status = store.RUNNING
    record.pid = os.getpid()
    job.beat()
    stop = threading.Event()
    heart = threading.Thread(target=_heartbeat, args=(job, stop), daemon=True)
    heart.start()
    try:
        with force_locale(record.locale):
            try:
                task = task_for(record.kind)
                task(job)
            except PlannerError as exc:
                record.status = store.REFUSED
                record.message = str(exc)
                record.problems = [
                    {
                        "path": getattr(p, "path", ""),
                        "message": getattr(p, "message", str(p)),
                    }
                    for p in getattr(exc, "problems", None) or []
                ]
            except Exception:
                current_app.logger.error(
                    "job %s (%s) failed:\n%s",
                    job_id,
                    record.kind,
                    traceback.format_exc(),
                )
                record.status = store.FAILED
                record.message = _(
                    "Pekerjaan gagal karena kesalahan di server; tidak ada yang "
                    "disimpan. Coba lagi, atau hubungi admin bila terulang."
                )
            else:
                record.status = store.DONE
                record.done = max(record.done, record.total)
    finally:
        stop.set()
        heart.join(timeout=HEARTBEAT_SECONDS * 2)
        with job._lock:
            record.heartbeat_at = time.time()
            store.save(record)
    return record


def _heartbeat(job: RunningJob, stop: threading.Event) -> None:
    """Say "still alive" while the task works (a dead worker stops saying it)."""
    interval = float(job.params.get("_heartbeat", HEARTBEAT_SECONDS))
    while not stop.wait(interval):
        job.beat()
