"""Stays at hotels, the rooms booked there and who sleeps in them; dietary notes on
people and packed meals on legs (issue 12).

Revision ID: f3a8d1c6b2e4
Revises: a6c3e9f1d2b4
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "f3a8d1c6b2e4"
down_revision = "a6c3e9f1d2b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "stays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("check_in_on", sa.Date(), nullable=False),
        sa.Column("check_out_on", sa.Date(), nullable=False),
        sa.Column("booking_ref", sa.String(length=60), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("check_out_on > check_in_on", name=op.f("ck_stays_valid_dates")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_stays_event_id_events"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["place_id"], ["places.id"], name=op.f("fk_stays_place_id_places"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stays")),
    )
    with op.batch_alter_table("stays", schema=None) as batch_op:
        batch_op.create_index("ix_stays_event_check_in", ["event_id", "check_in_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_stays_place_id"), ["place_id"], unique=False)
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stay_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("room_type", sa.Enum("single", "twin", "double", "triple", "dormitory", name="roomtype", native_enum=False, length=16, create_constraint=False), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("rate", sa.Integer(), nullable=False),
        sa.Column("is_family", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("beds >= 1 AND beds <= 100", name=op.f("ck_rooms_valid_beds")),
        sa.CheckConstraint("rate >= 0", name=op.f("ck_rooms_rate_not_negative")),
        sa.ForeignKeyConstraint(["stay_id"], ["stays.id"], name=op.f("fk_rooms_stay_id_stays"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sa.UniqueConstraint("stay_id", "label", name="uq_rooms_stay_label"),
    )
    with op.batch_alter_table("rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rooms_stay_id"), ["stay_id"], unique=False)
    op.create_table(
        "room_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stay_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("is_pinned", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], name=op.f("fk_room_assignments_delegate_id_delegates"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name=op.f("fk_room_assignments_room_id_rooms"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stay_id"], ["stays.id"], name=op.f("fk_room_assignments_stay_id_stays"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_assignments")),
        sa.UniqueConstraint("stay_id", "delegate_id", name="uq_room_assignments_stay"),
    )
    with op.batch_alter_table("room_assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_assignments_delegate_id"), ["delegate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_room_assignments_room_id"), ["room_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_room_assignments_stay_id"), ["stay_id"], unique=False)
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dietary_notes", sa.String(length=200), nullable=True))
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("has_packed_meal", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.drop_column("has_packed_meal")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("dietary_notes")
    op.drop_table("room_assignments")
    op.drop_table("rooms")
    op.drop_table("stays")
