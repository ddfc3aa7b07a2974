"""Formula injection is neutralised in exported cells; phone numbers are left dialable."""

import pytest

from planner.exports.csv_safe import csv_bytes, neutralise


@pytest.mark.parametrize(
    "value", ["=1+1", "+cmd|' /C calc'!A0", "-2+3*A1", "@SUM(1)", "\tx", "\rx"]
)
def test_formulas_become_text(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["+62 812-3456-7890", "+6281234567890", "-5", "Budi"])
def test_phone_numbers_and_plain_text_stay(value):
    assert neutralise(value) == value


def test_csv_has_a_bom_and_neutralised_cells():
    data = csv_bytes(["Nama"], [['=HYPERLINK("http://x")'], ["+62 812-1"]])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "+62 812-1" in text
