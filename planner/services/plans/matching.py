"""Places and people of a plan that this database already has (see docs/plan-format.md).

Only reads: each look-up is one query per :data:`BATCH` values and returns plain rows;
the writer creates what is not found and fills the blanks of what is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa

from planner.extensions import db
from planner.models import Person, Place
from planner.services.plans.common import (
    SAME_PLACE_METRES,
    CheckedPlan,
    _chunks,
    _metres,
)

#: Person fields a matched person gets from the file when the record lacks them.
FILLABLE = (
    "title_before",
    "title_after",
    "sex",
    "email",
    "position",
    "institution",
    "birth_on",
    "notes",
    "dietary_notes",
)
_PERSON_COLUMNS = (
    Person.id,
    Person.nik,
    Person.phone,
    Person.full_name,
    Person.region_id,
    *(getattr(Person, name) for name in FILLABLE),
)


def match_places(plan: CheckedPlan) -> dict[str, int]:
    """Place key → id of the place here: by code, else by name and within 50 m
    (without coordinates: in the same region). A place here is matched once."""
    entries = plan.sections["places"]
    codes = sorted({p["code"] for p in entries if p.get("code")})
    by_code: dict[str, int] = {}
    for chunk in _chunks(codes):
        by_code.update(
            db.session.execute(
                sa.select(Place.code, Place.id).where(Place.code.in_(chunk))
            ).all()
        )
    by_name: dict[str, list] = defaultdict(list)
    for chunk in _chunks(sorted({p["name"] for p in entries})):
        for row in db.session.execute(
            sa.select(Place.id, Place.name, Place.lat, Place.lon, Place.region_id)
            .where(Place.name.in_(chunk))
            .order_by(Place.id)
        ):
            by_name[row.name].append(row)
    ids: dict[str, int] = {}
    claimed: set[int] = set()
    for place in entries:
        found = by_code.get(place.get("code") or "")
        if found is not None:
            ids[place["key"]] = found
            claimed.add(found)
    for place in entries:
        if place["key"] in ids or (place.get("code") and place["code"] in by_code):
            continue
        for row in by_name.get(place["name"], ()):
            if row.id not in claimed and _same_place(plan, place, row):
                ids[place["key"]] = row.id
                claimed.add(row.id)
                break
    return ids


def _same_place(plan: CheckedPlan, place: dict, row) -> bool:
    """Same name (already) and within 50 m; without coordinates: same region."""
    lat, lon = place.get("lat"), place.get("lon")
    if lat is None or row.lat is None:
        return (
            lat is None
            and row.lat is None
            and row.region_id == plan.region_id(place.get("region"))
        )
    return _metres(lat, lon, row.lat, row.lon) <= SAME_PLACE_METRES


def match_people(plan: CheckedPlan) -> dict[int, sa.Row]:
    """Position in the file's people → the person here (a row of id, NIK, phone,
    name, region and the :data:`FILLABLE` fields): by NIK, else phone, else exact
    name and region (officials known by position: position and institution). A
    person here is matched to one person of the file at most."""
    entries = plan.sections["people"]
    phones = plan.phones
    matched: dict[int, sa.Row] = {}
    claimed: set[int] = set()

    def claim(n: int, candidates) -> None:
        nik = entries[n].get("nik")
        for person in candidates:
            if person.id not in claimed and (
                not nik or not person.nik or person.nik == nik
            ):
                matched[n] = person
                claimed.add(person.id)
                return

    def rows(where: Callable, values) -> list[sa.Row]:
        found = []
        for chunk in _chunks(sorted(values)):
            found.extend(
                db.session.execute(
                    sa.select(*_PERSON_COLUMNS).where(where(chunk)).order_by(Person.id)
                )
            )
        return found

    by_nik = {
        p.nik: p
        for p in rows(Person.nik.in_, {e["nik"] for e in entries if e.get("nik")})
    }
    for n, entry in enumerate(entries):
        person = by_nik.get(entry.get("nik") or "")
        if person is not None:
            matched[n] = person
            claimed.add(person.id)

    wanted = {phones[n] for n in range(len(entries)) if n not in matched and phones[n]}
    by_phone: dict[str, list] = defaultdict(list)
    for person in rows(Person.phone.in_, wanted):
        by_phone[person.phone].append(person)
    for n in range(len(entries)):
        if n not in matched and phones[n]:
            claim(n, by_phone[phones[n]])

    # Officials known by position only are matched on position and institution,
    # not on their (empty) name.
    offices = {
        n: (e.get("position"), e.get("institution"))
        for n, e in enumerate(entries)
        if n not in matched and not e["full_name"].strip()
    }
    by_office: dict[tuple, list] = defaultdict(list)
    for person in rows(
        lambda chunk: sa.and_(Person.full_name == "", Person.position.in_(chunk)),
        {p for p, _i in offices.values()},
    ):
        by_office[person.position, person.institution].append(person)
    for n, office in offices.items():
        claim(n, by_office[office])

    named = [n for n in range(len(entries)) if n not in matched and n not in offices]
    by_name: dict[tuple, list] = defaultdict(list)
    for person in rows(Person.full_name.in_, {entries[n]["full_name"] for n in named}):
        by_name[person.full_name, person.region_id].append(person)
    for n in named:
        entry = entries[n]
        claim(n, by_name[entry["full_name"], plan.region_id(entry.get("region"))])
    return matched
