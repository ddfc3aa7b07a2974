"""Events: list, overview, create, edit, status, cancel — through real HTTP."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from planner.extensions import db
from planner.models import DelegateStatus, Event, EventKind, EventStatus, Region, User
from planner.services import PlannerError
from planner.services.events import (
    change_status,
    event_checklist,
    holiday_warnings,
    slugify,
    unique_slug,
)
from planner.services.overview import event_numbers
from tests.conftest import region


def _plain_start(offset: int = 40) -> date:
    """A future day that, with the day after it, is no Indonesian public holiday."""
    day = date.today() + timedelta(days=offset)
    while holiday_warnings(day, day + timedelta(days=1), locale="id"):
        day += timedelta(days=1)
    return day


def _form(**changes) -> dict:
    """A valid event form, with some fields changed."""
    start = _plain_start()
    data = {
        "kind": "rakor",
        "title": "Rakor IPSM Bangka Belitung",
        "organiser_body": "IPSM Provinsi Kepulauan Bangka Belitung",
        "host_region_id": str(region("19").id),
        "venue_id": "",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(),
        "timezone": "",
        "capacity": "150",
        "description": "Dua hari di UPT PTKS.",
    }
    data.update(changes)
    return data


def _events() -> list[Event]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Event).order_by(Event.id)))


def _reload(event: Event) -> Event:
    db.session.expire_all()
    return db.session.get(Event, event.id)


# Create ---------------------------------------------------------------------------


def test_create_makes_a_draft_organised_by_its_creator(
    client, login, make_user, make_place
):
    user = make_user("organiser")
    venue = make_place(name="Hotel Uji Makassar", region=region("73.71"))
    login(user)

    response = client.post("/events/new", data=_form(venue_id=str(venue.id)))

    [event] = _events()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    assert [o.id for o in event.organisers] == [user.id]
    assert event.status == EventStatus.DRAFT
    assert event.slug == f"rakor-ipsm-bangka-belitung-{event.starts_on.year}"
    # Host region is in WIB, the venue in Makassar: the venue's zone wins.
    assert event.timezone == "Asia/Makassar"
    assert event.capacity == 150
    assert event.kind == EventKind.RAKOR
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Acara Rakor IPSM Bangka Belitung dibuat." in page
    assert "WITA (Asia/Makassar)" in page


def test_timezone_defaults_from_host_region_and_can_be_chosen(client, login, make_user):
    login(make_user("organiser"))
    client.post("/events/new", data=_form(host_region_id=str(region("91.71").id)))
    client.post(
        "/events/new",
        data=_form(host_region_id=str(region("91.71").id), timezone="Asia/Jakarta"),
    )
    first, second = _events()
    assert first.timezone == "Asia/Jayapura"
    assert second.timezone == "Asia/Jakarta"


def test_slug_is_ascii_and_unique(client, login, make_user):
    login(make_user("organiser"))
    title = "Bimtek PSM Ñusantara — Kota Bekasi!"
    for _ in range(3):
        assert client.post("/events/new", data=_form(title=title)).status_code == 302
    year = _plain_start().year
    base = f"bimtek-psm-nusantara-kota-bekasi-{year}"
    assert [e.slug for e in _events()] == [base, f"{base}-2", f"{base}-3"]


def test_slug_helpers(app_ctx):
    assert slugify("Tur & Studi PGK–JKT") == "tur-studi-pgk-jkt"
    assert unique_slug("<script>", 2026) == "script-2026"
    assert unique_slug("日本語", 2026) == "acara-2026"
    assert len(unique_slug("x" * 500, 2026)) <= 120


def test_new_form_renders_regions_grouped_and_places(
    client, login, make_user, make_place
):
    make_place(name="Hotel Uji Makassar", region=region("73.71"))
    login(make_user("organiser"))
    page = client.get("/events/new").get_data(as_text=True)
    assert '<optgroup label="Kepulauan Bangka Belitung (19)">' in page
    assert "Seluruh provinsi Kepulauan Bangka Belitung (19)" in page
    assert "Hotel Uji Makassar — Kota Makassar" in page
    assert "WITA — Asia/Makassar" in page
    assert "WIB — Asia/Pontianak" in page


def test_holiday_gives_a_warning_but_saves(client, login, make_user):
    login(make_user("organiser"))
    year = date.today().year + 1
    response = client.post(
        "/events/new",
        data=_form(starts_on=f"{year}-08-16", ends_on=f"{year}-08-18"),
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert len(_events()) == 1
    assert 'class="alert alert-warning"' in page
    assert (
        f"17 Agustus {year} adalah hari libur: Hari Kemerdekaan Republik Indonesia."
        in page
    )


def test_holiday_warnings_name_holidays(app_ctx):
    found = holiday_warnings(date(2026, 8, 15), date(2026, 8, 18), locale="id")
    assert found == [(date(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia")]
    english = holiday_warnings(date(2026, 8, 17), date(2026, 8, 17), locale="en")
    assert english and english[0][1] != found[0][1]
    assert holiday_warnings(date(2026, 8, 18), date(2026, 8, 19), locale="id") == []
    assert holiday_warnings(date(1, 1, 1), date(1, 1, 2)) == []


# Validation -----------------------------------------------------------------------


def test_end_before_start_is_refused_and_keeps_input(client, login, make_user):
    login(make_user("organiser"))
    start = _plain_start()
    response = client.post(
        "/events/new",
        data=_form(
            title="Judul yang diketik",
            ends_on=(start - timedelta(days=1)).isoformat(),
        ),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in page
    assert 'value="Judul yang diketik"' in page
    assert _events() == []


BAD_INPUT = [
    ({"capacity": "-1"}, "Isi angka antara 0 dan 1000000."),
    ({"capacity": "abc"}, "Isi angka bulat, mis. 150."),
    ({"capacity": str(10**12)}, "Isi angka antara 0 dan 1000000."),
    ({"venue_id": "999999"}, "Pilihan tidak valid."),
    ({"venue_id": "9" * 40}, "Pilihan tidak valid."),
    ({"venue_id": "abc"}, "Pilihan tidak valid."),
    ({"host_region_id": "999999"}, "Pilihan tidak valid."),
    ({"host_region_id": ""}, "Wajib diisi."),
    ({"kind": "party"}, "Pilihan tidak valid."),
    ({"timezone": "Europe/Paris"}, "Pilihan tidak valid."),
    ({"title": "x" * 10_000}, "Paling banyak 200 karakter."),
    ({"title": "   "}, "Wajib diisi."),
    ({"organiser_body": "y" * 201}, "Paling banyak 200 karakter."),
    ({"description": "z" * 5001}, "Paling banyak 5000 karakter."),
    ({"starts_on": "kemarin"}, "Tanggal tidak valid."),
    ({"starts_on": "0202-01-01"}, "Tahun harus antara 1990 dan 2100."),
    ({"ends_on": "2099-01-01"}, "Acara paling lama 366 hari."),
    ({"title": "'; DROP TABLE events; --", "capacity": "1 OR 1=1"}, "Isi angka"),
]


def test_bad_input_gives_a_field_message(client, login, make_user):
    login(make_user("organiser"))
    for changes, message in BAD_INPUT:
        response = client.post("/events/new", data=_form(**changes))
        page = response.get_data(as_text=True)
        assert response.status_code == 200, changes
        assert "invalid-feedback" in page, changes
        assert message in page, changes
    assert _events() == []


def test_script_in_title_is_escaped(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(title="<script>alert(1)</script>", organisers=[user])
    login(user)
    for url in ("/events/", f"/events/{event.id}", f"/events/{event.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
        assert "<script>alert(1)" not in page, url


def test_script_and_sql_in_title_are_stored_as_typed(client, login, make_user):
    login(make_user("organiser"))
    title = "<script>alert(1)</script> ' OR 1=1; --"
    assert client.post("/events/new", data=_form(title=title)).status_code == 302
    [event] = _events()
    assert event.title == title
    assert event.slug.startswith("script-alert-1-script-or-1-1-")


# Edit -----------------------------------------------------------------------------


def test_edit_changes_details_but_not_slug(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user], slug="rakor-lama-2026", capacity=10)
    login(user)
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="Rakor IPSM Uji' in page
    assert '<option selected value="">Otomatis (dari tempat acara)</option>' in page

    response = client.post(
        f"/events/{event.id}/edit",
        data=_form(title="Rakor diperbarui", capacity="475", kind="bimtek"),
        follow_redirects=True,
    )
    assert "Perubahan acara disimpan." in response.get_data(as_text=True)
    event = _reload(event)
    assert event.title == "Rakor diperbarui"
    assert event.capacity == 475
    assert event.kind == EventKind.BIMTEK
    assert event.slug == "rakor-lama-2026"


def test_edit_refusal_changes_nothing(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user], title="Tetap")
    login(user)
    response = client.post(
        f"/events/{event.id}/edit", data=_form(title="Baru", capacity="-5")
    )
    assert response.status_code == 200
    assert 'value="Baru"' in response.get_data(as_text=True)
    assert _reload(event).title == "Tetap"


def test_edit_clears_optional_fields(client, login, make_user, make_event, make_place):
    user = make_user("organiser")
    event = make_event(organisers=[user], venue=make_place(), capacity=50)
    login(user)
    client.post(f"/events/{event.id}/edit", data=_form(capacity="", description=""))
    event = _reload(event)
    assert event.venue is None
    assert event.capacity is None
    assert event.description is None


# Overview -------------------------------------------------------------------------


def test_overview_shows_dates_place_and_organisers(
    client, login, make_user, make_event, make_place
):
    user = make_user("organiser", display_name="Ketua Panitia")
    venue = make_place(
        name="UPT PTKS Pangkalpinang", address="Jl. Uji No. 1", lat=-2.1291, lon=106.109
    )
    event = make_event(
        organisers=[user],
        venue=venue,
        host_region=region("19.71"),
        starts_on=date(2030, 5, 7),
        ends_on=date(2030, 5, 8),
        capacity=500,
    )
    login(user)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Selasa, 7 Mei 2030" in page
    assert "Rabu, 8 Mei 2030" in page
    assert "2 hari" in page
    assert "WIB (Asia/Jakarta)" in page
    assert "UPT PTKS Pangkalpinang" in page
    assert "Jl. Uji No. 1" in page
    assert "Kota Pangkal Pinang, Kepulauan Bangka Belitung" in page
    assert "-2.12910, 106.10900" in page
    assert "500 peserta" in page
    assert "Ketua Panitia" in page
    assert "Pendaftaran dibuka" in page
    assert "Tutup pendaftaran" in page  # a manager's action


def test_checklist_lists_what_is_missing(
    client, login, make_user, make_event, make_place
):
    user = make_user("organiser")
    year = date.today().year + 1
    event = make_event(
        organisers=[user],
        status=EventStatus.DRAFT,
        starts_on=date(year, 8, 17),
        ends_on=date(year, 8, 17),
    )
    login(user)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Yang masih perlu dikerjakan" in page
    assert "Tempat acara belum ditentukan." in page
    assert "Kapasitas peserta yang diumumkan belum diisi." in page
    assert "Acara masih draf" in page
    assert "Deskripsi acara belum diisi." in page
    assert f"17 Agustus {year} adalah hari libur" in page

    viewer = make_user("chapter_head")
    event.status = EventStatus.OPEN
    db.session.commit()
    client.post("/auth/logout")
    login(viewer)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Yang masih perlu dikerjakan" not in page
    assert "Hari libur nasional" in page
    assert "Tutup pendaftaran" not in page


def test_checklist_items(app_ctx, make_event, make_place):
    place = make_place(lat=None, lon=None)
    past = make_event(
        venue=place,
        capacity=10,
        description="Ada.",
        starts_on=date.today() - timedelta(days=10),
        ends_on=date.today() - timedelta(days=9),
    )
    items = event_checklist(past)
    texts = [item.text for item in items]
    assert any("sudah lewat" in t for t in texts)
    assert any("Koordinat" in t for t in texts)
    assert items[0].severity == "danger"
    past.status = EventStatus.CANCELLED
    assert event_checklist(past) == []


# Status and cancellation -----------------------------------------------------------


TRANSITIONS = [
    (EventStatus.DRAFT, EventStatus.OPEN, True),
    (EventStatus.OPEN, EventStatus.CLOSED, True),
    (EventStatus.OPEN, EventStatus.DRAFT, True),
    (EventStatus.CLOSED, EventStatus.OPEN, True),
    (EventStatus.CLOSED, EventStatus.FINISHED, True),
    (EventStatus.DRAFT, EventStatus.CLOSED, False),
    (EventStatus.DRAFT, EventStatus.FINISHED, False),
    (EventStatus.FINISHED, EventStatus.OPEN, False),
    (EventStatus.CANCELLED, EventStatus.OPEN, False),
    (EventStatus.OPEN, EventStatus.CANCELLED, False),
]


def test_status_transitions(client, login, make_user, make_event):
    user = make_user("organiser")
    login(user)
    for start, target, allowed in TRANSITIONS:
        event = make_event(organisers=[user], status=start)
        response = client.post(
            f"/events/{event.id}/status",
            data={"status": target.value},
            follow_redirects=True,
        )
        page = response.get_data(as_text=True)
        case = (start, target)
        assert response.status_code == 200, case
        if allowed:
            assert _reload(event).status == target, case
            assert "alert-success" in page, case
        else:
            assert _reload(event).status == start, case
            assert "alert-danger" in page, case


def test_status_change_needs_the_csrf_token(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user])
    login(user)
    client.application.config["WTF_CSRF_ENABLED"] = True
    url = f"/events/{event.id}/status"
    assert client.post(url, data={"status": "closed"}).status_code == 400
    assert _reload(event).status == EventStatus.OPEN
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(url, data={"status": "closed", "csrf_token": token})
    assert response.status_code == 302
    assert _reload(event).status == EventStatus.CLOSED


def test_unknown_status_is_refused(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user])
    login(user)
    response = client.post(
        f"/events/{event.id}/status", data={"status": "bogus"}, follow_redirects=True
    )
    assert "Status tidak dikenal." in response.get_data(as_text=True)
    assert _reload(event).status == EventStatus.OPEN


def test_change_status_service_refuses(app_ctx, make_event):
    event = make_event(status=EventStatus.FINISHED)
    with pytest.raises(PlannerError, match="Selesai"):
        change_status(event, EventStatus.OPEN)
    with pytest.raises(PlannerError):
        change_status(event, "nope")


def test_cancel_asks_for_a_reason_then_cancels(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user])
    login(user)
    page = client.get(f"/events/{event.id}/cancel").get_data(as_text=True)
    assert "Alasan pembatalan" in page

    response = client.post(f"/events/{event.id}/cancel", data={"reason": "  "})
    assert response.status_code == 200
    assert "Wajib diisi." in response.get_data(as_text=True)
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "r" * 1001})
    assert "Paling banyak 1000 karakter." in response.get_data(as_text=True)
    assert _reload(event).status == EventStatus.OPEN

    response = client.post(
        f"/events/{event.id}/cancel",
        data={"reason": "Banjir di lokasi <b>acara</b>"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Acara ini dibatalkan." in page
    assert "Banjir di lokasi &lt;b&gt;acara&lt;/b&gt;" in page
    event = _reload(event)
    assert event.status == EventStatus.CANCELLED
    assert event.cancelled_reason == "Banjir di lokasi <b>acara</b>"

    # Reopening a cancelled event is not possible, neither is cancelling it twice.
    client.post(f"/events/{event.id}/status", data={"status": "open"})
    assert _reload(event).status == EventStatus.CANCELLED
    response = client.get(f"/events/{event.id}/cancel")
    assert response.status_code == 302


def test_finished_event_cannot_be_cancelled(client, login, make_user, make_event):
    user = make_user("organiser")
    event = make_event(organisers=[user], status=EventStatus.FINISHED)
    login(user)
    response = client.post(
        f"/events/{event.id}/cancel",
        data={"reason": "Terlambat"},
        follow_redirects=True,
    )
    assert "tidak dapat dibatalkan" in response.get_data(as_text=True)
    assert _reload(event).status == EventStatus.FINISHED


# Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["participant", "chapter_head", "none"])
def test_only_organisers_and_admins_create(client, login, make_user, role):
    login(make_user(role))
    assert client.get("/events/new").status_code == 403
    assert client.post("/events/new", data=_form()).status_code == 403
    assert _events() == []
    assert "Buat acara" not in client.get("/events/").get_data(as_text=True)


def test_admin_creates_and_manages_any_event(client, login, make_user, make_event):
    event = make_event(organisers=[make_user("organiser")])
    login(make_user("admin"))
    assert client.post("/events/new", data=_form()).status_code == 302
    assert client.get(f"/events/{event.id}/edit").status_code == 200


def test_organiser_of_another_event_cannot_manage(client, login, make_user, make_event):
    event = make_event(organisers=[make_user("organiser")])
    login(make_user("organiser"))
    assert client.get(f"/events/{event.id}").status_code == 200
    assert client.get(f"/events/{event.id}/edit").status_code == 403
    assert client.post(f"/events/{event.id}/edit", data=_form()).status_code == 403
    response = client.post(f"/events/{event.id}/status", data={"status": "closed"})
    assert response.status_code == 403
    assert client.get(f"/events/{event.id}/cancel").status_code == 403
    response = client.post(f"/events/{event.id}/cancel", data={"reason": "x"})
    assert response.status_code == 403
    assert _reload(event).status == EventStatus.OPEN


def test_drafts_are_hidden_from_others(client, login, make_user, make_event):
    owner = make_user("organiser")
    draft = make_event(
        title="Draf rahasia", organisers=[owner], status=EventStatus.DRAFT
    )
    login(make_user("chapter_head"))
    assert client.get(f"/events/{draft.id}").status_code == 403
    assert "Draf rahasia" not in client.get("/events/").get_data(as_text=True)
    client.post("/auth/logout")
    login(owner)
    assert "Draf rahasia" in client.get("/events/").get_data(as_text=True)
    assert client.get(f"/events/{draft.id}").status_code == 200


def test_anonymous_is_sent_to_sign_in(client, make_event):
    event = make_event()
    for url in (
        "/events/",
        "/events/new",
        f"/events/{event.id}",
        f"/events/{event.id}/edit",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]
    response = client.post(f"/events/{event.id}/status", data={"status": "closed"})
    assert response.status_code == 302


def test_unknown_event_is_404(client, login, make_user):
    login(make_user("admin"))
    for url in ("/events/999999", "/events/999999/edit", "/events/999999/cancel"):
        assert client.get(url).status_code == 404, url
    assert (
        client.post("/events/999999/status", data={"status": "open"}).status_code == 404
    )
    assert client.get("/events/" + "9" * 30).status_code == 404


# List and filters ------------------------------------------------------------------


def test_list_shows_rows_and_empty_state(
    client, login, make_user, make_event, make_place
):
    user = make_user("organiser")
    login(user)
    page = client.get("/events/").get_data(as_text=True)
    assert "Belum ada acara yang akan datang." in page
    make_event(
        title="Bimtek Bekasi",
        kind=EventKind.BIMTEK,
        host_region=region("19.71"),
        venue=make_place(name="Gedung Uji"),
        starts_on=date(2030, 5, 7),
        ends_on=date(2030, 5, 12),
    )
    page = client.get("/events/").get_data(as_text=True)
    assert "Bimtek Bekasi" in page
    assert "Bimbingan teknis (bimtek)" in page
    assert "7–12 Mei 2030" in page
    assert "Kota Pangkal Pinang, Kepulauan Bangka Belitung" in page
    assert "Gedung Uji" in page
    assert "text-bg-success" in page
    assert "Buat acara" in page


def _titles(client, query: str) -> set[str]:
    page = client.get("/events/" + query).get_data(as_text=True)
    return {t for t in ("A-rakor", "B-bimtek", "C-makassar", "D-past") if t in page}


def test_filters(client, login, make_user, make_event):
    make_event(title="A-rakor", host_region=region("19.71"))
    make_event(
        title="B-bimtek",
        kind=EventKind.BIMTEK,
        host_region=region("19"),
        status=EventStatus.CLOSED,
    )
    make_event(title="C-makassar", host_region=region("73.71"))
    make_event(
        title="D-past",
        starts_on=date.today() - timedelta(days=20),
        ends_on=date.today() - timedelta(days=19),
    )
    login(make_user("chapter_head"))
    bangka, sulsel = region("19").id, region("73").id
    assert _titles(client, "") == {"A-rakor", "B-bimtek", "C-makassar"}
    assert _titles(client, "?kind=bimtek") == {"B-bimtek"}
    assert _titles(client, f"?province={bangka}") == {"A-rakor", "B-bimtek"}
    assert _titles(client, f"?province={sulsel}") == {"C-makassar"}
    assert _titles(client, "?status=closed") == {"B-bimtek"}
    assert _titles(client, "?when=past") == {"D-past"}
    assert _titles(client, f"?when=past&province={sulsel}") == set()
    # Nonsense is ignored, never a 500.
    bad = "?kind=x&status=<b>&province=abc&page=-3&when=later"
    assert _titles(client, bad) == {"A-rakor", "B-bimtek", "C-makassar"}
    assert client.get("/events/?province=" + "9" * 30).status_code == 200
    assert client.get("/events/?page=" + "9" * 30).status_code == 200


def test_pagination(client, login, make_user, make_event):
    app = client.application
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_event(title=f"Acara-{n}", starts_on=date.today() + timedelta(days=10 + n))
    login(make_user("organiser"))
    first = client.get("/events/").get_data(as_text=True)
    assert "Acara-0" in first and "Acara-1" in first and "Acara-2" not in first
    assert "Halaman 1 dari 3" in first
    third = client.get("/events/?page=3").get_data(as_text=True)
    assert "Acara-4" in third and "Acara-0" not in third


# Query counts ---------------------------------------------------------------------


def _make_many(make_event, make_place, n: int, organiser) -> Event:
    """``n`` events in distinct regions and venues, and one more with ``n`` extra
    (password-less) organisers, so that any lazy load per row would show."""
    regencies = db.session.scalars(
        db.select(Region).where(Region.parent_id.is_not(None)).order_by(Region.code)
    ).all()
    for i in range(n):
        where = regencies[(i * 17) % len(regencies)]
        make_event(
            host_region=where,
            venue=make_place(region=where),
            organisers=[organiser],
        )
    others = [
        User(email=f"panitia{n}-{i}@example.org", display_name=f"Panitia {i}")
        for i in range(n)
    ]
    return make_event(venue=make_place(), organisers=[organiser, *others])


def _fill_delegations(event: Event, n: int, make_delegation, make_delegate) -> None:
    """``n`` delegations in distinct regions, each with a confirmed, an attended and a
    nominated delegate, so that a per-delegation query on the overview would show."""
    regencies = db.session.scalars(
        db.select(Region).where(Region.parent_id.is_not(None)).order_by(Region.code)
    ).all()
    for i in range(n):
        delegation = make_delegation(event, region=regencies[i], quota=4)
        for status in (
            DelegateStatus.CONFIRMED,
            DelegateStatus.ATTENDED,
            DelegateStatus.NOMINATED,
        ):
            make_delegate(delegation, status=status)


@pytest.mark.parametrize("path", ["list", "overview"])
def test_query_count_does_not_grow(
    client,
    login,
    make_user,
    make_event,
    make_place,
    make_delegation,
    make_delegate,
    count_queries,
    path,
):
    user = make_user("organiser")
    login(user)

    def measure(n: int) -> int:
        event = _make_many(make_event, make_place, n, user)
        if path == "overview":
            _fill_delegations(event, n, make_delegation, make_delegate)
        url = "/events/" if path == "list" else f"/events/{event.id}"
        # Requests share this test's session: expire it, so nothing comes for free.
        db.session.expire_all()
        with count_queries() as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    small = measure(3)
    db.session.execute(db.delete(Event))
    db.session.commit()
    assert measure(30) == small


# A venue typed on the event form ------------------------------------------------------


def test_a_new_venue_is_made_from_the_event_form(client, login, make_user, make_place):
    """Typed on the form, the venue is recorded in the host region (once: the same
    name again reuses it); choosing one and typing another is refused."""
    from planner.models import Place, PlaceKind

    login(make_user("organiser"))
    name = "Hotel Santika Pangkalpinang"
    response = client.post("/events/new", data=_form(new_venue_name=f"  {name} "))
    assert response.status_code == 302
    (event,) = _events()
    assert event.venue.name == name and event.venue.kind == PlaceKind.VENUE
    assert event.venue.region.code == "19"
    client.post("/events/new", data=_form(new_venue_name=name.upper(), title="Lagi"))
    assert {e.venue_id for e in _events()} == {event.venue_id}
    assert db.session.scalar(db.select(db.func.count(Place.id)).filter_by(name=name))

    other = make_place(name="UPT PTKS")
    response = client.post(
        "/events/new",
        data=_form(venue_id=str(other.id), new_venue_name="Aula Baru", title="Dua"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "jangan keduanya" in html and 'value="Aula Baru"' in html
    assert len(_events()) == 2
    assert not db.session.scalar(
        db.select(db.func.count(Place.id)).filter_by(name="Aula Baru")
    )
    response = client.post("/events/new", data=_form(new_venue_name="x" * 201))
    assert response.status_code == 200 and len(_events()) == 2


# The overview at a glance ------------------------------------------------------------


def test_event_numbers_count_what_the_summary_shows(
    app_ctx,
    make_event,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
):
    event = make_event()
    bangka = make_delegation(event, region=region("19.01"), quota=5)
    pusat = make_delegation(event, region=None, name="IPSM Pusat", quota=2)
    make_delegation(event, region=region("19.71"), quota=0)  # nobody yet
    for status in (
        DelegateStatus.CONFIRMED,
        DelegateStatus.CONFIRMED,
        DelegateStatus.ATTENDED,
        DelegateStatus.NOMINATED,
        DelegateStatus.WITHDRAWN,
    ):
        make_delegate(bangka, status=status)
    make_delegate(pusat, status=DelegateStatus.NOMINATED)
    make_vehicle(event, seats=7)
    make_vehicle(event, seats=12)
    trip = make_trip(event)
    make_leg(trip)
    make_trip(make_event())  # another event's trip is not counted

    numbers = event_numbers(event)

    # Region code order, the named body without a region last.
    assert [r.name for r in numbers.delegations] == [
        "Kabupaten Bangka",
        "Kota Pangkal Pinang",
        "IPSM Pusat",
    ]
    first = numbers.delegations[0]
    assert (first.quota, first.confirmed, first.attended, first.nominated) == (
        5,
        2,
        1,
        1,
    )
    assert first.taking_part == 3 and first.places_left == 2
    assert numbers.delegations[1].taking_part == 0
    assert (numbers.quota, numbers.taking_part, numbers.nominated) == (7, 3, 2)
    assert (numbers.vehicles, numbers.seats) == (2, 19)
    assert (numbers.trips, numbers.legs) == (1, 1)
    assert numbers.agenda_items == 0


def test_event_numbers_take_two_queries_whatever_the_size(
    app_ctx, make_event, make_delegation, make_delegate, count_queries
):
    def measure(n: int) -> int:
        event = make_event()
        _fill_delegations(event, n, make_delegation, make_delegate)
        db.session.expire_all()
        event = db.session.get(Event, event.id)  # the caller has it loaded
        with count_queries() as queries:
            numbers = event_numbers(event)
        assert len(numbers.delegations) == n
        assert numbers.taking_part == 2 * n and numbers.nominated == n
        return len(queries)

    assert measure(2) == measure(15) == 2


def _tab_ids(page: str) -> list[str]:
    return re.findall(r'role="tab" aria-controls="overview-(\w+)"', page)


def test_overview_puts_a_summary_on_top_and_sections_in_tabs(
    client, login, make_user, make_event, make_delegation, make_delegate
):
    user = make_user("organiser")
    event = make_event(organisers=[user], capacity=500, description="Rakor.")
    delegation = make_delegation(event, quota=4)
    make_delegate(delegation, status=DelegateStatus.CONFIRMED)
    make_delegate(delegation, status=DelegateStatus.NOMINATED)
    login(user)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)

    summary = page.split('id="summary"', 1)[1].split("</section>", 1)[0]
    assert "1/4" in summary and "1 diusulkan" in summary
    assert "Mata acara" in summary and "Perlu perhatian" in summary
    # The summary and the to-do list come before the tabs.
    assert page.index('id="summary"') < page.index('id="checklist"')
    assert page.index('id="checklist"') < page.index('role="tablist"')
    assert _tab_ids(page) == ["people", "travel", "agenda", "details"]
    # Each tab names its panel and each panel its tab; only the first is selected.
    for key in _tab_ids(page):
        assert f'id="overview-{key}" role="tabpanel"' in page
        assert f'aria-labelledby="overview-{key}-tab"' in page
        assert f'href="#overview-{key}"' in page
    assert page.count('aria-selected="true"') == 1
    assert page.count('data-bs-toggle="tab"') == 4
    # Every section keeps its id, in its tab.
    people = page.split('id="overview-people"', 1)[1].split('id="overview-travel"')[0]
    for section in ("delegations", "quota-fill", "rosters", "checkin", "import"):
        assert f'id="{section}"' in people
    details = page.split('id="overview-details"', 1)[1]
    for section in ("when", "where", "people", "description", "plan-file", "audit"):
        assert f'id="{section}"' in details
    # The picture of quota fill, drawn by the server.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="quota-fill"' in people
    assert "Kabupaten Bangka" in people
    # No inline script or handler (the CSP forbids them); the tabs script is a file.
    assert "<script>" not in page and " onclick=" not in page
    assert re.search(r"/static/js/overview\.[0-9a-f]+\.js", page)


def test_overview_leaves_out_tabs_with_nothing_to_show(
    client, login, make_user, make_event, make_delegation
):
    event = make_event(description="Rakor.")
    make_delegation(event, quota=4)
    login(make_user("participant"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'id="summary"' in page and 'id="when"' in page
    assert "quota-fill" not in page and 'id="checklist"' not in page
    assert "Perlu perhatian" not in page
    # What the participant may see (run-down, calendar, details) keeps its tabs.
    tabs = _tab_ids(page)
    assert "people" not in tabs and "details" in tabs


def test_a_large_event_charts_its_quotas_by_province(
    client, login, make_user, make_event, make_delegation, make_delegate
):
    """Above 40 delegations the overview draws one bar per province (a national
    event's 514 bars made a 35,000-unit picture and a 546 KB page); up to 40 it
    draws one per delegation."""
    from planner.services.overview import CHART_DELEGATIONS

    user = make_user("organiser")
    event = make_event(organisers=[user])
    regencies = db.session.scalars(
        db.select(Region)
        .where(Region.parent_id.is_not(None))
        .order_by(Region.code)
        .limit(CHART_DELEGATIONS)
    ).all()
    provinces = {r.parent.name for r in regencies}
    assert len(provinces) >= 2
    for regency in regencies:
        make_delegation(event, region=regency, quota=2)
    confirmed = make_delegation(event, region=None, name="IPSM Pusat", quota=5)
    make_delegate(confirmed, status=DelegateStatus.CONFIRMED)
    login(user)

    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    chart = page.split('id="quota-fill"', 1)[1].split("</figure>", 1)[0]
    assert chart.count('class="quota-row"') == len(provinces) + 1
    assert "Pengisian kuota per provinsi" in chart
    assert f"Pengisian kuota {CHART_DELEGATIONS + 1} delegasi" in chart
    assert "Tanpa wilayah: 1 dari kuota 5 terkonfirmasi" in chart
    first = regencies[0].parent.name
    share = 2 * sum(r.parent.name == first for r in regencies)
    assert f"{first}: 0 dari kuota {share} terkonfirmasi" in chart
    assert "Satu batang per provinsi, menjumlahkan 41 delegasinya" in chart

    # One delegation fewer: a bar each again.
    db.session.delete(confirmed)
    db.session.commit()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    chart = page.split('id="quota-fill"', 1)[1].split("</figure>", 1)[0]
    assert chart.count('class="quota-row"') == CHART_DELEGATIONS
    assert "Pengisian kuota per delegasi" in chart
    assert "Satu batang per delegasi" in chart
