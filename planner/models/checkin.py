"""Check-ins made on a phone, perhaps without signal, and sent later.

Each tap on the phone gets an id made there (a UUID) and the moment it happened. The
server keeps every one it receives, once (the id is unique: sending the same queue twice
changes nothing), with what it did about it, so two phones checking in the same person
leave two rows here and two steps in the delegate's history.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.types import UTCDateTime, str_enum, utcnow


class CheckinAction(enum.StrEnum):
    CHECK_IN = "in"
    UNDO = "undo"


class CheckinOutcome(enum.StrEnum):
    #: The delegate became present (or was no longer) because of this record.
    APPLIED = "applied"
    #: Already present: this earlier moment replaced the later one.
    EARLIER = "earlier"
    #: Already present since an earlier moment: kept in the history only.
    LATER = "later"
    #: An undo older than the check-in it would undo, or of someone not present.
    IGNORED = "ignored"
    #: Refused by a rule (withdrawn, quota full, cancelled event); the reason is kept.
    REFUSED = "refused"


class OfflineCheckin(db.Model):
    """One check-in (or undo) tapped on a phone, as received."""

    __tablename__ = "offline_checkins"
    __table_args__ = (Index("ix_offline_checkins_event_at", "event_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Made on the phone (UUID); unique, so a record sent twice is kept once.
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[CheckinAction] = mapped_column(str_enum(CheckinAction, 8))
    #: When it was tapped, by the phone's clock.
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    outcome: Mapped[CheckinOutcome] = mapped_column(str_enum(CheckinOutcome, 12))
    note: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<OfflineCheckin {self.client_id} {self.action} {self.outcome}>"
