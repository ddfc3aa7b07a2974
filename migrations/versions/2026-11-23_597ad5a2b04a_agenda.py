"""Agenda: run-down items with speakers and audience; feed tokens; leg revisions.

Existing delegates and delegations get a fresh random feed token each, before the
unique constraints are created.

Revision ID: 597ad5a2b04a
Revises: 500029d44990
Create Date: 2026-11-23 01:17:32.880492

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '597ad5a2b04a'
down_revision = '500029d44990'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=120), nullable=True),
    sa.Column('audience', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_agenda_items_valid_times')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_agenda_items_sequence_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_agenda_items_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_agenda_items_place_id_places'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_event_starts', ['event_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_place_id'), ['place_id'], unique=False)

    op.create_table('agenda_item_delegations',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_agenda_item_delegations_delegation_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_agenda_item_delegations_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'delegation_id', name=op.f('pk_agenda_item_delegations'))
    )
    with op.batch_alter_table('agenda_item_delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_delegations_delegation_id'), ['delegation_id'], unique=False)

    op.create_table('agenda_speakers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.CheckConstraint('person_id IS NOT NULL OR name IS NOT NULL', name=op.f('ck_agenda_speakers_person_or_name')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_agenda_speakers_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_agenda_speakers_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_speakers'))
    )
    with op.batch_alter_table('agenda_speakers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_speakers_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_speakers_person_id'), ['person_id'], unique=False)

    # Plain ALTER TABLE ADD COLUMN and a unique index: no table is rebuilt, so SQLite's
    # foreign keys from the tables that point at these stay satisfied.
    for table in ('delegates', 'delegations'):
        op.add_column(table, sa.Column('feed_token', sa.String(length=64), nullable=True))
        _issue_tokens(table)
        op.create_index(op.f(f'ix_{table}_feed_token'), table, ['feed_token'], unique=True)

    op.add_column('legs', sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))


def _issue_tokens(table_name):
    """Give every existing row its own random token (as the model's default does)."""
    table = sa.table(table_name, sa.column('id', sa.Integer), sa.column('feed_token', sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(table.c.id)).scalars().all()
    for row_id in ids:
        connection.execute(
            table.update()
            .where(table.c.id == row_id)
            .values(feed_token=secrets.token_urlsafe(24))
        )


def downgrade():
    # Native DROP COLUMN (SQLite 3.35+), no rebuild: see upgrade().
    op.drop_column('legs', 'sequence')
    for table in ('delegations', 'delegates'):
        op.drop_index(op.f(f'ix_{table}_feed_token'), table_name=table)
        op.drop_column(table, 'feed_token')

    with op.batch_alter_table('agenda_speakers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_speakers_person_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_speakers_item_id'))

    op.drop_table('agenda_speakers')
    with op.batch_alter_table('agenda_item_delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_delegations_delegation_id'))

    op.drop_table('agenda_item_delegations')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_place_id'))
        batch_op.drop_index('ix_agenda_items_event_starts')

    op.drop_table('agenda_items')
