"""``flask users …`` commands: the first administrator of a fresh installation."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask_babel import gettext as _

from planner.blueprints.accounts import bp
from planner.commit import transaction
from planner.services import PlannerError
from planner.services.accounts import (
    create_admin,
    promote_to_admin,
    user_by_email,
    valid_email,
)


def _fail(message: str) -> NoReturn:
    """Print the reason on standard error and end the command with exit status 1."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(1)


def _stdin_is_tty() -> bool:
    """Whether a person types at the terminal (else the password comes piped in)."""
    return sys.stdin is not None and sys.stdin.isatty()


def _read_password() -> str:
    """The new password: asked twice, hidden, at a terminal; one line from a pipe."""
    if not _stdin_is_tty():  # piped in (or no stdin at all)
        line = sys.stdin.readline() if sys.stdin is not None else ""
        return line.rstrip("\r\n")
    # Two prompts compared here (not click's confirmation_prompt): a mismatch gets an
    # Indonesian message and ends the command instead of asking again in English.
    password = click.prompt(
        _("Kata sandi"), hide_input=True, default="", show_default=False
    )
    again = click.prompt(
        _("Ulangi kata sandi"), hide_input=True, default="", show_default=False
    )
    if password != again:
        _fail(_("Kedua kata sandi tidak sama. Tidak ada akun yang dibuat."))
    return password


@bp.cli.command("create-admin")
@click.argument("email")
@click.option(
    "--name",
    "display_name",
    default="Administrator",
    show_default=True,
    help="Nama tampilan akun baru.",
)
@click.option(
    "--promote",
    is_flag=True,
    help="Bila email sudah dipakai: jadikan akun itu admin (dan aktifkan lagi) "
    "tanpa mengubah kata sandinya.",
)
def create_admin_command(email: str, display_name: str, promote: bool) -> None:
    """Create an administrator with a password (asked twice, or read from stdin)."""
    try:
        email = valid_email(email)
    except PlannerError as exc:
        _fail(str(exc))
    existing = user_by_email(email)
    if existing is not None:
        if not promote:
            _fail(
                _(
                    "Email %(email)s sudah dipakai akun lain: tidak ada yang diubah. "
                    "Pakai --promote untuk menjadikan akun itu admin.",
                    email=email,
                )
            )
        with transaction():
            promote_to_admin(existing)
        click.echo(_("Akun %(email)s sekarang admin.", email=email))
        if existing.password_hash is None:
            click.echo(
                _(
                    "Akun ini belum punya kata sandi: buat lewat "
                    '"Lupa kata sandi" di halaman masuk.'
                )
            )
        return
    password = _read_password()
    if not password:
        _fail(_("Kata sandi kosong. Tidak ada akun yang dibuat."))
    try:
        with transaction():
            create_admin(email=email, password=password, display_name=display_name)
    except PlannerError as exc:
        _fail(_("%(reason)s Tidak ada akun yang dibuat.", reason=str(exc)))
    click.echo(
        _(
            "Admin %(email)s dibuat. Masuk dengan email dan kata sandi ini, "
            "lalu undang akun lain di menu Akun.",
            email=email,
        )
    )
