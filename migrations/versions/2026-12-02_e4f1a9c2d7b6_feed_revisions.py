"""Calendar feeds keep a stored revision per event, delegate and delegation.

Revision ID: e4f1a9c2d7b6
Revises: e7b9c2d4f6a1
Create Date: 2026-12-02 16:10:00.000000

"""
import secrets
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4f1a9c2d7b6'
down_revision = "e7b9c2d4f6a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'feed_revisions',
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.BigInteger(), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('kind', 'owner_id', name=op.f('pk_feed_revisions')),
    )
    # Every existing event starts with a revision of its own, so that its feeds can
    # be cached at once (one fresh random value: the key holds the event's id too).
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)
    op.execute(
        sa.text(
            "INSERT INTO feed_revisions (kind, owner_id, revision, changed_at) "
            "SELECT 'event', id, :revision, :now FROM events"
        ).bindparams(revision=secrets.randbits(62), now=now)
    )


def downgrade():
    op.drop_table('feed_revisions')
