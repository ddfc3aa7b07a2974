"""Delegate cards: the QR code linking a card to its check-in page (no outside service)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, *, title: str | None = None) -> Markup:
    """An inline SVG QR code of ``url`` that scales with its box (no width/height)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(
        border=2,
        omitsize=True,
        svgclass="qr-code",
        lineclass=None,
        title=title,
    )
    # segno escapes the title itself; the rest is its own markup.
    return Markup(svg)
