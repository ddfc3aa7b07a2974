"""``flask delegations import EVENT FILE``: the upload page's import, from a terminal."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa

from planner.blueprints.imports import bp
from planner.commit import discard, transaction
from planner.extensions import db
from planner.models import Event
from planner.services import PlannerError
from planner.services.imports import (
    MAX_UPLOAD_BYTES,
    ImportInvalid,
    guess_mapping,
    import_delegates,
    normalise_heading,
    read_table,
)


def _find_event(ref: str) -> Event | None:
    """The event with this slug, or this id."""
    event = db.session.scalar(sa.select(Event).filter_by(slug=ref))
    if event is None and ref.isdigit() and len(ref) < 12:
        event = db.session.get(Event, int(ref))
    return event


@bp.cli.command("import")
@click.argument("event_ref", metavar="EVENT")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row, write nothing.")
def import_command(event_ref: str, path: str, dry_run: bool) -> None:
    """Import delegates from an XLSX or CSV file into EVENT (its slug or id).

    Every row is checked first; on any error the errors are printed by row and
    column, nothing is written and the exit code is 1.
    """
    event = _find_event(event_ref)
    if event is None:
        raise click.ClickException(f"Acara {event_ref!r} tidak ditemukan.")
    file = Path(path)
    if not file.is_file():
        raise click.ClickException(f"Berkas {path!r} tidak ditemukan.")
    if file.stat().st_size > MAX_UPLOAD_BYTES:
        raise click.ClickException("Berkas lebih besar dari 5 MB.")
    try:
        table = read_table(file.read_bytes(), file.name)
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from None
    mapping = guess_mapping(table.headings)
    for heading, key in zip(table.headings, mapping, strict=False):
        if heading.strip() and key is None and normalise_heading(heading):
            click.echo(f"Kolom {heading!r} tidak dikenali: diabaikan.", err=True)
    try:
        with (
            click.progressbar(
                length=2 * len(table.rows), label="Memeriksa dan menyimpan"
            ) as bar,
            transaction(),
        ):
            report = import_delegates(
                event,
                table=table,
                mapping=mapping,
                dry_run=dry_run,
                reveal=True,
                progress=bar.update,
            )
            if dry_run:
                discard()
    except ImportInvalid as exc:
        for error in exc.plan.errors:
            click.echo(str(error), err=True)
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from None
    if dry_run:
        click.echo("Uji coba: tidak ada yang disimpan.")
    click.echo(
        f"{report.nominated} diusulkan ({report.created_people} orang baru, "
        f"{report.matched_people} orang lama), {report.skipped} sudah terdaftar."
    )
