"""Migrations build the schema from empty on each backend, go back to base, and agree
with the models."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from planner import create_app
from planner.extensions import db
from planner.migrating import compare_type

MIGRATIONS = str(Path(__file__).resolve().parent.parent / "migrations")


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database with nothing in it, on the same backend as the session's database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = sa.make_url(database_url)
    name = f"{url.database}_migrations"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def migration_app(empty_database_url):
    """An app bound to the empty database."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
        }
    )
    yield app
    with app.app_context():
        db.engine.dispose()


def _tables(app) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_and_back_to_base(migration_app):
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS)
    assert _tables(migration_app) == set(db.metadata.tables)
    with migration_app.app_context():
        downgrade(directory=MIGRATIONS, revision="base")
    assert _tables(migration_app) == set()


def test_models_and_migrations_agree(migration_app):
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": compare_type,
                    "render_as_batch": True,
                },
            )
            diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_titles_migration_keeps_people_that_others_point_at(migration_app):
    """Rebuilding `people` on SQLite to add its CHECK must not trip the foreign keys of
    the rows pointing at it; afterwards the CHECK holds, and going back keeps them."""
    now = "2024-01-01 00:00:00"
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS, revision="be188aaa7f19")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO people (id, full_name, pillar, created_at, updated_at)"
                    " VALUES (1, 'Ani', 'psm', :t, :t)"
                ),
                {"t": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, title, slug, kind, status, starts_on,"
                    " ends_on, timezone, organiser_body, created_at, updated_at)"
                    " VALUES (1, 'E', 'e', 'rakor', 'draft', '2024-01-01',"
                    " '2024-01-02', 'Asia/Jakarta', 'X', :t, :t)"
                ),
                {"t": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO delegates (event_id, person_id, role, status,"
                    " created_at, updated_at)"
                    " VALUES (1, 1, 'participant', 'nominated', :t, :t)"
                ),
                {"t": now},
            )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(
                sa.text("SELECT full_name, title_before FROM people")
            ).all() == [("Ani", None)]
            assert conn.execute(sa.text("SELECT person_id FROM delegates")).all() == [
                (1,)
            ]
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO people (full_name, pillar, created_at, updated_at)"
                    " VALUES ('', 'psm', :t, :t)"
                ),
                {"t": now},
            )
        downgrade(directory=MIGRATIONS, revision="be188aaa7f19")
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM delegates")).scalar() == 1
            columns = {c["name"] for c in sa.inspect(conn).get_columns("people")}
        assert "title_before" not in columns


def test_meal_prices_migration_keeps_budgets_and_extends_their_check(migration_app):
    """The two prices arrive as 0 on existing budgets, the rebuilt CHECK refuses a
    negative one (and still a negative old rate), and going back keeps the budget."""
    now = "2024-01-01 00:00:00"
    before = "f3a8d1c6b2e4"
    with migration_app.app_context():
        upgrade(directory=MIGRATIONS, revision=before)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO events (id, title, slug, kind, status, starts_on,"
                    " ends_on, timezone, organiser_body, created_at, updated_at)"
                    " VALUES (1, 'E', 'e', 'rakor', 'draft', '2024-01-01',"
                    " '2024-01-02', 'Asia/Jakarta', 'X', :t, :t)"
                ),
                {"t": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO budgets (event_id, fiscal_year, allowance_kind,"
                    " transport_allowance, ferry_passenger_fare, ferry_vehicle_fare,"
                    " van_rental_per_day, fuel_per_km, toll_per_road_leg,"
                    " honorarium_per_session, updated_at)"
                    " VALUES (1, 2026, 'diklat', 150000, 0, 0, 0, 0, 0, 900000, :t)"
                ),
                {"t": now},
            )
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as conn:
            assert conn.execute(
                sa.text(
                    "SELECT transport_allowance, meal_price, snack_price FROM budgets"
                )
            ).all() == [(150000, 0, 0)]
        for column in ("meal_price", "snack_price", "fuel_per_km"):
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                conn.execute(sa.text(f"UPDATE budgets SET {column} = -1"))
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE budgets SET meal_price = 45000"))
        downgrade(directory=MIGRATIONS, revision=before)
        with db.engine.connect() as conn:
            assert conn.execute(
                sa.text("SELECT event_id, honorarium_per_session FROM budgets")
            ).all() == [(1, 900000)]
            columns = {c["name"] for c in sa.inspect(conn).get_columns("budgets")}
        assert not columns & {"meal_price", "snack_price"}
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE budgets SET fuel_per_km = -1"))
