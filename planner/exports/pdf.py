"""A4 documents on fpdf2 with a Unicode TrueType font (Lato, shipped in
``planner/data/fonts`` with its SIL OFL licence) and a ruled table that repeats its
headings on every page.

Everything that repeats is drawn with ``text()`` and ``line()``, the cheapest calls
fpdf2 has, and measured with cached glyph widths: ``cell()``/``multi_cell()`` re-parse,
re-measure and copy the graphics state on every call, which costs five to ten times as
much. They remain for what is drawn once per document and may need wrapping. The bench
(``docs/bench.md``) compares the builders with bare fpdf2 drawing the same rows with
``text()`` and ``line()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.util import escape_parens

FONT = "Lato"
#: Page margins in millimetres.
MARGIN = 12
#: Room kept at the bottom of each page for the page number.
FOOTER = 12
#: Where ``cell()`` puts the baseline of a line: this many font sizes under its middle.
BASELINE = 0.3


@cache
def font_files() -> dict[str, Path]:
    """Regular, bold and italic Lato shipped in the package (``planner/data/fonts``)."""
    files = Path(__file__).resolve().parent.parent / "data" / "fonts"
    return {
        "": files / "Lato-Regular.ttf",
        "B": files / "Lato-Bold.ttf",
        "I": files / "Lato-Italic.ttf",
    }


def add_fonts(pdf: FPDF) -> None:
    """Register the Unicode font on ``pdf`` (any typed Latin name prints)."""
    for style, path in font_files().items():
        pdf.add_font(FONT, style, str(path))


class Widths(dict):
    """Text → width in mm in one font and size, as ``get_string_width`` gives it for a
    Unicode font without stretching or letter spacing; each text measured once."""

    __slots__ = ("char_widths", "scale")

    def __init__(self, char_widths: dict[int, float], scale: float) -> None:
        super().__init__()
        #: The font's ``cw`` table: code point → width in 1/1000 em.
        self.char_widths = char_widths
        self.scale = scale

    def __missing__(self, text: str) -> float:
        width = sum(map(self.char_widths.__getitem__, map(ord, text))) * self.scale
        self[text] = width
        return width


class Encoding(dict):
    """Code point → what fpdf2's ``encode_text`` writes for it in a PDF string: the
    character's code in the font subset (picked on first use, as fpdf2 picks it),
    UTF-16BE, brackets and backslashes escaped."""

    __slots__ = ("font",)

    def __init__(self, font) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, codepoint: int) -> str:
        code = self.font.subset.pick(codepoint)
        value = (
            ""
            if code is None
            else escape_parens(chr(code).encode("utf-16-be").decode("latin-1"))
        )
        self[codepoint] = value
        return value


@dataclass(frozen=True)
class Column:
    """A table column: its heading, width in mm and alignment (L, C, R)."""

    heading: str
    width: float
    align: str = "L"


class Document(FPDF):
    """An A4 page with a caller-drawn header and "Halaman 3 dari 12" at the bottom.

    Each style of the font is read from its file the first time it is set: a font
    costs about 50 ms to read and as much again to subset and embed, so a document
    that never prints italics does not carry them.
    """

    def __init__(self, orientation: str = "P", title: str = "") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self._styles: set[str] = set()
        self._widths: dict[tuple[str, float], Widths] = {}
        #: Per font: text → its content-stream operand, as fpdf2 encodes it.
        self._encoded: dict[str, dict[str, str]] = {}
        #: Per font: code point → its code in the subset (see :class:`Encoding`).
        self._encodings: dict[str, Encoding] = {}
        #: The last (fill, text) colours found equal: text() needs no q … Q then.
        self._same_colours: tuple[object, object] = (None, None)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        self.set_title(title)
        self.set_creator("Rombongan")
        self.c_margin = 1.2
        #: Called at the top of every page (after the first header is drawn).
        self.draw_header: Callable[[Document], None] | None = None
        self.page_label = _(
            "Halaman %(page)s dari %(total)s", page="{page}", total="{nb}"
        )

    def set_font(self, family=None, style="", size=0) -> None:
        if (family or self.font_family or "").lower() == FONT.lower():
            self._load(style.upper() if isinstance(style, str) else style.style)
        super().set_font(family, style, size)

    def _load(self, style: str) -> None:
        if style not in self._styles:
            self._styles.add(style)
            self.add_font(FONT, style, str(font_files()[style]))

    def widths(self, style: str = "", size: float | None = None) -> Widths:
        """The width cache of Lato in ``style`` at ``size`` pt (the current size)."""
        size = size or self.font_size_pt
        key = (style, size)
        widths = self._widths.get(key)
        if widths is None:
            self._load(style)
            font = self.fonts[FONT.lower() + style]
            widths = self._widths[key] = Widths(font.cw, size / 1000 / self.k)
        return widths

    def close_fonts(self) -> None:
        """Close the font files of a document that will not be output (``output()``
        reads and closes them)."""
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()

    def width_of(self, text: str) -> float:
        """Width of ``text`` in mm in the current font (cached per text)."""
        return self.widths(self.font_style, self.font_size_pt)[text]

    def _plain(self) -> bool:
        """Whether text now needs no more than fpdf2 writes for plain text: the fill
        colour is the text colour, no underline, text mode or quad points, a TrueType
        font that is neither a symbol nor a colour font."""
        colours = (self.fill_color, self.text_color)
        if colours != self._same_colours:
            if colours[0] != colours[1]:
                return False
            self._same_colours = colours
        font = self.current_font
        return not (
            not self.page
            or getattr(font, "type", None) != "TTF"
            or font.is_symbol
            or font.color_font
            or self.underline
            or self.strikethrough
            or self.text_mode != TextMode.FILL
            or self._record_text_quad_points
        )

    def _operands(self) -> tuple[dict[str, str], Encoding]:
        """The current font's cache of encoded texts and its code-point table."""
        font = self.current_font
        key = font.fontkey
        encoded = self._encoded.get(key)
        if encoded is None:
            encoded = self._encoded[key] = {}
            self._encodings[key] = Encoding(font)
        if not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(font, self.font_size_pt))
        return encoded, self._encodings[key]

    def text(self, x: float, y: float, text: str = "") -> None:
        """fpdf2's ``text()``, writing the same bytes, about three times faster: each
        distinct text is encoded once per font, by a ``str.translate`` table from code
        points to subset codes, where fpdf2 maps character by character in Python on
        every call. Anything but plain text (see :meth:`_plain`) goes through fpdf2
        itself; ``tests/test_pdf.py`` compares the bytes of both."""
        if not self._plain():
            super().text(x, y, text)
            return
        encoded, encoding = self._operands()
        operand = encoded.get(text)
        if operand is None:
            operand = encoded[text] = f"({text.translate(encoding)}) Tj"
        self._out(f"BT {x * self.k:.2f} {(self.h - y) * self.k:.2f} Td {operand} ET")

    def texts(self, placed: Sequence[tuple[float, float, str]]) -> None:
        """Several ``text(x, y, text)`` calls in the current font and colour at once:
        the state is checked once and the page written to once."""
        if not placed:
            return
        if not self._plain():
            for x, y, text in placed:
                super().text(x, y, text)
            return
        encoded, encoding = self._operands()
        k, h = self.k, self.h
        ops = []
        for x, y, text in placed:
            operand = encoded.get(text)
            if operand is None:
                operand = encoded[text] = f"({text.translate(encoding)}) Tj"
            ops.append(f"BT {x * k:.2f} {(h - y) * k:.2f} Td {operand} ET")
        if ops:
            self._out("\n".join(ops))

    def header(self) -> None:
        if self.draw_header is not None:
            self.draw_header(self)

    def footer(self) -> None:
        # The page numbers go on when the page count is known (see output()).
        return

    def output(self, *args, **kwargs):
        """The document's bytes, "Halaman 3 dari 12" first put at the foot of every
        page: with the count known they are plain ``text()`` calls, where fpdf2's
        ``{nb}`` alias needs a ``cell()`` on every page and a search through every
        page's content at the end."""
        if not self.buffer and self.page:
            self._number_pages()
        return super().output(*args, **kwargs)

    def _number_pages(self) -> None:
        last, total = self.page, self.pages_count
        self.set_font(FONT, "", 8)
        self.set_fill_color(0)
        self.set_text_color(0)
        self.set_draw_color(0)
        widths = self.widths("", 8)
        # Where cell(0, 5, label, align="C") at FOOTER - 2 mm from the bottom puts it.
        baseline = self.h - FOOTER + 2 + 2.5 + BASELINE * self.font_size
        middle = self.l_margin + (self.w - self.l_margin - self.r_margin) / 2
        template = self.page_label.replace("{nb}", str(total))
        for page in range(1, total + 1):
            self.page = page
            # Each page's content ends in its own state: black text, the font anew.
            self._out("0 g")
            self.current_font_is_set_on_page = False
            label = template.replace("{page}", str(page))
            self.text(middle - widths[label] / 2, baseline, label)
        self.page = last

    @property
    def bottom(self) -> float:
        """The lowest y a row may reach on this page."""
        return self.h - FOOTER

    def line_text(
        self,
        text: str,
        *,
        height: float,
        width: float | None = None,
        align: str = "L",
        x: float | None = None,
        advance: bool = True,
    ) -> None:
        """One line of ``text`` placed as ``cell(width, height, text, align=align)``
        would place it (from ``x``, the left margin by default), drawn with ``text()``;
        with ``advance`` the position moves to the left margin of the next line."""
        x = self.l_margin if x is None else x
        width = self.w - self.r_margin - x if width is None else width
        if text:
            baseline = self.y + height / 2 + BASELINE * self.font_size
            if align == "L":
                self.text(x + self.c_margin, baseline, text)
            elif align == "R":
                self.text(
                    x + width - self.c_margin - self.width_of(text), baseline, text
                )
            else:
                self.text(x + (width - self.width_of(text)) / 2, baseline, text)
        if advance:
            self.x, self.y = self.l_margin, self.y + height

    def paragraph(self, text: str, *, height: float, align: str = "L") -> None:
        """``text`` across the page, wrapped (by ``multi_cell``) only when it does not
        fit on one line; then the next line."""
        width = self.w - self.l_margin - self.r_margin
        if "\n" not in text and self.width_of(text) <= width - 2 * self.c_margin:
            self.line_text(text, height=height, width=width, align=align)
        else:
            self.multi_cell(
                width, height, text, align=align, new_x="LMARGIN", new_y="NEXT"
            )

    def running_header(self, text: str) -> None:
        """A small grey line atop the second and later pages (grey rather than
        italic: a third font would cost more than the whole header)."""
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.line_text(text, height=5)
        self.set_text_color(0)
        self.ln(1)

    def title_block(self, heading: str, *lines: tuple[str, str, float, float]) -> None:
        """A centred bold heading, then centred lines as (text, style, size, height)."""
        self.set_font(FONT, "B", 13)
        self.line_text(heading, height=6.5, align="C")
        for text, style, size, height in lines:
            self.set_font(FONT, style, size)
            self.paragraph(text, height=height, align="C")


# The ruled table lives beside the document (one job per module).
from planner.exports.pdf_table import Table  # noqa: E402, F401
