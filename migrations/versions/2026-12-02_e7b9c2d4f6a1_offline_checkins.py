"""Check-ins sent from phones that were offline (issue 14).

One row per record a phone sent, unique by the id the phone made, so a queue sent twice
is applied once.

Revision ID: e7b9c2d4f6a1
Revises: d4e8f1a2b3c5
Create Date: 2026-12-02 16:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "e7b9c2d4f6a1"
down_revision = "d4e8f1a2b3c5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "offline_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Enum("in", "undo", name="checkinaction", native_enum=False, length=8, create_constraint=False), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Enum("applied", "earlier", "later", "ignored", "refused", name="checkinoutcome", native_enum=False, length=12, create_constraint=False), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["by_user_id"], ["users.id"], name=op.f("fk_offline_checkins_by_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], name=op.f("fk_offline_checkins_delegate_id_delegates"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_offline_checkins_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_checkins")),
        sa.UniqueConstraint("client_id", name=op.f("uq_offline_checkins_client_id")),
    )
    with op.batch_alter_table("offline_checkins", schema=None) as batch_op:
        batch_op.create_index("ix_offline_checkins_event_at", ["event_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_offline_checkins_delegate_id"), ["delegate_id"], unique=False)


def downgrade():
    with op.batch_alter_table("offline_checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offline_checkins_delegate_id"))
        batch_op.drop_index("ix_offline_checkins_event_at")
    op.drop_table("offline_checkins")
