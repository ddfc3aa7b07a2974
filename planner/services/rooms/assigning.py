"""Who sleeps in which room: by hand (pinned) or automatically.

The automatic assignment goes through the event's stays by check-in date, the
stays of the same nights together (hotel after hotel). The travellers still without
a bed on those nights are grouped by delegation and sex (a delegation's head first
among their people); the largest group first, each group fills the largest free
rooms until what is left fits one room, which is the smallest free room that holds
it (best fit), so as few rooms are used as the types allow. Family rooms are left
for hand-made choices. People for whom no free room remains take the spare beds of
rooms of their own sex. Pinned assignments are kept and their beds count as taken.
Free rooms are kept in one stack per bed count (a handful of distinct counts), so
the work grows linearly with the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select

from planner.extensions import db
from planner.models import (
    TAKING_PART,
    Delegate,
    DelegateRole,
    Event,
    Person,
    Room,
    RoomAssignment,
    Stay,
    utcnow,
)
from planner.services.rooms.listing import travellers
from planner.services.rooms.stays import RoomError


@dataclass
class AssignResult:
    """What one automatic run did."""

    placed: int = 0
    #: Delegate ids left without a bed on some night of some stay.
    unplaced: set[int] = field(default_factory=set)
    rooms_used: int = 0


@dataclass
class _Room:
    id: int
    beds: int
    is_family: bool
    occupants: list[int] = field(default_factory=list)
    sex: str | None = None

    @property
    def spare(self) -> int:
        return self.beds - len(self.occupants)


# By hand --------------------------------------------------------------------------


def assign_room(room: Room, *, delegate: Delegate) -> RoomAssignment:
    """Put a delegate in a room for its whole stay by hand (pinned); moving replaces
    their earlier bed at that stay."""
    stay = room.stay
    if delegate.event_id != stay.event_id:
        raise RoomError(_("Peserta ini bukan peserta acara ini."), field="delegate_id")
    if delegate.status not in TAKING_PART:
        raise RoomError(
            _("Hanya peserta yang sudah dikonfirmasi mendapat kamar."),
            field="delegate_id",
        )
    others = [a for a in room.assignments if a.delegate_id != delegate.id]
    if len(others) >= room.beds:
        raise RoomError(
            _(
                "Kamar %(room)s sudah penuh (%(beds)s tempat tidur).",
                room=room.label,
                beds=room.beds,
            ),
            field="room_id",
        )
    sex = delegate.person.sex
    if not room.is_family and any(a.delegate.person.sex != sex for a in others):
        raise RoomError(
            _(
                "Kamar %(room)s berisi peserta berlainan jenis kelamin; tandai sebagai "
                "kamar keluarga dulu.",
                room=room.label,
            ),
            field="room_id",
        )
    current = db.session.execute(
        select(RoomAssignment).filter_by(stay_id=stay.id, delegate_id=delegate.id)
    ).scalar_one_or_none()
    if current is None:
        current = RoomAssignment(stay_id=stay.id, delegate=delegate)
        db.session.add(current)
    current.room = room
    current.is_pinned = True
    db.session.flush()
    return current


def unassign_room(stay: Stay, *, delegate: Delegate) -> None:
    """Take the delegate's bed at this stay away."""
    db.session.execute(
        delete(RoomAssignment).where(
            RoomAssignment.stay_id == stay.id,
            RoomAssignment.delegate_id == delegate.id,
        )
    )
    db.session.flush()


def follow_replacements(event: Event) -> int:
    """Give each replacement the bed of the delegate they replaced (where they have
    none at that stay yet); how many beds changed hands."""
    rows = db.session.execute(
        select(RoomAssignment, Delegate.id)
        .join(Stay, Stay.id == RoomAssignment.stay_id)
        .join(Delegate, Delegate.replaces_id == RoomAssignment.delegate_id)
        .where(Stay.event_id == event.id, Delegate.status.in_(TAKING_PART))
    ).all()
    if not rows:
        return 0
    held = {
        tuple(row)
        for row in db.session.execute(
            select(RoomAssignment.stay_id, RoomAssignment.delegate_id)
            .join(Stay, Stay.id == RoomAssignment.stay_id)
            .where(Stay.event_id == event.id)
        )
    }
    moved = 0
    for assignment, replacement_id in rows:
        if (assignment.stay_id, replacement_id) in held:
            continue
        assignment.delegate_id = replacement_id
        held.add((assignment.stay_id, replacement_id))
        moved += 1
    db.session.flush()
    return moved


# Automatically ----------------------------------------------------------------------


def auto_assign_rooms(event: Event) -> AssignResult:
    """Give every traveller without a pinned bed a room at each stay of the event."""
    follow_replacements(event)
    stays = db.session.scalars(
        select(Stay)
        .where(Stay.event_id == event.id)
        .order_by(Stay.check_in_on, Stay.id)
    ).all()
    result = AssignResult()
    if not stays:
        return result
    stay_ids = [s.id for s in stays]
    db.session.execute(
        delete(RoomAssignment).where(
            RoomAssignment.stay_id.in_(stay_ids), RoomAssignment.is_pinned.is_(False)
        )
    )
    # Plain ints and strings only: the collector never has to walk them, which
    # keeps a run over 10,000 people as cheap per person as one over 1,000.
    people = travellers(event)
    info = _Info()
    for delegate_id, delegation_id, role, sex in db.session.execute(
        select(Delegate.id, Delegate.delegation_id, Delegate.role, Person.sex)
        .join(Person, Person.id == Delegate.person_id)
        .where(Delegate.event_id == event.id)
        .order_by(Delegate.id)
    ):
        if delegate_id in people:
            info.delegation[delegate_id] = delegation_id or 0
            info.sex[delegate_id] = str(sex) if sex else ""
            if role == DelegateRole.HEAD:
                info.heads.add(delegate_id)
    rooms_by_stay: dict[int, list[_Room]] = defaultdict(list)
    for room_id, stay_id, beds, is_family in db.session.execute(
        select(Room.id, Room.stay_id, Room.beds, Room.is_family)
        .where(Room.stay_id.in_(stay_ids))
        .order_by(Room.stay_id, Room.position, Room.id)
    ):
        rooms_by_stay[stay_id].append(_Room(room_id, beds, is_family))
    room_index = {r.id: r for rooms in rooms_by_stay.values() for r in rooms}
    # Nights as bits of an int: night n after the first is bit n.
    first = min(s.check_in_on for s in stays)
    nights = {s.id: sum(1 << (n - first).days for n in s.nights) for s in stays}
    covered: dict[int, int] = dict.fromkeys(info.delegation, 0)
    for stay_id, room_id, delegate_id in db.session.execute(
        select(
            RoomAssignment.stay_id, RoomAssignment.room_id, RoomAssignment.delegate_id
        ).where(RoomAssignment.stay_id.in_(stay_ids))
    ):
        room = room_index[room_id]
        room.occupants.append(delegate_id)
        room.sex = room.sex or info.sex.get(delegate_id) or None
        covered[delegate_id] = covered.get(delegate_id, 0) | nights[stay_id]

    # Stays of the same nights are filled as one (hotel after hotel, in order), so
    # each person is looked at once per run of nights, however many hotels there are.
    blocks: dict[tuple[date, date], list[Stay]] = defaultdict(list)
    for stay in stays:
        blocks[(stay.check_in_on, stay.check_out_on)].append(stay)
    stay_of_room = {r.id: sid for sid, rooms in rooms_by_stay.items() for r in rooms}
    rows = []
    now = utcnow()
    for block in blocks.values():
        block_nights = nights[block[0].id]
        wanted = [d for d in info.delegation if not covered[d] & block_nights]
        rooms = [room for stay in block for room in rooms_by_stay[stay.id]]
        room_ids, delegate_ids = _fill(rooms, wanted, info)
        for room_id, delegate_id in zip(room_ids, delegate_ids, strict=True):
            covered[delegate_id] |= block_nights
            rows.append(
                {
                    "stay_id": stay_of_room[room_id],
                    "room_id": room_id,
                    "delegate_id": delegate_id,
                    "is_pinned": False,
                    "created_at": now,
                }
            )
    if rows:
        db.session.execute(RoomAssignment.__table__.insert(), rows)
    result.placed = len(rows)
    every_night = 0
    for mask in nights.values():
        every_night |= mask
    result.unplaced = {d for d in info.delegation if covered[d] != every_night}
    result.rooms_used = sum(1 for r in room_index.values() if r.occupants)
    db.session.expire_all()
    return result


@dataclass
class _Info:
    """Per traveller: delegation id (0: none), sex ("" unknown), and the heads."""

    delegation: dict[int, int] = field(default_factory=dict)
    sex: dict[int, str] = field(default_factory=dict)
    heads: set[int] = field(default_factory=set)


def _groups(wanted: list[int], info: _Info) -> list[tuple[str | None, list[int]]]:
    """(sex, members) per delegation and sex, heads first, largest group first."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for delegate_id in wanted:
        groups[(info.delegation[delegate_id], info.sex[delegate_id])].append(
            delegate_id
        )
    ordered = []
    heads = info.heads
    for key in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        members = groups[key]  # in id order already
        leaders = [d for d in members if d in heads]
        if leaders:
            members = leaders + [d for d in members if d not in heads]
        ordered.append((key[1] or None, members))
    return ordered


def _fill(
    rooms: list[_Room], wanted: list[int], info: _Info
) -> tuple[list[int], list[int]]:
    """Place ``wanted`` in ``rooms``; the room ids and delegate ids of the beds given,
    side by side."""
    free: dict[int, list[_Room]] = defaultdict(list)
    partial: dict[str | None, list[_Room]] = defaultdict(list)
    for room in reversed(rooms):  # popped from the end: the first rooms first
        if room.is_family:
            continue
        if not room.occupants:
            free[room.beds].append(room)
        elif room.spare > 0:
            partial[room.sex].append(room)
    sizes = sorted(free)
    room_ids: list[int] = []
    delegate_ids: list[int] = []
    leftovers: list[tuple[str | None, list[int]]] = []

    def take(room: _Room, members: list[int], sex: str | None) -> None:
        room.occupants.extend(members)
        room.sex = sex
        room_ids.extend([room.id] * len(members))
        delegate_ids.extend(members)
        if room.spare > 0:
            partial[sex].append(room)

    for sex, members in _groups(wanted, info):
        rest = members
        while rest:
            fit = next((s for s in sizes if s >= len(rest) and free[s]), None)
            if fit is not None:
                take(free[fit].pop(), rest, sex)
                break
            largest = next((s for s in reversed(sizes) if free[s]), None)
            if largest is None:
                leftovers.append((sex, rest))
                break
            take(free[largest].pop(), rest[:largest], sex)
            rest = rest[largest:]
    for sex, rest in leftovers:
        if sex is None:
            continue  # of unknown sex: never put with strangers
        spare = partial[sex]
        while rest and spare:
            room = spare[-1]
            n = min(room.spare, len(rest))
            room.occupants.extend(rest[:n])
            room_ids.extend([room.id] * n)
            delegate_ids.extend(rest[:n])
            rest = rest[n:]
            if room.spare == 0:
                spare.pop()
    return room_ids, delegate_ids


__all__ = [
    "AssignResult",
    "assign_room",
    "auto_assign_rooms",
    "follow_replacements",
    "unassign_room",
]
