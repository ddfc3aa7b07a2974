"""Administrative regions: provinces and regencies/cities with Kemendagri codes."""

from __future__ import annotations

import enum

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import str_enum


class RegionKind(enum.StrEnum):
    PROVINSI = "provinsi"
    KABUPATEN = "kabupaten"
    KOTA = "kota"


class Region(db.Model):
    __tablename__ = "regions"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'provinsi') = (parent_id IS NULL)", name="province_has_no_parent"
        ),
        CheckConstraint("tz_abbr IN ('WIB', 'WITA', 'WIT')", name="known_tz_abbr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Kemendagri code, dotted: "19" for a province, "19.71" for a regency/city.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[RegionKind] = mapped_column(str_enum(RegionKind, 12))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    #: IANA zone name, e.g. "Asia/Makassar".
    timezone: Mapped[str] = mapped_column(String(40))
    tz_abbr: Mapped[str] = mapped_column(String(4))
    #: Seat of government (ibukota), e.g. "Pangkalpinang".
    seat: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    parent: Mapped[Region | None] = relationship(
        back_populates="children", remote_side=[id]
    )
    children: Mapped[list[Region]] = relationship(
        back_populates="parent", order_by="Region.code"
    )

    @property
    def is_province(self) -> bool:
        return self.kind == RegionKind.PROVINSI

    @property
    def province(self) -> Region:
        return self if self.parent is None else self.parent

    @property
    def label(self) -> str:
        """Name as shown in lists: "Kota Pangkal Pinang (19.71)"."""
        return f"{self.name} ({self.code})"

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"
