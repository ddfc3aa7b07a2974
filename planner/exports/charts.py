"""Small charts drawn by the server as SVG: the quota fill of each delegation.

Pure builders like those of :mod:`planner.exports.svg`: they take the rows a service
computed and return SVG text, every label escaped, sized by a ``viewBox`` so the
picture scales with its container, nothing external referenced. The picture is
narrow (360 units) so that its text stays readable on a 360-px phone.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import ngettext

from planner.exports.svg import FONT, SVG_NS, _num, _short, esc
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


def _segments(row: QuotaFill, x0: float, width: float) -> tuple[list[str], float]:
    """The bar's coloured parts and where the quota ends on it."""
    scale_max = max(row.quota, row.taking_part + row.nominated, 1)
    unit = width / scale_max
    out = []
    x = x0
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
            out.append(
                f'<rect class="seg seg-nominated" x="{_num(x + 0.75)}" y="0.75" '
                f'width="{_num(max(w - gap - 1.5, 1))}" height="{_num(BAR - 1.5)}" '
                f'fill="{QUOTA_COLOURS["nominated"]}" '
                f'stroke="{QUOTA_COLOURS["nominated_edge"]}" stroke-width="1.5" '
                'stroke-dasharray="4 2"/>'
            )
        else:
            out.append(
                f'<rect class="seg seg-{key}" x="{_num(x)}" y="0" '
                f'width="{_num(max(w - gap, 1))}" height="{_num(BAR)}" '
                f'fill="{QUOTA_COLOURS[key]}"/>'
            )
        x += w
    return out, x0 + row.quota * unit


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


def quota_fill_svg(rows: Sequence[QuotaFill]) -> str:
    """One horizontal bar per delegation: attended, confirmed and nominated people
    against its quota, with the name and the numbers written beside it."""
    taking = sum(r.taking_part for r in rows)
    quota = sum(r.quota for r in rows)
    label = ngettext(
        "Pengisian kuota %(num)s delegasi: %(taking)s dari %(quota)s terkonfirmasi, "
        "%(attended)s hadir, %(nominated)s masih diusulkan",
        "Pengisian kuota %(num)s delegasi: %(taking)s dari %(quota)s terkonfirmasi, "
        "%(attended)s hadir, %(nominated)s masih diusulkan",
        len(rows),
        taking=taking,
        quota=quota,
        attended=sum(r.attended for r in rows),
        nominated=sum(r.nominated for r in rows),
    )
    title = _("Pengisian kuota per delegasi")
    if not rows:
        empty = _("Belum ada delegasi.")
        return (
            f'<svg xmlns="{SVG_NS}" class="quota-fill" viewBox="0 0 {_num(WIDTH)} 40" '
            f'width="100%" role="img" aria-label="{esc(title)}" '
            f'font-family="{esc(FONT)}" font-size="14"><title>{esc(title)}</title>'
            f'<text x="0" y="24" fill="{QUOTA_COLOURS["muted"]}">'
            f"{esc(empty)}</text></svg>"
        )

    legend_y = 10.0
    body: list[str] = []
    items = [
        ("attended", _("Hadir")),
        ("confirmed", _("Terkonfirmasi")),
        ("nominated", _("Diusulkan")),
        ("track", _("Sisa kuota")),
    ]
    body.append('<g class="legend" font-size="15">')
    lx, ly = 0.0, legend_y
    for key, text in items:
        item = 22 + 8.4 * len(text) + 14
        if lx + item > WIDTH and lx > 0:
            lx, ly = 0.0, ly + 22
        if key == "nominated":
            swatch = (
                f'fill="{QUOTA_COLOURS["nominated"]}" '
                f'stroke="{QUOTA_COLOURS["nominated_edge"]}" stroke-width="1.5" '
                'stroke-dasharray="4 2"'
            )
        elif key == "track":
            swatch = (
                f'fill="{QUOTA_COLOURS["track"]}" '
                f'stroke="{QUOTA_COLOURS["track_edge"]}" stroke-width="1"'
            )
        else:
            swatch = f'fill="{QUOTA_COLOURS[key]}"'
        body.append(
            f'<rect class="swatch swatch-{key}" x="{_num(lx + 0.75)}" '
            f'y="{_num(ly + 0.75)}" width="15" height="14" {swatch}/>'
            f'<text x="{_num(lx + 22)}" y="{_num(ly + 13)}" '
            f'fill="{QUOTA_COLOURS["text"]}">{esc(text)}</text>'
        )
        lx += item
    body.append("</g>")
    top = ly + 36

    for i, row in enumerate(rows):
        y = top + i * ROW
        numbers = f"{row.taking_part}/{row.quota}"
        room = int((WIDTH - CHAR * (len(numbers) + 2)) / CHAR)
        detail = _(
            "%(attended)s hadir · %(nominated)s diusulkan · sisa %(left)s",
            attended=row.attended,
            nominated=row.nominated,
            left=row.places_left,
        )
        segments, quota_x = _segments(row, 0.0, WIDTH)
        over = row.taking_part + row.nominated > row.quota
        body.append(
            f'<g class="quota-row" transform="translate(0 {_num(y)})">'
            f"<title>{esc(_row_summary(row))}</title>"
            f'<text class="name" x="0" y="16" font-size="16" font-weight="600" '
            f'fill="{QUOTA_COLOURS["text"]}">{esc(_short(row.name, room))}</text>'
            f'<text class="numbers" x="{_num(WIDTH)}" y="16" text-anchor="end" '
            f'font-size="16" font-weight="600" fill="{QUOTA_COLOURS["text"]}">'
            f"{esc(numbers)}</text>"
            f'<g class="bar" transform="translate(0 23)">'
            f'<rect class="track" x="0.5" y="0.5" width="{_num(max(quota_x - 1, 0))}" '
            f'height="{_num(BAR - 1)}" fill="{QUOTA_COLOURS["track"]}" '
            f'stroke="{QUOTA_COLOURS["track_edge"]}"/>'
        )
        body.extend(segments)
        if over and row.quota:
            body.append(
                f'<line class="quota-mark" x1="{_num(quota_x)}" y1="-3" '
                f'x2="{_num(quota_x)}" y2="{_num(BAR + 3)}" '
                f'stroke="{QUOTA_COLOURS["over"]}" stroke-width="2"/>'
            )
        body.append(
            "</g>"
            f'<text class="detail" x="0" y="55" font-size="15" '
            f'fill="{QUOTA_COLOURS["muted"]}">{esc(detail)}</text></g>'
        )
    height = top + len(rows) * ROW - 8
    description = "; ".join(_row_summary(row) for row in rows)
    head = (
        f'<svg xmlns="{SVG_NS}" class="quota-fill" viewBox="0 0 {_num(WIDTH)} '
        f'{_num(height)}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="{esc(label)}" font-family="{esc(FONT)}" '
        f'font-size="14"><title>{esc(title)}</title>'
        f"<desc>{esc(description)}.</desc>"
    )
    return head + "".join(body) + "</svg>"
