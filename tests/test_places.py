"""Places pages: list and search, create, show, hand-corrected coordinates, look-up."""

import html
import re

import pytest

from planner.extensions import db
from planner.models import CoordinateSource, Place, PlaceKind
from planner.services.regions import load_regions
from tests.conftest import region


@pytest.fixture
def organiser(make_user, login):
    """An organiser, signed in."""
    user = make_user("organiser")
    login(user)
    return user


@pytest.fixture
def port(app_ctx):
    """The shipped port of Muntok (loaded with the other shipped places)."""
    load_regions()
    db.session.commit()
    return db.session.execute(
        db.select(Place).filter_by(code="port:tanjung-kalian")
    ).scalar_one()


def places() -> list[Place]:
    """Places made by users (shipped ports and airports may be loaded too)."""
    db.session.expire_all()
    return db.session.scalars(
        db.select(Place).where(Place.code.is_(None)).order_by(Place.id)
    ).all()


def form(**changes) -> dict:
    data = {
        "name": "Hotel Bumi Asih",
        "kind": "hotel",
        "address": "Jl. Jenderal Sudirman 1, Pangkalpinang",
        "region_id": str(region("19.71").id),
        "lat": "-2,1291",
        "lon": "106,1090",
        "notes": "",
        "submit": "1",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# Permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/places/", "/places/new"])
def test_anonymous_is_sent_to_sign_in(client, app_ctx, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_participant_may_look_but_not_create(client, make_user, make_place, login):
    place = make_place(name="Gedung Serbaguna")
    login(make_user("participant"))
    assert client.get("/places/").status_code == 200
    assert client.get(f"/places/{place.id}").status_code == 200
    assert client.get("/places/new").status_code == 403
    assert client.post("/places/new", data=form()).status_code == 403
    assert client.get(f"/places/{place.id}/edit").status_code == 403
    edit = client.post(f"/places/{place.id}/edit", data=form(name="Diubah"))
    assert edit.status_code == 403
    assert client.post(f"/places/{place.id}/geocode").status_code == 403
    assert [p.name for p in places()] == ["Gedung Serbaguna"]


def test_unknown_place_is_404(client, organiser):
    assert client.get("/places/999999").status_code == 404
    assert client.get("/places/999999/edit").status_code == 404


# Creating ---------------------------------------------------------------------------


def test_create_with_comma_decimals_records_manual_coordinates(client, organiser):
    response = client.post("/places/new", data=form())
    (place,) = places()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/places/{place.id}")
    assert (place.name, place.kind) == ("Hotel Bumi Asih", PlaceKind.HOTEL)
    assert (place.lat, place.lon) == (-2.1291, 106.1090)
    assert place.coordinate_source == CoordinateSource.MANUAL
    assert place.region.code == "19.71"
    assert place.code is None
    page = text(client.get(response.headers["Location"]))
    assert "Hotel Bumi Asih" in page
    assert "-2.129100, 106.109000" in page
    assert "diisi/dikoreksi manual" in page
    assert "openstreetmap.org/?mlat=-2.129100&mlon=106.109000" in page
    # About 1.3 km from the seat of Kota Pangkal Pinang, written the Indonesian way.
    assert re.search(r"\d+,\d km ke Pangkalpinang", page)


def test_create_without_coordinates(client, organiser):
    client.post("/places/new", data=form(lat="", lon="", region_id=""))
    (place,) = places()
    assert place.lat is None and place.lon is None
    assert place.coordinate_source is None
    assert place.region is None
    assert "Belum ada koordinat." in text(client.get(f"/places/{place.id}"))


#: Bad input and the message shown next to the field.
BAD_INPUT = [
    ({"lat": "200"}, "Lintang harus antara -90 dan 90."),
    ({"lon": "-500"}, "Bujur harus antara -180 dan 180."),
    ({"lon": ""}, "Isi lintang dan bujur keduanya, atau kosongkan keduanya."),
    ({"lat": ""}, "Isi lintang dan bujur keduanya, atau kosongkan keduanya."),
    ({"lat": "abc"}, "Masukkan angka desimal, mis. -2,1291."),
    ({"lat": "NaN"}, "Masukkan angka desimal, mis. -2,1291."),
    ({"lon": "1e5"}, "Masukkan angka desimal, mis. -2,1291."),
    ({"lat": "1" * 10_000}, "Masukkan angka desimal, mis. -2,1291."),
    ({"lat": "48,85", "lon": "2,35"}, "Koordinat di luar wilayah Indonesia"),
    ({"name": ""}, "Nama tempat wajib diisi."),
    ({"name": "x" * 10_000}, "Paling banyak 200 karakter."),
    ({"address": "x" * 10_000}, "Paling banyak 500 karakter."),
    ({"region_id": "999999"}, "Pilih wilayah dari daftar."),
    ({"region_id": "abc"}, "Pilih wilayah dari daftar."),
    ({"kind": "castle"}, "Pilih jenis tempat dari daftar."),
]


def test_bad_input_is_refused_next_to_the_field(client, organiser):
    for changes, message in BAD_INPUT:
        response = client.post("/places/new", data=form(**changes))
        page = text(response)
        assert response.status_code == 200, changes
        assert message in page, changes
        assert "Periksa kembali isian yang ditandai." in page, changes
        if "name" not in changes:
            assert 'value="Hotel Bumi Asih"' in page, changes  # what was typed stays
        assert places() == [], changes


def test_script_tags_and_sql_are_stored_as_text_and_escaped(client, organiser):
    name = "<script>alert('x')</script> Aula'; DROP TABLE places;--"
    client.post("/places/new", data=form(name=name, address="<b>tebal</b>"))
    (place,) = places()
    assert place.name == name
    page = client.get(f"/places/{place.id}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page
    assert "<b>tebal</b>" not in page
    listing = client.get("/places/").get_data(as_text=True)
    assert "&lt;script&gt;alert" in listing and "<script>alert" not in listing


def test_region_select_groups_regencies_under_provinces(client, organiser):
    page = client.get("/places/new").get_data(as_text=True)
    assert page.count("<optgroup") == 38
    label = re.escape('<optgroup label="Kepulauan Bangka Belitung (19)">')
    group = re.search(label + "(.*?)</optgroup>", page, re.S).group(1)
    assert group.count("<option") == 1 + 7
    assert "Kota Pangkal Pinang (19.71)" in group


# Editing ---------------------------------------------------------------------------


def test_hand_correction_of_a_shipped_port_keeps_its_code(client, organiser, port):
    page = text(client.get(f"/places/{port.id}/edit"))
    assert 'value="-2.039624"' in page
    assert "port:tanjung-kalian" in page
    response = client.post(
        f"/places/{port.id}/edit",
        data=form(
            name=port.name,
            kind="port",
            address="",
            region_id=str(port.region_id),
            lat="-2,0611",
            lon="105,1501",
            notes="Dermaga diukur ulang dengan GPS.",
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert port.code == "port:tanjung-kalian"
    assert (port.lat, port.lon) == (-2.0611, 105.1501)
    assert port.coordinate_source == CoordinateSource.MANUAL
    # Reloading the shipped data keeps the correction.
    load_regions()
    db.session.commit()
    db.session.expire_all()
    assert (port.lat, port.lon) == (-2.0611, 105.1501)


def test_editing_other_fields_keeps_the_coordinate_source(client, organiser, port):
    page = text(client.get(f"/places/{port.id}/edit"))
    lat = re.search(r'name="lat"[^>]*value="([^"]*)"', page).group(1)
    lon = re.search(r'name="lon"[^>]*value="([^"]*)"', page).group(1)
    client.post(
        f"/places/{port.id}/edit",
        data=form(name=port.name, kind="port", region_id=str(port.region_id),
                  lat=lat, lon=lon, notes="Antre kendaraan mulai pukul 06.00 WIB."),
    )  # fmt: skip
    db.session.expire_all()
    assert port.coordinate_source == CoordinateSource.SHIPPED
    assert port.notes == "Antre kendaraan mulai pukul 06.00 WIB."


def test_bad_edit_changes_nothing(client, organiser, make_place):
    place = make_place(name="Aula Dinsos")
    response = client.post(f"/places/{place.id}/edit", data=form(lat="7", lon="150"))
    assert response.status_code == 200
    assert "Koordinat di luar wilayah Indonesia" in text(response)
    db.session.expire_all()
    assert (place.name, place.lat, place.lon) == ("Aula Dinsos", -2.1291, 106.1090)


# Looking coordinates up -------------------------------------------------------------


def pick_values(page: str) -> list[str]:
    return re.findall(r'name="pick" value="([^"]*)"', page)


def test_lookup_shows_candidates_and_picking_fills_the_form(client, organiser, port):
    data = form(name="Muntok", kind="port", address="", region_id="", lat="", lon="")
    del data["submit"]
    before = len(places())
    response = client.post("/places/new", data={**data, "lookup": "1"})
    page = text(response)
    assert response.status_code == 200
    assert "Pelabuhan Tanjung Kalian (Muntok)" in page
    picks = pick_values(page)
    assert picks[0] == "gazetteer|-2.039624|105.139349|19.05"
    assert len(places()) == before  # nothing saved

    response = client.post("/places/new", data={**data, "pick": picks[0]})
    page = text(response)
    assert re.search(r'<input[^>]*name="lat" type="text" value="-2.039624"', page)
    assert re.search(r'name="picked_source"[^>]*value="gazetteer"', page)
    selected = re.findall(r'<option selected value="(\d+)"', page)
    assert selected == [str(region("19.05").id)]
    assert len(places()) == before

    hidden = dict(
        re.findall(r'name="(picked_\w+)" type="hidden" value="([^"]*)"', page)
    )
    assert hidden == {
        "picked_source": "gazetteer",
        "picked_lat": "-2.039624",
        "picked_lon": "105.139349",
    }
    response = client.post(
        "/places/new",
        data={**data, **hidden, "name": "Dermaga Muntok", "lat": "-2.039624",
              "lon": "105.139349", "region_id": str(region("19.05").id),
              "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = places()[-1]
    assert saved.name == "Dermaga Muntok"
    assert saved.coordinate_source == CoordinateSource.GAZETTEER


def test_picked_coordinates_changed_by_hand_are_manual(client, organiser):
    client.post(
        "/places/new",
        data=form(picked_source="gazetteer", picked_lat="-2.140979",
                  picked_lon="106.115914", lat="-2.14", lon="106.11"),
    )  # fmt: skip
    (place,) = places()
    assert place.coordinate_source == CoordinateSource.MANUAL


def test_forged_picks_are_not_believed(client, organiser):
    for claimed in ("shipped", "nominatim<script>", "x" * 5000):
        response = client.post(
            "/places/new",
            data=form(
                picked_source=claimed, picked_lat="-2.1291", picked_lon="106.109"
            ),
        )
        assert response.status_code in (200, 302), claimed
    assert all(p.coordinate_source == CoordinateSource.MANUAL for p in places())
    for pick in ("garbage", "a|b|c|d", "gazetteer|1|2", "x|1e5|2|", "|" * 1000):
        response = client.post(
            "/places/new", data={**form(lat="", lon=""), "pick": pick}
        )
        assert response.status_code == 200, pick
    assert len(places()) <= 1


def test_lookup_finding_nothing_says_so(client, organiser):
    response = client.post(
        "/places/new", data=form(name="zzzz", address="", lookup="1", submit=None)
    )
    assert response.status_code == 200
    assert "Tidak ada koordinat yang cocok" in text(response)
    assert places() == []


def test_lookup_survives_nominatim_failure(client, organiser, app, monkeypatch):
    from planner import geo

    class Broken:
        def __init__(self, **kwargs):
            pass

        def geocode(self, *args, **kwargs):
            raise OSError("no network")

    monkeypatch.setattr(geo, "Nominatim", Broken)
    geo._nominatim_geocode.cache_clear()
    app.config.update(GEOCODER="nominatim", NOMINATIM_MIN_DELAY_SECONDS=0)
    try:
        response = client.post(
            "/places/new", data=form(name="Muntok", lookup="1", submit=None)
        )
    finally:
        geo._nominatim_geocode.cache_clear()
    assert response.status_code == 200
    assert "Tidak ada koordinat yang cocok" in text(response)


def test_geocode_button_fills_missing_coordinates(client, organiser, make_place):
    place = make_place(name="Pelabuhan Bakauheni", kind=PlaceKind.PORT, lat=None,
                       lon=None, region=None)  # fmt: skip
    response = client.post(f"/places/{place.id}/geocode")
    assert response.status_code == 302
    db.session.expire_all()
    assert (place.lat, place.lon) == (-5.870634, 105.743136)
    assert place.coordinate_source == CoordinateSource.GAZETTEER
    assert place.region.code == "18.01"

    lost = make_place(name="Entah di mana", lat=None, lon=None)
    client.post(f"/places/{lost.id}/geocode")
    db.session.expire_all()
    assert lost.lat is None


# Listing --------------------------------------------------------------------------


def test_search_by_name_or_address_and_kind(client, organiser, make_place):
    make_place(name="Hotel Novotel Bangka", kind=PlaceKind.HOTEL)
    make_place(name="Aula Kantor Gubernur", kind=PlaceKind.OFFICE,
               address="Jl. Pulau Bangka, Air Itam")  # fmt: skip
    make_place(name="Terminal Girimaya", kind=PlaceKind.TERMINAL)
    page = text(client.get("/places/?q=bangka"))
    assert "Hotel Novotel Bangka" in page and "Aula Kantor Gubernur" in page
    assert "Terminal Girimaya" not in page
    page = text(client.get("/places/?q=bangka&kind=hotel"))
    assert "Hotel Novotel Bangka" in page and "Aula Kantor Gubernur" not in page
    page = text(client.get("/places/?q=%25"))
    assert "Tidak ada tempat yang cocok." in page
    page = text(client.get("/places/?kind=castle&q=" + "x" * 5000))
    assert "Tidak ada tempat yang cocok." in page


def test_list_is_paginated(client, organiser, make_place, app):
    app.config["PAGE_SIZE"] = 5
    for n in range(12):
        make_place(name=f"Balai {n:02d}")
    page = text(client.get("/places/"))
    assert "Balai 00" in page and "Balai 05" not in page
    assert "Halaman 1 dari 3" in page
    assert "Balai 10" in text(client.get("/places/?page=3"))
    assert client.get("/places/?page=abc").status_code == 200
    assert client.get("/places/?page=99").status_code == 200


def test_list_and_show_use_a_constant_number_of_queries(
    client, organiser, make_place, count_queries
):
    def queries(path):
        # The tests share the requests' session: a first request reloads the
        # signed-in user after the factories' commits, the second is measured.
        assert client.get(path).status_code == 200
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    make_place(name="Satu", region=region("19.71"))
    few = queries("/places/")
    for code in ("19.01", "19.02", "32.16", "35.78", "91.71", "51.71"):
        for n in range(3):
            make_place(name=f"Tempat {code} {n}", region=region(code))
    assert queries("/places/") == few
    assert queries("/places/?q=tempat&kind=venue") == few

    place = make_place(name="Detail", region=region("32.16"))
    assert queries(f"/places/{place.id}") <= 2


def test_forms_need_the_csrf_token(client, organiser, app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/places/new", data={**form(), "lookup": "1"})
    assert response.status_code == 400
    page = client.get("/places/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/places/new", data={**form(), "csrf_token": token})
    assert response.status_code == 302
    assert len(places()) == 1
