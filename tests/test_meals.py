"""Meals counted from the run-down and the caterer's order sheet (issue 12, item 5)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaStatus,
    DelegateRole,
    DelegateStatus,
)
from planner.services.meals import meal_days
from tests.conftest import region


@pytest.fixture
def bimtek(make_event, make_delegation, make_delegate, make_user, login):
    """Two delegations (4 and 3 confirmed, 1 nominated), 2 committee, 1 speaker; a
    lunch for everyone, a break for one delegation, a committee dinner."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser])
    a = make_delegation(event, region=region("19.01"), quota=10)
    b = make_delegation(event, region=region("19.02"), quota=10)
    for delegation, n in ((a, 4), (b, 3)):
        for _ in range(n):
            make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    make_delegate(a, status=DelegateStatus.NOMINATED)
    for role in (DelegateRole.COMMITTEE, DelegateRole.COMMITTEE, DelegateRole.SPEAKER):
        make_delegate(b, status=DelegateStatus.CONFIRMED, role=role)
    day = datetime.combine(event.starts_on, datetime.min.time(), tzinfo=UTC)
    items = [
        ("Makan siang", AgendaKind.MEAL, AgendaAudience.EVERYONE, 5, []),
        ("Rehat kopi", AgendaKind.BREAK, AgendaAudience.DELEGATIONS, 8, [a]),
        ("Makan malam panitia", AgendaKind.MEAL, AgendaAudience.COMMITTEE, 11, []),
        ("Materi", AgendaKind.MATERIAL, AgendaAudience.EVERYONE, 2, []),
        ("Batal", AgendaKind.MEAL, AgendaAudience.EVERYONE, 30, []),
    ]
    for title, kind, audience, hours, delegations in items:
        item = AgendaItem(
            event=event,
            title=title,
            kind=kind,
            audience=audience,
            starts_at=day + timedelta(hours=hours),
            ends_at=day + timedelta(hours=hours + 1),
        )
        item.delegations = delegations
        if title == "Batal":
            item.status = AgendaStatus.CANCELLED
        db.session.add(item)
    db.session.commit()
    login(organiser)
    return event


def test_portions_follow_the_audience(bimtek):
    days = meal_days(bimtek)
    assert len(days) == 1
    portions = {m.title: m.portions for m in days[0].meals}
    # Everyone: 7 + 3; one delegation: 4 + committee and speaker; committee: 2.
    assert portions == {"Makan siang": 10, "Rehat kopi": 7, "Makan malam panitia": 2}
    assert days[0].portions == 19


def test_order_sheet_page_pdf_and_xlsx(client, bimtek, count_queries, make_delegate):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    base = f"/events/{bimtek.id}/meals"
    page = client.get(f"{base}/").get_data(as_text=True)
    assert "Makan siang" in page and "Materi" not in page and "Batal" not in page
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(client.get(f"{base}/order.pdf").data)).pages
    )
    assert "Makan siang" in text and "19" in text
    book = load_workbook(io.BytesIO(client.get(f"{base}/order.xlsx").data))
    rows = list(book.active.iter_rows(min_row=2, values_only=True))
    assert sorted(r[5] for r in rows) == [2, 7, 10]
    assert client.get(f"{base}/order.doc").status_code == 404

    def counts():
        result = []
        for url in (f"{base}/", f"{base}/order.pdf", f"{base}/order.xlsx"):
            with count_queries() as q:
                assert client.get(url).status_code == 200
            result.append(len(q))
        return result

    small = counts()
    delegation = bimtek.delegations[0]
    delegation.quota = 300
    for _ in range(200):
        make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    assert counts() == small
    assert meal_days(bimtek)[0].meals[0].portions == 210


def test_special_portions_follow_dietary_notes(bimtek):
    from planner.services.people import update_person

    people = [d.person for d in bimtek.delegations[0].delegates[:3]]
    for person, note in zip(
        people, ("Vegetarian", " vegetarian ", "diabetes"), strict=True
    ):
        update_person(person, data={"dietary_notes": note}, acting_user=None)
    db.session.commit()
    meals = {m.title: m for m in meal_days(bimtek)[0].meals}
    assert meals["Makan siang"].special == {"diabetes": 1, "vegetarian": 2}
    assert meals["Makan malam panitia"].special == {}


def test_a_dietary_note_imported_from_a_file_reaches_the_caterers_order(
    client, runner, bimtek, tmp_path
):
    """A list sent again with a dietary column: the confirmed delegate already in is
    skipped but gets the note; a newcomer's note counts once they are confirmed."""
    from openpyxl import Workbook, load_workbook

    from planner.models import Delegate, DelegateStatus
    from planner.services.delegations import confirm_delegate

    confirmed = next(
        d
        for d in bimtek.delegations[0].delegates
        if d.status == DelegateStatus.CONFIRMED
    )
    book = Workbook()
    for row in (
        ["Nama", "Kabupaten/Kota", "Catatan makanan"],
        [confirmed.person.full_name, "19.01", "Vegetarian"],
        ["Orang Baru", "19.01", " vegetarian "],
    ):
        book.active.append(row)
    path = tmp_path / "peserta.xlsx"
    book.save(path)
    result = runner.invoke(
        args=["delegations", "import", str(bimtek.id), str(path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    base = f"/events/{bimtek.id}/meals"

    def lunch_special() -> tuple[str, str]:
        page = client.get(f"{base}/").get_data(as_text=True)
        lunch = re.search(r"Makan siang.*?</tr>", page, re.S).group(0)
        sheet = load_workbook(io.BytesIO(client.get(f"{base}/order.xlsx").data))
        rows = sheet.active.iter_rows(min_row=2, values_only=True)
        return re.search(r'class="small special">([^<]*)<', lunch).group(1), next(
            r[6] for r in rows if r[2] == "Makan siang"
        )

    # The newcomer is only nominated: not counted yet.
    assert lunch_special() == ("vegetarian 1", "vegetarian 1")
    newcomer = db.session.scalar(
        db.select(Delegate).join(Delegate.person).filter_by(full_name="Orang Baru")
    )
    confirm_delegate(newcomer)
    db.session.commit()
    assert lunch_special() == ("vegetarian 2", "vegetarian 2")


def test_a_leg_with_a_packed_meal_is_ordered(bimtek, make_trip, make_leg):
    trip = make_trip(bimtek)
    leg = make_leg(trip, has_packed_meal=True)
    leg.delegations = [bimtek.delegations[1]]  # 3 confirmed + committee + speaker
    make_leg(trip)  # no meal on this one
    db.session.commit()
    packed = [m for d in meal_days(bimtek) for m in d.meals if m.is_packed]
    assert [(m.portions, m.place) for m in packed] == [(6, leg.from_place.name)]


def test_a_dietary_note_too_long_is_refused(bimtek):
    from planner.services import PlannerError
    from planner.services.people import update_person

    person = bimtek.delegations[0].delegates[0].person
    with pytest.raises(PlannerError) as info:
        update_person(person, data={"dietary_notes": "x" * 201}, acting_user=None)
    assert info.value.field == "dietary_notes"
