"""The checks after the schema: references, uniqueness, times, quotas and seats.

:func:`check_plan` takes a document that satisfies the schema and returns a
:class:`~planner.services.plans.common.CheckedPlan` (what the writer needs: the
regions and accounts found, the phones in E.164, the notices), or raises
:class:`PlanInvalid` listing every problem with its JSON path.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Event
from planner.services.events import MAX_EVENT_DAYS, TIMEZONES
from planner.services.plans.common import (
    _CONTROL,
    _NIK,
    _SECTIONS,
    _SLUG,
    HOLDING,
    CheckedPlan,
    PlanInvalid,
    Problem,
    Progress,
    RegionRow,
    _capped,
    _parse_date,
    _parse_datetime,
    _shown,
    json_path,
)
from planner.services.plans.lodging import check_stays
from planner.services.plans.papers import check_papers
from planner.services.plans.resolving import (
    account_notices,
    e164,
    load_regions,
    load_users,
    unstorable_paths,
)
from planner.services.plans.transport_checks import (
    check_legs,
    check_seats,
    check_trips,
    check_vehicles,
)

#: Sections whose entries have a ``key``, with the name they are shown by.
_KEYED = ("places", "people", "delegations", "vehicles", "trips")


def check_plan(
    doc: dict,
    *,
    slug: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> CheckedPlan:
    """Check a document that satisfies the schema: every reference, uniqueness, time,
    quota and seat. Raises :class:`PlanInvalid` (at most :data:`MAX_PROBLEMS` and a
    count of the rest) or returns what the writer needs."""
    checker = _Checker(doc, slug=slug, title=title, progress=progress)
    checker.run()
    if checker.problems:
        raise PlanInvalid(_capped(checker.problems), total=len(checker.problems))
    return CheckedPlan(
        event=checker.event,
        sections=checker.sections,
        slug=checker.slug,
        title=checker.title,
        index=checker.index,
        regions=checker.regions,
        users=checker.users,
        phones=checker.phones,
        driver_phones=checker.driver_phones,
        notices=account_notices(checker.unknown_users),
        paperwork=doc.get("paperwork"),
    )


class _Checker:
    """Walks the sections once, collecting problems and resolving what they name."""

    def __init__(
        self,
        doc: dict,
        *,
        slug: str | None,
        title: str | None,
        progress: Progress | None,
    ) -> None:
        self.doc = doc
        self.event: dict = doc["event"]
        self.sections: dict[str, list[dict]] = {
            name: doc.get(name) or [] for name in _SECTIONS
        }
        self.slug = slug or self.event["slug"]
        self.title = title or self.event["title"]
        self.title_given = title is not None
        self.progress = progress
        self.problems: list[Problem] = []
        self.unknown_users: dict[str, set[str]] = {}
        self.index: dict[str, dict[str, int]] = {}
        self.regions: dict[str, RegionRow] = {}
        self.users: dict[str, int] = {}
        self.phones: list[str | None] = []
        self.driver_phones: list[str | None] = []
        self.delegate_people: set[str] = set()

    def add(self, parts: list, message: str) -> None:
        self.problems.append(Problem(json_path(parts), message))

    def run(self) -> None:
        for parts in unstorable_paths(self.doc):
            self.add(parts, _("Teks berisi karakter yang tidak dapat disimpan (NUL)."))
        for name in _KEYED:
            self.index[name] = self._keys(name)
        self.regions = load_regions(self.event, self.sections)
        self.users = load_users(self.event, self.sections)
        self._check_event()
        checks = {
            "places": self._check_places,
            "people": self._check_people,
            "delegations": self._check_delegations,
            "delegates": self._check_delegates,
            "vehicles": lambda: check_vehicles(self),
            "trips": lambda: check_trips(self),
            "legs": lambda: check_legs(self),
            "seats": lambda: check_seats(self),
            "agenda": self._check_agenda,
            "stays": lambda: check_stays(self),
        }
        for name in _SECTIONS:
            checks[name]()
            if self.progress is not None:
                self.progress.advance(len(self.sections[name]))
        check_papers(self)

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

    def region(self, code: str | None, parts: list) -> RegionRow | None:
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
        """The number in E.164 (None for none); a problem when it is no number."""
        if not value or not value.strip():
            return None
        found = e164(value)
        if found is None:
            self.add(
                parts, _("Nomor telepon %(value)s tidak valid.", value=_shown(value))
            )
        return found

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
            self.phones.append(self.phone(person.get("phone"), [*parts, "phone"]))
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
            if delegation is not None and delegate.get("status") in HOLDING:
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

    def key_list(self, section: str, keys, parts: list) -> None:
        """Keys of ``section`` named in a list: each once, each existing."""
        seen: set[str] = set()
        for m, key in enumerate(keys):
            if key in seen:
                self.add([*parts, m], _("“%(key)s” disebut dua kali.", key=key))
            seen.add(key)
            self.ref(section, key, [*parts, m])

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
            self.key_list(
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
