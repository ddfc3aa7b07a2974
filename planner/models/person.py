"""People: PSM volunteers, other social pillars, officials and speakers."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.formatting.plain import formal_name
from planner.models.region import Region
from planner.models.types import UTCDateTime, str_enum, utcnow


class Sex(enum.StrEnum):
    MALE = "male"  #: laki-laki (L)
    FEMALE = "female"  #: perempuan (P)


class SocialPillar(enum.StrEnum):
    PSM = "psm"
    TKSK = "tksk"
    KARANG_TARUNA = "karang_taruna"
    PENDAMPING_PKH = "pendamping_pkh"
    PEKSOS = "pekerja_sosial"  #: pekerja sosial profesional
    OFFICIAL = "official"  #: government official
    OTHER = "other"


class Person(db.Model):
    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint("nik IS NULL OR length(nik) = 16", name="nik_sixteen_digits"),
        # An official may be known by position and institution before their name is.
        CheckConstraint(
            "trim(full_name) <> '' OR (position IS NOT NULL AND trim(position) <> ''"
            " AND institution IS NOT NULL AND trim(institution) <> '')",
            name="name_or_office",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The name without degree titles, what people are matched and sorted on; empty
    #: for an office holder known only by ``position`` and ``institution``.
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    #: Titles written before the name: "Drs.", "Dr. H.", "Ir.".
    title_before: Mapped[str | None] = mapped_column(String(60))
    #: Titles written after the name and a comma: "S.Sos., M.PSSp.".
    title_after: Mapped[str | None] = mapped_column(String(60))
    sex: Mapped[Sex | None] = mapped_column(str_enum(Sex, 8))
    #: E.164, normalised to +62… by planner.services.people.normalise_phone.
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="RESTRICT"), index=True
    )
    pillar: Mapped[SocialPillar] = mapped_column(
        str_enum(SocialPillar, 24), default=SocialPillar.PSM
    )
    #: Jabatan, e.g. "Ketua IPSM Kabupaten Bangka".
    position: Mapped[str | None] = mapped_column(String(200))
    #: Instansi, e.g. "Dinas Sosial Kota Bekasi".
    institution: Mapped[str | None] = mapped_column(String(200))
    #: Nomor Induk Kependudukan: sensitive, shown only to those who need it.
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    birth_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    #: What the caterer must know: "vegetarian", "tanpa seafood", "diabetes"…
    dietary_notes: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    region: Mapped[Region | None] = relationship()

    @property
    def is_office_holder(self) -> bool:
        """Known by position and institution only, without a personal name."""
        return not (self.full_name or "").strip()

    @hybrid_property
    def formal_name(self) -> str:
        """The name as printed for others: "Drs. Ahmad Fauzi, S.Sos., M.PSSp."."""
        return formal_name(
            self.full_name,
            self.title_before,
            self.title_after,
            self.position,
            self.institution,
        )

    @formal_name.inplace.expression
    @classmethod
    def _formal_name_expression(cls):
        """The same in SQL, for queries that select columns instead of people."""
        before = func.coalesce(
            func.nullif(cls.title_before, "", type_=String) + " ", ""
        )
        after = func.coalesce(", " + func.nullif(cls.title_after, "", type_=String), "")
        office = (
            func.coalesce(cls.position, "") + ", " + func.coalesce(cls.institution, "")
        )
        return sa.case(
            (func.trim(cls.full_name) == "", office),
            else_=before + cls.full_name + after,
        )

    @property
    def masked_nik(self) -> str | None:
        """The NIK with all but its last four digits hidden."""
        return mask_nik(self.nik)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.full_name}>"


def mask_nik(nik: str | None) -> str | None:
    """A NIK with all but its last four digits hidden (None when there is none)."""
    if not nik:
        return None
    return "•" * 12 + nik[-4:]
