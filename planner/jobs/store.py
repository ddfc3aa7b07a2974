"""Job records and result files in ``instance/jobs/`` (``JOBS_DIR``), swept after a day.

One JSON file per job says who started it, what it is doing and how far it got; the
result, when it is a file, sits beside it. Files (not Redis) so that a record outlives a
reload, a worker's death and a Redis restart, and so that in-process jobs (no Redis)
need nothing more. In a deployment the web and worker processes share the folder
(``deploy/compose.yaml`` mounts one volume for both).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from flask import current_app

#: Seconds a finished job's record and file are kept.
KEEP_SECONDS = 24 * 60 * 60
_ID = re.compile(r"^[0-9a-f]{32}$")

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
REFUSED = "refused"
FAILED = "failed"
FINISHED = frozenset({DONE, REFUSED, FAILED})


@dataclass
class JobRecord:
    """What one job is, whose it is and how far it got."""

    id: str
    kind: str
    user_id: int | None
    params: dict = field(default_factory=dict)
    locale: str = "id"
    status: str = QUEUED
    done: int = 0
    total: int = 0
    #: The refusal or failure, in the starter's language.
    message: str = ""
    #: Problems of a refused file (``[{"path": …, "message": …}]``).
    problems: list = field(default_factory=list)
    #: What the job made, for the page that shows it (JSON-able).
    result: dict = field(default_factory=dict)
    file_name: str | None = None
    mimetype: str | None = None
    #: Where the person goes when the job is done.
    next_url: str | None = None
    #: Where "back" leads (the form that started it).
    back_url: str | None = None
    created_at: float = field(default_factory=time.time)
    heartbeat_at: float = 0.0
    #: The job that retried this one (pages follow it).
    retried_by: str | None = None
    #: The process running it (RQ's work horse), for the logs.
    pid: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == DONE:
            return 100
        if not self.total:
            return 0
        return max(0, min(99, int(100 * self.done / self.total)))


def jobs_dir() -> Path:
    """``JOBS_DIR``, by default ``instance/jobs``."""
    configured = current_app.config.get("JOBS_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_id() -> str:
    return secrets.token_hex(16)


def valid_id(job_id: str) -> bool:
    return bool(_ID.match(job_id or ""))


def path_of(job_id: str, suffix: str) -> Path:
    if not valid_id(job_id):
        raise ValueError("bad job id")
    return jobs_dir() / f"{job_id}.{suffix}"


def save(record: JobRecord, directory: Path | None = None) -> None:
    """Write the record atomically (readers never see half a file)."""
    if not valid_id(record.id):
        raise ValueError("bad job id")
    target = (directory or jobs_dir()) / f"{record.id}.json"
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(asdict(record)))
    os.replace(temporary, target)


def load(job_id: str) -> JobRecord | None:
    """The record, or None when there is none (unknown, malformed or swept id)."""
    if not valid_id(job_id):
        return None
    try:
        data = json.loads(path_of(job_id, "json").read_text())
    except (OSError, ValueError):
        return None
    known = JobRecord.__dataclass_fields__
    return JobRecord(**{k: v for k, v in data.items() if k in known})


def write_file(job_id: str, suffix: str, content: bytes) -> Path:
    path = path_of(job_id, suffix)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
    return path


def read_file(job_id: str, suffix: str) -> bytes | None:
    try:
        return path_of(job_id, suffix).read_bytes()
    except (OSError, ValueError):
        return None


def remove(job_id: str) -> None:
    for path in jobs_dir().glob(f"{job_id}.*"):
        path.unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Delete jobs' files older than a day; returns how many files went."""
    limit = (now or time.time()) - KEEP_SECONDS
    removed = 0
    for path in jobs_dir().iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed
