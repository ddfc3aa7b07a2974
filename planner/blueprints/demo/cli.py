"""``flask demo …`` commands."""

import click
from flask_babel import gettext as _

from planner.blueprints.demo import bp
from planner.extensions import db
from planner.models import Event
from planner.services.demo import DEFAULT_SEED, demo_accounts_present, load_demo


@bp.cli.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Jangan memuat apa pun bila sudah ada kegiatan (dipakai oleh `make run`).",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Benih Faker untuk nama peserta.",
)
def load_command(if_empty: bool, seed: int) -> None:
    """Load the demo events, places, people and accounts; safe to run again."""
    if if_empty and db.session.scalar(db.select(Event.id).limit(1)) is not None:
        click.echo(_("Sudah ada kegiatan di basis data: data demo tidak dimuat."))
    else:
        report = load_demo(seed=seed)
        db.session.commit()
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
