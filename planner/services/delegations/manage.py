"""Delegations of an event: create them (one, or one per region), change, delete."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Delegate, Delegation, Event, Region, User, utcnow
from planner.models.types import MAX_ID
from planner.services import PlannerError


def create_delegation(event: Event, *, data: dict) -> Delegation:
    """Add a delegation for a region or a named body, with its quota, head and deadline."""
    region: Region | None = data.get("region")
    name = (data.get("name") or (region.name if region else "")).strip()
    if not name:
        raise PlannerError(_("Pilih wilayah atau isi nama delegasi."), field="name")
    if region is not None and _find_delegation(event, region_id=region.id):
        raise PlannerError(
            _("%(region)s sudah punya delegasi di acara ini.", region=region.name),
            field="region_id",
        )
    if _find_delegation(event, name=name):
        raise PlannerError(_("Nama delegasi sudah dipakai."), field="name")
    delegation = Delegation(
        event=event,
        region=region,
        name=name,
        quota=_quota(data.get("quota")),
        head=data.get("head"),
        deadline_at=data.get("deadline_at"),
        notes=data.get("notes") or None,
    )
    db.session.add(delegation)
    db.session.flush()
    return delegation


def create_delegations_for_regions(
    event: Event,
    *,
    regions: list[Region],
    quota: int,
    deadline_at: datetime | None = None,
    heads: dict[int, User] | None = None,
) -> list[Delegation]:
    """One delegation per region not yet in the event (bulk: "every regency of X").

    Regions that already have a delegation are skipped; the new ones are returned.
    """
    quota = _quota(quota)
    taken_ids = set(
        db.session.scalars(
            sa.select(Delegation.region_id).where(Delegation.event_id == event.id)
        )
    )
    taken_names = set(
        db.session.scalars(
            sa.select(Delegation.name).where(Delegation.event_id == event.id)
        )
    )
    heads = heads or {}
    created = []
    for region in sorted(regions, key=lambda r: r.code):
        if region.id in taken_ids or region.name in taken_names:
            continue
        delegation = Delegation(
            event=event,
            region=region,
            name=region.name,
            quota=quota,
            deadline_at=deadline_at,
            head=heads.get(region.id),
        )
        db.session.add(delegation)
        created.append(delegation)
        taken_ids.add(region.id)
    db.session.flush()
    return created


def update_delegation(delegation: Delegation, *, data: dict) -> Delegation:
    """Change quota, head, deadline, name or notes; the quota never drops below those
    already confirmed."""
    if "quota" in data:
        quota = _quota(data["quota"])
        if quota < delegation.confirmed_count:
            raise PlannerError(
                _(
                    "Kuota tidak bisa kurang dari %(n)s orang yang sudah dikonfirmasi.",
                    n=delegation.confirmed_count,
                ),
                field="quota",
            )
        delegation.quota = quota
    if "name" in data and data["name"]:
        name = data["name"].strip()
        other = _find_delegation(delegation.event, name=name)
        if other is not None and other.id != delegation.id:
            raise PlannerError(_("Nama delegasi sudah dipakai."), field="name")
        delegation.name = name
    for key in ("head", "deadline_at", "notes"):
        if key in data:
            setattr(delegation, key, data[key] or None)
    db.session.flush()
    return delegation


def delete_delegation(delegation: Delegation) -> None:
    """Remove a delegation that never had a delegate (history would be lost otherwise)."""
    has_delegates = db.session.scalar(
        sa.select(sa.exists().where(Delegate.delegation_id == delegation.id))
    )
    if has_delegates:
        raise PlannerError(_("Delegasi yang sudah punya peserta tidak dapat dihapus."))
    db.session.delete(delegation)
    db.session.flush()


def deadline_passed(delegation: Delegation, now: datetime | None = None) -> bool:
    """True once the nomination deadline is behind us (no deadline: never)."""
    if delegation.deadline_at is None:
        return False
    return (now or utcnow()) >= delegation.deadline_at


def _quota(value) -> int:
    try:
        quota = int(value)
    except (TypeError, ValueError):
        raise PlannerError(_("Kuota harus berupa angka."), field="quota") from None
    if not 0 <= quota <= 100_000:
        raise PlannerError(_("Kuota harus antara 0 dan 100.000."), field="quota")
    return quota


def _find_delegation(event: Event, **criteria) -> Delegation | None:
    return db.session.execute(
        sa.select(Delegation).filter_by(event_id=event.id, **criteria)
    ).scalar_one_or_none()


# What the forms offer -----------------------------------------------------------------


def regions_in_order() -> list[Region]:
    """Every region by code: the provinces and regencies the bulk form offers."""
    return list(db.session.scalars(sa.select(Region).order_by(Region.code)))


def provinces() -> list[Region]:
    """Every province by code (the organiser's table filters by one)."""
    return list(
        db.session.scalars(
            sa.select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)
        )
    )


def province_regions(province_id: int | None) -> list[Region] | None:
    """The regencies and cities of a province (bulk: "every regency of X"), or None
    when the id names no province."""
    province = (
        db.session.get(Region, province_id)
        if province_id and 0 < province_id <= MAX_ID
        else None
    )
    if province is None or not province.is_province:
        return None
    return list(province.children)


def regions_by_ids(region_ids: list[int] | None) -> list[Region] | None:
    """The regions with these ids, or None when there are none or an id names none."""
    ids = {i for i in region_ids or [] if 0 < i <= MAX_ID}
    regions = (
        list(db.session.scalars(sa.select(Region).where(Region.id.in_(ids))))
        if ids
        else []
    )
    if not regions or len(regions) != len(region_ids or []):
        return None
    return regions


def possible_heads() -> list[User]:
    """Accounts that may head a delegation: enabled and answering for a region."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.regions.any(), User.is_disabled.is_(False))
            .order_by(sa.func.lower(User.display_name), User.id)
        )
    )
