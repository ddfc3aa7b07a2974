"""Redis is optional: none configured means none used; configured, the limiter follows it."""

from planner import create_app
from planner.shared_state import redis_client


def _app(**config):
    return create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **config}
    )


def test_no_redis_url_means_no_client_and_memory_limits():
    app = _app()
    assert redis_client(app) is None
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_redis_url_gives_a_client_and_the_limiter_shares_it():
    app = _app(REDIS_URL="redis://127.0.0.1:6379/15")
    assert redis_client(app) is not None
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"


def test_an_explicit_limiter_storage_wins():
    app = _app(
        REDIS_URL="redis://127.0.0.1:6379/15", RATELIMIT_STORAGE_URI="memory://x"
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://x"
