"""``flask backup`` and ``flask restore``: SQLite backups from the terminal; database roles."""

from flask import Blueprint

bp = Blueprint("backup", __name__, cli_group=None)

from planner.blueprints.backup import cli, roles_cli  # noqa: E402, F401
