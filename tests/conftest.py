"""Fixtures: an app per test on SQLite and (with TEST_DATABASE_URL) PostgreSQL, clients,
factories that make rows with sane defaults, and a query counter.

How tests are kept apart (read this before adding a fixture that touches the database):

- Every test runs once per backend: ``database_url`` is a session fixture parametrised
  over SQLite and, when TEST_DATABASE_URL is set (CI), PostgreSQL. Each xdist worker has
  its own databases (a temporary SQLite file; PostgreSQL ``<name>_gw0`` …, made on first
  use and emptied with DROP SCHEMA at the start of the session).
- The schema is made once per backend and worker (``create_all``) and the reference
  regions loaded once. Nothing wraps a test in a transaction: tests and the app commit
  for real, use several connections (the sweeps read through ``db.engine``), threads
  and subprocesses, and all of that sees the same rows as in production.
- ``app`` builds a fresh application for every test (config, extensions and ``g`` never
  leak); after the test ``_wipe`` empties every table but ``regions`` and restarts the
  ids: DELETE on SQLite (the append-only trigger of the audit trail is lifted for it);
  on PostgreSQL DELETE with triggers and foreign keys off (``session_replication_role``,
  cheaper than TRUNCATE, which rewrites ~40 files per test) and every id sequence reset,
  falling back to TRUNCATE … RESTART IDENTITY when the role may not do that.
- Test databases skip the disk flush at commit (SQLite ``synchronous=OFF``,
  PostgreSQL ``synchronous_commit=off``): a crash loses nothing a test needs.
- Compiled templates are shared by every app of a worker (``_TemplateCodeCache``).
- Passwords are hashed with a cheap method in every test (``_cheap_password_hashes``);
  a test may still patch ``generate_password_hash`` itself.
- A test that makes its own database (migrations) or its own app cleans up after itself.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import sqlite3
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from itertools import count

import jinja2
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from werkzeug.routing.rules import Rule
from werkzeug.security import generate_password_hash

from planner import create_app
from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    DelegateStatus,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Leg,
    LegMode,
    Person,
    Place,
    PlaceKind,
    Region,
    SocialPillar,
    Trip,
    User,
    Vehicle,
    VehicleKind,
)
from planner.models.audit import APPEND_ONLY, DROP_APPEND_ONLY
from planner.services.regions import load_regions

PASSWORD = "rahasia-uji-123"
#: A cheap hash method for tests: the default scrypt costs ~0.4 s per hash here.
CHEAP_HASH_METHOD = "pbkdf2:sha256:1000"
#: Hashed once with the cheap method.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method=CHEAP_HASH_METHOD)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch):
    """Hash every password set in a test with the cheap method (tests may patch it
    again); the production default stays scrypt."""
    cheap = functools.partial(generate_password_hash, method=CHEAP_HASH_METHOD)
    monkeypatch.setattr("planner.models.user.generate_password_hash", cheap)
    monkeypatch.setattr("planner.services.accounts.generate_password_hash", cheap)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _no_flush_at_commit(dbapi_connection, connection_record) -> None:
    """Test databases need not survive a power cut: skip SQLite's fsync per commit."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@sa.event.listens_for(sa.engine.Engine, "do_connect")
def _no_wal_flush_at_commit(dialect, connection_record, cargs, cparams) -> None:
    """The same for PostgreSQL: commits do not wait for the WAL to reach the disk."""
    if dialect.name == "postgresql":
        options = cparams.get("options", "")
        cparams["options"] = f"{options} -c synchronous_commit=off".strip()


#: Werkzeug compiles two URL builders per rule (ast + compile) each time an app is
#: made: two thirds of ``create_app`` here, once per test. The builders depend only on
#: the rule's parsed parts and defaults, and are bound to their rule when used, so
#: the same rule of the next test's app reuses them.
_builders: dict = {}
_compile_builder = Rule._compile_builder


def _cached_compile_builder(self, append_unknown: bool = True):
    key = (
        self.rule,
        tuple(self._trace),
        repr(sorted((self.defaults or {}).items())),
        tuple(sorted((k, type(v).__name__) for k, v in self._converters.items())),
        append_unknown,
    )
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _compile_builder(self, append_unknown)
    return builder


Rule._compile_builder = _cached_compile_builder


#: Engines by their options, shared by the apps of the ``app`` fixture in a worker. An
#: engine keeps the SQL it compiled (SQLAlchemy's statement cache lives on the engine):
#: with an engine per test, every statement of every test was compiled again, 15 % of
#: the suite's CPU. ``_wipe`` still closes the pool after each test, so each test
#: connects afresh. Other apps a test makes (a second "worker") get their own engine:
#: disposing it must not orphan the connections the test's own session holds.
_engines: dict[tuple, sa.Engine] = {}
_make_engine = SQLAlchemy._make_engine
SHARED_ENGINE = "TESTS_SHARED_ENGINE"


def _shared_engine(self, bind_key, options, app) -> sa.Engine:
    if not app.config.get(SHARED_ENGINE):
        return _make_engine(self, bind_key, options, app)
    key = (bind_key, repr(sorted(options.items(), key=lambda item: item[0])))
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = _make_engine(self, bind_key, options, app)
    return engine


SQLAlchemy._make_engine = _shared_engine


class _TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the worker's whole session.

    Every test makes its own app, hence its own Jinja environment, which would lex,
    parse and compile each template it renders again (a tenth of the CPU of a page
    walk). Jinja checks the template's source checksum before reusing the code.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self.code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": _TemplateCodeCache()}

#: The garbage collector's full passes: every test makes an app (URL map, Jinja
#: environment, SQLAlchemy engine: tens of thousands of objects with cycles), so with
#: the default thresholds a full collection of the worker's whole heap (300,000+
#: objects) ran every five tests, a quarter of the suite's CPU. Fewer, larger young
#: collections and a frozen heap after collection keep the garbage in check (the
#: apps are freed by the rarer full passes) at a fraction of the cost.
gc.set_threshold(50_000, 20, 100)


def pytest_collection_finish(session):
    """The collected tests and imported modules live for the whole session: leave them
    out of every later collection."""
    gc.collect()
    gc.freeze()


_BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def pytest_report_header(config):
    return f"databases: {', '.join(_BACKENDS)}"


def _worker_database(url: str) -> str:
    """This xdist worker's own PostgreSQL database (``test_gw0`` …), made if missing.

    Without xdist (worker "master") the database named in the URL is used as it is.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "master")
    if worker == "master":
        return url
    parsed = sa.make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = sa.create_engine(
        parsed.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": name},
            )
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


#: Backends whose database this process has already prepared: pytest sets a
#: parametrised session fixture up again whenever the parameter changes (an xdist
#: worker may go back and forth), and every test leaves the tables empty anyway.
_prepared: dict[str, str] = {}


@pytest.fixture(scope="session", params=_BACKENDS)
def database_url(request, tmp_path_factory):
    """One database per backend (and xdist worker); the schema is made once."""
    if request.param in _prepared:
        return _prepared[request.param]
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    else:
        from planner import normalise_database_url

        url = _worker_database(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
        _reset_postgres(url)
    app = create_app(_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        db.create_all()
        load_regions()
        db.session.commit()
        db.engine.dispose()
    _prepared[request.param] = url
    return url


def _config(url: str, instance_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }


#: Tables kept between tests: reference data loaded once per session.
_KEEP = {"regions"}


#: Resets every id sequence of the emptied tables (serial or identity columns).
_RESTART_SEQUENCES = sa.text(
    "SELECT setval(d.objid::regclass, 1, false) FROM pg_depend d"
    " JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
    " JOIN pg_class t ON t.oid = d.refobjid"
    " JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()"
    " WHERE d.deptype IN ('a', 'i') AND t.relname <> ALL(:keep)"
)
#: False once PostgreSQL refused ``session_replication_role`` (not a superuser).
_replica_role_allowed = True


def _wipe_postgres(conn, tables) -> None:
    """DELETE every row with triggers and foreign keys off, then restart the ids.

    TRUNCATE gives every table and index a new file: ~40 per test, most of them
    empty, which costs far more than deleting the few rows a test leaves.
    """
    global _replica_role_allowed
    if _replica_role_allowed:
        try:
            with conn.begin_nested():
                conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        except sa.exc.DBAPIError:
            _replica_role_allowed = False
    if not _replica_role_allowed:
        names = ", ".join(f'"{t.name}"' for t in tables)
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    conn.exec_driver_sql("; ".join(f'DELETE FROM "{t.name}"' for t in tables))
    conn.execute(_RESTART_SEQUENCES, {"keep": sorted(_KEEP)})


def _wipe(app) -> None:
    """Empty every table but the reference ones (faster than re-creating the schema)."""
    with app.app_context():
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in _KEEP]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                _wipe_postgres(conn, tables)
            else:
                # The audit trail is append-only by trigger; tests start empty anyway.
                for statement in DROP_APPEND_ONLY["sqlite"]:
                    conn.execute(sa.text(statement))
                for table in tables:
                    conn.execute(table.delete())
                for statement in APPEND_ONLY["sqlite"]:
                    conn.execute(sa.text(statement))
        db.engine.dispose()


@pytest.fixture
def app_config():
    """Per-test overrides of the test configuration (a test updates the dict)."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_config):
    """A fresh application on the session's database; tables are emptied afterwards."""
    config = _config(database_url, tmp_path)
    config.update(app_config)
    config[SHARED_ENGINE] = True
    app = create_app(config)
    yield app
    _wipe(app)


@pytest.fixture
def app_ctx(app):
    """An application context for tests that use the models directly."""
    with app.app_context():
        yield app


class IsolatedClient(FlaskClient):
    """A test client giving every request its own app context, as in production.

    While a test holds ``app_ctx`` (every ``make_*`` fixture does), plain test-client
    requests reuse that context: ``g`` (Flask-Login's cached user, Babel's locale) and
    the database session leak from one request to the next and into the test.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    """A test client; every request gets its own app context, as in production."""
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for ``flask`` CLI commands."""
    return app.test_cli_runner()


#: Region ids by (database, code): the regions are loaded once per backend and kept.
_region_ids: dict[tuple[str, str], int] = {}


def region(code: str) -> Region:
    """The region with this Kemendagri code (loaded once per session).

    By id once its id is known: the session's identity map answers without a query
    (tests ask for the same few regions thousands of times)."""
    key = (str(db.engine.url), code)
    region_id = _region_ids.get(key)
    if region_id is None:
        found = db.session.execute(db.select(Region).filter_by(code=code)).scalar_one()
        _region_ids[key] = found.id
        return found
    return db.session.get_one(Region, region_id)


_seq = count(1)


@pytest.fixture
def make_user(app_ctx):
    """Create a user; ``role``: admin, organiser, chapter_head, participant or none."""

    def make(role: str = "organiser", *, email=None, regions=(), person=None, **kw):
        n = next(_seq)
        user = User(
            email=email or f"user{n}@example.org",
            display_name=kw.pop("display_name", f"Pengguna {n}"),
            is_admin=role == "admin",
            is_organiser=role == "organiser",
            **kw,
        )
        user.password_hash = _PASSWORD_HASH
        if role == "chapter_head":
            user.regions = [
                region(c) if isinstance(c, str) else c for c in regions or ("19.01",)
            ]
        if role == "participant":
            user.person = person or Person(
                full_name=f"Peserta {n}", region=region("19.71")
            )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_place(app_ctx):
    """Create a place (a venue in Pangkalpinang unless told otherwise)."""

    def make(**kw):
        kw.setdefault("name", f"Hotel Uji {next(_seq)}")
        kw.setdefault("kind", PlaceKind.VENUE)
        kw.setdefault("region", region("19.71"))
        kw.setdefault("lat", -2.1291)
        kw.setdefault("lon", 106.1090)
        place = Place(**kw)
        db.session.add(place)
        db.session.commit()
        return place

    return make


@pytest.fixture
def make_event(app_ctx):
    """Create an event (a two-day rakor in Bangka Belitung unless told otherwise)."""

    def make(**kw):
        n = next(_seq)
        organisers = kw.pop("organisers", [])
        kw.setdefault("kind", EventKind.RAKOR)
        kw.setdefault("title", f"Rakor IPSM Uji {n}")
        kw.setdefault("slug", f"rakor-uji-{n}")
        kw.setdefault("organiser_body", "IPSM Provinsi Kepulauan Bangka Belitung")
        kw.setdefault("host_region", region("19"))
        kw.setdefault("starts_on", date.today() + timedelta(days=30))
        kw.setdefault("ends_on", kw["starts_on"] + timedelta(days=1))
        kw.setdefault("timezone", "Asia/Jakarta")
        kw.setdefault("status", EventStatus.OPEN)
        event = Event(**kw)
        event.organisers = list(organisers)
        db.session.add(event)
        db.session.commit()
        return event

    return make


@pytest.fixture
def make_person(app_ctx):
    """Create a person (a PSM of Kota Pangkal Pinang unless told otherwise)."""

    def make(**kw):
        n = next(_seq)
        kw.setdefault("full_name", f"Siti Uji {n}")
        kw.setdefault("region", region("19.71"))
        kw.setdefault("pillar", SocialPillar.PSM)
        person = Person(**kw)
        db.session.add(person)
        db.session.commit()
        return person

    return make


@pytest.fixture
def make_delegation(app_ctx, make_event):
    """Create a delegation (Kabupaten Bangka, quota 3, in a new event unless told)."""

    def make(event=None, **kw):
        kw.setdefault("region", region("19.01"))
        kw.setdefault("name", kw["region"].name if kw["region"] else "IPSM Pusat")
        kw.setdefault("quota", 3)
        delegation = Delegation(event=event or make_event(), **kw)
        db.session.add(delegation)
        db.session.commit()
        return delegation

    return make


@pytest.fixture
def make_delegate(app_ctx, make_delegation, make_person):
    """Create a nominated delegate (in a new delegation unless told)."""

    def make(delegation=None, *, person=None, **kw):
        delegation = delegation or make_delegation()
        kw.setdefault("status", DelegateStatus.NOMINATED)
        kw.setdefault("role", DelegateRole.PARTICIPANT)
        delegate = Delegate(
            event_id=delegation.event_id,
            delegation=delegation,
            person=person or make_person(region=delegation.region or region("19.71")),
            **kw,
        )
        db.session.add(delegate)  # before reading the count: autoflush needs it
        if delegate.status in (DelegateStatus.CONFIRMED, DelegateStatus.ATTENDED):
            delegation.confirmed_count += 1
        db.session.commit()
        return delegate

    return make


@pytest.fixture
def make_vehicle(app_ctx, make_event):
    """Create a vehicle (a 10-seat travel van unless told otherwise)."""

    def make(event=None, **kw):
        n = next(_seq)
        kw.setdefault("kind", VehicleKind.TRAVEL_VAN)
        kw.setdefault("label", f"Travel {n}")
        kw.setdefault("seats", 10)
        vehicle = Vehicle(event=event or make_event(), **kw)
        db.session.add(vehicle)
        db.session.commit()
        return vehicle

    return make


@pytest.fixture
def make_trip(app_ctx, make_event):
    """Create a trip ("Berangkat" of a new event unless told otherwise)."""

    def make(event=None, **kw):
        kw.setdefault("name", f"Berangkat {next(_seq)}")
        trip = Trip(event=event or make_event(), **kw)
        db.session.add(trip)
        db.session.commit()
        return trip

    return make


@pytest.fixture
def make_leg(app_ctx, make_trip, make_place):
    """Create a leg: a two-hour road leg between two new places unless told otherwise."""

    def make(trip=None, **kw):
        trip = trip or make_trip()
        kw.setdefault("mode", LegMode.ROAD)
        kw.setdefault("from_place", make_place())
        kw.setdefault("to_place", make_place(lat=-2.0396, lon=105.1393))
        kw.setdefault(
            "departs_at",
            datetime.combine(trip.event.starts_on, time(0, 0), tzinfo=UTC),
        )
        kw.setdefault("arrives_at", kw["departs_at"] + timedelta(hours=2))
        leg = Leg(event_id=trip.event_id, trip=trip, **kw)
        db.session.add(leg)
        db.session.commit()
        return leg

    return make


@pytest.fixture
def login(client):
    """Sign a user in through the real sign-in form."""

    def do(user, password: str = PASSWORD):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": password}
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@contextmanager
def _count(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", statement, re.I):
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: …``; then ``len(q)`` is the number of statements."""

    def counter():
        with app.app_context():
            engine = db.engine
        return _count(engine)

    return counter
