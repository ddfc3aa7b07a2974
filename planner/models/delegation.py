"""Delegations (one per region or named body in an event) and their delegates."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import UTCDateTime, new_feed_token, str_enum, utcnow

if TYPE_CHECKING:
    from planner.models.event import Event
    from planner.models.person import Person
    from planner.models.region import Region
    from planner.models.user import User


class DelegateRole(enum.StrEnum):
    PARTICIPANT = "participant"
    HEAD = "head"  #: head of delegation (ketua rombongan)
    SPEAKER = "speaker"  #: narasumber
    COMMITTEE = "committee"  #: panitia
    GUEST = "guest"  #: official guest


class DelegateStatus(enum.StrEnum):
    NOMINATED = "nominated"
    CONFIRMED = "confirmed"
    ATTENDED = "attended"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"  #: withdrawn in favour of another person (see replaced_by)


#: Statuses that hold a place in the quota.
QUOTA_STATUSES = (DelegateStatus.CONFIRMED, DelegateStatus.ATTENDED)
#: Who takes part in the event: confirmed or attended, never a mere nominee. The one
#: definition behind daftar hadir, check-in cards, "Hadir x dari y" and the manifests.
TAKING_PART = QUOTA_STATUSES
#: Statuses of people still expected at the event.
ACTIVE_STATUSES = (
    DelegateStatus.NOMINATED,
    DelegateStatus.CONFIRMED,
    DelegateStatus.ATTENDED,
)


class Delegation(db.Model):
    """The group an event expects from one region (or a named body such as IPSM Pusat)."""

    __tablename__ = "delegations"
    __table_args__ = (
        UniqueConstraint("event_id", "region_id", name="uq_delegations_event_region"),
        UniqueConstraint("event_id", "name", name="uq_delegations_event_name"),
        CheckConstraint("quota >= 0", name="quota_not_negative"),
        # The quota holds even when two chapter heads confirm at the same instant: the
        # service raises confirmed_count with a conditional UPDATE, and this check
        # refuses anything that slips past it.
        CheckConstraint(
            "confirmed_count >= 0 AND confirmed_count <= quota", name="within_quota"
        ),
        # What a delegate's composite foreign key points at: the delegation *in its
        # event*, so the database refuses a delegate whose event is not its delegation's.
        UniqueConstraint("id", "event_id", name="uq_delegations_id_event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: NULL for a named body that is no region ("IPSM Pusat").
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    #: As printed on rosters: the region's name, or the body's.
    name: Mapped[str] = mapped_column(String(200))
    quota: Mapped[int] = mapped_column(default=0)
    #: Delegates holding a quota place (confirmed or attended); kept by the services.
    confirmed_count: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The chapter-head account answering for this delegation; NULL: the organiser does.
    head_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: After this moment only organisers change the list.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str | None] = mapped_column(Text)
    #: Secret of the delegation's calendar feed; NULL once revoked (a new one is
    #: issued with one click). Random, never derived from the id or the login.
    feed_token: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, default=new_feed_token
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship(back_populates="delegations")
    region: Mapped[Region | None] = relationship()
    head: Mapped[User | None] = relationship()
    delegates: Mapped[list[Delegate]] = relationship(
        back_populates="delegation",
        order_by="Delegate.id",
        foreign_keys="Delegate.delegation_id",
    )

    @property
    def places_left(self) -> int:
        return max(self.quota - self.confirmed_count, 0)

    def __repr__(self) -> str:
        return f"<Delegation {self.id} {self.name}>"


class Delegate(db.Model):
    """A person taking part in an event, through a delegation or in their own role."""

    __tablename__ = "delegates"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id", name="uq_delegates_event_person"),
        Index("ix_delegates_delegation_status", "delegation_id", "status"),
        # A delegate's delegation belongs to the delegate's own event (NULL delegation:
        # not checked). The ORM relationship follows delegation_id alone; event_id is
        # set by whoever creates the delegate.
        ForeignKeyConstraint(
            ["delegation_id", "event_id"],
            ["delegations.id", "delegations.event_id"],
            ondelete="RESTRICT",
            name="fk_delegates_delegation_id_event_id_delegations",
        ),
        # Seats point at (delegate, event): see SeatAssignment.
        UniqueConstraint("id", "event_id", name="uq_delegates_id_event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: NULL for speakers, committee and guests who belong to no regional delegation.
    delegation_id: Mapped[int | None] = mapped_column()
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[DelegateRole] = mapped_column(
        str_enum(DelegateRole, 16), default=DelegateRole.PARTICIPANT
    )
    status: Mapped[DelegateStatus] = mapped_column(
        str_enum(DelegateStatus, 16), default=DelegateStatus.NOMINATED
    )
    #: The delegate this one replaced (a substitution), if any.
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegates.id", ondelete="SET NULL"), unique=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    #: Secret of the delegate's personal calendar feed (see Delegation.feed_token).
    feed_token: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, default=new_feed_token
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    delegation: Mapped[Delegation | None] = relationship(
        back_populates="delegates", foreign_keys=[delegation_id]
    )
    person: Mapped[Person] = relationship()
    replaces: Mapped[Delegate | None] = relationship(
        remote_side=[id], back_populates="replaced_by"
    )
    replaced_by: Mapped[Delegate | None] = relationship(back_populates="replaces")
    changes: Mapped[list[DelegateChange]] = relationship(
        back_populates="delegate",
        order_by="DelegateChange.id",
        foreign_keys="DelegateChange.delegate_id",
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def holds_quota_place(self) -> bool:
        return self.status in QUOTA_STATUSES

    def __repr__(self) -> str:
        return f"<Delegate {self.id} person={self.person_id} {self.status}>"


class DelegateChange(db.Model):
    """One step in a delegate's history: who changed what, when (append-only)."""

    __tablename__ = "delegate_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    #: nominated, confirmed, attended, withdrawn, replaced, reinstated, moved, role…
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    #: For a substitution: the other delegate (the replacement, or the one replaced).
    other_delegate_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegates.id", ondelete="SET NULL")
    )
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))

    delegate: Mapped[Delegate] = relationship(
        back_populates="changes", foreign_keys=[delegate_id]
    )
    other_delegate: Mapped[Delegate | None] = relationship(
        foreign_keys=[other_delegate_id]
    )
    by_user: Mapped[User | None] = relationship()
