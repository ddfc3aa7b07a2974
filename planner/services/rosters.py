"""What rosters and attendance sheets show, loaded in a constant number of queries.

A roster is grouped province → delegation (regency/city in Kemendagri code order),
named bodies without a region come after the provinces, and delegates outside any
delegation (speakers, committee, guests) last. The builders in ``planner.exports``
take these plain objects and never touch the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
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

    @property
    def total(self) -> int:
        return len(self.rows)


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
    """One delegation of this event, with its event and region, or None."""
    return db.session.scalar(
        sa.select(Delegation)
        .where(Delegation.id == delegation_id, Delegation.event_id == event_id)
        .options(
            joinedload(Delegation.event).options(*_event_options()),
            joinedload(Delegation.region).joinedload(Region.parent),
        )
    )


def _delegations(event: Event, delegation: Delegation | None) -> list[Delegation]:
    if delegation is not None:
        return [delegation]
    return list(
        db.session.scalars(
            sa.select(Delegation)
            .where(Delegation.event_id == event.id)
            .options(joinedload(Delegation.region).joinedload(Region.parent))
        )
    )


def _delegates(
    event: Event,
    delegation: Delegation | None,
    statuses: Iterable[DelegateStatus],
) -> list[tuple]:
    """(delegation id, delegate id, role, status, person columns…) sorted by name."""
    query = (
        sa.select(
            Delegate.delegation_id,
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
        .where(Delegate.event_id == event.id, Delegate.status.in_(list(statuses)))
        .order_by(Delegate.delegation_id, Person.full_name, Delegate.id)
    )
    if delegation is not None:
        query = query.where(Delegate.delegation_id == delegation.id)
    return list(db.session.execute(query))


def _masked(nik: str | None) -> str | None:
    return Person(nik=nik).masked_nik if nik else None


def load_roster(
    event: Event,
    *,
    delegation: Delegation | None = None,
    status: str | None = None,
    contacts: bool = False,
    full_nik: bool = False,
    province: str | None = None,
    taking_part: bool = False,
) -> Roster:
    """The roster of the event (or one delegation) in two queries after the event.

    ``contacts`` adds phone and NIK; the NIK stays masked unless ``full_nik``.
    ``province`` (a Kemendagri code) narrows the whole-event roster to one province.
    """
    status_name, statuses = statuses_for(status)
    if taking_part:
        status_name, statuses = "taking_part", TAKING_PART
    delegations = _delegations(event, delegation)
    role_labels = {role: str(label) for role, label in DELEGATE_ROLE.items()}
    status_labels = {s: str(label) for s, label in DELEGATE_STATUS.items()}
    groups: dict[int | None, DelegationGroup] = {}
    place_of: dict[int | None, tuple[str | None, str]] = {}
    for item in delegations:
        region = item.region
        groups[item.id] = DelegationGroup(
            item.name, region.code if region else None, item.id, item.quota
        )
        if region is None:
            place_of[item.id] = (None, "")
        else:
            parent = region.province
            place_of[item.id] = (parent.code, parent.name)
    rows = _delegates(event, delegation, statuses)
    for row in rows:
        (delegation_id, delegate_id, role, st, name, sex, position, institution) = row[
            :8
        ]
        phone, nik = row[8], row[9]
        group = groups.get(delegation_id)
        if group is None:
            group = groups[None] = DelegationGroup(
                _("Narasumber, panitia dan tamu"), None, None, None
            )
            place_of[None] = ("~", "")
        group.rows.append(
            RosterRow(
                delegate_id=delegate_id,
                name=name,
                sex=str(SEX_SHORT.get(sex, "")) if sex else "",
                role=role_labels.get(role, str(role)),
                status=DelegateStatus(st),
                status_label=status_labels.get(st, str(st)),
                position=position or "",
                institution=institution or "",
                phone=phone if contacts else None,
                nik=(nik if full_nik else _masked(nik)) if contacts else None,
                delegation=group.name,
            )
        )
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
