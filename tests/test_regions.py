"""Region pages and the ``flask regions load`` command."""

import re

import pytest

from planner.extensions import db
from planner.models import CoordinateSource, Place, PlaceKind, Region, RegionKind
from tests.conftest import region


@pytest.fixture
def viewer(make_user, login):
    """A participant (the least privileged account), signed in."""
    user = make_user("participant")
    login(user)
    return user


def region_links(page: str) -> list[str]:
    """Codes of the regions linked from a page's table."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return re.findall(r'href="/regions/([0-9.]+)"', body)


# Pages -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, app_ctx):
    for path in ("/regions/", "/regions/19"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]


def test_index_lists_the_38_provinces_in_code_order(client, viewer):
    page = client.get("/regions/").get_data(as_text=True)
    codes = region_links(page)
    assert len(codes) == 38
    assert codes == sorted(codes)
    assert codes[0] == "11" and codes[-1] == "96"
    assert "38 provinsi, 514 kabupaten/kota" in page
    row = re.search(r'href="/regions/35">Jawa Timur</a></td>(.*?)</tr>', page, re.S)
    assert "WIB" in row.group(1) and "Surabaya" in row.group(1)
    assert '<td class="text-end">38</td>' in row.group(1)
    bangka = re.search(r'href="/regions/19">(.*?)</a>(.*?)</tr>', page, re.S)
    assert bangka.group(1) == "Kepulauan Bangka Belitung"
    assert '<td class="text-end">7</td>' in bangka.group(2)
    assert "WITA" in page and "WIT<" in page


def test_province_page_lists_its_regencies_and_cities(client, viewer):
    page = client.get("/regions/35").get_data(as_text=True)
    assert "Jawa Timur" in page
    codes = region_links(page)
    assert len(codes) == 38
    assert all(code.startswith("35.") for code in codes)
    assert "Kabupaten Pacitan" in page and "Kota Surabaya" in page

    page = client.get("/regions/19").get_data(as_text=True)
    assert "<h1" in page and "Kepulauan Bangka Belitung</h1>" in page
    assert region_links(page) == [
        "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"
    ]  # fmt: skip
    assert "Muntok" in page and "Kota</td>" in page and "Kabupaten</td>" in page


def test_regency_page_shows_province_seat_and_places(client, viewer, make_place):
    make_place(name="Aula Dinas Sosial Provinsi", region=region("19.71"))
    make_place(name="Hotel di Bekasi", region=region("32.16"))
    page = client.get("/regions/19.71").get_data(as_text=True)
    assert "Kota Pangkal Pinang</h1>" in page
    assert 'href="/regions/19"' in page
    assert "Pangkalpinang" in page
    assert "WIB (Asia/Jakarta)" in page
    assert "-2.140979, 106.115914" in page
    assert "Aula Dinas Sosial Provinsi" in page
    assert "Hotel di Bekasi" not in page
    papua = client.get("/regions/91.71").get_data(as_text=True)
    assert "WIT (Asia/Jayapura)" in papua


@pytest.mark.parametrize("code", ["99.99", "99", "19.7", "<script>", "1" * 500])
def test_unknown_code_is_404(client, viewer, code):
    assert client.get(f"/regions/{code}").status_code == 404


def test_pages_use_a_constant_number_of_queries(
    client, viewer, make_place, count_queries
):
    def queries(path):
        # The tests share the requests' session: a first request reloads the
        # signed-in user after the factories' commits, the second is measured.
        assert client.get(path).status_code == 200
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    # 7 regencies/cities against 38.
    assert queries("/regions/19") == queries("/regions/35")
    index = queries("/regions/")
    assert index <= queries("/regions/19") + 1
    # A regency with no place against one with many.
    empty = queries("/regions/19.71")
    for n in range(6):
        make_place(name=f"Tempat {n}", region=region("19.71"))
    assert queries("/regions/19.71") == empty


# flask regions load -------------------------------------------------------------------


def counts() -> dict[str, int]:
    regions = db.session.scalars(db.select(Region)).all()
    places = db.session.scalars(db.select(Place).where(Place.code.is_not(None))).all()
    return {
        "provinces": sum(r.kind == RegionKind.PROVINSI for r in regions),
        "regencies": sum(r.kind != RegionKind.PROVINSI for r in regions),
        "ports": sum(p.kind == PlaceKind.PORT for p in places),
        "airports": sum(p.kind == PlaceKind.AIRPORT for p in places),
    }


def test_load_is_idempotent_and_complete(runner, app_ctx):
    first = runner.invoke(args=["regions", "load"])
    assert first.exit_code == 0, first.output
    assert "regions: 0 created" in first.output  # loaded once for the test session
    db.session.expire_all()
    assert counts() == {"provinces": 38, "regencies": 514, "ports": 7, "airports": 46}
    assert db.session.scalar(db.select(db.func.count(Region.id))) == 552

    second = runner.invoke(args=["regions", "load"])
    assert second.exit_code == 0, second.output
    assert "Nothing changed" in second.output
    assert "places: 0 created, 0 updated, 53 unchanged" in second.output
    assert counts() == {"provinces": 38, "regencies": 514, "ports": 7, "airports": 46}


def test_every_region_has_an_indonesian_zone(app_ctx):
    zones = {
        "Asia/Jakarta": "WIB",
        "Asia/Pontianak": "WIB",
        "Asia/Makassar": "WITA",
        "Asia/Jayapura": "WIT",
    }
    regions = db.session.scalars(db.select(Region)).all()
    assert len(regions) == 552
    for r in regions:
        assert r.timezone in zones, r
        assert r.tz_abbr == zones[r.timezone], r
        if r.parent is not None:
            assert r.parent.is_province and r.code.startswith(r.parent.code + "."), r
    assert region("19.71").tz_abbr == "WIB"
    assert region("51").tz_abbr == "WITA"
    assert region("94").tz_abbr == "WIT"


def test_hand_corrected_port_keeps_its_coordinates_on_reload(runner, app_ctx):
    assert runner.invoke(args=["regions", "load"]).exit_code == 0
    merak = db.session.execute(
        db.select(Place).filter_by(code="port:merak")
    ).scalar_one()
    bakauheni = db.session.execute(
        db.select(Place).filter_by(code="port:bakauheni")
    ).scalar_one()
    merak.lat, merak.lon = -5.9300, 105.9950
    merak.coordinate_source = CoordinateSource.MANUAL
    bakauheni.lat = -5.0  # an unexplained change to shipped data is undone
    db.session.commit()

    result = runner.invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "places: 0 created, 1 updated, 52 unchanged" in result.output
    db.session.expire_all()
    assert (merak.lat, merak.lon) == (-5.9300, 105.9950)
    assert merak.coordinate_source == CoordinateSource.MANUAL
    assert bakauheni.lat == pytest.approx(-5.870634)
