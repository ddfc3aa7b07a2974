"""Job pages: a job's progress, its result to download, a retry; ``flask jobs worker``."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs", cli_group="jobs")

from planner.blueprints.jobs import cli, views  # noqa: E402, F401
