"""Places: venues, hotels, ports, airports and other points an event uses."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.region import Region
from planner.models.types import UTCDateTime, str_enum, utcnow


class PlaceKind(enum.StrEnum):
    VENUE = "venue"
    HOTEL = "hotel"
    PORT = "port"
    AIRPORT = "airport"
    TERMINAL = "terminal"
    OFFICE = "office"
    LANDMARK = "landmark"
    OTHER = "other"


class CoordinateSource(enum.StrEnum):
    SHIPPED = "shipped"  #: from planner/data/indonesia_places.csv
    GAZETTEER = "gazetteer"  #: matched in the offline gazetteer
    NOMINATIM = "nominatim"  #: geocoded online
    MANUAL = "manual"  #: typed or corrected by an organiser


class Place(db.Model):
    __tablename__ = "places"
    __table_args__ = (
        CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="valid_lat"),
        CheckConstraint(
            "lon IS NULL OR (lon >= -180 AND lon <= 180)", name="valid_lon"
        ),
        CheckConstraint("(lat IS NULL) = (lon IS NULL)", name="lat_lon_together"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable code of shipped places ("port:muntok", "iata:PGK"); NULL for user places.
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[PlaceKind] = mapped_column(str_enum(PlaceKind, 16))
    address: Mapped[str | None] = mapped_column(Text)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    coordinate_source: Mapped[CoordinateSource | None] = mapped_column(
        str_enum(CoordinateSource, 16)
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    region: Mapped[Region | None] = relationship()

    @property
    def has_coordinates(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def timezone(self) -> str | None:
        return self.region.timezone if self.region else None

    def __repr__(self) -> str:
        return f"<Place {self.id} {self.name}>"
