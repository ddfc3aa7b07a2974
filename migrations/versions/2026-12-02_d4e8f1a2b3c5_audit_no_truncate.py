"""The audit trail refuses TRUNCATE too (PostgreSQL; SQLite has no TRUNCATE).

Audit finding 1: the triggers stopped UPDATE and DELETE but not TRUNCATE. A statement
trigger closes it, for the tables' owner as well; the application runs as a role that
does not own the tables (``flask database runtime-role``), so it can neither disable the
triggers nor drop the table.

Revision ID: d4e8f1a2b3c5
Revises: c7a1e5d3b9f2
Create Date: 2026-12-02 16:10:00

"""
from alembic import op

# Frozen copies of the statements in planner.models.audit.
CREATE = (
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()"
)
DROP = "DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries"

# revision identifiers, used by Alembic.
revision = "d4e8f1a2b3c5"
down_revision = "c7a1e5d3b9f2"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CREATE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DROP)
