"""Terminal commands for backups (SQLite); PostgreSQL uses pg_dump (docs/backups.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app

from planner.blueprints.backup import bp
from planner.services.backup import BackupError, backup_sqlite, restore_sqlite


def _summary(result) -> str:
    rows = sum(result.tables.values())
    return f"{result.path} ({result.size:,} bytes, {len(result.tables)} tables, {rows:,} rows)"


@bp.cli.command("backup")
@click.argument(
    "target", required=False, type=click.Path(dir_okay=False, path_type=Path)
)
def backup_command(target: Path | None) -> None:
    """Copy the SQLite database to TARGET (default: instance/backups/…), online."""
    try:
        result = backup_sqlite(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written: {_summary(result)}")


@bp.cli.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(backup: Path, yes: bool) -> None:
    """Replace the SQLite database's content with BACKUP (stop the app first)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if not yes:
        click.confirm(
            f"Replace everything in {url} with {backup}?", abort=True, default=False
        )
    try:
        result = restore_sqlite(url, backup)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored: {_summary(result)}")
