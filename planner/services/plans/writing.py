"""Importing a checked plan: places and people matched or created, then the event
and everything in it, in batches."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import (
    QUOTA_STATUSES,
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
from planner.services.plans.checks import (
    _Check,
    _check,
)
from planner.services.plans.common import (
    SAME_PLACE_METRES,
    ImportResult,
    PlanInvalid,
    _capped,
    _chunks,
    _metres,
    _parse_date,
    _parse_datetime,
)


def import_plan(
    doc,
    *,
    slug: str | None = None,
    title: str | None = None,
    by_user: User | None = None,
) -> ImportResult:
    """Check the whole document, then create the event and everything in it.

    Raises :class:`PlanInvalid` (nothing written) listing every problem. Places and
    people already in the database are matched (see docs/plan-format.md), the rest
    created; ``by_user`` becomes an organiser of the new event too. Rows go in with
    bulk INSERTs of :data:`BATCH` rows; flushes, never commits.
    """
    result = _check(doc, slug=slug, title=title)
    if isinstance(result, list):
        raise PlanInvalid(_capped(result), total=len(result))
    return _Writer(result, by_user).run()


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert rows in batches of :data:`BATCH`; their new ids, in the order of ``rows``.

    Core INSERTs on the table (the ORM's bulk path splits batches wherever the
    None-valued keys differ). PostgreSQL gets ``sort_by_parameter_order``, which
    SQLAlchemy batches there; on SQLite it would send one statement per row, so the
    ids come back unordered and are sorted: SQLite hands out the rowids of one
    statement in ascending order of its VALUES, one writer at a time.
    """
    table = model.__table__
    ordered = db.session.get_bind().dialect.name != "sqlite"
    stmt = sa.insert(table).returning(table.c.id, sort_by_parameter_order=ordered)
    ids: list[int] = []
    for chunk in _chunks(rows):
        found = list(db.session.scalars(stmt, chunk))
        ids.extend(found if ordered else sorted(found))
    if len(ids) != len(rows):
        raise RuntimeError(f"{table.name}: {len(rows)} rows inserted, {len(ids)} ids")
    return ids


def _insert_plain(target, rows: list[dict]) -> None:
    """Insert rows (of a model or an association table) in batches."""
    table = getattr(target, "__table__", target)
    for chunk in _chunks(rows):
        db.session.execute(sa.insert(table), chunk)


def _int(value, default: int | None = 0) -> int | None:
    return default if value is None else int(value)


#: Person fields a matched person gets from the file when the record lacks them.
_FILLABLE = (
    "title_before",
    "title_after",
    "sex",
    "email",
    "position",
    "institution",
    "birth_on",
    "notes",
)


class _Writer:
    """Writes a checked document: places and people (matched or new), then the event."""

    def __init__(self, check: _Check, by_user: User | None) -> None:
        self.c = check
        self.by_user = by_user
        self.sections = check.sections
        self.event_id: int | None = None
        self.has_organisers = False

    def region_id(self, code: str | None) -> int | None:
        return self.c.regions[code].id if code is not None else None

    def user_id(self, email: str | None) -> int | None:
        return self.c.users.get(email.lower()) if email else None

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
        vehicles = self._keyed(
            Vehicle,
            "vehicles",
            lambda n, v: {
                "kind": v["kind"],
                "label": v["label"],
                "plate": v.get("plate"),
                "seats": int(v["seats"]),
                "driver_name": v.get("driver_name"),
                "driver_phone": self.c.driver_phones.get(n),
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
        db.session.flush()
        self._audit(event)
        result.notices = self.c.notices()
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
                "slug": [self.c.event["slug"], event.slug],
                **{name: [None, len(self.sections[name])] for name in counted},
            },
        )

    # Places and people ---------------------------------------------------------------

    def _places(self, result: ImportResult) -> dict[str, int]:
        """Match each place by code, else by name and coordinates; create the rest."""
        entries = self.sections["places"]
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
            if place["key"] in ids:
                continue
            if place.get("code") and place["code"] in by_code:
                continue
            for row in by_name.get(place["name"], ()):
                if row.id in claimed or not self._same_place(place, row):
                    continue
                ids[place["key"]] = row.id
                claimed.add(row.id)
                break
        result.matched_places = len(ids)
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
        ids.update(zip((p["key"] for p in new), created, strict=True))
        result.created_places = len(created)
        return ids

    def _same_place(self, place: dict, row) -> bool:
        """Same name (already) and within 50 m; without coordinates: same region."""
        lat, lon = place.get("lat"), place.get("lon")
        if lat is None or row.lat is None:
            return (
                lat is None
                and row.lat is None
                and row.region_id == self.region_id(place.get("region"))
            )
        return _metres(lat, lon, row.lat, row.lon) <= SAME_PLACE_METRES

    def _people(self, result: ImportResult) -> dict[str, int]:
        """Match each person by NIK, else phone, else exact name and region; create
        the rest. A database person is matched to one person of the file at most."""
        entries = self.sections["people"]
        phones = self.c.phones
        matched: dict[int, Person] = {}
        claimed: set[int] = set()

        def compatible(person: Person, entry: dict) -> bool:
            nik = entry.get("nik")
            return person.id not in claimed and (
                not nik or not person.nik or person.nik == nik
            )

        def claim(n: int, person: Person) -> None:
            matched[n] = person
            claimed.add(person.id)

        niks = sorted({e["nik"] for e in entries if e.get("nik")})
        by_nik: dict[str, Person] = {}
        for chunk in _chunks(niks):
            for person in db.session.scalars(
                sa.select(Person).where(Person.nik.in_(chunk))
            ):
                by_nik[person.nik] = person
        for n, entry in enumerate(entries):
            person = by_nik.get(entry.get("nik") or "")
            if person is not None:
                claim(n, person)

        wanted = sorted(
            {
                phones[n]
                for n in range(len(entries))
                if n not in matched and phones.get(n)
            }
        )
        by_phone: dict[str, list[Person]] = defaultdict(list)
        for chunk in _chunks(wanted):
            for person in db.session.scalars(
                sa.select(Person).where(Person.phone.in_(chunk)).order_by(Person.id)
            ):
                by_phone[person.phone].append(person)
        for n, entry in enumerate(entries):
            if n in matched or not phones.get(n):
                continue
            person = next(
                (p for p in by_phone[phones[n]] if compatible(p, entry)), None
            )
            if person is not None:
                claim(n, person)

        # Officials known by position only are matched on position and institution,
        # not on their (empty) name.
        offices = {
            n: (e.get("position"), e.get("institution"))
            for n, e in enumerate(entries)
            if n not in matched and not e["full_name"].strip()
        }
        by_office: dict[tuple, list[Person]] = defaultdict(list)
        for chunk in _chunks(sorted({p for p, _i in offices.values()})):
            for person in db.session.scalars(
                sa.select(Person)
                .where(Person.full_name == "", Person.position.in_(chunk))
                .order_by(Person.id)
            ):
                by_office[person.position, person.institution].append(person)
        for n, office in offices.items():
            person = next(
                (p for p in by_office[office] if compatible(p, entries[n])), None
            )
            if person is not None:
                claim(n, person)

        names = sorted(
            {
                e["full_name"]
                for n, e in enumerate(entries)
                if n not in matched and n not in offices
            }
        )
        by_name: dict[tuple, list[Person]] = defaultdict(list)
        for chunk in _chunks(names):
            for person in db.session.scalars(
                sa.select(Person).where(Person.full_name.in_(chunk)).order_by(Person.id)
            ):
                by_name[person.full_name, person.region_id].append(person)
        for n, entry in enumerate(entries):
            if n in matched or n in offices:
                continue
            key = (entry["full_name"], self.region_id(entry.get("region")))
            person = next((p for p in by_name[key] if compatible(p, entry)), None)
            if person is not None:
                claim(n, person)

        for n, person in matched.items():
            self._fill_blanks(person, entries[n], phones.get(n))
        db.session.flush()
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
                    "phone": phones.get(n),
                    "email": entries[n].get("email"),
                    "region_id": self.region_id(entries[n].get("region")),
                    "pillar": entries[n].get("pillar") or "psm",
                    "position": entries[n].get("position"),
                    "institution": entries[n].get("institution"),
                    "nik": entries[n].get("nik"),
                    "birth_on": _parse_date(entries[n].get("birth_on")),
                    "notes": entries[n].get("notes"),
                }
                for n in new
            ],
        )
        ids.update(zip((entries[n]["key"] for n in new), created, strict=True))
        result.matched_people = len(matched)
        result.created_people = len(created)
        return ids

    def _fill_blanks(self, person: Person, entry: dict, phone: str | None) -> None:
        """Give a matched person what the file knows and the record lacks."""
        for name in _FILLABLE:
            value = entry.get(name)
            if value is not None and getattr(person, name) in (None, ""):
                setattr(
                    person, name, _parse_date(value) if name == "birth_on" else value
                )
        if not person.phone and phone:
            person.phone = phone
        if not person.nik and entry.get("nik"):
            person.nik = entry["nik"]
        if person.region_id is None and entry.get("region"):
            person.region_id = self.region_id(entry["region"])

    # The event ------------------------------------------------------------------------

    def _event(self, places: dict[str, int]) -> Event:
        data = self.c.event
        venue_id = places.get(data.get("venue") or "")
        timezone = data.get("timezone")
        if timezone is None:
            venue = (
                self.sections["places"][self.c.index["places"][data["venue"]]]
                if data.get("venue")
                else None
            )
            region = venue and venue.get("region") or data.get("host_region")
            timezone = self.c.regions[region].timezone if region else DEFAULT_TIMEZONE
        event = Event(
            kind=data["kind"],
            title=self.c.title,
            slug=self.c.slug,
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
        return dict(zip((e["key"] for e in entries), ids, strict=True))

    def _delegations(self) -> dict[str, int]:
        holding = Counter(
            d["delegation"]
            for d in self.sections["delegates"]
            if d.get("delegation") is not None
            and d.get("status") in (str(s) for s in QUOTA_STATUSES)
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
