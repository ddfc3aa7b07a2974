"""Dates and times as Indonesians write them, with the zone always named."""

from datetime import UTC, date, datetime

from planner.formatting import (
    format_date_range,
    format_datetime,
    format_day,
    format_time,
    tz_abbr,
)


def test_day_in_indonesian():
    assert format_day(date(2024, 5, 7), "id") == "Selasa, 7 Mei 2024"


def test_day_in_english():
    assert format_day(date(2024, 5, 7), "en") == "Tuesday, 7 May 2024"


def test_time_names_the_zone_with_a_dot():
    moment = datetime(2024, 5, 7, 0, 0, tzinfo=UTC)
    assert format_time(moment, "Asia/Jakarta", "id") == "07.00 WIB"
    assert format_time(moment, "Asia/Makassar", "id") == "08.00 WITA"
    assert format_time(moment, "Asia/Jayapura", "id") == "09.00 WIT"
    assert format_time(moment, "Asia/Pontianak", "id") == "07.00 WIB"
    assert format_time(moment, "Asia/Jakarta", "en") == "07:00 WIB"


def test_datetime_crossing_midnight_uses_the_local_day():
    moment = datetime(2024, 5, 7, 16, 30, tzinfo=UTC)  # 00.30 WIT on the 8th
    assert (
        format_datetime(moment, "Asia/Jayapura", "id") == "Rabu, 8 Mei 2024 · 01.30 WIT"
    )


def test_date_ranges():
    assert (
        format_date_range(date(2024, 5, 7), date(2024, 5, 12), "id") == "7–12 Mei 2024"
    )
    assert (
        format_date_range(date(2024, 4, 30), date(2024, 5, 2), "id")
        == "30 April – 2 Mei 2024"
    )
    assert (
        format_date_range(date(2024, 12, 30), date(2025, 1, 2), "id")
        == "30 Desember 2024 – 2 Januari 2025"
    )
    assert format_date_range(date(2024, 5, 7), date(2024, 5, 7), "id") == "7 Mei 2024"


def test_zone_labels():
    assert tz_abbr("Asia/Jakarta") == "WIB"
    assert tz_abbr("Asia/Makassar") == "WITA"
    assert tz_abbr("Asia/Jayapura") == "WIT"
    assert tz_abbr("UTC") == "UTC"
