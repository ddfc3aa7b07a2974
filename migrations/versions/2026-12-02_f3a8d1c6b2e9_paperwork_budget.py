"""The paperwork of an event (issue 13): budget settings, hand-typed budget lines,
certificate templates and certificates, invitation letters.

Revision ID: f3a8d1c6b2e9
Revises: e4f1a9c2d7b6
Create Date: 2026-12-02 17:00:00

"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "f3a8d1c6b2e9"
down_revision = "e4f1a9c2d7b6"
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


def upgrade():
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column(
            "allowance_kind",
            sa.Enum(
                "luar_kota",
                "dalam_kota_lebih_8_jam",
                "diklat",
                name="allowancekind",
                native_enum=False,
                length=24,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("allowance_rate", sa.Integer(), nullable=True),
        sa.Column("transport_allowance", sa.Integer(), nullable=False),
        sa.Column("ferry_passenger_fare", sa.Integer(), nullable=False),
        sa.Column("ferry_vehicle_fare", sa.Integer(), nullable=False),
        sa.Column("van_rental_per_day", sa.Integer(), nullable=False),
        sa.Column("fuel_per_km", sa.Integer(), nullable=False),
        sa.Column("toll_per_road_leg", sa.Integer(), nullable=False),
        sa.Column("honorarium_per_session", sa.Integer(), nullable=False),
        sa.Column("treasurer_name", sa.String(length=200), nullable=True),
        sa.Column("treasurer_nip", sa.String(length=30), nullable=True),
        sa.Column("official_name", sa.String(length=200), nullable=True),
        sa.Column("official_position", sa.String(length=200), nullable=True),
        sa.Column("official_nip", sa.String(length=30), nullable=True),
        sa.Column("signing_place", sa.String(length=120), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            " AND ".join(f"{n} >= 0" for n in RATES),
            name=op.f("ck_budgets_rates_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_budgets_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint("event_id", name=op.f("uq_budgets_event_id")),
    )
    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "allowance",
                "transport",
                "honorarium",
                "other",
                name="budgetcategory",
                native_enum=False,
                length=16,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "quantity >= 0", name=op.f("ck_budget_lines_quantity_not_negative")
        ),
        sa.CheckConstraint(
            "unit_price >= 0", name=op.f("ck_budget_lines_unit_price_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["delegation_id"],
            ["delegations.id"],
            name=op.f("fk_budget_lines_delegation_id_delegations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_budget_lines_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_lines_event_id"), ["event_id"], unique=False
        )

    op.create_table(
        "certificate_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("number_pattern", sa.String(length=120), nullable=False),
        sa.Column("lesson_hours", sa.Integer(), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_position", sa.String(length=200), nullable=False),
        sa.Column("signatory_nip", sa.String(length=30), nullable=True),
        sa.Column("signature_image", sa.LargeBinary(), nullable=True),
        sa.Column("signature_mime", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("lesson_hours >= 0", name=op.f("ck_certificate_templates_lesson_hours_not_negative")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_certificate_templates_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_templates")),
        sa.UniqueConstraint("event_id", name=op.f("uq_certificate_templates_event_id")),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=160), nullable=False),
        sa.Column("code", sa.String(length=43), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], name=op.f("fk_certificates_delegate_id_delegates"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_certificates_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_certificates_code")),
        sa.UniqueConstraint("event_id", "delegate_id", name="uq_certificates_event_delegate"),
        sa.UniqueConstraint("event_id", "sequence", name="uq_certificates_event_sequence"),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificates_event_id"), ["event_id"], unique=False)

    op.create_table(
        "letter_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("office_name", sa.String(length=200), nullable=False),
        sa.Column("office_address", sa.String(length=300), nullable=False),
        sa.Column("logo_image", sa.LargeBinary(), nullable=True),
        sa.Column("logo_mime", sa.String(length=20), nullable=True),
        sa.Column("number_pattern", sa.String(length=120), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("recipient_kind", sa.Enum("office", "chapter", name="recipientkind", native_enum=False, length=12, create_constraint=False), nullable=False),
        sa.Column("signing_place", sa.String(length=120), nullable=False),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_position", sa.String(length=200), nullable=False),
        sa.Column("signatory_nip", sa.String(length=30), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("first_number >= 1", name=op.f("ck_letter_settings_first_number_positive")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_letter_settings_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_settings")),
        sa.UniqueConstraint("event_id", name=op.f("uq_letter_settings_event_id")),
    )
    op.create_table(
        "invitation_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=160), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name=op.f("fk_invitation_letters_delegation_id_delegations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_invitation_letters_event_id_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_letters")),
        sa.UniqueConstraint("delegation_id", name="uq_invitation_letters_delegation_id"),
        sa.UniqueConstraint("event_id", "sequence", name="uq_invitation_letters_event_sequence"),
    )
    with op.batch_alter_table("invitation_letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invitation_letters_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("invitation_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_letters_event_id"))
    op.drop_table("invitation_letters")
    op.drop_table("letter_settings")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificates_event_id"))
    op.drop_table("certificates")
    op.drop_table("certificate_templates")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_lines_event_id"))
    op.drop_table("budget_lines")
    op.drop_table("budgets")
