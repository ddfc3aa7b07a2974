"""``flask demo …`` commands."""

import click
from flask_babel import gettext as _

from planner.blueprints.demo import bp
from planner.commit import transaction
from planner.extensions import db
from planner.models import Event
from planner.services.demo import demo_accounts_present, load_demo
from planner.services.plans import PlanInvalid


@bp.cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Jangan memuat apa pun bila sudah ada kegiatan (dipakai oleh `make run`).",
)
def load_command(if_empty: bool) -> None:
    """Load the demo events, places, people and accounts; safe to run again."""
    if if_empty and db.session.scalar(db.select(Event.id).limit(1)) is not None:
        click.echo(_("Sudah ada kegiatan di basis data: data demo tidak dimuat."))
    else:
        try:
            with transaction():
                report = load_demo()
        except PlanInvalid as exc:
            click.echo(str(exc), err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            raise SystemExit(1) from None
        created = report.created
        if created["regions"]:
            click.echo(
                _(
                    "Wilayah dimuat lebih dulu: %(regions)s wilayah, "
                    "%(ports)s pelabuhan dan bandara.",
                    regions=created["regions"],
                    ports=created["shipped_places"],
                )
            )
        if report.changed:
            click.echo(
                _(
                    "Data demo dimuat: %(places)s tempat, %(events)s kegiatan, "
                    "%(people)s orang, %(users)s akun, %(delegations)s delegasi, "
                    "%(delegates)s peserta.",
                    **created,
                )
            )
        else:
            click.echo(_("Tidak ada yang dibuat: data demo sudah ada."))
        for notice in report.notices:
            click.echo(notice)
    _echo_accounts()


def _echo_accounts() -> None:
    """Print the demo sign-ins, one per line."""
    title = _("Akun demo")
    click.echo(f"\n{title}\n{'-' * len(title)}")
    for account, present in demo_accounts_present():
        line = f"  {account.email:<32} {account.password:<20} {account.role}"
        if not present:
            line += " " + _("(belum ada di basis data)")
        click.echo(line)
