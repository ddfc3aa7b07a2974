"""Writing an event as a plan document: every table in one query, sorted, keyed; the
document as bytes by orjson."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import orjson
import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaSpeaker,
    Delegate,
    DelegateChange,
    Delegation,
    Event,
    Leg,
    Person,
    Place,
    Region,
    SeatAssignment,
    Trip,
    User,
    Vehicle,
    agenda_item_delegations,
    event_organisers,
    leg_delegations,
    leg_vehicles,
    utcnow,
)
from planner.services.events import DEFAULT_TIMEZONE
from planner.services.plans import lodging
from planner.services.plans.common import (
    FORMAT,
    TOP_KEYS,
    VERSION,
    Progress,
    ProgressCallback,
    _assign_keys,
    _collector_paused,
    _sortable,
    _sorted_by,
    _stored,
    _times,
    _value,
    _zone,
)
from planner.services.plans.papers import export_papers


def _notice(personal_data: bool) -> str:
    if personal_data:
        return _(
            "Berkas ini berisi data pribadi (NIK dan nomor telepon). Simpan dengan "
            "aman dan jangan dibagikan kepada yang tidak berhak."
        )
    return _(
        "NIK dan nomor telepon tidak disertakan dalam berkas ini. Saat diimpor, "
        "orang dicocokkan dengan nama lengkap dan kode wilayah."
    )


#: Queries an export sends (each a step of its progress), and one step to build.
_QUERIES = 17
#: Columns no plan holds: bookkeeping and secrets (a delegate's ``created_at`` is kept).
_UNUSED = frozenset({"created_at", "updated_at", "feed_token"})


class _ExportRows:
    """Every row an export needs, each table in one query, as plain rows."""

    def __init__(self, event: Event, progress: Progress) -> None:
        eid = event.id
        delegate_ids = sa.select(Delegate.id).where(Delegate.event_id == eid)
        trip_ids = sa.select(Trip.id).where(Trip.event_id == eid)
        leg_ids = sa.select(Leg.id).where(Leg.event_id == eid)
        item_ids = sa.select(AgendaItem.id).where(AgendaItem.event_id == eid)

        # Plain Core rows through the session's connection: the ORM's result layer
        # would only add work per row.
        db.session.flush()
        connection = db.session.connection()

        def rows(stmt) -> list:
            found = connection.execute(stmt).all()
            progress.advance()
            return found

        def table(model, *where, keep: tuple[str, ...] = ()) -> list:
            columns = [
                _stored(c)
                for c in model.__table__.c
                if c.name not in _UNUSED or c.name in keep
            ]
            return rows(sa.select(*columns).where(*where))

        self.regions = {
            r.id: r for r in rows(sa.select(Region.id, Region.code, Region.timezone))
        }
        self.organisers = [
            email
            for (email,) in rows(
                sa.select(User.email)
                .join(event_organisers, event_organisers.c.user_id == User.id)
                .where(event_organisers.c.event_id == eid)
                .order_by(User.email)
            )
        ]
        self.delegations = table(Delegation, Delegation.event_id == eid)
        self.delegates = table(Delegate, Delegate.event_id == eid, keep=("created_at",))
        self.changes: dict[int, list] = defaultdict(list)
        for change in rows(
            sa.select(*map(_stored, DelegateChange.__table__.c))
            .where(DelegateChange.delegate_id.in_(delegate_ids))
            .order_by(DelegateChange.at, DelegateChange.id)
        ):
            self.changes[change.delegate_id].append(change)
        user_ids = sa.union(
            sa.select(Delegation.head_user_id).where(Delegation.event_id == eid),
            sa.select(DelegateChange.by_user_id).where(
                DelegateChange.delegate_id.in_(delegate_ids)
            ),
        )
        self.emails = dict(
            rows(sa.select(User.id, User.email).where(User.id.in_(user_ids)))
        )
        self.vehicles = table(Vehicle, Vehicle.event_id == eid)
        self.trips = table(Trip, Trip.event_id == eid)
        self.legs = table(Leg, Leg.event_id == eid)
        self.leg_vehicles: dict[int, list[int]] = defaultdict(list)
        for leg_id, vehicle_id in rows(
            sa.select(leg_vehicles.c.leg_id, leg_vehicles.c.vehicle_id).where(
                leg_vehicles.c.leg_id.in_(leg_ids)
            )
        ):
            self.leg_vehicles[leg_id].append(vehicle_id)
        self.leg_delegations: dict[int, list[int]] = defaultdict(list)
        for leg_id, delegation_id in rows(
            sa.select(leg_delegations.c.leg_id, leg_delegations.c.delegation_id).where(
                leg_delegations.c.leg_id.in_(leg_ids)
            )
        ):
            self.leg_delegations[leg_id].append(delegation_id)
        self.seats = table(SeatAssignment, SeatAssignment.trip_id.in_(trip_ids))
        self.items = table(AgendaItem, AgendaItem.event_id == eid)
        self.speakers: dict[int, list] = defaultdict(list)
        for speaker in rows(
            sa.select(AgendaSpeaker.__table__)
            .where(AgendaSpeaker.item_id.in_(item_ids))
            .order_by(AgendaSpeaker.position, AgendaSpeaker.id)
        ):
            self.speakers[speaker.item_id].append(speaker)
        self.item_delegations: dict[int, list[int]] = defaultdict(list)
        for item_id, delegation_id in rows(
            sa.select(
                agenda_item_delegations.c.item_id,
                agenda_item_delegations.c.delegation_id,
            ).where(agenda_item_delegations.c.item_id.in_(item_ids))
        ):
            self.item_delegations[item_id].append(delegation_id)
        self.lodging = lodging.LodgingRows(eid, rows)
        place_ids = sa.union(
            sa.select(Event.venue_id).where(Event.id == eid),
            sa.select(Leg.from_place_id).where(Leg.event_id == eid),
            sa.select(Leg.to_place_id).where(Leg.event_id == eid),
            sa.select(AgendaItem.place_id).where(AgendaItem.event_id == eid),
            lodging.stay_place_ids(eid),
        )
        self.places = {p.id: p for p in table(Place, Place.id.in_(place_ids))}
        person_ids = sa.union(
            sa.select(Delegate.person_id).where(Delegate.event_id == eid),
            sa.select(AgendaSpeaker.person_id).where(
                AgendaSpeaker.item_id.in_(item_ids)
            ),
        )
        self.people = {p.id: p for p in table(Person, Person.id.in_(person_ids))}


@_collector_paused
def export_plan(
    event: Event,
    *,
    personal_data: bool = False,
    now: datetime | None = None,
    progress: ProgressCallback | None = None,
) -> dict:
    """The event and everything about it as a plan document (see docs/plan-format.md).

    NIK and phone numbers (people's and drivers') are in it only with
    ``personal_data``; feed tokens and database ids never are. The number of queries
    does not depend on the size of the event. ``progress(done, total)`` is called
    after each query and when the document is built.
    """
    counter = Progress(progress, _QUERIES + lodging.QUERIES + 1)
    rows = _ExportRows(event, counter)
    zone = event.timezone or DEFAULT_TIMEZONE
    iso = _times()
    code = {i: r.code for i, r in rows.regions.items()}.get

    def place_zone(place_id: int) -> str:
        """Times at a place are written in its region's zone, else the event's."""
        place = rows.places.get(place_id)
        if place is not None and place.region_id in rows.regions:
            return rows.regions[place.region_id].timezone
        return zone

    places = sorted(
        rows.places.values(),
        key=lambda p: (
            _sortable(p.name, p.code, str(p.kind), code(p.region_id), p.lat, p.lon)
            + _sortable(p.address, p.notes, p.id)
        ),
    )
    place_key = _assign_keys(
        [p.id for p in places], {p.id: p.name for p in places}, "tempat"
    )

    def person_order(p) -> tuple:
        private = (p.nik, p.phone) if personal_data else ()
        return (
            _sortable(p.full_name.casefold(), p.full_name, code(p.region_id))
            + _sortable(p.birth_on, *private, p.email, _value(p.sex), str(p.pillar))
            + _sortable(p.position, p.institution, p.notes)
            + _sortable(p.title_before, p.title_after, p.id)
        )

    people = _sorted_by(
        list(rows.people.values()),
        lambda p: (p.full_name.casefold(), p.full_name),
        person_order,
    )
    person_key = _assign_keys(
        [p.id for p in people],
        {p.id: p.full_name or p.position for p in people},
        "orang",
    )
    delegations = sorted(rows.delegations, key=lambda d: (d.name, d.id))
    delegation_key = _assign_keys(
        [d.id for d in delegations], {d.id: d.name for d in delegations}, "delegasi"
    )
    delegation_rank = {d.id: n for n, d in enumerate(delegations)}
    vehicles = sorted(rows.vehicles, key=lambda v: (v.label, v.id))
    vehicle_key = _assign_keys(
        [v.id for v in vehicles], {v.id: v.label for v in vehicles}, "kendaraan"
    )
    vehicle_rank = {v.id: n for n, v in enumerate(vehicles)}
    trips = sorted(rows.trips, key=lambda t: (t.position, t.name, t.id))
    trip_key = _assign_keys(
        [t.id for t in trips], {t.id: t.name for t in trips}, "perjalanan"
    )
    trip_rank = {t.id: n for n, t in enumerate(trips)}
    delegate_person = {d.id: person_key[d.person_id] for d in rows.delegates}
    emails = rows.emails

    def delegation_keys(ids: list[int]) -> list[str]:
        return [delegation_key[i] for i in sorted(ids, key=delegation_rank.__getitem__)]

    def vehicle_keys(ids: list[int]) -> list[str]:
        return [vehicle_key[i] for i in sorted(ids, key=vehicle_rank.__getitem__)]

    delegates = sorted(
        rows.delegates,
        key=lambda d: (
            d.delegation_id is None,
            delegation_rank.get(d.delegation_id, 0),
            person_key[d.person_id],
        ),
    )
    legs = sorted(
        rows.legs,
        key=lambda leg: (
            trip_rank[leg.trip_id],
            leg.position,
            leg.departs_at,
            leg.arrives_at,
            leg.id,
        ),
    )
    seats = sorted(
        rows.seats,
        key=lambda s: (
            trip_rank[s.trip_id],
            vehicle_rank[s.vehicle_id],
            s.seat_number is None,
            s.seat_number or 0,
            delegate_person[s.delegate_id],
        ),
    )
    items = sorted(rows.items, key=lambda i: (i.starts_at, i.ends_at, i.title, i.id))

    doc = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or utcnow())
        .astimezone(_zone(zone))
        .isoformat(timespec="seconds"),
        "personal_data": bool(personal_data),
        "notice": _notice(personal_data),
        "event": {
            "slug": event.slug,
            "title": event.title,
            "kind": str(event.kind),
            "status": str(event.status),
            "organiser_body": event.organiser_body,
            "host_region": code(event.host_region_id),
            "venue": place_key.get(event.venue_id),
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "timezone": event.timezone,
            "capacity": event.capacity,
            "description": event.description,
            "cancelled_reason": event.cancelled_reason,
            "organisers": rows.organisers,
        },
        "places": [
            {
                "key": place_key[p.id],
                "name": p.name,
                "kind": str(p.kind),
                "code": p.code,
                "region": code(p.region_id),
                "lat": p.lat,
                "lon": p.lon,
                "address": p.address,
                "coordinate_source": _value(p.coordinate_source),
                "notes": p.notes,
            }
            for p in places
        ],
        "people": [
            {
                "key": person_key[p.id],
                "full_name": p.full_name,
                "title_before": p.title_before,
                "title_after": p.title_after,
                "sex": _value(p.sex),
                "region": code(p.region_id),
                "pillar": str(p.pillar),
                "position": p.position,
                "institution": p.institution,
                "email": p.email,
                "birth_on": p.birth_on.isoformat() if p.birth_on else None,
                "notes": p.notes,
                **({"nik": p.nik, "phone": p.phone} if personal_data else {}),
            }
            for p in people
        ],
        "delegations": [
            {
                "key": delegation_key[d.id],
                "name": d.name,
                "region": code(d.region_id),
                "quota": d.quota,
                "head": emails.get(d.head_user_id),
                "deadline_at": iso(d.deadline_at, zone),
                "notes": d.notes,
            }
            for d in delegations
        ],
        "delegates": [
            {
                "person": person_key[d.person_id],
                "delegation": delegation_key.get(d.delegation_id),
                "role": str(d.role),
                "status": str(d.status),
                "replaces": delegate_person.get(d.replaces_id),
                "notes": d.notes,
                "created_at": iso(d.created_at, zone),
                "confirmed_at": iso(d.confirmed_at, zone),
                "attended_at": iso(d.attended_at, zone),
                "withdrawn_at": iso(d.withdrawn_at, zone),
                "history": [
                    {
                        "action": c.action,
                        "from_status": c.from_status,
                        "to_status": c.to_status,
                        "other": delegate_person.get(c.other_delegate_id),
                        "by": emails.get(c.by_user_id),
                        "at": iso(c.at, zone),
                        "note": c.note,
                    }
                    for c in rows.changes.get(d.id, ())
                ],
            }
            for d in delegates
        ],
        "vehicles": [
            {
                "key": vehicle_key[v.id],
                "label": v.label,
                "kind": str(v.kind),
                "plate": v.plate,
                "seats": v.seats,
                "driver_name": v.driver_name,
                **({"driver_phone": v.driver_phone} if personal_data else {}),
                "operator": v.operator,
                "notes": v.notes,
            }
            for v in vehicles
        ],
        "trips": [
            {"key": trip_key[t.id], "name": t.name, "position": t.position}
            for t in trips
        ],
        "legs": [
            {
                "trip": trip_key[leg.trip_id],
                "position": leg.position,
                "from": place_key[leg.from_place_id],
                "to": place_key[leg.to_place_id],
                "mode": str(leg.mode),
                "departs_at": iso(leg.departs_at, place_zone(leg.from_place_id)),
                "arrives_at": iso(leg.arrives_at, place_zone(leg.to_place_id)),
                "carrier": leg.carrier,
                "vessel": leg.vessel,
                "booking_ref": leg.booking_ref,
                "notes": leg.notes,
                "sequence": leg.sequence,
                "vehicles": vehicle_keys(rows.leg_vehicles[leg.id]),
                "delegations": delegation_keys(rows.leg_delegations[leg.id]),
            }
            for leg in legs
        ],
        "seats": [
            {
                "trip": trip_key[s.trip_id],
                "vehicle": vehicle_key[s.vehicle_id],
                "person": delegate_person[s.delegate_id],
                "seat": s.seat_number,
                "pinned": bool(s.is_pinned),
            }
            for s in seats
        ],
        "agenda": [
            {
                "starts_at": iso(i.starts_at, zone),
                "ends_at": iso(i.ends_at, zone),
                "title": i.title,
                "kind": str(i.kind),
                "place": place_key.get(i.place_id),
                "room": i.room,
                "audience": str(i.audience),
                "status": str(i.status),
                "notes": i.notes,
                # Only when set: files without it stay as they were.
                **({"committee_notes": i.committee_notes} if i.committee_notes else {}),
                "sequence": i.sequence,
                "delegations": delegation_keys(rows.item_delegations[i.id]),
                "speakers": [
                    {
                        "role": str(s.role),
                        "person": person_key.get(s.person_id),
                        "name": s.name,
                        "title": s.title,
                        "institution": s.institution,
                        "position": s.position,
                    }
                    for s in rows.speakers[i.id]
                ],
            }
            for i in items
        ],
    }
    lodging.export_lodging(
        doc,
        rows.lodging,
        people=people,
        legs=legs,
        place_key=place_key,
        delegate_person=delegate_person,
    )
    papers = export_papers(event, zone, delegation_key, delegate_person)
    if papers is not None:
        doc["paperwork"] = papers
    counter.finish()
    return doc


def dump_plan(doc: dict) -> bytes:
    """The document as UTF-8 JSON indented by two spaces, its top-level keys in the
    format's order and every other key in the document's.

    orjson writes the same bytes as ``json.dumps(indent=2, ensure_ascii=False)`` but
    for numbers below 0.0001, which it writes without an exponent (0.00001, not
    1e-05), and NaN, which it writes as null. ``<`` and ``>`` are written as
    ``\\u003c`` and ``\\u003e`` (the same text to any JSON reader) so that no viewer
    can take the file for HTML.
    """
    ordered = {key: doc[key] for key in TOP_KEYS if key in doc}
    ordered.update((key, value) for key, value in doc.items() if key not in ordered)
    raw = orjson.dumps(ordered, option=orjson.OPT_INDENT_2)
    if b"<" in raw or b">" in raw:  # rare: spare a 16 MB copy otherwise
        raw = raw.replace(b"<", b"\\u003c").replace(b">", b"\\u003e")
    return raw + b"\n"
