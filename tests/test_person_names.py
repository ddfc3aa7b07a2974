"""People as Indonesian offices write them: degree titles kept apart from the name used
for matching and printed "Drs. Ahmad Fauzi, S.Sos., M.PSSp." everywhere, and officials
known by position and institution only."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from planner.extensions import db
from planner.formatting import formal_name
from planner.models import (
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    Delegate,
    DelegateRole,
    DelegateStatus,
    LegMode,
    Person,
    Place,
    SeatAssignment,
)
from planner.services import PlannerError
from planner.services.imports import (
    check_import,
    guess_mapping,
    import_delegates,
    read_table,
)
from planner.services.people import (
    PossibleDuplicate,
    create_person,
    find_similar_people,
    split_titles,
    update_person,
)
from planner.services.plans import export_plan, import_plan, validate_plan
from planner.services.regions import load_regions
from tests.conftest import region

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "plan-example.json"
REHSOS = "Kepala Bidang Rehabilitasi Sosial"
DINSOS = "Dinas Sosial Provinsi Kepulauan Bangka Belitung"
OFFICE = f"{REHSOS}, {DINSOS}"


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _people_of(event_id: int) -> list[Person]:
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(Delegate, Delegate.person_id == Person.id)
            .where(Delegate.event_id == event_id)
            .order_by(Delegate.id)
        )
    )


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Person.id)))


# The formal name -----------------------------------------------------------------------

NAMES = [
    (("Ahmad Fauzi", None, None), "Ahmad Fauzi"),
    (("Ahmad Fauzi", "Drs.", None), "Drs. Ahmad Fauzi"),
    (("Ahmad Fauzi", None, "S.Sos., M.PSSp."), "Ahmad Fauzi, S.Sos., M.PSSp."),
    (("Ahmad Fauzi", "Drs.", "S.Sos., M.PSSp."), "Drs. Ahmad Fauzi, S.Sos., M.PSSp."),
    (("Isminatun", "Dr. H.", "M.Si."), "Dr. H. Isminatun, M.Si."),
]


@pytest.mark.parametrize(("parts", "expected"), NAMES)
def test_formal_name_puts_titles_before_and_after(parts, expected):
    assert formal_name(*parts) == expected


def test_formal_name_of_an_office_holder_is_position_and_institution():
    assert formal_name("", None, None, REHSOS, DINSOS) == OFFICE
    assert formal_name("  ", None, None, REHSOS, DINSOS) == OFFICE
    # A named person keeps their name; their office is printed in its own column.
    assert formal_name("Ahmad", None, None, REHSOS, DINSOS) == "Ahmad"


def test_sql_formal_name_agrees_with_python(make_person):
    people = [
        make_person(full_name=n, title_before=b, title_after=a, position=REHSOS)
        for (n, b, a), _ in NAMES
    ]
    people.append(make_person(full_name="", position=REHSOS, institution=DINSOS))
    ids = [p.id for p in people]
    db.session.expire_all()
    from_sql = dict(
        db.session.execute(
            sa.select(Person.id, Person.formal_name).where(Person.id.in_(ids))
        ).all()
    )
    for person in db.session.scalars(sa.select(Person).where(Person.id.in_(ids))):
        assert from_sql[person.id] == person.formal_name
    assert [from_sql[i] for i in ids] == [e for _, e in NAMES] + [OFFICE]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Drs. H. Ahmad Fauzi, S.Sos., M.PSSp.", ("Drs. H.", "Ahmad Fauzi", "S.Sos., M.PSSp.")),
        ("Dwi Ambar Pratiknyo, S.Sos., MPSSp", (None, "Dwi Ambar Pratiknyo", "S.Sos., MPSSp")),
        ("dr. Rina Wati, Sp.A", ("dr.", "Rina Wati", "Sp.A")),
        ("Isminatun", (None, "Isminatun", None)),
        ("M. Yusuf", (None, "M. Yusuf", None)),  # an initial, not a title
        ("Budi, Jakarta", (None, "Budi, Jakarta", None)),  # a place, not a title
        ("  Siti   Aminah ,  S.Pd.  ", (None, "Siti Aminah", "S.Pd.")),
        ("Dr.", (None, "Dr.", None)),  # never an empty name
    ],
)  # fmt: skip
def test_split_titles_takes_only_obvious_titles(typed, expected):
    assert split_titles(typed) == expected


# Saving --------------------------------------------------------------------------------


def test_service_stores_titles_apart_and_matches_on_the_name(app_ctx, make_user):
    organiser = make_user("organiser")
    person = create_person(
        data={
            "full_name": " Ahmad  Fauzi ",
            "title_before": " Drs. ",
            "title_after": ", S.Sos., M.PSSp. ",
            "region_id": region("19.71").id,
        },
        acting_user=organiser,
    )
    assert (person.title_before, person.full_name, person.title_after) == (
        "Drs.",
        "Ahmad Fauzi",
        "S.Sos., M.PSSp.",
    )
    assert person.formal_name == "Drs. Ahmad Fauzi, S.Sos., M.PSSp."
    # The same name without titles is still taken for the same person.
    with pytest.raises(PossibleDuplicate) as caught:
        create_person(
            data={"full_name": "ahmad fauzi", "region_id": region("19.71").id},
            acting_user=organiser,
        )
    assert caught.value.people == [person]
    with pytest.raises(PlannerError) as caught:
        update_person(person, data={"title_after": "S" * 61}, acting_user=organiser)
    assert caught.value.field == "title_after"


def test_person_form_saves_titles_and_shows_the_formal_name(client, login, make_user):
    login(make_user("organiser"))
    response = client.post(
        "/people/new",
        data={
            "title_before": "Drs.",
            "full_name": "Ahmad Fauzi",
            "title_after": "S.Sos., M.PSSp.",
            "region_id": str(region("19.71").id),
            "pillar": "official",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    person = db.session.scalars(sa.select(Person)).one()
    assert person.full_name == "Ahmad Fauzi"
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Drs. Ahmad Fauzi, S.Sos., M.PSSp." in html
    edit = client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert 'name="title_before"' in edit and 'value="S.Sos., M.PSSp."' in edit


def test_titles_longer_than_sixty_are_refused(client, login, make_user):
    login(make_user("organiser"))
    response = client.post(
        "/people/new",
        data={
            "full_name": "Ahmad",
            "title_after": "M." * 31,
            "region_id": str(region("19.71").id),
            "pillar": "psm",
        },
    )
    assert response.status_code == 200
    assert "Gelar paling panjang 60 huruf." in response.get_data(as_text=True)
    assert _count() == 0


def test_office_holder_without_a_name_is_created_by_the_form(client, login, make_user):
    login(make_user("organiser"))
    response = client.post(
        "/people/new",
        data={
            "full_name": "  ",
            "position": REHSOS,
            "institution": DINSOS,
            "region_id": str(region("19.71").id),
            "pillar": "official",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    person = db.session.scalars(sa.select(Person)).one()
    assert person.full_name == "" and person.is_office_holder
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert f'<h1 class="h3 mb-0 text-break">{OFFICE}</h1>' in html
    assert "namanya belum diketahui" in html
    listing = client.get("/people/?q=rehabilitasi").get_data(as_text=True)
    assert OFFICE in listing


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": ""},
        {"full_name": "", "position": REHSOS},
        {"full_name": "", "institution": DINSOS},
    ],
)
def test_neither_name_nor_office_is_refused_in_indonesian(
    client, login, make_user, data
):
    login(make_user("organiser"))
    response = client.post(
        "/people/new",
        data={**data, "region_id": str(region("19.71").id), "pillar": "psm"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Nama lengkap wajib diisi." in html
    assert "isi jabatan dan instansinya" in html
    assert "invalid-feedback" in html
    assert f'value="{data.get("position", "")}"' in html or "position" not in data
    assert _count() == 0


def test_service_refuses_titles_without_a_name(app_ctx, make_user):
    with pytest.raises(PlannerError) as caught:
        create_person(
            data={
                "full_name": "",
                "title_before": "Drs.",
                "position": REHSOS,
                "institution": DINSOS,
                "region_id": region("19.71").id,
            },
            acting_user=make_user("organiser"),
        )
    assert caught.value.field == "title_before"
    assert _count() == 0


def test_clearing_the_office_of_an_unnamed_official_is_refused(
    app_ctx, make_user, make_person
):
    person = make_person(full_name="", position=REHSOS, institution=DINSOS)
    with pytest.raises(PlannerError) as caught:
        update_person(person, data={"position": ""}, acting_user=make_user("admin"))
    assert caught.value.field == "full_name"


def test_the_database_refuses_neither_name_nor_office(app_ctx):
    for values in (
        {"full_name": ""},
        {"full_name": "  ", "position": REHSOS},
        {"full_name": "", "position": " ", "institution": DINSOS},
    ):
        db.session.add(Person(**values))
        with pytest.raises(sa.exc.IntegrityError, match="name_or_office"):
            db.session.flush()
        db.session.rollback()
    db.session.add(Person(full_name="", position=REHSOS, institution=DINSOS))
    db.session.flush()


# Duplicates ----------------------------------------------------------------------------


def test_office_holders_are_not_duplicates_of_each_other(app_ctx, make_user):
    organiser = make_user("organiser")

    def office(position, institution=DINSOS, **kw):
        return create_person(
            data={
                "full_name": "",
                "position": position,
                "institution": institution,
                "region_id": region("19.71").id,
                **kw,
            },
            acting_user=organiser,
        )

    first = office(REHSOS)
    office("Kepala UPT PTKS")
    office(REHSOS, institution="Dinas Sosial Kota Pangkal Pinang")
    with pytest.raises(PossibleDuplicate) as caught:
        office(REHSOS.upper())
    assert caught.value.people == [first]
    assert office(REHSOS, confirm_duplicate=True).id != first.id
    # Named people of the region are no duplicates of the officials, nor they of them.
    named = create_person(
        data={"full_name": "Budi", "region_id": region("19.71").id},
        acting_user=organiser,
    )
    assert find_similar_people("", region("19.71").id, None) == []
    assert find_similar_people("Budi", region("19.71").id, None) == [named]
    # Whoever is later recorded with that office by name is shown the unnamed record.
    with pytest.raises(PossibleDuplicate) as caught:
        create_person(
            data={
                "full_name": "Ahmad",
                "position": "Kepala UPT PTKS",
                "institution": DINSOS,
                "region_id": region("19.71").id,
            },
            acting_user=organiser,
        )
    assert [p.position for p in caught.value.people] == ["Kepala UPT PTKS"]


def test_named_duplicates_are_found_as_before(app_ctx, make_person):
    same = make_person(full_name="Budi Santoso", region=region("19.01"))
    make_person(full_name="Budi Santoso", region=region("19.71"))
    phone = make_person(full_name="Lain", phone="+6281234567890")
    assert find_similar_people("budi santoso", region("19.01").id, None) == [same]
    assert find_similar_people("X", None, "+6281234567890") == [phone]


# Prints --------------------------------------------------------------------------------


@pytest.fixture
def titled_event(
    make_user,
    make_event,
    make_delegation,
    make_delegate,
    make_person,
    make_vehicle,
    make_trip,
    make_leg,
):
    """A confirmed titled delegate and a confirmed unnamed official (a guest), seated
    in a van that crosses on a ferry."""
    load_regions()
    db.session.commit()
    organiser = make_user("organiser")
    event = make_event(
        organisers=[organiser], starts_on=date(2024, 5, 7), ends_on=date(2024, 5, 8)
    )
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    titled = make_delegate(
        bangka,
        person=make_person(
            full_name="Ahmad Fauzi",
            title_before="Drs.",
            title_after="S.Sos.",
            position="Ketua IPSM",
            region=region("19.01"),
        ),
        status=DelegateStatus.CONFIRMED,
    )
    official = make_delegate(
        bangka,
        person=make_person(full_name="", position="Kabid Rehsos", institution="Dinsos"),
        status=DelegateStatus.CONFIRMED,
        role=DelegateRole.GUEST,
    )
    van = make_vehicle(event, label="Travel 1", plate="BN 1 AB")
    trip = make_trip(event, name="Berangkat")
    ports = {
        p.code: p
        for p in db.session.scalars(
            sa.select(Place).where(
                Place.code.in_(["port:tanjung-kalian", "port:tanjung-api-api"])
            )
        )
    }
    ferry = make_leg(
        trip,
        mode=LegMode.FERRY,
        from_place=ports["port:tanjung-kalian"],
        to_place=ports["port:tanjung-api-api"],
        departs_at=datetime(2024, 5, 6, 22, 0, tzinfo=UTC),
        arrives_at=datetime(2024, 5, 7, 2, 0, tzinfo=UTC),
    )
    ferry.vehicles = [van]
    for n, delegate in enumerate((titled, official), start=1):
        db.session.add(
            SeatAssignment(trip=trip, vehicle=van, delegate=delegate, seat_number=n)
        )
    db.session.commit()
    return {
        "event": event.id,
        "organiser": organiser,
        "titled": titled.id,
        "official": official.id,
        "trip": trip.id,
        "van": van.id,
        "ferry": ferry.id,
    }


TITLED = "Drs. Ahmad Fauzi, S.Sos."
UNNAMED = "Kabid Rehsos, Dinsos"


def test_rosters_print_the_formal_name(client, login, titled_event):
    t = titled_event
    login(t["organiser"])
    base = f"/events/{t['event']}/rosters"
    page = client.get(f"{base}/").get_data(as_text=True)
    assert TITLED in page and UNNAMED in page
    csv_text = client.get(f"{base}/export.csv").get_data().decode("utf-8-sig")
    assert TITLED in csv_text and UNNAMED in csv_text
    xlsx = _xlsx_text(client.get(f"{base}/export.xlsx").data)
    assert TITLED in xlsx and UNNAMED in xlsx
    assert "Ketua IPSM" in xlsx  # the position column, as before
    pdf = _pdf_text(client.get(f"{base}/export.pdf").data)
    assert TITLED in pdf and UNNAMED in pdf
    attendance = _pdf_text(client.get(f"{base}/attendance/2024-05-07.pdf").data)
    assert TITLED in attendance and UNNAMED in attendance


def test_cards_and_check_in_print_the_formal_name(client, login, titled_event):
    t = titled_event
    login(t["organiser"])
    base = f"/events/{t['event']}/check-in"
    card = client.get(f"{base}/{t['titled']}/card").get_data(as_text=True)
    assert f'<div class="delegate-card-name">{TITLED}</div>' in card
    assert "Ketua IPSM" in card  # the position, under the name
    card = client.get(f"{base}/{t['official']}/card").get_data(as_text=True)
    assert f'<div class="delegate-card-name">{UNNAMED}</div>' in card
    sheet = client.get(f"{base}/cards").get_data(as_text=True)
    assert TITLED in sheet and UNNAMED in sheet
    found = client.get(f"{base}/?q=ahmad").get_data(as_text=True)
    assert TITLED in found


def test_manifests_print_the_formal_name(client, login, titled_event):
    t = titled_event
    login(t["organiser"])
    vehicle = f"/events/{t['event']}/manifests/trips/{t['trip']}/vehicles/{t['van']}"
    leg = f"/events/{t['event']}/manifests/legs/{t['ferry']}"
    for url in (vehicle, leg):
        html = client.get(url).get_data(as_text=True)
        assert TITLED in html and UNNAMED in html, url
        pdf = _pdf_text(client.get(f"{url}.pdf").data)
        assert TITLED in pdf and UNNAMED in pdf, url
        xlsx = _xlsx_text(client.get(f"{url}.xlsx").data)
        assert TITLED in xlsx and UNNAMED in xlsx, url


def test_run_down_prints_speakers_by_formal_name_and_office(
    client, login, titled_event
):
    t = titled_event
    login(t["organiser"])
    people = {
        k: db.session.get(Delegate, t[k]).person_id for k in ("titled", "official")
    }
    item = AgendaItem(
        event_id=t["event"],
        kind=AgendaKind.SPEECH,
        title="Sambutan",
        starts_at=datetime(2024, 5, 7, 2, 0, tzinfo=UTC),
        ends_at=datetime(2024, 5, 7, 3, 0, tzinfo=UTC),
        speakers=[
            AgendaSpeaker(person_id=people["titled"], position=0),
            AgendaSpeaker(person_id=people["official"], position=1),
        ],
    )
    db.session.add(item)
    db.session.commit()
    html = client.get(f"/events/{t['event']}/agenda/").get_data(as_text=True)
    assert (
        f'<span class="fw-semibold">{TITLED}</span> <span class="text-muted">(Ketua IPSM)'
        in html
    )
    # The office is the name: not repeated in brackets after it.
    assert f'<span class="fw-semibold">{UNNAMED}</span>' in html
    assert f"({UNNAMED})" not in html
    form = client.get(f"/events/{t['event']}/agenda/{item.id}/edit").get_data(
        as_text=True
    )
    assert f">{UNNAMED}</option>" in form and f">{TITLED} — Ketua IPSM</option>" in form


# Plan files ----------------------------------------------------------------------------


def test_plan_files_carry_titles_and_office_holders(
    app_ctx, make_event, make_delegation, make_delegate, make_person
):
    event = make_event()
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    make_delegate(
        bangka,
        person=make_person(
            full_name="Ahmad Fauzi",
            title_before="Drs.",
            title_after="S.Sos.",
            region=region("19.01"),
        ),
    )
    official = make_person(full_name="", position=REHSOS, institution=DINSOS)
    make_delegate(bangka, person=official, role=DelegateRole.GUEST)
    doc = export_plan(event)
    people = {p["full_name"]: p for p in doc["people"]}
    assert people["Ahmad Fauzi"]["title_before"] == "Drs."
    assert people["Ahmad Fauzi"]["title_after"] == "S.Sos."
    assert people[""]["position"] == REHSOS and people[""]["key"]
    assert validate_plan(doc, slug="salinan") == []
    before = _count()
    copy = import_plan(json.loads(json.dumps(doc)), slug="salinan").event
    db.session.commit()
    # Both matched, the official by office, not created again.
    assert _count() == before
    assert official in _people_of(copy.id)


def test_plan_office_holders_match_by_office_not_by_empty_name(app_ctx, make_person):
    kepala_upt = make_person(full_name="", position="Kepala UPT", institution=DINSOS)
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["people"].append(
        {
            "key": "kabid-rehsos",
            "full_name": "",
            "position": REHSOS,
            "institution": DINSOS,
        }
    )
    assert validate_plan(doc) == []
    import_plan(doc, slug="dengan-kabid")
    db.session.commit()
    officials = db.session.scalars(
        sa.select(Person).where(Person.full_name == "")
    ).all()
    assert sorted(p.position for p in officials) == sorted(["Kepala UPT", REHSOS])
    assert kepala_upt in officials


def test_version_1_plan_without_titles_imports(app_ctx):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert all("title_before" not in p for p in doc["people"])
    assert validate_plan(doc) == []
    event = import_plan(doc).event
    db.session.commit()
    people = _people_of(event.id)
    assert people and all(p.title_before is None for p in people)


@pytest.mark.parametrize(
    ("entry", "path"),
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": " ", "position": REHSOS}, "full_name"),
        (
            {"full_name": "", "position": REHSOS, "institution": DINSOS, "title_after": "M.Si."},
            "title_before",
        ),
        ({"full_name": "Ahmad", "title_before": "D" * 61}, "title_before"),
    ],
)  # fmt: skip
def test_plan_people_need_a_name_or_an_office(app_ctx, entry, path):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["people"].append({"key": "x", **entry})
    problems = validate_plan(doc)
    assert [p.path for p in problems] == [f"$.people[{len(doc['people']) - 1}].{path}"]


# Imports -------------------------------------------------------------------------------


def test_import_splits_titles_off_and_matches_the_plain_name(
    app_ctx, make_event, make_delegation, make_person, make_user
):
    event = make_event()
    make_delegation(event, region=region("19.01"), quota=10)
    known = make_person(full_name="Ahmad Fauzi", region=region("19.01"))
    text = (
        "Nama,Kabupaten/Kota\n"
        '"Drs. Ahmad Fauzi, S.Sos., M.PSSp.",Kabupaten Bangka\n'
        '"Hj. Siti Aminah, S.Pd.",Kabupaten Bangka\n'
    )
    table = read_table(text.encode(), "peserta.csv")
    mapping = guess_mapping(table.headings)
    plan = check_import(event, table=table, mapping=mapping)
    assert [r.errors for r in plan.rows] == [[], []]
    assert [r.action for r in plan.rows] == ["matched", "new"]
    import_delegates(event, table=table, mapping=mapping, by=make_user("organiser"))
    db.session.commit()
    people = {p.full_name: p for p in _people_of(event.id)}
    assert people["Ahmad Fauzi"].id == known.id
    assert people["Ahmad Fauzi"].title_before == "Drs."
    assert people["Ahmad Fauzi"].title_after == "S.Sos., M.PSSp."
    assert people["Siti Aminah"].formal_name == "Hj. Siti Aminah, S.Pd."
