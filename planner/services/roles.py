"""The PostgreSQL role the application runs as, apart from the role that owns the tables.

Migrations run as the owner (``flask db upgrade``). The web processes and the job worker
connect as a *runtime* role that may read and write rows but owns nothing: PostgreSQL lets
only a table's owner (or a superuser) alter it — disable its triggers, drop or truncate it
without the privilege. The audit trail gets SELECT and INSERT only, so even a compromised
application cannot rewrite history. Re-run the grants after every migration (new tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from planner.services import PlannerError

#: Tables the runtime role may only read and append to.
APPEND_ONLY_TABLES = frozenset({"audit_entries"})
#: Tables the runtime role may only read.
READ_ONLY_TABLES = frozenset({"alembic_version"})

_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(PlannerError):
    """The runtime role cannot be set up as asked; nothing was changed."""


@dataclass(frozen=True)
class RolePlan:
    """What ``grant_runtime_role`` will run (or ran): statements in order."""

    role: str
    create: bool
    statements: list[str]


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def plan_runtime_role(conn: Connection, role: str) -> RolePlan:
    """The statements that give ``role`` row access to every table and nothing more."""
    if conn.dialect.name != "postgresql":
        raise RoleError("A runtime role is a PostgreSQL matter; SQLite has no roles.")
    if not _ROLE_NAME.match(role or ""):
        raise RoleError(
            "A role name is lower-case letters, digits and underscores (max. 63)."
        )
    if role == conn.scalar(sa.text("SELECT current_user")):
        raise RoleError(
            "The runtime role must not be the role that runs migrations (the owner)."
        )
    tables = conn.scalars(
        sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename"
        )
    ).all()
    owned = conn.scalars(
        sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = :role"
        ),
        {"role": role},
    ).all()
    if owned:
        raise RoleError(
            f"{role} owns {len(owned)} table(s) ({', '.join(owned[:3])}…): "
            "an owner can disable triggers. Choose a role that owns nothing."
        )
    exists = conn.scalar(
        sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
    )
    q = _quote(conn, role)
    schema = _quote(conn, conn.scalar(sa.text("SELECT current_schema()")))
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {q}",
        f"GRANT USAGE ON SCHEMA {schema} TO {q}",
    ]
    for table in tables:
        t = f"{schema}.{_quote(conn, table)}"
        if table in APPEND_ONLY_TABLES:
            statements.append(f"GRANT SELECT, INSERT ON {t} TO {q}")
        elif table in READ_ONLY_TABLES:
            statements.append(f"GRANT SELECT ON {t} TO {q}")
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {q}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {q}")
    return RolePlan(role=role, create=not exists, statements=statements)


def grant_runtime_role(
    conn: Connection, role: str, password: str | None = None
) -> RolePlan:
    """Create ``role`` if missing (LOGIN, with ``password``) and run its grants.

    Runs on ``conn`` (the owner's connection); the caller commits.
    """
    plan = plan_runtime_role(conn, role)
    if plan.create:
        if not password:
            raise RoleError(
                f"Role {role} does not exist; give a password to create it."
            )
        if "\x00" in password:
            raise RoleError("A password cannot contain a NUL character.")
        literal = "'" + password.replace("'", "''") + "'"
        conn.execute(
            sa.text(f"CREATE ROLE {_quote(conn, role)} LOGIN PASSWORD {literal}")
        )
    for statement in plan.statements:
        conn.execute(sa.text(statement))
    return plan
