"""``flask backup`` / ``flask restore``: a restored SQLite backup holds every row."""

from pathlib import Path

import sqlalchemy as sa

from planner.extensions import db
from planner.services.backup import BackupError, backup_sqlite


def _everything(app) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with app.app_context():
        with db.engine.connect() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(
                        sa.select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in db.metadata.sorted_tables
            }


def _sqlite(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")


def test_backup_then_restore_finds_every_row(
    app, runner, tmp_path, make_delegate, make_leg, make_vehicle
):
    delegate = make_delegate()
    make_vehicle(event=delegate.event)
    make_leg()
    target = tmp_path / "copy.sqlite"
    result = runner.invoke(args=["backup", str(target)])
    if not _sqlite(app):
        assert result.exit_code != 0
        assert "pg_dump" in result.output
        assert not target.exists()
        return
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    before = _everything(app)
    assert before["delegates"] and before["legs"] and before["regions"]

    with app.app_context():  # lose data after the backup
        db.session.execute(sa.text("DELETE FROM legs"))
        db.session.execute(sa.text("UPDATE people SET full_name = 'Tertimpa'"))
        db.session.commit()
        db.engine.dispose()
    assert _everything(app) != before

    refused = runner.invoke(args=["restore", str(target)], input="n\n")
    assert refused.exit_code != 0
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    assert _everything(app) == before


def test_backup_refuses_to_overwrite_and_bad_files(app, runner, tmp_path):
    if not _sqlite(app):
        return  # the PostgreSQL refusal is asserted above
    target = tmp_path / "copy.sqlite"
    target.write_text("already here")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "sudah ada" in result.output
    assert target.read_text() == "already here"

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert "bukan" in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "none.sqlite"), "--yes"])
    assert missing.exit_code != 0 and "tidak ada" in missing.output


def test_default_target_lives_beside_the_database(app, tmp_path):
    if not _sqlite(app):
        try:
            backup_sqlite(app.config["SQLALCHEMY_DATABASE_URI"])
        except BackupError as exc:
            assert "PostgreSQL" in str(exc)
        else:
            raise AssertionError("a PostgreSQL backup must be refused")
        return
    with app.app_context():
        result = backup_sqlite(app.config["SQLALCHEMY_DATABASE_URI"])
    database = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    assert result.path.parent == database.parent / "backups"
    assert result.tables["regions"] > 500
    result.path.unlink()


def test_every_file_a_backup_writes_is_private(app, runner, tmp_path, make_delegate):
    if not _sqlite(app):
        return
    make_delegate()
    with app.app_context():  # the live database runs in WAL mode, as in production
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    folder = tmp_path / "backups"
    result = runner.invoke(args=["backup", str(folder / "copy.sqlite")])
    assert result.exit_code == 0, result.output
    modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir()}
    # One self-contained file: no -wal/-shm or .partial beside it, nothing readable
    # by others (the WAL holds NIKs and phone numbers as much as the database).
    assert modes == {"copy.sqlite": 0o600}
    assert folder.stat().st_mode & 0o077 == 0
