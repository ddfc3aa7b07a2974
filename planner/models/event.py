"""Events: rakor, bimtek, capacity-building days, study tours."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.place import Place
from planner.models.region import Region
from planner.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from planner.models.delegation import Delegation
    from planner.models.user import User


class EventKind(enum.StrEnum):
    RAKOR = "rakor"
    STUDY_TOUR = "study_tour"
    BIMTEK = "bimtek"
    CAPACITY_BUILDING = "capacity_building"
    OTHER = "other"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"  #: open for nominations
    CLOSED = "closed"  #: nominations closed, event being run
    FINISHED = "finished"
    CANCELLED = "cancelled"


event_organisers = Table(
    "event_organisers",
    db.metadata,
    Column(
        "event_id",
        Integer,
        ForeignKey("events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "user_id",
        Integer,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="valid_dates"),
        CheckConstraint(
            "capacity IS NULL OR capacity >= 0", name="capacity_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind, 24))
    title: Mapped[str] = mapped_column(String(200))
    #: Stable, URL-safe name used by public addresses (calendar feeds).
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    #: Organising body as printed: "IPSM Provinsi Kepulauan Bangka Belitung".
    organiser_body: Mapped[str] = mapped_column(String(200))
    host_region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    #: IANA zone in which the event's times are shown; defaults from the venue's region.
    timezone: Mapped[str] = mapped_column(String(40))
    #: Announced capacity; allocated quotas may differ and are shown against it.
    capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, 16), default=EventStatus.DRAFT, index=True
    )
    description: Mapped[str | None] = mapped_column(Text)
    cancelled_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    host_region: Mapped[Region | None] = relationship()
    venue: Mapped[Place | None] = relationship()
    organisers: Mapped[list[User]] = relationship(
        secondary=event_organisers, back_populates="organised_events"
    )
    delegations: Mapped[list[Delegation]] = relationship(
        back_populates="event", order_by="Delegation.name"
    )

    @property
    def days(self) -> list[date]:
        return [
            self.starts_on + timedelta(days=i)
            for i in range((self.ends_on - self.starts_on).days + 1)
        ]

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_published(self) -> bool:
        """Visible beyond its organisers (anything but a draft)."""
        return self.status != EventStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.slug}>"
