"""Backups of a SQLite database with SQLite's online backup API, and restores.

The online backup copies a consistent snapshot page by page while the application keeps
serving (readers and writers wait only for the few milliseconds of each step). PostgreSQL
is backed up with its own tools (``pg_dump``/``pg_restore``): see docs/backups.md.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy.engine import make_url

from planner.services import PlannerError

#: Pages copied per step of the online backup; between steps the database is free.
PAGES_PER_STEP = 1024


class BackupError(PlannerError):
    """A backup or restore that cannot be done; nothing was changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: dict[str, int]


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite database URL; BackupError for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            _(
                "Perintah ini hanya untuk basis data SQLite. Untuk PostgreSQL pakai "
                "pg_dump dan pg_restore (lihat docs/backups.md)."
            )
        )
    if not url.database or url.database == ":memory:":
        raise BackupError(_("Basis data SQLite ini tidak berada di sebuah berkas."))
    return Path(url.database)


def default_target(database: Path, now: datetime | None = None) -> Path:
    """``<instance>/backups/<name>-YYYYmmdd-HHMMSS.sqlite`` beside the database."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return database.parent / "backups" / f"{database.stem}-{stamp}.sqlite"


def table_counts(path: Path) -> dict[str, int]:
    """Rows per table of a SQLite file (read-only)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }
    finally:
        connection.close()


def _check(path: Path) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
            "AND name IN ('events', 'regions', 'people')"
        ).fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("%(path)s bukan basis data SQLite: %(error)s", path=path, error=exc)
        ) from exc
    finally:
        connection.close()
    if result != "ok":
        raise BackupError(
            _("Berkas %(path)s rusak: %(result)s", path=path, result=result)
        )
    if tables != 3:
        raise BackupError(_("%(path)s bukan cadangan Rombongan.", path=path))


def _copy(source: Path, target: Path, *, single_file: bool = False) -> None:
    """Online backup from ``source`` into ``target``, step by step.

    ``single_file`` leaves ``target`` in rollback-journal mode: the copy of a WAL-mode
    database is WAL too, and every later reader would leave -wal/-shm files beside it.
    """
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        if single_file:
            dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def backup_sqlite(database_url: str, target: Path | None = None) -> BackupResult:
    """Copy the live database to ``target`` (a new file), check it, count its rows."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(_("Basis data %(path)s tidak ada.", path=source))
    target = target or default_target(source)
    if target.exists():
        raise BackupError(_("%(path)s sudah ada; pilih nama lain.", path=target))
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for stale in _with_sidecars(partial):
        stale.unlink(missing_ok=True)
    # Private from its first byte (it holds NIKs and phone numbers); SQLite gives the
    # journal files it creates beside a database the database file's mode.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        _copy(source, partial, single_file=True)
        _check(partial)
    except Exception:
        for path in _with_sidecars(partial):
            path.unlink(missing_ok=True)
        raise
    partial.rename(target)
    target.chmod(0o600)
    return BackupResult(target, target.stat().st_size, table_counts(target))


def _with_sidecars(path: Path) -> list[Path]:
    """A SQLite file and the journal files SQLite may create beside it."""
    return [path] + [
        path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")
    ]


def restore_sqlite(database_url: str, backup: Path) -> BackupResult:
    """Replace the database's content with the backup's (checked first).

    Uses the same online backup API in the other direction, so open connections see
    the restored data instead of a file swapped under them; stop the application
    anyway, or writes made during the restore are lost.
    """
    target = sqlite_path(database_url)
    if not backup.exists():
        raise BackupError(_("Cadangan %(path)s tidak ada.", path=backup))
    _check(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, target)
    return BackupResult(target, target.stat().st_size, table_counts(target))
