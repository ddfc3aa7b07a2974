"""Writing a checked plan: places and people matched or created, then the event and
everything in it, with bulk INSERTs of :data:`BATCH` rows. Flushes, never commits."""

from __future__ import annotations

from collections import Counter
from datetime import date

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
    EventStatus,
    Leg,
    Person,
    Place,
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
from planner.services.plans.common import (
    HOLDING,
    CheckedPlan,
    ImportResult,
    Progress,
    _chunks,
    _insert,
    _insert_plain,
    _int,
    _parse_date,
    _parse_datetime,
)
from planner.services.plans.lodging import write_stays
from planner.services.plans.matching import FILLABLE, match_people, match_places
from planner.services.plans.papers import write_papers


def write_plan(
    plan: CheckedPlan, *, by_user: User | None = None, progress: Progress | None = None
) -> ImportResult:
    """Create the event of a checked plan and everything in it; match or create its
    places and people. ``by_user`` becomes an organiser of the new event too."""
    return _Writer(plan, by_user, progress).run()


class _Writer:
    """Writes a checked plan: places and people (matched or new), then the event."""

    def __init__(
        self, plan: CheckedPlan, by_user: User | None, progress: Progress | None
    ) -> None:
        self.plan = plan
        self.by_user = by_user
        self.progress = progress
        self.sections = plan.sections
        self.region_id = plan.region_id
        self.user_id = plan.user_id
        self.event_id: int | None = None
        self.has_organisers = False

    def written(self, section: str) -> None:
        if self.progress is not None:
            self.progress.advance(len(self.sections[section]))

    def run(self) -> ImportResult:
        db.session.flush()
        result = ImportResult(event=None)  # type: ignore[arg-type]
        places = self._places(result)
        people = self._people(result)
        event = self._event(places)
        result.event = event
        delegations = self._delegations()
        delegates = self._delegates(people, delegations)
        self._changes(delegates)
        phones = self.plan.driver_phones
        vehicles = self._keyed(
            Vehicle,
            "vehicles",
            lambda n, v: {
                "kind": v["kind"],
                "label": v["label"],
                "plate": v.get("plate"),
                "seats": int(v["seats"]),
                "driver_name": v.get("driver_name"),
                "driver_phone": phones[n],
                "operator": v.get("operator"),
                "notes": v.get("notes"),
            },
        )
        trips = self._keyed(
            Trip,
            "trips",
            lambda n, t: {"name": t["name"], "position": _int(t.get("position"))},
        )
        self._legs(places, trips, vehicles, delegations)
        self._seats(trips, vehicles, delegates)
        self._agenda(places, people, delegations)
        write_stays(
            self.sections["stays"],
            event_id=self.event_id,
            places=places,
            delegates=delegates,
        )
        self.written("stays")
        write_papers(self.plan, event.id, delegations, delegates)
        db.session.flush()
        self._audit(event)
        result.notices = list(self.plan.notices)
        if not self.has_organisers:
            result.notices.append(
                _(
                    "Acara ini belum punya penyelenggara: hanya admin yang dapat mengelolanya."
                )
            )
        return result

    def _audit(self, event: Event) -> None:
        """One audit entry for the import: its rows went in by bulk statements, which
        the audit trail's flush listener does not see."""
        from planner.audit import record

        counted = ("delegations", "delegates", "vehicles", "legs", "seats", "agenda")
        record(
            db.session,
            event_id=event.id,
            entity="plan",
            action="imported",
            summary=event.title[:300],
            changes={
                "slug": [self.plan.event["slug"], event.slug],
                **{name: [None, len(self.sections[name])] for name in counted},
            },
        )

    # Places and people ---------------------------------------------------------------

    def _places(self, result: ImportResult) -> dict[str, int]:
        """The places matched here, and the others created."""
        entries = self.sections["places"]
        ids = match_places(self.plan)
        new = [p for p in entries if p["key"] not in ids]
        created = _insert(
            Place,
            [
                {
                    "code": p.get("code"),
                    "name": p["name"],
                    "kind": p["kind"],
                    "address": p.get("address"),
                    "region_id": self.region_id(p.get("region")),
                    "lat": p.get("lat"),
                    "lon": p.get("lon"),
                    "coordinate_source": p.get("coordinate_source"),
                    "notes": p.get("notes"),
                }
                for p in new
            ],
        )
        result.matched_places = len(ids)
        result.created_places = len(created)
        ids.update(zip((p["key"] for p in new), created, strict=True))
        self.written("places")
        return ids

    def _people(self, result: ImportResult) -> dict[str, int]:
        """The people matched here (their blanks filled from the file), and the others
        created."""
        entries = self.sections["people"]
        phones = self.plan.phones
        matched = match_people(self.plan)
        self._fill_blanks(matched)
        ids = {entries[n]["key"]: person.id for n, person in matched.items()}
        new = [n for n in range(len(entries)) if n not in matched]
        created = _insert(
            Person,
            [
                {
                    "full_name": entries[n]["full_name"],
                    "title_before": entries[n].get("title_before"),
                    "title_after": entries[n].get("title_after"),
                    "sex": entries[n].get("sex"),
                    "phone": phones[n],
                    "email": entries[n].get("email"),
                    "region_id": self.region_id(entries[n].get("region")),
                    "pillar": entries[n].get("pillar") or "psm",
                    "position": entries[n].get("position"),
                    "institution": entries[n].get("institution"),
                    "nik": entries[n].get("nik"),
                    "birth_on": _parse_date(entries[n].get("birth_on")),
                    "notes": entries[n].get("notes"),
                    "dietary_notes": entries[n].get("dietary_notes"),
                }
                for n in new
            ],
        )
        ids.update(zip((entries[n]["key"] for n in new), created, strict=True))
        result.matched_people = len(matched)
        result.created_people = len(created)
        self.written("people")
        return ids

    def _fill_blanks(self, matched: dict[int, sa.Row]) -> None:
        """Give matched people what the file knows and their record lacks, through
        the ORM (one query for those that change, usually none)."""
        entries, phones = self.sections["people"], self.plan.phones
        changes: dict[int, dict] = {}
        for n, person in matched.items():
            entry, change = entries[n], {}
            for name in FILLABLE:
                value = entry.get(name)
                if value is not None and getattr(person, name) in (None, ""):
                    change[name] = _parse_date(value) if name == "birth_on" else value
            if not person.phone and phones[n]:
                change["phone"] = phones[n]
            if not person.nik and entry.get("nik"):
                change["nik"] = entry["nik"]
            if person.region_id is None and entry.get("region"):
                change["region_id"] = self.region_id(entry["region"])
            if change:
                changes[person.id] = change
        for chunk in _chunks(sorted(changes)):
            for person in db.session.scalars(
                sa.select(Person).where(Person.id.in_(chunk))
            ):
                for name, value in changes[person.id].items():
                    setattr(person, name, value)
        db.session.flush()

    # The event ------------------------------------------------------------------------

    def _event(self, places: dict[str, int]) -> Event:
        data = self.plan.event
        venue_id = places.get(data.get("venue") or "")
        timezone = data.get("timezone")
        if timezone is None:
            venue = (
                self.sections["places"][self.plan.index["places"][data["venue"]]]
                if data.get("venue")
                else None
            )
            region = venue and venue.get("region") or data.get("host_region")
            timezone = (
                self.plan.regions[region].timezone if region else DEFAULT_TIMEZONE
            )
        event = Event(
            kind=data["kind"],
            title=self.plan.title,
            slug=self.plan.slug,
            organiser_body=data["organiser_body"],
            host_region_id=self.region_id(data.get("host_region")),
            venue_id=venue_id,
            starts_on=date.fromisoformat(data["starts_on"]),
            ends_on=date.fromisoformat(data["ends_on"]),
            timezone=timezone,
            capacity=_int(data.get("capacity"), None),
            status=EventStatus(data.get("status") or EventStatus.DRAFT),
            description=data.get("description"),
            cancelled_reason=data.get("cancelled_reason"),
        )
        db.session.add(event)
        db.session.flush()
        self.event_id = event.id
        organisers = []
        for email in data.get("organisers") or ():
            user_id = self.user_id(email)
            if user_id is not None and user_id not in organisers:
                organisers.append(user_id)
        if self.by_user is not None and self.by_user.id not in organisers:
            organisers.append(self.by_user.id)
        _insert_plain(
            event_organisers,
            [{"event_id": event.id, "user_id": user_id} for user_id in organisers],
        )
        self.has_organisers = bool(organisers)
        return event

    def _keyed(self, model, section: str, values) -> dict[str, int]:
        """Insert a keyed section's entries for the event; key → new id."""
        entries = self.sections[section]
        ids = _insert(
            model,
            [
                {"event_id": self.event_id, **values(n, e)}
                for n, e in enumerate(entries)
            ],
        )
        self.written(section)
        return dict(zip((e["key"] for e in entries), ids, strict=True))

    def _delegations(self) -> dict[str, int]:
        holding = Counter(
            d["delegation"]
            for d in self.sections["delegates"]
            if d.get("delegation") is not None and d.get("status") in HOLDING
        )
        return self._keyed(
            Delegation,
            "delegations",
            lambda n, d: {
                "region_id": self.region_id(d.get("region")),
                "name": d["name"],
                "quota": int(d["quota"]),
                "confirmed_count": holding.get(d["key"], 0),
                "head_user_id": self.user_id(d.get("head")),
                "deadline_at": _parse_datetime(d.get("deadline_at")),
                "notes": d.get("notes"),
            },
        )

    def _delegates(
        self, people: dict[str, int], delegations: dict[str, int]
    ) -> dict[str, int]:
        """Delegates (person key → new delegate id), then who replaced whom."""
        entries = self.sections["delegates"]
        now = utcnow()
        ids = _insert(
            Delegate,
            [
                {
                    "event_id": self.event_id,
                    "delegation_id": delegations.get(d.get("delegation") or ""),
                    "person_id": people[d["person"]],
                    "role": d.get("role") or "participant",
                    "status": d.get("status") or "nominated",
                    "notes": d.get("notes"),
                    "created_at": _parse_datetime(d.get("created_at")) or now,
                    "confirmed_at": _parse_datetime(d.get("confirmed_at")),
                    "attended_at": _parse_datetime(d.get("attended_at")),
                    "withdrawn_at": _parse_datetime(d.get("withdrawn_at")),
                }
                for d in entries
            ],
        )
        by_person = dict(zip((d["person"] for d in entries), ids, strict=True))
        replaces = [
            {
                "delegate_id": by_person[d["person"]],
                "replaced_id": by_person[d["replaces"]],
            }
            for d in entries
            if d.get("replaces") is not None
        ]
        table = Delegate.__table__
        stmt = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("delegate_id"))
            .values(replaces_id=sa.bindparam("replaced_id"))
        )
        for chunk in _chunks(replaces):
            db.session.execute(stmt, chunk)
        self.written("delegates")
        return by_person

    def _changes(self, delegates: dict[str, int]) -> None:
        _insert_plain(
            DelegateChange,
            [
                {
                    "delegate_id": delegates[d["person"]],
                    "action": c["action"],
                    "from_status": c.get("from_status"),
                    "to_status": c.get("to_status"),
                    "other_delegate_id": delegates.get(c.get("other") or ""),
                    "by_user_id": self.user_id(c.get("by")),
                    "at": _parse_datetime(c["at"]),
                    "note": c.get("note"),
                }
                for d in self.sections["delegates"]
                for c in d.get("history") or ()
            ],
        )

    # Transport and agenda --------------------------------------------------------------

    def _legs(self, places, trips, vehicles, delegations) -> None:
        entries = self.sections["legs"]
        ids = _insert(
            Leg,
            [
                {
                    "event_id": self.event_id,
                    "trip_id": trips[leg["trip"]],
                    "position": _int(leg.get("position")),
                    "from_place_id": places[leg["from"]],
                    "to_place_id": places[leg["to"]],
                    "mode": leg["mode"],
                    "departs_at": _parse_datetime(leg["departs_at"]),
                    "arrives_at": _parse_datetime(leg["arrives_at"]),
                    "carrier": leg.get("carrier"),
                    "vessel": leg.get("vessel"),
                    "booking_ref": leg.get("booking_ref"),
                    "notes": leg.get("notes"),
                    "sequence": _int(leg.get("sequence")),
                    "has_packed_meal": bool(leg.get("packed_meal", False)),
                }
                for leg in entries
            ],
        )
        _insert_plain(
            leg_vehicles,
            [
                {"leg_id": leg_id, "vehicle_id": vehicles[key]}
                for leg_id, leg in zip(ids, entries, strict=True)
                for key in leg.get("vehicles") or ()
            ],
        )
        _insert_plain(
            leg_delegations,
            [
                {"leg_id": leg_id, "delegation_id": delegations[key]}
                for leg_id, leg in zip(ids, entries, strict=True)
                for key in leg.get("delegations") or ()
            ],
        )
        self.written("legs")

    def _seats(self, trips, vehicles, delegates) -> None:
        _insert_plain(
            SeatAssignment,
            [
                {
                    "event_id": self.event_id,
                    "trip_id": trips[s["trip"]],
                    "vehicle_id": vehicles[s["vehicle"]],
                    "delegate_id": delegates[s["person"]],
                    "seat_number": _int(s.get("seat"), None),
                    "is_pinned": bool(s.get("pinned", False)),
                }
                for s in self.sections["seats"]
            ],
        )
        self.written("seats")

    def _agenda(self, places, people, delegations) -> None:
        entries = self.sections["agenda"]
        ids = _insert(
            AgendaItem,
            [
                {
                    "event_id": self.event_id,
                    "starts_at": _parse_datetime(i["starts_at"]),
                    "ends_at": _parse_datetime(i["ends_at"]),
                    "title": i["title"],
                    "kind": i["kind"],
                    "place_id": places.get(i.get("place") or ""),
                    "room": i.get("room"),
                    "audience": i.get("audience") or "everyone",
                    "status": i.get("status") or "scheduled",
                    "notes": i.get("notes"),
                    "committee_notes": i.get("committee_notes"),
                    "sequence": _int(i.get("sequence")),
                }
                for i in entries
            ],
        )
        _insert_plain(
            AgendaSpeaker,
            [
                {
                    "item_id": item_id,
                    "role": s.get("role") or "speaker",
                    "position": _int(s.get("position")),
                    "person_id": people.get(s.get("person") or ""),
                    "name": s.get("name"),
                    "title": s.get("title"),
                    "institution": s.get("institution"),
                }
                for item_id, item in zip(ids, entries, strict=True)
                for s in item.get("speakers") or ()
            ],
        )
        _insert_plain(
            agenda_item_delegations,
            [
                {"item_id": item_id, "delegation_id": delegations[key]}
                for item_id, item in zip(ids, entries, strict=True)
                for key in item.get("delegations") or ()
            ],
        )
        self.written("agenda")
