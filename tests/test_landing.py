"""Each role lands where its work is: after signing in, and when opening ``/``."""

from __future__ import annotations

import functools
import re

import pytest
from werkzeug.security import generate_password_hash

from planner.extensions import db
from planner.models import DelegateStatus, EventStatus
from tests.conftest import PASSWORD, region

MY_EVENTS = "/events/?mine=1"
ALL_EVENTS = "/events/"
MY_DELEGATIONS = "/my/delegations"
MY_TRIP = "/my/trip"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Cheap password hashes: scrypt costs ~0.4 s per check."""
    fast = functools.partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr("planner.models.user.generate_password_hash", fast)


def _sign_in(client, user, **query):
    return client.post(
        "/auth/login",
        query_string=query,
        data={"email": user.email, "password": PASSWORD},
    )


def _lands(client, user) -> tuple[str, str]:
    """Where signing in sends the user, and where ``/`` sends them afterwards."""
    response = _sign_in(client, user)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    return response.headers["Location"], home.headers["Location"]


@pytest.fixture
def users(make_user, make_event, make_person):
    """One account per role, the organisers and admin each organising one event."""

    def make(role: str):
        if role == "organiser":
            user = make_user("organiser")
            make_event(organisers=[user])
        elif role == "admin":
            user = make_user("admin")
            make_event(organisers=[user])
        elif role == "chapter_head":
            user = make_user("chapter_head", regions=("19.01",))
        elif role == "participant":
            user = make_user("participant")
        else:
            user = make_user("none")
        return user

    return make


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("organiser", MY_EVENTS),
        ("admin", MY_EVENTS),
        ("chapter_head", MY_DELEGATIONS),
        ("participant", MY_TRIP),
        ("none", ALL_EVENTS),
    ],
)
def test_each_role_lands_where_its_work_is(client, users, role, target):
    after_login, from_root = _lands(client, users(role))
    assert after_login == target
    assert from_root == target
    assert client.get(target).status_code == 200


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_organiser_of_no_event_lands_on_all_events(client, make_user, role):
    assert _lands(client, make_user(role)) == (ALL_EVENTS, ALL_EVENTS)


def test_strongest_role_wins(client, make_user, make_event, make_person):
    # Organiser and chapter head and participant at once: organiser.
    boss = make_user("organiser")
    boss.regions = [region("19.01")]
    boss.person = make_person()
    make_event(organisers=[boss])
    assert boss.is_chapter_head and boss.is_participant
    assert _lands(client, boss) == (MY_EVENTS, MY_EVENTS)
    client.post("/auth/logout")
    # Chapter head who also travels: chapter head.
    head = make_user("chapter_head", regions=("19.01",))
    head.person = make_person()
    db.session.commit()
    assert head.is_chapter_head and head.is_participant
    assert _lands(client, head) == (MY_DELEGATIONS, MY_DELEGATIONS)


@pytest.mark.parametrize("role", ["organiser", "chapter_head", "participant"])
def test_a_safe_next_still_wins(client, users, role):
    response = _sign_in(client, users(role), next="/accounts/profile")
    assert response.headers["Location"] == "/accounts/profile"


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", ""])
def test_an_unsafe_or_empty_next_falls_back_to_the_landing(client, users, target):
    response = _sign_in(client, users("chapter_head"), next=target)
    assert response.headers["Location"] == MY_DELEGATIONS


def test_signed_in_user_opening_login_goes_to_landing(client, users):
    user = users("participant")
    _sign_in(client, user)
    response = client.get("/auth/login")
    assert response.headers["Location"] == MY_TRIP


def test_my_events_lists_only_the_events_i_organise(
    client, make_user, make_event, login
):
    me, other = make_user("organiser"), make_user("organiser")
    mine = make_event(organisers=[me], title="Rakor Milik Saya")
    make_event(organisers=[other], title="Bimtek Orang Lain")
    login(me)
    page = client.get(MY_EVENTS).get_data(as_text=True)
    assert mine.title in page
    assert "Bimtek Orang Lain" not in page
    assert '<h1 class="h3 mb-0">Acara saya</h1>' in page
    assert 'id="filter-mine" name="mine" value="1" checked' in page
    everything = client.get(ALL_EVENTS).get_data(as_text=True)
    assert "Bimtek Orang Lain" in everything
    assert 'name="mine" value="1" checked' not in everything


def test_my_events_empty_says_so_and_offers_to_create(client, make_user, login):
    login(make_user("organiser"))
    page = client.get(MY_EVENTS).get_data(as_text=True)
    assert "Anda belum mengurus acara yang akan datang." in page
    assert 'href="/events/new"' in page


def test_participant_reaches_card_and_calendar_in_one_tap(
    client, make_user, make_delegate, make_person, login
):
    person = make_person(region=region("19.01"))
    user = make_user("participant", person=person)
    delegate = make_delegate(person=person, status=DelegateStatus.CONFIRMED)
    event_id = delegate.event_id
    login(user)
    page = client.get(MY_TRIP).get_data(as_text=True)
    card = f"/events/{event_id}/check-in/{delegate.id}/card"
    calendar = f"/events/{event_id}/delegates/{delegate.id}/calendar"
    assert f'href="{card}"' in page
    assert f'href="{calendar}"' in page
    card_page = client.get(card)
    assert card_page.status_code == 200
    assert "<svg" in card_page.get_data(as_text=True)  # the check-in QR code
    # The card leads back to the participant's trips, not to the organiser's pages.
    assert re.search(
        r'<a href="/my/trip">Perjalanan saya</a>', card_page.get_data(as_text=True)
    )
    assert client.get(calendar).status_code == 200


def test_participant_of_a_draft_event_sees_no_card_link(
    client, make_user, make_delegate, make_person, login, app_ctx
):
    person = make_person(region=region("19.01"))
    user = make_user("participant", person=person)
    delegate = make_delegate(person=person)
    delegate.event.status = EventStatus.DRAFT
    db.session.commit()
    login(user)
    page = client.get(MY_TRIP).get_data(as_text=True)
    assert "/card" not in page
