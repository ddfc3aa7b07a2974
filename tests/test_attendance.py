"""Attendance sheets (daftar hadir) per event day: the title block, rows grouped by
delegation with alternating signature spaces, repeated headings, page numbers, the
committee's signature, who may print them, and constant query counts."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from planner.models import DelegateStatus
from tests.conftest import region


@pytest.fixture
def rakor(
    make_user, make_event, make_place, make_delegation, make_delegate, make_person
):
    """A two-day rakor (7–8 May 2024) with two delegations; ``extra`` more confirmed
    delegates, one withdrawn and one only nominated (neither takes part)."""
    confirmed = DelegateStatus.CONFIRMED

    def build(extra: int = 0, organiser=None):
        organiser = organiser or make_user("organiser")
        event = make_event(
            title="Rakor IPSM Babel",
            organisers=[organiser],
            venue=make_place(name="UPT PTKS Pangkalpinang"),
            starts_on=date(2024, 5, 7),
            ends_on=date(2024, 5, 8),
        )
        bangka = make_delegation(event, region=region("19.01"), quota=80)
        city = make_delegation(event, region=region("19.71"), quota=5)
        make_delegate(
            bangka,
            person=make_person(
                full_name="Ñoño Āhmad “Ucok” — Siregar",
                position="Ketua IPSM",
                institution="IPSM Kabupaten Bangka Provinsi Kepulauan Bangka Belitung",
            ),
            status=confirmed,
        )
        make_delegate(
            bangka, person=make_person(full_name="Bayu Bangka"), status=confirmed
        )
        make_delegate(bangka, person=make_person(full_name="Baru Diusulkan"))
        make_delegate(
            city,
            person=make_person(full_name="Mundur Saja"),
            status=DelegateStatus.WITHDRAWN,
        )
        make_delegate(
            city,
            person=make_person(full_name="Cici Kota"),
            status=DelegateStatus.ATTENDED,
        )
        for i in range(extra):
            make_delegate(
                bangka,
                person=make_person(full_name=f"Peserta {i:03d}"),
                status=confirmed,
            )
        return event, organiser

    return build


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_attendance_sheet_content(client, login, rakor):
    event, organiser = rakor(extra=40)
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/attendance/2024-05-07.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        "daftar-hadir-rakor-ipsm-babel-2024-05-07.pdf"
        in response.headers["Content-Disposition"]
    )
    text, pages = _text(response.data)
    assert pages >= 2
    assert "DAFTAR HADIR" in text and "Rakor IPSM Babel" in text
    assert "Selasa, 7 Mei 2024" in text and "UPT PTKS Pangkalpinang" in text
    assert "Ñoño Āhmad “Ucok” — Siregar" in text
    # A position and institution wider than the column wrap, whole.
    job = "Ketua IPSM, IPSM Kabupaten Bangka Provinsi Kepulauan Bangka Belitung"
    assert job in " ".join(text.split())
    assert "Mundur Saja" not in text
    assert "Baru Diusulkan" not in text  # nominated, not yet taking part
    # Grouped by delegation, in code order: Kabupaten Bangka (19.01) first.
    assert text.index("Kabupaten Bangka (19.01)") < text.index(
        "Kota Pangkal Pinang (19.71)"
    )
    assert text.index("Bayu Bangka") < text.index("Cici Kota")
    # Numbered signature spaces, the heading on every page, page numbers, committee.
    for n in (1, 2, 43):
        assert re.search(rf"(?<![\d.]){n}\.(?![\d.])", text)
    assert text.count("Tanda tangan") == pages
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert "Panitia" in text and "7 Mei 2024" in text.split("Panitia")[-2]


def _signature_numbers(page) -> list[tuple[int, float]]:
    """The "n." labels of a page's signature column and their x (pt from the left)."""
    found = []

    def visit(text, cm, tm, font, size):
        if re.fullmatch(r"\d+\.", text.strip()):
            found.append((int(text.strip()[:-1]), tm[4] * cm[0] + cm[4]))

    page.extract_text(visitor_text=visit)
    return found


def test_signatures_alternate_left_and_right(client, login, rakor):
    event, organiser = rakor(extra=40)
    login(organiser)
    data = client.get(f"/events/{event.id}/rosters/attendance/2024-05-07.pdf").data
    reader = PdfReader(io.BytesIO(data))
    numbers = [x for page in reader.pages for x in _signature_numbers(page)]
    assert [n for n, _ in numbers] == list(range(1, 44))
    odd = {round(x, 1) for n, x in numbers if n % 2}
    even = {round(x, 1) for n, x in numbers if not n % 2}
    # One x for each side; the right one half the 42-mm column (21 mm) further on.
    assert len(odd) == len(even) == 1
    assert even.pop() - odd.pop() == pytest.approx(21 * 72 / 25.4, abs=0.2)
    # Each number is followed by a dotted vector line, not a string of dots.
    content = reader.pages[0].get_contents().get_data()
    dotted = re.findall(rb"\[[\d.]+ [\d.]+\] [\d.]+ d", content)
    assert len(dotted) == len(_signature_numbers(reader.pages[0]))
    assert b"....." not in content


def test_table_measure_matches_fpdf(app_ctx):
    from planner.exports.pdf import FONT, Column, Document, Table

    pdf = Document()
    table = Table(pdf, [Column("A", 40)])
    for style in ("", "B"):
        pdf.set_font(FONT, style, 8.5)
        for text in ("Ñoño Āhmad “Ucok” — Siregar", "IPSM Kota Pangkal Pinang", ""):
            assert table.measure(text) == pytest.approx(pdf.get_string_width(text))
            assert table.measure(text) == pytest.approx(pdf.get_string_width(text))
    pdf.add_page()
    pdf.output()  # also closes the font files


def test_second_day_and_unknown_days(client, login, rakor):
    event, organiser = rakor()
    login(organiser)
    base = f"/events/{event.id}/rosters/attendance"
    text, _ = _text(client.get(f"{base}/2024-05-08.pdf").data)
    assert "Rabu, 8 Mei 2024" in text
    for day in ("2024-05-09", "2024-13-01", "kemarin", "<script>", "9" * 40):
        assert client.get(f"{base}/{day}.pdf").status_code == 404


def test_only_organisers_print_attendance(client, login, rakor, make_user):
    event, organiser = rakor()
    login(make_user("chapter_head", regions=["19.01"]))
    url = f"/events/{event.id}/rosters/attendance/2024-05-07.pdf"
    assert client.get(url).status_code == 403


def test_roster_page_links_every_day(client, login, rakor):
    event, organiser = rakor()
    login(organiser)
    html = client.get(f"/events/{event.id}/rosters/").get_data(as_text=True)
    for day in ("2024-05-07", "2024-05-08"):
        assert f"/events/{event.id}/rosters/attendance/{day}.pdf" in html


def test_attendance_query_count_does_not_grow(client, login, rakor, count_queries):
    counts = []
    organiser = None
    for extra in (10, 60):
        event, organiser = rakor(extra=extra, organiser=organiser)
        if extra == 10:
            login(organiser)
        with count_queries() as queries:
            url = f"/events/{event.id}/rosters/attendance/2024-05-07.pdf"
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
