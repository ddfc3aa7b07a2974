"""Building SVG pictures as element trees (:mod:`xml.etree.ElementTree`).

The pictures of :mod:`planner.exports.svg` and :mod:`planner.exports.charts` are built
element by element and serialised once, so the XML library escapes every label and
attribute; what it would let through (control characters XML 1.0 forbids even when
escaped) is dropped here. Keyword names are written as SVG spells them:
``stroke_width=2`` → ``stroke-width="2"``, ``class_="leg"`` → ``class="leg"``;
``None`` leaves an attribute out, floats are written short (``12.0`` → ``12``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

# Characters XML 1.0 forbids even when escaped (control characters typed or pasted).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def num(value: float) -> str:
    """A coordinate with at most one decimal: ``12.0`` → ``12``, ``3.25`` → ``3.2``."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _value(value) -> str:
    if isinstance(value, float):
        return num(value)
    return _INVALID_XML.sub("", str(value))


def _attrs(attrs: dict) -> dict[str, str]:
    return {
        ("class" if key == "class_" else key.replace("_", "-")): _value(value)
        for key, value in attrs.items()
        if value is not None
    }


def sub(parent: ET.Element, tag: str, text=None, **attrs) -> ET.Element:
    """Append a ``tag`` element with these attributes (and text) to ``parent``."""
    element = ET.SubElement(parent, tag, _attrs(attrs))
    if text is not None:
        element.text = _value(text)
    return element


def group(**attrs) -> ET.Element:
    """A detached ``<g>``, for a part drawn before its place in the picture is known."""
    return ET.Element("g", _attrs(attrs))


def svg_root(
    label: str,
    css_class: str,
    *,
    font_size: int = 12,
    aria_label: str | None = None,
    **attrs,
) -> ET.Element:
    """An ``<svg>`` named for screen readers (``role="img"``, ``aria-label``: ``label``
    unless given), its ``<title>`` (``label``) first; :func:`to_svg` sets its
    ``viewBox`` once the size is known."""
    root = ET.Element(
        "svg",
        _attrs(
            {
                "xmlns": SVG_NS,
                "class_": css_class,
                "viewBox": "",
                "width": "100%",
                **attrs,
                "role": "img",
                "aria_label": aria_label or label,
                "font_family": FONT,
                "font_size": font_size,
            }
        ),
    )
    sub(root, "title", label)
    return root


def to_svg(root: ET.Element, width: float, height: float) -> str:
    """The picture as SVG text, ``width`` × ``height`` units by its ``viewBox``."""
    root.set("viewBox", f"0 0 {num(width)} {num(height)}")
    return ET.tostring(root, encoding="unicode")
