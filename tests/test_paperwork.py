"""The budget (RAB) and payment sheets: every amount recomputed here independently,
the XLSX formulas evaluated cell by cell, the PDFs read back."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from geopy.distance import geodesic
from pypdf import PdfReader

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    AuditEntry,
    Budget,
    BudgetLine,
    DelegateStatus,
    LegMode,
    Room,
    RoomType,
    SeatAssignment,
    SpeakerRole,
    Stay,
)
from planner.services.paperwork.payments import amount_in_words
from planner.services.paperwork.rates import allowance_tables
from tests.conftest import region

SBM = Path(__file__).resolve().parent.parent / "planner" / "data"


def _ceiling(province: str, column: str = "luar_kota") -> int:
    with (SBM / "sbm_uang_harian_2026.csv").open(newline="") as f:
        return next(
            int(r[column]) for r in csv.DictReader(f) if r["province_code"] == province
        )


@pytest.fixture
def plan(
    make_user,
    make_event,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
    make_place,
):
    """A three-day event in Bangka Belitung: two delegations (3 + 2 people, one of
    them withdrawn), a van on a road leg and a ferry crossing, two speakers."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    event.ends_on = event.starts_on + timedelta(days=2)
    a = make_delegation(event, region=region("19.01"), quota=5)
    b = make_delegation(event, region=region("19.02"), quota=5)
    people_a = [make_delegate(a, status=DelegateStatus.CONFIRMED) for _ in range(3)]
    make_delegate(b, status=DelegateStatus.CONFIRMED)
    make_delegate(b, status=DelegateStatus.NOMINATED)
    make_delegate(b, status=DelegateStatus.WITHDRAWN)
    van = make_vehicle(event, label="Travel A")
    trip = make_trip(event, name="Berangkat")
    start = make_place(lat=-2.1291, lon=106.1090)
    port = make_place(lat=-2.0396, lon=105.1393)
    road = make_leg(trip, from_place=start, to_place=port)
    ferry = make_leg(
        trip,
        mode=LegMode.FERRY,
        from_place=port,
        to_place=make_place(lat=-2.9, lon=104.7),
        departs_at=road.arrives_at + timedelta(hours=1),
        arrives_at=road.arrives_at + timedelta(hours=4),
    )
    road.vehicles.append(van)
    ferry.vehicles.append(van)
    ferry.delegations.append(b)
    for n, d in enumerate(people_a, start=1):
        db.session.add(
            SeatAssignment(trip=trip, vehicle=van, delegate=d, seat_number=n)
        )
    starts = road.departs_at + timedelta(days=1)
    for title, speakers, status in (
        ("Konsep dasar PSM", ["Dr. Ahmad", "Ibu Rina"], AgendaStatus.SCHEDULED),
        ("Wawasan kebangsaan", ["Dr. Ahmad"], AgendaStatus.SCHEDULED),
        ("Batal", ["Ibu Rina"], AgendaStatus.CANCELLED),
    ):
        item = AgendaItem(
            event=event,
            title=title,
            kind=AgendaKind.MATERIAL,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            status=status,
        )
        item.speakers = [
            AgendaSpeaker(name=s, role=SpeakerRole.SPEAKER) for s in speakers
        ]
        item.speakers.append(AgendaSpeaker(name="MC", role=SpeakerRole.MC))
        db.session.add(item)
    db.session.commit()
    return {
        "event": event,
        "organiser": organiser,
        "a": a,
        "b": b,
        "road": road,
        "ferry": ferry,
    }


RATES = {
    "fiscal_year": "2026",
    "allowance_kind": "luar_kota",
    "allowance_rate": "",
    "transport_allowance": "150000",
    "ferry_passenger_fare": "65000",
    "ferry_vehicle_fare": "850000",
    "van_rental_per_day": "700000",
    "fuel_per_km": "1500",
    "toll_per_road_leg": "0",
    "honorarium_per_session": "900000",
    "meal_price": "45000",
    "snack_price": "20000",
    "treasurer_name": "Siti Bendahara",
    "treasurer_nip": "198001012005012001",
    "official_name": "Drs. Budi Pejabat",
    "official_position": "Kepala Bidang Pemberdayaan Sosial",
    "official_nip": "197501012000031001",
    "signing_place": "Pangkalpinang",
}


def _expected(plan) -> dict[str, int]:
    """The budget recomputed by hand from the plan above and RATES."""
    days = 3
    rate = _ceiling("19")
    km = round(geodesic((-2.1291, 106.1090), (-2.0396, 105.1393)).km * 1.3)
    allowance_a = 3 * days * rate
    allowance_b = 2 * days * rate  # the withdrawn delegate is not budgeted
    transport = (
        5 * 150000  # uang transport, 5 active people
        + 1 * km * 1500  # fuel of one van on the road leg
        + (3 + 2) * 65000  # ferry: 3 seated in the van + delegation B walking on
        + 1 * 850000  # the van on the ferry
        + 1 * 1 * 700000  # the van rented for the one day of its legs
    )
    honoraria = (
        2 * 900000 + 1 * 900000
    )  # Dr. Ahmad twice, Ibu Rina once (one cancelled)
    other = 2 * 1250000
    return {
        "allowance": allowance_a + allowance_b,
        "transport": transport,
        "honorarium": honoraria,
        "other": other,
        "total": allowance_a + allowance_b + transport + honoraria + other,
        "a": allowance_a + other,
        "b": allowance_b,
    }


def _set_up(client, login, plan):
    login(plan["organiser"])
    event_id = plan["event"].id
    r = client.post(f"/events/{event_id}/paperwork/budget", data=RATES)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    r = client.post(
        f"/events/{event_id}/paperwork/budget/lines",
        data={
            "line-description": "Spanduk dan ATK",
            "line-category": "other",
            "line-delegation_id": str(plan["a"].id),
            "line-quantity": "2",
            "line-unit": "paket",
            "line-unit_price": "1250000",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return event_id


def test_rates_table_loads_by_file_name_and_has_every_province():
    tables = allowance_tables()
    assert 2026 in tables
    assert len(tables[2026]) == 38
    assert tables[2026]["19"]["luar_kota"] == _ceiling("19")
    assert tables[2026]["31"]["diklat"] == _ceiling("31", "diklat")


def test_budget_page_and_totals(client, login, plan):
    event_id = _set_up(client, login, plan)
    expected = _expected(plan)
    page = client.get(f"/events/{event_id}/paperwork/budget")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    total = f"Rp{expected['total']:,}".replace(",", ".")
    assert total in html
    assert "Spanduk dan ATK" in html
    assert "Dr. Ahmad" in html


def _evaluate(wb) -> dict[tuple[str, str], int]:
    """Every formula cell of the workbook evaluated independently (the only forms the
    builder writes: a product of three cells, SUM of a column range, a sum of cells,
    SUMIF over the detail sheet, a cell minus a SUM)."""
    values: dict[tuple[str, str], int] = {}

    def value(sheet, ref):
        ref = ref.replace("$", "")
        if (sheet, ref) in values:
            return values[(sheet, ref)]
        v = wb[sheet][ref].value
        if isinstance(v, str) and v.startswith("="):
            v = formula(sheet, v[1:])
            values[(sheet, ref)] = v
        return v or 0

    def column(sheet, col, a, b):
        return [value(sheet, f"{col}{r}") for r in range(int(a), int(b) + 1)]

    def formula(sheet, f):
        if m := re.fullmatch(r"([A-Z])(\d+)\*([A-Z])(\d+)\*([A-Z])(\d+)", f):
            return (
                value(sheet, m[1] + m[2])
                * value(sheet, m[3] + m[4])
                * value(sheet, m[5] + m[6])
            )
        if m := re.fullmatch(r"SUM\(([A-Z])(\d+):\1(\d+)\)", f):
            return sum(v for v in column(sheet, m[1], m[2], m[3]) if isinstance(v, int))
        if re.fullmatch(r"[A-Z]\d+(\+[A-Z]\d+)*", f):
            return sum(value(sheet, ref) for ref in f.split("+"))
        if m := re.fullmatch(r"SUMIF\('(.+)'!B(\d+):B(\d+),A(\d+),'\1'!H\2:H\3\)", f):
            other, a, b, r = m[1], m[2], m[3], m[4]
            key = value(sheet, f"A{r}")
            names = column(other, "B", a, b)
            amounts = column(other, "H", a, b)
            return sum(x for n, x in zip(names, amounts, strict=True) if n == key)
        if m := re.fullmatch(r"'(.+)'!H(\d+)-SUM\(B(\d+):B(\d+)\)", f):
            return value(m[1], f"H{m[2]}") - sum(column(sheet, "B", m[3], m[4]))
        if m := re.fullmatch(r"'(.+)'!H(\d+)", f):
            return value(m[1], f"H{m[2]}")
        raise AssertionError(f"formula not understood: {f}")

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    value(ws.title, cell.coordinate)
    return values


def test_budget_xlsx_formulas_evaluate_to_the_same_totals(client, login, plan):
    event_id = _set_up(client, login, plan)
    expected = _expected(plan)
    r = client.get(f"/events/{event_id}/paperwork/budget.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    values = _evaluate(wb)
    detail, per = wb.worksheets
    labels = {
        detail[f"A{row}"].value: values.get((detail.title, f"H{row}"))
        for row in range(1, detail.max_row + 1)
    }
    assert labels["TOTAL"] == expected["total"]
    assert labels["Jumlah Uang harian"] == expected["allowance"]
    assert labels["Jumlah Transportasi"] == expected["transport"]
    assert labels["Jumlah Honorarium narasumber"] == expected["honorarium"]
    assert labels["Jumlah Lain-lain"] == expected["other"]
    by_delegation = {
        per[f"A{row}"].value: values[(per.title, f"B{row}")]
        for row in range(2, per.max_row + 1)
    }
    assert by_delegation[plan["a"].name] == expected["a"]
    assert by_delegation[plan["b"].name] == expected["b"]
    assert sum(by_delegation.values()) == expected["total"]
    # Live: a price changed in Excel changes the totals (no value is frozen).
    assert all(
        isinstance(detail[f"H{row}"].value, str)
        for row in range(5, detail.max_row + 1)
        if isinstance(detail[f"G{row}"].value, int)
    )


def test_budget_pdf_reads_back(client, login, plan, tmp_path):
    event_id = _set_up(client, login, plan)
    expected = _expected(plan)
    r = client.get(f"/events/{event_id}/paperwork/budget.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    assert "RENCANA ANGGARAN BIAYA" in text
    assert f"Rp{expected['total']:,}".replace(",", ".") in text
    (tmp_path / "budget.pdf").write_bytes(r.data)


def test_allowance_may_be_lowered_not_raised(client, login, plan):
    login(plan["organiser"])
    event_id = plan["event"].id
    ceiling = _ceiling("19")
    r = client.post(
        f"/events/{event_id}/paperwork/budget",
        data={**RATES, "allowance_rate": str(ceiling + 1)},
    )
    assert r.status_code == 422
    assert "batas tertinggi" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Budget)) == 0
    r = client.post(
        f"/events/{event_id}/paperwork/budget",
        data={**RATES, "allowance_rate": "300000"},
    )
    assert r.status_code == 302
    budget = db.session.scalar(db.select(Budget))
    assert budget.allowance_rate == 300000


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ferry_passenger_fare", "-5", "tidak boleh negatif"),
        ("fuel_per_km", "satu", "bilangan bulat rupiah"),
        ("fiscal_year", "1999", "Tidak ada tabel uang harian"),
        ("meal_price", "-45000", "tidak boleh negatif"),
        ("snack_price", "dua puluh ribu", "bilangan bulat rupiah"),
    ],
)
def test_bad_rates_are_refused_in_indonesian(
    client, login, plan, field, value, message
):
    login(plan["organiser"])
    r = client.post(
        f"/events/{plan['event'].id}/paperwork/budget", data={**RATES, field: value}
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert message in html
    assert f'value="{value}"' in html  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(Budget)) == 0


def test_bad_line_is_refused_and_line_can_be_deleted(client, login, plan):
    login(plan["organiser"])
    url = f"/events/{plan['event'].id}/paperwork/budget/lines"
    r = client.post(
        url,
        data={
            "line-description": "ATK",
            "line-quantity": "1",
            "line-unit_price": "-1",
            "line-category": "other",
        },
    )
    assert r.status_code == 422
    assert "tidak boleh negatif" in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(BudgetLine)) == 0
    r = client.post(
        url,
        data={
            "line-description": "ATK",
            "line-quantity": "1",
            "line-unit_price": "5000",
            "line-category": "other",
        },
    )
    assert r.status_code == 302
    line = db.session.scalar(db.select(BudgetLine))
    assert db.session.scalar(
        db.select(AuditEntry).filter_by(entity="budget_line", action="create")
    )
    r = client.post(url + "/delete", data={"line_id": str(line.id)})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(BudgetLine)) == 0


def test_amount_in_words():
    assert amount_in_words(2300000) == "dua juta tiga ratus ribu rupiah"
    assert amount_in_words(1250000) == "satu juta dua ratus lima puluh ribu rupiah"


@pytest.mark.parametrize(
    ("kind", "people", "each"),
    [
        ("allowance", 4, 3 * 410000),  # confirmed only: 3 of A, 1 of B; 3 days
        ("transport", 4, 150000),
        ("honorarium", 2, None),
    ],
)
def test_payment_sheets(client, login, plan, kind, people, each, tmp_path):
    event_id = _set_up(client, login, plan)
    assert _ceiling("19") == 410000
    r = client.get(f"/events/{event_id}/paperwork/payments.pdf?kind={kind}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    (tmp_path / f"{kind}.pdf").write_bytes(r.data)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    total = people * each if each else 3 * 900000
    assert f"Rp{total:,}".replace(",", ".") in text
    assert amount_in_words(total) in " ".join(text.split())
    assert "Siti Bendahara" in text and "Drs. Budi Pejabat" in text
    assert "NIP. 198001012005012001" in text


def test_payments_unknown_kind_is_404(client, login, plan):
    login(plan["organiser"])
    r = client.get(f"/events/{plan['event'].id}/paperwork/payments.pdf?kind=x")
    assert r.status_code == 404


def test_only_organisers(client, login, plan, make_user):
    login(make_user("organiser"))
    r = client.get(f"/events/{plan['event'].id}/paperwork/budget")
    assert r.status_code == 403


def test_overview_links_budget_and_lists_it_to_do(client, login, plan):
    login(plan["organiser"])
    event_id = plan["event"].id
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert f"/events/{event_id}/paperwork/budget" in html
    assert "Anggaran (RAB) belum disusun" in html
    client.post(
        f"/events/{event_id}/paperwork/budget",
        data={**RATES, "treasurer_name": ""},
    )
    html = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Anggaran (RAB) belum disusun" not in html
    assert "Penanda tangan daftar penerimaan" in html
    assert db.session.scalar(db.select(AuditEntry).filter_by(entity="budget"))


def test_a_later_years_table_loads_beside_it(tmp_path, monkeypatch):
    from planner.services.paperwork import rates

    text = (SBM / "sbm_uang_harian_2026.csv").read_text()
    (tmp_path / "sbm_uang_harian_2026.csv").write_text(text)
    (tmp_path / "sbm_uang_harian_2027.csv").write_text(
        text.replace(",410000,", ",430000,")
    )
    monkeypatch.setattr(rates, "TABLES", tmp_path)
    rates.allowance_tables.cache_clear()
    try:
        assert rates.fiscal_years() == [2026, 2027]
        assert rates.default_year(2028) == 2027
        assert rates.allowance_ceiling(2027, "19", "luar_kota") == 430000
        assert rates.allowance_ceiling(2026, "19", "luar_kota") == 410000
    finally:
        rates.allowance_tables.cache_clear()


def test_budget_takes_the_same_queries_for_a_bigger_plan(
    plan, count_queries, make_delegation, make_delegate, make_leg, make_vehicle
):
    from planner.services.paperwork.budget import compute_budget

    event = plan["event"]

    def run() -> int:
        db.session.expire_all()
        with count_queries() as q:
            compute_budget(db.session.get(type(event), event.id))
        return len(q)

    small = run()
    c = make_delegation(event, region=region("19.03"), quota=4)
    make_delegate(c, status=DelegateStatus.CONFIRMED)
    van = make_vehicle(event, label="Travel B")
    leg = make_leg(plan["road"].trip, mode=LegMode.FERRY)
    leg.vehicles.append(van)
    leg.delegations.append(c)
    item = db.session.scalars(db.select(AgendaItem)).first()
    item.speakers.append(AgendaSpeaker(name="Pak Joko", role=SpeakerRole.SPEAKER))
    db.session.commit()
    assert run() == small


def test_destination_province_sets_the_ceiling(client, login, plan):
    login(plan["organiser"])
    url = f"/events/{plan['event'].id}/paperwork/budget"
    jakarta = _ceiling("31")
    assert jakarta > _ceiling("19")
    r = client.post(url, data={**RATES, "province_code": "99"})
    assert r.status_code == 422
    assert "Provinsi tidak dikenal." in r.get_data(as_text=True)
    r = client.post(url, data={**RATES, "province_code": "31", "allowance_rate": ""})
    assert r.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "untuk Daerah Khusus Ibukota Jakarta" in html
    assert f"Rp{jakarta:,}".replace(",", ".") in html
    r = client.post(
        url, data={**RATES, "province_code": "31", "allowance_rate": str(jakarta)}
    )
    assert r.status_code == 302


# An event with no destination province ------------------------------------------------

NO_PROVINCE = "Provinsi tujuan acara belum diketahui"


def _pdf_text(data: bytes) -> str:
    return " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split()
    )


@pytest.fixture
def nowhere(plan):
    """The plan's event with neither a venue nor a host region: no SBM province."""
    event = plan["event"]
    event.venue = None
    event.host_region = None
    db.session.commit()
    return plan


def test_unknown_province_is_warned_on_page_pdf_xlsx_and_to_do(client, login, nowhere):
    event_id = _set_up(client, login, nowhere)
    url = f"/events/{event_id}/paperwork/budget"

    html = client.get(url).get_data(as_text=True)
    assert 'id="allowance-warning"' in html
    assert "Tarif uang harian tidak diketahui." in html
    assert NO_PROVINCE in html
    text = _pdf_text(client.get(f"{url}.pdf").data)
    assert "Tarif uang harian tidak diketahui." in text
    assert NO_PROVINCE in text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"{url}.xlsx").data))
    detail = sheet.worksheets[0]
    assert NO_PROVINCE in detail["A3"].value
    # The warning takes the empty row: the table still starts on row 4.
    assert detail["A4"].value == "Uraian"
    overview = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert NO_PROVINCE in overview

    # A province chosen on the budget gives the ceiling: the warning goes.
    r = client.post(url, data={**RATES, "province_code": "19"})
    assert r.status_code == 302
    assert NO_PROVINCE not in client.get(url).get_data(as_text=True)
    assert NO_PROVINCE not in _pdf_text(client.get(f"{url}.pdf").data)
    assert NO_PROVINCE not in client.get(f"/events/{event_id}").get_data(as_text=True)


def test_unknown_province_refuses_the_allowance_sheet(client, login, nowhere):
    event_id = _set_up(client, login, nowhere)
    url = f"/events/{event_id}/paperwork/payments.pdf"
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))

    r = client.get(f"{url}?kind=allowance")
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/events/{event_id}/paperwork/budget")
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Daftar penerimaan uang harian belum dapat dibuat." in html
    assert NO_PROVINCE in html
    after = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    assert after == before
    # The other sheets do not depend on the province.
    assert client.get(f"{url}?kind=transport").mimetype == "application/pdf"

    # A rate typed by hand is a known rate, province or not.
    r = client.post(
        f"/events/{event_id}/paperwork/budget",
        data={**RATES, "allowance_rate": "300000"},
    )
    assert r.status_code == 302
    r = client.get(f"{url}?kind=allowance")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert f"Rp{4 * 3 * 300000:,}".replace(",", ".") in _pdf_text(r.data)


def test_a_province_missing_from_the_table_is_warned(
    client, login, plan, tmp_path, monkeypatch
):
    from planner.services.paperwork import rates

    lines = (SBM / "sbm_uang_harian_2026.csv").read_text().splitlines(keepends=True)
    (tmp_path / "sbm_uang_harian_2026.csv").write_text(
        "".join(x for x in lines if not x.startswith("19,"))
    )
    monkeypatch.setattr(rates, "TABLES", tmp_path)
    rates.allowance_tables.cache_clear()
    try:
        event_id = _set_up(client, login, plan)
        html = client.get(f"/events/{event_id}/paperwork/budget").get_data(as_text=True)
        assert "Tabel SBM 2026 tidak memuat uang harian" in html
        r = client.get(f"/events/{event_id}/paperwork/payments.pdf?kind=allowance")
        assert r.status_code == 302
    finally:
        rates.allowance_tables.cache_clear()


# Accommodation and meals --------------------------------------------------------------


@pytest.fixture
def lodged(plan, make_place):
    """The plan with two hotels (four rooms for two nights, a dormitory for one, no
    one assigned: rooms booked are paid, not beds used), two lunches, a break, a
    cancelled dinner and packed meals on both legs."""
    event = plan["event"]
    first = event.starts_on
    hotel = make_place(name="Hotel Bumi Asih")
    asrama = make_place(name="Asrama Diklat")
    stay = Stay(
        event=event, place=hotel, check_in_on=first, check_out_on=first + timedelta(2)
    )
    for n, (kind, beds, rate) in enumerate(
        [
            (RoomType.TRIPLE, 3, 600000),
            (RoomType.TWIN, 2, 450000),
            (RoomType.TWIN, 2, 500000),
            (RoomType.TWIN, 2, 450000),
        ]
    ):
        stay.rooms.append(
            Room(label=f"{kind} {n}", room_type=kind, beds=beds, rate=rate, position=n)
        )
    dorm = Stay(
        event=event,
        place=asrama,
        check_in_on=first + timedelta(2),
        check_out_on=first + timedelta(3),
    )
    dorm.rooms.append(
        Room(label="Barak 1", room_type=RoomType.DORMITORY, beds=6, rate=300000)
    )
    db.session.add_all([stay, dorm])
    day = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    for title, kind, audience, at, delegations, status in (
        ("Ishoma", AgendaKind.MEAL, AgendaAudience.EVERYONE, 5, [], None),
        ("Rehat kopi", AgendaKind.BREAK, AgendaAudience.EVERYONE, 2, [], None),
        ("Makan siang A", AgendaKind.MEAL, AgendaAudience.DELEGATIONS, 29, ["a"], None),
        ("Makan malam", AgendaKind.MEAL, AgendaAudience.EVERYONE, 12, [], "x"),
    ):
        db.session.add(
            AgendaItem(
                event=event,
                title=title,
                kind=kind,
                audience=audience,
                starts_at=day + timedelta(hours=at),
                ends_at=day + timedelta(hours=at + 1),
                delegations=[plan[x] for x in delegations],
                status=AgendaStatus.CANCELLED if status else AgendaStatus.SCHEDULED,
            )
        )
    plan["road"].has_packed_meal = True
    plan["ferry"].has_packed_meal = True
    db.session.commit()
    return plan


#: Rooms × nights × rate per hotel, room type and rate, in the printed order (each
#: description followed by the stay's dates).
ROOMS = [
    ("Penginapan Hotel Bumi Asih – kamar Twin", 2, 2, 450000),
    ("Penginapan Hotel Bumi Asih – kamar Twin", 1, 2, 500000),
    ("Penginapan Hotel Bumi Asih – kamar Triple", 1, 2, 600000),
    ("Penginapan Asrama Diklat – kamar Asrama", 1, 1, 300000),
]


def _stay_dates(event, first: int, last: int) -> str:
    from planner.formatting.plain import format_date_range

    start = event.starts_on
    return format_date_range(start + timedelta(first), start + timedelta(last))


#: Portions counted by hand: taking part are A's 3 confirmed and B's 1 confirmed (the
#: nominee and the withdrawn eat nothing).
MEALS = [
    # Ishoma for everyone (4) + the lunch of delegation A (3); the dinner is cancelled.
    ("Konsumsi makan", 4 + 3, 45000),
    # Road leg: A's 3 seated in the van; ferry: B (1) riding + A's 3 seated on the trip.
    ("Konsumsi nasi kotak perjalanan", 3 + (1 + 3), 45000),
    ("Konsumsi rehat (kudapan)", 4, 20000),
]


def _sheet_lines(event_id):
    from planner.models import Event
    from planner.services.paperwork.budget import compute_budget

    db.session.expire_all()
    return compute_budget(db.session.get(Event, event_id))


def test_accommodation_and_meals_lines(client, login, lodged):
    from planner.models import BudgetCategory as C

    event_id = _set_up(client, login, lodged)
    sheet = _sheet_lines(event_id)
    rooms = [
        (x.description, x.quantity, x.quantity2, x.unit_price)
        for x in sheet.category_lines(C.ACCOMMODATION)
    ]
    event = lodged["event"]
    hotel, asrama = _stay_dates(event, 0, 2), _stay_dates(event, 2, 3)
    assert rooms == [
        (f"{d}, {hotel if nights == 2 else asrama}", n, nights, rate)
        for d, n, nights, rate in ROOMS
    ]
    assert {(x.unit, x.unit2) for x in sheet.category_lines(C.ACCOMMODATION)} == {
        ("kamar", "malam")
    }
    meals = [
        (x.description, x.quantity, x.unit_price) for x in sheet.category_lines(C.MEALS)
    ]
    assert meals == MEALS
    accommodation = 2 * 2 * 450000 + 1 * 2 * 500000 + 1 * 2 * 600000 + 1 * 1 * 300000
    food = (7 + 7) * 45000 + 4 * 20000
    assert sheet.category_total(C.ACCOMMODATION) == accommodation
    assert sheet.category_total(C.MEALS) == food
    assert sheet.total == _expected(lodged)["total"] + accommodation + food
    assert [c for c, _lines, _total in sheet.categories] == [
        C.ALLOWANCE,
        C.TRANSPORT,
        C.ACCOMMODATION,
        C.MEALS,
        C.HONORARIUM,
        C.OTHER,
    ]
    assert sheet.price_hints == []
    html = client.get(f"/events/{event_id}/paperwork/budget").get_data(as_text=True)
    assert "2 kamar × 2 malam" in html
    assert "7 porsi" in html and "4 porsi" in html
    assert 'id="price-hints"' not in html
    assert "Jumlah Penginapan" in html and "Jumlah Konsumsi" in html


def test_accommodation_and_meals_in_xlsx_and_pdf(client, login, lodged):
    event_id = _set_up(client, login, lodged)
    accommodation = sum(n * nights * rate for _d, n, nights, rate in ROOMS)
    food = sum(portions * price for _d, portions, price in MEALS)
    total = _expected(lodged)["total"] + accommodation + food
    r = client.get(f"/events/{event_id}/paperwork/budget.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    values = _evaluate(wb)
    detail, per = wb.worksheets
    labels = {
        detail[f"A{row}"].value: values.get((detail.title, f"H{row}"))
        for row in range(1, detail.max_row + 1)
    }
    assert labels["Jumlah Penginapan"] == accommodation
    assert labels["Jumlah Konsumsi"] == food
    assert labels["TOTAL"] == total
    order = [detail[f"A{row}"].value for row in range(5, detail.max_row + 1)]
    assert order.index("Transportasi") < order.index("Penginapan")
    assert order.index("Penginapan") < order.index("Konsumsi")
    assert order.index("Konsumsi") < order.index("Honorarium narasumber")
    # Accommodation and meals are the event's as a whole, not a delegation's.
    general = {
        per[f"A{row}"].value: values[(per.title, f"B{row}")]
        for row in range(2, per.max_row + 1)
    }["Kegiatan (umum)"]
    assert general == total - _expected(lodged)["a"] - _expected(lodged)["b"]
    text = _pdf_text(client.get(f"/events/{event_id}/paperwork/budget.pdf").data)
    assert "Penginapan Hotel Bumi Asih – kamar Triple" in text
    assert "1 kamar × 2 malam" in text
    assert "Konsumsi rehat (kudapan)" in text
    assert f"Rp{food:,}".replace(",", ".") in text
    assert f"Rp{total:,}".replace(",", ".") in text


def test_meals_without_a_price_are_left_out_with_a_hint(client, login, lodged):
    from planner.models import BudgetCategory as C

    login(lodged["organiser"])
    event_id = lodged["event"].id
    url = f"/events/{event_id}/paperwork/budget"
    # Never saved: both prices are 0.
    html = client.get(url).get_data(as_text=True)
    assert 'id="price-hints"' in html
    assert "Harga makan per porsi belum diisi: 14 porsi" in html
    assert "Harga kudapan per porsi belum diisi: 4 porsi" in html
    assert not _sheet_lines(event_id).category_lines(C.MEALS)
    r = client.post(url, data={**RATES, "snack_price": "0"})
    assert r.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Harga makan per porsi belum diisi" not in html
    assert "Harga kudapan per porsi belum diisi: 4 porsi" in html
    sheet = _sheet_lines(event_id)
    assert [x.description for x in sheet.category_lines(C.MEALS)] == [
        "Konsumsi makan",
        "Konsumsi nasi kotak perjalanan",
    ]
    assert sheet.category_total(C.MEALS) == 14 * 45000
    # Rooms are paid at their own rate, whatever the budget's.
    assert sheet.category_total(C.ACCOMMODATION) == 4300000


def test_no_meal_counts_no_hint(client, login, plan):
    login(plan["organiser"])
    html = client.get(f"/events/{plan['event'].id}/paperwork/budget").get_data(
        as_text=True
    )
    assert 'id="price-hints"' not in html
    assert "Penginapan" not in html.split('id="lines"')[1].split("</table>")[0]


def test_a_hand_typed_meals_line_joins_its_category(client, login, lodged):
    from planner.models import BudgetCategory as C

    event_id = _set_up(client, login, lodged)
    r = client.post(
        f"/events/{event_id}/paperwork/budget/lines",
        data={
            "line-description": "Air mineral",
            "line-category": "meals",
            "line-delegation_id": "",
            "line-quantity": "10",
            "line-unit": "dus",
            "line-unit_price": "40000",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    sheet = _sheet_lines(event_id)
    assert sheet.category_lines(C.MEALS)[-1].description == "Air mineral"
    assert sheet.category_total(C.MEALS) == 14 * 45000 + 4 * 20000 + 10 * 40000


def test_a_negative_meal_price_is_refused_by_the_database(lodged):
    import sqlalchemy as sa

    budget = Budget(event=lodged["event"], fiscal_year=2026, meal_price=-1)
    db.session.add(budget)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_accommodation_and_meals_take_the_same_queries_for_a_bigger_plan(
    lodged, count_queries, make_place, make_delegate, make_leg
):
    from planner.services.paperwork.budget import compute_budget

    event = lodged["event"]

    def run() -> int:
        db.session.expire_all()
        with count_queries() as q:
            compute_budget(db.session.get(type(event), event.id))
        return len(q)

    small = run()
    stay = Stay(
        event=event,
        place=make_place(name="Hotel Lain"),
        check_in_on=event.starts_on,
        check_out_on=event.starts_on + timedelta(1),
    )
    stay.rooms = [
        Room(label=str(n), room_type=RoomType.SINGLE, beds=1, rate=350000)
        for n in range(5)
    ]
    db.session.add(stay)
    make_delegate(lodged["b"], status=DelegateStatus.CONFIRMED)
    start = datetime.combine(event.starts_on, datetime.min.time(), tzinfo=UTC)
    db.session.add(
        AgendaItem(
            event=event,
            title="Rehat sore",
            kind=AgendaKind.BREAK,
            audience=AgendaAudience.DELEGATIONS,
            delegations=[lodged["b"]],
            starts_at=start + timedelta(hours=8),
            ends_at=start + timedelta(hours=9),
        )
    )
    make_leg(lodged["road"].trip, has_packed_meal=True)
    db.session.commit()
    assert run() == small
