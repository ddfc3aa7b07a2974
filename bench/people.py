"""Fake Indonesians for the national-scale bench: seeded, so the same on every machine.

The only place Rombongan uses Faker (a test dependency). The demo does not: its people
were made here once and are kept in the plan files of ``planner/data/demo/``.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

import phonenumbers
from faker import Faker

from planner.models import Sex

#: Mobile prefixes (after +62) of Indonesian operators: Telkomsel, Indosat, XL, Axis,
#: Smartfren, Tri.
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "851", "852", "853",
    "814", "815", "816", "855", "856", "857", "858",
    "817", "818", "819", "859", "877", "878",
    "831", "832", "833", "838",
    "881", "882", "883", "885", "887",
    "895", "896", "897", "898", "899",
)  # fmt: skip

#: Birth dates of bench people: adults aged about 25 to 65 in 2024.
BIRTH_FROM = date(1959, 1, 1)
BIRTH_SPAN_DAYS = (date(1999, 12, 31) - BIRTH_FROM).days


def random_mobile(rng: random.Random) -> str:
    """A valid Indonesian mobile number in E.164 form ("+62812…")."""
    while True:
        digits = "".join(rng.choices(string.digits, k=rng.choice((7, 8, 8, 8))))
        number = f"+62{rng.choice(MOBILE_PREFIXES)}{digits}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def make_nik(
    region_code: str, birth_on: date, sex: Sex, *, district: int, serial: int
) -> str:
    """A NIK shaped like a real one: regency (4), district (2), DDMMYY, serial (4).

    Women's birth day is written plus 40, as on real identity cards.
    """
    day = birth_on.day + (40 if sex == Sex.FEMALE else 0)
    nik = (
        f"{region_code.replace('.', '')}{district:02d}"
        f"{day:02d}{birth_on:%m%y}{serial:04d}"
    )
    if len(nik) != 16 or not nik.isdigit():
        raise ValueError(f"not a regency/city code: {region_code!r}")
    return nik


class FakePeople:
    """Deterministic fake Indonesians: name, sex, birth date, NIK, phone."""

    def __init__(self, seed: int, *, female_share: float = 0.55) -> None:
        self.faker = Faker("id_ID")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.female_share = female_share
        self._niks: set[str] = set()

    def name(self, sex: Sex) -> str:
        """A first and family name matching the sex."""
        if sex == Sex.FEMALE:
            return f"{self.faker.first_name_female()} {self.faker.last_name_female()}"
        return f"{self.faker.first_name_male()} {self.faker.last_name_male()}"

    def nik(self, region_code: str, birth_on: date, sex: Sex) -> str:
        """A NIK unique among those this generator made."""
        district = self.rng.randint(1, 12)
        serial = self.rng.randint(1, 2999)
        nik = make_nik(region_code, birth_on, sex, district=district, serial=serial)
        while nik in self._niks:
            serial = serial % 9999 + 1
            nik = make_nik(region_code, birth_on, sex, district=district, serial=serial)
        self._niks.add(nik)
        return nik

    def person(self, region_code: str, *, sex: Sex | None = None) -> dict:
        """Column values of one person living in the regency/city ``region_code``."""
        rng = self.rng
        if sex is None:
            sex = Sex.FEMALE if rng.random() < self.female_share else Sex.MALE
        birth_on = BIRTH_FROM + timedelta(days=rng.randrange(BIRTH_SPAN_DAYS))
        return {
            "full_name": self.name(sex),
            "sex": sex,
            "birth_on": birth_on,
            "nik": self.nik(region_code, birth_on, sex),
            "phone": random_mobile(rng),
        }
