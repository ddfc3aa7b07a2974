"""People: degree titles kept apart from the name; office holders known by position.

Revision ID: c5d7b3325b74
Revises: be188aaa7f19
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5d7b3325b74'
down_revision = 'be188aaa7f19'
branch_labels = None
depends_on = None

NAME_OR_OFFICE = (
    "trim(full_name) <> '' OR (position IS NOT NULL AND trim(position) <> ''"
    " AND institution IS NOT NULL AND trim(institution) <> '')"
)


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds the table to add a CHECK; dropping the old one must not trip the
    foreign keys of the delegates, users and speakers pointing at it."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def upgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_before', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('title_after', sa.String(length=60), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_people_name_or_office'), sa.text(NAME_OR_OFFICE)
        )
    _sqlite_foreign_keys(True)


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_people_name_or_office'), type_='check')
        batch_op.drop_column('title_after')
        batch_op.drop_column('title_before')
    _sqlite_foreign_keys(True)
