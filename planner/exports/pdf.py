"""A4 documents on fpdf2 with a Unicode TrueType font (Lato, shipped in
``planner/data/fonts`` with its SIL OFL licence) and a ruled table that repeats its
headings on every page.

Not fpdf2's table API nor one ``cell()`` per column: :class:`Table` places each text
with ``text()`` and rules the rows with lines, wrapping only texts wider than their
column; the bench compares it with bare fpdf2 writing one ``cell()`` per column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

FONT = "Lato"
#: Page margins in millimetres.
MARGIN = 12
#: Room kept at the bottom of each page for the page number.
FOOTER = 12


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


@dataclass(frozen=True)
class Column:
    """A table column: its heading, width in mm and alignment (L, C, R)."""

    heading: str
    width: float
    align: str = "L"


class Document(FPDF):
    """An A4 page with a caller-drawn header and "Halaman 3 dari 12" at the bottom."""

    def __init__(self, orientation: str = "P", title: str = "") -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        add_fonts(self)
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

    def header(self) -> None:
        if self.draw_header is not None:
            self.draw_header(self)

    def footer(self) -> None:
        self.set_y(-FOOTER + 2)
        self.set_font(FONT, "", 8)
        self.cell(
            0, 5, self.page_label.replace("{page}", str(self.page_no())), align="C"
        )

    @property
    def bottom(self) -> float:
        """The lowest y a row may reach on this page."""
        return self.h - FOOTER

    def title_block(self, heading: str, *lines: tuple[str, str, float, float]) -> None:
        """A centred bold heading, then centred lines as (text, style, size, height)."""
        width = self.w - self.l_margin - self.r_margin
        self.set_font(FONT, "B", 13)
        self.cell(width, 6.5, heading, align="C", new_x="LMARGIN", new_y="NEXT")
        for text, style, size, height in lines:
            self.set_font(FONT, style, size)
            self.multi_cell(
                width, height, text, align="C", new_x="LMARGIN", new_y="NEXT"
            )


class Table:
    """Rows of cells under a heading row that is drawn again after every page break.

    Drawn with ``text()`` at computed baselines and ruled lines rather than one
    ``cell()`` per column: ``cell()`` re-parses and re-measures its text and copies the
    graphics state on every call (about 100 µs), ``text()`` only encodes it (about
    20 µs). Widths come from the font's glyph widths, cached per text. Each row draws
    the line under it; the column rules of a run of rows (between two headings or
    sub-headings) are drawn once when the run ends, so call :meth:`end` after the
    last row.
    """

    def __init__(
        self,
        pdf: Document,
        columns: Sequence[Column],
        *,
        font_size: float = 8.5,
        line_height: float = 4.6,
        row_height: float = 6.0,
    ) -> None:
        self.pdf = pdf
        self.columns = list(columns)
        self.font_size = font_size
        self.line_height = line_height
        self.row_height = row_height
        self.width = sum(c.width for c in self.columns)
        #: Re-drawn under the heading after a page break inside a group.
        self.continued: str | None = None
        #: Left edge of every column, then the table's right edge.
        self.edges = [pdf.l_margin]
        for column in self.columns:
            self.edges.append(self.edges[-1] + column.width)
        #: Top of the run of rows whose column rules are not drawn yet.
        self._run_top: float | None = None
        self._widths: dict[tuple[str, str, float], dict[str, float]] = {}

    # Measuring and drawing text ------------------------------------------------------

    def measure(self, text: str) -> float:
        """Width of ``text`` in mm in the current font, as ``get_string_width`` gives it
        for a Unicode font without stretching or letter spacing, but cached."""
        pdf = self.pdf
        key = (pdf.font_family, pdf.font_style, pdf.font_size_pt)
        widths = self._widths.get(key)
        if widths is None:
            widths = self._widths[key] = {}
        width = widths.get(text)
        if width is None:
            cw = pdf.current_font.cw
            width = sum(cw[ord(c)] for c in text) * pdf.font_size / 1000
            widths[text] = width
        return width

    def text(self, x: float, y: float, width: float, text: str, align: str) -> None:
        """``text`` on the baseline ``y``, aligned in the column from ``x``."""
        if not text:
            return
        pdf = self.pdf
        if align == "L":
            pdf.text(x + pdf.c_margin, y, text)
        elif align == "R":
            pdf.text(x + width - pdf.c_margin - self.measure(text), y, text)
        else:
            pdf.text(x + (width - self.measure(text)) / 2, y, text)

    def _box(self, text: str, height: float, *, fill, align: str = "L") -> None:
        """A full-width bordered line of ``text`` (a sub-heading, a total)."""
        pdf = self.pdf
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y, self.width, height, style="DF" if fill else "D")
        baseline = y + height / 2 + 0.3 * pdf.font_size
        self.text(pdf.l_margin, baseline, self.width, text, align)
        pdf.set_xy(pdf.l_margin, y + height)

    # Page flow -----------------------------------------------------------------

    def new_page(self) -> None:
        """Start a page: page header, column headings, the group carried over."""
        self.end()
        self.pdf.add_page()
        self.heading()
        if self.continued:
            self.subheading(self.continued + " " + _("(lanjutan)"), carry=False)

    def room(self, height: float) -> None:
        """Break the page unless ``height`` more mm fit on it."""
        if self.pdf.get_y() + height > self.pdf.bottom:
            self.new_page()

    def end(self) -> None:
        """Draw the column rules of the rows drawn since the last (sub-)heading."""
        pdf = self.pdf
        top, bottom = self._run_top, pdf.get_y()
        self._run_top = None
        if top is None or bottom <= top:
            return
        for x in self.edges:
            pdf.line(x, top, x, bottom)

    def heading(self) -> None:
        """The column headings, bold on grey, wrapped and centred."""
        pdf = self.pdf
        self.end()
        pdf.set_font(FONT, "B", self.font_size)
        pdf.set_fill_color(225, 225, 225)
        lines = [self._lines(c.heading, c.width) for c in self.columns]
        height = max(len(x) for x in lines) * self.line_height + 1.5
        y = pdf.get_y()
        for x, column in zip(self.edges, self.columns, strict=False):
            pdf.rect(x, y, column.width, height, style="DF")
        self._draw(lines, y, height, align="C")
        pdf.set_xy(pdf.l_margin, y + height)
        # Fill colour back to the text colour: text() wraps itself in q … Q otherwise.
        pdf.set_fill_color(0)
        pdf.set_font(FONT, "", self.font_size)

    def subheading(self, text: str, *, size: float | None = None, carry=True) -> None:
        """A full-width bold line (a delegation, a province); kept with its first row."""
        pdf = self.pdf
        self.end()
        if carry:
            self.room(self.row_height * 2 + 1)
        pdf.set_font(FONT, "B", size or self.font_size)
        pdf.set_fill_color(242, 242, 242)
        self._box(text, self.row_height, fill=True)
        pdf.set_fill_color(0)
        pdf.set_font(FONT, "", self.font_size)

    def total(self, text: str, value: str) -> None:
        """A bold total line: the label across all columns but the last ones."""
        pdf = self.pdf
        self.end()
        self.room(self.row_height)
        pdf.set_font(FONT, "B", self.font_size)
        self._box(f"{text}: {value}", self.row_height, fill=False, align="R")
        pdf.set_font(FONT, "", self.font_size)

    # Rows --------------------------------------------------------------------------

    def _lines(self, text: str, width: float) -> list[str]:
        """Greedy word wrap measured with the font (much cheaper than a dry-run
        ``multi_cell``); a word longer than the column is cut by characters."""
        pdf = self.pdf
        if not text:
            return [""]
        room = width - 2 * pdf.c_margin
        measure = self.measure
        if "\n" not in text and measure(text) <= room:
            return [text]
        space = measure(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = measure(word)
                if line and used + space + w <= room:
                    line, used = f"{line} {word}", used + space + w
                    continue
                if line:
                    lines.append(line)
                while w > room and len(word) > 1:
                    cut = len(word) - 1
                    while cut > 1 and measure(word[:cut]) > room:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    w = measure(word)
                line, used = word, w
            lines.append(line)
        return lines or [""]

    def row(self, values: Sequence[str], *, min_height: float | None = None) -> float:
        """One row; returns its height. Texts that do not fit are wrapped."""
        pdf = self.pdf
        min_height = min_height or self.row_height
        lines = [
            self._lines(v, c.width) for v, c in zip(values, self.columns, strict=True)
        ]
        tallest = max(len(x) for x in lines)
        height = min_height
        if tallest > 1:
            height = max(min_height, tallest * self.line_height + 1.4)
        self.room(height)
        y = pdf.get_y()
        if self._run_top is None:
            self._run_top = y
        self._draw(lines, y, height)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
        pdf.set_xy(pdf.l_margin, y + height)
        return height

    def _draw(self, lines, y: float, height: float, *, align=None) -> None:
        """The lines of each cell, centred vertically in a row of ``height``."""
        pdf = self.pdf
        lh = self.line_height
        # The baseline of a line of height lh, as cell() puts it: 0.3 em under the middle.
        middle = y + height / 2 + 0.3 * pdf.font_size
        for x, cell_lines, column in zip(self.edges, lines, self.columns, strict=False):
            top = middle - (len(cell_lines) - 1) * lh / 2
            for i, line in enumerate(cell_lines):
                self.text(x, top + i * lh, column.width, line, align or column.align)
