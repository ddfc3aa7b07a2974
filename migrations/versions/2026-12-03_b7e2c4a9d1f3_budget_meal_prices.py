"""The budget's meals: a price per meal portion and per snack portion, never negative
(issue 13, item 1). Accommodation and meals are new budget categories too, but the
category is a plain VARCHAR(16): its new values need no schema change.

Revision ID: b7e2c4a9d1f3
Revises: f3a8d1c6b2e4
Create Date: 2026-12-03 08:00:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "b7e2c4a9d1f3"
down_revision = "f3a8d1c6b2e4"
branch_labels = None
depends_on = None

RATES = (
    "allowance_rate",
    "transport_allowance",
    "ferry_passenger_fare",
    "ferry_vehicle_fare",
    "van_rental_per_day",
    "fuel_per_km",
    "toll_per_road_leg",
    "honorarium_per_session",
)
NEW_RATES = ("meal_price", "snack_price")


def _not_negative(names) -> sa.TextClause:
    return sa.text(" AND ".join(f"{n} >= 0" for n in names))


def upgrade():
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        for name in NEW_RATES:
            batch_op.add_column(
                sa.Column(name, sa.Integer(), server_default="0", nullable=False)
            )
        batch_op.drop_constraint(op.f("ck_budgets_rates_not_negative"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_budgets_rates_not_negative"), _not_negative((*RATES, *NEW_RATES))
        )


def downgrade():
    with op.batch_alter_table("budgets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_budgets_rates_not_negative"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_budgets_rates_not_negative"), _not_negative(RATES)
        )
        for name in reversed(NEW_RATES):
            batch_op.drop_column(name)
