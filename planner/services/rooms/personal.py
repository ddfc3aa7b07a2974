"""One person's nights: the hotel and room of each stay, for "Perjalanan saya", the
delegate's card and their personal calendar feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Delegate, Place, Room, RoomAssignment, Stay


@dataclass
class PersonalStay:
    """A stay as its guest sees it."""

    stay_id: int
    place: Place
    check_in_on: date
    check_out_on: date
    sequence: int
    #: When the stay or the bed last changed (DTSTAMP in the feed).
    updated_at: datetime
    room: str | None = None
    #: Names of the others in the same room.
    roommates: list[str] = field(default_factory=list)


def stays_of(delegate: Delegate) -> list[PersonalStay]:
    """The delegate's stays with their room and roommates, by check-in (three queries)."""
    assignments = db.session.scalars(
        select(RoomAssignment)
        .where(RoomAssignment.delegate_id == delegate.id)
        .options(
            joinedload(RoomAssignment.room)
            .joinedload(Room.stay)
            .joinedload(Stay.place)
            .joinedload(Place.region),
            joinedload(RoomAssignment.room)
            .selectinload(Room.assignments)
            .joinedload(RoomAssignment.delegate)
            .joinedload(Delegate.person),
        )
    ).all()
    result = [
        PersonalStay(
            stay_id=a.room.stay.id,
            place=a.room.stay.place,
            check_in_on=a.room.stay.check_in_on,
            check_out_on=a.room.stay.check_out_on,
            sequence=a.room.stay.sequence,
            updated_at=max(a.room.stay.updated_at, a.created_at),
            room=a.room.label,
            roommates=[
                other.delegate.person.formal_name
                for other in a.room.assignments
                if other.delegate_id != delegate.id
            ],
        )
        for a in assignments
    ]
    return sorted(result, key=lambda s: (s.check_in_on, s.stay_id))


__all__ = ["PersonalStay", "stays_of"]
