"""Vehicles, trips, legs and seats: how a group travels to and from an event."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.models.types import UTCDateTime, str_enum, track_revisions, utcnow

if TYPE_CHECKING:
    from planner.models.delegation import Delegate, Delegation
    from planner.models.event import Event
    from planner.models.place import Place


class VehicleKind(enum.StrEnum):
    TRAVEL_VAN = "travel_van"
    MINIBUS = "minibus"
    BUS = "bus"
    CAR = "car"
    BOAT = "boat"
    OTHER = "other"


class LegMode(enum.StrEnum):
    ROAD = "road"
    FERRY = "ferry"  #: ferry or other sea crossing
    AIR = "air"
    RAIL = "rail"
    WALK = "walk"


#: Vehicles travelling a leg (on a ferry leg: the vans aboard).
leg_vehicles = Table(
    "leg_vehicles",
    db.metadata,
    Column(
        "leg_id", Integer, ForeignKey("legs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "vehicle_id",
        Integer,
        ForeignKey("vehicles.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

#: Delegations travelling a leg without a vehicle of the event (a flight, a public ferry).
leg_delegations = Table(
    "leg_delegations",
    db.metadata,
    Column(
        "leg_id", Integer, ForeignKey("legs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "delegation_id",
        Integer,
        ForeignKey("delegations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Vehicle(db.Model):
    """A vehicle hired or provided for the event: a travel van, a bus, a boat."""

    __tablename__ = "vehicles"
    __table_args__ = (
        UniqueConstraint("event_id", "label", name="uq_vehicles_event_label"),
        CheckConstraint("seats >= 1 AND seats <= 100", name="seats_in_range"),
        # Seats point at (vehicle, event): see SeatAssignment.
        UniqueConstraint("id", "event_id", name="uq_vehicles_id_event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[VehicleKind] = mapped_column(str_enum(VehicleKind, 16))
    #: As people call it: "Travel 1".
    label: Mapped[str] = mapped_column(String(60))
    #: Registration plate, normalised: "BN 1234 AB".
    plate: Mapped[str | None] = mapped_column(String(16))
    #: Passenger seats (the driver not counted).
    seats: Mapped[int] = mapped_column()
    driver_name: Mapped[str | None] = mapped_column(String(120))
    #: E.164, like people's phones.
    driver_phone: Mapped[str | None] = mapped_column(String(20))
    #: Operator or rental company.
    operator: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()
    legs: Mapped[list[Leg]] = relationship(
        secondary=leg_vehicles, back_populates="vehicles"
    )
    seat_assignments: Mapped[list[SeatAssignment]] = relationship(
        back_populates="vehicle", foreign_keys="SeatAssignment.vehicle_id"
    )

    def __repr__(self) -> str:
        return f"<Vehicle {self.id} {self.label}>"


class Trip(db.Model):
    """One journey of the group: the way there, the way back, an excursion."""

    __tablename__ = "trips"
    __table_args__ = (
        UniqueConstraint("event_id", "name", name="uq_trips_event_name"),
        # Seats point at (trip, event): see SeatAssignment.
        UniqueConstraint("id", "event_id", name="uq_trips_id_event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    #: "Berangkat", "Pulang", "Kunjungan ke Kemensos".
    name: Mapped[str] = mapped_column(String(120))
    #: Order among the event's trips.
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship()
    legs: Mapped[list[Leg]] = relationship(
        back_populates="trip", order_by="(Leg.position, Leg.departs_at)"
    )
    seat_assignments: Mapped[list[SeatAssignment]] = relationship(back_populates="trip")

    def __repr__(self) -> str:
        return f"<Trip {self.id} {self.name}>"


@track_revisions
class Leg(db.Model):
    """One stretch of a trip from a place to a place, by one mode, at planned times."""

    __tablename__ = "legs"
    __table_args__ = (
        CheckConstraint("arrives_at > departs_at", name="valid_times"),
        CheckConstraint("from_place_id <> to_place_id", name="different_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    trip_id: Mapped[int] = mapped_column(
        ForeignKey("trips.id", ondelete="CASCADE"), index=True
    )
    #: Order within the trip.
    position: Mapped[int] = mapped_column(default=0)
    from_place_id: Mapped[int] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    to_place_id: Mapped[int] = mapped_column(
        ForeignKey("places.id", ondelete="RESTRICT"), index=True
    )
    mode: Mapped[LegMode] = mapped_column(str_enum(LegMode, 8))
    #: Planned times, aware; shown in the zone of the place they happen.
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    arrives_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Public carriers: ferry operator, airline.
    carrier: Mapped[str | None] = mapped_column(String(120))
    #: Ship name or flight number.
    vessel: Mapped[str | None] = mapped_column(String(120))
    booking_ref: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    #: The caterer packs a meal (nasi kotak) for everyone on this leg.
    has_packed_meal: Mapped[bool] = mapped_column(
        default=False, server_default=sa_false()
    )
    #: iCalendar SEQUENCE: rises with every change (``track_revisions``).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    event: Mapped[Event] = relationship()
    trip: Mapped[Trip] = relationship(back_populates="legs")
    from_place: Mapped[Place] = relationship(foreign_keys=[from_place_id])
    to_place: Mapped[Place] = relationship(foreign_keys=[to_place_id])
    vehicles: Mapped[list[Vehicle]] = relationship(
        secondary=leg_vehicles, back_populates="legs", order_by="Vehicle.label"
    )
    delegations: Mapped[list[Delegation]] = relationship(
        secondary=leg_delegations, order_by="Delegation.name"
    )

    def __repr__(self) -> str:
        return f"<Leg {self.id} {self.mode} {self.from_place_id}->{self.to_place_id}>"


def _event_of_trip(context) -> int | None:
    """Default of ``seat_assignments.event_id`` for rows given only ids: the trip's."""
    trip_id = context.get_current_parameters().get("trip_id")
    return context.connection.scalar(
        select(Trip.__table__.c.event_id).where(Trip.__table__.c.id == trip_id)
    )


class SeatAssignment(db.Model):
    """A delegate's place in a vehicle for one trip (a seat number is optional).

    The trip, the vehicle and the delegate belong to one event, and the database holds
    it: each is referred to by (id, event_id). Setting ``trip`` fills ``event_id``.
    """

    __tablename__ = "seat_assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["trip_id", "event_id"],
            ["trips.id", "trips.event_id"],
            ondelete="CASCADE",
            name="fk_seat_assignments_trip_id_event_id_trips",
        ),
        ForeignKeyConstraint(
            ["vehicle_id", "event_id"],
            ["vehicles.id", "vehicles.event_id"],
            ondelete="CASCADE",
            name="fk_seat_assignments_vehicle_id_event_id_vehicles",
        ),
        ForeignKeyConstraint(
            ["delegate_id", "event_id"],
            ["delegates.id", "delegates.event_id"],
            ondelete="CASCADE",
            name="fk_seat_assignments_delegate_id_event_id_delegates",
        ),
        UniqueConstraint("trip_id", "delegate_id", name="uq_seat_assignments_delegate"),
        UniqueConstraint(
            "trip_id", "vehicle_id", "seat_number", name="uq_seat_assignments_seat"
        ),
        CheckConstraint(
            "seat_number IS NULL OR seat_number >= 1", name="seat_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event of the trip, the vehicle and the delegate (filled from ``trip``, or
    #: looked up from trip_id when only ids are given).
    event_id: Mapped[int] = mapped_column(default=_event_of_trip)
    trip_id: Mapped[int] = mapped_column(index=True)
    vehicle_id: Mapped[int] = mapped_column(index=True)
    delegate_id: Mapped[int] = mapped_column(index=True)
    seat_number: Mapped[int | None] = mapped_column()
    #: Made by hand: the automatic assignment leaves it alone.
    is_pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    #: Over (trip_id, event_id): assigning the trip fills event_id too.
    trip: Mapped[Trip] = relationship(back_populates="seat_assignments")
    vehicle: Mapped[Vehicle] = relationship(
        back_populates="seat_assignments", foreign_keys=[vehicle_id]
    )
    delegate: Mapped[Delegate] = relationship(foreign_keys=[delegate_id])

    def __repr__(self) -> str:
        return f"<SeatAssignment trip={self.trip_id} vehicle={self.vehicle_id}>"
