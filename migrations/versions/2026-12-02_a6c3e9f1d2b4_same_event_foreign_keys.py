"""Composite foreign keys: a delegate's delegation and a seat's trip, vehicle and
delegate belong to the same event, and the database refuses a row where they do not.

delegates (delegation_id, event_id) -> delegations (id, event_id); seat_assignments gets
an event_id (filled from its trip) and (trip_id | vehicle_id | delegate_id, event_id) ->
trips | vehicles | delegates (id, event_id). Each referred (id, event_id) pair needs a
unique constraint.

Revision ID: a6c3e9f1d2b4
Revises: f3a8d1c6b2e9
Create Date: 2026-12-02 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6c3e9f1d2b4'
down_revision = 'f3a8d1c6b2e9'
branch_labels = None
depends_on = None

#: (column, referred table) of each single-column key of seat_assignments replaced.
SEAT_KEYS = (
    ('trip_id', 'trips'),
    ('vehicle_id', 'vehicles'),
    ('delegate_id', 'delegates'),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _sqlite_foreign_keys(on: bool) -> None:
    """SQLite rebuilds each table; dropping the old copy of a table others point at
    must not trip (or cascade through) their foreign keys."""
    if _sqlite():
        op.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def _sqlite_check_foreign_keys() -> None:
    """SQLite did not check the rows while its foreign keys were off: check them now,
    as PostgreSQL does when it adds a constraint."""
    if _sqlite():
        wrong = op.get_bind().exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if wrong:
            raise RuntimeError(f'rows refused by a foreign key: {wrong[:10]}')


def upgrade():
    _sqlite_foreign_keys(False)
    for table in ('delegations', 'delegates', 'trips', 'vehicles'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(
                f'uq_{table}_id_event_id', ['id', 'event_id']
            )

    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_delegates_delegation_id_delegations', type_='foreignkey'
        )
        batch_op.create_foreign_key(
            'fk_delegates_delegation_id_event_id_delegations',
            'delegations',
            ['delegation_id', 'event_id'],
            ['id', 'event_id'],
            ondelete='RESTRICT',
        )

    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
    op.execute(
        'UPDATE seat_assignments SET event_id = '
        '(SELECT trips.event_id FROM trips WHERE trips.id = seat_assignments.trip_id)'
    )
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        batch_op.alter_column('event_id', existing_type=sa.Integer(), nullable=False)
        for column, referred in SEAT_KEYS:
            batch_op.drop_constraint(
                f'fk_seat_assignments_{column}_{referred}', type_='foreignkey'
            )
            batch_op.create_foreign_key(
                f'fk_seat_assignments_{column}_event_id_{referred}',
                referred,
                [column, 'event_id'],
                ['id', 'event_id'],
                ondelete='CASCADE',
            )
    _sqlite_check_foreign_keys()
    _sqlite_foreign_keys(True)


def downgrade():
    _sqlite_foreign_keys(False)
    with op.batch_alter_table('seat_assignments', schema=None) as batch_op:
        for column, referred in SEAT_KEYS:
            batch_op.drop_constraint(
                f'fk_seat_assignments_{column}_event_id_{referred}', type_='foreignkey'
            )
            batch_op.create_foreign_key(
                f'fk_seat_assignments_{column}_{referred}',
                referred,
                [column],
                ['id'],
                ondelete='CASCADE',
            )
        batch_op.drop_column('event_id')

    with op.batch_alter_table('delegates', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_delegates_delegation_id_event_id_delegations', type_='foreignkey'
        )
        batch_op.create_foreign_key(
            'fk_delegates_delegation_id_delegations',
            'delegations',
            ['delegation_id'],
            ['id'],
            ondelete='RESTRICT',
        )

    for table in ('delegations', 'delegates', 'trips', 'vehicles'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{table}_id_event_id', type_='unique')
    _sqlite_check_foreign_keys()
    _sqlite_foreign_keys(True)
