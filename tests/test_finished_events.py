"""Events close themselves: after the last day (in the event's own zone) only organisers
and admins change delegations, and what they change is in the history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from planner.extensions import db
from planner.models import AuditEntry, Delegate, DelegateChange, DelegateStatus
from planner.permissions import can_edit_delegates
from planner.services.events import (
    check_in_is_early,
    days_until_start,
    event_is_over,
    today,
)
from tests.conftest import region


@pytest.fixture
def finished(make_user, make_event, make_delegation, make_delegate, make_person):
    """An event (still "open", no deadline) whose last day was yesterday, its organiser,
    the chapter head of 19.01, a nominee, and a person the head could still add."""
    organiser = make_user("organiser", display_name="Bu Panitia")
    yesterday = today() - timedelta(days=1)
    event = make_event(
        organisers=[organiser],
        starts_on=yesterday - timedelta(days=1),
        ends_on=yesterday,
    )
    delegation = make_delegation(event, quota=3)
    return {
        "organiser": organiser,
        "admin": make_user("admin"),
        "head": make_user("chapter_head", regions=("19.01",)),
        "delegation": delegation,
        "nominee": make_delegate(delegation),
        "person": make_person(region=region("19.01"), full_name="Calon Terlambat"),
    }


@pytest.fixture
def login(client, login):
    """Sign in, signing out whoever was signed in before."""

    def do(user):
        client.post("/auth/logout")
        return login(user)

    return do


def _url(finished, suffix: str = "") -> str:
    d = finished["delegation"]
    return f"/events/{d.event_id}/delegations/{d.id}{suffix}"


def _state(delegation_id: int) -> list[tuple]:
    """Every delegate of the delegation with status, and how many changes were logged."""
    db.session.expire_all()
    rows = db.session.execute(
        db.select(Delegate.person_id, Delegate.status)
        .where(Delegate.delegation_id == delegation_id)
        .order_by(Delegate.id)
    ).all()
    return [*rows, db.session.scalar(db.select(db.func.count(DelegateChange.id)))]


def test_the_end_is_the_last_day_in_the_events_own_zone(make_event, make_delegation):
    """Over once the last day has ended where the event is (WIT is 2 hours ahead of WIB)."""
    last = date(2026, 5, 12)
    papua = make_event(
        starts_on=last - timedelta(days=2), ends_on=last, timezone="Asia/Jayapura"
    )
    java = make_event(starts_on=last - timedelta(days=2), ends_on=last)
    late_evening_wit = datetime(2026, 5, 12, 14, 30, tzinfo=UTC)  # 23.30 WIT
    after_midnight_wit = datetime(
        2026, 5, 12, 15, 30, tzinfo=UTC
    )  # 00.30 WIT, 22.30 WIB
    assert not event_is_over(papua, late_evening_wit)
    assert event_is_over(papua, after_midnight_wit)
    assert not event_is_over(java, after_midnight_wit)
    assert event_is_over(java, datetime(2026, 5, 12, 17, 0, tzinfo=UTC))  # 00.00 WIB

    first = last - timedelta(days=2)  # 10 May
    two_days_before = datetime(2026, 5, 8, 1, 0, tzinfo=UTC)  # 8 May, 08.00 WIB
    the_day_before = datetime(2026, 5, 9, 1, 0, tzinfo=UTC)
    assert (
        days_until_start(java, two_days_before) == 2 == (first - date(2026, 5, 8)).days
    )
    assert check_in_is_early(java, two_days_before)
    assert not check_in_is_early(java, the_day_before)
    assert not check_in_is_early(java, after_midnight_wit)


def test_predicate_closes_for_heads_only(finished):
    """can_edit_delegates: heads until the end; organisers and admins after it too."""
    delegation = finished["delegation"]
    during = datetime.combine(delegation.event.ends_on, datetime.min.time(), UTC)
    assert can_edit_delegates(finished["head"], delegation, now=during)
    assert not can_edit_delegates(finished["head"], delegation)
    assert can_edit_delegates(finished["organiser"], delegation)
    assert can_edit_delegates(finished["admin"], delegation)


def test_chapter_head_is_refused_after_the_last_day(client, login, finished):
    """Every roster action answers 403 and changes nothing; the page says why and
    whom to ask."""
    nominee = finished["nominee"]
    before = _state(finished["delegation"].id)
    login(finished["head"])
    page = client.get(_url(finished))
    assert page.status_code == 200
    assert "Acara ini sudah selesai" in page.text
    assert "hubungi panitia acara" in page.text
    assert f'href="mailto:{finished["organiser"].email}">Bu Panitia</a>' in page.text
    assert "Konfirmasi</button>" not in page.text
    assert 'action="' + _url(finished, "/nominate") not in page.text

    posts = {
        "/nominate": {"person_id": finished["person"].id, "role": "participant"},
        "/add-person": {
            "new-full_name": "Orang Baru Sekali",
            "new-role": "participant",
        },
        f"/delegates/{nominee.id}/confirm": {},
        f"/delegates/{nominee.id}/withdraw": {"reason": "sakit"},
        f"/delegates/{nominee.id}/replace": {"person_id": finished["person"].id},
    }
    for suffix, data in posts.items():
        assert client.post(_url(finished, suffix), data=data).status_code == 403, suffix
    assert (
        client.get(_url(finished, f"/delegates/{nominee.id}/replace")).status_code
        == 403
    )
    assert _state(finished["delegation"].id) == before


def test_organiser_may_still_change_and_it_is_in_the_history(client, login, finished):
    """The organiser's confirmation after the end is accepted and audited as theirs."""
    nominee = finished["nominee"]
    organiser = finished["organiser"]
    login(organiser)
    page = client.get(_url(finished))
    assert "setiap perubahan tercatat di riwayat" in page.text
    response = client.post(_url(finished, f"/delegates/{nominee.id}/confirm"))
    assert response.status_code == 302
    response = client.post(
        _url(finished, "/nominate"),
        data={"person_id": finished["person"].id, "role": "participant"},
    )
    assert response.status_code == 302

    db.session.expire_all()
    assert db.session.get(Delegate, nominee.id).status == DelegateStatus.CONFIRMED
    entries = db.session.scalars(
        db.select(AuditEntry)
        .where(
            AuditEntry.event_id == finished["delegation"].event_id,
            AuditEntry.entity == "delegate",
            AuditEntry.action.in_(["confirmed", "nominated"]),
        )
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.entity_id, e.user_id) for e in entries][:1] == [
        ("confirmed", nominee.id, organiser.id)
    ]
    assert [e.action for e in entries] == ["confirmed", "nominated"]
    assert all(e.user_id == organiser.id for e in entries)

    history = client.get(f"/events/{finished['delegation'].event_id}/history/").text
    assert nominee.person.full_name in history and "dikonfirmasi" in history
    assert "Calon Terlambat" in history and organiser.email in history


def test_admin_may_change_after_the_end(client, login, finished):
    """Admins, like organisers, are not closed out."""
    nominee = finished["nominee"]
    login(finished["admin"])
    response = client.post(
        _url(finished, f"/delegates/{nominee.id}/withdraw"), data={"reason": "salah"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Delegate, nominee.id).status == DelegateStatus.WITHDRAWN
