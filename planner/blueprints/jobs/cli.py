"""``flask jobs worker``: run queued jobs; ``flask jobs sweep``: delete old job files."""

from __future__ import annotations

import os

import click
from flask import current_app

from planner.blueprints.jobs import bp
from planner.jobs import queue_name, store
from planner.jobs.runner import WORKER_PID


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run the job worker (needs REDIS_URL): takes jobs from the queue one at a time."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "REDIS_URL (PLANNER_REDIS_URL) is not set: without Redis jobs run inside "
            "the web process and no worker is needed."
        )
    import redis
    from rq import Queue, Worker

    # Its own connection: the web one times out reads after 2 s, a worker blocks
    # waiting for work far longer.
    connection = redis.Redis.from_url(url, health_check_interval=30)
    current_app.extensions[WORKER_PID] = os.getpid()
    queue = Queue(queue_name(), connection=connection)
    click.echo(f"Rombongan jobs worker on queue {queue.name!r}", err=True)
    Worker([queue], connection=connection).work(burst=burst, with_scheduler=False)


@bp.cli.command("sweep")
def sweep_command() -> None:
    """Delete job records and files older than a day."""
    click.echo(f"{store.sweep()} files deleted.")
