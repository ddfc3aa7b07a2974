"""Agenda items get a committee-only note, apart from the public notes.

Revision ID: c7a1e5d3b9f2
Revises: c5d7b3325b74
Create Date: 2026-12-02 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7a1e5d3b9f2'
down_revision = 'c5d7b3325b74'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('committee_notes', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('committee_notes')
