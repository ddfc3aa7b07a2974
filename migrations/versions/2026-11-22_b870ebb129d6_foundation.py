"""Foundation: regions, places, people, events, users and their links.

Revision ID: b870ebb129d6
Revises: (none, first revision)
Create Date: 2026-11-22 22:57:19.433698

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b870ebb129d6'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('tz_abbr', sa.String(length=4), nullable=False),
    sa.Column('seat', sa.String(length=120), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.CheckConstraint("(kind = 'provinsi') = (parent_id IS NULL)", name=op.f('ck_regions_province_has_no_parent')),
    sa.CheckConstraint("tz_abbr IN ('WIB', 'WITA', 'WIT')", name=op.f('ck_regions_known_tz_abbr')),
    sa.ForeignKeyConstraint(['parent_id'], ['regions.id'], name=op.f('fk_regions_parent_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('code', name=op.f('uq_regions_code'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_parent_id'), ['parent_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('sex', sa.String(length=8), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('pillar', sa.String(length=24), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('nik', sa.String(length=16), nullable=True),
    sa.Column('birth_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('nik IS NULL OR length(nik) = 16', name=op.f('ck_people_nik_sixteen_digits')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_people_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('nik', name=op.f('uq_people_nik'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_full_name'), ['full_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_region_id'), ['region_id'], unique=False)

    op.create_table('places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('coordinate_source', sa.String(length=16), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(lat IS NULL) = (lon IS NULL)', name=op.f('ck_places_lat_lon_together')),
    sa.CheckConstraint('lat IS NULL OR (lat >= -90 AND lat <= 90)', name=op.f('ck_places_valid_lat')),
    sa.CheckConstraint('lon IS NULL OR (lon >= -180 AND lon <= 180)', name=op.f('ck_places_valid_lon')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_places_region_id_regions'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places')),
    sa.UniqueConstraint('code', name=op.f('uq_places_code'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_region_id'), ['region_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('organiser_body', sa.String(length=200), nullable=False),
    sa.Column('host_region_id', sa.Integer(), nullable=True),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('cancelled_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_events_capacity_not_negative')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_events_valid_dates')),
    sa.ForeignKeyConstraint(['host_region_id'], ['regions.id'], name=op.f('fk_events_host_region_id_regions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['venue_id'], ['places.id'], name=op.f('fk_events_venue_id_places'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_host_region_id'), ['host_region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_venue_id'), ['venue_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_organiser', sa.Boolean(), nullable=False),
    sa.Column('is_disabled', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('session_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_users_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('person_id', name=op.f('uq_users_person_id'))
    )
    op.create_table('event_organisers',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_organisers_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_event_organisers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_event_organisers'))
    )
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_organisers_user_id'), ['user_id'], unique=False)

    op.create_table('user_regions',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_user_regions_region_id_regions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_regions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'region_id', name=op.f('pk_user_regions'))
    )
    with op.batch_alter_table('user_regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_regions_region_id'), ['region_id'], unique=False)



def downgrade():
    with op.batch_alter_table('user_regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_regions_region_id'))

    op.drop_table('user_regions')
    with op.batch_alter_table('event_organisers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_organisers_user_id'))

    op.drop_table('event_organisers')
    op.drop_table('users')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_venue_id'))
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_starts_on'))
        batch_op.drop_index(batch_op.f('ix_events_host_region_id'))

    op.drop_table('events')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_region_id'))
        batch_op.drop_index(batch_op.f('ix_places_name'))

    op.drop_table('places')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_region_id'))
        batch_op.drop_index(batch_op.f('ix_people_phone'))
        batch_op.drop_index(batch_op.f('ix_people_full_name'))

    op.drop_table('people')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_parent_id'))
        batch_op.drop_index(batch_op.f('ix_regions_name'))

    op.drop_table('regions')
