"""Checking a plan document: format and version, schema, then every reference."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import (
    QUOTA_STATUSES,
    Event,
    Region,
    RegionKind,
    User,
)
from planner.services import PlannerError
from planner.services.events import (
    MAX_EVENT_DAYS,
    TIMEZONES,
)
from planner.services.people import normalise_phone
from planner.services.plans.common import (
    _CONTROL,
    _NIK,
    _SECTIONS,
    _SLUG,
    _UNSTORABLE,
    FORMAT,
    VERSION,
    Problem,
    _capped,
    _chunks,
    _parse_date,
    _parse_datetime,
    _shown,
    json_path,
)
from planner.services.plans.schema import _schema_problems

#: Sections whose entries have a ``key``, with the name they are shown by.
_KEYED = ("places", "people", "delegations", "vehicles", "trips")


def _format_problem(doc) -> Problem | None:
    """Not a plan, another format or another version: the one problem to report."""
    supported = _(
        "yang didukung: “%(format)s” versi %(version)s", format=FORMAT, version=VERSION
    )
    if not isinstance(doc, dict):
        return Problem("$", _("Berkas bukan rencana Rombongan (%(s)s).", s=supported))
    found = doc.get("format")
    if found != FORMAT:
        if "format" not in doc:
            return Problem(
                "$",
                _(
                    "Kolom “format” tidak ada: ini bukan berkas rencana Rombongan "
                    "(%(s)s).",
                    s=supported,
                ),
            )
        return Problem(
            "$.format",
            _(
                "Format %(found)s tidak didukung; %(s)s.",
                found=_shown(found),
                s=supported,
            ),
        )
    version = doc.get("version")
    if isinstance(version, bool) or version != VERSION:
        if "version" not in doc:
            return Problem("$", _("Kolom “version” tidak ada; %(s)s.", s=supported))
        return Problem(
            "$.version",
            _(
                "Versi format %(found)s tidak didukung; %(s)s.",
                found=_shown(version),
                s=supported,
            ),
        )
    return None


@dataclass(frozen=True)
class _RegionRow:
    id: int
    timezone: str
    is_province: bool


class _Check:
    """The checks after the schema: references, uniqueness, times, quotas, seats.

    Keeps what the writer needs: the regions and accounts found, normalised phones.
    """

    def __init__(self, doc: dict, *, slug: str | None, title: str | None) -> None:
        self.doc = doc
        self.event: dict = doc["event"]
        self.sections: dict[str, list[dict]] = {
            name: doc.get(name) or [] for name in _SECTIONS
        }
        self.slug = slug or self.event["slug"]
        self.title = title or self.event["title"]
        self.slug_given = slug is not None
        self.title_given = title is not None
        self.problems: list[Problem] = []
        self.unknown_users: dict[str, set[str]] = {}
        self.index: dict[str, dict[str, int]] = {}
        self.regions: dict[str, _RegionRow] = {}
        self.users: dict[str, int] = {}
        self.phones: dict[int, str | None] = {}
        self.driver_phones: dict[int, str | None] = {}
        self.delegate_people: set[str] = set()

    def add(self, parts: list, message: str) -> None:
        self.problems.append(Problem(json_path(parts), message))

    # Look-ups -------------------------------------------------------------------------

    def run(self) -> _Check:
        self._text(self.doc, [])
        for name in _KEYED:
            self.index[name] = self._keys(name)
        self._load_regions()
        self._load_users()
        self._check_event()
        self._check_places()
        self._check_people()
        self._check_delegations()
        self._check_delegates()
        self._check_vehicles()
        self._check_trips()
        self._check_legs()
        self._check_seats()
        self._check_agenda()
        return self

    def _text(self, value, parts: list) -> None:
        """Strings PostgreSQL cannot store (NUL, lone surrogates)."""
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                self.add(
                    list(parts),
                    _("Teks berisi karakter yang tidak dapat disimpan (NUL)."),
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(item, int | float | bool) and item is not None:
                    parts.append(key)
                    self._text(item, parts)
                    parts.pop()
        elif isinstance(value, list):
            for n, item in enumerate(value):
                if not isinstance(item, int | float | bool) and item is not None:
                    parts.append(n)
                    self._text(item, parts)
                    parts.pop()

    def _keys(self, section: str) -> dict[str, int]:
        """Key → position in the section; a key used twice is a problem."""
        index: dict[str, int] = {}
        for n, entry in enumerate(self.sections[section]):
            key = entry["key"]
            if key in index:
                self.add(
                    [section, n, "key"],
                    _(
                        "Kunci “%(key)s” sudah dipakai di %(other)s.",
                        key=key,
                        other=json_path([section, index[key]]),
                    ),
                )
            else:
                index[key] = n
        return index

    def _load_regions(self) -> None:
        codes = {self.event.get("host_region")}
        for section in ("places", "people", "delegations"):
            codes.update(entry.get("region") for entry in self.sections[section])
        codes.update(
            entry["nik"][:2] for entry in self.sections["people"] if entry.get("nik")
        )
        codes.discard(None)
        for chunk in _chunks(sorted(codes)):
            for row in db.session.execute(
                sa.select(Region.code, Region.id, Region.timezone, Region.kind).where(
                    Region.code.in_(chunk)
                )
            ):
                self.regions[row.code] = _RegionRow(
                    row.id, row.timezone, row.kind == RegionKind.PROVINSI
                )

    def _load_users(self) -> None:
        emails = {e.lower() for e in self.event.get("organisers") or ()}
        emails.update(
            d["head"].lower() for d in self.sections["delegations"] if d.get("head")
        )
        for delegate in self.sections["delegates"]:
            emails.update(
                c["by"].lower() for c in delegate.get("history") or () if c.get("by")
            )
        for chunk in _chunks(sorted(emails)):
            for user_id, email in db.session.execute(
                sa.select(User.id, User.email).where(
                    sa.func.lower(User.email).in_(chunk)
                )
            ):
                self.users[email.lower()] = user_id

    def region(self, code: str | None, parts: list) -> _RegionRow | None:
        if code is None:
            return None
        region = self.regions.get(code)
        if region is None:
            self.add(parts, _("Kode wilayah %(code)s tidak dikenal.", code=code))
        return region

    def ref(self, section: str, key: str | None, parts: list) -> bool:
        """Whether ``key`` names an entry of ``section`` (None: nothing named)."""
        if key is None or key in self.index[section]:
            return key is not None
        self.add(
            parts,
            _(
                "Kunci “%(key)s” tidak ada di %(section)s.",
                key=key,
                section=json_path([section]),
            ),
        )
        return False

    def user(self, email: str | None, role: str) -> None:
        """An account named by email; unknown ones are noted, not refused."""
        if email and email.lower() not in self.users:
            self.unknown_users.setdefault(email.lower(), set()).add(role)

    def time(self, entry: dict, name: str, parts: list) -> datetime | None:
        value = entry.get(name)
        if value is None:
            return None
        parsed = _parse_datetime(value)
        if parsed is None:
            self.add(
                [*parts, name],
                _("Waktu %(value)s tidak ada di kalender.", value=_shown(value)),
            )
        return parsed

    def day(self, entry: dict, name: str, parts: list) -> date | None:
        value = entry.get(name)
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.add(
                [*parts, name],
                _("Tanggal %(value)s tidak ada di kalender.", value=_shown(value)),
            )
        return parsed

    def phone(self, value: str | None, parts: list) -> str | None:
        if value is None or value == "":
            return value or None
        try:
            return normalise_phone(value)
        except PlannerError:
            self.add(
                parts, _("Nomor telepon %(value)s tidak valid.", value=_shown(value))
            )
            return None

    def unique(self, section: str, attribute: str, message: str) -> None:
        """Entries of ``section`` that repeat an ``attribute`` another one has."""
        seen: dict = {}
        for n, entry in enumerate(self.sections[section]):
            value = entry.get(attribute)
            if value is None:
                continue
            if value in seen:
                self.add(
                    [section, n, attribute],
                    message
                    % {"value": value, "other": json_path([section, seen[value]])},
                )
            else:
                seen[value] = n

    # Sections ---------------------------------------------------------------------------

    def _check_event(self) -> None:
        event, parts = self.event, ["event"]
        # Python's "$" also matches before a final newline: check slugs and NIKs again.
        if len(self.slug) > 120 or not _SLUG.fullmatch(self.slug):
            self.add(
                [*parts, "slug"],
                _(
                    "Slug %(value)s hanya boleh berisi huruf kecil, angka dan "
                    "tanda hubung (paling panjang 120).",
                    value=_shown(self.slug),
                ),
            )
        elif db.session.scalar(sa.select(Event.id).where(Event.slug == self.slug)):
            self.add(
                [*parts, "slug"],
                _(
                    "Slug “%(slug)s” sudah dipakai acara lain di sini. Impor dengan "
                    "slug baru (--slug di terminal, atau isian “Slug baru”).",
                    slug=self.slug,
                ),
            )
        if self.title_given and (
            not self.title.strip()
            or len(self.title) > 200
            or _CONTROL.search(self.title)
        ):
            self.add(
                [*parts, "title"],
                _(
                    "Judul baru harus diisi, tanpa karakter kendali, paling panjang 200."
                ),
            )
        starts_on = self.day(event, "starts_on", parts)
        ends_on = self.day(event, "ends_on", parts)
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add(
                    [*parts, "ends_on"],
                    _("Tanggal selesai tidak boleh sebelum tanggal mulai."),
                )
            elif (ends_on - starts_on).days + 1 > MAX_EVENT_DAYS:
                self.add(
                    [*parts, "ends_on"],
                    _("Acara paling lama %(n)s hari.", n=MAX_EVENT_DAYS),
                )
        timezone = event.get("timezone")
        if timezone is not None and timezone not in TIMEZONES:
            self.add(
                [*parts, "timezone"],
                _(
                    "Zona waktu %(value)s tidak dikenal; yang boleh: %(zones)s.",
                    value=_shown(timezone),
                    zones=", ".join(TIMEZONES),
                ),
            )
        self.region(event.get("host_region"), [*parts, "host_region"])
        self.ref("places", event.get("venue"), [*parts, "venue"])
        for email in event.get("organisers") or ():
            self.user(email, "organiser")

    def _check_places(self) -> None:
        for n, place in enumerate(self.sections["places"]):
            parts = ["places", n]
            self.region(place.get("region"), [*parts, "region"])
            if (place.get("lat") is None) != (place.get("lon") is None):
                self.add(parts, _("Isi lat dan lon keduanya, atau kosongkan keduanya."))
        self.unique(
            "places", "code", _("Kode tempat %(value)s sudah dipakai di %(other)s.")
        )

    def _check_people(self) -> None:
        for n, person in enumerate(self.sections["people"]):
            parts = ["people", n]
            self.region(person.get("region"), [*parts, "region"])
            if not person["full_name"].strip():
                if not all(
                    (person.get(k) or "").strip() for k in ("position", "institution")
                ):
                    self.add(
                        [*parts, "full_name"],
                        _(
                            "Isi nama, atau jabatan dan instansi bagi pejabat yang "
                            "namanya belum diketahui."
                        ),
                    )
                elif person.get("title_before") or person.get("title_after"):
                    self.add(
                        [*parts, "title_before"],
                        _("Gelar hanya dapat diisi bersama nama."),
                    )
            nik = person.get("nik")
            if nik and not _NIK.fullmatch(nik):
                self.add([*parts, "nik"], _("NIK harus terdiri dari 16 angka."))
            elif nik:
                province = self.regions.get(nik[:2])
                if province is None or not province.is_province:
                    self.add(
                        [*parts, "nik"],
                        _("Dua angka pertama NIK bukan kode provinsi yang dikenal."),
                    )
            self.phones[n] = self.phone(person.get("phone"), [*parts, "phone"])
            self.day(person, "birth_on", parts)
        self.unique("people", "nik", _("NIK %(value)s sudah dipakai di %(other)s."))

    def _check_delegations(self) -> None:
        for n, delegation in enumerate(self.sections["delegations"]):
            parts = ["delegations", n]
            self.region(delegation.get("region"), [*parts, "region"])
            self.time(delegation, "deadline_at", parts)
            self.user(delegation.get("head"), "head")
        self.unique(
            "delegations",
            "region",
            _("Wilayah %(value)s sudah punya delegasi di %(other)s."),
        )
        self.unique(
            "delegations",
            "name",
            _("Nama delegasi “%(value)s” sudah dipakai di %(other)s."),
        )

    def _check_delegates(self) -> None:
        delegates = self.sections["delegates"]
        first: dict[str, int] = {}
        for n, delegate in enumerate(delegates):
            person = delegate["person"]
            if self.ref("people", person, ["delegates", n, "person"]):
                if person in first:
                    self.add(
                        ["delegates", n, "person"],
                        _(
                            "Orang “%(key)s” sudah tercatat sebagai peserta di "
                            "%(other)s.",
                            key=person,
                            other=json_path(["delegates", first[person]]),
                        ),
                    )
                else:
                    first[person] = n
        self.delegate_people = set(first)
        replaced: dict[str, int] = {}
        holding: Counter[str] = Counter()
        for n, delegate in enumerate(delegates):
            parts = ["delegates", n]
            delegation = delegate.get("delegation")
            self.ref("delegations", delegation, [*parts, "delegation"])
            if delegation is not None and delegate.get("status") in (
                str(s) for s in QUOTA_STATUSES
            ):
                holding[delegation] += 1
            replaces = delegate.get("replaces")
            if replaces is not None:
                self.delegate_ref(replaces, [*parts, "replaces"])
                if replaces == delegate["person"]:
                    self.add(
                        [*parts, "replaces"],
                        _("Peserta tidak dapat menggantikan dirinya sendiri."),
                    )
                elif replaces in replaced:
                    self.add(
                        [*parts, "replaces"],
                        _(
                            "“%(key)s” sudah digantikan oleh %(other)s.",
                            key=replaces,
                            other=json_path(["delegates", replaced[replaces]]),
                        ),
                    )
                else:
                    replaced[replaces] = n
            for name in ("created_at", "confirmed_at", "attended_at", "withdrawn_at"):
                self.time(delegate, name, parts)
            for m, change in enumerate(delegate.get("history") or ()):
                change_parts = [*parts, "history", m]
                self.time(change, "at", change_parts)
                if change.get("other") is not None:
                    self.delegate_ref(change["other"], [*change_parts, "other"])
                self.user(change.get("by"), "history")
        for n, delegation in enumerate(self.sections["delegations"]):
            taken = holding.get(delegation["key"], 0)
            if (
                taken > delegation["quota"]
                and self.index["delegations"].get(delegation["key"]) == n
            ):
                self.add(
                    ["delegations", n],
                    _(
                        "Delegasi “%(name)s” punya %(n)s peserta yang dikonfirmasi "
                        "atau hadir, melebihi kuotanya (%(quota)s).",
                        name=delegation["name"],
                        n=taken,
                        quota=delegation["quota"],
                    ),
                )

    def delegate_ref(self, key: str, parts: list) -> bool:
        """Whether ``key`` names a person who is a delegate in the file."""
        if not self.ref("people", key, parts):
            return False
        if key not in self.delegate_people:
            self.add(
                parts,
                _(
                    "“%(key)s” bukan peserta acara (tidak ada di $.delegates).",
                    key=key,
                ),
            )
            return False
        return True

    def _check_vehicles(self) -> None:
        for n, vehicle in enumerate(self.sections["vehicles"]):
            self.driver_phones[n] = self.phone(
                vehicle.get("driver_phone"), ["vehicles", n, "driver_phone"]
            )
        self.unique(
            "vehicles",
            "label",
            _("Nama kendaraan “%(value)s” sudah dipakai di %(other)s."),
        )

    def _check_trips(self) -> None:
        self.unique(
            "trips",
            "name",
            _("Nama perjalanan “%(value)s” sudah dipakai di %(other)s."),
        )

    def _check_legs(self) -> None:
        for n, leg in enumerate(self.sections["legs"]):
            parts = ["legs", n]
            self.ref("trips", leg["trip"], [*parts, "trip"])
            self.ref("places", leg["from"], [*parts, "from"])
            self.ref("places", leg["to"], [*parts, "to"])
            if leg["from"] == leg["to"]:
                self.add(
                    [*parts, "to"], _("Tempat tujuan harus lain dari tempat berangkat.")
                )
            departs = self.time(leg, "departs_at", parts)
            arrives = self.time(leg, "arrives_at", parts)
            if departs and arrives and arrives <= departs:
                self.add(
                    [*parts, "arrives_at"],
                    _("Waktu tiba harus sesudah waktu berangkat."),
                )
            self._key_list("vehicles", leg.get("vehicles") or (), [*parts, "vehicles"])
            self._key_list(
                "delegations", leg.get("delegations") or (), [*parts, "delegations"]
            )

    def _key_list(self, section: str, keys, parts: list) -> None:
        seen: set[str] = set()
        for m, key in enumerate(keys):
            if key in seen:
                self.add([*parts, m], _("“%(key)s” disebut dua kali.", key=key))
            seen.add(key)
            self.ref(section, key, [*parts, m])

    def _check_seats(self) -> None:
        vehicles = self.sections["vehicles"]
        seated: dict[tuple, int] = {}
        numbers: dict[tuple, int] = {}
        filled: Counter[tuple] = Counter()
        for n, seat in enumerate(self.sections["seats"]):
            parts = ["seats", n]
            trip_ok = self.ref("trips", seat["trip"], [*parts, "trip"])
            vehicle_ok = self.ref("vehicles", seat["vehicle"], [*parts, "vehicle"])
            person_ok = self.delegate_ref(seat["person"], [*parts, "person"])
            if not (trip_ok and vehicle_ok and person_ok):
                continue
            trip, key, person = seat["trip"], seat["vehicle"], seat["person"]
            vehicle = vehicles[self.index["vehicles"][key]]
            if (trip, person) in seated:
                self.add(
                    [*parts, "person"],
                    _(
                        "“%(key)s” sudah punya kursi pada perjalanan ini di %(other)s.",
                        key=person,
                        other=json_path(["seats", seated[trip, person]]),
                    ),
                )
                continue
            seated[trip, person] = n
            number = seat.get("seat")
            if number is not None:
                if number > vehicle["seats"]:
                    self.add(
                        [*parts, "seat"],
                        _(
                            "Kursi nomor %(n)s tidak ada: “%(vehicle)s” hanya punya "
                            "%(seats)s kursi.",
                            n=number,
                            vehicle=vehicle["label"],
                            seats=vehicle["seats"],
                        ),
                    )
                elif (trip, key, number) in numbers:
                    self.add(
                        [*parts, "seat"],
                        _(
                            "Kursi nomor %(n)s di “%(vehicle)s” sudah terisi di "
                            "%(other)s.",
                            n=number,
                            vehicle=vehicle["label"],
                            other=json_path(["seats", numbers[trip, key, number]]),
                        ),
                    )
                else:
                    numbers[trip, key, number] = n
            filled[trip, key] += 1
            if filled[trip, key] == vehicle["seats"] + 1:
                self.add(
                    parts,
                    _(
                        "“%(vehicle)s” hanya punya %(seats)s kursi; pada perjalanan "
                        "“%(trip)s” lebih banyak orang yang didudukkan di sana.",
                        vehicle=vehicle["label"],
                        seats=vehicle["seats"],
                        trip=trip,
                    ),
                )

    def _check_agenda(self) -> None:
        for n, item in enumerate(self.sections["agenda"]):
            parts = ["agenda", n]
            self.ref("places", item.get("place"), [*parts, "place"])
            starts = self.time(item, "starts_at", parts)
            ends = self.time(item, "ends_at", parts)
            if starts and ends and ends <= starts:
                self.add(
                    [*parts, "ends_at"], _("Waktu selesai harus sesudah waktu mulai.")
                )
            self._key_list(
                "delegations", item.get("delegations") or (), [*parts, "delegations"]
            )
            for m, speaker in enumerate(item.get("speakers") or ()):
                speaker_parts = [*parts, "speakers", m]
                person = speaker.get("person")
                if person is not None:
                    self.ref("people", person, [*speaker_parts, "person"])
                elif not (speaker.get("name") or "").strip():
                    self.add(
                        speaker_parts,
                        _("Isi “person” (kunci orang) atau “name” (nama) pembicara."),
                    )

    def notices(self) -> list[str]:
        """One sentence per account the file names and this database lacks."""
        roles = {
            "organiser": _("penyelenggara"),
            "head": _("ketua delegasi"),
            "history": _("riwayat peserta"),
        }
        return [
            _(
                "Akun %(email)s tidak ada di sini; %(what)s diimpor tanpa akun itu.",
                email=email,
                what=", ".join(roles[r] for r in sorted(found)),
            )
            for email, found in sorted(self.unknown_users.items())
        ]


def _check(doc, *, slug: str | None = None, title: str | None = None) -> _Check | list:
    """The problems of ``doc`` (a list) or, when there are none, the finished check."""
    problem = _format_problem(doc)
    if problem is not None:
        return [problem]
    problems = _schema_problems(doc)
    if problems:
        return problems
    check = _Check(doc, slug=slug, title=title).run()
    return check.problems or check


def validate_plan(
    doc, *, slug: str | None = None, title: str | None = None
) -> list[Problem]:
    """Every problem of a plan document (at most :data:`MAX_PROBLEMS` and a count of
    the rest): its format and version, the schema, then every reference."""
    result = _check(doc, slug=slug, title=title)
    return _capped(result) if isinstance(result, list) else []
