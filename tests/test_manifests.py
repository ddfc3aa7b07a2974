"""Manifests: the driver's copy per vehicle and trip and the ferry passenger manifest
per ferry leg, as pages, PDF and XLSX; ages, drivers, totals, permissions, 404s for
ids of another event and constant query counts."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateRole,
    DelegateStatus,
    Event,
    LegMode,
    Person,
    Place,
    SeatAssignment,
    Sex,
)
from planner.services.manifests import age_on, nik_birth_year
from planner.services.regions import load_regions
from tests.conftest import region

#: 7 May 2024, 05.00 WIB at Tanjung Kalian (22.00 UTC the day before).
FERRY_DEPARTS = datetime(2024, 5, 6, 22, 0, tzinfo=UTC)


def _port(code: str) -> Place:
    return db.session.execute(db.select(Place).filter_by(code=code)).scalar_one()


@dataclass
class Tour:
    """The ids of a small PGK–JKT tour (plain ints: objects expire between requests)."""

    event_id: int
    trip_id: int
    van1_id: int
    van2_id: int
    road_id: int
    ferry_id: int
    organiser: object
    head_user: object


@pytest.fixture
def tour(
    make_user,
    make_event,
    make_delegation,
    make_delegate,
    make_person,
    make_vehicle,
    make_trip,
    make_leg,
):
    """Two vans, a road leg and the Tanjung Kalian–Tanjung Api-Api ferry carrying both;
    ``passengers`` delegates of Kabupaten Bangka seated in the first van."""

    def build(passengers: int = 3, niks: bool = True) -> Tour:
        load_regions()
        db.session.commit()
        organiser = make_user("organiser")
        event = make_event(
            title="Tour dan Studi PGK–JKT",
            organisers=[organiser],
            starts_on=date(2024, 5, 7),
            ends_on=date(2024, 5, 12),
        )
        head_person = make_person(full_name="Rahmat Ketua", phone="+6281234500001")
        head_user = make_user(
            "chapter_head", regions=("19.01",), person_id=head_person.id
        )
        bangka = make_delegation(event, region=region("19.01"), quota=200)
        bangka.head_user_id = head_user.id
        van1 = make_vehicle(
            event,
            label="Travel 1",
            plate="BN 1234 AB",
            driver_name="Pak Joko Sopir",
            driver_phone="+6281299900001",
            operator="CV Bangka Trans",
        )
        van2 = make_vehicle(
            event, label="Travel 2", plate="BN 5678 CD", driver_name="Pak Budi"
        )
        trip = make_trip(event, name="Berangkat")
        road = make_leg(
            trip,
            from_place=_port("iata:PGK"),
            to_place=_port("port:tanjung-kalian"),
            departs_at=datetime(2024, 5, 6, 19, 0, tzinfo=UTC),
            arrives_at=datetime(2024, 5, 6, 21, 30, tzinfo=UTC),
            position=1,
        )
        ferry = make_leg(
            trip,
            mode=LegMode.FERRY,
            from_place=_port("port:tanjung-kalian"),
            to_place=_port("port:tanjung-api-api"),
            departs_at=FERRY_DEPARTS,
            arrives_at=datetime(2024, 5, 7, 4, 0, tzinfo=UTC),
            carrier="ASDP Indonesia Ferry",
            vessel="KMP Menumbing Raya",
            booking_ref="ASDP-7788",
            position=2,
        )
        road.vehicles = [van1]
        ferry.vehicles = [van1, van2]
        people = [
            # Birthday the day after departure (in WIB): still 33.
            make_person(
                full_name="Ani Peserta",
                sex=Sex.FEMALE,
                birth_on=date(1990, 5, 8),
                nik="1901014805900001" if niks else None,
            ),
            # Birthday on the departure date itself (7 May in WIB): 34.
            make_person(
                full_name="Bambang Peserta", sex=Sex.MALE, birth_on=date(1990, 5, 7)
            ),
            # No date of birth: the year from the NIK (born 12-03-1985).
            make_person(
                full_name="Citra Peserta",
                sex=Sex.FEMALE,
                nik="1901015203850002" if niks else None,
            ),
        ]
        for n in range(3, passengers):
            people.append(
                make_person(full_name=f"Peserta Tambahan {n:03d}", sex=Sex.MALE)
            )
        for n, person in enumerate(people[:passengers], start=1):
            d = make_delegate(bangka, person=person, status=DelegateStatus.CONFIRMED)
            db.session.add(
                SeatAssignment(trip=trip, vehicle=van1, delegate=d, seat_number=n)
            )
        withdrawn = make_delegate(
            bangka,
            person=make_person(full_name="Dedi Mundur"),
            status=DelegateStatus.WITHDRAWN,
        )
        db.session.add(SeatAssignment(trip=trip, vehicle=van1, delegate=withdrawn))
        db.session.commit()
        return Tour(
            event.id, trip.id, van1.id, van2.id, road.id, ferry.id, organiser, head_user
        )

    return build


def _vehicle_url(t: Tour, suffix: str = "", vehicle_id=None) -> str:
    return (
        f"/events/{t.event_id}/manifests/trips/{t.trip_id}/vehicles/"
        f"{vehicle_id or t.van1_id}{suffix}"
    )


def _leg_url(t: Tour, suffix: str = "", leg_id=None) -> str:
    return f"/events/{t.event_id}/manifests/legs/{leg_id or t.ferry_id}{suffix}"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# Ages ----------------------------------------------------------------------------------


def test_age_counts_the_birthday_itself():
    """The day before a birthday one is still the younger age; on it, the older."""
    assert age_on(date(1990, 5, 8), date(2024, 5, 7)) == 33
    assert age_on(date(1990, 5, 7), date(2024, 5, 7)) == 34
    assert age_on(date(2000, 2, 29), date(2024, 2, 28)) == 23


def test_nik_year_of_birth():
    """Digits 11–12 of a NIK give the year; women's day is +40; junk gives None."""
    assert nik_birth_year("1901015203850002", date(2024, 5, 7)) == 1985
    assert nik_birth_year("1901010101100002", date(2024, 5, 7)) == 2010
    assert nik_birth_year("19010101011", date(2024, 5, 7)) is None
    assert nik_birth_year("1901019913850002", date(2024, 5, 7)) is None


# The driver's copy ---------------------------------------------------------------------


def test_vehicle_page_shows_vehicle_legs_and_passengers(client, login, tour):
    """Vehicle, driver, legs with times in the place's zone, passengers with head phone."""
    t = tour()
    login(t.organiser)
    html = client.get(_vehicle_url(t)).get_data(as_text=True)
    for text in (
        "Travel 1",
        "BN 1234 AB",
        "Pak Joko Sopir",
        "+62 812-9990-0001",
        "CV Bangka Trans",
        "Pelabuhan Tanjung Kalian (Muntok)",
        "Selasa, 7 Mei 2024 · 05.00 WIB",
        "Ani Peserta",
        "Kabupaten Bangka",
        "+62 812-3450-0001",
        "KMP Menumbing Raya",
    ):
        assert text in html, text
    assert "Dedi Mundur" not in html  # withdrawn
    assert "Pak Budi" not in html


def test_head_phone_falls_back_to_the_head_delegate(
    client, login, tour, make_person, make_delegate
):
    """Without a head account's phone, the delegate with role head gives it."""
    t = tour()
    with client.application.app_context():
        event = db.session.get(Event, t.event_id)
        delegation = event.delegations[0]
        delegation.head_user_id = None
        db.session.commit()
        make_delegate(
            delegation,
            person=make_person(full_name="Ketua Lapangan", phone="+6281377700002"),
            role=DelegateRole.HEAD,
            status=DelegateStatus.CONFIRMED,
        )
    login(t.organiser)
    html = client.get(_vehicle_url(t)).get_data(as_text=True)
    assert "+62 813-7770-0002" in html
    assert "+62 812-3450-0001" not in html


def test_vehicle_pdf(client, login, tour):
    """The PDF names the vehicle, plate, driver, passengers, signature and page numbers."""
    t = tour()
    login(t.organiser)
    response = client.get(_vehicle_url(t, ".pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    for expected in (
        "MANIFES PENUMPANG KENDARAAN",
        "BN 1234 AB",
        "Pak Joko Sopir",
        "Ani Peserta",
        "Bambang Peserta",
        "Koordinator rombongan",
        "Halaman 1 dari 1",
        "05.00 WIB",
    ):
        assert expected in text, expected
    assert "Dedi Mundur" not in text


def test_vehicle_pdf_repeats_headings_over_pages(client, login, tour):
    """A long passenger list breaks pages; each repeats the column headings."""
    t = tour(passengers=70)
    login(t.organiser)
    reader = PdfReader(io.BytesIO(client.get(_vehicle_url(t, ".pdf")).data))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        if "Peserta Tambahan" in text:
            assert "Telepon ketua delegasi" in text
        assert f"dari {len(reader.pages)}" in text


def test_vehicle_xlsx(client, login, tour):
    """The XLSX lists the passengers with seat and head phone; the route on a sheet."""
    t = tour()
    login(t.organiser)
    response = client.get(_vehicle_url(t, ".xlsx"))
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    wb = load_workbook(io.BytesIO(response.data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Kursi", "Nama")
    assert rows[1][1:4] == (1, "Ani Peserta", "P")
    assert rows[1][5] == "+62 812-3450-0001"
    assert wb.worksheets[0].freeze_panes == "A2"
    route = list(wb.worksheets[1].iter_rows(values_only=True))
    assert route[2][4] == "Selasa, 7 Mei 2024 · 05.00 WIB"
    assert route[2][7] == "KMP Menumbing Raya"


def test_trip_pdf_has_every_vehicle(client, login, tour):
    """All vehicles of the trip in one PDF, each with its own passengers."""
    t = tour()
    login(t.organiser)
    response = client.get(
        f"/events/{t.event_id}/manifests/trips/{t.trip_id}/vehicles.pdf"
    )
    assert response.status_code == 200
    text = _pdf_text(response.data)
    assert "BN 1234 AB" in text and "BN 5678 CD" in text
    assert "Pak Budi" in text
    assert "Belum ada penumpang." in text
    assert text.count("Koordinator rombongan") == 2


def test_index_lists_vehicles_and_ferry_legs(client, login, tour):
    """The index links each vehicle's copy and, for organisers, the ferry manifest."""
    t = tour()
    login(t.organiser)
    html = client.get(f"/events/{t.event_id}/manifests/").get_data(as_text=True)
    assert _vehicle_url(t) in html
    assert _leg_url(t) in html
    overview = client.get(f"/events/{t.event_id}").get_data(as_text=True)
    assert f"/events/{t.event_id}/manifests/" in overview


# The ferry manifest --------------------------------------------------------------------


def test_ferry_page_ages_drivers_and_totals(client, login, tour):
    """Ages at departure, year of birth from the NIK, drivers as crew, totals."""
    t = tour()
    login(t.organiser)
    response = client.get(_leg_url(t))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Pak Joko Sopir" in html and "Pak Budi" in html
    assert html.count("Pengemudi</span>") == 2
    assert "1901014805900001" in html
    assert "l. 1985" in html
    assert "Dedi Mundur" not in html
    assert "5 orang (L 1, P 2, tidak diketahui 2) · 2 kendaraan" in html


def test_ferry_pdf(client, login, tour):
    """The PDF: crossing, vessel, booking, names, NIKs, plates, ages, totals, pages."""
    t = tour()
    login(t.organiser)
    response = client.get(_leg_url(t, ".pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "no-store" in response.headers["Cache-Control"]
    text = _pdf_text(response.data)
    for expected in (
        "Pelabuhan Tanjung Kalian (Muntok)",
        "Pelabuhan Tanjung Api-Api",
        "KMP Menumbing Raya",
        "ASDP-7788",
        "Selasa, 7 Mei 2024 · 05.00 WIB",
        "Ani Peserta",
        "1901014805900001",
        "BN 5678 CD",
        "Pengemudi",
        "5 orang (L 1, P 2, tidak diketahui 2) · 2 kendaraan",
        "Halaman 1 dari 1",
    ):
        assert expected in text, expected


def test_ferry_xlsx_ages(client, login, tour):
    """Ages counted on the departure date in the port's zone, NIKs kept as text."""
    t = tour()
    login(t.organiser)
    response = client.get(_leg_url(t, ".xlsx"))
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.data))
        .worksheets[0]
        .iter_rows(values_only=True)
    )
    by_name = {r[3]: r for r in rows[1:] if r[3]}
    assert by_name["Ani Peserta"][5] == 33
    assert by_name["Ani Peserta"][7] == "1901014805900001"
    assert by_name["Bambang Peserta"][5] == 34
    assert by_name["Citra Peserta"][5] is None
    assert by_name["Citra Peserta"][6] == 1985
    assert by_name["Pak Joko Sopir"][8] == "Pengemudi"
    assert by_name["Pak Budi"][2] == "BN 5678 CD"
    totals = {r[1]: r[2] for r in rows if r[0] is None}
    assert totals["Jumlah orang"] == 5
    assert totals["Jumlah kendaraan"] == 2


def test_non_ferry_leg_is_404(client, login, tour):
    """A road leg has no ferry manifest."""
    t = tour()
    login(t.organiser)
    for suffix in ("", ".pdf", ".xlsx"):
        assert client.get(_leg_url(t, suffix, leg_id=t.road_id)).status_code == 404


# Ids of another event ------------------------------------------------------------------


def test_ids_of_another_event_are_404(
    client, login, tour, make_vehicle, make_trip, make_leg
):
    """A vehicle, trip or leg of another event in the URL: 404, even for an admin."""
    t = tour()
    other = tour(niks=False)
    login(t.organiser)
    assert client.get(_vehicle_url(t, vehicle_id=other.van1_id)).status_code == 404
    assert (
        client.get(
            f"/events/{t.event_id}/manifests/trips/{other.trip_id}/vehicles/{t.van1_id}"
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/events/{t.event_id}/manifests/trips/{other.trip_id}/vehicles.pdf"
        ).status_code
        == 404
    )
    assert client.get(_leg_url(t, leg_id=other.ferry_id)).status_code == 404
    assert client.get(_leg_url(t, ".pdf", leg_id=other.ferry_id)).status_code == 404
    huge = 2**70
    assert client.get(_vehicle_url(t, vehicle_id=huge)).status_code == 404
    assert client.get(_leg_url(t, leg_id=huge)).status_code == 404


# Permissions ---------------------------------------------------------------------------


def test_chapter_head_sees_the_vehicle_but_never_the_ferry_manifest(
    client, login, tour
):
    """A head of a delegation of the event: vehicle copy yes, ferry manifest 403."""
    t = tour()
    login(t.head_user)
    assert client.get(_vehicle_url(t)).status_code == 200
    assert client.get(_vehicle_url(t, ".pdf")).status_code == 200
    index = client.get(f"/events/{t.event_id}/manifests/").get_data(as_text=True)
    assert _leg_url(t) not in index
    for suffix in ("", ".pdf", ".xlsx"):
        assert client.get(_leg_url(t, suffix)).status_code == 403


def test_participant_and_other_chapter_head_are_refused(client, login, tour, make_user):
    """A participant or a head of another region: 403 everywhere; anonymous: sign in."""
    t = tour()
    assert client.get(_vehicle_url(t)).status_code == 302
    participant = make_user("participant")
    stranger = make_user("chapter_head", regions=("19.02",))
    for user in (participant, stranger):
        client.post("/auth/logout")
        login(user)
        assert client.get(f"/events/{t.event_id}/manifests/").status_code == 403
        assert client.get(_vehicle_url(t)).status_code == 403
        assert client.get(_vehicle_url(t, ".xlsx")).status_code == 403
        assert client.get(_leg_url(t, ".pdf")).status_code == 403


def test_draft_event_hides_manifests_from_chapter_heads(client, login, tour):
    """Before the event is published only organisers see its manifests."""
    from planner.models import EventStatus

    t = tour()
    with client.application.app_context():
        db.session.get(Event, t.event_id).status = EventStatus.DRAFT
        db.session.commit()
    login(t.head_user)
    assert client.get(_vehicle_url(t)).status_code == 403


# Query counts --------------------------------------------------------------------------


PATHS = [
    lambda t: _vehicle_url(t),
    lambda t: _vehicle_url(t, ".pdf"),
    lambda t: _vehicle_url(t, ".xlsx"),
    lambda t: f"/events/{t.event_id}/manifests/trips/{t.trip_id}/vehicles.pdf",
    lambda t: f"/events/{t.event_id}/manifests/",
    lambda t: _leg_url(t),
    lambda t: _leg_url(t, ".pdf"),
    lambda t: _leg_url(t, ".xlsx"),
]


def test_query_count_does_not_grow(client, login, tour, count_queries):
    """5 or 40 passengers: the same number of statements on every manifest URL."""
    counts: dict[int, list[int]] = {}
    for n in (5, 40):
        t = tour(passengers=n, niks=n == 5)
        login(t.organiser)
        for i, path in enumerate(PATHS):
            url = path(t)
            client.get(url)  # warm caches (babel, templates)
            with count_queries() as q:
                assert client.get(url).status_code == 200, url
            counts.setdefault(i, []).append(len(q))
        client.post("/auth/logout")
    assert all(a == b for a, b in counts.values()), counts
    assert max(max(c) for c in counts.values()) <= 12, counts


# Nobody left out ------------------------------------------------------------------------


def _confirm_late(t: Tour, make_delegation, make_delegate, make_person) -> list[str]:
    """Six delegates confirmed after the seats were handed out: four of Bangka (one
    without sex, birth date or NIK) and two of a second delegation."""
    event = db.session.get(Event, t.event_id)
    bangka = next(d for d in event.delegations if d.quota == 200)
    belitung = make_delegation(event, region=region("19.02"), quota=10)
    names = []
    for n in range(6):
        name = f"Terlambat Konfirmasi {n}"
        person = make_person(
            full_name=name,
            sex=None if n == 0 else Sex.MALE,
            birth_on=None if n == 0 else date(1980, 1, 1 + n),
            nik=None if n == 0 else f"19010{n}0101800009",
        )
        make_delegate(
            bangka if n < 4 else belitung,
            person=person,
            status=DelegateStatus.CONFIRMED,
        )
        names.append(name)
    return names


def test_ferry_manifest_lists_every_confirmed_traveller(
    client, login, tour, make_delegation, make_delegate, make_person
):
    """Confirmed after seating: the ferry manifest's page, PDF and XLSX list them under
    "Belum mendapat kursi" with a warning, and mark the row that lacks NIK, sex, age."""
    t = tour(passengers=3)
    late = _confirm_late(t, make_delegation, make_delegate, make_person)
    login(t.organiser)
    seated = ["Ani Peserta", "Bambang Peserta", "Citra Peserta"]

    html = client.get(_leg_url(t)).get_data(as_text=True)
    assert 'id="unseated-warning"' in html and 'id="incomplete-warning"' in html
    section = html.split('id="unseated"', 1)[1]
    assert all(name in section for name in late)

    text = _pdf_text(client.get(_leg_url(t, ".pdf")).data)
    assert "PERHATIAN: 6 peserta terkonfirmasi belum mendapat kursi" in text
    assert "Belum mendapat kursi — 6 orang" in text
    for name in seated + late:
        assert text.count(name) == 1, name
    assert "Dedi Mundur" not in text  # withdrawn
    flat = " ".join(text.split())
    assert "kurang: L/P, umur, NIK" in flat
    assert "Jumlah: 11 orang" in flat  # 9 travellers and 2 drivers, all aboard

    wb = load_workbook(io.BytesIO(client.get(_leg_url(t, ".xlsx")).data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    listed = [r[3] for r in rows[1:] if r[3] and r[8].startswith("Penumpang")]
    assert sorted(listed) == sorted(seated + late)
    assert {r[1] for r in rows if r[3] in late} == {"Belum mendapat kursi"}


def test_driver_manifest_shows_the_unseated_and_seating_them_clears_it(
    client, login, tour, make_delegation, make_delegate, make_person
):
    """The driver's copy warns about travellers without a seat until the automatic
    seating has placed them."""
    t = tour(passengers=3)
    late = _confirm_late(t, make_delegation, make_delegate, make_person)
    login(t.organiser)
    text = _pdf_text(client.get(_vehicle_url(t, ".pdf")).data)
    assert "Belum mendapat kursi — 6 orang" in text
    assert all(text.count(name) == 1 for name in late)
    wb = load_workbook(io.BytesIO(client.get(_vehicle_url(t, ".xlsx")).data))
    names = [r[2] for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert all(name in names for name in late)

    response = client.post(
        f"/events/{t.event_id}/transport/trips/{t.trip_id}/seats/auto",
        data={"vehicle_ids": [str(t.van1_id), str(t.van2_id)]},
    )
    assert response.status_code == 302
    db.session.expire_all()
    seated = db.session.scalars(db.select(SeatAssignment.delegate_id)).all()
    assert len(seated) == 9  # the 3 seated before and the 6 confirmed late
    html = client.get(_leg_url(t)).get_data(as_text=True)
    assert 'id="unseated-warning"' not in html
    text = _pdf_text(client.get(_leg_url(t, ".pdf")).data)
    assert "Belum mendapat kursi" not in text
    assert all(text.count(name) == 1 for name in late)


def test_overview_counts_the_unseated_and_seats_them_in_one_click(
    client, login, tour, make_delegation, make_delegate, make_person
):
    """The overview's to-do list counts the confirmed travellers without a seat and those
    whose manifest line is incomplete; its button seats the unseated without moving
    anyone already seated (numbers already printed stay true)."""
    t = tour(passengers=3)
    late = _confirm_late(t, make_delegation, make_delegate, make_person)
    # Ani was moved by hand to the second van's seat 7, without pinning.
    ani = db.session.scalars(
        db.select(SeatAssignment)
        .join(Delegate, Delegate.id == SeatAssignment.delegate_id)
        .join(Person, Person.id == Delegate.person_id)
        .where(Person.full_name == "Ani Peserta")
    ).one()
    ani.vehicle_id, ani.seat_number = t.van2_id, 7
    assert not ani.is_pinned
    db.session.commit()
    before = set(
        db.session.execute(
            db.select(
                SeatAssignment.delegate_id,
                SeatAssignment.vehicle_id,
                SeatAssignment.seat_number,
            ).where(SeatAssignment.trip_id == t.trip_id)
        ).all()
    )
    login(t.organiser)

    html = client.get(f"/events/{t.event_id}").get_data(as_text=True)
    checklist = html.split('id="checklist"', 1)[1].split("</section>", 1)[0]
    assert "6 peserta terkonfirmasi belum mendapat kursi di Berangkat" in checklist
    # Bambang has no NIK for the ferry; the first latecomer has nothing at all.
    assert "Data 2 peserta belum lengkap untuk manifes" in checklist
    action = f"/events/{t.event_id}/transport/trips/{t.trip_id}/seats/auto"
    assert f'action="{action}"' in checklist
    assert 'name="keep_seats" value="y"' in checklist

    response = client.post(action, data={"keep_seats": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    after = set(
        db.session.execute(
            db.select(
                SeatAssignment.delegate_id,
                SeatAssignment.vehicle_id,
                SeatAssignment.seat_number,
            ).where(SeatAssignment.trip_id == t.trip_id)
        ).all()
    )
    assert before < after and len(after - before) == len(late)
    html = client.get(f"/events/{t.event_id}").get_data(as_text=True)
    assert "belum mendapat kursi di Berangkat" not in html
    text = _pdf_text(client.get(_leg_url(t, ".pdf")).data)
    assert "Belum mendapat kursi" not in text


def test_automatic_seating_without_keep_recomputes_unpinned_seats(client, login, tour):
    """Unticking "keep seats" redoes every automatic seat (the older behaviour)."""
    t = tour(passengers=3)
    seat = db.session.scalars(db.select(SeatAssignment).filter_by(seat_number=3)).one()
    seat.vehicle_id, seat.seat_number = t.van2_id, 7
    db.session.commit()
    login(t.organiser)
    # A browser posts the CSRF token and nothing for an unticked box (an empty form
    # would make Flask-WTF fall back to the defaults).
    client.post(
        f"/events/{t.event_id}/transport/trips/{t.trip_id}/seats/auto",
        data={"csrf_token": "not-checked-in-tests"},
    )
    db.session.expire_all()
    placed = db.session.execute(
        db.select(SeatAssignment.vehicle_id, SeatAssignment.seat_number).where(
            SeatAssignment.trip_id == t.trip_id
        )
    ).all()
    assert (t.van2_id, 7) not in placed


def test_a_replacement_takes_over_the_seat(client, login, tour, make_person):
    """Replacing a seated delegate hands the seat (vehicle and number) to the newcomer:
    the manifest lists the replacement where the replaced one sat."""
    from planner.services.delegations import substitute_delegate

    t = tour(passengers=3)
    bambang = db.session.scalars(
        db.select(Delegate)
        .join(Person, Person.id == Delegate.person_id)
        .where(Person.full_name == "Bambang Peserta")
    ).one()
    newcomer = make_person(full_name="Eko Pengganti", sex=Sex.MALE)
    replacement = substitute_delegate(bambang, person=newcomer)
    db.session.commit()
    seat = db.session.scalars(
        db.select(SeatAssignment).filter_by(delegate_id=replacement.id)
    ).one()
    assert (seat.vehicle_id, seat.seat_number) == (t.van1_id, 2)
    login(t.organiser)
    text = _pdf_text(client.get(_vehicle_url(t, ".pdf")).data)
    assert "Eko Pengganti" in text and "Bambang Peserta" not in text
    assert "Belum mendapat kursi" not in text
