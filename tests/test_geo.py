"""Distances and geocoding: the offline gazetteer, choosing Nominatim, its failures."""

import logging

import pytest
from geopy.exc import GeocoderServiceError, GeocoderTimedOut

from planner import geo
from planner.extensions import db
from planner.models import CoordinateSource, Place, PlaceKind
from planner.services.regions import load_regions
from tests.conftest import region


@pytest.fixture
def gazetteer(app_ctx):
    """The offline gazetteer, inside an application context."""
    return geo.OfflineGazetteer()


@pytest.fixture
def shipped_places(app_ctx):
    """Load the shipped ports and airports (the test database keeps only regions)."""
    load_regions()
    db.session.commit()


def codes(results):
    return [r.region_code for r in results]


# The offline gazetteer ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["Pangkalpinang", "pangkal pinang", "PANGKALPINANG", "Kota Pangkal Pinang",
     "Pangkalpinàng"],
)  # fmt: skip
def test_city_found_by_name_or_seat_whatever_the_spelling(gazetteer, query):
    best = gazetteer.search(query)[0]
    assert best.region_code == "19.71"
    assert best.name == "Kota Pangkal Pinang"
    assert best.kind == "kota"
    assert best.source == "gazetteer"
    assert best.lat == pytest.approx(-2.140979)


def test_muntok_is_the_ferry_port(gazetteer):
    results = gazetteer.search("muntok")
    assert results[0].name == "Pelabuhan Tanjung Kalian (Muntok)"
    assert results[0].kind == "port"
    assert results[0].region_code == "19.05"
    # The regency whose seat is Muntok comes next.
    assert "19.05" in codes(results[1:])


@pytest.mark.parametrize("query", ["PGK", "pgk", "Depati Amir", "Bandara Depati Amir"])
def test_airport_found_by_iata_code_or_name(gazetteer, query):
    best = gazetteer.search(query)[0]
    assert best.name == "Pangkal Pinang (Depati Amir) Airport"
    assert best.kind == "airport"
    assert best.region_code == "19.04"


def test_iata_code_matches_whole_only(gazetteer):
    assert all(r.kind != "airport" for r in gazetteer.search("PG"))


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("kab bekasi", "32.16"),
        ("Kab. Bekasi", "32.16"),
        ("Kabupaten Bekasi", "32.16"),
        ("kota bekasi", "32.75"),
        ("Sungai Liat", "19.01"),
        ("sungailiat", "19.01"),
        ("Bangka Belitung", "19"),
    ],
)
def test_regency_and_city_prefixes_choose_between_namesakes(gazetteer, query, code):
    assert gazetteer.search(query)[0].region_code == code


def test_bakauheni_is_the_port(gazetteer):
    best = gazetteer.search("Pelabuhan Bakauheni")[0]
    assert (best.name, best.kind, best.region_code) == (
        "Pelabuhan Bakauheni",
        "port",
        "18.01",
    )


def test_ranking_exact_then_prefix_then_substring(gazetteer):
    results = gazetteer.search("bangka", limit=6)
    # Exact: Kabupaten Bangka; prefix: Bangka Barat/Selatan/Tengah;
    # substring: Kepulauan Bangka Belitung.
    assert results[0].region_code == "19.01"
    assert set(codes(results[1:4])) == {"19.03", "19.04", "19.05"}
    assert codes(results).index("19") > 3


def test_limit_is_respected(gazetteer):
    assert len(gazetteer.search("kota", limit=3)) <= 3
    assert len(gazetteer.search("tanjung", limit=2)) == 2
    assert gazetteer.search("tanjung", limit=0) == []


@pytest.mark.parametrize(
    "query", ["zzzz", "", "   ", "%", "_", "'; DROP TABLE places;--"]
)
def test_nothing_found_for_nonsense(gazetteer, query):
    assert gazetteer.search(query) == []


def test_very_long_query_is_harmless(gazetteer):
    assert gazetteer.search("Pangkalpinang " * 2000) is not None


def test_saved_places_are_found_by_name_and_address(gazetteer, make_place):
    make_place(
        name="Hotel Santika Bangka",
        address="Jl. Jenderal Sudirman No. 1, Pangkalpinang",
        lat=-2.1205,
        lon=106.1130,
    )
    make_place(name="Balai Santika Tanpa Koordinat", lat=None, lon=None)
    results = gazetteer.search("santika")
    assert [r.name for r in results] == ["Hotel Santika Bangka"]
    assert results[0].region_code == "19.71"
    assert results[0].kind == "venue"
    assert (results[0].lat, results[0].lon) == (-2.1205, 106.1130)
    by_address = gazetteer.search("jenderal sudirman")
    assert by_address[0].name == "Hotel Santika Bangka"
    assert gazetteer.search("Soekarno Hatta")[0].name == (
        "Soekarno-Hatta International Airport"
    )


def test_saved_places_are_read_in_bounded_numbers(gazetteer, count_queries):
    db.session.add_all(
        Place(
            name=f"Balai Warga Desa {n:02d}", kind=PlaceKind.VENUE, lat=-2.1, lon=106.1
        )
        for n in range(geo.DB_CANDIDATES + 10)
    )
    db.session.add(Place(name="Balai", kind=PlaceKind.VENUE, lat=-2.2, lon=106.2))
    db.session.commit()
    with count_queries() as queries:
        results = gazetteer.search("balai", limit=3)
    assert len(queries) == 1
    assert results[0].name == "Balai"
    assert len(results) == 3


def test_corrected_shipped_place_replaces_the_csv_row(gazetteer, shipped_places):
    port = db.session.execute(
        db.select(Place).filter_by(code="port:tanjung-kalian")
    ).scalar_one()
    port.lat, port.lon = -2.0700, 105.1500
    port.coordinate_source = CoordinateSource.MANUAL
    db.session.commit()
    results = gazetteer.search("muntok")
    ports = [r for r in results if r.kind == PlaceKind.PORT]
    assert len(ports) == 1
    assert (ports[0].lat, ports[0].lon) == (-2.0700, 105.1500)


def test_csv_part_is_built_once(gazetteer):
    gazetteer.search("Pangkalpinang")
    assert geo._csv_entries() is geo._csv_entries()
    assert len(geo._csv_entries()) == 38 + 514 + 7 + 46


# Distances -------------------------------------------------------------------------


def test_distance_pangkalpinang_jakarta(app_ctx):
    pangkalpinang, jakarta = region("19.71"), region("31")
    km = geo.distance_km(pangkalpinang, jakarta)
    # Straight line between the two seats, on the WGS-84 ellipsoid.
    assert 445 < km < 460
    assert geo.distance_km((jakarta.lat, jakarta.lon), pangkalpinang) == pytest.approx(
        km
    )


def test_distance_airports_and_missing_points():
    assert geo.distance_km((-2.1622, 106.139), (-6.12557, 106.656)) == pytest.approx(
        442.0, abs=1
    )
    assert geo.distance_km((0, 100), (0, 100)) == 0
    assert geo.distance_km(None, (0, 100)) is None
    assert geo.distance_km(Place(name="x"), (0, 100)) is None


# Choosing a geocoder; Nominatim (never called for real) ----------------------------


class FakeLocation:
    def __init__(self, address, lat, lon, raw):
        self.address, self.latitude, self.longitude, self.raw = address, lat, lon, raw


class FakeNominatim:
    """Stands in for geopy's Nominatim; remembers how it was built and called."""

    instances: list["FakeNominatim"] = []
    error: Exception | None = None

    def __init__(self, user_agent, timeout=None):
        self.user_agent = user_agent
        self.calls = []
        FakeNominatim.instances.append(self)

    def geocode(self, query, **kwargs):
        self.calls.append((query, kwargs))
        if FakeNominatim.error is not None:
            raise FakeNominatim.error
        return [
            FakeLocation(
                "Bandar Udara Depati Amir, Pangkalpinang, Indonesia",
                -2.162,
                106.139,
                {"type": "aerodrome"},
            )
        ]


@pytest.fixture
def fake_nominatim(monkeypatch, app_ctx):
    """Select Nominatim in the config, with geopy's class replaced by a fake."""
    FakeNominatim.instances, FakeNominatim.error = [], None
    monkeypatch.setattr(geo, "Nominatim", FakeNominatim)
    geo._nominatim_geocode.cache_clear()
    app_ctx.config.update(
        GEOCODER="nominatim",
        NOMINATIM_USER_AGENT="rombongan-test",
        NOMINATIM_MIN_DELAY_SECONDS=0,
    )
    yield FakeNominatim
    geo._nominatim_geocode.cache_clear()


def test_offline_is_the_default(app_ctx):
    assert isinstance(geo.get_geocoder(), geo.OfflineGazetteer)


def test_config_selects_nominatim(fake_nominatim):
    geocoder = geo.get_geocoder()
    assert isinstance(geocoder, geo.NominatimGeocoder)
    results = geocoder.search("Depati Amir", limit=3)
    assert results == [
        geo.GeocodeResult(
            name="Bandar Udara Depati Amir, Pangkalpinang, Indonesia",
            lat=-2.162,
            lon=106.139,
            region_code=None,
            source="nominatim",
            kind="aerodrome",
        )
    ]
    (instance,) = fake_nominatim.instances
    assert instance.user_agent == "rombongan-test"
    query, kwargs = instance.calls[0]
    assert query == "Depati Amir"
    assert kwargs["country_codes"] == "id"
    assert kwargs["limit"] == 3


def test_one_rate_limiter_is_shared_between_requests(fake_nominatim):
    geo.get_geocoder().search("a")
    geo.get_geocoder().search("b")
    assert len(fake_nominatim.instances) == 1
    assert len(fake_nominatim.instances[0].calls) == 2


@pytest.mark.parametrize(
    "error",
    [GeocoderServiceError("503"), GeocoderTimedOut("slow"), ConnectionError("down")],
)
def test_nominatim_failure_is_an_empty_list_and_a_warning(
    fake_nominatim, caplog, error
):
    fake_nominatim.error = error
    with caplog.at_level(logging.WARNING, logger="planner.geo"):
        assert geo.get_geocoder().search("Depati Amir") == []
    assert "Nominatim failed" in caplog.text
