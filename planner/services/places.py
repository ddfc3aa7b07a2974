"""Places: creating and correcting them, finding their coordinates, searching them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, or_
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.geo import get_geocoder
from planner.models import CoordinateSource, Place, PlaceKind, Region
from planner.services import PlannerError, parsing

#: Indonesia's rough bounding box (Rote to Weh, Weh to Merauke).
LAT_RANGE = (-11.0, 6.5)
LON_RANGE = (94.0, 141.5)

#: Sources a form may claim for coordinates picked from the geocoder's candidates.
_PICKABLE = {CoordinateSource.GAZETTEER.value, CoordinateSource.NOMINATIM.value}


def check_coordinates(lat: float | None, lon: float | None) -> None:
    """Refuse half a coordinate pair and points outside Indonesia's bounding box."""
    if lat is None and lon is None:
        return
    if lat is None:
        raise PlannerError(_("Isi lintang juga, atau kosongkan bujur."), field="lat")
    if lon is None:
        raise PlannerError(_("Isi bujur juga, atau kosongkan lintang."), field="lon")
    if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        raise PlannerError(_("Koordinat di luar wilayah Indonesia"), field="lat")
    if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
        raise PlannerError(_("Koordinat di luar wilayah Indonesia"), field="lon")


def _picked(data: dict) -> tuple[str, float, float] | None:
    """The geocoder candidate the form says was picked, if it is well-formed."""
    source = data.get("picked_source")
    if source not in _PICKABLE:
        return None
    try:
        lat = parsing.decimal(data.get("picked_lat"), field="lat")
        lon = parsing.decimal(data.get("picked_lon"), field="lat")
    except PlannerError:
        return None
    if lat is None or lon is None:
        return None
    return source, lat, lon


def _region(data: dict) -> Region | None:
    if "region" in data:
        return data["region"]
    region_id = data.get("region_id")
    if region_id in (None, ""):
        return None
    try:
        region = db.session.get(Region, int(region_id))
    except (TypeError, ValueError):
        region = None
    if region is None:
        raise PlannerError(_("Wilayah tidak dikenal."), field="region_id")
    return region


def _kind(value) -> PlaceKind:
    try:
        return PlaceKind(value)
    except ValueError:
        raise PlannerError(_("Jenis tempat tidak dikenal."), field="kind") from None


def _apply(place: Place, data: dict) -> None:
    """Check everything first, then assign, so a refusal leaves the place untouched."""
    name = parsing.text(data.get("name"))
    if name is None:
        raise PlannerError(_("Nama tempat wajib diisi."), field="name")
    kind = _kind(data.get("kind"))
    region = _region(data)
    lat = parsing.decimal(data.get("lat"), field="lat")
    try:
        lon = parsing.decimal(data.get("lon"), field="lat")
    except PlannerError as exc:
        raise PlannerError(str(exc), field="lon") from None
    check_coordinates(lat, lon)

    if lat is None:
        source = None
    elif place.id is not None and (place.lat, place.lon) == (lat, lon):
        source = place.coordinate_source  # untouched: keep where they came from
    elif (picked := _picked(data)) is not None and picked[1:] == (lat, lon):
        source = CoordinateSource(picked[0])
    else:
        source = CoordinateSource.MANUAL

    place.name = name
    place.kind = kind
    place.address = parsing.text(data.get("address"))
    place.region = region
    place.notes = parsing.text(data.get("notes"))
    place.lat, place.lon, place.coordinate_source = lat, lon, source


def create_place(*, data: dict) -> Place:
    """Create a place; typed coordinates are recorded as entered by hand."""
    place = Place()
    _apply(place, data)
    db.session.add(place)
    db.session.flush()
    return place


def update_place(place: Place, *, data: dict) -> Place:
    """Change a place; a shipped place keeps its code, new coordinates become manual."""
    _apply(place, data)
    db.session.flush()
    return place


def _inside(result) -> bool:
    return (
        LAT_RANGE[0] <= result.lat <= LAT_RANGE[1]
        and LON_RANGE[0] <= result.lon <= LON_RANGE[1]
    )


def suggest_coordinates(name: str | None, address: str | None, *, limit: int = 8):
    """Geocoder candidates for a typed name and address inside Indonesia, best first."""
    geocoder = get_geocoder()
    seen, results = set(), []
    for query in (name, address):
        if not query or not query.strip():
            continue
        for result in geocoder.search(query, limit=limit):
            key = (result.name, round(result.lat, 6), round(result.lon, 6))
            if key not in seen and _inside(result):
                seen.add(key)
                results.append(result)
    return results[:limit]


def geocode_place(place: Place) -> bool:
    """Fill the place's coordinates from the geocoder's best match; True if found."""
    results = suggest_coordinates(place.name, place.address, limit=1)
    if not results:
        return False
    best = results[0]
    place.lat, place.lon = best.lat, best.lon
    place.coordinate_source = CoordinateSource(best.source)
    if place.region is None and best.region_code:
        place.region = db.session.execute(
            db.select(Region).filter_by(code=best.region_code)
        ).scalar_one_or_none()
    db.session.flush()
    return True


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_places(query: str | None = None, kind: str | None = None) -> Select:
    """The statement listing places whose name or address contains ``query``."""
    stmt = db.select(Place).options(joinedload(Place.region).joinedload(Region.parent))
    query = " ".join((query or "").split())[:200]
    if query:
        pattern = f"%{_like_escape(query)}%"
        stmt = stmt.where(
            or_(
                Place.name.ilike(pattern, escape="\\"),
                Place.address.ilike(pattern, escape="\\"),
            )
        )
    if kind:
        try:
            stmt = stmt.where(Place.kind == PlaceKind(kind))
        except ValueError:
            stmt = stmt.where(db.false())
    return stmt.order_by(Place.name, Place.id)
