"""User accounts and their roles."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from planner.extensions import db
from planner.models.event import event_organisers
from planner.models.person import Person
from planner.models.region import Region
from planner.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from planner.models.event import Event

#: Regions a chapter head answers for (a province covers its regencies/cities).
user_regions = Table(
    "user_regions",
    db.metadata,
    Column(
        "user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "region_id",
        Integer,
        ForeignKey("regions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in name, stored lower-case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    #: NULL until an invitation is accepted.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    #: May create events (and so becomes organiser of them).
    is_organiser: Mapped[bool] = mapped_column(default=False)
    is_disabled: Mapped[bool] = mapped_column(default=False)
    #: Participant link: the person this account belongs to.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), unique=True
    )
    #: Bumped on password change: every older session and remember cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person | None] = relationship()
    regions: Mapped[list[Region]] = relationship(
        secondary=user_regions, order_by="Region.code"
    )
    organised_events: Mapped[list[Event]] = relationship(
        secondary=event_organisers, back_populates="organisers"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(
            self.password_hash, password
        )

    @property
    def is_active(self) -> bool:  # Flask-Login
        return not self.is_disabled and self.password_hash is not None

    def get_id(
        self,
    ) -> str:  # Flask-Login: the session version makes old sessions stale
        return f"{self.id}:{self.session_version}"

    @property
    def is_chapter_head(self) -> bool:
        return bool(self.regions)

    @property
    def is_participant(self) -> bool:
        return self.person_id is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
