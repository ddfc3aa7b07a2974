"""A4 documents on fpdf2 with a Unicode TrueType font (Lato, from the ``fontpkg-lato``
package, SIL OFL) and a cell-based table that repeats its headings on every page.

Cell-based rather than fpdf2's table API: rows whose texts fit on one line (nearly
all) cost one ``cell()`` per column, as bare fpdf2 does, and only longer texts are
wrapped; the bench compares both.
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
    """Regular, bold and italic Lato shipped by the ``fontpkg-lato`` package."""
    import fontpkg_lato

    files = fontpkg_lato.ROOT / "files"
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


class Table:
    """Rows of cells under a heading row that is drawn again after every page break."""

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

    # Page flow -----------------------------------------------------------------

    def new_page(self) -> None:
        """Start a page: page header, column headings, the group carried over."""
        self.pdf.add_page()
        self.heading()
        if self.continued:
            self.subheading(self.continued + " " + _("(lanjutan)"), carry=False)

    def room(self, height: float) -> None:
        """Break the page unless ``height`` more mm fit on it."""
        if self.pdf.get_y() + height > self.pdf.bottom:
            self.new_page()

    def heading(self) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", self.font_size)
        pdf.set_fill_color(225, 225, 225)
        lines = [self._lines(c.heading, c.width) for c in self.columns]
        height = max(len(x) for x in lines) * self.line_height + 1.5
        self._draw(lines, height, fill=True, valign_middle=True, align="C")
        pdf.set_font(FONT, "", self.font_size)

    def subheading(self, text: str, *, size: float | None = None, carry=True) -> None:
        """A full-width bold line (a delegation, a province); kept with its first row."""
        pdf = self.pdf
        if carry:
            self.room(self.row_height * 2 + 1)
        pdf.set_font(FONT, "B", size or self.font_size)
        pdf.set_fill_color(242, 242, 242)
        pdf.set_x(pdf.l_margin)
        pdf.cell(
            self.width,
            self.row_height,
            text,
            border=1,
            fill=True,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(FONT, "", self.font_size)

    def total(self, text: str, value: str) -> None:
        """A bold total line: the label across all columns but the last ones."""
        pdf = self.pdf
        self.room(self.row_height)
        pdf.set_font(FONT, "B", self.font_size)
        pdf.set_x(pdf.l_margin)
        pdf.cell(
            self.width,
            self.row_height,
            f"{text}: {value}",
            border=1,
            align="R",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font(FONT, "", self.font_size)

    # Rows --------------------------------------------------------------------------

    def _lines(self, text: str, width: float) -> list[str]:
        """Greedy word wrap measured with the font (much cheaper than a dry-run
        ``multi_cell``); a word longer than the column is cut by characters."""
        pdf = self.pdf
        if not text:
            return [""]
        room = width - 2 * pdf.c_margin
        measure = pdf.get_string_width
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
        fits = True
        for value, column in zip(values, self.columns, strict=True):
            if value and (
                "\n" in value
                or pdf.get_string_width(value) > column.width - 2 * pdf.c_margin
            ):
                fits = False
                break
        if fits:
            self.room(min_height)
            pdf.set_x(pdf.l_margin)
            for value, column in zip(values, self.columns, strict=True):
                pdf.cell(column.width, min_height, value, border=1, align=column.align)
            pdf.ln(min_height)
            return min_height
        lines = [
            self._lines(v, c.width) for v, c in zip(values, self.columns, strict=True)
        ]
        height = max(min_height, max(len(x) for x in lines) * self.line_height + 1.4)
        self.room(height)
        self._draw(lines, height)
        return height

    def _draw(
        self, lines, height, *, fill=False, valign_middle=True, align=None
    ) -> None:
        pdf = self.pdf
        x, y = pdf.l_margin, pdf.get_y()
        for cell_lines, column in zip(lines, self.columns, strict=True):
            pdf.rect(x, y, column.width, height, style="DF" if fill else "D")
            top = y + (height - len(cell_lines) * self.line_height) / 2
            for i, line in enumerate(cell_lines):
                pdf.set_xy(x, top + i * self.line_height)
                pdf.cell(
                    column.width, self.line_height, line, align=align or column.align
                )
            x += column.width
        pdf.set_xy(pdf.l_margin, y + height)
