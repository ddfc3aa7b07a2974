"""A plan's Indonesian numbers in E.164 are checked without parsing: the same answer
as phonenumbers' parse, validity check and E.164 format, number by number."""

from __future__ import annotations

import random

import phonenumbers

from bench.people import random_mobile
from planner.services.plans.resolving import _E164_ID, e164


def _parsed(value: str) -> str | None:
    """The number as phonenumbers parses, checks and formats it (the long way)."""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_the_bench_numbers_get_the_parsed_answer():
    rng = random.Random(1)
    numbers = [random_mobile(rng) for _ in range(10_000)]
    numbers += [f"+62812{5550000 + n}" for n in range(1, 201)]  # the bench's drivers
    assert all(_E164_ID.fullmatch(n) for n in numbers)
    assert [e164(n) for n in numbers] == [_parsed(n) for n in numbers]
    assert all(e164(n) == n for n in numbers)


def test_any_indonesian_e164_text_gets_the_parsed_answer():
    """Every length the short way takes, valid and invalid numbers alike (fixed,
    mobile, toll-free, too short, too long for its kind)."""
    rng = random.Random(16)
    numbers = [
        "+62" + rng.choice("123456789") + "".join(rng.choices("0123456789", k=k))
        for k in range(4, 13)
        for _ in range(300)
    ]
    numbers += ["+6221500600", "+628001234567", "+62215551234", "+6281234567890"]
    assert all(_E164_ID.fullmatch(n) for n in numbers)
    answers = [e164(n) for n in numbers]
    assert answers == [_parsed(n) for n in numbers]
    assert None in answers and any(answers)


def test_other_spellings_still_take_the_long_way():
    assert e164("+620812345678") == _parsed("+620812345678")
    assert e164("+6581234567") == _parsed("+6581234567")
    assert e164("0812-3456-7890") == "+6281234567890"
    assert e164("+62 1") is None
