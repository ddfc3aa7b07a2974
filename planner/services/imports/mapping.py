"""Which field each column holds: the fields, the headings people write for them
(Indonesian and English), and the checks on a chosen mapping."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.services import PlannerError

#: The fields a column can hold, in the order of the mapping page.
FIELDS: dict[str, object] = {
    "full_name": _l("Nama lengkap"),
    "sex": _l("Jenis kelamin"),
    "phone": _l("Nomor HP"),
    "nik": _l("NIK"),
    "region": _l("Kabupaten/kota"),
    "delegation": _l("Delegasi"),
    "position": _l("Jabatan"),
    "institution": _l("Instansi"),
    "role": _l("Peran"),
    "email": _l("Email"),
    "birth_on": _l("Tanggal lahir"),
    "dietary_notes": _l("Catatan makanan"),
}

#: Headings people write for each field, normalised (see normalise_heading), "|"-separated.
_HEADINGS = {
    "full_name": "nama|nama lengkap|nama peserta|name|full name",
    "sex": "jenis kelamin|jk|l p|kelamin|sex|gender",
    "phone": "no hp|nomor hp|no hp wa|nomor telepon|no telepon|no telp|telepon|telp|hp|"
    "whatsapp|wa|no wa|nomor whatsapp|phone|phone number|mobile|telephone",
    "nik": "nik|no ktp|nomor ktp|nomor induk kependudukan|national id",
    "region": "kabupaten kota|kab kota|kota kabupaten|kabupaten|wilayah|daerah|asal|"
    "asal daerah|kode wilayah|region|regency city|regency",
    "delegation": "delegasi|rombongan|utusan|delegation",
    "position": "jabatan|position|job title",
    "institution": "instansi|lembaga|asal instansi|institution|organisation|organization",
    "role": "peran|sebagai|role",
    "email": "email|e mail|surel|alamat email|email address",
    "birth_on": "tanggal lahir|tgl lahir|birth date|date of birth|birthdate|dob",
    # Not plain "catatan" (notes): an organiser's notes column is no menu.
    "dietary_notes": "catatan makanan|pantangan makanan|pantangan|makanan|diet|"
    "menu khusus|makanan khusus|alergi|alergi makanan|dietary notes|dietary|"
    "dietary requirements|dietary restrictions|diet notes|special diet|allergies",
}
#: Normalised heading → field.
HEADING_FIELDS = {
    heading: key
    for key, headings in _HEADINGS.items()
    for heading in headings.split("|")
}


def normalise_heading(text: str) -> str:
    """Lower case, accents and punctuation removed: "No. HP/WA" → "no hp wa"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def guess_mapping(headings: list[str]) -> list[str | None]:
    """The field of each column as recognised from its heading (None: unknown)."""
    mapping: list[str | None] = []
    for heading in headings:
        key = HEADING_FIELDS.get(normalise_heading(heading))
        mapping.append(key if key not in mapping else None)
    return mapping


def mapping_complete(headings: list[str], mapping: list[str | None]) -> bool:
    """True when every non-empty heading was recognised (no mapping page needed)."""
    return all(
        key or not heading.strip()
        for heading, key in zip(headings, mapping, strict=False)
    )


def check_mapping(mapping: list[str | None]) -> None:
    """Refuse a mapping without a name column or with one field on two columns."""
    chosen = [key for key in mapping if key]
    for key in chosen:
        if key not in FIELDS:
            raise PlannerError(_("Pilih salah satu dari daftar."), field="mapping")
    if "full_name" not in chosen:
        raise PlannerError(_("Pilih kolom yang berisi nama."), field="mapping")
    twice = sorted({key for key in chosen if chosen.count(key) > 1})
    if twice:
        raise PlannerError(
            _(
                "Setiap isian hanya boleh dipilih untuk satu kolom: %(fields)s.",
                fields=", ".join(str(FIELDS[key]) for key in twice),
            ),
            field="mapping",
        )
