"""Delegation pages through HTTP: the organiser's table, a delegation's roster and its
actions, the chapter head's "my delegations", reminders and the overview card."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.models import (
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
    EventStatus,
    Person,
    Region,
)
from tests.conftest import region


def _soon(**kw) -> datetime:
    return datetime.now(UTC) + timedelta(**kw)


@pytest.fixture
def setup(make_user, make_event, make_delegation):
    """An organiser, an open event with a 19.01 delegation, and chapter heads."""
    organiser = make_user("organiser")
    event = make_event(organisers=[organiser], capacity=500)
    head = make_user("chapter_head", regions=("19.01",))
    delegation = make_delegation(event, quota=2, deadline_at=_soon(days=10))
    other_head = make_user("chapter_head", regions=("19.02",))
    return {
        "organiser": organiser,
        "event": event,
        "delegation": delegation,
        "head": head,
        "other_head": other_head,
    }


@pytest.fixture
def login(client, login):
    """Sign in, signing out whoever was signed in before."""

    def do(user):
        client.post("/auth/logout")
        return login(user)

    return do


def _url(d: Delegation, suffix: str = "") -> str:
    return f"/events/{d.event_id}/delegations/{d.id}{suffix}"


def _fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


# Permissions ----------------------------------------------------------------------


def test_chapter_head_sees_own_delegation_not_another(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    response = client.get(_url(d))
    assert response.status_code == 200
    assert "Usulkan orang yang sudah terdaftar" in response.text
    login(setup["other_head"])
    assert client.get(_url(d)).status_code == 403
    assert client.post(_url(d, "/nominate"), data={"person_id": 1}).status_code == 403


def test_participant_forbidden_anonymous_sent_to_login(client, login, setup, make_user):
    d = setup["delegation"]
    assert client.get(_url(d)).status_code == 302
    assert "/auth/login" in client.get(_url(d)).headers["Location"]
    login(make_user("participant"))
    assert client.get(_url(d)).status_code == 403
    assert client.get(f"/events/{d.event_id}/delegations/").status_code == 403


def test_delegation_of_another_event_is_404(client, login, setup, make_event):
    other = make_event(organisers=[setup["organiser"]])
    login(setup["organiser"])
    d = setup["delegation"]
    assert client.get(f"/events/{other.id}/delegations/{d.id}").status_code == 404
    assert client.get(f"/events/{d.event_id}/delegations/999999").status_code == 404
    big = 2**70
    assert client.get(f"/events/{d.event_id}/delegations/{big}").status_code == 404


def test_head_cannot_edit_after_deadline_but_organiser_can(
    client, login, setup, make_delegate
):
    d = setup["delegation"]
    delegate = make_delegate(d)
    d.deadline_at = _soon(hours=-1)
    db.session.commit()
    login(setup["head"])
    page = client.get(_url(d))
    assert page.status_code == 200
    assert "Tenggat sudah lewat" in page.text
    assert "Konfirmasi</button>" not in page.text
    confirm = _url(d, f"/delegates/{delegate.id}/confirm")
    assert client.post(confirm).status_code == 403
    login(setup["organiser"])
    assert client.post(confirm).status_code == 302
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.CONFIRMED


def test_head_cannot_edit_when_event_closed(client, login, setup, make_delegate):
    d = setup["delegation"]
    delegate = make_delegate(d)
    d.event.status = EventStatus.CLOSED
    db.session.commit()
    login(setup["head"])
    page = client.get(_url(d))
    assert "Pendaftaran acara ini sudah ditutup" in page.text
    response = client.post(_url(d, f"/delegates/{delegate.id}/withdraw"))
    assert response.status_code == 403
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.NOMINATED


def test_head_does_not_see_draft_event_delegation(client, login, setup):
    d = setup["delegation"]
    d.event.status = EventStatus.DRAFT
    db.session.commit()
    login(setup["head"])
    assert client.get(_url(d)).status_code == 403
    assert d.name not in client.get("/my/delegations").text


# Actions --------------------------------------------------------------------------


def test_nominate_confirm_withdraw_replace(client, login, setup, make_person):
    d = setup["delegation"]
    ani = make_person(full_name="Ani Bangka", region=region("19.01"))
    budi = make_person(full_name="Budi Bangka", region=region("19.01"))
    login(setup["head"])
    page = client.get(_url(d))
    assert "Ani Bangka" in page.text and "Budi Bangka" in page.text

    response = client.post(
        _url(d, "/nominate"), data={"person_id": ani.id, "role": "participant"}
    )
    assert response.status_code == 302
    delegate = db.session.scalars(db.select(Delegate).filter_by(person_id=ani.id)).one()
    assert delegate.delegation_id == d.id
    assert delegate.status == DelegateStatus.NOMINATED

    client.post(_url(d, f"/delegates/{delegate.id}/confirm"))
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.CONFIRMED
    assert _fresh(Delegation, d.id).confirmed_count == 1

    response = client.post(
        _url(d, f"/delegates/{delegate.id}/replace"),
        data={"person_id": budi.id, "reason": "Sakit"},
    )
    assert response.status_code == 302
    replacement = db.session.scalars(
        db.select(Delegate).filter_by(person_id=budi.id)
    ).one()
    assert replacement.status == DelegateStatus.CONFIRMED
    assert replacement.replaces_id == delegate.id
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.REPLACED
    assert _fresh(Delegation, d.id).confirmed_count == 1

    response = client.post(
        _url(d, f"/delegates/{replacement.id}/withdraw"), data={"reason": "Batal"}
    )
    assert response.status_code == 302
    assert _fresh(Delegate, replacement.id).status == DelegateStatus.WITHDRAWN
    assert _fresh(Delegation, d.id).confirmed_count == 0

    page = client.get(_url(d))
    assert "diganti oleh" in page.text and "“Sakit”" in page.text
    notes = db.session.scalars(db.select(DelegateChange.note)).all()
    assert "Sakit" in notes and "Batal" in notes


def test_add_new_person_on_the_spot(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    response = client.post(
        _url(d, "/add-person"),
        data={
            "new-full_name": "Citra Baru",
            "new-sex": "female",
            "new-phone": "0812-3456-7890",
            "new-position": "Anggota",
            "new-institution": "IPSM Kabupaten Bangka",
            "new-role": "participant",
        },
    )
    assert response.status_code == 302
    person = db.session.scalars(
        db.select(Person).filter_by(full_name="Citra Baru")
    ).one()
    assert person.region_id == d.region_id
    assert person.phone == "+6281234567890"
    delegate = db.session.scalars(
        db.select(Delegate).filter_by(person_id=person.id)
    ).one()
    assert delegate.delegation_id == d.id
    page = client.get(_url(d))
    assert "+62 812-3456-7890" in page.text  # the head sees phones


def test_replace_by_new_person(client, login, setup, make_delegate):
    d = setup["delegation"]
    old = make_delegate(d)
    login(setup["head"])
    assert client.get(_url(d, f"/delegates/{old.id}/replace")).status_code == 200
    response = client.post(
        _url(d, f"/delegates/{old.id}/replace"),
        data={"full_name": "Dedi Pengganti", "reason": "Tugas lain"},
    )
    assert response.status_code == 302
    new = db.session.scalars(
        db.select(Delegate)
        .join(Delegate.person)
        .filter(Person.full_name == "Dedi Pengganti")
    ).one()
    assert new.replaces_id == old.id and new.person.region_id == d.region_id


def test_replace_needs_exactly_one_choice(client, login, setup, make_delegate):
    d = setup["delegation"]
    old = make_delegate(d)
    login(setup["head"])
    response = client.post(_url(d, f"/delegates/{old.id}/replace"), data={})
    assert response.status_code == 200
    assert "Pilih satu orang yang sudah terdaftar" in response.text
    assert _fresh(Delegate, old.id).status == DelegateStatus.NOMINATED


def test_quota_full_message(client, login, setup, make_delegate):
    d = setup["delegation"]
    make_delegate(d, status=DelegateStatus.CONFIRMED)
    make_delegate(d, status=DelegateStatus.CONFIRMED)
    third = make_delegate(d)
    login(setup["head"])
    response = client.post(
        _url(d, f"/delegates/{third.id}/confirm"), follow_redirects=True
    )
    assert "Kuota delegasi ini sudah penuh." in response.text
    assert "alert-danger" in response.text
    assert _fresh(Delegate, third.id).status == DelegateStatus.NOMINATED


def test_a_full_quota_is_refused_before_anything_is_written(
    app, client, login, setup, make_delegate, count_queries
):
    """The delegation the request loaded is full: no UPDATE, and the refusal ends
    with COMMIT (a ROLLBACK would cost the worker its prepared statements)."""
    d = setup["delegation"]
    make_delegate(d, status=DelegateStatus.CONFIRMED)
    make_delegate(d, status=DelegateStatus.CONFIRMED)
    third = make_delegate(d)
    login(setup["head"])
    with app.app_context():
        engine = db.engine
    ends: list[str] = []
    sa.event.listen(engine, "commit", lambda conn: ends.append("commit"))
    sa.event.listen(engine, "rollback", lambda conn: ends.append("rollback"))
    with count_queries() as statements:
        response = client.post(_url(d, f"/delegates/{third.id}/confirm"))
    assert response.status_code == 302
    assert all(s.lstrip().upper().startswith("SELECT") for s in statements)
    assert ends == ["commit"]
    assert _fresh(Delegate, third.id).status == DelegateStatus.NOMINATED
    assert _fresh(Delegation, d.id).confirmed_count == 2


@pytest.mark.parametrize(
    "person_id", ["999999", "abc", "-1", "1 OR 1=1", str(2**70), ""]
)
def test_nominate_unknown_person(client, login, setup, person_id):
    d = setup["delegation"]
    login(setup["head"])
    response = client.post(
        _url(d, "/nominate"), data={"person_id": person_id, "role": "participant"}
    )
    assert response.status_code == 200
    assert "belum diusulkan" in response.text
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 0


def test_nominate_person_of_another_region(client, login, setup, make_person):
    d = setup["delegation"]
    stranger = make_person(full_name="Eka Belitung", region=region("19.02"))
    login(setup["head"])
    assert "Eka Belitung" not in client.get(_url(d)).text
    response = client.post(
        _url(d, "/nominate"), data={"person_id": stranger.id, "role": "participant"}
    )
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 0
    login(setup["organiser"])  # organisers are bound by the region too
    response = client.post(
        _url(d, "/nominate"), data={"person_id": stranger.id, "role": "participant"}
    )
    assert "bukan dari wilayah delegasi ini" in response.text


def test_nominate_person_already_in_event(
    client, login, setup, make_delegate, make_person, make_delegation
):
    d = setup["delegation"]
    province = make_delegation(d.event, region=region("19"), quota=5)
    person = make_person(full_name="Fajar Ganda", region=region("19.01"))
    make_delegate(province, person=person)
    login(setup["organiser"])
    response = client.post(
        _url(d, "/nominate"), data={"person_id": person.id, "role": "participant"}
    )
    assert response.status_code == 200
    assert "sudah terdaftar di acara ini" in response.text
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 1


def test_nominate_bad_role_refused(client, login, setup, make_person):
    d = setup["delegation"]
    person = make_person(region=region("19.01"))
    login(setup["head"])
    response = client.post(
        _url(d, "/nominate"), data={"person_id": person.id, "role": "speaker"}
    )
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(Delegate.id))) == 0


def test_long_reason_refused_and_nothing_changes(client, login, setup, make_delegate):
    d = setup["delegation"]
    delegate = make_delegate(d)
    login(setup["head"])
    response = client.post(
        _url(d, f"/delegates/{delegate.id}/withdraw"),
        data={"reason": "x" * 10_000},
        follow_redirects=True,
    )
    assert "Alasan paling panjang 500 huruf." in response.text
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.NOMINATED


def test_script_tags_are_escaped(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    client.post(
        _url(d, "/add-person"),
        data={"new-full_name": "<script>alert(1)</script>", "new-role": "participant"},
    )
    page = client.get(_url(d)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_add_person_bad_input_keeps_what_was_typed(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    response = client.post(
        _url(d, "/add-person"),
        data={
            "new-full_name": "Gita Salah",
            "new-phone": "bukan nomor",
            "new-role": "head",
        },
    )
    assert response.status_code == 200
    assert "Nomor telepon tidak valid" in response.text
    assert 'value="Gita Salah"' in response.text
    assert db.session.scalar(db.select(db.func.count(Person.id))) == 0


def test_others_page_for_speakers(client, login, setup, make_person):
    event = setup["event"]
    speaker = make_person(full_name="Dr. Hadi Narasumber")
    login(setup["organiser"])
    base = f"/events/{event.id}/delegations/others"
    assert client.get(base).status_code == 200
    response = client.post(
        f"{base}/nominate", data={"person_id": speaker.id, "role": "speaker"}
    )
    assert response.status_code == 302
    delegate = db.session.scalars(db.select(Delegate)).one()
    assert delegate.delegation_id is None and delegate.role == DelegateRole.SPEAKER
    client.post(f"{base}/delegates/{delegate.id}/confirm")
    assert _fresh(Delegate, delegate.id).status == DelegateStatus.CONFIRMED
    # a delegate of a delegation is not reachable through the "others" address
    login(setup["head"])
    assert client.get(base).status_code == 403


# The organiser's table ------------------------------------------------------------


def test_table_allocation_totals_and_behind(
    client, login, setup, make_delegation, make_delegate
):
    event = setup["event"]
    d = setup["delegation"]
    d.quota = 225
    late = make_delegation(
        event, region=region("19.02"), quota=225, deadline_at=_soon(days=1)
    )
    make_delegation(event, region=None, name="IPSM Pusat", quota=25)
    make_delegate(late, status=DelegateStatus.CONFIRMED)
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"/events/{event.id}/delegations/").text
    assert "475 dialokasikan dari 500 yang diumumkan" in page
    assert f'class="table-warning behind" id="delegation-{late.id}"' in page
    assert f'class="table-warning behind" id="delegation-{d.id}"' not in page
    assert "WIB" in page
    tfoot = page.split("<tfoot>")[1]
    assert re.search(r">\s*475\s*<", tfoot)


def test_table_sorts_and_filters(client, login, setup, make_delegation):
    event = setup["event"]
    make_delegation(event, region=region("19.71"), quota=9)
    make_delegation(event, region=region("11.01"), quota=5)
    login(setup["organiser"])
    base = f"/events/{event.id}/delegations/"

    def order(query: str) -> list[str]:
        text = client.get(base + query).text
        return re.findall(r'<td class="nowrap">([\d.]+)</td>', text)

    assert order("?sort=code") == ["11.01", "19.01", "19.71"]
    assert order("?sort=quota&dir=desc") == ["19.71", "11.01", "19.01"]
    assert order("?sort=name&dir=desc") == ["19.71", "19.01", "11.01"]
    assert order("?province=19") == ["19.01", "19.71"]
    assert client.get(base + "?sort=<x>&dir=';--&province=zz").status_code == 200


def _add_delegations(event, make_user, regencies) -> None:
    for i, r in enumerate(regencies):
        head = make_user("chapter_head", regions=(r,))
        head.person = Person(full_name=f"Ketua {r.code}", region=r, phone="+62812345")
        db.session.add(
            Delegation(
                event=event,
                region=r,
                name=r.name,
                quota=3,
                head=head,
                deadline_at=_soon(days=i),
            )
        )
    db.session.commit()


def test_table_queries_do_not_grow(client, login, setup, make_user, count_queries):
    event = setup["event"]
    regencies = db.session.scalars(
        db.select(Region)
        .where(Region.parent_id.is_not(None), Region.code != "19.01")
        .order_by(Region.code)
    ).all()
    login(setup["organiser"])

    def measure(n: int) -> int:
        with count_queries() as queries:
            response = client.get(f"/events/{event.id}/delegations/?sort=changed")
        assert response.text.count('id="delegation-') == n
        return len(queries)

    _add_delegations(event, make_user, regencies[:4])
    five = measure(5)
    _add_delegations(event, make_user, regencies[4:39])
    assert measure(40) == five


def test_roster_queries_do_not_grow(client, login, setup, make_delegate, count_queries):
    d = setup["delegation"]
    d.quota = 50
    db.session.commit()
    login(setup["head"])

    def measure() -> int:
        with count_queries() as queries:
            client.get(_url(d))
        return len(queries)

    make_delegate(d)
    before = measure()
    for _ in range(10):
        make_delegate(d, status=DelegateStatus.CONFIRMED)
    assert measure() == before


def test_bulk_create_for_province_and_regions(client, login, setup):
    event = setup["event"]
    login(setup["organiser"])
    base = f"/events/{event.id}/delegations"
    assert client.get(f"{base}/new").status_code == 200
    response = client.post(
        f"{base}/new",
        data={
            "mode": "province",
            "province_id": region("19").id,
            "quota": "4",
            "deadline_on": "2030-01-15",
            "deadline_time": "17:00",
        },
    )
    assert response.status_code == 302
    delegations = db.session.scalars(
        db.select(Delegation).filter_by(event_id=event.id)
    ).all()
    assert len(delegations) == 7  # 19.01 existed: six new, all regencies covered
    new = [d for d in delegations if d.id != setup["delegation"].id]
    assert {d.quota for d in new} == {4}
    assert new[0].deadline_at == datetime(2030, 1, 15, 10, 0, tzinfo=UTC)

    response = client.post(
        f"{base}/new",
        data={
            "mode": "regions",
            "region_ids": [region("32.16").id, region("32.75").id],
            "quota": "225",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/new-named", data={"name": "IPSM Pusat", "quota": "25"}
    )
    assert response.status_code == 302
    page = client.get(f"{base}/").text
    assert "IPSM Pusat" in page and "Kabupaten Bekasi" in page


@pytest.mark.parametrize(
    "data",
    [
        {"mode": "province", "province_id": "abc", "quota": "3"},
        {"mode": "province", "province_id": "999999", "quota": "3"},
        {"mode": "regions", "region_ids": ["x", "99999999"], "quota": "3"},
        {"mode": "regions", "quota": "3"},
        {"mode": "bogus", "quota": "3"},
        {"mode": "province", "province_id": "1", "quota": "banyak"},
        {"mode": "province", "province_id": "1", "quota": "-5"},
        {"mode": "province", "province_id": "1", "quota": "3", "deadline_on": "x"},
    ],
)
def test_bulk_create_bad_input(client, login, setup, data):
    event = setup["event"]
    login(setup["organiser"])
    response = client.post(f"/events/{event.id}/delegations/new", data=data)
    assert response.status_code == 200
    assert "is-invalid" in response.text or "alert-danger" in response.text
    count = db.session.scalar(db.select(db.func.count(Delegation.id)))
    assert count == 1


def test_edit_and_delete(client, login, setup, make_delegation, make_delegate):
    d = setup["delegation"]
    head = setup["head"]
    login(setup["organiser"])
    assert client.get(_url(d, "/edit")).status_code == 200
    response = client.post(
        _url(d, "/edit"),
        data={
            "quota": "12",
            "head_user_id": str(head.id),
            "deadline_on": "2030-02-01",
            "deadline_time": "08:30",
            "notes": "Bawa KTP",
        },
    )
    assert response.status_code == 302
    saved = _fresh(Delegation, d.id)
    assert (saved.quota, saved.head_user_id, saved.notes) == (12, head.id, "Bawa KTP")
    assert saved.deadline_at == datetime(2030, 2, 1, 1, 30, tzinfo=UTC)

    response = client.post(_url(d, "/edit"), data={"quota": "1", "head_user_id": "77"})
    assert response.status_code == 200
    assert "Pilih akun ketua dari daftar." in response.text

    make_delegate(d)
    client.post(_url(d, "/delete"))
    assert _fresh(Delegation, d.id) is not None
    empty = make_delegation(d.event, region=region("19.02"))
    client.post(_url(empty, "/delete"))
    assert _fresh(Delegation, empty.id) is None


def test_head_cannot_manage_delegations(client, login, setup):
    d = setup["delegation"]
    login(setup["head"])
    assert client.get(_url(d, "/edit")).status_code == 403
    assert client.post(_url(d, "/delete")).status_code == 403
    assert client.get(f"/events/{d.event_id}/delegations/new").status_code == 403


# Reminders ------------------------------------------------------------------------


def test_whatsapp_link_content(client, login, setup, make_person):
    d = setup["delegation"]
    head = setup["head"]
    head.person = make_person(full_name="Ketua Bangka", phone="+6281298765432")
    d.head = head
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"/events/{d.event_id}/delegations/").text
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', page)
    assert len(links) == 1
    parts = urlsplit(unescape(links[0]))
    assert parts.path == "/6281298765432"
    text = parse_qs(parts.query)["text"][0]
    assert d.event.title in text
    assert "Kabupaten Bangka" in text
    assert "Tenggat pengisian" in text and "WIB" in text
    assert f"http://localhost/events/{d.event_id}/delegations/{d.id}" in text


def test_no_whatsapp_link_without_phone(client, login, setup):
    d = setup["delegation"]
    d.head = setup["head"]
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"/events/{d.event_id}/delegations/").text
    assert "wa.me" not in page
    assert "Akun ketua belum terhubung dengan data orang" in page
    assert "Kirim email" not in page


@pytest.mark.parametrize("app_config", [{"MAIL_SERVER": "smtp.example.org"}])
def test_email_reminder(client, login, setup, monkeypatch, app_config):
    sent = []
    monkeypatch.setattr(
        "planner.services.reminders.send_mail",
        lambda to, subject, body: sent.append((to, subject, body)) or True,
    )
    d = setup["delegation"]
    d.head = setup["head"]
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"/events/{d.event_id}/delegations/").text
    assert "Kirim email" in page
    response = client.post(_url(d, "/remind"), follow_redirects=True)
    assert "Pengingat dikirim" in response.text
    assert sent[0][0] == setup["head"].email
    assert f"/events/{d.event_id}/delegations/{d.id}" in sent[0][2]


def test_email_reminder_hidden_without_mail_server(client, login, setup):
    d = setup["delegation"]
    login(setup["organiser"])
    assert client.post(_url(d, "/remind")).status_code == 404


# My delegations and the overview ----------------------------------------------------


def test_my_delegations(client, login, setup, make_delegation, make_event):
    d = setup["delegation"]
    elsewhere = make_delegation(make_event(), region=region("19.02"))
    login(setup["head"])
    page = client.get("/my/delegations").text
    assert d.event.title in page
    assert f'href="/events/{d.event_id}/delegations/{d.id}"' in page
    assert "0 dari 2 dikonfirmasi" in page
    assert "hari lagi" in page
    assert elsewhere.event.title not in page
    home = client.get("/events/").text
    assert 'href="/my/delegations"' in home


def test_overview_card_and_checklist(client, login, setup):
    d = setup["delegation"]
    d.deadline_at = _soon(days=2)
    db.session.commit()
    login(setup["organiser"])
    page = client.get(f"/events/{d.event_id}").text
    assert 'id="delegations"' in page
    assert "2 dialokasikan dari 500 yang diumumkan" in page
    assert "1 delegasi belum lengkap menjelang tenggat." in page
    login(setup["head"])
    assert 'id="delegations"' not in client.get(f"/events/{d.event_id}").text
