"""What rosters and attendance sheets show, loaded in a constant number of queries.

A roster is grouped province → delegation (regency/city in Kemendagri code order),
named bodies without a region come after the provinces, and delegates outside any
delegation (speakers, committee, guests) last. The builders in ``planner.exports``
take these plain objects and never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.formatting.plain import format_date_range, format_day
from planner.labels import DELEGATE_ROLE, DELEGATE_STATUS, SEX_SHORT
from planner.models import (
    ACTIVE_STATUSES,
    TAKING_PART,
    Delegate,
    DelegateStatus,
    Delegation,
    Event,
    Person,
    Place,
    Region,
)
from planner.models.person import mask_nik


@dataclass(frozen=True)
class RosterRow:
    """One delegate as printed: texts only, contacts already hidden or masked."""

    delegate_id: int
    name: str
    sex: str
    role: str
    status: DelegateStatus
    status_label: str
    position: str
    institution: str
    phone: str | None
    nik: str | None
    delegation: str


@dataclass
class DelegationGroup:
    """The delegates of one delegation (or of none: speakers, committee, guests)."""

    name: str
    code: str | None
    delegation_id: int | None
    quota: int | None
    rows: list[RosterRow] = field(default_factory=list)
    #: How many delegates, when only the totals were loaded (no rows).
    count: int | None = None

    @property
    def total(self) -> int:
        return len(self.rows) if self.count is None else self.count


@dataclass
class ProvinceGroup:
    """The delegations of one province, or of no region (``code`` None)."""

    name: str
    code: str | None
    delegations: list[DelegationGroup] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(d.total for d in self.delegations)


@dataclass
class Roster:
    """An event's roster (all delegations or one), ready for a page or a builder."""

    event_title: str
    organiser_body: str
    dates: str
    venue: str
    provinces: list[ProvinceGroup]
    #: Phone and NIK columns are shown.
    contacts: bool
    #: The whole event (True) or one delegation.
    whole_event: bool
    status_filter: str
    #: False when only the totals were loaded (``load_roster(rows_up_to=…)``).
    has_rows: bool = True

    @property
    def total(self) -> int:
        return sum(p.total for p in self.provinces)

    @property
    def delegations(self) -> Iterator[DelegationGroup]:
        for province in self.provinces:
            yield from province.delegations

    @property
    def rows(self) -> Iterator[RosterRow]:
        for group in self.delegations:
            yield from group.rows


@dataclass
class AttendanceSheet:
    """A daftar hadir for one day (and later one session) of an event."""

    event_title: str
    organiser_body: str
    day: date
    day_label: str
    place: str
    #: Place written above the committee's signature ("Pangkalpinang").
    signing_place: str
    groups: list[DelegationGroup]
    #: A session of the agenda ("Sesi 1 · 08.00–10.00 WIB"), once agendas exist.
    session: str | None = None

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


#: Values accepted by ``?status=``: one status, "active" (default) or "all".
STATUS_FILTERS = ("active", "all", *(s.value for s in DelegateStatus))


def statuses_for(value: str | None) -> tuple[str, tuple[DelegateStatus, ...]]:
    """The cleaned filter name and the statuses it selects (unknown: active)."""
    if value == "all":
        return "all", tuple(DelegateStatus)
    if value in {s.value for s in DelegateStatus}:
        return value, (DelegateStatus(value),)
    return "active", ACTIVE_STATUSES


def venue_label(event: Event) -> str:
    """The venue as printed: "Hotel Santika, Kota Pangkal Pinang" (or the host region)."""
    venue = event.venue
    if venue is not None:
        if venue.region is not None:
            return f"{venue.name}, {venue.region.name}"
        return venue.name
    if event.host_region is not None:
        return event.host_region.name
    return ""


def _event_options():
    return (
        joinedload(Event.venue).joinedload(Place.region),
        joinedload(Event.host_region),
    )


def load_event(event_id: int) -> Event | None:
    """The event with what a roster header shows (venue, regions), or None."""
    return db.session.scalar(
        sa.select(Event).where(Event.id == event_id).options(*_event_options())
    )


def load_delegation(event_id: int, delegation_id: int) -> Delegation | None:
    """One delegation of this event, with its event (and the organisers the
    permission check reads) and region, or None."""
    return (
        db.session.execute(
            _delegation_statement(),
            {"delegation_id": delegation_id, "event_id": event_id},
        )
        .unique()
        .scalar_one_or_none()
    )


@cache
def _delegation_statement():
    """Built once (bound ids): its eager loads cost more to build than to run."""
    return (
        sa.select(Delegation)
        .where(
            Delegation.id == sa.bindparam("delegation_id"),
            Delegation.event_id == sa.bindparam("event_id"),
        )
        .options(
            joinedload(Delegation.event).options(
                *_event_options(), joinedload(Event.organisers)
            ),
            joinedload(Delegation.region).joinedload(Region.parent),
        )
    )


#: (delegation id, name, quota, region code, province code, province name); the
#: region columns are None for a named body without a region.
DelegationRow = tuple[int, str, int, str | None, str | None, str | None]


def _delegations(event: Event, delegation: Delegation | None) -> list[DelegationRow]:
    """The delegations a roster lists, as plain columns (no ORM objects to build)."""
    if delegation is not None:
        region = delegation.region
        province = region.province if region is not None else None
        return [
            (
                delegation.id,
                delegation.name,
                delegation.quota,
                region.code if region is not None else None,
                province.code if province is not None else None,
                province.name if province is not None else None,
            )
        ]
    return list(db.session.execute(_event_delegations(), {"event_id": event.id}))


@cache
def _event_delegations():
    """Built once (a bound event id): the alias made each call gave a new cache key
    to compute, which cost more than running the query."""
    parent = orm.aliased(Region)
    return (
        sa.select(
            Delegation.id,
            Delegation.name,
            Delegation.quota,
            Region.code,
            sa.func.coalesce(parent.code, Region.code),
            sa.func.coalesce(parent.name, Region.name),
        )
        .outerjoin(Region, Region.id == Delegation.region_id)
        .outerjoin(parent, parent.id == Region.parent_id)
        .where(Delegation.event_id == sa.bindparam("event_id"))
    )


def _delegates_query(one_delegation: bool):
    """Delegates of an event (and one delegation) in some statuses; bound parameters
    ``event_id``, ``statuses`` and ``delegation_id`` (see :func:`_parameters`)."""
    query = sa.select(Delegate.delegation_id).where(
        Delegate.event_id == sa.bindparam("event_id"),
        Delegate.status.in_(sa.bindparam("statuses", expanding=True)),
    )
    if one_delegation:
        query = query.where(Delegate.delegation_id == sa.bindparam("delegation_id"))
    return query


def _parameters(
    event: Event, delegation: Delegation | None, statuses: tuple[DelegateStatus, ...]
) -> dict:
    parameters = {"event_id": event.id, "statuses": list(statuses)}
    if delegation is not None:
        parameters["delegation_id"] = delegation.id
    return parameters


@cache
def _delegates_statement(one_delegation: bool):
    """Built once per shape (bound ids and statuses): building the statement and its
    cache key cost more than running it for one delegation."""
    return (
        _delegates_query(one_delegation)
        .add_columns(
            Delegate.id,
            Delegate.role,
            Delegate.status,
            Person.formal_name,
            Person.sex,
            Person.position,
            Person.institution,
            Person.phone,
            Person.nik,
        )
        .join(Person, Person.id == Delegate.person_id)
        .order_by(Delegate.delegation_id, Person.full_name, Delegate.id)
    )


def _delegates(
    event: Event,
    delegation: Delegation | None,
    statuses: tuple[DelegateStatus, ...],
) -> list[tuple]:
    """(delegation id, delegate id, role, status, person columns…) sorted by name."""
    return list(
        db.session.execute(
            _delegates_statement(delegation is not None),
            _parameters(event, delegation, statuses),
        )
    )


@cache
def _counts_statement(one_delegation: bool):
    """Built once per shape, like :func:`_delegates_statement`."""
    return (
        _delegates_query(one_delegation)
        .add_columns(sa.func.count())
        .group_by(Delegate.delegation_id)
    )


def _counts(
    event: Event, delegation: Delegation | None, statuses: tuple[DelegateStatus, ...]
) -> dict[int | None, int]:
    """How many delegates each delegation (None: outside any) lists."""
    return {
        key: n
        for key, n in db.session.execute(
            _counts_statement(delegation is not None),
            _parameters(event, delegation, statuses),
        )
    }


def load_roster(
    event: Event,
    *,
    delegation: Delegation | None = None,
    status: str | None = None,
    contacts: bool = False,
    full_nik: bool = False,
    province: str | None = None,
    taking_part: bool = False,
    rows_up_to: int | None = None,
) -> Roster:
    """The roster of the event (or one delegation) in two queries after the event.

    ``contacts`` adds phone and NIK; the NIK stays masked unless ``full_nik``.
    ``province`` (a Kemendagri code) narrows the whole-event roster to one province.
    ``rows_up_to``: when more delegates than this are listed, only the totals are
    loaded (one query counting them instead of the rows; ``Roster.has_rows`` False).
    """
    status_name, statuses = statuses_for(status)
    if taking_part:
        status_name, statuses = "taking_part", TAKING_PART
    counts = None
    if rows_up_to is not None:
        counts = _counts(event, delegation, statuses)
        if sum(counts.values()) <= rows_up_to:
            counts = None
    groups: dict[int | None, DelegationGroup] = {}
    place_of: dict[int | None, tuple[str | None, str]] = {}
    for item_id, name, quota, code, province_code, province_name in _delegations(
        event, delegation
    ):
        groups[item_id] = DelegationGroup(name, code, item_id, quota)
        place_of[item_id] = (
            (None, "") if code is None else (province_code, province_name)
        )
    if counts is None:
        _add_rows(
            groups,
            place_of,
            _delegates(event, delegation, statuses),
            contacts,
            full_nik,
        )
    else:
        for delegation_id, count in counts.items():
            group = groups.get(delegation_id)
            if group is None:
                group = _outside(groups, place_of)
            group.count = count
    provinces: dict[str | None, ProvinceGroup] = {}
    for key, group in groups.items():
        code, name = place_of[key]
        if province and code != province:
            continue
        if code is None:
            label = _("Badan dan lembaga")
        elif code == "~":
            label = _("Tanpa delegasi")
        else:
            label = name
        provinces.setdefault(code, ProvinceGroup(label, code)).delegations.append(group)
    # Kemendagri code order; named bodies (no code) after, people without any last.
    ordered = sorted(
        provinces.values(),
        key=lambda p: (p.code is None, p.code == "~", p.code or ""),
    )
    for item in ordered:
        item.delegations.sort(
            key=lambda d: (
                d.delegation_id is None,
                d.code is None,
                d.code or "",
                d.name,
            )
        )
        if item.code == "~":
            item.code = None
    return Roster(
        event_title=event.title,
        organiser_body=event.organiser_body,
        dates=_date_range(event),
        venue=venue_label(event),
        provinces=ordered,
        contacts=contacts,
        whole_event=delegation is None,
        status_filter=status_name,
        has_rows=counts is None,
    )


def _outside(
    groups: dict[int | None, DelegationGroup],
    place_of: dict[int | None, tuple[str | None, str]],
) -> DelegationGroup:
    """The group of delegates outside any delegation (speakers, committee, guests)."""
    group = groups[None] = DelegationGroup(
        _("Narasumber, panitia dan tamu"), None, None, None
    )
    place_of[None] = ("~", "")
    return group


def _add_rows(
    groups: dict[int | None, DelegationGroup],
    place_of: dict[int | None, tuple[str | None, str]],
    rows: list[tuple],
    contacts: bool,
    full_nik: bool,
) -> None:
    """Each delegate as a printed row in its group; labels translated once, not per
    row (thousands of rows)."""
    role_labels = {role: str(label) for role, label in DELEGATE_ROLE.items()}
    status_labels = {s: str(label) for s, label in DELEGATE_STATUS.items()}
    sex_labels = {sex: str(label) for sex, label in SEX_SHORT.items()}
    statuses = {s.value: s for s in DelegateStatus} | {s: s for s in DelegateStatus}
    for row in rows:
        (delegation_id, delegate_id, role, st, name, sex, position, institution) = row[
            :8
        ]
        phone, nik = row[8], row[9]
        group = groups.get(delegation_id)
        if group is None:
            group = _outside(groups, place_of)
        group.rows.append(
            RosterRow(
                delegate_id=delegate_id,
                name=name,
                sex=sex_labels.get(sex, "") if sex else "",
                role=role_labels.get(role, str(role)),
                status=statuses[st],
                status_label=status_labels.get(st, str(st)),
                position=position or "",
                institution=institution or "",
                phone=phone if contacts else None,
                nik=(nik if full_nik else mask_nik(nik)) if contacts else None,
                delegation=group.name,
            )
        )


def _date_range(event: Event) -> str:
    return format_date_range(event.starts_on, event.ends_on)


def load_attendance(
    event: Event, day: date, *, session: str | None = None
) -> AttendanceSheet:
    """The daftar hadir of one event day: those taking part (confirmed or attended,
    not nominees) grouped by delegation."""
    roster = load_roster(event, taking_part=True)
    venue = event.venue
    signing = ""
    if venue is not None and venue.region is not None:
        signing = venue.region.seat or venue.region.name
    elif event.host_region is not None:
        signing = event.host_region.seat or event.host_region.name
    return AttendanceSheet(
        event_title=event.title,
        organiser_body=event.organiser_body,
        day=day,
        day_label=format_day(day),
        place=roster.venue,
        signing_place=signing,
        groups=[g for g in roster.delegations if g.rows],
        session=session,
    )
