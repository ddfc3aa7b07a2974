"""Loading the shipped regions, ports and airports from ``planner/data``."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from planner.extensions import db
from planner.models import CoordinateSource, Place, PlaceKind, Region, RegionKind

PLACES_CSV = "indonesia_places.csv"


@dataclass
class LoadReport:
    """What a load changed: counts per table."""

    created: dict[str, int] = field(default_factory=lambda: {"regions": 0, "places": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"regions": 0, "places": 0})
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"regions": 0, "places": 0}
    )

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def read_places_csv(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of the shipped CSV (or of ``path``)."""
    if path is None:
        text = (
            resources.files("planner").joinpath("data", PLACES_CSV).read_text("utf-8")
        )
    else:
        text = Path(path).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _float(value: str) -> float | None:
    return float(value) if value else None


def _apply(obj, values: dict) -> bool:
    """Set attributes that differ; tell whether anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def load_regions(rows: list[dict[str, str]] | None = None, progress=None) -> LoadReport:
    """Create or update provinces, regencies/cities and shipped ports/airports.

    Idempotent: rows already equal to the CSV are left alone and counted as unchanged.
    """
    rows = rows if rows is not None else read_places_csv()
    report = LoadReport()
    existing = {r.code: r for r in db.session.scalars(db.select(Region))}
    by_level: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_level.setdefault(row["level"], []).append(row)

    for level in ("province", "regency"):
        for row in by_level.get(level, []):
            parent = existing.get(row["parent_code"]) if row["parent_code"] else None
            values = {
                "name": row["name"],
                "kind": RegionKind(row["type"]),
                "parent": parent,
                "timezone": row["timezone"],
                "tz_abbr": row["tz_abbr"],
                "seat": row["seat"] or None,
                "lat": _float(row["lat"]),
                "lon": _float(row["lon"]),
            }
            region = existing.get(row["code"])
            if region is None:
                region = Region(code=row["code"], **values)
                db.session.add(region)
                existing[row["code"]] = region
                report.created["regions"] += 1
            elif _apply(region, values):
                report.updated["regions"] += 1
            else:
                report.unchanged["regions"] += 1
            if progress:
                progress(1)
        db.session.flush()

    places = {
        p.code: p
        for p in db.session.scalars(db.select(Place).where(Place.code.is_not(None)))
    }
    for level, kind in (("port", PlaceKind.PORT), ("airport", PlaceKind.AIRPORT)):
        for row in by_level.get(level, []):
            values = {
                "name": row["name"],
                "kind": kind,
                "region": existing.get(row["parent_code"]),
            }
            place = places.get(row["code"])
            if place is None:
                place = Place(
                    code=row["code"],
                    lat=_float(row["lat"]),
                    lon=_float(row["lon"]),
                    coordinate_source=CoordinateSource.SHIPPED,
                    notes=row["note"] or None,
                    **values,
                )
                db.session.add(place)
                report.created["places"] += 1
            else:
                # Coordinates an organiser corrected by hand are kept.
                if place.coordinate_source == CoordinateSource.SHIPPED:
                    values.update(lat=_float(row["lat"]), lon=_float(row["lon"]))
                if _apply(place, values):
                    report.updated["places"] += 1
                else:
                    report.unchanged["places"] += 1
            if progress:
                progress(1)
    db.session.flush()
    return report
