"""Where everyone sleeps: stays at hotels, the rooms booked there and who is in them."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import UTCDateTime, str_enum, track_revisions, utcnow

if TYPE_CHECKING:
    from planner.models.delegation import Delegate
    from planner.models.event import Event
    from planner.models.place import Place


class RoomType(enum.StrEnum):
    SINGLE = "single"
    TWIN = "twin"
    DOUBLE = "double"
    TRIPLE = "triple"
    DORMITORY = "dormitory"  #: a room of N beds (asrama, barak)


#: Beds of each room type; a dormitory's are given per booking.
BEDS_BY_TYPE: dict[RoomType, int | None] = {
    RoomType.SINGLE: 1,
    RoomType.TWIN: 2,
    RoomType.DOUBLE: 2,
    RoomType.TRIPLE: 3,
    RoomType.DORMITORY: None,
}


@track_revisions
class Stay(db.Model):
    """The group (or part of it) sleeping at one hotel from check-in to check-out."""

    __tablename__ = "stays"
    __table_args__ = (
        CheckConstraint("check_out_on > check_in_on", name="valid_dates"),
        Index("ix_stays_event_check_in", "event_id", "check_in_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    #: The first night is the night of this date.
    check_in_on: Mapped[date] = mapped_column(Date)
    #: The morning the group leaves; the last night is the day before.
    check_out_on: Mapped[date] = mapped_column(Date)
    booking_ref: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    #: iCalendar SEQUENCE of the stay in personal feeds (``track_revisions``).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()
    place: Mapped[Place] = relationship()
    rooms: Mapped[list[Room]] = relationship(
        back_populates="stay",
        order_by="Room.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def nights(self) -> list[date]:
        """The dates of the nights spent here (check-in up to the day before check-out)."""
        return [
            self.check_in_on + timedelta(days=i)
            for i in range((self.check_out_on - self.check_in_on).days)
        ]

    def __repr__(self) -> str:
        return f"<Stay {self.id} place={self.place_id} {self.check_in_on}>"


class Room(db.Model):
    """One room booked for a stay: its type, beds, nightly rate and occupants."""

    __tablename__ = "rooms"
    __table_args__ = (
        CheckConstraint("beds >= 1 AND beds <= 100", name="valid_beds"),
        CheckConstraint("rate >= 0", name="rate_not_negative"),
        UniqueConstraint("stay_id", "label", name="uq_rooms_stay_label"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stay_id: Mapped[int] = mapped_column(
        ForeignKey("stays.id", ondelete="CASCADE"), index=True
    )
    #: Room number or name as the hotel gives it ("305"), or "Twin 3" until known.
    label: Mapped[str] = mapped_column(String(40))
    room_type: Mapped[RoomType] = mapped_column(str_enum(RoomType, 16))
    beds: Mapped[int] = mapped_column()
    #: Rupiah per night, whole.
    rate: Mapped[int] = mapped_column(default=0)
    #: A family room may hold people of either sex.
    is_family: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    stay: Mapped[Stay] = relationship(back_populates="rooms")
    assignments: Mapped[list[RoomAssignment]] = relationship(
        back_populates="room", order_by="RoomAssignment.id", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.label}>"


class RoomAssignment(db.Model):
    """A delegate's bed in a room for the whole of a stay."""

    __tablename__ = "room_assignments"
    __table_args__ = (
        UniqueConstraint("stay_id", "delegate_id", name="uq_room_assignments_stay"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Repeated from the room so "one bed per delegate per stay" is a constraint.
    stay_id: Mapped[int] = mapped_column(
        ForeignKey("stays.id", ondelete="CASCADE"), index=True
    )
    room_id: Mapped[int] = mapped_column(
        ForeignKey("rooms.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE"), index=True
    )
    #: Chosen by hand: the automatic assignment keeps it.
    is_pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    room: Mapped[Room] = relationship(back_populates="assignments")
    delegate: Mapped[Delegate] = relationship()

    def __repr__(self) -> str:
        return f"<RoomAssignment room={self.room_id} delegate={self.delegate_id}>"
