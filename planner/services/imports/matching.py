"""Finding the people already on record that rows name: by NIK, then phone, then
name and region; a NIK or phone held by someone else is an error, never a match."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Person, Region
from planner.services.imports.records import RowError, RowPlan, _chunks, _name_key


def _match_people(plans: list[RowPlan], heading, *, reveal: bool = False) -> None:
    """Find each row's existing person: by NIK, then phone, then name + region.

    A NIK is an identity, so a NIK held by someone with another name, or by someone
    outside the row's region, is an error row, never a match (it would nominate that
    person and show their data to the delegation's head). A phone held by someone
    outside the row's region is an error row naming them with ``reveal`` (organisers
    see everyone anyway); without it, no match (a phone is shared within families, and
    a refusal would tell a chapter head the number is on record elsewhere).
    """
    niks = sorted({p.values["nik"] for p in plans if p.values.get("nik")})
    phones = sorted({p.values["phone"] for p in plans if p.values.get("phone")})
    by_nik: dict[str, Person] = {}
    by_phone: dict[str, list[Person]] = {}
    by_name: dict[tuple[str, int | None], list[Person]] = {}
    with_region = joinedload(Person.region)
    for chunk in _chunks(niks):
        for person in db.session.scalars(
            sa.select(Person).options(with_region).where(Person.nik.in_(chunk))
        ):
            by_nik[person.nik] = person
    for chunk in _chunks(phones):
        stmt = (
            sa.select(Person)
            .options(with_region)
            .where(Person.phone.in_(chunk))
            .order_by(Person.id)
        )
        for person in db.session.scalars(stmt):
            by_phone.setdefault(person.phone, []).append(person)
    # Names are compared in Python (SQL's lower() and spaces differ per database):
    # load the people of the regions the file names, a bounded set.
    region_ids = sorted({p.region.id for p in plans if p.ok and p.region is not None})
    wanted = {
        (_name_key(p.values["full_name"]), p.region and p.region.id) for p in plans
    }
    conditions = [Person.region_id.in_(chunk) for chunk in _chunks(region_ids)]
    if any(p.ok and p.region is None for p in plans):
        conditions.append(Person.region_id.is_(None))
    if conditions:
        stmt = sa.select(Person).where(sa.or_(*conditions)).order_by(Person.id)
        for person in db.session.scalars(stmt):
            key = (_name_key(person.full_name), person.region_id)
            if key in wanted:
                by_name.setdefault(key, []).append(person)

    for plan in plans:
        if not plan.ok:
            continue
        nik = plan.values.get("nik")

        person = by_nik.get(nik) if nik else None
        if person is not None:
            conflict = _nik_conflict(person, plan, reveal=reveal)
            if conflict:
                plan.errors.append(RowError(plan.number, heading("nik"), conflict))
                continue
        if person is None and plan.values.get("phone"):
            same_phone = [
                p for p in by_phone.get(plan.values["phone"], []) if _compatible(p, nik)
            ]
            person = next((p for p in same_phone if _inside(p, plan.region)), None)
            if person is None and same_phone and reveal:
                other = same_phone[0]
                plan.errors.append(
                    RowError(
                        plan.number,
                        heading("phone"),
                        _(
                            "Nomor HP ini milik orang lain (di luar wilayah "
                            "%(region)s): %(name)s, %(where)s.",
                            region=plan.region.name,
                            name=other.full_name,
                            where=_region_name(other),
                        ),
                    )
                )
                continue
        if person is None:
            key = (
                _name_key(plan.values["full_name"]),
                plan.region.id if plan.region else None,
            )
            person = next(
                (p for p in by_name.get(key, []) if _compatible(p, nik)), None
            )
        if person is not None:
            plan.person = person
            plan.action = "matched"


#: Words dropped when comparing names: degree titles ("Drs.", "S.Sos.", "M.Si").
_TITLE = re.compile(r"^(?:\w{1,4}\.)+\w{0,4}$")


def same_name(a: str, b: str) -> bool:
    """Whether two spellings name the same person: case, spacing, punctuation and
    degree titles before or after the name ("Hj. Siti Aminah, S.Sos.") ignored."""

    def words(name: str) -> list[str]:
        kept = []
        for word in name.replace(",", " ").split():
            if _TITLE.match(word):
                continue
            letters = "".join(ch for ch in word.casefold() if ch.isalnum())
            if letters:
                kept.append(letters)
        return kept

    return words(a) == words(b) or _name_key(a) == _name_key(b)


def _inside(person: Person, region: Region | None) -> bool:
    """Whether ``person`` belongs to ``region`` (or its regencies), or to none yet."""
    if region is None or person.region_id is None:
        return True
    if person.region_id == region.id:
        return True
    return person.region is not None and person.region.parent_id == region.id


def _nik_conflict(person: Person, plan: RowPlan, *, reveal: bool) -> str | None:
    """Why the holder of a row's NIK cannot be the row's person, or None."""
    other_name = not same_name(person.full_name, plan.values["full_name"])
    outside = not _inside(person, plan.region)
    if not (other_name or outside):
        return None
    if not reveal:
        # One message for chapter heads: nothing about who holds it, or where.
        return _(
            "NIK ini milik orang lain (nama berbeda atau di luar wilayah delegasi "
            "ini). Periksa lagi angkanya; bila sudah benar, hubungi panitia."
        )
    where = _region_name(person)
    if other_name:
        return _(
            "NIK ini milik orang lain (nama berbeda): %(name)s, %(where)s.",
            name=person.full_name,
            where=where,
        )
    return _(
        "NIK ini milik orang lain (di luar wilayah %(region)s): %(name)s, %(where)s.",
        region=plan.region.name,
        name=person.full_name,
        where=where,
    )


def _region_name(person: Person) -> str:
    return person.region.name if person.region else _("tanpa wilayah")


def _compatible(person: Person, nik: str | None) -> bool:
    """A person found by phone or name is the row's only if their NIKs do not differ."""
    return not nik or not person.nik or person.nik == nik
