"""Pictures of an itinerary drawn by the server as SVG: a timeline and a route sketch.

Pure builders: they take a trip and its legs (places, regions, vehicles and
delegations loaded by the caller) and return SVG text. The pictures are element trees
(:mod:`xml.etree.ElementTree`) serialised at the end, so every label and attribute is
escaped by the XML library; sizes come from a ``viewBox`` so the pictures fill their
container, and nothing external is referenced: no fonts, no tiles, no scripts.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup

from planner.exports.svgtree import group, num, short, sub, svg_root, to_svg
from planner.formatting.plain import current_locale as _locale
from planner.formatting.plain import format_time, to_zone, tz_abbr
from planner.geo import distance_km
from planner.labels import LEG_MODE, trip_name
from planner.models import Leg, LegMode, Place, Trip

#: Bar and line colour of each mode (Bootstrap's palette, readable on white).
MODE_COLOURS = {
    LegMode.ROAD: "#6c757d",
    LegMode.FERRY: "#0d6efd",
    LegMode.AIR: "#6f42c1",
    LegMode.RAIL: "#fd7e14",
    LegMode.WALK: "#198754",
}
#: Route sketch line styles: land solid, sea dashed, air dotted.
MODE_DASH = {
    LegMode.ROAD: None,
    LegMode.RAIL: None,
    LegMode.WALK: None,
    LegMode.FERRY: "9 6",
    LegMode.AIR: "1 6",
}


def _picture(label: str, css_class: str) -> ET.Element:
    return svg_root(label, css_class, preserveAspectRatio="xMinYMin meet")


def _empty(label: str, css_class: str, width: float, note: str) -> str:
    """A small picture saying there is nothing to draw."""
    root = _picture(label, css_class)
    sub(root, "text", note, x=width / 2, y=34, text_anchor="middle", fill="#6c757d")
    return to_svg(root, width, 60)


def _place_zone(place: Place, fallback: str) -> str:
    return place.timezone or fallback


def _leg_times(leg: Leg, fallback: str, locale: str) -> str:
    """'Selasa 7 Mei 05.00 WIB – 08.00 WIB', each end in its own place's zone."""
    from_zone = _place_zone(leg.from_place, fallback)
    to_zone_name = _place_zone(leg.to_place, fallback)
    start = to_zone(leg.departs_at, from_zone)
    end = to_zone(leg.arrives_at, to_zone_name)
    text = (
        f"{_day_label(start, locale)} "
        f"{format_time(leg.departs_at, from_zone, locale)} – "
    )
    if end.date() != start.date():
        text += f"{_day_label(end, locale)} "
    return text + format_time(leg.arrives_at, to_zone_name, locale)


def _day_label(value: datetime, locale: str) -> str:
    return babel_format_date(value.date(), "EEEE d MMMM", locale=locale)


def _leg_tooltip(leg: Leg, fallback: str, locale: str, extra: str = "") -> str:
    lines = [
        f"{leg.from_place.name} → {leg.to_place.name}",
        f"{LEG_MODE[leg.mode]} · {_leg_times(leg, fallback, locale)}",
    ]
    carrier = " · ".join(x for x in (leg.carrier, leg.vessel, leg.booking_ref) if x)
    if carrier:
        lines.append(carrier)
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _bare_name(name: str) -> str:
    """A place's name without the words every port and airport shares."""
    for prefix in ("Pelabuhan ", "Bandar Udara ", "Bandara "):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def _legend(
    modes: Sequence[LegMode], x: float, y: float, width: float
) -> tuple[ET.Element, float]:
    """Swatches of the modes, wrapping onto more lines when narrow; and its bottom."""
    legend = group(class_="legend")
    cx, cy = x, y
    for mode in modes:
        label = str(LEG_MODE[mode])
        item = 22 + 7 * len(label) + 18
        if cx + item > x + width and cx > x:
            cx, cy = x, cy + 20
        sub(legend, "rect", class_=f"swatch swatch-{mode.value}", x=float(cx),
            y=float(cy - 10), width=16, height=12, rx=2, fill=MODE_COLOURS[mode])  # fmt: skip
        sub(legend, "text", label, x=float(cx + 22), y=float(cy))
        cx += item
    return legend, cy + 6


# The timeline -----------------------------------------------------------------------


@dataclass
class _Row:
    label: str
    title: str
    bars: list[tuple[Leg, str]] = field(default_factory=list)


def _timeline_rows(legs: Sequence[Leg]) -> list[_Row]:
    """One row per vehicle (by label), then one for travellers without a vehicle."""
    vehicles = {}
    for leg in legs:
        for vehicle in leg.vehicles:
            vehicles.setdefault(vehicle.id, vehicle)
    ordered = sorted(vehicles.values(), key=lambda v: (v.label, v.id))
    rows = {
        v.id: _Row(
            short(v.label, 18),
            " · ".join(x for x in (v.label, v.plate, v.driver_name) if x),
        )
        for v in ordered
    }
    loose = _Row(_("Tanpa kendaraan"), _("Rombongan tanpa kendaraan kegiatan"))
    for leg in legs:
        for vehicle in leg.vehicles:
            rows[vehicle.id].bars.append((leg, ""))
        if leg.delegations or not leg.vehicles:
            names = ", ".join(d.name for d in leg.delegations)
            loose.bars.append((leg, names))
    result = list(rows.values())
    if loose.bars:
        result.append(loose)
    return result


def _hour_step(hours: float, plot_width: float) -> int:
    """Hours between ticks so that ticks stay about 45 units apart or more."""
    for step in (1, 2, 3, 6, 12, 24):
        if plot_width / max(hours / step, 1) >= 45:
            return step
    return 24


def timeline_svg(trip: Trip, legs: Sequence[Leg] | None = None, *, locale=None) -> str:
    """The trip's legs as bars across days, one row per vehicle, coloured by mode.

    Hours and days are those of the zone the trip first departs from.
    """
    locale = locale or _locale()
    legs = list(trip.legs if legs is None else legs)
    title = _("Linimasa perjalanan %(name)s", name=trip_name(trip.name))
    width, left, right, top = 960.0, 130.0, 16.0, 58.0
    row_height, bar_height = 34.0, 20.0
    plot = width - left - right
    if not legs:
        return _empty(title, "itinerary-timeline", width, _("Belum ada perjalanan."))

    legs.sort(key=lambda leg: (leg.departs_at, leg.position))
    fallback = trip.event.timezone
    zone = _place_zone(legs[0].from_place, fallback)
    start = to_zone(min(leg.departs_at for leg in legs), zone)
    end = to_zone(max(leg.arrives_at for leg in legs), zone)
    start = start.replace(minute=0, second=0, microsecond=0)
    if end.minute or end.second or end.microsecond:
        end = end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if end <= start:
        end = start + timedelta(hours=1)
    span = (end - start).total_seconds()

    def x_of(moment: datetime) -> float:
        return left + plot * (moment - start).total_seconds() / span

    rows = _timeline_rows(legs)
    plot_bottom = top + row_height * len(rows)
    legend, legend_bottom = _legend(list(LegMode), left, plot_bottom + 44, plot)
    root = _picture(title, "itinerary-timeline")
    hours = _("Jam (%(zone)s)", zone=tz_abbr(zone))
    sub(root, "text", hours, x=left, y=16, font_weight=600)

    # Day bands: a boundary at each local midnight, the day's name over it.
    days = sub(root, "g", class_="days")
    day_start = start
    while day_start < end:
        next_midnight = (day_start + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        x0 = x_of(day_start)
        x1 = x_of(min(next_midnight, end))
        sub(days, "line", class_="day-boundary", x1=x0, y1=22, x2=x0, y2=plot_bottom,
            stroke="#212529", stroke_width=1)  # fmt: skip
        if x1 - x0 >= 60:
            sub(days, "text", _day_label(day_start, locale), class_="day-label",
                x=x0 + 4, y=34, font_weight=600)  # fmt: skip
        day_start = next_midnight

    # Hour ticks and a light grid.
    step = _hour_step(span / 3600, plot)
    separator = ":" if locale.startswith("en") else "."
    ticks = sub(root, "g", class_="hours", fill="#6c757d", font_size=11)
    tick = start
    while tick <= end:
        if tick.hour % step == 0:
            x = x_of(tick)
            sub(ticks, "line", x1=x, y1=top - 8, x2=x, y2=plot_bottom,
                stroke="#dee2e6", stroke_width=1)  # fmt: skip
            sub(ticks, "text", f"{tick:%H}{separator}00", class_="hour", x=x + 2,
                y=top - 10)  # fmt: skip
        tick += timedelta(hours=1)

    # One row per vehicle.
    for i, row in enumerate(rows):
        y = top + i * row_height
        band = sub(root, "g", class_="row")
        sub(band, "title", row.title)
        if i % 2 == 0:
            sub(band, "rect", x=0, y=y, width=width, height=row_height, fill="#f8f9fa",
                fill_opacity="0.6")  # fmt: skip
        sub(band, "text", row.label, class_="row-label", x=8, y=y + row_height / 2 + 4)
        for leg, extra in row.bars:
            x0 = x_of(leg.departs_at)
            bar_width = max(x_of(leg.arrives_at) - x0, 2.0)
            bar = sub(root, "rect", class_=f"leg leg-{leg.mode.value}", x=x0,
                      y=y + (row_height - bar_height) / 2, width=bar_width,
                      height=bar_height, rx=3, fill=MODE_COLOURS[leg.mode])  # fmt: skip
            sub(bar, "title", _leg_tooltip(leg, fallback, locale, extra))
            fits = int((bar_width - 8) / 6.2)
            if fits >= 6:
                label = short("→ " + _bare_name(leg.to_place.name), fits)
                sub(root, "text", label, class_="bar-label", x=x0 + 4,
                    y=y + row_height / 2 + 4, fill="#fff", font_size=11,
                    pointer_events="none")  # fmt: skip
    sub(root, "line", x1=left, y1=plot_bottom, x2=width - right, y2=plot_bottom,
        stroke="#adb5bd")  # fmt: skip
    root.append(legend)
    return to_svg(root, width, legend_bottom + 8)


# The route sketch -------------------------------------------------------------------


@dataclass
class RouteSketch:
    """The sketch's SVG text and the places it could not draw (no coordinates)."""

    svg: str
    unplaced: list[Place]

    def __html__(self) -> str:
        return self.svg


def _trip_places(legs: Sequence[Leg]) -> list[Place]:
    """The places of the legs in travel order, each once."""
    seen: dict[int, Place] = {}
    for leg in legs:
        for place in (leg.from_place, leg.to_place):
            seen.setdefault(place.id, place)
    return list(seen.values())


def _nice_km(target: float) -> float:
    """The round distance (1, 2, 5 × 10ⁿ km) nearest below ``target``."""
    if target <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(target))
    for factor in (5, 2, 1):
        if factor * power <= target:
            return factor * power
    return power


def route_sketch(
    trip: Trip, legs: Sequence[Leg] | None = None, *, width: float = 720.0
) -> RouteSketch:
    """Places plotted by their coordinates (north up), legs as lines styled by mode."""
    legs = sorted(
        trip.legs if legs is None else legs, key=lambda g: (g.departs_at, g.position)
    )
    title = _("Sketsa rute %(name)s", name=trip_name(trip.name))
    places = _trip_places(legs)
    located = [p for p in places if p.has_coordinates]
    unplaced = [p for p in places if not p.has_coordinates]
    if not located:
        note = _("Belum ada tempat berkoordinat.")
        return RouteSketch(_empty(title, "route-sketch", width, note), unplaced)

    # Equirectangular projection, longitudes shrunk by the cosine of the mean latitude.
    lat0 = sum(p.lat for p in located) / len(located)
    k = math.cos(math.radians(lat0))
    raw = {p.id: (p.lon * k, -p.lat) for p in located}
    xs = [v[0] for v in raw.values()]
    ys = [v[1] for v in raw.values()]
    margin_x, margin_top, margin_bottom = 200.0, 40.0, 60.0
    inner_w = width - 2 * margin_x
    dx, dy = max(xs) - min(xs), max(ys) - min(ys)
    extent = max(dx, dy, 1e-6)
    # Height follows the route's shape, within reason (very tall routes shrink).
    inner_h = min(max(inner_w * dy / extent if dx >= dy else 520.0, 160.0), 520.0)
    scale = min(inner_w / max(dx, 1e-6), inner_h / max(dy, 1e-6))
    if dx < 1e-6 and dy < 1e-6:
        scale = 1.0
    height = margin_top + inner_h + margin_bottom
    modes = sorted({leg.mode for leg in legs}, key=list(LegMode).index)
    legend, legend_bottom = _legend(modes, 16, height + 12, width - 32)
    offset_x = margin_x + (inner_w - dx * scale) / 2
    offset_y = margin_top + (inner_h - dy * scale) / 2

    def xy(place: Place) -> tuple[float, float]:
        rx, ry = raw[place.id]
        return offset_x + (rx - min(xs)) * scale, offset_y + (ry - min(ys)) * scale

    total_height = legend_bottom + 8
    root = _picture(title, "route-sketch")
    sub(root, "rect", width=float(width), height=float(total_height), fill="#fdfdfd")
    _draw_legs(sub(root, "g", class_="legs", stroke_linecap="round"), legs, xy, trip)
    _draw_places(sub(root, "g", class_="places"), located, xy, width, height)

    # North arrow, top right.
    nx = width - 28
    north = sub(root, "g", class_="north")
    sub(north, "title", _("Utara"))
    sub(north, "polygon", fill="#212529",
        points=(f"{num(nx)},12 {num(nx - 7)},32 {num(nx)},27 {num(nx + 7)},32"))  # fmt: skip
    # Translators: the letter under the north arrow of a map (U for Utara).
    sub(north, "text", _("U"), x=nx, y=46, text_anchor="middle", font_weight=600)

    # Scale bar, bottom left: km per unit measured east–west at the mean latitude.
    lon_a = min(p.lon for p in located)
    km_per_degree = distance_km((lat0, lon_a), (lat0, lon_a + 1.0)) or 111.32
    units_per_km = scale * k / km_per_degree
    if dx < 1e-6 and dy < 1e-6:
        units_per_km = 0.0
    if units_per_km > 0:
        km = _nice_km((width * 0.25) / units_per_km)
        bar = km * units_per_km
        sy = height - 22
        km_text = num(km) if km >= 1 else f"{km:g}"
        scale_bar = sub(root, "g", class_="scale")
        sub(scale_bar, "path", fill="none", stroke="#212529", stroke_width=2,
            d=f"M16,{num(sy - 5)} V{num(sy)} H{num(16 + bar)} V{num(sy - 5)}")  # fmt: skip
        sub(scale_bar, "text", _("%(km)s km", km=km_text), class_="scale-label",
            x=16 + bar / 2, y=sy + 15, text_anchor="middle")  # fmt: skip
    root.append(legend)
    return RouteSketch(to_svg(root, width, total_height), unplaced)


def _draw_legs(parent: ET.Element, legs: Sequence[Leg], xy, trip: Trip) -> None:
    """Legs: solid on land, dashed blue at sea, dotted in the air; an arrowhead at the
    middle shows the direction."""
    drawn_pairs: dict[frozenset, int] = {}
    for leg in legs:
        a, b = leg.from_place, leg.to_place
        if not (a.has_coordinates and b.has_coordinates) or a.id == b.id:
            continue
        (x1, y1), (x2, y2) = xy(a), xy(b)
        length = math.hypot(x2 - x1, y2 - y1)
        pair = frozenset((a.id, b.id))
        repeat = drawn_pairs.get(pair, 0)
        drawn_pairs[pair] = repeat + 1
        if length > 0 and repeat:
            # A second leg between the same places runs beside the first one.
            nx, ny = -(y2 - y1) / length, (x2 - x1) / length
            shift = 5.0 * repeat
            x1, y1 = x1 + nx * shift, y1 + ny * shift
            x2, y2 = x2 + nx * shift, y2 + ny * shift
        colour = MODE_COLOURS[leg.mode]
        line = sub(parent, "g", class_=f"leg leg-{leg.mode.value}")
        sub(line, "title", _leg_tooltip(leg, trip.event.timezone, _locale()))
        sub(line, "line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=colour, stroke_width=3,
            stroke_dasharray=MODE_DASH[leg.mode])  # fmt: skip
        if length > 14:
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            mx, my = (x1 + x2) / 2 + ux * 5, (y1 + y2) / 2 + uy * 5
            points = [
                (mx, my),
                (mx - ux * 11 - uy * 5.5, my - uy * 11 + ux * 5.5),
                (mx - ux * 11 + uy * 5.5, my - uy * 11 - ux * 5.5),
            ]
            sub(line, "polygon", class_="arrow", fill=colour,
                points=" ".join(f"{num(px)},{num(py)}" for px, py in points))  # fmt: skip


def _draw_places(
    parent: ET.Element, located: list[Place], xy, width: float, height: float
) -> None:
    """Places and their labels, alternating sides; a label that would cover another
    goes to the other side, then moves down. Labels keep off the dots and off each
    other, and stay inside the picture."""
    points = {p.id: xy(p) for p in located}
    boxes = [(x - 7, y - 7, x + 7, y + 7) for x, y in points.values()]

    def free(box) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 2 or x1 > width - 2 or y0 < 2 or y1 > height - 2:
            return False
        return all(x1 < b[0] or x0 > b[2] or y1 < b[1] or y0 > b[3] for b in boxes)

    for i, place in enumerate(located):
        x, y = points[place.id]
        label = short(place.name, 30)
        text_w = 6.4 * len(label)
        sides = ("end", "start") if i % 2 == 0 else ("start", "end")
        chosen = None
        candidates = [(side, 0.0) for side in sides]
        candidates += [("middle", -14.0), ("middle", 20.0)]
        candidates += [(side, d) for d in (14.0, -14.0, 28.0, -28.0) for side in sides]
        for side, dy_shift in candidates:
            lx = {"start": x + 9, "end": x - 9, "middle": x}[side]
            bx0 = {"start": lx, "end": lx - text_w, "middle": lx - text_w / 2}[side]
            box = (bx0, y + dy_shift - 10, bx0 + text_w, y + dy_shift + 3)
            if free(box):
                chosen = (side, lx, y + dy_shift + 4, box)
                break
        if chosen is None:
            lx = x + 9
            chosen = ("start", lx, y + 4, (lx, y - 10, lx + text_w, y + 3))
        side, lx, ly, box = chosen
        boxes.append(box)
        dot = sub(parent, "g", class_="place")
        sub(dot, "title", place.name)
        sub(dot, "circle", cx=x, cy=y, r=5, fill="#fff", stroke="#212529",
            stroke_width=2)  # fmt: skip
        sub(dot, "text", label, class_="place-label", x=lx, y=ly, text_anchor=side,
            paint_order="stroke", stroke="#fff", stroke_width=3,
            stroke_linejoin="round")  # fmt: skip


def route_sketch_svg(trip: Trip, legs: Sequence[Leg] | None = None) -> str:
    """The route sketch's SVG text alone."""
    return route_sketch(trip, legs).svg


def register(app: Flask) -> None:
    """Expose the pictures to templates: ``timeline_svg(trip, legs)``,
    ``route_sketch(trip, legs)`` (``.svg``, ``.unplaced``)."""

    def timeline(trip, legs=None):
        return Markup(timeline_svg(trip, legs))

    def sketch(trip, legs=None):
        result = route_sketch(trip, legs)
        return RouteSketch(Markup(result.svg), result.unplaced)

    app.jinja_env.globals.update(timeline_svg=timeline, route_sketch=sketch)
