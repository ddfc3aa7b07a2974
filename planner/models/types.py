"""Column types shared by the models."""

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An aware datetime stored in UTC; naive values are refused, results are aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UTCDateTime refuses naive datetimes")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: Largest id an INTEGER key holds on every backend (32 bits on PostgreSQL; SQLite
#: would take 64): a bigger id in a URL or a form cannot exist and must not reach SQL.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """The current time, aware, in UTC (used as a column default callable)."""
    return datetime.now(UTC)


def str_enum(enum_cls: type[enum.StrEnum], length: int = 24) -> Enum:
    """A StrEnum stored by value in a VARCHAR (no native database enum)."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=False,
    )
