"""The ruled table of every A4 list: a heading row drawn again after each page break,
cells placed with ``text()`` and rows ruled with ``line()`` (see ``planner/exports/pdf.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from planner.exports.pdf import BASELINE, FONT, FOOTER, Column, Document, Widths


class Table:
    """Rows of cells under a heading row that is drawn again after every page break.

    Each text is placed with ``text()`` at a computed baseline and each row ruled
    with one line; the column rules of a run of rows (between two headings or
    sub-headings) are drawn once when the run ends, so call :meth:`end` after the
    last row. Widths come from the font's glyph widths, cached per text; only texts
    wider than their column are wrapped. The heading row is laid out once and then
    replayed on every page. Between calls the row font (regular, ``font_size``) is
    the document's current font.
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
        #: Per column: text → its lines, each with its x from the column's edge.
        self._layouts: list[dict[str, tuple[tuple[float, str], ...]]] = [
            {} for _ in self.columns
        ]
        self._cells = pdf.widths("", font_size)
        self._font = pdf.fonts[FONT.lower()]
        #: Top of the run of rows whose column rules are not drawn yet.
        self._run_top: float | None = None
        #: The heading row laid out once: (height, [(x, dy, text)]).
        self._heading: tuple[float, list[tuple[float, float, str]]] | None = None

    # Measuring and drawing text ------------------------------------------------------

    def measure(self, text: str) -> float:
        """Width of ``text`` in mm in the current font (``get_string_width``, cached)."""
        return self.pdf.width_of(text)

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

    def _row_font(self) -> None:
        self.pdf.set_font(FONT, "", self.font_size)

    def _box(self, text: str, height: float, *, fill, align: str = "L") -> None:
        """A full-width bordered line of ``text`` (a sub-heading, a total)."""
        pdf = self.pdf
        y = pdf.y
        pdf.rect(pdf.l_margin, y, self.width, height, style="DF" if fill else "D")
        if fill:
            # Fill colour back to the text colour: text() wraps itself in q … Q
            # otherwise.
            pdf.set_fill_color(0)
        baseline = y + height / 2 + BASELINE * pdf.font_size
        self.text(pdf.l_margin, baseline, self.width, text, align)
        pdf.x, pdf.y = pdf.l_margin, y + height

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
        if self.pdf.y + height > self.pdf.bottom:
            self.new_page()

    def end(self) -> None:
        """Draw the column rules of the rows drawn since the last (sub-)heading."""
        pdf = self.pdf
        top, bottom = self._run_top, pdf.y
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
        if self._heading is None:
            self._heading = self._lay_out_heading()
        height, texts = self._heading
        x, y = pdf.l_margin, pdf.y
        pdf.set_fill_color(225, 225, 225)
        pdf.rect(x, y, self.width, height, style="DF")
        pdf.set_fill_color(0)
        for edge in self.edges[1:-1]:
            pdf.line(edge, y, edge, y + height)
        text = pdf.text
        for left, dy, value in texts:
            text(left, y + dy, value)
        pdf.x, pdf.y = x, y + height
        self._row_font()

    def _lay_out_heading(self) -> tuple[float, list[tuple[float, float, str]]]:
        """Height of the heading row and where its texts go, in the current font."""
        pdf = self.pdf
        lines = [self._lines(c.heading, c.width) for c in self.columns]
        height = max(len(x) for x in lines) * self.line_height + 1.5
        texts = []
        middle = height / 2 + BASELINE * pdf.font_size
        for x, cell_lines, column in zip(self.edges, lines, self.columns, strict=False):
            top = middle - (len(cell_lines) - 1) * self.line_height / 2
            for i, line in enumerate(cell_lines):
                if line:
                    left = x + (column.width - self.measure(line)) / 2
                    texts.append((left, top + i * self.line_height, line))
        return height, texts

    def subheading(self, text: str, *, size: float | None = None, carry=True) -> None:
        """A full-width bold line (a delegation, a province); kept with its first row."""
        pdf = self.pdf
        self.end()
        if carry:
            self.room(self.row_height * 2 + 1)
        pdf.set_font(FONT, "B", size or self.font_size)
        pdf.set_fill_color(242, 242, 242)
        self._box(text, self.row_height, fill=True)
        self._row_font()

    def total(self, text: str, value: str) -> None:
        """A bold total line: the label across all columns but the last ones."""
        pdf = self.pdf
        self.end()
        self.room(self.row_height)
        pdf.set_font(FONT, "B", self.font_size)
        self._box(f"{text}: {value}", self.row_height, fill=False, align="R")
        self._row_font()

    # Rows --------------------------------------------------------------------------

    def _lines(
        self, text: str, width: float, widths: Widths | None = None
    ) -> list[str]:
        """Greedy word wrap measured with the font (much cheaper than a dry-run
        ``multi_cell``); a word longer than the column is cut by characters.
        ``widths``: those of the font the text will be drawn in (the current one)."""
        if not text:
            return [""]
        if widths is None:
            widths = self.pdf.widths(self.pdf.font_style)
        measure = widths.__getitem__
        room = width - 2 * self.pdf.c_margin
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

    def _layout(self, index: int, text: str) -> tuple[tuple[float, str], ...]:
        """The lines of ``text`` in column ``index``, each with its x from the
        column's left edge (aligned as the column says)."""
        column = self.columns[index]
        widths = self._cells
        pad = self.pdf.c_margin
        placed = []
        for line in self._lines(text, column.width, widths):
            if column.align == "L":
                dx = pad
            elif column.align == "R":
                dx = column.width - pad - widths[line]
            else:
                dx = (column.width - widths[line]) / 2
            placed.append((dx, line))
        return tuple(placed)

    def cell_lines(self, values: Sequence[str]) -> list[list[str]]:
        """The lines :meth:`row` draws in each cell of ``values`` (for the bench)."""
        lines = []
        for index, (value, layouts) in enumerate(
            zip(values, self._layouts, strict=True)
        ):
            if not value:
                lines.append([])
                continue
            layout = layouts.get(value)
            if layout is None:
                layout = layouts[value] = self._layout(index, value)
            lines.append([line for _dx, line in layout])
        return lines

    def height_of(self, lines: Sequence[Sequence[str]], min_height=None) -> float:
        """The height :meth:`row` gives a row of these cell lines."""
        height = min_height or self.row_height
        tallest = max((len(x) for x in lines), default=1)
        if tallest > 1:
            height = max(height, tallest * self.line_height + 1.4)
        return height

    def row(self, values: Sequence[str], *, min_height: float | None = None) -> float:
        """One row; returns its height. Texts that do not fit are wrapped."""
        pdf = self.pdf
        if pdf.current_font is not self._font or pdf.font_size_pt != self.font_size:
            self._row_font()
        # Each distinct text of a column is measured, wrapped and aligned once.
        cells = []
        tallest = 1
        for index, (value, layouts) in enumerate(
            zip(values, self._layouts, strict=True)
        ):
            if value:
                layout = layouts.get(value)
                if layout is None:
                    layout = layouts[value] = self._layout(index, value)
                if len(layout) > tallest:
                    tallest = len(layout)
                cells.append(layout)
            else:
                cells.append(())
        height = min_height or self.row_height
        lh = self.line_height
        if tallest > 1:
            height = max(height, tallest * lh + 1.4)
        y = pdf.y
        if y + height > pdf.h - FOOTER:
            self.new_page()
            y = pdf.y
        if self._run_top is None:
            self._run_top = y
        middle = y + height / 2 + BASELINE * pdf.font_size
        placed = []
        for x, layout in zip(self.edges, cells, strict=False):
            if len(layout) == 1:
                dx, line = layout[0]
                placed.append((x + dx, middle, line))
            else:
                baseline = middle - (len(layout) - 1) * lh / 2
                for dx, line in layout:
                    placed.append((x + dx, baseline, line))
                    baseline += lh
        pdf.texts(placed)
        bottom = y + height
        pdf.line(self.edges[0], bottom, self.edges[-1], bottom)
        pdf.x, pdf.y = self.edges[0], bottom
        return height
