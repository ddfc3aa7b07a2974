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
    """A two-day rakor (7–8 May 2024) with two delegations; ``extra`` more delegates."""

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
                full_name="Ñoño Āhmad “Ucok” — Siregar", position="Ketua IPSM"
            ),
        )
        make_delegate(bangka, person=make_person(full_name="Bayu Bangka"))
        make_delegate(
            city,
            person=make_person(full_name="Mundur Saja"),
            status=DelegateStatus.WITHDRAWN,
        )
        make_delegate(city, person=make_person(full_name="Cici Kota"))
        for i in range(extra):
            make_delegate(bangka, person=make_person(full_name=f"Peserta {i:03d}"))
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
    assert "Mundur Saja" not in text
    # Grouped by delegation, in code order: Kabupaten Bangka (19.01) first.
    assert text.index("Kabupaten Bangka (19.01)") < text.index(
        "Kota Pangkal Pinang (19.71)"
    )
    assert text.index("Bayu Bangka") < text.index("Cici Kota")
    # Numbered signature spaces, the heading on every page, page numbers, committee.
    assert re.search(r"1\. \.{5,}", text) and re.search(r"2\. \.{5,}", text)
    assert text.count("Tanda tangan") == pages
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    assert "Panitia" in text and "7 Mei 2024" in text.split("Panitia")[-2]


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
