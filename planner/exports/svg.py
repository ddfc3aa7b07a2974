"""Pictures of an itinerary drawn by the server as SVG: a timeline and a route sketch.

Pure builders: they take a trip and its legs (places, regions, vehicles and
delegations loaded by the caller) and return SVG text. Every label is XML-escaped,
sizes come from a ``viewBox`` so the pictures fill their container, and nothing
external is referenced: no fonts, no tiles, no scripts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from xml.sax.saxutils import escape as _escape

from babel.dates import format_date as babel_format_date
from flask import Flask
from flask_babel import gettext as _
from markupsafe import Markup

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
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"

# Characters XML 1.0 forbids even when escaped (control characters typed or pasted).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def esc(value) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    text = _INVALID_XML.sub("", str(value))
    return _escape(text, {'"': "&quot;", "'": "&#39;"})


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _open_svg(width: float, height: float, label: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="{SVG_NS}" class="{css_class}" viewBox="0 0 {_num(width)} '
        f'{_num(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{esc(label)}" font-family="{esc(FONT)}" '
        'font-size="12">',
        f"<title>{esc(label)}</title>",
    ]


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
) -> tuple[list[str], float]:
    """Swatches of the modes, wrapping onto more lines when narrow; and its bottom."""
    out = ['<g class="legend">']
    cx, cy = x, y
    for mode in modes:
        label = str(LEG_MODE[mode])
        item = 22 + 7 * len(label) + 18
        if cx + item > x + width and cx > x:
            cx, cy = x, cy + 20
        colour = MODE_COLOURS[mode]
        out.append(
            f'<rect class="swatch swatch-{mode.value}" x="{_num(cx)}" '
            f'y="{_num(cy - 10)}" width="16" height="12" rx="2" fill="{colour}"/>'
            f'<text x="{_num(cx + 22)}" y="{_num(cy)}">{esc(label)}</text>'
        )
        cx += item
    out.append("</g>")
    return out, cy + 6


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
            _short(v.label, 18),
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
        out = _open_svg(width, 60, title, "itinerary-timeline")
        empty = esc(_("Belum ada perjalanan."))
        out.append(
            f'<text x="{_num(width / 2)}" y="34" text-anchor="middle" '
            f'fill="#6c757d">{empty}</text></svg>'
        )
        return "".join(out)

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
    modes = [m for m in LegMode]
    legend, legend_bottom = _legend(modes, left, plot_bottom + 44, plot)
    hours = esc(_("Jam (%(zone)s)", zone=tz_abbr(zone)))
    out = [f'<text x="{_num(left)}" y="16" font-weight="600">{hours}</text>']

    # Day bands: a boundary at each local midnight, the day's name over it.
    out.append('<g class="days">')
    day_start = start
    while day_start < end:
        next_midnight = (day_start + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        x0 = x_of(day_start)
        x1 = x_of(min(next_midnight, end))
        out.append(
            f'<line class="day-boundary" x1="{_num(x0)}" y1="22" x2="{_num(x0)}" '
            f'y2="{_num(plot_bottom)}" stroke="#212529" stroke-width="1"/>'
        )
        if x1 - x0 >= 60:
            out.append(
                f'<text class="day-label" x="{_num(x0 + 4)}" y="34" '
                f'font-weight="600">{esc(_day_label(day_start, locale))}</text>'
            )
        day_start = next_midnight
    out.append("</g>")

    # Hour ticks and a light grid.
    step = _hour_step(span / 3600, plot)
    separator = ":" if locale.startswith("en") else "."
    out.append('<g class="hours" fill="#6c757d" font-size="11">')
    tick = start
    while tick <= end:
        if tick.hour % step == 0:
            x = x_of(tick)
            out.append(
                f'<line x1="{_num(x)}" y1="{_num(top - 8)}" x2="{_num(x)}" '
                f'y2="{_num(plot_bottom)}" stroke="#dee2e6" stroke-width="1"/>'
                f'<text class="hour" x="{_num(x + 2)}" y="{_num(top - 10)}">'
                f"{tick:%H}{separator}00</text>"
            )
        tick += timedelta(hours=1)
    out.append("</g>")

    # One row per vehicle.
    for i, row in enumerate(rows):
        y = top + i * row_height
        out.append(f'<g class="row"><title>{esc(row.title)}</title>')
        if i % 2 == 0:
            out.append(
                f'<rect x="0" y="{_num(y)}" width="{_num(width)}" '
                f'height="{_num(row_height)}" fill="#f8f9fa" fill-opacity="0.6"/>'
            )
        out.append(
            f'<text class="row-label" x="8" y="{_num(y + row_height / 2 + 4)}">'
            f"{esc(row.label)}</text></g>"
        )
        for leg, extra in row.bars:
            x0 = x_of(leg.departs_at)
            bar_width = max(x_of(leg.arrives_at) - x0, 2.0)
            tooltip = _leg_tooltip(leg, fallback, locale, extra)
            out.append(
                f'<rect class="leg leg-{leg.mode.value}" x="{_num(x0)}" '
                f'y="{_num(y + (row_height - bar_height) / 2)}" '
                f'width="{_num(bar_width)}" height="{_num(bar_height)}" rx="3" '
                f'fill="{MODE_COLOURS[leg.mode]}"><title>{esc(tooltip)}</title></rect>'
            )
            fits = int((bar_width - 8) / 6.2)
            if fits >= 6:
                out.append(
                    f'<text class="bar-label" x="{_num(x0 + 4)}" '
                    f'y="{_num(y + row_height / 2 + 4)}" fill="#fff" font-size="11" '
                    f'pointer-events="none">'
                    f"{esc(_short('→ ' + _bare_name(leg.to_place.name), fits))}</text>"
                )
    out.append(
        f'<line x1="{_num(left)}" y1="{_num(plot_bottom)}" x2="{_num(width - right)}"'
        f' y2="{_num(plot_bottom)}" stroke="#adb5bd"/>'
    )
    out += legend
    out.append("</svg>")
    header = _open_svg(width, legend_bottom + 8, title, "itinerary-timeline")
    return "".join(header + out)


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
        out = _open_svg(width, 60, title, "route-sketch")
        empty = esc(_("Belum ada tempat berkoordinat."))
        out.append(
            f'<text x="{_num(width / 2)}" y="34" text-anchor="middle" '
            f'fill="#6c757d">{empty}</text></svg>'
        )
        return RouteSketch("".join(out), unplaced)

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
    out = [
        f'<rect width="{_num(width)}" height="{_num(total_height)}" fill="#fdfdfd"/>'
    ]

    # Legs: solid on land, dashed blue at sea, dotted in the air; an arrowhead at
    # the middle shows the direction.
    out.append('<g class="legs" stroke-linecap="round">')
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
            x1, y1, x2, y2 = (
                x1 + nx * shift,
                y1 + ny * shift,
                x2 + nx * shift,
                y2 + ny * shift,
            )
        colour = MODE_COLOURS[leg.mode]
        dash = MODE_DASH[leg.mode]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        tooltip = _leg_tooltip(leg, trip.event.timezone, _locale())
        out.append(
            f'<g class="leg leg-{leg.mode.value}"><title>{esc(tooltip)}</title>'
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{colour}" stroke-width="3"{dash_attr}/>'
        )
        if length > 14:
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            mx, my = (x1 + x2) / 2 + ux * 5, (y1 + y2) / 2 + uy * 5
            points = [
                (mx, my),
                (mx - ux * 11 - uy * 5.5, my - uy * 11 + ux * 5.5),
                (mx - ux * 11 + uy * 5.5, my - uy * 11 - ux * 5.5),
            ]
            out.append(
                '<polygon class="arrow" points="'
                + " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
                + f'" fill="{colour}"/>'
            )
        out.append("</g>")
    out.append("</g>")

    # Places and their labels, alternating sides; a label that would cover another
    # goes to the other side, then moves down.
    out.append('<g class="places">')
    points = {p.id: xy(p) for p in located}
    # Labels keep off the dots and off each other, and stay inside the picture.
    boxes = [(x - 7, y - 7, x + 7, y + 7) for x, y in points.values()]

    def free(box) -> bool:
        x0, y0, x1, y1 = box
        if x0 < 2 or x1 > width - 2 or y0 < 2 or y1 > height - 2:
            return False
        return all(x1 < b[0] or x0 > b[2] or y1 < b[1] or y0 > b[3] for b in boxes)

    for i, place in enumerate(located):
        x, y = points[place.id]
        label = _short(place.name, 30)
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
        out.append(
            f'<g class="place"><title>{esc(place.name)}</title>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="#fff" '
            'stroke="#212529" stroke-width="2"/>'
            f'<text class="place-label" x="{_num(lx)}" y="{_num(ly)}" '
            f'text-anchor="{side}" paint-order="stroke" stroke="#fff" '
            f'stroke-width="3" stroke-linejoin="round">{esc(label)}</text></g>'
        )
    out.append("</g>")

    # North arrow, top right.
    nx = width - 28
    # Translators: the letter under the north arrow of a map (U for Utara).
    north, north_letter = esc(_("Utara")), esc(_("U"))
    out.append(
        f'<g class="north"><title>{north}</title>'
        f'<polygon points="{_num(nx)},12 {_num(nx - 7)},32 {_num(nx)},27 '
        f'{_num(nx + 7)},32" fill="#212529"/>'
        f'<text x="{_num(nx)}" y="46" text-anchor="middle" font-weight="600">'
        f"{north_letter}</text></g>"
    )

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
        km_text = _num(km) if km >= 1 else f"{km:g}"
        scale_label = esc(_("%(km)s km", km=km_text))
        out.append(
            f'<g class="scale"><path d="M16,{_num(sy - 5)} V{_num(sy)} '
            f'H{_num(16 + bar)} V{_num(sy - 5)}" fill="none" stroke="#212529" '
            f'stroke-width="2"/><text class="scale-label" x="{_num(16 + bar / 2)}" '
            f'y="{_num(sy + 15)}" text-anchor="middle">'
            f"{scale_label}</text></g>"
        )
    out += legend
    out.append("</svg>")
    header = _open_svg(width, total_height, title, "route-sketch")
    return RouteSketch("".join(header + out), unplaced)


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
