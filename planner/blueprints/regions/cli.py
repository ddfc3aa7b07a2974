"""``flask regions …`` commands."""

import click

from planner.blueprints.regions import bp
from planner.commit import transaction
from planner.services.regions import load_regions, read_places_csv


@bp.cli.command("load")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="A CSV in the shipped format (default: planner/data/indonesia_places.csv).",
)
def load_command(path: str | None) -> None:
    """Load provinces, regencies/cities, ports and airports; safe to run again."""
    rows = read_places_csv(path)
    with transaction(), click.progressbar(length=len(rows), label="Wilayah") as bar:
        report = load_regions(rows, progress=bar.update)
    for table in ("regions", "places"):
        click.echo(
            f"{table}: {report.created[table]} created, "
            f"{report.updated[table]} updated, "
            f"{report.unchanged[table]} unchanged"
        )
    if not report.changed:
        click.echo("Nothing changed: the data was already loaded.")
