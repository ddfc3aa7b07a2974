"""The application factory, configuration, error pages and low-level types."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from planner import _instance_secret_key, create_app, normalise_database_url
from planner.extensions import db
from planner.models import Event
from tests.conftest import region


def test_test_config_is_used(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_PAGE_SIZE", "7")
    monkeypatch.setenv("PLANNER_SECRET_KEY", "from-env")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")
    app = create_app()
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_urls_use_psycopg3(url, expected):
    assert normalise_database_url(url) == expected


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = _instance_secret_key(str(tmp_path))
    second = _instance_secret_key(str(tmp_path))
    assert first == second
    assert len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app_ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_unknown_page_is_a_404_in_the_site_layout(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in html
    assert "navbar" in html


def test_bootstrap_is_served_locally(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "cdn.jsdelivr" not in html
    (url,) = re.findall(
        r'"(/bootstrap/static/css/bootstrap\.min\.[0-9a-f]+\.css)"', html
    )
    css = client.get(url)
    assert css.status_code == 200
    assert "immutable" in css.headers["Cache-Control"]
    css.close()


def test_open_redirect_is_not_followed_by_language_switch(client):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/x"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_utc_datetime_refuses_naive_values(app_ctx, make_event):
    event = make_event()
    event.created_at = datetime(2024, 5, 7, 7, 0)
    with pytest.raises(sa.exc.StatementError):
        db.session.commit()
    db.session.rollback()


def test_utc_datetime_round_trips_aware_values(app_ctx, make_event):
    wita = timezone(timedelta(hours=8))
    event = make_event(created_at=datetime(2024, 5, 7, 7, 0, tzinfo=wita))
    db.session.expire_all()
    stored = db.session.get(Event, event.id).created_at
    assert stored == datetime(2024, 5, 6, 23, 0, tzinfo=UTC)
    assert stored.tzinfo is not None


def test_named_constraint_keeps_event_dates_in_order(app_ctx, make_event):
    """The database refuses an event ending before it starts, naming the constraint
    (``ck_<table>_<name>`` by the naming convention) on SQLite and PostgreSQL alike."""
    event = make_event()
    event.ends_on = event.starts_on - timedelta(days=1)
    with pytest.raises(sa.exc.IntegrityError) as info:
        db.session.commit()
    db.session.rollback()
    # The driver's own message: SQLite "CHECK constraint failed: <name>", PostgreSQL
    # 'violates check constraint "<name>"'. An unnamed CHECK gives its expression.
    assert "ck_events_valid_dates" in str(info.value.orig)


def test_region_helper(app_ctx):
    assert region("19").name == "Kepulauan Bangka Belitung"


def test_nul_bytes_are_refused_before_they_reach_the_database(client):
    response = client.post("/auth/login", data={"email": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.get_data(as_text=True)
    assert client.get("/auth/login", query_string={"next": "\x00"}).status_code == 400


def test_proxy_fix_trusts_one_proxy_when_configured(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PROXY_FIX": 1,
        }
    )

    @app.get("/_remote")
    def remote():
        from flask import request

        return request.remote_addr

    response = app.test_client().get(
        "/_remote", headers={"X-Forwarded-For": "203.0.113.7"}
    )
    assert response.get_data(as_text=True) == "203.0.113.7"
    with app.app_context():
        db.engine.dispose()


def test_ids_beyond_a_database_integer_are_not_found(client, login, make_user):
    login(make_user("admin"))
    # PostgreSQL's INTEGER stops at 2**31 - 1: anything above must not reach SQL.
    for event_id in (2**31 - 1, 2**31, 2**63, 2**70):
        assert client.get(f"/events/{event_id}").status_code == 404
        assert client.get(f"/events/{event_id}/rosters/export.csv").status_code == 404


def test_apps_of_a_test_session_share_compiled_templates(app, tmp_path):
    """The tests' template code cache: a second app loads base.html without compiling
    it, and a template whose source changed is compiled again (its checksum differs)."""
    from flask import Flask

    with app.test_request_context():
        app.jinja_env.get_template("base.html")
    other = create_app({**app.config, "TESTING": True})
    other.jinja_env.compile = None  # any compile would fail
    with other.test_request_context():
        assert other.jinja_env.get_template("base.html") is not None
    (tmp_path / "t.html").write_text("one")
    loose = Flask("loose", template_folder=str(tmp_path))
    assert loose.jinja_env.get_template("t.html").render() == "one"
    (tmp_path / "t.html").write_text("two")
    again = Flask("again", template_folder=str(tmp_path))
    assert again.jinja_env.get_template("t.html").render() == "two"


def test_apps_of_the_app_fixture_share_an_engine_and_others_do_not(app):
    """The tests' shared engines (compiled statements kept between tests): an app made
    like the ``app`` fixture's gets the same engine; an app a test makes on its own
    (a second worker) gets its own, so disposing it leaves the test's session alone."""
    with app.app_context():
        engine = db.engine
    twin = create_app(dict(app.config))
    with twin.app_context():
        assert db.engine is engine
    alone = create_app({**app.config, "TESTS_SHARED_ENGINE": False})
    with alone.app_context():
        assert db.engine is not engine
        db.engine.dispose()
