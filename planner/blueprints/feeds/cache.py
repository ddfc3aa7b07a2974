"""Built calendars and VEVENTs, kept for every worker.

Every key is a digest of what the bytes are made of (a feed's stored revisions and
settings, a VEVENT's data): a value never changes once written, so no entry is ever
invalidated, and a change made in one process shows in every other one because the
key it asks for is new. Two levels:

- in this process, a least-recently-used map bounded in bytes (``FEED_CACHE_BYTES``,
  64 MiB by default);
- Redis (``REDIS_URL``) shared by every worker, each entry kept
  ``FEED_CACHE_SECONDS`` (a day by default). Without Redis the process's map is all;
  when Redis fails the feeds are built as if nothing were cached.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from flask import Flask, current_app

from planner.shared_state import redis_client

PREFIX = "rombongan:calendar:"
_EXTENSION = "planner_feed_cache"
log = logging.getLogger(__name__)


class LocalCache:
    """A thread-safe LRU map of bytes, bounded by the total size of its values."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._values: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        found = {}
        with self._lock:
            for key in keys:
                value = self._values.get(key)
                if value is not None:
                    self._values.move_to_end(key)
                    found[key] = value
        return found

    def set_many(self, values: dict[str, bytes]) -> None:
        with self._lock:
            for key, value in values.items():
                if len(value) > self.max_bytes:
                    continue
                old = self._values.pop(key, None)
                if old is not None:
                    self.size -= len(old)
                self._values[key] = value
                self.size += len(value)
            while self.size > self.max_bytes:
                _key, old = self._values.popitem(last=False)
                self.size -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self.size = 0


class FeedCache:
    """The process's map in front of Redis (when there is one)."""

    def __init__(self, local: LocalCache, redis=None, seconds: int = 86400) -> None:
        self.local = local
        self.redis = redis
        self.seconds = seconds

    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def set(self, key: str, value: bytes) -> None:
        self.set_many({key: value})

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        found = self.local.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing and self.redis is not None:
            shared = self._redis(
                lambda r: r.mget([PREFIX + key for key in missing]), default=None
            )
            if shared:
                more = {k: v for k, v in zip(missing, shared, strict=True) if v}
                self.local.set_many(more)
                found.update(more)
        return found

    def set_many(self, values: dict[str, bytes]) -> None:
        self.local.set_many(values)
        if values and self.redis is not None:

            def write(r):
                pipe = r.pipeline(transaction=False)
                for key, value in values.items():
                    pipe.set(PREFIX + key, value, ex=self.seconds)
                pipe.execute()

            self._redis(write)

    def clear(self) -> None:
        """Forget this process's copies (Redis entries expire by themselves)."""
        self.local.clear()

    def _redis(self, action, default=None):
        import redis

        try:
            return action(self.redis)
        except redis.RedisError as exc:
            log.warning("calendar cache: Redis unavailable (%s)", exc)
            return default


def feed_cache(app: Flask | None = None) -> FeedCache:
    """This app's cache, made on first use."""
    app = app or current_app
    found = app.extensions.get(_EXTENSION)
    if found is None:
        config = app.config
        found = app.extensions[_EXTENSION] = FeedCache(
            LocalCache(int(config.get("FEED_CACHE_BYTES") or 64 * 1024 * 1024)),
            redis_client(app),
            int(config.get("FEED_CACHE_SECONDS") or 86400),
        )
    return found
