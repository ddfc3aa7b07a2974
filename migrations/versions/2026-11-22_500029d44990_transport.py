"""Transport: vehicles, trips, legs (with the vehicles and delegations aboard) and seats.

Revision ID: 500029d44990
Revises: b418e1b24f85
Create Date: 2026-11-22 23:43:22.751009

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '500029d44990'
down_revision = 'b418e1b24f85'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_trips_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trips')),
    sa.UniqueConstraint('event_id', 'name', name='uq_trips_event_name')
    )
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trips_event_id'), ['event_id'], unique=False)

    op.create_table('vehicles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('plate', sa.String(length=16), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('driver_name', sa.String(length=120), nullable=True),
    sa.Column('driver_phone', sa.String(length=20), nullable=True),
    sa.Column('operator', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seats >= 1 AND seats <= 100', name=op.f('ck_vehicles_seats_in_range')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_vehicles_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vehicles')),
    sa.UniqueConstraint('event_id', 'label', name='uq_vehicles_event_label')
    )
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vehicles_event_id'), ['event_id'], unique=False)

    op.create_table('legs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('trip_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('from_place_id', sa.Integer(), nullable=False),
    sa.Column('to_place_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('departs_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('arrives_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('carrier', sa.String(length=120), nullable=True),
    sa.Column('vessel', sa.String(length=120), nullable=True),
    sa.Column('booking_ref', sa.String(length=60), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('arrives_at > departs_at', name=op.f('ck_legs_valid_times')),
    sa.CheckConstraint('from_place_id <> to_place_id', name=op.f('ck_legs_different_places')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_legs_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_place_id'], ['places.id'], name=op.f('fk_legs_from_place_id_places'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['to_place_id'], ['places.id'], name=op.f('fk_legs_to_place_id_places'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['trip_id'], ['trips.id'], name=op.f('fk_legs_trip_id_trips'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legs'))
    )
    with op.batch_alter_table('legs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legs_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legs_from_place_id'), ['from_place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legs_to_place_id'), ['to_place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legs_trip_id'), ['trip_id'], unique=False)

    op.create_table('leg_delegations',
    sa.Column('leg_id', sa.Integer(), nullable=False),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], name=op.f('fk_leg_delegations_delegation_id_delegations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['leg_id'], ['legs.id'], name=op.f('fk_leg_delegations_leg_id_legs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('leg_id', 'delegation_id', name=op.f('pk_leg_delegations'))
    )
    with op.batch_alter_table('leg_delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leg_delegations_delegation_id'), ['delegation_id'], unique=False)

    op.create_table('leg_vehicles',
    sa.Column('leg_id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['leg_id'], ['legs.id'], name=op.f('fk_leg_vehicles_leg_id_legs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_leg_vehicles_vehicle_id_vehicles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('leg_id', 'vehicle_id', name=op.f('pk_leg_vehicles'))
    )
    with op.batch_alter_table('leg_vehicles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leg_vehicles_vehicle_id'), ['vehicle_id'], unique=False)

    op.create_table('seat_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trip_id', sa.Integer(), nullable=False),
    sa.Column('vehicle_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('seat_number', sa.Integer(), nullable=True),
    sa.Column('is_pinned', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('seat_number IS NULL OR seat_number >= 1', name=op.f('ck_seat_assignments_seat_positive')),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_seat_assignments_delegate_id_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trip_id'], ['trips.id'], name=op.f('fk_seat_assignments_trip_id_trips'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vehicle_id'], ['vehicles.id'], name=op.f('fk_seat_assignments_vehicle_id_vehicles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_assignments')),
    sa.UniqueConstraint('trip_id', 'delegate_id', name='uq_seat_assignments_delegate'),
    sa.UniqueConstraint('trip_id', 'vehicle_id', 'seat_number', name='uq_seat_assignments_seat')
    )
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seat_assignments_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_assignments_trip_id'), ['trip_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_assignments_vehicle_id'), ['vehicle_id'], unique=False)



def downgrade():
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_assignments_vehicle_id'))
        batch_op.drop_index(batch_op.f('ix_seat_assignments_trip_id'))
        batch_op.drop_index(batch_op.f('ix_seat_assignments_delegate_id'))

    op.drop_table('seat_assignments')
    with op.batch_alter_table('leg_vehicles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leg_vehicles_vehicle_id'))

    op.drop_table('leg_vehicles')
    with op.batch_alter_table('leg_delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leg_delegations_delegation_id'))

    op.drop_table('leg_delegations')
    with op.batch_alter_table('legs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legs_trip_id'))
        batch_op.drop_index(batch_op.f('ix_legs_to_place_id'))
        batch_op.drop_index(batch_op.f('ix_legs_from_place_id'))
        batch_op.drop_index(batch_op.f('ix_legs_event_id'))

    op.drop_table('legs')
    with op.batch_alter_table('vehicles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vehicles_event_id'))

    op.drop_table('vehicles')
    with op.batch_alter_table('trips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trips_event_id'))

    op.drop_table('trips')
