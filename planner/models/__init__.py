"""Every model of the application, re-exported for ``from planner.models import …``."""

from planner.models.agenda import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    AgendaStatus,
    SpeakerRole,
    agenda_item_delegations,
)
from planner.models.audit import AuditEntry
from planner.models.checkin import CheckinAction, CheckinOutcome, OfflineCheckin
from planner.models.delegation import (
    ACTIVE_STATUSES,
    QUOTA_STATUSES,
    TAKING_PART,
    Delegate,
    DelegateChange,
    DelegateRole,
    DelegateStatus,
    Delegation,
)
from planner.models.event import Event, EventKind, EventStatus, event_organisers
from planner.models.feed import FeedRevision
from planner.models.paperwork import (
    AllowanceKind,
    Budget,
    BudgetCategory,
    BudgetLine,
    Certificate,
    CertificateTemplate,
    InvitationLetter,
    LetterSettings,
    RecipientKind,
)
from planner.models.person import Person, Sex, SocialPillar
from planner.models.place import CoordinateSource, Place, PlaceKind
from planner.models.region import Region, RegionKind
from planner.models.rooms import BEDS_BY_TYPE, Room, RoomAssignment, RoomType, Stay
from planner.models.transport import (
    Leg,
    LegMode,
    SeatAssignment,
    Trip,
    Vehicle,
    VehicleKind,
    leg_delegations,
    leg_vehicles,
)
from planner.models.types import UTCDateTime, utcnow
from planner.models.user import User, user_regions

__all__ = [
    "AllowanceKind",
    "Budget",
    "BudgetCategory",
    "BudgetLine",
    "Certificate",
    "CertificateTemplate",
    "InvitationLetter",
    "LetterSettings",
    "RecipientKind",
    "CheckinAction",
    "CheckinOutcome",
    "OfflineCheckin",
    "AuditEntry",
    "AgendaAudience",
    "AgendaItem",
    "AgendaKind",
    "AgendaSpeaker",
    "AgendaStatus",
    "SpeakerRole",
    "agenda_item_delegations",
    "ACTIVE_STATUSES",
    "QUOTA_STATUSES",
    "TAKING_PART",
    "Delegate",
    "DelegateChange",
    "DelegateRole",
    "DelegateStatus",
    "Delegation",
    "CoordinateSource",
    "Event",
    "EventKind",
    "EventStatus",
    "FeedRevision",
    "Person",
    "Place",
    "PlaceKind",
    "Region",
    "RegionKind",
    "Sex",
    "SocialPillar",
    "UTCDateTime",
    "User",
    "BEDS_BY_TYPE",
    "Room",
    "RoomAssignment",
    "RoomType",
    "Stay",
    "Leg",
    "LegMode",
    "SeatAssignment",
    "Trip",
    "Vehicle",
    "VehicleKind",
    "leg_delegations",
    "leg_vehicles",
    "event_organisers",
    "user_regions",
    "utcnow",
]
