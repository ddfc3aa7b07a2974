"""What a plan file names, found in this database or put in its stored form.

Regions by code and accounts by email, each in one query per :data:`BATCH` names;
phone numbers in E.164; text PostgreSQL cannot store. Each does no work beyond the
look-up for a value that is valid: a message is written only for a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import orjson
import phonenumbers
import sqlalchemy as sa
from flask_babel import gettext as _

from planner.extensions import db
from planner.models import Region, RegionKind, User
from planner.services import PlannerError
from planner.services.people import normalise_phone
from planner.services.plans.common import _UNSTORABLE, RegionRow, _chunks

#: A number already in E.164 (as exports write them): parsed here directly.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
#: An Indonesian number in E.164 (most of a plan's): built without parsing.
_E164_ID = re.compile(r"\+62[1-9][0-9]{4,12}")


def load_regions(event: dict, sections: dict[str, list[dict]]) -> dict[str, RegionRow]:
    """Every region the file names (by code, or by a NIK's province), as found."""
    codes = {event.get("host_region")}
    for section in ("places", "people", "delegations"):
        codes.update(entry.get("region") for entry in sections[section])
    codes.update(entry["nik"][:2] for entry in sections["people"] if entry.get("nik"))
    codes.discard(None)
    regions: dict[str, RegionRow] = {}
    for chunk in _chunks(sorted(codes)):
        for row in db.session.execute(
            sa.select(Region.code, Region.id, Region.timezone, Region.kind).where(
                Region.code.in_(chunk)
            )
        ):
            regions[row.code] = RegionRow(
                row.id, row.timezone, row.kind == RegionKind.PROVINSI
            )
    return regions


def load_users(event: dict, sections: dict[str, list[dict]]) -> dict[str, int]:
    """Lower-cased email → account id, for every account the file names and has."""
    emails = {e.lower() for e in event.get("organisers") or ()}
    emails.update(d["head"].lower() for d in sections["delegations"] if d.get("head"))
    for delegate in sections["delegates"]:
        for change in delegate.get("history") or ():
            if change.get("by"):
                emails.add(change["by"].lower())
    users: dict[str, int] = {}
    for chunk in _chunks(sorted(emails)):
        for user_id, email in db.session.execute(
            sa.select(User.id, User.email).where(sa.func.lower(User.email).in_(chunk))
        ):
            users[email.lower()] = user_id
    return users


def e164(value: str) -> str | None:
    """A phone number in E.164, or None when it is not a valid number.

    A number already written in E.164 is parsed once and no message is made; any
    other spelling goes through :func:`planner.services.people.normalise_phone`, the
    rule for numbers typed by people.
    """
    if _E164_ID.fullmatch(value):
        # "+62" and a national number without the national prefix 0 (the only one
        # Indonesia's metadata strips): what phonenumbers.parse makes of it, and
        # formats back to the same text; parsing was two thirds of the cost.
        number = phonenumbers.PhoneNumber(
            country_code=62, national_number=int(value[3:])
        )
        return value if phonenumbers.is_valid_number(number) else None
    if _E164.fullmatch(value):
        try:
            number = phonenumbers.parse(value, "ID")
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    try:
        return normalise_phone(value)
    except PlannerError:
        return None


def unstorable_paths(doc: dict) -> Iterator[list]:
    """The path of every text holding a character PostgreSQL cannot store (NUL, a
    lone surrogate). orjson encodes the whole document in a fraction of a second and
    refuses lone surrogates; only when that fails or shows a NUL is the document
    walked to say where."""
    try:
        encoded = orjson.dumps(doc)
    except (TypeError, orjson.JSONEncodeError):
        encoded = None
    if encoded is not None and b"\\u0000" not in encoded:
        return iter(())
    return _walk(doc, [])


def _walk(value, parts: list) -> Iterator[list]:
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            yield list(parts)
    elif isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            if isinstance(item, str | dict | list):
                parts.append(key)
                yield from _walk(item, parts)
                parts.pop()


def account_notices(unknown: dict[str, set[str]]) -> list[str]:
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
        for email, found in sorted(unknown.items())
    ]
