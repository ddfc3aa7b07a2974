"""The stored revision of every calendar feed's contents (see ``planner/revisions.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.models.types import UTCDateTime

#: What a revision row belongs to: an event's shared contents (items, legs, vehicles,
#: places, delegations' names), a delegate's own part (their row, name and seats), a
#: delegation's own part (its row, its members and their seats).
EVENT, DELEGATE, DELEGATION = "event", "delegate", "delegation"


class FeedRevision(db.Model):
    """A random value replaced whenever what one scope shows in a feed changes.

    A feed's ETag and cache key are made of its event's revision and its owner's: one
    indexed row each, whatever the size of the feed. Values are random (never a
    counter), so a scope whose id is reused after a deletion never meets an old key.
    """

    __tablename__ = "feed_revisions"

    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    owner_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger)
    #: When the scope last changed: the feeds' Last-Modified.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<FeedRevision {self.kind} {self.owner_id} {self.revision}>"
