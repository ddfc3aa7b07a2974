"""``flask database runtime-role``: the PostgreSQL role the app runs as (owns no table)."""

from __future__ import annotations

import click

from planner.blueprints.backup import bp
from planner.commit import transaction
from planner.extensions import db
from planner.services.roles import RoleError, grant_runtime_role


@bp.cli.group("database")
def database_group() -> None:
    """Database administration beyond migrations (PostgreSQL)."""


@database_group.command("runtime-role")
@click.argument("role")
@click.option(
    "--password",
    envvar="PLANNER_RUNTIME_ROLE_PASSWORD",
    help="Password when the role must be created (or PLANNER_RUNTIME_ROLE_PASSWORD).",
)
def runtime_role_command(role: str, password: str | None) -> None:
    """Give ROLE row access to every table, append-only on the audit trail.

    Run as the owner after `flask db upgrade`; then point the app (DATABASE_URL) at ROLE.
    """
    try:
        with transaction():
            plan = grant_runtime_role(db.session.connection(), role, password)
    except RoleError as exc:
        raise click.ClickException(str(exc)) from exc
    verb = "created and granted" if plan.create else "granted"
    click.echo(f"Role {role} {verb}: {len(plan.statements)} statements.")
