"""Rosters per delegation and for the whole event: pages, CSV, XLSX and PDF, who sees
phones and NIKs, formula neutralising, grouping order and constant query counts."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from jinja2.filters import do_urlencode
from openpyxl import load_workbook
from pypdf import PdfReader

from planner.exports.csv_safe import neutralise
from planner.models import DelegateStatus, Sex
from tests.conftest import region

NIK = "1901234567890123"


@pytest.fixture
def national(
    make_user, make_event, make_place, make_delegation, make_delegate, make_person
):
    """An event with delegations in two provinces, a named body and a speaker."""

    def build(extra: int = 0, nik: str | None = NIK, organiser=None):
        organiser = organiser or make_user("organiser")
        event = make_event(
            title="Rakor PSM Nasional",
            organisers=[organiser],
            venue=make_place(name="Hotel Santika"),
            starts_on=date(2024, 5, 7),
            ends_on=date(2024, 5, 8),
        )
        city = make_delegation(event, region=region("19.71"), quota=5)
        bangka = make_delegation(event, region=region("19.01"), quota=5)
        sumsel = make_delegation(event, region=region("16.71"), quota=5)
        pusat = make_delegation(event, region=None, name="IPSM Pusat", quota=2)
        make_delegate(
            bangka,
            person=make_person(
                full_name="Ñoño Āhmad “Ucok” — Siregar",
                sex=Sex.MALE,
                nik=nik,
                phone="+6281234567890",
                position='=HYPERLINK("http://x")',
                institution="@SUM(A1)",
            ),
        )
        make_delegate(
            bangka,
            person=make_person(full_name="Wati Mundur", region=region("19.01")),
            status=DelegateStatus.WITHDRAWN,
        )
        make_delegate(city, person=make_person(full_name="Budi Kota"))
        make_delegate(sumsel, person=make_person(full_name="Citra Palembang"))
        make_delegate(pusat, person=make_person(full_name="Dewi Pusat"))
        for i in range(extra):
            make_delegate(bangka, person=make_person(full_name=f"Tambahan {i:03d}"))
        return (
            event,
            organiser,
            {"city": city, "bangka": bangka, "sumsel": sumsel, "pusat": pusat},
        )

    return build


def _pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_whole_event_page_groups_by_province_in_code_order(client, login, national):
    event, organiser, d = national()
    login(organiser)
    html = client.get(f"/events/{event.id}/rosters/").get_data(as_text=True)
    # Sumatera Selatan (16) before Bangka Belitung (19); 19.01 before 19.71; named last.
    order = [
        html.index(n)
        for n in ("Citra Palembang", "Ñoño Āhmad", "Budi Kota", "Dewi Pusat")
    ]
    assert order == sorted(order)
    assert "Wati Mundur" not in html  # withdrawn: not active
    assert 'id="grand-total">4<' in html
    # The page masks the NIK even for organisers; the organiser's export does not.
    assert NIK not in html and "7890123"[-4:] in html


def test_status_filter_and_hostile_values(client, login, national):
    event, organiser, d = national()
    login(organiser)
    url = f"/events/{event.id}/rosters/{d['bangka'].id}"
    assert "Wati Mundur" in client.get(url + "?status=withdrawn").get_data(as_text=True)
    for value in ("<script>alert(1)</script>", "' OR 1=1 --", "x" * 5000):
        response = client.get(url, query_string={"status": value})
        assert response.status_code == 200
        assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get(f"/events/{event.id}/rosters/?province=<b>").status_code == 200


def test_permissions(client, login, national, make_user, make_event, make_delegation):
    event, organiser, d = national()
    head = make_user("chapter_head", regions=["19.01"])
    other_event = make_event(organisers=[organiser])
    stray = make_delegation(other_event)
    login(head)
    base = f"/events/{event.id}/rosters"
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/export.csv").status_code == 403
    assert client.get(f"{base}/attendance/2024-05-07.pdf").status_code == 403
    assert client.get(f"{base}/{d['city'].id}").status_code == 403
    own = client.get(f"{base}/{d['bangka'].id}")
    assert own.status_code == 200
    html = own.get_data(as_text=True)
    assert "+6281234567890" in html and NIK not in html and "0123" in html
    # The head's export: phone yes, NIK masked.
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"{base}/{d['bangka'].id}/export.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert rows[1][-2] == "+6281234567890" and rows[1][-1] == "••••••••••••0123"
    # A delegation of another event is not found under this one.
    assert client.get(f"{base}/{stray.id}").status_code == 404
    assert client.get(f"{base}/{2**70}").status_code == 404


def test_participant_sees_no_contacts_and_no_roster(client, login, national, make_user):
    event, organiser, d = national()
    login(make_user("participant"))
    assert client.get(f"/events/{event.id}/rosters/{d['bangka'].id}").status_code == 403


def test_csv_neutralises_formulas(client, login, national):
    event, organiser, d = national()
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/export.csv")
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert (
        'filename="rakor-psm-nasional-daftar-peserta-semua-delegasi.csv"' in disposition
    )
    assert "filename*=UTF-8''Rakor%20PSM%20Nasional" in disposition
    assert "no-store" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    nono = next(r for r in rows if r["Nama"].startswith("Ñoño"))
    assert nono["Jabatan"] == '\'=HYPERLINK("http://x")'
    assert nono["Instansi"] == "'@SUM(A1)"
    assert nono["NIK"] == NIK  # the organiser's export: full NIK
    assert [r["Delegasi"] for r in rows] == [
        "Kota Palembang",
        "Kabupaten Bangka",
        "Kota Pangkal Pinang",
        "IPSM Pusat",
    ]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+62", "+62"),  # a phone number cannot call anything: left dialable
        ("-2", "-2"),
        ("+1+cmd", "'+1+cmd"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Budi", "Budi"),
        (3, 3),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_xlsx_sheets_frozen_widths_and_no_formulas(client, login, national):
    event, organiser, d = national()
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/export.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == [
        "Rekap",
        "Sumatera Selatan",
        "Kepulauan Bangka Belitung",
        "Badan dan lembaga",
    ]
    sheet = wb["Kepulauan Bangka Belitung"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    header = [c.value for c in sheet[1]]
    name_col = header.index("Nama") + 1
    assert sheet.column_dimensions[chr(64 + name_col)].width >= len(
        "Ñoño Āhmad “Ucok” — Siregar"
    )
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert '\'=HYPERLINK("http://x")' in values and "'@SUM(A1)" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    totals = wb["Rekap"]
    last = [c.value for c in list(totals.iter_rows())[-1]]
    assert last[0] == "Jumlah seluruhnya" and last[-1] == 4
    assert totals[totals.max_row][0].font.b


def test_delegation_xlsx_has_one_sheet_per_delegation(client, login, national):
    event, organiser, d = national()
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/{d['bangka'].id}/export.xlsx")
    wb = load_workbook(io.BytesIO(response.data))
    assert wb.sheetnames == ["Rekap", "Kabupaten Bangka"]


def test_pdf_header_accents_grouping_and_page_numbers(client, login, national):
    event, organiser, d = national(extra=40)
    login(organiser)
    response = client.get(f"/events/{event.id}/rosters/export.pdf")
    assert response.mimetype == "application/pdf"
    text, pages = _pdf_text(response.data)
    assert pages >= 2
    assert (
        "Rakor PSM Nasional" in text
        and "7–8 Mei 2024" in text
        and "Hotel Santika" in text
    )
    assert "Ñoño Āhmad “Ucok” — Siregar" in text
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    order = [
        text.index(n)
        for n in ("SUMATERA SELATAN", "KEPULAUAN BANGKA BELITUNG", "IPSM Pusat")
    ]
    assert order == sorted(order)
    # Column headings on every page.
    assert text.count("Instansi") >= pages
    assert "Jumlah seluruhnya: 44 orang" in text


def test_event_overview_links_to_rosters(client, login, national, make_user):
    event, organiser, d = national()
    login(organiser)
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/rosters/" in html
    assert f"/events/{event.id}/rosters/attendance/2024-05-08.pdf" in html


def test_head_sees_own_delegation_on_overview(client, login, national, make_user):
    event, organiser, d = national()
    login(make_user("chapter_head", regions=["19.01"]))
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f"/events/{event.id}/rosters/{d['bangka'].id}" in html
    assert f"/rosters/{d['city'].id}" not in html


PATHS = [
    "/",
    "/export.csv",
    "/export.xlsx",
    "/export.pdf",
    "/{bangka}",
    "/{bangka}/export.pdf",
]


def test_query_count_does_not_grow(client, login, national, count_queries):
    """Every roster page and export: as many queries with 10 as with 60 delegates."""
    counts: dict[str, list[int]] = {path: [] for path in PATHS}
    organiser = None
    for extra in (10, 60):
        event, organiser, d = national(extra=extra, nik=None, organiser=organiser)
        if extra == 10:
            login(organiser)
        for path in PATHS:
            url = f"/events/{event.id}/rosters" + path.format(bangka=d["bangka"].id)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts[path].append(len(queries))
    assert all(small == large for small, large in counts.values()), counts


def test_long_roster_counts_delegates_without_loading_them(
    client, login, national, monkeypatch
):
    """Above INLINE_ROWS the whole-event page shows only totals, counted in SQL: the
    same totals and links as the page listing every row."""
    import re

    from flask import url_for

    from planner.blueprints.rosters import views

    event, organiser, d = national(extra=3)
    login(organiser)
    url = f"/events/{event.id}/rosters/"
    full = client.get(url + "?status=all").get_data(as_text=True)
    monkeypatch.setattr(views, "INLINE_ROWS", 2)
    short = client.get(url + "?status=all").get_data(as_text=True)
    assert "Tambahan 000" in full and "Tambahan 000" not in short
    assert "terlalu panjang" in short and "terlalu panjang" not in full

    def totals(html: str) -> str:
        return html[html.index('id="totals"') : html.index("</tfoot>")]

    assert totals(short) == totals(full)
    assert 'id="grand-total">8<' in short
    # One province still lists its rows, whatever the event's size.
    bangka = client.get(url + "?province=19").get_data(as_text=True)
    assert "Tambahan 002" in bangka and "terlalu panjang" not in bangka
    # The links built from one url_for are the ones url_for gives.
    with client.application.test_request_context():
        expected = {
            url_for(
                "rosters.delegation",
                event_id=event.id,
                delegation_id=group.id,
                status="all",
            )
            for group in d.values()
        } | {
            url_for("rosters.index", event_id=event.id, province=code, status="all")
            for code in ("16", "19")
        }
    links = set(re.findall(r'href="([^"]*)"', totals(short)))
    assert expected <= {link.replace("&amp;", "&") for link in links}


#: The Jinja loop of the whole event's totals table that ``totals_rows`` replaced.
_TOTALS_LOOP = (Path(__file__).parent / "data" / "roster_totals_loop.html").read_text(
    encoding="utf-8"
)


def _squeezed(html: str) -> str:
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", str(html))).strip()


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("status", ["active", "all"])
def test_totals_rows_are_the_loop_they_replaced(app, lang, status):
    """The whole event's table of totals, written in Python for speed, is the markup
    of the Jinja loop it replaced (kept here), escaping included."""
    from flask_babel import force_locale

    from planner.blueprints.rosters.html import totals_rows
    from planner.services.rosters import DelegationGroup, ProvinceGroup, Roster

    def group(name, code, delegation_id, quota, count):
        return DelegationGroup(name, code, delegation_id, quota, count=count)

    provinces = [
        ProvinceGroup(
            "Kepulauan Bangka Belitung",
            "19",
            [
                group("Kab. Bangka", "19.01", 7, 12, 3),
                group('Kota "Pangkal" <Pinang> & co', "19.71", 8, None, 0),
            ],
        ),
        ProvinceGroup(
            "Tanpa wilayah", None, [group("Narasumber", None, None, None, 2)]
        ),
    ]
    with app.test_request_context(), force_locale(lang):
        for listed in (provinces, []):
            roster = Roster("Temu", "IPSM", "1–3 Mei", "", listed, True, True, status)
            rosters_url = "/events/3/rosters/"
            old = app.jinja_env.from_string(_TOTALS_LOOP).render(
                roster=roster,
                rosters_url=rosters_url,
                status_query=do_urlencode({"status": status}),
            )
            new = totals_rows(roster, rosters_url)
            assert _squeezed(new) == _squeezed(old)
            if listed:
                assert "&#34;Pangkal&#34; &lt;Pinang&gt; &amp; co" in new
                assert f'href="/events/3/rosters/7?status={status}"' in new
