"""Labels for the enums, in Indonesian through gettext (English in the catalogue)."""

from flask_babel import pgettext
from wtforms.fields.choices import SelectChoice

from planner.i18n import lazy_gettext as _l
from planner.models import (
    AgendaAudience,
    AgendaKind,
    AgendaStatus,
    AllowanceKind,
    BudgetCategory,
    CoordinateSource,
    DelegateRole,
    DelegateStatus,
    EventKind,
    EventStatus,
    LegMode,
    PlaceKind,
    RecipientKind,
    RegionKind,
    RoomType,
    Sex,
    SocialPillar,
    SpeakerRole,
    VehicleKind,
)

EVENT_KIND = {
    EventKind.RAKOR: _l("Rapat koordinasi (rakor)"),
    EventKind.STUDY_TOUR: _l("Tur dan studi banding"),
    EventKind.BIMTEK: _l("Bimbingan teknis (bimtek)"),
    EventKind.CAPACITY_BUILDING: _l("Peningkatan kapasitas"),
    EventKind.OTHER: _l("Lainnya"),
}

EVENT_STATUS = {
    EventStatus.DRAFT: _l("Draf"),
    EventStatus.OPEN: _l("Pendaftaran dibuka"),
    EventStatus.CLOSED: _l("Pendaftaran ditutup"),
    EventStatus.FINISHED: _l("Selesai"),
    EventStatus.CANCELLED: _l("Dibatalkan"),
}

#: Bootstrap colour of each status badge.
EVENT_STATUS_COLOUR = {
    EventStatus.DRAFT: "secondary",
    EventStatus.OPEN: "success",
    EventStatus.CLOSED: "warning",
    EventStatus.FINISHED: "dark",
    EventStatus.CANCELLED: "danger",
}

PLACE_KIND = {
    PlaceKind.VENUE: _l("Tempat acara"),
    PlaceKind.HOTEL: _l("Hotel"),
    PlaceKind.PORT: _l("Pelabuhan"),
    PlaceKind.AIRPORT: _l("Bandara"),
    PlaceKind.TERMINAL: _l("Terminal"),
    PlaceKind.OFFICE: _l("Kantor"),
    PlaceKind.LANDMARK: _l("Titik kumpul / penanda"),
    PlaceKind.OTHER: _l("Lainnya"),
}

COORDINATE_SOURCE = {
    CoordinateSource.SHIPPED: _l("data bawaan"),
    CoordinateSource.GAZETTEER: _l("gazetir luring"),
    CoordinateSource.NOMINATIM: _l("OpenStreetMap Nominatim"),
    CoordinateSource.MANUAL: _l("diisi/dikoreksi manual"),
}

REGION_KIND = {
    RegionKind.PROVINSI: _l("Provinsi"),
    RegionKind.KABUPATEN: _l("Kabupaten"),
    RegionKind.KOTA: _l("Kota"),
}

SEX = {
    Sex.MALE: _l("Laki-laki"),
    Sex.FEMALE: _l("Perempuan"),
}

#: One-letter forms used on manifests and attendance sheets (L/P; M/F in English).
SEX_SHORT = {Sex.MALE: _l("L"), Sex.FEMALE: _l("P")}

#: The sex choice in forms: the word and the letter lists print.
SEX_CHOICE = {
    Sex.MALE: _l("Laki-laki (L)"),
    Sex.FEMALE: _l("Perempuan (P)"),
}

SOCIAL_PILLAR = {
    SocialPillar.PSM: _l("PSM (Pekerja Sosial Masyarakat)"),
    SocialPillar.TKSK: _l("TKSK"),
    SocialPillar.KARANG_TARUNA: _l("Karang Taruna"),
    SocialPillar.PENDAMPING_PKH: _l("Pendamping PKH"),
    SocialPillar.PEKSOS: _l("Pekerja sosial profesional"),
    SocialPillar.OFFICIAL: _l("Pejabat pemerintah"),
    SocialPillar.OTHER: _l("Lainnya"),
}

DELEGATE_ROLE = {
    DelegateRole.PARTICIPANT: _l("Peserta"),
    DelegateRole.HEAD: _l("Ketua rombongan"),
    DelegateRole.SPEAKER: _l("Narasumber"),
    DelegateRole.COMMITTEE: _l("Panitia"),
    DelegateRole.GUEST: _l("Tamu undangan"),
}

DELEGATE_STATUS = {
    DelegateStatus.NOMINATED: _l("Diusulkan"),
    DelegateStatus.CONFIRMED: _l("Dikonfirmasi"),
    DelegateStatus.ATTENDED: _l("Hadir"),
    DelegateStatus.WITHDRAWN: _l("Mundur"),
    DelegateStatus.REPLACED: _l("Diganti"),
}

#: Bootstrap colour of each delegate status badge.
DELEGATE_STATUS_COLOUR = {
    DelegateStatus.NOMINATED: "secondary",
    DelegateStatus.CONFIRMED: "primary",
    DelegateStatus.ATTENDED: "success",
    DelegateStatus.WITHDRAWN: "light",
    DelegateStatus.REPLACED: "light",
}


VEHICLE_KIND = {
    VehicleKind.TRAVEL_VAN: _l("Mobil travel"),
    VehicleKind.MINIBUS: _l("Minibus"),
    VehicleKind.BUS: _l("Bus"),
    VehicleKind.CAR: _l("Mobil"),
    VehicleKind.BOAT: _l("Kapal/perahu"),
    VehicleKind.OTHER: _l("Lainnya"),
}

LEG_MODE = {
    LegMode.ROAD: _l("Jalan darat"),
    LegMode.FERRY: _l("Kapal feri/laut"),
    LegMode.AIR: _l("Pesawat"),
    LegMode.RAIL: _l("Kereta api"),
    LegMode.WALK: _l("Jalan kaki"),
}

#: Icon of a leg's mode (a symbol of static/vendor/bootstrap-icons/sprite.svg, drawn by
#: the ``icon()`` macro: emoji show as empty boxes where no emoji font is installed).
LEG_MODE_ICON = {
    LegMode.ROAD: "bus-front",
    LegMode.FERRY: "water",
    LegMode.AIR: "airplane",
    LegMode.RAIL: "train-front",
    LegMode.WALK: "person-walking",
}


AGENDA_KIND = {
    AgendaKind.OPENING: _l("Pembukaan"),
    AgendaKind.ANTHEM: _l("Lagu kebangsaan / mars"),
    AgendaKind.PRAYER: _l("Doa"),
    AgendaKind.SPEECH: _l("Sambutan"),
    AgendaKind.REPORT: _l("Laporan"),
    AgendaKind.MATERIAL: _l("Materi"),
    AgendaKind.PRESENTATION: _l("Paparan"),
    AgendaKind.DIALOGUE: _l("Dialog / diskusi"),
    AgendaKind.VISIT: _l("Kunjungan"),
    AgendaKind.MEAL: _l("Makan"),
    AgendaKind.BREAK: _l("Rehat"),
    AgendaKind.FREE_TIME: _l("Acara bebas"),
    AgendaKind.CLOSING: _l("Penutupan"),
    AgendaKind.OTHER: _l("Lainnya"),
}

AGENDA_AUDIENCE = {
    AgendaAudience.EVERYONE: _l("Semua peserta"),
    AgendaAudience.COMMITTEE: _l("Panitia saja"),
    AgendaAudience.DELEGATIONS: _l("Delegasi tertentu"),
}

AGENDA_STATUS = {
    AgendaStatus.SCHEDULED: _l("Terjadwal"),
    AgendaStatus.CANCELLED: _l("Dibatalkan"),
}

SPEAKER_ROLE = {
    SpeakerRole.SPEAKER: _l("Narasumber"),
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.MC: _l("Pembawa acara (MC)"),
}

BUDGET_CATEGORY = {
    BudgetCategory.ALLOWANCE: _l("Uang harian"),
    BudgetCategory.TRANSPORT: _l("Transportasi"),
    BudgetCategory.ACCOMMODATION: _l("Penginapan"),
    BudgetCategory.MEALS: _l("Konsumsi"),
    BudgetCategory.HONORARIUM: _l("Honorarium narasumber"),
    BudgetCategory.OTHER: _l("Lain-lain"),
}

ALLOWANCE_KIND = {
    AllowanceKind.OUT_OF_TOWN: _l("Perjalanan luar kota"),
    AllowanceKind.IN_TOWN: _l("Dalam kota lebih dari 8 jam"),
    AllowanceKind.TRAINING: _l("Diklat"),
}

RECIPIENT_KIND = {
    RecipientKind.OFFICE: _l("Kepala Dinas Sosial kabupaten/kota"),
    RecipientKind.CHAPTER: _l("Ketua IPSM kabupaten/kota"),
}


def trip_name(name: str) -> str:
    """A trip's name in the reader's language when the application gave it.

    The one-click trips are stored as "Berangkat" and "Pulang" (data, like event
    titles); English pages show them as "Outbound" and "Return".
    """
    if name == "Berangkat":
        return pgettext("perjalanan", "Berangkat")
    if name == "Pulang":
        return pgettext("perjalanan", "Pulang")
    return name


def choices(labels: dict) -> list[SelectChoice]:
    """WTForms choices from a label dict, in declaration order."""
    return [
        SelectChoice(value=member.value, label=label)
        for member, label in labels.items()
    ]


def register(app) -> None:
    """Expose the label dicts to templates as ``labels``."""
    import sys

    app.jinja_env.globals["labels"] = sys.modules[__name__]
    app.jinja_env.filters["trip_name"] = trip_name


ROOM_TYPE = {
    RoomType.SINGLE: _l("Single"),
    RoomType.TWIN: _l("Twin"),
    RoomType.DOUBLE: _l("Double"),
    RoomType.TRIPLE: _l("Triple"),
    RoomType.DORMITORY: _l("Asrama"),
}
