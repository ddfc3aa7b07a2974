"""Delegations, delegates and their change history.

Revision ID: b418e1b24f85
Revises: b870ebb129d6
Create Date: 2026-11-22 23:11:17.800071

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b418e1b24f85'
down_revision = 'b870ebb129d6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('confirmed_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('head_user_id', sa.Integer(), nullable=True),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('confirmed_count >= 0 AND confirmed_count <= quota', name=op.f('ck_delegations_within_quota')),
    sa.CheckConstraint('quota >= 0', name=op.f('ck_delegations_quota_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_delegations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['head_user_id'], ['users.id'], name=op.f('fk_delegations_head_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_delegations_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations')),
    sa.UniqueConstraint('event_id', 'name', name='uq_delegations_event_name'),
    sa.UniqueConstraint('event_id', 'region_id', name='uq_delegations_event_region')
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_head_user_id'), ['head_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_region_id'), ['region_id'], unique=False)

    op.create_table('delegates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_delegates_delegation_id_delegations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_delegates_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_delegates_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replaces_id'], ['delegates.id'], name=op.f('fk_delegates_replaces_id_delegates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegates')),
    sa.UniqueConstraint('event_id', 'person_id', name='uq_delegates_event_person'),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_delegates_replaces_id'))
    )
    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.create_index('ix_delegates_delegation_status', ['delegation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegates_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegates_person_id'), ['person_id'], unique=False)

    op.create_table('delegate_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('other_delegate_id', sa.Integer(), nullable=True),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_delegate_changes_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_delegate_changes_delegate_id_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_delegate_id'], ['delegates.id'], name=op.f('fk_delegate_changes_other_delegate_id_delegates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegate_changes'))
    )
    with op.batch_alter_table('delegate_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegate_changes_delegate_id'), ['delegate_id'], unique=False)



def downgrade():
    with op.batch_alter_table('delegate_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegate_changes_delegate_id'))

    op.drop_table('delegate_changes')
    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegates_person_id'))
        batch_op.drop_index(batch_op.f('ix_delegates_event_id'))
        batch_op.drop_index('ix_delegates_delegation_status')

    op.drop_table('delegates')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_region_id'))
        batch_op.drop_index(batch_op.f('ix_delegations_head_user_id'))
        batch_op.drop_index(batch_op.f('ix_delegations_event_id'))

    op.drop_table('delegations')
