"""Itinerary pictures: the timeline and the route sketch, drawn as SVG text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from flask import render_template
from sqlalchemy.orm import selectinload

from planner.exports.charts import QUOTA_COLOURS, WIDTH, quota_fill_svg
from planner.exports.svg import MODE_COLOURS, route_sketch, timeline_svg
from planner.extensions import db
from planner.models import Leg, LegMode, Place, Trip
from planner.services.demo import load_demo
from planner.services.overview import QuotaFill

NS = {"svg": "http://www.w3.org/2000/svg"}
START = datetime(2024, 5, 6, 22, 0, tzinfo=UTC)  # 05.00 WIB on 7 May


def _parse(svg: str) -> ET.Element:
    """The SVG parsed as XML (fails the test when it is not well-formed)."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("width") == "100%" and root.get("viewBox")
    return root


def _bars(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if "leg" in (r.get("class") or "").split()]  # fmt: skip


@pytest.fixture
def trip(make_trip, make_vehicle, make_leg, make_place, make_delegation):
    """A three-leg trip: two vans by road, both aboard a ferry, a delegation flying."""
    t = make_trip()
    van1 = make_vehicle(t.event, label="Travel 1")
    van2 = make_vehicle(t.event, label="Travel 2")
    a = make_place(name="Pangkalpinang", lat=-2.13, lon=106.11)
    b = make_place(name="Muntok <b>&</b>", lat=-2.04, lon=105.14)
    c = make_place(name="Tanjung Api-Api", lat=-2.06, lon=104.56)
    d = make_place(name="Jakarta", lat=-6.18, lon=106.87)
    dlg = make_delegation(t.event, name="IPSM Pusat", region=None)
    make_leg(
        t,
        from_place=a,
        to_place=b,
        departs_at=START,
        arrives_at=START + timedelta(hours=3),
        vehicles=[van1, van2],
    )
    make_leg(
        t,
        mode=LegMode.FERRY,
        from_place=b,
        to_place=c,
        position=1,
        departs_at=START + timedelta(hours=4),
        arrives_at=START + timedelta(hours=8),
        vehicles=[van1, van2],
        carrier="PT ASDP",
        booking_ref="X&Y<1>",
    )
    make_leg(
        t,
        mode=LegMode.AIR,
        from_place=c,
        to_place=d,
        position=2,
        departs_at=START + timedelta(hours=26),
        arrives_at=START + timedelta(hours=28),
        delegations=[dlg],
    )
    return t  # fmt: skip


def test_timeline_bars_per_vehicle_coloured_by_mode(trip):
    """One bar per leg and vehicle aboard, plus one for the flying delegation."""
    svg = timeline_svg(trip)
    root = _parse(svg)
    bars = _bars(root)
    assert len(bars) == 2 + 2 + 1
    by_mode = {}
    for bar in bars:
        mode = next(c for c in bar.get("class").split() if c.startswith("leg-"))
        by_mode.setdefault(mode[4:], set()).add(bar.get("fill"))
        assert bar.find("svg:title", NS) is not None
    assert by_mode == {
        "road": {MODE_COLOURS[LegMode.ROAD]},
        "ferry": {MODE_COLOURS[LegMode.FERRY]},
        "air": {MODE_COLOURS[LegMode.AIR]},
    }
    assert len(set(MODE_COLOURS.values())) == len(LegMode)
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"Travel 1", "Travel 2", "Tanpa kendaraan"} <= set(labels)
    assert "Selasa 7 Mei" in labels and "Rabu 8 Mei" in labels
    assert "06.00" in labels and "Jam (WIB)" in labels
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert any("Pangkalpinang → Muntok <b>&</b>" in t and "05.00 WIB" in t
               for t in titles)  # fmt: skip
    assert any("IPSM Pusat" in t for t in titles)
    assert "<script" not in svg and "href" not in svg


def test_labels_are_escaped(trip):
    """A place named with markup appears escaped and the SVG still parses."""
    for svg in (timeline_svg(trip), route_sketch(trip).svg):
        assert "Muntok &lt;b&gt;&amp;&lt;/b&gt;" in svg
        assert "<b>" not in svg
        _parse(svg)
    assert "X&amp;Y&lt;1&gt;" in timeline_svg(trip)


def test_control_characters_are_dropped(trip):
    """Characters XML forbids are removed instead of breaking the picture."""
    trip.legs[0].from_place.name = "Tugu\x01\x08 Nol"
    svg = timeline_svg(trip)
    _parse(svg)
    assert "Tugu Nol" in svg


def test_sketch_north_up_west_left_and_styles(trip):
    """West is left, north is up; the ferry is dashed, the flight dotted, road solid."""
    root = _parse(route_sketch(trip).svg)
    circles = {}
    for group in root.iterfind(".//svg:g[@class='place']", NS):
        name = group.find("svg:title", NS).text
        circle = group.find("svg:circle", NS)
        circles[name] = (float(circle.get("cx")), float(circle.get("cy")))
    assert len(circles) == 4
    pgk, jkt, api = (
        circles["Pangkalpinang"],
        circles["Jakarta"],
        circles["Tanjung Api-Api"],
    )
    assert api[0] < pgk[0] < jkt[0]  # west → left
    assert pgk[1] < jkt[1]  # Pangkalpinang is north of Jakarta: higher up
    lines = {}
    for group in root.iterfind(".//svg:g[@class]", NS):
        cls = group.get("class").split()
        if "leg" in cls:
            lines[cls[1]] = group.find("svg:line", NS)
            assert group.find("svg:polygon", NS) is not None  # the arrowhead
    assert lines["leg-road"].get("stroke-dasharray") is None
    assert lines["leg-ferry"].get("stroke-dasharray")
    assert lines["leg-ferry"].get("stroke") == MODE_COLOURS[LegMode.FERRY]
    dots = lines["leg-air"].get("stroke-dasharray").split()
    assert float(dots[0]) < float(dots[1])
    scale = root.find(".//svg:g[@class='scale']/svg:text", NS)
    assert scale.text.endswith(" km")


def test_sketch_scale_bar_matches_distances(trip):
    """The scale bar's length agrees with the drawn distance between two places."""
    from planner.geo import distance_km

    root = _parse(route_sketch(trip).svg)
    path = root.find(".//svg:g[@class='scale']/svg:path", NS).get("d")
    xs = [float(p[1:].split(",")[0]) for p in path.split() if p.startswith("H")]
    bar = xs[0] - 16
    km = float(root.find(".//svg:g[@class='scale']/svg:text", NS).text.split()[0])
    circles = {
        g.find("svg:title", NS).text: g.find("svg:circle", NS)
        for g in root.iterfind(".//svg:g[@class='place']", NS)
    }
    a, b = circles["Pangkalpinang"], circles["Jakarta"]
    drawn = ((float(a.get("cx")) - float(b.get("cx"))) ** 2
             + (float(a.get("cy")) - float(b.get("cy"))) ** 2) ** 0.5  # fmt: skip
    real = distance_km((-2.13, 106.11), (-6.18, 106.87))
    assert drawn / (bar / km) == pytest.approx(real, rel=0.05)


def test_places_without_coordinates_are_listed(app, trip, make_place, make_leg):
    """A place without coordinates is not drawn but listed under the sketch."""
    nowhere = make_place(name="Rumah Makan <Tanpa> Koordinat", lat=None, lon=None)
    last = trip.legs[-1]
    make_leg(trip, from_place=last.to_place, to_place=nowhere, position=3,
             departs_at=last.arrives_at + timedelta(hours=1),
             arrives_at=last.arrives_at + timedelta(hours=2))  # fmt: skip
    sketch = route_sketch(trip)
    assert [p.name for p in sketch.unplaced] == [nowhere.name]
    assert "Tanpa&gt; Koordinat" not in sketch.svg
    with app.test_request_context():
        html = render_template("transport/_sketch.html", trip=trip)
        timeline = render_template("transport/_timeline.html", trip=trip)
    assert "Rumah Makan &lt;Tanpa&gt; Koordinat" in html
    assert "Tempat tanpa koordinat" in html and "<svg" in html
    assert html.count("<svg") == 1 and "&lt;svg" not in html
    assert "<svg" in timeline and "&lt;svg" not in timeline


def test_empty_trip_draws_a_note(make_trip):
    """A trip without legs gives a small, valid picture saying so."""
    trip = make_trip()
    assert "Belum ada perjalanan" in timeline_svg(trip)
    sketch = route_sketch(trip)
    _parse(sketch.svg)
    assert sketch.unplaced == []


def test_same_place_only_once_and_single_point(make_trip, make_place, make_leg):
    """Two places at the same spot do not divide by zero."""
    trip = make_trip()
    here = make_place(lat=-2.13, lon=106.11)
    there = make_place(lat=-2.13, lon=106.11)
    make_leg(trip, from_place=here, to_place=there)
    root = _parse(route_sketch(trip).svg)
    assert len(root.findall(".//svg:g[@class='place']", NS)) == 2


def test_demo_trip_pictures_in_constant_queries(app_ctx, count_queries):
    """Both demo trips draw with their legs preloaded and no query while drawing."""
    load_demo()
    db.session.commit()
    trips = db.session.scalars(
        db.select(Trip)
        .join(Trip.event)
        .options(
            selectinload(Trip.legs)
            .selectinload(Leg.from_place)
            .joinedload(Place.region),
            selectinload(Trip.legs).selectinload(Leg.to_place).joinedload(Place.region),
            selectinload(Trip.legs).selectinload(Leg.vehicles),
            selectinload(Trip.legs).selectinload(Leg.delegations),
            selectinload(Trip.event),
        )
        .order_by(Trip.position)
    ).all()
    assert [t.name for t in trips] == ["Berangkat", "Pulang"]
    with count_queries() as queries:
        for trip in trips:
            timeline = _parse(timeline_svg(trip))
            sketch = _parse(route_sketch(trip).svg)
            assert len(_bars(timeline)) == 6 * 2
            assert len(sketch.findall(".//svg:g[@class='place']", NS)) == 7
    assert len(queries) == 0


def test_pictures_speak_english(trip):
    """In English: the hours heading, the day names, the north letter, the trip name."""
    from flask_babel import force_locale

    trip.name = "Berangkat"  # the one-click trip: "Outbound" in English
    with force_locale("en"):
        timeline = _parse(timeline_svg(trip))
        sketch = _parse(route_sketch(trip).svg)
    texts = [t.text for t in timeline.iter("{http://www.w3.org/2000/svg}text")]
    assert "Time (WIB)" in texts and "Tuesday 7 May" in texts
    assert "Jam (WIB)" not in texts
    assert "Outbound" in timeline.find("svg:title", NS).text
    north = sketch.find(".//svg:g[@class='north']", NS)
    assert north.find("svg:text", NS).text == "N"
    assert north.find("svg:title", NS).text == "North"
    assert "Outbound" in sketch.find("svg:title", NS).text

    with force_locale("id"):
        sketch = _parse(route_sketch(trip).svg)
    assert sketch.find(".//svg:g[@class='north']/svg:text", NS).text == "U"
    assert "Berangkat" in sketch.find("svg:title", NS).text


# Quota fill per delegation -------------------------------------------------------------


def _contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _fill(name="Kabupaten Bangka", quota=10, nominated=0, confirmed=0, attended=0, i=1):
    return QuotaFill(i, name, quota, nominated, confirmed, attended)


def _width(rect: ET.Element) -> float:
    return float(rect.get("width"))


def test_quota_fill_draws_one_labelled_bar_per_delegation(app_ctx):
    rows = [
        _fill(quota=10, confirmed=4, attended=2, nominated=3),
        _fill("Kota <Pangkal> & Pinang", quota=4, confirmed=4, i=2),
        _fill("IPSM Pusat", quota=0, i=3),
    ]
    svg = quota_fill_svg(rows)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label").startswith("Pengisian kuota 3 delegasi")
    assert "10 dari 14 terkonfirmasi" in root.get("aria-label")
    assert root.find("svg:title", NS).text == "Pengisian kuota per delegasi"
    desc = root.find("svg:desc", NS).text
    assert "Kabupaten Bangka: 6 dari kuota 10 terkonfirmasi (2 hadir)" in desc
    assert "Kota <Pangkal> & Pinang: 4 dari kuota 4" in desc  # escaped, read back
    groups = root.findall(".//svg:g[@class='quota-row']", NS)
    assert len(groups) == 3
    texts = ["".join(g.itertext()) for g in groups]
    assert "6/10" in texts[0] and "2 hadir · 3 diusulkan · sisa 4" in texts[0]
    assert "4/4" in texts[1] and "sisa 0" in texts[1]

    # The bar's parts are in proportion to the quota (the track spans all of it).
    first = groups[0]
    track = first.find(".//svg:rect[@class='track']", NS)
    parts = {
        r.get("class").split()[1]: r for r in first.iterfind(".//svg:rect", NS)
        if r.get("class", "").startswith("seg ")
    }  # fmt: skip
    assert set(parts) == {"seg-attended", "seg-confirmed", "seg-nominated"}
    unit = (_width(track) + 1) / 10
    assert _width(parts["seg-attended"]) == pytest.approx(2 * unit, abs=2)
    assert _width(parts["seg-confirmed"]) == pytest.approx(4 * unit, abs=2)
    assert _width(parts["seg-nominated"]) == pytest.approx(3 * unit, abs=3)


def test_quota_fill_marks_nominees_beyond_the_quota(app_ctx):
    root = _parse(quota_fill_svg([_fill(quota=4, confirmed=3, nominated=3)]))
    mark = root.find(".//svg:line[@class='quota-mark']", NS)
    assert mark is not None
    # The quota ends at 4 of the 6 people drawn.
    track = root.find(".//svg:rect[@class='track']", NS)
    assert float(mark.get("x1")) == pytest.approx((_width(track) + 1), abs=1)
    assert float(mark.get("x1")) == pytest.approx(WIDTH * 4 / 6, abs=1)
    within = _parse(quota_fill_svg([_fill(quota=4, confirmed=3, nominated=1)]))
    assert within.find(".//svg:line[@class='quota-mark']", NS) is None


def test_quota_fill_without_delegations_says_so(app_ctx):
    root = _parse(quota_fill_svg([]))
    assert root.get("role") == "img"
    assert "Belum ada delegasi." in "".join(root.itertext())


def test_quota_fill_colours_are_readable(app_ctx):
    """Graphic objects at least 3:1 against white (WCAG 1.4.11), text 4.5:1."""
    for key in ("attended", "confirmed", "nominated_edge", "track_edge", "over"):
        assert _contrast(QUOTA_COLOURS[key]) >= 3, key
    for key in ("text", "muted"):
        assert _contrast(QUOTA_COLOURS[key]) >= 4.5, key
    svg = quota_fill_svg([_fill(quota=9, confirmed=2, attended=1, nominated=1)])
    for colour in re.findall(r'fill="(#[0-9a-f]{6})"', svg):
        # Every fill is either one of the checked colours or a pale background.
        assert colour in QUOTA_COLOURS.values()
    # Names long enough to reach the numbers are cut, and stay whole in the tooltip.
    long = "Kabupaten Penajam Paser Utara Bagian Selatan dan Timur"
    root = _parse(quota_fill_svg([_fill(long, quota=225, confirmed=200)]))
    name = root.find(".//svg:text[@class='name']", NS).text
    assert name.endswith("…") and len(name) < len(long)
    assert long in root.find(".//svg:g[@class='quota-row']/svg:title", NS).text


def test_quota_fill_in_english(app):
    from flask import session

    with app.test_request_context():
        session["lang"] = "en"
        svg = quota_fill_svg([_fill(quota=4, confirmed=1, nominated=1)])
    root = _parse(svg)
    assert "Quota fill" in root.find("svg:title", NS).text
    assert "nominated" in root.get("aria-label")
