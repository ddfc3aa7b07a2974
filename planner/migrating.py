"""Alembic hooks shared by ``migrations/env.py`` and the test that compares models with
migrations."""

import sqlalchemy as sa

from planner.models.types import UTCDateTime


def render_item(type_, obj, autogen_context):
    """Render app-specific column types as plain SQLAlchemy types in migration scripts.

    UTCDateTime is a DateTime(timezone=True) with conversion in Python; StrEnums are
    stored by value in a VARCHAR, so adding a member needs no migration.
    """
    if type_ == "type":
        if isinstance(obj, UTCDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(obj, sa.Enum) and not obj.native_enum:
            return f"sa.String(length={obj.length})"
    return False


def compare_type(
    context, inspected_column, metadata_column, inspected_type, metadata_type
):
    """Treat a non-native Enum and the VARCHAR it is stored in as the same type."""
    if isinstance(metadata_type, sa.Enum) and not metadata_type.native_enum:
        return not (
            isinstance(inspected_type, sa.String)
            and inspected_type.length == metadata_type.length
        )
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, sa.DateTime)
    return None
