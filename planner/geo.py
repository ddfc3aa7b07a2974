"""Distances and geocoding; the only module that imports geopy."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from flask import current_app
from geopy.distance import geodesic
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from sqlalchemy import func, or_
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import Place

logger = logging.getLogger(__name__)

#: Places read from the database per search, at most (the rest is ranked away anyway).
DB_CANDIDATES = 50

#: Longest query the geocoders accept; longer input is cut (it is typed by people).
MAX_QUERY_LENGTH = 200


def _point(value) -> tuple[float, float] | None:
    if value is None:
        return None
    if isinstance(value, tuple | list):
        lat, lon = value
    else:
        lat, lon = getattr(value, "lat", None), getattr(value, "lon", None)
    if lat is None or lon is None:
        return None
    return float(lat), float(lon)


def distance_km(a, b) -> float | None:
    """Geodesic distance in km between two (lat, lon) pairs or objects with lat/lon.

    None when either side has no coordinates.
    """
    pa, pb = _point(a), _point(b)
    if pa is None or pb is None:
        return None
    return geodesic(pa, pb).km


@dataclass(frozen=True)
class GeocodeResult:
    """One candidate for a searched name: where it is and where it came from."""

    name: str
    lat: float
    lon: float
    region_code: str | None
    source: str
    kind: str


class Geocoder(Protocol):
    """Anything that turns a typed name into ranked candidates."""

    def search(self, query: str, *, limit: int = 5) -> list[GeocodeResult]: ...


# Normalising names ------------------------------------------------------------------

#: Words that say what kind of thing a name is, not which one; dropped before matching.
_NOISE = re.compile(
    r"\b(?:kabupaten|kab|kota|kotamadya|kotamadia|administrasi|adm|provinsi|prov"
    r"|pelabuhan|pel|bandara|bandar udara|airport|international|internasional)\b"
)
_KIND_HINTS = (
    ("kabupaten", re.compile(r"^(?:kabupaten|kab)\b")),
    ("kota", re.compile(r"^(?:kota|kotamadya|kotamadia)\b")),
    ("provinsi", re.compile(r"^(?:provinsi|prov)\b")),
    ("port", re.compile(r"\b(?:pelabuhan|pel)\b")),
    ("airport", re.compile(r"\b(?:bandara|bandar udara|airport)\b")),
)


def fold(text: str) -> str:
    """Lower-case ASCII words, single-spaced ("Kab. Bekasi" -> "kab bekasi")."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _kind_hint(folded: str) -> str | None:
    for kind, pattern in _KIND_HINTS:
        if pattern.search(folded):
            return kind
    return None


def _strip_noise(folded: str) -> str:
    stripped = " ".join(_NOISE.sub(" ", folded).split())
    return stripped or folded


@dataclass(frozen=True)
class _Alias:
    compact: str  #: without spaces, so "pangkal pinang" == "pangkalpinang"
    tokens: frozenset[str]
    weight: float  #: how much a match on this alias is worth (name > seat > address)
    exact_only: bool = False  #: codes such as "PGK" match whole, never as a prefix


def _alias(text: str, weight: float, *, exact_only: bool = False) -> _Alias | None:
    words = _strip_noise(fold(text))
    if not words:
        return None
    return _Alias(
        words.replace(" ", ""), frozenset(words.split()), weight, exact_only=exact_only
    )


@dataclass
class _Entry:
    result: GeocodeResult
    aliases: list[_Alias] = field(default_factory=list)
    #: Identity used to drop duplicates (a saved shipped place replaces its CSV row).
    key: str = ""

    def add(self, text: str | None, weight: float, *, exact_only: bool = False):
        if text:
            alias = _alias(text, weight, exact_only=exact_only)
            if alias is not None:
                self.aliases.append(alias)


@dataclass(frozen=True)
class _Query:
    compact: str
    tokens: frozenset[str]
    hint: str | None


def _make_query(text: str) -> _Query | None:
    folded = fold((text or "")[:MAX_QUERY_LENGTH])
    words = _strip_noise(folded)
    if not words:
        return None
    return _Query(words.replace(" ", ""), frozenset(words.split()), _kind_hint(folded))


def _score(entry: _Entry, query: _Query) -> tuple | None:
    """Rank key: exact > prefix > substring > shared words, then kind hint, weight."""
    best = None
    for alias in entry.aliases:
        if alias.compact == query.compact:
            tier = 3
        elif alias.exact_only:
            continue
        elif len(query.compact) >= 2 and alias.compact.startswith(query.compact):
            tier = 2
        elif len(query.compact) >= 3 and query.compact in alias.compact:
            tier = 1
        else:
            tier = 0
        shared = {t for t in query.tokens & alias.tokens if len(t) >= 3}
        overlap = len(shared) / len(query.tokens)
        if tier == 0 and not shared:
            continue
        hint = 0
        if query.hint is not None:
            hint = 1 if query.hint == entry.result.kind else -1
        key = (tier, hint, overlap, alias.weight, -len(alias.compact))
        if best is None or key > best:
            best = key
    return best


# The offline gazetteer -------------------------------------------------------------


def _without_parentheses(text: str) -> tuple[str, list[str]]:
    inner = re.findall(r"\(([^)]*)\)", text)
    return re.sub(r"\([^)]*\)", " ", text), inner


@lru_cache(maxsize=1)
def _csv_entries() -> tuple[_Entry, ...]:
    """Entries for the shipped regions, ports and airports; built once per process."""
    from planner.services.regions import read_places_csv

    entries = []
    for row in read_places_csv():
        lat, lon = row["lat"], row["lon"]
        if not lat or not lon:
            continue
        level = row["level"]
        if level in ("province", "regency"):
            result = GeocodeResult(
                name=row["name"],
                lat=float(lat),
                lon=float(lon),
                region_code=row["code"],
                source="gazetteer",
                kind=row["type"],
            )
            entry = _Entry(result, key=f"region:{row['code']}")
            # A city's name outranks its seat, a regency's seat outranks a province's.
            entry.add(row["name"], 1.0 if level == "regency" else 0.98)
            entry.add(row["seat"], 0.9 if level == "regency" else 0.85)
        else:
            result = GeocodeResult(
                name=row["name"],
                lat=float(lat),
                lon=float(lon),
                region_code=row["parent_code"] or None,
                source="gazetteer",
                kind=level,
            )
            entry = _Entry(result, key=f"place:{row['code']}")
            outside, inside = _without_parentheses(row["name"])
            entry.add(row["name"], 0.95)
            entry.add(outside, 0.95)
            for part in inside:
                entry.add(part, 0.95)
            if level == "airport":
                entry.add(row["code"].removeprefix("iata:"), 1.0, exact_only=True)
                icao = row["seat"].removeprefix("ICAO ").strip()
                entry.add(icao, 1.0, exact_only=True)
            else:
                # The village the port stands in ("Bakauheni (18.01.21.2004)").
                entry.add(_without_parentheses(row["seat"])[0], 0.8)
        entries.append(entry)
    return tuple(entries)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _db_entries(query: _Query) -> list[_Entry]:
    """Saved places with coordinates whose name or address contains a query word."""
    words = {w for w in (query.compact, *query.tokens) if len(w) >= 3}
    words = sorted(words or {query.compact}, key=len, reverse=True)[:5]
    conditions = []
    for word in words:
        pattern = f"%{_like_escape(word)}%"
        conditions += [
            Place.name.ilike(pattern, escape="\\"),
            Place.address.ilike(pattern, escape="\\"),
        ]
    places = db.session.scalars(
        db.select(Place)
        .options(joinedload(Place.region))
        .where(Place.lat.is_not(None), or_(*conditions))
        # Shorter names first: an exact match must not fall beyond the limit.
        .order_by(func.length(Place.name), Place.id)
        .limit(DB_CANDIDATES)
    ).all()
    entries = []
    for place in places:
        result = GeocodeResult(
            name=place.name,
            lat=place.lat,
            lon=place.lon,
            region_code=place.region.code if place.region else None,
            source="gazetteer",
            kind=str(place.kind),
        )
        entry = _Entry(result, key=f"place:{place.code or place.id}")
        entry.add(place.name, 0.97)
        if place.code:
            outside, inside = _without_parentheses(place.name)
            entry.add(outside, 0.95)
            for part in inside:
                entry.add(part, 0.95)
        entry.add(place.address, 0.7)
        entries.append(entry)
    return entries


class OfflineGazetteer:
    """Matches names against the shipped regions, ports, airports and saved places."""

    def search(self, query: str, *, limit: int = 5) -> list[GeocodeResult]:
        """Candidates for ``query``, best first; empty when nothing matches."""
        parsed = _make_query(query)
        if parsed is None or limit <= 0:
            return []
        # Saved places come first so a corrected shipped port replaces its CSV row.
        ranked: dict[str, tuple[tuple, _Entry]] = {}
        for entry in [*_db_entries(parsed), *_csv_entries()]:
            if entry.key in ranked:
                continue
            score = _score(entry, parsed)
            if score is not None:
                ranked[entry.key] = (score, entry)
        best = sorted(ranked.values(), key=lambda item: item[0], reverse=True)
        return [entry.result for _, entry in best[:limit]]


# Nominatim --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _nominatim_geocode(user_agent: str, min_delay_seconds: float):
    """One rate-limited geocode function per configuration, shared by all requests."""
    geolocator = Nominatim(user_agent=user_agent, timeout=10)
    return RateLimiter(
        geolocator.geocode,
        min_delay_seconds=min_delay_seconds,
        max_retries=0,
        error_wait_seconds=min_delay_seconds,
        swallow_exceptions=False,
    )


class NominatimGeocoder:
    """OpenStreetMap's Nominatim, limited to Indonesia and to one request per delay."""

    def __init__(self, user_agent: str, min_delay_seconds: float = 1.0) -> None:
        self._geocode = _nominatim_geocode(user_agent, float(min_delay_seconds))

    def search(self, query: str, *, limit: int = 5) -> list[GeocodeResult]:
        """Candidates from Nominatim; an empty list (and a warning) when it fails."""
        query = " ".join((query or "")[:MAX_QUERY_LENGTH].split())
        if not query or limit <= 0:
            return []
        try:
            locations = self._geocode(
                query, exactly_one=False, limit=limit, country_codes="id"
            )
        except (GeopyError, OSError) as exc:
            logger.warning("Nominatim failed for %r: %s", query, exc)
            return []
        results = []
        for location in locations or []:
            raw = getattr(location, "raw", None) or {}
            results.append(
                GeocodeResult(
                    name=location.address,
                    lat=float(location.latitude),
                    lon=float(location.longitude),
                    region_code=None,
                    source="nominatim",
                    kind=str(raw.get("type") or "other"),
                )
            )
        return results[:limit]


def get_geocoder() -> Geocoder:
    """The geocoder chosen by ``GEOCODER``: "offline" (default) or "nominatim"."""
    config = current_app.config
    if config.get("GEOCODER", "offline") == "nominatim":
        return NominatimGeocoder(
            config["NOMINATIM_USER_AGENT"],
            config.get("NOMINATIM_MIN_DELAY_SECONDS", 1.0),
        )
    return OfflineGazetteer()
