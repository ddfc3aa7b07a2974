"""Rombongan: plans events and group trips for PSM/IPSM volunteers."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from planner.models.types import MAX_ID


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, error pages."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///"
        + os.path.join(app.instance_path, "planner.sqlite"),
        BABEL_DEFAULT_LOCALE="id",
        BABEL_DEFAULT_TIMEZONE="Asia/Jakarta",
        LANGUAGES=["id", "en"],
        BOOTSTRAP_SERVE_LOCAL=True,
        BOOTSTRAP_BTN_STYLE="primary",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_DURATION=timedelta(days=30),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(days=14),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        # Accounts
        LOGIN_RATE_LIMIT="10 per minute;50 per hour",
        RATELIMIT_STORAGE_URI="memory://",
        # Pages compressed for slow phone networks; static files are compressed once
        # (planner/static_files.py), calendar feeds and downloads are left alone.
        COMPRESS_MIMETYPES=["text/html", "application/json"],
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_STREAMS=False,
        COMPRESS_MIN_SIZE=1024,
        # Shared state across processes (limits, jobs, caches); None = none needed.
        REDIS_URL=None,
        RATELIMIT_HEADERS_ENABLED=True,
        # Redis down: count in memory and never turn a page into a 500 over a limit.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        PASSWORD_RESET_MAX_AGE=timedelta(hours=24).total_seconds(),
        INVITATION_MAX_AGE=timedelta(days=14).total_seconds(),
        MAIL_SERVER=None,
        MAIL_PORT=587,
        MAIL_USE_TLS=True,
        MAIL_USERNAME=None,
        MAIL_PASSWORD=None,
        MAIL_SENDER="Rombongan <noreply@localhost>",
        # Geocoding: "offline" (shipped gazetteer) or "nominatim".
        GEOCODER="offline",
        NOMINATIM_USER_AGENT="rombongan-planner",
        NOMINATIM_MIN_DELAY_SECONDS=1.0,
        PAGE_SIZE=50,
        # Number of reverse proxies in front of the app (their X-Forwarded-* are trusted).
        PROXY_FIX=0,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PLANNER")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    # A connection PostgreSQL dropped (restart, failover) is replaced, not served as a 500.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "pool_pre_ping": True,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)

    # Ids in URLs beyond what a database integer holds are a 404, not an overflow.
    app.url_map.converters["int"] = DatabaseIdConverter

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    _register_blueprints(app)

    from planner import errors, formatting, labels, offline, security, static_files

    static_files.init_app(app)
    errors.register(app)
    formatting.register(app)
    labels.register(app)
    security.register(app)
    offline.register(app)
    from planner.exports import svg

    svg.register(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` in a URL matches only ids a database integer column can hold."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for every PostgreSQL URL (Heroku-style ones too)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret_key(instance_path: str) -> str:
    """Read the secret key from ``instance/secret_key``, generating it on first run."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from planner import models  # noqa: F401  (register the mappers)
    from planner.extensions import (
        babel,
        bootstrap,
        compress,
        csrf,
        db,
        limiter,
        login_manager,
        migrate,
    )
    from planner.i18n import install_template_gettext, select_locale

    db.init_app(app)
    from flask_sqlalchemy.session import Session

    from planner import audit, commit, revisions, shared_state

    commit.init_app(app)

    audit.register(Session)
    revisions.register(Session)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    from flask_babel import get_locale

    app.jinja_env.globals["get_locale"] = get_locale  # base.html: <html lang=…>
    bootstrap.init_app(app)
    compress.init_app(app)
    shared_state.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext(
        "Silakan masuk untuk membuka halaman ini."
    )


def _register_blueprints(app: Flask) -> None:
    from planner.blueprints import (
        accounts,
        agenda,
        audit,
        auth,
        backup,
        checkin,
        delegations,
        demo,
        events,
        feeds,
        imports,
        jobs,
        main,
        manifests,
        meals,
        paperwork,
        people,
        places,
        plans,
        pwa,
        regions,
        rooms,
        rosters,
        transport,
    )

    for module in (
        main,
        auth,
        accounts,
        events,
        delegations,
        imports,
        rosters,
        checkin,
        transport,
        rooms,
        meals,
        agenda,
        feeds,
        manifests,
        paperwork,
        places,
        people,
        regions,
        demo,
        plans,
        backup,
        audit,
        pwa,
        jobs,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(paperwork.verify_bp)
