"""The direct VEVENT writer against icalendar: for many varied feeds (generated with
hypothesis: Indonesian text, emoji, long titles and notes folded at multi-byte
boundaries, commas, semicolons, backslashes, newlines, missing optional fields, the
three zones, all-day stays, cancellations, with and without GEO) the feed written
with ``ical_writer.vevent`` is byte for byte the feed written with icalendar's
``Event.to_ical()`` for the same properties, the way every VEVENT was built before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.exports import ical
from planner.exports.ical import build_calendar
from planner.exports.ical_writer import vevent
from planner.models import AgendaAudience, AgendaKind, LegMode, SpeakerRole
from planner.services.feed_data import (
    EventData,
    FeedData,
    ItemData,
    LegData,
    PlaceData,
    SpeakerData,
    StayData,
    VehicleData,
)

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
#: Nothing here touches the database (the app is only for the feed's language): once,
#: on SQLite.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def reference(properties) -> bytes:
    """The VEVENT as icalendar writes it: the builder's former ``_component(data)
    .to_ical()``, ``add()`` called with the same values in the same order."""
    component = icalendar.Event()
    for name, value in properties:
        component.add(name, value)
    return component.to_ical()


def reference_calendar(feed: FeedData, **options) -> bytes:
    """The feed with every VEVENT written by icalendar."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ical, "vevent", reference)
        return build_calendar(feed, **options)


# Generated feeds ------------------------------------------------------------------------

#: Pieces that make escaping and folding interesting: multi-byte characters of every
#: width (2, 3 and 4 octets), the escaped characters, RFC 6868's caret, line breaks of
#: every kind, and Indonesian words of the domain.
PIECES = (
    "é",
    "ü",
    "ñ",
    "—",
    "–",
    "·",
    "→",
    "“Peran PSM”",
    "✓",
    "😀",
    "🇮🇩",
    "\\",
    "\\\\",
    "\\N",
    "\\n",
    ",",
    ";",
    ":",
    "^",
    '"',
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    "Pekerja Sosial Masyarakat",
    "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
    "Sambutan Kepala Dinas Sosial",
    "Rakor IPSM",
    "x" * 70,
)
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=24
).map("".join)
long_texts = st.lists(st.sampled_from(PIECES), min_size=20, max_size=60).map("".join)
some_text = st.one_of(texts, long_texts)
#: The calendar's NAME (event title, subscriber) is not TEXT for icalendar: written
#: unescaped, it cannot hold a line break (icalendar writes the header either way).
one_line = some_text.map(lambda s: s.replace("\r", " ").replace("\n", " "))
maybe_text = st.one_of(st.none(), st.just(""), some_text)
zones = st.sampled_from(ZONES)
moments = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2035, 12, 31),
    timezones=st.just(UTC),
)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
latitudes = st.one_of(
    st.floats(min_value=-11.0, max_value=6.0),
    st.sampled_from([0.0, -6.2349, 1e-05, -5.0616, 106.8308]),
)
longitudes = st.one_of(
    st.floats(min_value=95.0, max_value=141.0), st.sampled_from([119.554, 140.7])
)
coordinates = st.one_of(
    st.tuples(latitudes, longitudes),
    st.tuples(st.none(), st.none()),
    st.tuples(latitudes, st.none()),
)


@st.composite
def places(draw) -> PlaceData:
    lat, lon = draw(coordinates)
    return PlaceData(
        name=draw(some_text),
        address=draw(maybe_text),
        region_name=draw(maybe_text),
        lat=lat,
        lon=lon,
        timezone=draw(zones),
    )


speakers = st.builds(
    SpeakerData,
    role=st.sampled_from([*SpeakerRole, "lainnya"]),
    name=some_text,
    title=maybe_text,
    institution=maybe_text,
)
vehicles = st.builds(
    VehicleData,
    id=st.integers(1, 10**6),
    label=some_text,
    plate=maybe_text,
    driver_name=maybe_text,
    driver_phone=maybe_text,
)


@st.composite
def items(draw) -> ItemData:
    return ItemData(
        id=draw(st.integers(1, 10**9)),
        sequence=draw(st.integers(0, 1000)),
        created_at=draw(moments),
        updated_at=draw(moments),
        starts_at=draw(moments),
        ends_at=draw(moments),
        title=draw(some_text),
        kind=draw(st.sampled_from([*AgendaKind, "lainnya"])),
        audience=draw(st.sampled_from(list(AgendaAudience))),
        is_cancelled=draw(st.booleans()),
        room=draw(maybe_text),
        notes=draw(maybe_text),
        place=draw(st.one_of(st.none(), places())),
        speakers=tuple(draw(st.lists(speakers, max_size=3))),
        delegations=tuple(draw(st.lists(some_text, max_size=3))),
    )


@st.composite
def legs(draw) -> LegData:
    return LegData(
        id=draw(st.integers(1, 10**9)),
        sequence=draw(st.integers(0, 1000)),
        created_at=draw(moments),
        updated_at=draw(moments),
        mode=draw(st.sampled_from(list(LegMode))),
        departs_at=draw(moments),
        arrives_at=draw(moments),
        carrier=draw(maybe_text),
        vessel=draw(maybe_text),
        booking_ref=draw(maybe_text),
        notes=draw(maybe_text),
        from_place=draw(places()),
        to_place=draw(places()),
        vehicles=tuple(draw(st.lists(vehicles, max_size=3))),
        delegations=tuple(draw(st.lists(some_text, max_size=3))),
        seat=draw(
            st.one_of(
                st.none(), st.tuples(vehicles, st.one_of(st.none(), st.integers(1, 60)))
            )
        ),
        riders=tuple(
            draw(st.lists(st.tuples(vehicles, st.integers(1, 40)), max_size=2))
        ),
    )


@st.composite
def stays(draw) -> StayData:
    check_in = draw(days)
    return StayData(
        id=draw(st.integers(1, 10**9)),
        sequence=draw(st.integers(0, 1000)),
        updated_at=draw(moments),
        check_in_on=check_in,
        check_out_on=check_in + timedelta(days=draw(st.integers(1, 14))),
        place=draw(places()),
        room=draw(st.one_of(st.just(""), some_text)),
        roommates=tuple(draw(st.lists(some_text, max_size=3))),
    )


@st.composite
def feeds(draw) -> FeedData:
    cancelled = draw(st.booleans())
    event = EventData(
        id=draw(st.integers(1, 10**6)),
        title=draw(one_line),
        organiser_body=draw(some_text),
        timezone=draw(zones),
        is_cancelled=cancelled,
        cancelled_reason=draw(maybe_text) if cancelled else None,
        updated_at=draw(moments),
        venue=draw(st.one_of(st.none(), places())),
    )
    return FeedData(
        kind=draw(st.sampled_from(["event", "delegate", "delegation"])),
        event=event,
        owner_name=draw(one_line),
        items=tuple(draw(st.lists(items(), max_size=4))),
        legs=tuple(draw(st.lists(legs(), max_size=3))),
        stays=tuple(draw(st.lists(stays(), max_size=2))),
    )


@SQLITE_ONLY
def test_generated_feeds_are_written_exactly_as_icalendar_writes_them(app):
    @settings(
        max_examples=200,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(feed=feeds(), domain=st.sampled_from(["rombongan.id", "jadwal.psm.id"]))
    def check(feed: FeedData, domain: str) -> None:
        written = build_calendar(feed, uid_domain=domain)
        assert written == reference_calendar(feed, uid_domain=domain)
        assert written.count(b"BEGIN:VEVENT") == (
            len(feed.items) + len(feed.legs) + len(feed.stays)
        )

    with app.app_context():
        check()


# Folding at every offset ----------------------------------------------------------------


def _event(zone: str = "Asia/Jakarta", **fields) -> EventData:
    values = {
        "id": 1,
        "title": "Rakor IPSM Nasional",
        "organiser_body": "IPSM Pengurus Nasional",
        "timezone": zone,
        "is_cancelled": False,
        "cancelled_reason": None,
        "updated_at": datetime(2027, 2, 5, 6, 7, 8, 123456, tzinfo=UTC),
        "venue": PlaceData(
            "Hotel Balai Kartini", "Jl. Gatot Subroto", None, -6.23, 106.83, zone
        ),
    }
    values.update(fields)
    return EventData(**values)


def _item(n: int, title: str, notes: str | None) -> ItemData:
    starts = datetime(2027, 5, 7, 1, 0, tzinfo=UTC) + timedelta(minutes=n)
    return ItemData(
        id=n + 1,
        sequence=n % 3,
        created_at=datetime(2027, 1, 4, 2, 3, 4, tzinfo=UTC),
        updated_at=datetime(2027, 2, 5, 6, 7, 8, 123456, tzinfo=UTC),
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        title=title,
        kind=AgendaKind.SPEECH,
        audience=AgendaAudience.EVERYONE,
        is_cancelled=n % 5 == 0,
        room=None,
        notes=notes,
        place=None,
        speakers=(),
        delegations=(),
    )


@SQLITE_ONLY
@pytest.mark.parametrize(
    "tail",
    [
        "😀é—\\,;\n" * 12,  # 4-, 2- and 3-octet characters and escapes at every fold
        "\\" * 200,  # backslashes on both sides of every fold
        "^" * 80 + "x^" * 40,  # the caret is kept with what follows, too
        "Sambutan Kepala Dinas Sosial — “Peran PSM” ✓ 😀 " * 5,
    ],
)
def test_lines_fold_like_icalendar_at_every_offset(app, tail):
    """Shift the text one character at a time so that every kind of character and
    escape lands on each octet around the folds."""
    entries = tuple(
        _item(n, "x" * n + tail, ("é" * n + tail) if n % 2 else None) for n in range(90)
    )
    feed = FeedData("event", _event(), None, entries, ())
    with app.app_context():
        written = build_calendar(feed)
        assert written == reference_calendar(feed)
    assert all(len(line) <= 75 for line in written.split(b"\r\n"))
    parsed = icalendar.Calendar.from_ical(written)
    titles = sorted(str(e["SUMMARY"]) for e in parsed.walk("VEVENT"))
    assert titles == sorted(
        f"DIBATALKAN: {e.title}" if e.is_cancelled else e.title for e in entries
    )
    read = vobject.readOne(written.decode())
    assert len(read.contents["vevent"]) == len(entries)


@SQLITE_ONLY
@pytest.mark.parametrize("zone", ZONES)
def test_cancelled_event_with_stays_in_each_zone(app, zone):
    """Every kind of entry of a cancelled event in one zone: items, a leg into
    another zone, an all-day stay without coordinates and one without a room."""
    event = _event(zone, is_cancelled=True, cancelled_reason="Banjir; jalan, putus\\")
    hotel = PlaceData(
        "Hotel Aryaduta, Menteng", None, "Kota Jakarta Pusat", None, None, zone
    )
    port = PlaceData("Pelabuhan", "Jl. Nusantara", None, -5.13, 119.41, "Asia/Makassar")
    leg = LegData(
        id=7,
        sequence=2,
        created_at=datetime(2027, 1, 4, tzinfo=UTC),
        updated_at=datetime(2027, 3, 1, tzinfo=UTC),
        mode=LegMode.FERRY,
        departs_at=datetime(2027, 5, 6, 1, tzinfo=UTC),
        arrives_at=datetime(2027, 5, 6, 9, tzinfo=UTC),
        carrier="PT Pelni",
        vessel=None,
        booking_ref="KODE;1",
        notes="Kumpul 30 menit sebelum berangkat.\r\nBawa KTP.",
        from_place=port,
        to_place=hotel,
        vehicles=(VehicleData(1, "Travel 1", "DD 1001 KB", "Pak Budi", None),),
        delegations=("Kota Makassar",),
        seat=(VehicleData(1, "Travel 1", "DD 1001 KB", "Pak Budi", None), None),
    )
    stay = StayData(
        3, 0, event.updated_at, date(2027, 5, 6), date(2027, 5, 8), hotel, "", ()
    )
    roomed = StayData(
        4,
        1,
        event.updated_at,
        date(2027, 5, 8),
        date(2027, 5, 9),
        port,
        "12",
        ("Andi",),
    )
    feed = FeedData(
        "delegate",
        event,
        "Andi",
        (_item(1, "Pembukaan", None),),
        (leg,),
        (stay, roomed),
    )
    with app.app_context():
        written = build_calendar(feed)
        assert written == reference_calendar(feed)
    entries = icalendar.Calendar.from_ical(written).walk("VEVENT")
    assert {str(e["STATUS"]) for e in entries} == {"CANCELLED"}
    assert b"DTSTART;VALUE=DATE:20270506" in written
    assert f"DTSTART;TZID={zone}:".encode() in written


# The writer alone -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime(2027, 5, 6, 1, 2, 3, tzinfo=UTC),
        datetime(2027, 5, 6, 1, 2, 3, tzinfo=ZoneInfo("UTC")),
        datetime(2027, 5, 6, 1, 2, 3, tzinfo=ZoneInfo("Etc/UTC")),
        datetime(2027, 5, 6, 1, 2, 3, tzinfo=ZoneInfo("Asia/Jayapura")),
        datetime(2027, 5, 6, 1, 2, 3, tzinfo=timezone(timedelta(hours=7))),
        datetime(2027, 5, 6, 1, 2, 3, 999999),  # floating
        date(2027, 5, 6),
    ],
    ids=str,
)
def test_times_in_every_form(value):
    """TZID, UTC and floating times, and dates, as start and as the stamps icalendar
    turns into UTC."""
    for name in ("dtstart", "dtend", "dtstamp", "created", "last-modified"):
        properties = [("uid", "x@rombongan.id"), (name, value)]
        assert vevent(properties) == reference(properties), name


def test_order_names_and_repeated_categories():
    """Canonical names first, the rest by name, whatever the order or case given."""
    properties = [
        ("status", "CONFIRMED"),
        ("Comment", "a,b"),
        ("categories", ["a,b", "c;d", ""]),
        ("categories", []),
        ("geo", (-6, 106)),
        ("SEQUENCE", 0),
        ("summary", ""),
        ("transp", "TRANSPARENT"),
    ]
    assert vevent(properties) == reference(properties)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("summary", True),
        ("summary", 1.5),
        ("summary", ["a"]),
        ("summary", b"bytes"),
        ("location", (1, 2)),
        ("sequence", True),
        ("sequence", "1"),
        ("dtstart", timedelta(hours=1)),
        ("geo", "-6.2;106.8"),
        ("description", date(2027, 5, 6)),
        ("x-rombongan", "a,b"),  # unknown to icalendar: written unescaped
    ],
    ids=repr,
)
def test_values_it_was_not_written_for_are_refused(name, value):
    with pytest.raises(TypeError):
        vevent([(name, value)])
