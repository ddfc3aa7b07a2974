"""The run-down (susunan acara): agenda items with their speakers and audience."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import UTCDateTime, str_enum, track_revisions, utcnow

if TYPE_CHECKING:
    from planner.models.delegation import Delegation
    from planner.models.event import Event
    from planner.models.person import Person
    from planner.models.place import Place


class AgendaKind(enum.StrEnum):
    OPENING = "opening"  #: pembukaan
    ANTHEM = "anthem"  #: Indonesia Raya, Mars PSM
    PRAYER = "prayer"  #: doa
    SPEECH = "speech"  #: sambutan
    REPORT = "report"  #: laporan (ketua panitia)
    MATERIAL = "material"  #: penyampaian materi
    PRESENTATION = "presentation"  #: paparan
    DIALOGUE = "dialogue"  #: dialog / diskusi
    VISIT = "visit"  #: kunjungan
    MEAL = "meal"  #: makan (ishoma)
    BREAK = "break"  #: rehat
    FREE_TIME = "free_time"  #: acara bebas
    CLOSING = "closing"  #: penutupan
    OTHER = "other"


class AgendaAudience(enum.StrEnum):
    EVERYONE = "everyone"
    COMMITTEE = "committee"  #: panitia only
    DELEGATIONS = "delegations"  #: the delegations listed on the item


class AgendaStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    #: Kept (and published in feeds as STATUS:CANCELLED) so that calendars which
    #: already hold the item learn that it is off instead of seeing it vanish.
    CANCELLED = "cancelled"


class SpeakerRole(enum.StrEnum):
    SPEAKER = "speaker"  #: narasumber / pemateri
    MODERATOR = "moderator"
    MC = "mc"  #: pembawa acara


#: Delegations an item is meant for (audience "delegations").
agenda_item_delegations = Table(
    "agenda_item_delegations",
    db.metadata,
    Column(
        "item_id",
        Integer,
        ForeignKey("agenda_items.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "delegation_id",
        Integer,
        ForeignKey("delegations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


@track_revisions
class AgendaItem(db.Model):
    """One entry of an event's run-down, from a start to an end (aware, stored in UTC)."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="valid_times"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_agenda_items_event_starts", "event_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AgendaKind] = mapped_column(str_enum(AgendaKind, 16))
    #: A place of its own (a visit); NULL: the event's venue.
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    #: A room of the place: "Ruang Melati", "Aula Lt. 2".
    room: Mapped[str | None] = mapped_column(String(120))
    audience: Mapped[AgendaAudience] = mapped_column(
        str_enum(AgendaAudience, 16), default=AgendaAudience.EVERYONE
    )
    status: Mapped[AgendaStatus] = mapped_column(
        str_enum(AgendaStatus, 16), default=AgendaStatus.SCHEDULED
    )
    #: Public: shown in every calendar, the public one included.
    notes: Mapped[str | None] = mapped_column(Text)
    #: For the organising committee only: never in a feed or a delegate's view.
    committee_notes: Mapped[str | None] = mapped_column(Text)
    #: iCalendar SEQUENCE: rises by one with every change (``track_revisions``).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()
    place: Mapped[Place | None] = relationship()
    speakers: Mapped[list[AgendaSpeaker]] = relationship(
        back_populates="item",
        order_by="(AgendaSpeaker.position, AgendaSpeaker.id)",
        cascade="all, delete-orphan",
    )
    delegations: Mapped[list[Delegation]] = relationship(
        secondary=agenda_item_delegations, order_by="Delegation.name"
    )

    @property
    def is_cancelled(self) -> bool:
        return self.status == AgendaStatus.CANCELLED

    @property
    def duration(self):
        return self.ends_at - self.starts_at

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} {self.title!r}>"


class AgendaSpeaker(db.Model):
    """A narasumber, moderator or MC of an item: a person on record or a name typed in."""

    __tablename__ = "agenda_speakers"
    __table_args__ = (
        CheckConstraint(
            "person_id IS NOT NULL OR name IS NOT NULL", name="person_or_name"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[SpeakerRole] = mapped_column(
        str_enum(SpeakerRole, 16), default=SpeakerRole.SPEAKER
    )
    position: Mapped[int] = mapped_column(default=0)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="RESTRICT"), index=True
    )
    #: Free text when the speaker is no person on record: "Dr. H. Ahmad, M.Si."
    name: Mapped[str | None] = mapped_column(String(200))
    #: As printed under the name: "Kepala Dinas Sosial Provinsi".
    title: Mapped[str | None] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))

    item: Mapped[AgendaItem] = relationship(back_populates="speakers")
    person: Mapped[Person | None] = relationship()

    @property
    def display_name(self) -> str:
        return self.person.formal_name if self.person is not None else (self.name or "")

    def __repr__(self) -> str:
        return f"<AgendaSpeaker {self.id} {self.role} {self.display_name!r}>"
