"""Writing an event as a plan document: every table in one query, sorted, keyed; the
document as bytes by orjson."""

from __future__ import annotations

from datetime import datetime

import orjson
from flask_babel import gettext as _

from planner.models import Event, utcnow
from planner.services.events import DEFAULT_TIMEZONE
from planner.services.plans import lodging
from planner.services.plans.common import (
    FORMAT,
    TOP_KEYS,
    VERSION,
    Progress,
    ProgressCallback,
    _assign_keys,
    _cycles_collected_after,
    _sortable,
    _sorted_by,
    _times,
    _value,
    _zone,
)
from planner.services.plans.export_rows import QUERIES, ExportRows
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


@_cycles_collected_after()
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
    counter = Progress(progress, QUERIES + lodging.QUERIES + 1)
    rows = ExportRows(event, counter)
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
