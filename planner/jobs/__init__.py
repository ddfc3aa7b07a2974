"""Long work as jobs: import previews and commits, plan imports and exports.

A view calls :func:`start`; with Redis configured (``REDIS_URL``) the job goes on an RQ
queue and a worker (``flask jobs worker``) runs it while the person watches a progress
page (``/jobs/<id>``); without Redis (``make run``) it runs at once, in the request, and
the view goes on as if nothing had been queued. Records and result files live in
``instance/jobs/`` (:mod:`planner.jobs.store`); only the person who started a job, or an
admin, may see it.
"""

from __future__ import annotations

import time

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from planner.jobs import store
from planner.jobs.store import (
    DONE,
    FAILED,
    FINISHED,
    QUEUED,
    REFUSED,
    RUNNING,
    JobRecord,
)
from planner.services import PlannerError
from planner.shared_state import redis_client

__all__ = [
    "DONE",
    "FAILED",
    "FINISHED",
    "QUEUED",
    "REFUSED",
    "RUNNING",
    "JobRecord",
    "JobsUnavailable",
    "latest",
    "may_see",
    "queue_name",
    "retry",
    "start",
    "status",
]

#: Seconds a running job may go without a heartbeat before it counts as dead.
STALE_SECONDS = 30
#: Seconds RQ lets one job run before it stops it.
JOB_TIMEOUT = 60 * 60


class JobsUnavailable(PlannerError):
    """The queue (Redis) cannot be reached: the job was not started."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Antrean pekerjaan sedang tidak dapat dihubungi, jadi pekerjaan ini "
                "belum dimulai. Halaman lain tetap bisa dipakai; coba lagi sebentar lagi."
            )
        )


def queue_name(app=None) -> str:
    """The RQ queue's name: ``JOBS_QUEUE``, by default ``rombongan``."""
    app = app or current_app
    return app.config.get("JOBS_QUEUE") or "rombongan"


def _queue(client):
    from rq import Queue

    return Queue(queue_name(), connection=client, default_timeout=JOB_TIMEOUT)


def start(
    kind: str,
    *,
    user,
    params: dict | None = None,
    input: bytes | None = None,
    next_url: str | None = None,
    back_url: str | None = None,
) -> JobRecord:
    """Start a job for ``user``; returns its record (already finished without Redis).

    Raises :class:`JobsUnavailable` when Redis is configured but unreachable.
    """
    record = JobRecord(
        id=store.new_id(),
        kind=kind,
        user_id=getattr(user, "id", None),
        params=dict(params or {}),
        locale=str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]),
        next_url=next_url,
        back_url=back_url,
    )
    store.sweep()
    if input is not None:
        store.write_file(record.id, "input", input)
    store.save(record)
    client = redis_client()
    if client is None:
        from planner.jobs.runner import run

        return run(record.id) or record
    try:
        _queue(client).enqueue_call(
            "planner.jobs.runner.perform",
            args=(record.id,),
            job_id=record.id,
            timeout=JOB_TIMEOUT,
            result_ttl=store.KEEP_SECONDS,
            failure_ttl=store.KEEP_SECONDS,
        )
    except Exception as exc:
        import redis

        store.remove(record.id)
        if isinstance(exc, redis.exceptions.RedisError):
            current_app.logger.warning("jobs: Redis unreachable: %s", exc)
            raise JobsUnavailable() from None
        raise
    return record


def status(job_id: str) -> JobRecord | None:
    """The record, marked failed when its worker died (no heartbeat, or RQ says so)."""
    record = store.load(job_id)
    if record is None or record.finished:
        return record
    stale = float(current_app.config.get("JOBS_STALE_SECONDS", STALE_SECONDS))
    dead = record.status == RUNNING and time.time() - record.heartbeat_at > stale
    if not dead and redis_client() is not None:
        dead = _rq_says_failed(job_id)
    if dead:
        # Someone else may have finished it in the meantime: look once more.
        again = store.load(job_id)
        if again is None or again.finished:
            return again
        record = again
        record.status = FAILED
        record.message = _(
            "Pekerjaan terhenti karena prosesnya mati di tengah jalan; tidak ada yang "
            "disimpan. Silakan coba lagi."
        )
        store.save(record)
    return record


def _rq_says_failed(job_id: str) -> bool:
    """RQ marked the job failed or stopped (its work horse died before ours wrote)."""
    try:
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(job_id, connection=redis_client())
        except NoSuchJobError:
            return False
        return job.get_status(refresh=False) in ("failed", "stopped", "canceled")
    except Exception:  # Redis down: the heartbeat still decides
        return False


def may_see(user, record: JobRecord) -> bool:
    """Only the person who started the job, or an admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin) or (
        record.user_id is not None and record.user_id == user.id
    )


def retry(record: JobRecord, *, user) -> JobRecord:
    """Start the same job again (after a failure); its input file is reused."""
    content = store.read_file(record.id, "input")
    again = start(
        record.kind,
        user=user,
        params=record.params,
        input=content,
        next_url=record.next_url,
        back_url=record.back_url,
    )
    record.retried_by = again.id
    store.save(record)
    return again


def latest(job_id: str) -> JobRecord | None:
    """The job, or the retry that replaced it (and so on)."""
    record = status(job_id)
    seen = {job_id}
    while record is not None and record.retried_by and record.retried_by not in seen:
        seen.add(record.retried_by)
        record = status(record.retried_by)
    return record
