"""Audit finding 1: the trail refuses TRUNCATE, and the runtime role owns nothing.

PostgreSQL only (SQLite has neither TRUNCATE nor roles): the suite's connection is the
tables' owner; a second role set up by ``flask database runtime-role`` must be able to
work with rows but not truncate, disable triggers, alter or drop anything.
"""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from planner.extensions import db
from planner.services.roles import RoleError, grant_runtime_role, plan_runtime_role


def _postgres(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no TRUNCATE and no roles")


@pytest.fixture
def runtime_role(app_ctx):
    app = app_ctx
    _postgres(app)
    role = "rombongan_rt_" + os.environ.get("PYTEST_XDIST_WORKER", "master")
    _drop_role(role)
    result = app.test_cli_runner().invoke(
        args=["database", "runtime-role", role, "--password", "r'ahasia"]
    )
    assert result.exit_code == 0, result.output
    assert "created and granted" in result.output
    url = db.engine.url.set(username=role, password="r'ahasia")
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()
    _drop_role(role)


def _drop_role(role: str) -> None:
    with db.engine.begin() as conn:
        if conn.scalar(
            sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ):
            conn.execute(sa.text(f"DROP OWNED BY {role}"))
            conn.execute(sa.text(f"DROP ROLE {role}"))


def test_truncate_of_the_trail_is_refused_even_for_the_owner(app_ctx, make_vehicle):
    _postgres(app_ctx)
    make_vehicle()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_entries"))
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_entries")) == 1


def test_runtime_role_works_with_rows_but_owns_nothing(
    app_ctx, runtime_role, make_event
):
    event = make_event()
    db.session.commit()
    with runtime_role.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET title = 'Diganti' WHERE id = :id"),
            {"id": event.id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit_entries (at, entity, action, changes) "
                "VALUES (now(), 'event', 'update', '{}')"
            )
        )
    refused = [
        "TRUNCATE audit_entries",
        "TRUNCATE events CASCADE",
        "ALTER TABLE audit_entries DISABLE TRIGGER ALL",
        "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
        "DROP TRIGGER audit_entries_append_only ON audit_entries",
        "DROP TABLE audit_entries",
        "DROP TABLE events CASCADE",
        "UPDATE audit_entries SET action = 'x'",
        "DELETE FROM audit_entries",
    ]
    for statement in refused:
        with pytest.raises(DBAPIError, match="permission denied|must be owner|append"):
            with runtime_role.begin() as conn:
                conn.execute(sa.text(statement))
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_entries")) >= 1


def test_the_owner_cannot_be_the_runtime_role(app_ctx):
    _postgres(app_ctx)
    with db.engine.begin() as conn:
        me = conn.scalar(sa.text("SELECT current_user"))
        with pytest.raises(RoleError, match="owner"):
            plan_runtime_role(conn, me)
        with pytest.raises(RoleError, match="lower-case"):
            plan_runtime_role(conn, "Robert'); DROP TABLE events;--")
        with pytest.raises(RoleError, match="password"):
            grant_runtime_role(conn, "rombongan_nobody_here")


def test_sqlite_says_roles_are_a_postgresql_matter(app_ctx):
    app = app_ctx
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    result = app.test_cli_runner().invoke(args=["database", "runtime-role", "x"])
    assert result.exit_code != 0
    assert "PostgreSQL" in result.output
