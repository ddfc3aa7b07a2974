"""Audit trail: append-only audit_entries (triggers refuse UPDATE and DELETE).

No foreign keys on purpose: an entry outlives the user, event and row it describes.

Revision ID: be188aaa7f19
Revises: 597ad5a2b04a
Create Date: 2026-11-23 01:27:24.452401

"""
from alembic import op
import sqlalchemy as sa

# Frozen copies of planner.models.audit.APPEND_ONLY / DROP_APPEND_ONLY.
APPEND_ONLY = {'postgresql': ['CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE '
                "plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$",
                'CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries '
                'FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()'],
 'sqlite': ['CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT '
            "RAISE(ABORT, 'audit_entries is append-only'); END",
            'CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT '
            "RAISE(ABORT, 'audit_entries is append-only'); END"]}

DROP_APPEND_ONLY = {'postgresql': ['DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries',
                'DROP FUNCTION IF EXISTS audit_entries_append_only()'],
 'sqlite': ['DROP TRIGGER IF EXISTS audit_entries_no_update',
            'DROP TRIGGER IF EXISTS audit_entries_no_delete']}


# revision identifiers, used by Alembic.
revision = 'be188aaa7f19'
down_revision = '597ad5a2b04a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_label', sa.String(length=254), nullable=True),
    sa.Column('entity', sa.String(length=24), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index('ix_audit_entries_event_at', ['event_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)



    for statement in APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP_APPEND_ONLY.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index('ix_audit_entries_event_at')
        batch_op.drop_index('ix_audit_entries_entity')

    op.drop_table('audit_entries')
