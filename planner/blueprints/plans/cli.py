"""``flask plans export SLUG FILE`` and ``flask plans import FILE``."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import gettext as _

from planner.blueprints.plans import bp
from planner.commit import discard, transaction
from planner.extensions import db
from planner.jobs.tasks import with_progress
from planner.models import Event
from planner.services.plans import (
    MAX_PLAN_BYTES,
    PlanInvalid,
    dump_plan,
    export_plan,
    import_plan,
    load_plan,
)


@bp.cli.command("export")
@click.argument("slug")
@click.argument(
    "path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option(
    "--personal-data",
    is_flag=True,
    help="Include NIK and phone numbers (keep such a file safe).",
)
def export_command(slug: str, path: str, personal_data: bool) -> None:
    """Write the plan of the event SLUG to FILE ("-": standard output)."""
    event = db.session.scalar(sa.select(Event).filter_by(slug=slug))
    if event is None:
        raise click.ClickException(_("Acara %(slug)s tidak ditemukan.", slug=slug))
    with _progressbar(_("Menyiapkan rencana")) as bar:
        doc = with_progress(_Bar(bar), export_plan, event, personal_data=personal_data)
        content = dump_plan(doc)
        discard()
    if path == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    Path(path).write_bytes(content)
    click.echo(
        _(
            "Rencana %(slug)s ditulis ke %(path)s (%(size)s byte).",
            slug=slug,
            path=path,
            size=f"{len(content):,}".replace(",", "."),
        )
    )
    if not personal_data:
        click.echo(_("NIK dan nomor telepon tidak disertakan (--personal-data)."))


@bp.cli.command("import")
@click.argument(
    "path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option("--slug", "new_slug", help="Import as this slug instead of the file's.")
@click.option("--title", "new_title", help="Import with this title instead.")
def import_command(path: str, new_slug: str | None, new_title: str | None) -> None:
    """Import the plan in FILE ("-": standard input) as a new event.

    The whole file is checked first; on any problem every one is printed with its
    JSON path, nothing is written and the exit code is 1.
    """
    if path == "-":
        raw = click.get_binary_stream("stdin").read(MAX_PLAN_BYTES + 1)
    else:
        file = Path(path)
        if not file.is_file():
            raise click.ClickException(_("Berkas %(path)s tidak ditemukan.", path=path))
        with file.open("rb") as handle:
            raw = handle.read(MAX_PLAN_BYTES + 1)
    try:
        with (
            _progressbar(_("Mengimpor rencana")) as bar,
            transaction(),
        ):
            result = with_progress(
                _Bar(bar),
                import_plan,
                load_plan(raw),
                slug=new_slug,
                title=new_title,
                by_user=None,
            )
            event = result.event
            db.session.flush()
            slug, title = event.slug, event.title
    except PlanInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(str(exc), err=True)
        raise SystemExit(1) from None
    click.echo(
        _(
            "Acara %(slug)s dibuat (“%(title)s”): %(created)s orang baru, %(matched)s "
            "orang sudah ada; %(new_places)s tempat baru, %(old_places)s tempat sudah "
            "ada.",
            slug=slug,
            title=title,
            created=result.created_people,
            matched=result.matched_people,
            new_places=result.created_places,
            old_places=result.matched_places,
        )
    )
    for notice in result.notices:
        click.echo(notice, err=True)


def _progressbar(label: str):
    """A progress bar on a terminal's standard error; nothing when it is not one.

    Standard output may be the plan itself ("-"), and scripts reading the error
    stream get only the problems.
    """
    if sys.stderr.isatty():
        return click.progressbar(length=1, label=label, file=sys.stderr)
    return nullcontext(None)


class _Bar:
    """``progress(done, total)`` for the plan services, drawn as a click progress bar."""

    def __init__(self, bar) -> None:
        self.bar = bar

    def progress(self, done: int, total: int | None = None) -> None:
        if self.bar is None:
            return
        if total:
            self.bar.length = total
        self.bar.update(max(0, done - self.bar.pos))
