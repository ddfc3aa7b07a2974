"""Redis, where several processes share state: one client per process, or none.

``REDIS_URL`` (environment ``PLANNER_REDIS_URL``) names the server. Without it (``make run``)
every caller falls back to what needs no service: limits in memory, jobs run in the
request's process, caches local to the process. With it, the limiter's storage defaults
to the same server (``RATELIMIT_STORAGE_URI`` still wins when set).
"""

from __future__ import annotations

from flask import Flask, current_app

_EXTENSION = "planner_redis"


def init_app(app: Flask) -> None:
    """Make the client (lazily connecting) and point the limiter at the same server."""
    url = app.config.get("REDIS_URL")
    client = None
    if url:
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=1, socket_timeout=2, health_check_interval=30
        )
        if app.config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
            app.config["RATELIMIT_STORAGE_URI"] = url
    app.extensions[_EXTENSION] = client


def redis_client(app: Flask | None = None):
    """The process's Redis client, or None when no ``REDIS_URL`` is configured."""
    app = app or current_app
    return app.extensions.get(_EXTENSION)
