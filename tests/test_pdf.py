"""The PDF base (planner/exports/pdf.py): its faster ``text()`` writes the bytes fpdf2's
own would, page numbers know the page count, fonts are embedded only when used."""

from __future__ import annotations

import io

from fpdf import FPDF
from pypdf import PdfReader

from planner.exports.pdf import FONT, Column, Document, Table, font_files

TEXTS = [
    "Ñoño Āhmad “Ucok” — Siregar",
    "Kabupaten Bangka (19.01) \\ (lanjutan)",
    "a\rb",
    "",
    "Kabupaten Bangka (19.01) \\ (lanjutan)",
    "🙂 tidak ada di Lato",
    "1.",
]


def _draw(pdf: FPDF) -> None:
    """The same calls on fpdf2 and on Document: fonts, colours, pages."""
    pdf.add_page()
    for style, size in (("", 8.5), ("B", 9), ("", 8.5)):
        pdf.set_font(FONT, style, size)
        for i, text in enumerate(TEXTS):
            pdf.text(10 + i, 20 + i, text)
    pdf.set_fill_color(225, 225, 225)
    pdf.text(5, 5, "abu-abu di belakang")
    pdf.set_fill_color(0)
    pdf.set_text_color(160, 0, 0)
    pdf.text(6, 6, "PERHATIAN")
    pdf.set_text_color(0)
    pdf.text(7, 7, "PERHATIAN")
    pdf.add_page()
    pdf.text(8, 8, TEXTS[0])
    pdf.set_font(FONT, "", 8.5)
    placed = [(9 + i, 9 + i, text) for i, text in enumerate(TEXTS)]
    if isinstance(pdf, Document):
        pdf.texts(placed)
    else:
        for x, y, text in placed:
            pdf.text(x, y, text)


def test_text_writes_what_fpdf2_writes(app_ctx):
    plain = FPDF(unit="mm", format="A4")
    for style in ("", "B"):
        plain.add_font(FONT, style, str(font_files()[style]))
    ours = Document()
    _draw(plain)
    _draw(ours)
    for page in (1, 2):
        assert bytes(ours.pages[page].contents) == bytes(plain.pages[page].contents)
    plain.output()
    ours.output()


def test_page_numbers_and_only_the_fonts_used(app_ctx):
    pdf = Document()
    table = Table(pdf, [Column("No.", 10, "R"), Column("Nama", 60)])
    table.new_page()
    for n in range(1, 120):
        table.row([str(n), f"Peserta {n:03d}"])
    table.end()
    reader = PdfReader(io.BytesIO(pdf.output()))
    pages = len(reader.pages)
    assert pages > 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Halaman {number} dari {pages}" in text
        assert text.count("Nama") == 1  # the heading on every page
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert not any("Italic" in name for name in fonts)
