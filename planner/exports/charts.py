"""Small charts drawn by the server as SVG: the quota fill of each delegation.

Pure builders like those of :mod:`planner.exports.svg`: they take the rows a service
computed and return SVG text, built as an element tree (:mod:`planner.exports.svgtree`)
so every label is escaped by the XML library, sized by a ``viewBox`` so the picture
scales with its container, nothing external referenced. The picture is
narrow (360 units) so that its text stays readable on a 360-px phone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import ngettext

from planner.exports.svgtree import num, short, sub, svg_root, to_svg
from planner.services.overview import QuotaFill

#: Fill colours; every one is at least 4.5:1 against the white it is drawn on (WCAG
#: asks 3:1 of graphic objects), and segments are kept apart by a white gap.
QUOTA_COLOURS = {
    "attended": "#0f5132",
    "confirmed": "#198754",
    "nominated": "#fff3cd",
    "nominated_edge": "#8a5a00",
    "track": "#ffffff",
    "track_edge": "#6c757d",
    "over": "#b02a37",
    "text": "#212529",
    "muted": "#495057",
}
WIDTH = 360.0
ROW = 68.0
BAR = 16.0
#: Average advance of a 16-unit bold system-ui glyph, to cut names before the numbers.
CHAR = 8.8


def _segments(bar: ET.Element, row: QuotaFill, width: float) -> float:
    """Draw the bar's coloured parts; where the quota ends on it."""
    scale_max = max(row.quota, row.taking_part + row.nominated, 1)
    unit = width / scale_max
    x = 0.0
    for key, count in (
        ("attended", row.attended),
        ("confirmed", row.confirmed),
        ("nominated", row.nominated),
    ):
        if not count:
            continue
        w = count * unit
        gap = 1.5 if w > 4 else 0.0
        if key == "nominated":
            sub(bar, "rect", class_="seg seg-nominated", x=x + 0.75, y="0.75",
                width=float(max(w - gap - 1.5, 1)), height=BAR - 1.5,
                fill=QUOTA_COLOURS["nominated"], stroke=QUOTA_COLOURS["nominated_edge"],
                stroke_width="1.5", stroke_dasharray="4 2")  # fmt: skip
        else:
            sub(bar, "rect", class_=f"seg seg-{key}", x=x, y="0",
                width=float(max(w - gap, 1)), height=BAR, fill=QUOTA_COLOURS[key])  # fmt: skip
        x += w
    return row.quota * unit


def _row_summary(row: QuotaFill) -> str:
    return _(
        "%(name)s: %(taking)s dari kuota %(quota)s terkonfirmasi (%(attended)s hadir), "
        "%(nominated)s masih diusulkan",
        name=row.name,
        taking=row.taking_part,
        quota=row.quota,
        attended=row.attended,
        nominated=row.nominated,
    )


def _legend(root: ET.Element) -> float:
    """The four swatches, wrapping when narrow; the y of their last line."""
    legend = sub(root, "g", class_="legend", font_size=15)
    items = [
        ("attended", _("Hadir")),
        ("confirmed", _("Terkonfirmasi")),
        ("nominated", _("Diusulkan")),
        ("track", _("Sisa kuota")),
    ]
    lx, ly = 0.0, 10.0
    for key, text in items:
        item = 22 + 8.4 * len(text) + 14
        if lx + item > WIDTH and lx > 0:
            lx, ly = 0.0, ly + 22
        if key == "nominated":
            edge = {"stroke": QUOTA_COLOURS["nominated_edge"], "stroke_width": "1.5",
                    "stroke_dasharray": "4 2"}  # fmt: skip
        elif key == "track":
            edge = {"stroke": QUOTA_COLOURS["track_edge"], "stroke_width": "1"}
        else:
            edge = {}
        sub(legend, "rect", class_=f"swatch swatch-{key}", x=lx + 0.75, y=ly + 0.75,
            width=15, height=14, fill=QUOTA_COLOURS[key], **edge)  # fmt: skip
        sub(legend, "text", text, x=lx + 22, y=ly + 13, fill=QUOTA_COLOURS["text"])
        lx += item
    return ly


def quota_fill_svg(rows: Sequence[QuotaFill], *, delegations: int | None = None) -> str:
    """One horizontal bar per delegation: attended, confirmed and nominated people
    against its quota, with the name and the numbers written beside it. With
    ``delegations`` (their number), the rows are provinces adding up that many
    delegations (:func:`planner.services.overview.chart_rows`)."""
    if delegations is not None:
        rows = [
            row if row.name else replace(row, name=_("Tanpa wilayah")) for row in rows
        ]
    taking = sum(r.taking_part for r in rows)
    quota = sum(r.quota for r in rows)
    label = ngettext(
        "Pengisian kuota %(num)s delegasi: %(taking)s dari %(quota)s terkonfirmasi, "
        "%(attended)s hadir, %(nominated)s masih diusulkan",
        "Pengisian kuota %(num)s delegasi: %(taking)s dari %(quota)s terkonfirmasi, "
        "%(attended)s hadir, %(nominated)s masih diusulkan",
        len(rows) if delegations is None else delegations,
        taking=taking,
        quota=quota,
        attended=sum(r.attended for r in rows),
        nominated=sum(r.nominated for r in rows),
    )
    title = (
        _("Pengisian kuota per delegasi")
        if delegations is None
        else _("Pengisian kuota per provinsi")
    )
    if not rows:
        root = svg_root(title, "quota-fill", font_size=14)
        sub(root, "text", _("Belum ada delegasi."), x=0, y=24,
            fill=QUOTA_COLOURS["muted"])  # fmt: skip
        return to_svg(root, WIDTH, 40)

    root = svg_root(title, "quota-fill", font_size=14, aria_label=label,
                    preserveAspectRatio="xMinYMin meet")  # fmt: skip
    description = "; ".join(_row_summary(row) for row in rows)
    sub(root, "desc", f"{description}.")
    top = _legend(root) + 36
    for i, row in enumerate(rows):
        numbers = f"{row.taking_part}/{row.quota}"
        room = int((WIDTH - CHAR * (len(numbers) + 2)) / CHAR)
        detail = _(
            "%(attended)s hadir · %(nominated)s diusulkan · sisa %(left)s",
            attended=row.attended,
            nominated=row.nominated,
            left=row.places_left,
        )
        line = sub(root, "g", class_="quota-row",
                   transform=f"translate(0 {num(top + i * ROW)})")  # fmt: skip
        sub(line, "title", _row_summary(row))
        sub(line, "text", short(row.name, room), class_="name", x=0, y=16,
            font_size=16, font_weight=600, fill=QUOTA_COLOURS["text"])  # fmt: skip
        sub(line, "text", numbers, class_="numbers", x=WIDTH, y=16, text_anchor="end",
            font_size=16, font_weight=600, fill=QUOTA_COLOURS["text"])  # fmt: skip
        bar = sub(line, "g", class_="bar", transform="translate(0 23)")
        track = sub(bar, "rect", class_="track", x="0.5", y="0.5", width=0.0,
                    height=BAR - 1, fill=QUOTA_COLOURS["track"],
                    stroke=QUOTA_COLOURS["track_edge"])  # fmt: skip
        quota_x = _segments(bar, row, WIDTH)
        track.set("width", num(max(quota_x - 1, 0)))
        if row.taking_part + row.nominated > row.quota and row.quota:
            sub(bar, "line", class_="quota-mark", x1=quota_x, y1=-3, x2=quota_x,
                y2=BAR + 3, stroke=QUOTA_COLOURS["over"], stroke_width=2)  # fmt: skip
        sub(line, "text", detail, class_="detail", x=0, y=55, font_size=15,
            fill=QUOTA_COLOURS["muted"])  # fmt: skip
    return to_svg(root, WIDTH, top + len(rows) * ROW - 8)
