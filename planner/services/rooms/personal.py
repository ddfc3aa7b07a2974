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
    return stays_of_many([delegate.id]).get(delegate.id, [])


def stays_of_many(delegate_ids) -> dict[int, list[PersonalStay]]:
    """The stays of several delegates at once (one person's events on "Perjalanan
    saya"): the same three queries however many there are."""
    ids = list(delegate_ids)
    if not ids:
        return {}
    assignments = db.session.scalars(
        select(RoomAssignment)
        .where(RoomAssignment.delegate_id.in_(ids))
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
    found: dict[int, list[PersonalStay]] = {}
    for a in assignments:
        found.setdefault(a.delegate_id, []).append(
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
                    if other.delegate_id != a.delegate_id
                ],
            )
        )
    return {
        key: sorted(stays, key=lambda s: (s.check_in_on, s.stay_id))
        for key, stays in found.items()
    }


__all__ = ["PersonalStay", "stays_of", "stays_of_many"]
