"""People: phone and NIK normalisation, creating and editing, and who sees whom."""

from __future__ import annotations

import re
from datetime import date

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import false, func, or_
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Person, Region, RegionKind, Sex, SocialPillar
from planner.permissions import (
    can_list_people,
    can_set_person_region,
    can_view_person,
    covered_region_ids,
    sees_all_people,
)
from planner.services import PlannerError, parsing

#: What a typed phone number may contain besides digits.
_PHONE_CHARS = re.compile(r"^[0-9+\s\-().]+$")
#: Separators people type inside a NIK ("1901 0123 …", "1901.0123.…").
_NIK_SEPARATORS = re.compile(r"[\s.]+")
#: Longest search text taken into account (longer input is cut, never an error).
MAX_QUERY_LENGTH = 200
#: Longest degree titles before or after a name ("Prof. Dr. Ir. H.").
TITLE_MAX = 60


class PossibleDuplicate(PlannerError):
    """Someone similar exists; saving again with ``confirm_duplicate`` proceeds."""

    def __init__(self, message: str, *, people: list[Person]) -> None:
        super().__init__(message, field="confirm_duplicate")
        self.people = people


# Phone numbers and NIK ----------------------------------------------------------------


def normalise_phone(raw: str | None) -> str | None:
    """Turn a typed Indonesian (or foreign) number into E.164; None if empty."""
    text = (raw or "").strip()
    if not text:
        return None
    invalid = PlannerError(
        _("Nomor telepon tidak valid (contoh: 0812 3456 7890 atau +62 812 3456 7890)."),
        field="phone",
    )
    if len(text) > 40 or not _PHONE_CHARS.match(text):
        raise invalid
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        raise invalid from None
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """Show an E.164 number the way people read it: "+62 812-3456-7890"."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "ID")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def normalise_nik(raw: str | None) -> str | None:
    """Check a NIK: 16 digits, the first two an existing province; None if empty."""
    text = _NIK_SEPARATORS.sub("", raw or "")
    if not text:
        return None
    if len(text) != 16 or not text.isascii() or not text.isdigit():
        raise PlannerError(_("NIK harus terdiri dari 16 angka."), field="nik")
    province_code = text[:2]
    known = 11 <= int(province_code) <= 96 and db.session.scalar(
        db.select(Region.id).filter_by(code=province_code, kind=RegionKind.PROVINSI)
    )
    if not known:
        raise PlannerError(
            _("Dua angka pertama NIK bukan kode provinsi yang dikenal."), field="nik"
        )
    return text


def _phone_digits(text: str) -> str | None:
    """The digits of a searched phone number as stored in E.164 (without "+")."""
    digits = re.sub(r"\D", "", text)
    if len(digits) < 4 or not _PHONE_CHARS.match(text):
        return None
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


# Who sees whom ------------------------------------------------------------------------


def _scope(user):
    """The SQL condition limiting people to those ``user`` may see."""
    if sees_all_people(user):
        return None
    conditions = []
    region_ids = covered_region_ids(user)
    if region_ids:
        conditions.append(Person.region_id.in_(region_ids))
    if getattr(user, "person_id", None) is not None:
        conditions.append(Person.id == user.person_id)
    return or_(*conditions) if conditions else false()


def _may_search_nik(user) -> bool:
    """Exact-NIK search is for those who see NIKs of everyone in their list."""
    # can_view_nik is per person and equals can_view_person for now; the list is already
    # scoped to people the user may view, so listing rights are enough to match a NIK.
    return can_list_people(user)


def _like_escape(text: str) -> str:
    """Make % and _ typed by the user match themselves in LIKE."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def visible_people(user, *, q=None, region_code=None, pillar=None):
    """A select() of the people ``user`` may see, filtered and ordered by name."""
    stmt = db.select(Person).options(
        joinedload(Person.region).joinedload(Region.parent)
    )
    scope = _scope(user)
    if scope is not None:
        stmt = stmt.where(scope)
    if region_code:
        inside = db.select(Region.id).where(
            or_(
                Region.code == region_code,
                Region.parent_id.in_(
                    db.select(Region.id).where(Region.code == region_code)
                ),
            )
        )
        stmt = stmt.where(Person.region_id.in_(inside))
    if pillar:
        try:
            stmt = stmt.where(Person.pillar == SocialPillar(pillar))
        except ValueError:
            stmt = stmt.where(false())
    text = " ".join((q or "").split())[:MAX_QUERY_LENGTH]
    if text:
        pattern = f"%{_like_escape(text)}%"
        matches = [
            Person.full_name.ilike(pattern, escape="\\"),
            # Office holders known by position only are found by it.
            (Person.full_name == "") & Person.position.ilike(pattern, escape="\\"),
        ]
        digits = _phone_digits(text)
        if digits:
            matches.append(Person.phone.like(f"%{digits}%"))
        nik = _NIK_SEPARATORS.sub("", text)
        if len(nik) == 16 and nik.isdigit() and _may_search_nik(user):
            matches.append(Person.nik == nik)
        stmt = stmt.where(or_(*matches))
    return stmt.order_by(
        func.lower(func.coalesce(func.nullif(Person.full_name, ""), Person.position)),
        Person.id,
    )


def find_similar_people(
    full_name: str,
    region_id: int | None,
    phone: str | None,
    *,
    position: str | None = None,
    institution: str | None = None,
    exclude_id=None,
) -> list[Person]:
    """People who may be the same: same name in the same region, or same phone; an
    office holder known by position only matches the same position and institution."""
    conditions = []
    name = " ".join((full_name or "").split()).lower()
    if name:
        same_name = func.lower(Person.full_name) == name
        if region_id is not None:
            conditions.append(same_name & (Person.region_id == region_id))
        else:
            conditions.append(same_name & Person.region_id.is_(None))
    office = [" ".join((x or "").split()).lower() for x in (position, institution)]
    if all(office):
        # The office holder on record without a name, whether or not this one has one.
        conditions.append(
            (Person.full_name == "")
            & (func.lower(Person.position) == office[0])
            & (func.lower(Person.institution) == office[1])
        )
        if not name:
            conditions.append(
                (func.lower(Person.position) == office[0])
                & (func.lower(Person.institution) == office[1])
            )
    if phone:
        conditions.append(Person.phone == phone)
    if not conditions:
        return []
    stmt = (
        db.select(Person)
        .options(joinedload(Person.region))
        .where(or_(*conditions))
        .order_by(Person.full_name, Person.id)
        .limit(10)
    )
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    return list(db.session.scalars(stmt))


# Creating and editing -----------------------------------------------------------------


def _region(value) -> Region | None:
    """The region with this id; None when empty."""
    if value in (None, ""):
        return None
    try:
        region = db.session.get(Region, int(value))
    except (TypeError, ValueError, OverflowError):
        region = None
    if region is None:
        raise PlannerError(_("Wilayah tidak ditemukan."), field="region_id")
    return region


def _check_nik_free(nik: str, *, person: Person | None, acting_user) -> None:
    """Refuse a NIK someone else holds, naming them only to organisers and admins.

    Everyone else gets one message whoever holds it: naming the holders of their own
    regions would tell them, by its absence, that a NIK belongs to someone elsewhere.
    """
    stmt = db.select(Person).filter_by(nik=nik)
    if person is not None and person.id is not None:
        stmt = stmt.where(Person.id != person.id)
    other = db.session.scalars(stmt).first()
    if other is None:
        return
    if sees_all_people(acting_user):
        message = _("NIK sudah terdaftar atas nama %(name)s.", name=other.full_name)
    else:
        message = _(
            "NIK ini sudah tercatat. Cari NIK ini di daftar Orang; bila orangnya tidak "
            "ada di sana, periksa lagi angkanya atau hubungi panitia."
        )
    raise PlannerError(message, field="nik")


def clean_title(value, *, field: str) -> str | None:
    """Degree titles as typed ("S.Sos., M.PSSp."), without the comma that joins them to
    the name; None when empty."""
    text = (parsing.text(value, collapse=True) or "").strip(" ,") or None
    if text is not None and len(text) > TITLE_MAX:
        raise PlannerError(
            _("Gelar paling panjang %(n)s huruf.", n=TITLE_MAX), field=field
        )
    return text


#: Titles written before a name, compared without case and dots: Drs., Dra., Dr., dr.,
#: drg., Prof., Ir., H./Hj. (hajj), K.H., Ns., Apt.
_TITLES_BEFORE = {"drs", "dra", "dr", "drg", "prof", "ir", "h", "hj", "kh", "ns", "apt"}
#: One title written after a name: dotted ("S.Sos.", "M.PSSp.", "A.Md.Kep", "MM.") or a
#: short word of capitals ("SH", "MPSSp"), never a plain word such as "Jakarta".
_TITLE_AFTER = re.compile(
    r"^[A-Z][A-Za-z]{0,5}(\.[A-Za-z]{1,6})+\.?$"
    r"|^[A-Z][A-Za-z]{0,5}\.$"
    r"|^(?=(?:.*[A-Z]){2})[A-Z][A-Za-z]{1,5}$"
)


def split_titles(text: str) -> tuple[str | None, str, str | None]:
    """Split the degree titles off a name as offices type it: "Drs. H. Ahmad Fauzi,
    S.Sos., M.PSSp." → ("Drs. H.", "Ahmad Fauzi", "S.Sos., M.PSSp."). Only obvious
    titles are taken: dotted known prefixes, and after the first comma only words that
    look like titles; anything else stays in the name."""
    name = " ".join((text or "").split())
    after = None
    head, comma, tail = name.partition(",")
    pieces = [p.strip() for p in tail.split(",")] if comma else []
    titles = ", ".join(p for p in pieces if p)
    if (
        titles
        and len(titles) <= TITLE_MAX
        and all(_TITLE_AFTER.match(p) for p in pieces if p)
    ):
        name, after = head.strip(), titles
    words = name.split(" ")
    taken = 0
    while (
        taken < len(words) - 1
        and words[taken].endswith(".")
        and words[taken].replace(".", "").casefold() in _TITLES_BEFORE
    ):
        taken += 1
    before = " ".join(words[:taken]) or None
    if before and len(before) > TITLE_MAX:
        return None, name, after
    return before, " ".join(words[taken:]), after


def _check_name_or_office(values: dict, person: Person | None) -> None:
    """A name, or an office holder's position and institution; titles need a name."""

    def current(key):
        return values.get(key, getattr(person, key, None) if person else None)

    if current("full_name"):
        return
    if not (current("position") and current("institution")):
        raise PlannerError(
            _(
                "Nama lengkap wajib diisi. Untuk pejabat yang namanya belum diketahui, "
                "isi jabatan dan instansinya."
            ),
            field="full_name",
        )
    if current("title_before") or current("title_after"):
        raise PlannerError(
            _("Gelar hanya dapat diisi bersama nama."), field="title_before"
        )


def _clean(data: dict, *, person: Person | None, acting_user) -> dict:
    """Checked, normalised values for the keys present in ``data``."""
    values: dict = {}
    if "full_name" in data or person is None:
        full_name = parsing.text(data.get("full_name"), collapse=True) or ""
        if len(full_name) > 200:
            raise PlannerError(_("Nama paling panjang 200 huruf."), field="full_name")
        values["full_name"] = full_name
    for key in ("title_before", "title_after"):
        if key in data:
            values[key] = clean_title(data[key], field=key)
    if "sex" in data:
        values["sex"] = parsing.choice(Sex, data["sex"], field="sex")
    if "pillar" in data:
        values["pillar"] = parsing.choice(
            SocialPillar, data["pillar"], field="pillar"
        ) or (SocialPillar.PSM)
    if "phone" in data:
        values["phone"] = normalise_phone(data["phone"])
    if "email" in data:
        values["email"] = parsing.text(data["email"], collapse=True)
    for key in ("position", "institution"):
        if key in data:
            values[key] = parsing.text(data[key], collapse=True)
            if values[key] and len(values[key]) > 200:
                raise PlannerError(_("Paling panjang 200 huruf."), field=key)
    _check_name_or_office(values, person)
    if "notes" in data:
        values["notes"] = (data["notes"] or "").strip() or None
    if "dietary_notes" in data:
        values["dietary_notes"] = parsing.text(
            data["dietary_notes"], limit=200, field="dietary_notes", collapse=True
        )
    if "birth_on" in data:
        birth_on = data["birth_on"]
        if birth_on is not None and not (date(1900, 1, 1) <= birth_on <= date.today()):
            raise PlannerError(_("Tanggal lahir tidak masuk akal."), field="birth_on")
        values["birth_on"] = birth_on
    if "nik" in data:
        nik = normalise_nik(data["nik"])
        if nik is not None:
            _check_nik_free(nik, person=person, acting_user=acting_user)
        values["nik"] = nik
    if "region_id" in data or person is None:
        region = _region(data.get("region_id"))
        current = person.region_id if person is not None else None
        changed = person is None or (region.id if region else None) != current
        if changed and not can_set_person_region(acting_user, region):
            if region is None:
                message = _("Pilih wilayah orang ini.")
            else:
                message = _("Anda tidak dapat memasukkan orang ke wilayah ini.")
            raise PlannerError(message, field="region_id")
        values["region"] = region
    return values


def _warn_duplicates(values: dict, *, person: Person | None, acting_user) -> None:
    """Refuse once when someone similar exists, naming only people the user may see."""
    region = values.get("region", person.region if person else None)
    full_name = values.get("full_name", person.full_name if person else "")
    phone = values.get("phone", person.phone if person else None)
    position = values.get("position", person.position if person else None)
    institution = values.get("institution", person.institution if person else None)
    if person is not None:
        unchanged = (
            full_name == person.full_name
            and (region.id if region else None) == person.region_id
            and phone == person.phone
            # An office holder is matched on their office too.
            and (
                bool(full_name)
                or (position, institution) == (person.position, person.institution)
            )
        )
        if unchanged:
            return
    similar = find_similar_people(
        full_name,
        region.id if region else None,
        phone,
        position=position,
        institution=institution,
        exclude_id=person.id if person is not None else None,
    )
    if not similar:
        return
    shown = [p for p in similar if can_view_person(acting_user, p)]
    raise PossibleDuplicate(
        _(
            "Mungkin orang ini sudah terdaftar. Periksa daftar di bawah, lalu centang "
            "“Tetap simpan” bila memang orang yang berbeda."
        ),
        people=shown,
    )


def create_person(*, data: dict, acting_user) -> Person:
    """Add a person, checking region rights, NIK uniqueness and likely duplicates."""
    values = _clean(data, person=None, acting_user=acting_user)
    if not data.get("confirm_duplicate"):
        _warn_duplicates(values, person=None, acting_user=acting_user)
    person = Person(**values)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, *, data: dict, acting_user) -> Person:
    """Change a person's record; keys missing from ``data`` are left as they are."""
    values = _clean(data, person=person, acting_user=acting_user)
    if not data.get("confirm_duplicate"):
        _warn_duplicates(values, person=person, acting_user=acting_user)
    for key, value in values.items():
        setattr(person, key, value)
    db.session.flush()
    return person
