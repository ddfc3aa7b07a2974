"""The paperwork an office files for an event: its budget (RAB) and the rates behind
the payment sheets (daftar penerimaan), certificates and invitation letters."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from planner.models.delegation import Delegate, Delegation
    from planner.models.event import Event


def new_verification_code() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class AllowanceKind(enum.StrEnum):
    """The kinds of daily allowance (uang harian) of the Standar Biaya Masukan."""

    OUT_OF_TOWN = "luar_kota"  #: perjalanan dinas luar kota
    IN_TOWN = "dalam_kota_lebih_8_jam"  #: dalam kota lebih dari 8 jam
    TRAINING = "diklat"  #: pendidikan dan pelatihan


class BudgetCategory(enum.StrEnum):
    ALLOWANCE = "allowance"  #: uang harian
    TRANSPORT = "transport"  #: transportasi
    ACCOMMODATION = "accommodation"  #: penginapan
    MEALS = "meals"  #: konsumsi
    HONORARIUM = "honorarium"  #: honorarium narasumber
    OTHER = "other"  #: typed by hand


#: Rate columns of :class:`Budget` (rupiah, never negative).
RATE_FIELDS = (
    "transport_allowance",
    "ferry_passenger_fare",
    "ferry_vehicle_fare",
    "van_rental_per_day",
    "fuel_per_km",
    "toll_per_road_leg",
    "honorarium_per_session",
    "meal_price",
    "snack_price",
)


class Budget(db.Model):
    """An event's budget settings: the rates its computed lines use, and who signs."""

    __tablename__ = "budgets"
    __table_args__ = (
        CheckConstraint(
            " AND ".join(f"{name} >= 0" for name in ("allowance_rate", *RATE_FIELDS)),
            name="rates_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    #: Year of the Standar Biaya Masukan table whose ceilings apply.
    fiscal_year: Mapped[int] = mapped_column()
    allowance_kind: Mapped[AllowanceKind] = mapped_column(
        str_enum(AllowanceKind, 24), default=AllowanceKind.OUT_OF_TOWN
    )
    #: Kemendagri code of the destination province whose ceilings apply; NULL: the
    #: venue's province (else the host region's).
    province_code: Mapped[str | None] = mapped_column(String(2))
    #: Daily allowance per person per day; NULL: the ceiling of the destination province.
    allowance_rate: Mapped[int | None] = mapped_column()
    #: Uang transport per person (local transport money), paid once.
    transport_allowance: Mapped[int] = mapped_column(default=0)
    ferry_passenger_fare: Mapped[int] = mapped_column(default=0)
    #: Ferry ticket of one vehicle (its class), per crossing.
    ferry_vehicle_fare: Mapped[int] = mapped_column(default=0)
    van_rental_per_day: Mapped[int] = mapped_column(default=0)
    fuel_per_km: Mapped[int] = mapped_column(default=0)
    toll_per_road_leg: Mapped[int] = mapped_column(default=0)
    honorarium_per_session: Mapped[int] = mapped_column(default=0)
    #: Per portion of a meal (makan, ishoma) and of a packed meal (nasi kotak) on a leg.
    meal_price: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Per portion of a break's snack box (kudapan, rehat kopi).
    snack_price: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Bendahara pengeluaran, as signed on payment sheets.
    treasurer_name: Mapped[str | None] = mapped_column(String(200))
    treasurer_nip: Mapped[str | None] = mapped_column(String(30))
    #: Pejabat pembuat komitmen (or the official in charge).
    official_name: Mapped[str | None] = mapped_column(String(200))
    official_position: Mapped[str | None] = mapped_column(String(200))
    official_nip: Mapped[str | None] = mapped_column(String(30))
    #: Place printed before the date on signature blocks.
    signing_place: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<Budget event={self.event_id}>"


class BudgetLine(db.Model):
    """A budget line typed by hand (printing, rented hall, banners…)."""

    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[BudgetCategory] = mapped_column(
        str_enum(BudgetCategory, 16), default=BudgetCategory.OTHER
    )
    description: Mapped[str] = mapped_column(String(200))
    #: The delegation the line is spent on; NULL: the event as a whole.
    delegation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegations.id", ondelete="SET NULL")
    )
    quantity: Mapped[int] = mapped_column(default=1)
    unit: Mapped[str] = mapped_column(String(40), default="paket")
    unit_price: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    delegation: Mapped[Delegation | None] = relationship()

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def __repr__(self) -> str:
        return f"<BudgetLine {self.id} {self.description}>"


class CertificateTemplate(db.Model):
    """What an event's certificates say and who signs them (one per event)."""

    __tablename__ = "certificate_templates"
    __table_args__ = (
        CheckConstraint("lesson_hours >= 0", name="lesson_hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(120))
    #: "{n}/SERT/DINSOS/{roman_month}/{year}": {n} is the certificate's sequence.
    number_pattern: Mapped[str] = mapped_column(String(120))
    #: Jam pelajaran (JP) printed on the certificate.
    lesson_hours: Mapped[int] = mapped_column(default=0)
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_position: Mapped[str] = mapped_column(String(200))
    signatory_nip: Mapped[str | None] = mapped_column(String(30))
    #: PNG or JPEG of the signature (checked: an image, at most 1 MB).
    signature_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    signature_mime: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()


class Certificate(db.Model):
    """One delegate's certificate; revoked ones stay, marked, for verification."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint(
            "event_id", "delegate_id", name="uq_certificates_event_delegate"
        ),
        UniqueConstraint("event_id", "sequence", name="uq_certificates_event_sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    delegate_id: Mapped[int] = mapped_column(
        ForeignKey("delegates.id", ondelete="CASCADE")
    )
    #: {n} of the number pattern.
    sequence: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(String(160))
    #: Secret of the public verification page: 128 random bits, never derived.
    code: Mapped[str] = mapped_column(
        String(43), unique=True, default=new_verification_code
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(300))

    event: Mapped[Event] = relationship()
    delegate: Mapped[Delegate] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<Certificate {self.id} {self.number}>"


class RecipientKind(enum.StrEnum):
    """Whom an invitation letter is addressed to in each region."""

    OFFICE = "office"  #: Kepala Dinas Sosial
    CHAPTER = "chapter"  #: Ketua IPSM


class LetterSettings(db.Model):
    """An event's invitation letters: letterhead, number pattern, signatory."""

    __tablename__ = "letter_settings"
    __table_args__ = (
        CheckConstraint("first_number >= 1", name="first_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), unique=True
    )
    #: Letterhead: the sending office's name and address.
    office_name: Mapped[str] = mapped_column(String(200))
    office_address: Mapped[str] = mapped_column(String(300))
    #: PNG or JPEG logo (checked: an image, at most 1 MB).
    logo_image: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_mime: Mapped[str | None] = mapped_column(String(20))
    #: "005/{n}/DINSOS/{roman_month}/{year}"; {n} counts from ``first_number``.
    number_pattern: Mapped[str] = mapped_column(String(120))
    first_number: Mapped[int] = mapped_column(default=1)
    dated_on: Mapped[date] = mapped_column(Date)
    recipient_kind: Mapped[RecipientKind] = mapped_column(
        str_enum(RecipientKind, 12), default=RecipientKind.OFFICE
    )
    signing_place: Mapped[str] = mapped_column(String(120))
    signatory_name: Mapped[str] = mapped_column(String(200))
    signatory_position: Mapped[str] = mapped_column(String(200))
    signatory_nip: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()


class InvitationLetter(db.Model):
    """The numbered invitation letter sent to one delegation."""

    __tablename__ = "invitation_letters"
    __table_args__ = (
        UniqueConstraint("delegation_id", name="uq_invitation_letters_delegation_id"),
        UniqueConstraint(
            "event_id", "sequence", name="uq_invitation_letters_event_sequence"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    delegation_id: Mapped[int] = mapped_column(
        ForeignKey("delegations.id", ondelete="CASCADE")
    )
    sequence: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(String(160))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship()
    delegation: Mapped[Delegation] = relationship()

    def __repr__(self) -> str:
        return f"<InvitationLetter {self.id} {self.number}>"
