"""Column types shared by the models."""

import enum
import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, event
from sqlalchemy.orm import object_session
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


#: Length of a feed token: 32 URL-safe characters hold 192 random bits.
FEED_TOKEN_BYTES = 24


def new_feed_token() -> str:
    """A fresh secret for a calendar subscription address (``/feeds/<token>.ics``)."""
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


def track_revisions(cls):
    """Raise ``sequence`` and ``updated_at`` whenever an instance really changes.

    For rows published in calendar feeds (agenda items, legs): iCalendar clients take
    a higher SEQUENCE as "this entry was revised". Relationship changes count too (the
    vehicles of a leg, the delegations of an item). Bulk UPDATE statements bypass this
    and must raise ``sequence`` themselves.
    """

    @event.listens_for(cls, "before_update")
    def _bump(mapper, connection, target) -> None:
        session = object_session(target)
        if session is not None and session.is_modified(
            target, include_collections=True
        ):
            target.sequence = (target.sequence or 0) + 1
            target.updated_at = utcnow()

    return cls
