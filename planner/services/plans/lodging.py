"""Where everyone sleeps and eats, in a plan: stays with their rooms and occupants,
packed meals on legs, dietary notes of people. Export, checks and writing in one
place; the sections are optional, so a plan without them reads and writes as before.

A stay names its hotel (a key of ``$.places``) and its nights; each room its label,
type, beds, nightly rate in whole rupiah and family mark; each occupant a delegate by
person key, with the pinned mark of a hand-made choice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.models import BEDS_BY_TYPE, Room, RoomAssignment, RoomType, Stay
from planner.services.plans.common import (
    _insert,
    _insert_plain,
    _int,
    _parse_date,
    json_path,
)
from planner.services.rooms.stays import MAX_RATE, TRAVEL_WINDOW

if TYPE_CHECKING:
    from collections.abc import Callable

    from planner.services.plans.checks import _Checker

#: Queries the export of stays sends: stays, rooms and occupants in one.
QUERIES = 1


# Export -------------------------------------------------------------------------------


def stay_place_ids(event_id: int) -> sa.Select:
    """The hotels of the event's stays, for the places an export writes."""
    return sa.select(Stay.place_id).where(Stay.event_id == event_id)


class LodgingRows:
    """The event's stays, rooms and room assignments, in one query (each stay, room
    and occupant a row of an outer join)."""

    def __init__(self, event_id: int, rows: Callable[[sa.Select], list]) -> None:
        self.stays: dict[int, sa.Row] = {}
        self.rooms: dict[int, list] = defaultdict(list)
        self.occupants: dict[int, list[tuple[int, bool]]] = defaultdict(list)
        found = rows(
            sa.select(
                Stay.id,
                Stay.place_id,
                Stay.check_in_on,
                Stay.check_out_on,
                Stay.booking_ref,
                Stay.notes,
                Stay.sequence,
                Room.id.label("room_id"),
                Room.label,
                Room.room_type,
                Room.beds,
                Room.rate,
                Room.is_family,
                RoomAssignment.delegate_id,
                RoomAssignment.is_pinned,
            )
            .select_from(Stay)
            .outerjoin(Room, Room.stay_id == Stay.id)
            .outerjoin(RoomAssignment, RoomAssignment.room_id == Room.id)
            .where(Stay.event_id == event_id)
            .order_by(Stay.id, Room.position, Room.id)
        )
        for row in found:
            self.stays.setdefault(row.id, row)
            if row.room_id is None:
                continue
            rooms = self.rooms[row.id]
            if not rooms or rooms[-1].room_id != row.room_id:
                rooms.append(row)
            if row.delegate_id is not None:
                self.occupants[row.room_id].append((row.delegate_id, row.is_pinned))


def export_lodging(
    doc: dict,
    rows: LodgingRows,
    *,
    people: list,
    legs: list,
    place_key: dict[int, str],
    delegate_person: dict[int, str],
) -> None:
    """Add to an exported document what it holds of lodging and meals, only where
    there is some: dietary notes to people, packed meals to legs (both listed in the
    document's order), and a ``stays`` section."""
    for entry, person in zip(doc["people"], people, strict=True):
        if person.dietary_notes:
            entry["dietary_notes"] = person.dietary_notes
    for entry, leg in zip(doc["legs"], legs, strict=True):
        if leg.has_packed_meal:
            entry["packed_meal"] = True
    if not rows.stays:
        return
    stays = sorted(
        rows.stays.values(),
        key=lambda s: (s.check_in_on, s.check_out_on, place_key[s.place_id], s.id),
    )
    doc["stays"] = [
        {
            "place": place_key[s.place_id],
            "check_in_on": s.check_in_on.isoformat(),
            "check_out_on": s.check_out_on.isoformat(),
            "booking_ref": s.booking_ref,
            "notes": s.notes,
            "sequence": s.sequence,
            "rooms": [
                {
                    "label": r.label,
                    "room_type": str(r.room_type),
                    "beds": r.beds,
                    "rate": r.rate,
                    "family": bool(r.is_family),
                    "occupants": [
                        {"person": person, "pinned": bool(pinned)}
                        for person, pinned in sorted(
                            (delegate_person[delegate_id], pinned)
                            for delegate_id, pinned in rows.occupants[r.room_id]
                        )
                    ],
                }
                for r in rows.rooms[s.id]
            ],
        }
        for s in stays
    ]


# Checks -------------------------------------------------------------------------------


def check_stays(checker: _Checker) -> None:
    """References, dates, beds, rates and room labels of the stays, and nobody given
    two beds on one night."""
    event = checker.event
    # The event's own dates were checked with it: read, not reported again.
    starts_on = _parse_date(event.get("starts_on"))
    ends_on = _parse_date(event.get("ends_on"))
    beds_held: dict[str, dict[date, list]] = defaultdict(dict)
    for n, stay in enumerate(checker.sections["stays"]):
        parts = ["stays", n]
        checker.ref("places", stay["place"], [*parts, "place"])
        check_in = checker.day(stay, "check_in_on", parts)
        check_out = checker.day(stay, "check_out_on", parts)
        nights: list[date] = []
        if check_in and check_out:
            if check_out <= check_in:
                checker.add(
                    [*parts, "check_out_on"],
                    _("Tanggal check-out harus sesudah tanggal check-in."),
                )
            else:
                nights = [
                    check_in + timedelta(days=i)
                    for i in range((check_out - check_in).days)
                ]
            if (
                starts_on
                and ends_on
                and (
                    check_in < starts_on - TRAVEL_WINDOW
                    or check_out > ends_on + TRAVEL_WINDOW
                )
            ):
                checker.add(
                    [*parts, "check_in_on"],
                    _(
                        "Menginap di luar tanggal acara: paling awal check-in "
                        "%(first)s, paling akhir check-out %(last)s.",
                        first=(starts_on - TRAVEL_WINDOW).isoformat(),
                        last=(ends_on + TRAVEL_WINDOW).isoformat(),
                    ),
                )
        labels: dict[str, int] = {}
        in_stay: dict[str, list] = {}
        for m, room in enumerate(stay.get("rooms") or ()):
            room_parts = [*parts, "rooms", m]
            _check_room(checker, room, room_parts)
            label = room["label"]
            if label in labels:
                checker.add(
                    [*room_parts, "label"],
                    _(
                        "Kamar “%(label)s” sudah ada di %(other)s.",
                        label=label,
                        other=json_path([*parts, "rooms", labels[label]]),
                    ),
                )
            else:
                labels[label] = m
            for k, occupant in enumerate(room.get("occupants") or ()):
                person = occupant["person"]
                where = [*room_parts, "occupants", k]
                if not checker.delegate_ref(person, [*where, "person"]):
                    continue
                if person in in_stay:
                    checker.add(
                        [*where, "person"],
                        _(
                            "“%(key)s” sudah mendapat kamar di %(other)s.",
                            key=person,
                            other=json_path(in_stay[person]),
                        ),
                    )
                    continue
                in_stay[person] = where
                for night in nights:
                    other = beds_held[person].get(night)
                    if other is not None:
                        checker.add(
                            [*where, "person"],
                            _(
                                "“%(key)s” sudah mendapat kamar pada malam "
                                "%(night)s di %(other)s.",
                                key=person,
                                night=night.isoformat(),
                                other=json_path(other),
                            ),
                        )
                        break
                for night in nights:
                    beds_held[person].setdefault(night, where)


def _check_room(checker: _Checker, room: dict, parts: list) -> None:
    """A room's beds (those its type fixes, or 1 to 100 in a dormitory) and rate."""
    beds = room["beds"]
    fixed = BEDS_BY_TYPE[RoomType(room["room_type"])]
    if beds < 1:
        checker.add(
            [*parts, "beds"], _("Kamar harus punya paling sedikit 1 tempat tidur.")
        )
    elif fixed is not None and beds != fixed:
        checker.add(
            [*parts, "beds"],
            _(
                "Kamar jenis %(type)s punya %(n)s tempat tidur.",
                type=room["room_type"],
                n=fixed,
            ),
        )
    elif beds > 100:
        checker.add(
            [*parts, "beds"], _("Kamar asrama harus punya 1 sampai 100 tempat tidur.")
        )
    rate = room.get("rate", 0)
    if rate < 0:
        checker.add(
            [*parts, "rate"],
            _("Tarif per malam harus bilangan bulat rupiah, 0 atau lebih."),
        )
    elif rate > MAX_RATE:
        checker.add([*parts, "rate"], _("Tarif per malam terlalu besar."))


# Writing ------------------------------------------------------------------------------


def write_stays(
    entries: list[dict],
    *,
    event_id: int,
    places: dict[str, int],
    delegates: dict[str, int],
) -> None:
    """Insert the checked stays, their rooms and who is in them."""
    stay_ids = _insert(
        Stay,
        [
            {
                "event_id": event_id,
                "place_id": places[s["place"]],
                "check_in_on": date.fromisoformat(s["check_in_on"]),
                "check_out_on": date.fromisoformat(s["check_out_on"]),
                "booking_ref": s.get("booking_ref"),
                "notes": s.get("notes"),
                "sequence": _int(s.get("sequence")),
            }
            for s in entries
        ],
    )
    rooms = [
        (stay_id, position, room)
        for stay_id, stay in zip(stay_ids, entries, strict=True)
        for position, room in enumerate(stay.get("rooms") or (), start=1)
    ]
    room_ids = _insert(
        Room,
        [
            {
                "stay_id": stay_id,
                "label": room["label"],
                "room_type": room["room_type"],
                "beds": room["beds"],
                "rate": _int(room.get("rate")),
                "is_family": bool(room.get("family", False)),
                "position": position,
            }
            for stay_id, position, room in rooms
        ],
    )
    _insert_plain(
        RoomAssignment,
        [
            {
                "stay_id": stay_id,
                "room_id": room_id,
                "delegate_id": delegates[o["person"]],
                "is_pinned": bool(o.get("pinned", False)),
            }
            for room_id, (stay_id, _position, room) in zip(room_ids, rooms, strict=True)
            for o in room.get("occupants") or ()
        ],
    )
