"""Demo data from DOMAIN.md: the PGK–JKT tour, the Bekasi bimtek, an upcoming rakor.

Everything is keyed (event slug, user email, person NIK, place name) so loading twice
creates nothing the second time. People come from a seeded Faker, so they are the same
on every machine; :class:`FakePeople` is shared with the national-scale bench.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from faker import Faker
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func

from planner.extensions import db
from planner.models import (
    AgendaAudience,
    AgendaItem,
    AgendaKind,
    CoordinateSource,
    Delegate,
    DelegateChange,
    DelegateRole,
    Delegation,
    Event,
    EventKind,
    EventStatus,
    Leg,
    LegMode,
    Person,
    Place,
    PlaceKind,
    Region,
    SeatAssignment,
    Sex,
    SocialPillar,
    SpeakerRole,
    Trip,
    User,
    Vehicle,
    VehicleKind,
)
from planner.services.delegations import (
    confirm_delegate,
    create_delegation,
    mark_attended,
    nominate_delegate,
    substitute_delegate,
)
from planner.services.regions import load_regions
from planner.services.seating import auto_assign

DEFAULT_SEED = 2024

#: Mobile prefixes (after +62) of Indonesian operators: Telkomsel, Indosat, XL, Axis,
#: Smartfren, Tri.
MOBILE_PREFIXES = (
    "811", "812", "813", "821", "822", "823", "851", "852", "853",
    "814", "815", "816", "855", "856", "857", "858",
    "817", "818", "819", "859", "877", "878",
    "831", "832", "833", "838",
    "881", "882", "883", "885", "887",
    "895", "896", "897", "898", "899",
)  # fmt: skip

#: Birth dates of demo and bench people: adults aged about 25 to 65 in 2024.
BIRTH_FROM = date(1959, 1, 1)
BIRTH_SPAN_DAYS = (date(1999, 12, 31) - BIRTH_FROM).days

#: Shipped ports the study tour crosses, in route order (from ``load_regions``).
TOUR_PORTS = (
    "port:tanjung-kalian",
    "port:tanjung-api-api",
    "port:bakauheni",
    "port:merak",
)


def random_mobile(rng: random.Random) -> str:
    """A valid Indonesian mobile number in E.164 form ("+62812…")."""
    while True:
        digits = "".join(rng.choices(string.digits, k=rng.choice((7, 8, 8, 8))))
        number = f"+62{rng.choice(MOBILE_PREFIXES)}{digits}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def make_nik(
    region_code: str, birth_on: date, sex: Sex, *, district: int, serial: int
) -> str:
    """A NIK shaped like a real one: regency (4), district (2), DDMMYY, serial (4).

    Women's birth day is written plus 40, as on real identity cards.
    """
    day = birth_on.day + (40 if sex == Sex.FEMALE else 0)
    nik = (
        f"{region_code.replace('.', '')}{district:02d}"
        f"{day:02d}{birth_on:%m%y}{serial:04d}"
    )
    if len(nik) != 16 or not nik.isdigit():
        raise ValueError(f"not a regency/city code: {region_code!r}")
    return nik


class FakePeople:
    """Deterministic fake Indonesians: name, sex, birth date, NIK, phone."""

    def __init__(self, seed: int, *, female_share: float = 0.55) -> None:
        self.faker = Faker("id_ID")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)
        self.female_share = female_share
        self._niks: set[str] = set()

    def name(self, sex: Sex) -> str:
        """A first and family name matching the sex."""
        if sex == Sex.FEMALE:
            return f"{self.faker.first_name_female()} {self.faker.last_name_female()}"
        return f"{self.faker.first_name_male()} {self.faker.last_name_male()}"

    def nik(self, region_code: str, birth_on: date, sex: Sex) -> str:
        """A NIK unique among those this generator made."""
        district = self.rng.randint(1, 12)
        serial = self.rng.randint(1, 2999)
        nik = make_nik(region_code, birth_on, sex, district=district, serial=serial)
        while nik in self._niks:
            serial = serial % 9999 + 1
            nik = make_nik(region_code, birth_on, sex, district=district, serial=serial)
        self._niks.add(nik)
        return nik

    def person(self, region_code: str, *, sex: Sex | None = None) -> dict:
        """Column values of one person living in the regency/city ``region_code``."""
        rng = self.rng
        if sex is None:
            sex = Sex.FEMALE if rng.random() < self.female_share else Sex.MALE
        birth_on = BIRTH_FROM + timedelta(days=rng.randrange(BIRTH_SPAN_DAYS))
        return {
            "full_name": self.name(sex),
            "sex": sex,
            "birth_on": birth_on,
            "nik": self.nik(region_code, birth_on, sex),
            "phone": random_mobile(rng),
        }


# What the demo contains -------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in, printed by ``flask demo load``."""

    email: str
    password: str
    #: Lazily translated label of the role.
    role: object
    display_name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin@rombongan.test", "demo-admin-2024", _l("Admin"), "Admin Demo"),
    DemoAccount(
        "panitia@rombongan.test",
        "demo-panitia-2024",
        _l("Panitia (penyelenggara semua kegiatan demo)"),
        "Panitia Demo",
    ),
    DemoAccount(
        "ketua.bangka@rombongan.test",
        "demo-bangka-2024",
        _l("Ketua cabang Kabupaten Bangka (19.01)"),
        "Ketua IPSM Kabupaten Bangka",
    ),
    DemoAccount(
        "ketua.provinsi@rombongan.test",
        "demo-provinsi-2024",
        _l("Ketua cabang Provinsi Kepulauan Bangka Belitung (19)"),
        "Ketua IPSM Provinsi Kepulauan Bangka Belitung",
    ),
    DemoAccount(
        "ketua.bekasi@rombongan.test",
        "demo-bekasi-2024",
        _l("Ketua cabang Kota Bekasi (32.75)"),
        "Ketua IPSM Kota Bekasi",
    ),
    DemoAccount(
        "peserta@rombongan.test",
        "demo-peserta-2024",
        _l("Peserta (salah satu peserta tur PGK–JKT)"),
        "Peserta Demo",
    ),
)

#: Regions each chapter-head account answers for.
_ACCOUNT_REGIONS = {
    "ketua.bangka@rombongan.test": "19.01",
    "ketua.provinsi@rombongan.test": "19",
    "ketua.bekasi@rombongan.test": "32.75",
}

_NOTE_APPROX = "Koordinat perkiraan (data demo); periksa sebelum dipakai untuk rute."

#: name, kind, region code, address, lat, lon, notes
_PLACES = {
    "meeting_point": (
        "Tugu Titik Nol Kilometer Pangkalpinang",
        PlaceKind.LANDMARK,
        "19.71",
        "Jl. Jenderal Sudirman, Kota Pangkalpinang",
        -2.1290,
        106.1130,
        "Titik kumpul rombongan tur PGK–JKT. " + _NOTE_APPROX,
    ),
    "kemensos": (
        "Kementerian Sosial RI",
        PlaceKind.OFFICE,
        "31.71",
        "Jl. Salemba Raya No. 28, Jakarta Pusat",
        -6.1937,
        106.8510,
        "Tujuan kunjungan studi banding. " + _NOTE_APPROX,
    ),
    "hotel": (
        "Grand Cempaka Business Hotel",
        PlaceKind.HOTEL,
        "31.71",
        "Jl. Letjen Suprapto Kav. 10, Cempaka Putih, Jakarta Pusat",
        -6.1782,
        106.8681,
        "Penginapan rombongan tur di Jakarta. " + _NOTE_APPROX,
    ),
    "bbppks": (
        "Balai Besar Pendidikan dan Pelatihan Kesejahteraan Sosial (BBPPKS) Jakarta",
        PlaceKind.VENUE,
        "31.74",
        "Jl. Margaguna Raya No. 1, Gandaria Selatan, Cilandak, Jakarta Selatan",
        -6.2560,
        106.7925,
        "Tempat bimtek PSM Bekasi. " + _NOTE_APPROX,
    ),
    "hotel_palembang": (
        "Hotel Swarna Dwipa Palembang",
        PlaceKind.HOTEL,
        "16.71",
        "Jl. Tasik No. 2, Kota Palembang",
        -2.9838,
        104.7440,
        "Singgah semalam rombongan tur PGK–JKT (pergi dan pulang). " + _NOTE_APPROX,
    ),
    "aula_dinsos": (
        "Aula Dinas Sosial Provinsi Kepulauan Bangka Belitung",
        PlaceKind.VENUE,
        "19.71",
        "Kompleks Perkantoran Gubernur, Air Itam, Bukit Intan, Kota Pangkalpinang",
        -2.1180,
        106.1500,
        "Tempat rakor provinsi. " + _NOTE_APPROX,
    ),
}

_TOUR_REGENCIES = ("19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71")
_BEKASI = ("32.75", "32.16")


@dataclass(frozen=True)
class _PersonSpec:
    region_code: str
    position: str
    institution: str
    pillar: SocialPillar = SocialPillar.PSM
    #: Degree titles, kept apart from the name (``Person.title_before/after``).
    prefix: str | None = None
    suffix: str | None = None
    #: Where the demo puts them: tour, tour_chair, tour_replaced, bimtek, national,
    #: speaker (empty: in no event).
    part: str = ""


def _people_specs(names: dict[str, str]) -> list[_PersonSpec]:
    """Who the demo holds, in a fixed order (the seed then gives everyone a face)."""
    rng = random.Random(DEFAULT_SEED)
    specs = [
        _PersonSpec(
            "19.71",
            "Ketua IPSM Provinsi Kepulauan Bangka Belitung",
            "IPSM Provinsi Kepulauan Bangka Belitung",
            part="tour_chair",
        ),
        _PersonSpec(
            "19.71",
            "Kepala Bidang Pemberdayaan Sosial",
            "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
            SocialPillar.OFFICIAL,
            suffix="S.Sos., M.Si.",
        ),
    ]
    # The study tour: 2–3 PSM from each of the 6 regencies and 1 city of the province.
    for i, code in enumerate(_TOUR_REGENCIES):
        chapter = f"IPSM {names[code]}"
        specs.append(_PersonSpec(code, f"Ketua {chapter}", chapter, part="tour"))
        if i % 2 == 0:
            specs.append(_PersonSpec(code, f"Pengurus {chapter}", chapter, part="tour"))
        specs.append(_PersonSpec(code, f"PSM {names[code]}", chapter, part="tour"))
    # The bimtek: about 30 from each Bekasi (the full list of 450 comes by import).
    other_pillars = {
        SocialPillar.TKSK: ("TKSK", "Dinas Sosial"),
        SocialPillar.KARANG_TARUNA: ("Pengurus Karang Taruna", "Karang Taruna"),
        SocialPillar.PENDAMPING_PKH: ("Pendamping PKH", "Dinas Sosial"),
    }
    for code in _BEKASI:
        chapter = f"IPSM {names[code]}"
        specs.append(_PersonSpec(code, f"Ketua {chapter}", chapter, part="bimtek"))
        specs.append(_PersonSpec(code, f"Sekretaris {chapter}", chapter, part="bimtek"))
        for _ in range(28):
            if rng.random() < 0.1:
                pillar = rng.choice(list(other_pillars))
                position, body = other_pillars[pillar]
                specs.append(
                    _PersonSpec(
                        code, position, f"{body} {names[code]}", pillar, part="bimtek"
                    )
                )
            else:
                specs.append(
                    _PersonSpec(code, f"PSM {names[code]}", chapter, part="bimtek")
                )
    national = "Pengurus Nasional IPSM"
    for code, position in (
        ("31.71", "Ketua Umum Pengurus Nasional IPSM"),
        ("31.74", "Sekretaris Jenderal Pengurus Nasional IPSM"),
        ("31.75", "Bendahara Umum Pengurus Nasional IPSM"),
        ("31.73", "Ketua Bidang Organisasi Pengurus Nasional IPSM"),
    ):
        specs.append(_PersonSpec(code, position, national, part="national"))
    # Speakers (narasumber) of the bimtek.
    specs += [
        _PersonSpec(
            "31.71",
            "Direktur Pemberdayaan Sosial Perorangan, Keluarga dan Kelembagaan "
            "Masyarakat",
            "Kementerian Sosial RI",
            SocialPillar.OFFICIAL,
            prefix="Dr.",
            suffix="M.Si.",
            part="speaker",
        ),
        _PersonSpec(
            "31.74",
            "Pekerja Sosial Ahli Madya",
            "Kementerian Sosial RI",
            SocialPillar.PEKSOS,
            suffix="S.ST., M.Kesos.",
            part="speaker",
        ),
        _PersonSpec(
            "31.74",
            "Widyaiswara (wawasan kebangsaan)",
            "BBPPKS Jakarta",
            SocialPillar.OFFICIAL,
            prefix="Drs.",
            suffix="M.Pd.",
            part="speaker",
        ),
        _PersonSpec(
            "32.75",
            "Kepala Bidang Pemberdayaan Sosial",
            "Dinas Sosial Kota Bekasi",
            SocialPillar.OFFICIAL,
            suffix="S.E., M.M.",
            part="speaker",
        ),
    ]
    # Last, so everyone above keeps their face: the tour member who dropped out a
    # week before departure and was replaced.
    belitung = f"IPSM {names['19.02']}"
    specs.append(
        _PersonSpec("19.02", f"Pengurus {belitung}", belitung, part="tour_replaced")
    )
    return specs


def _events(places: dict[str, Place], regions: dict[str, Region]) -> list[dict]:
    """Column values of the three demo events."""
    ports = {
        p.code: p.name
        for p in db.session.scalars(db.select(Place).where(Place.code.in_(TOUR_PORTS)))
    }
    route = " – ".join(ports.get(code, code) for code in TOUR_PORTS)
    return [
        {
            "slug": "tour-studi-pgk-jkt-2024",
            "kind": EventKind.STUDY_TOUR,
            "title": "Tour dan Studi Banding PSM Bangka Belitung (PGK–JKT)",
            "organiser_body": "IPSM Provinsi Kepulauan Bangka Belitung",
            "host_region": regions["19"],
            "venue": places["meeting_point"],
            "starts_on": date(2024, 5, 7),
            "ends_on": date(2024, 5, 12),
            "timezone": "Asia/Jakarta",
            "capacity": 30,
            "status": EventStatus.FINISHED,
            "description": (
                "Perwakilan PSM dari 6 kabupaten dan 1 kota di Provinsi Kepulauan "
                "Bangka Belitung berkumpul di Tugu Titik Nol Kilometer Pangkalpinang, "
                "lalu berangkat bersama ke Jakarta lewat darat dan laut dengan dua "
                "mobil travel sewaan, dipimpin Ketua IPSM Provinsi.\n\n"
                f"Rute: Pangkalpinang – {route} – Jakarta (feri Bangka–Sumatera, "
                "jalan darat lintas Sumatera Selatan dan Lampung, "
                "feri Sumatera–Jawa).\n\n"
                "Di Jakarta rombongan berkunjung ke Kementerian Sosial RI dan "
                "bertukar pengalaman dengan pengurus IPSM. Tujuan: berbagi "
                "pengalaman, kunjungan, dan mempererat hubungan antar-IPSM "
                "kabupaten/kota."
            ),
        },
        {
            "slug": "bimtek-psm-bekasi-2027",
            "kind": EventKind.BIMTEK,
            "title": "Bimbingan Teknis PSM Bekasi",
            "organiser_body": (
                "Direktorat Pemberdayaan Sosial Perorangan, Keluarga dan Kelembagaan "
                "Masyarakat, Kementerian Sosial RI, bersama Dinas Sosial Kota Bekasi "
                "dan Kabupaten Bekasi"
            ),
            "host_region": regions["31"],
            "venue": places["bbppks"],
            "starts_on": date(2027, 1, 19),
            "ends_on": date(2027, 1, 20),
            "timezone": "Asia/Jakarta",
            "capacity": 500,
            "status": EventStatus.OPEN,
            "description": (
                "Bimbingan teknis dua hari bagi PSM baru, diumumkan untuk "
                "500 peserta.\n\n"
                "Alokasi: 225 PSM Kota Bekasi (32.75), 225 PSM Kabupaten Bekasi "
                "(32.16) dan 25 Pengurus Nasional IPSM — jumlahnya 475, "
                "bukan 500.\n\n"
                "Materi: kehidupan sosial dan kerelawanan, konsep dasar PSM, wawasan "
                "kebangsaan, keterampilan dasar PSM.\n\n"
                "Data demo memuat sekitar 60 PSM Bekasi; daftar lengkap peserta "
                "menyusul lewat impor."
            ),
        },
        {
            "slug": "rakor-ipsm-babel-2027",
            "kind": EventKind.RAKOR,
            "title": "Rakor IPSM Provinsi Kepulauan Bangka Belitung 2027",
            "organiser_body": (
                "IPSM Provinsi Kepulauan Bangka Belitung bersama Dinas Sosial Provinsi "
                "Kepulauan Bangka Belitung"
            ),
            "host_region": regions["19"],
            "venue": places["aula_dinsos"],
            "starts_on": date(2027, 2, 16),
            "ends_on": date(2027, 2, 17),
            "timezone": "Asia/Jakarta",
            "capacity": 40,
            "status": EventStatus.DRAFT,
            "description": (
                "Rapat koordinasi dua hari: Ketua IPSM Provinsi dengan pengurus, serta "
                "ketua (atau wakil) IPSM dari 6 kabupaten dan 1 kota.\n\n"
                "Hari pertama: pembukaan oleh MC, Indonesia Raya, doa, laporan "
                "panitia, sambutan dan pembukaan oleh Kepala Bidang Pemberdayaan "
                "Sosial, laporan legalitas kepengurusan IPSM kabupaten/kota, paparan "
                "tiap cabang dan dialog sampai pukul 21.30.\n\n"
                "Hari kedua: motivator dan praktisi dari perguruan tinggi setempat."
            ),
        },
    ]


@dataclass
class DemoReport:
    """What a demo load created, per table, and the accounts to print.

    ``regions`` and ``shipped_places`` (ports, airports) count what ``load_regions``
    created when the database had none; ``places`` counts the demo's own places.
    """

    created: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            (
                "regions",
                "shipped_places",
                "places",
                "events",
                "people",
                "users",
                "delegations",
                "delegates",
                "vehicles",
                "trips",
                "legs",
                "seats",
                "agenda_items",
            ),
            0,
        )
    )
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def demo_accounts_present() -> list[tuple[DemoAccount, bool]]:
    """Each demo account with whether it exists in the database."""
    emails = set(
        db.session.scalars(
            db.select(User.email).where(User.email.in_(a.email for a in DEMO_ACCOUNTS))
        )
    )
    return [(account, account.email in emails) for account in DEMO_ACCOUNTS]


def _ensure_regions(report: DemoReport) -> None:
    """Load regions and shipped ports unless they are there already."""
    regions = db.session.scalar(db.select(func.count(Region.id)))
    ports = db.session.scalar(
        db.select(func.count(Place.id)).where(Place.code.in_(TOUR_PORTS))
    )
    if regions and ports == len(TOUR_PORTS):
        return
    loaded = load_regions()
    report.created["regions"] += loaded.created["regions"]
    report.created["shipped_places"] += loaded.created["places"]


def load_demo(*, seed: int = DEFAULT_SEED) -> DemoReport:
    """Create the demo places, events, people and accounts that are missing."""
    report = DemoReport()
    _ensure_regions(report)
    codes = {
        "19",
        "31",
        "16.71",
        *_TOUR_REGENCIES,
        *_BEKASI,
        *("31.71", "31.73", "31.74", "31.75"),
    }
    regions = {
        r.code: r
        for r in db.session.scalars(db.select(Region).where(Region.code.in_(codes)))
    }
    names = {code: region.name for code, region in regions.items()}

    places: dict[str, Place] = {}
    existing_places = {
        p.name: p
        for p in db.session.scalars(
            db.select(Place).where(
                Place.code.is_(None), Place.name.in_(v[0] for v in _PLACES.values())
            )
        )
    }
    for key, (name, kind, code, address, lat, lon, notes) in _PLACES.items():
        place = existing_places.get(name)
        if place is None:
            place = Place(
                name=name,
                kind=kind,
                region=regions[code],
                address=address,
                lat=lat,
                lon=lon,
                coordinate_source=CoordinateSource.MANUAL,
                notes=notes,
            )
            db.session.add(place)
            report.created["places"] += 1
        places[key] = place

    faces = FakePeople(seed)
    rows = []
    specs = _people_specs(names)
    for spec in specs:
        row = faces.person(spec.region_code)
        row.update(
            title_before=spec.prefix,
            title_after=spec.suffix,
            region=regions[spec.region_code],
            pillar=spec.pillar,
            position=spec.position,
            institution=spec.institution,
        )
        rows.append(row)
    known = set(
        db.session.scalars(
            db.select(Person.nik).where(Person.nik.in_(r["nik"] for r in rows))
        )
    )
    for row in rows:
        if row["nik"] not in known:
            db.session.add(Person(**row))
            report.created["people"] += 1
    office_holders = _load_office_holders(regions, report)
    db.session.flush()

    users = {
        u.email: u
        for u in db.session.scalars(
            db.select(User).where(User.email.in_(a.email for a in DEMO_ACCOUNTS))
        )
    }
    # Chapter heads carry the name of the chair they stand for; the participant account
    # belongs to a plain PSM of Kota Pangkal Pinang on the tour.
    by_position = {row["position"]: row for row in rows}
    display = {
        "ketua.bangka@rombongan.test": by_position["Ketua IPSM Kabupaten Bangka"],
        "ketua.provinsi@rombongan.test": by_position[
            "Ketua IPSM Provinsi Kepulauan Bangka Belitung"
        ],
        "ketua.bekasi@rombongan.test": by_position["Ketua IPSM Kota Bekasi"],
        "peserta@rombongan.test": by_position["PSM Kota Pangkal Pinang"],
    }
    for account in DEMO_ACCOUNTS:
        if account.email in users:
            continue
        user = User(
            email=account.email,
            display_name=display[account.email]["full_name"]
            if account.email in display
            else account.display_name,
            is_admin=account.email == "admin@rombongan.test",
            is_organiser=account.email == "panitia@rombongan.test",
        )
        user.set_password(account.password)
        if account.email in _ACCOUNT_REGIONS:
            user.regions = [regions[_ACCOUNT_REGIONS[account.email]]]
        if account.email == "peserta@rombongan.test":
            nik = display[account.email]["nik"]
            person = db.session.execute(
                db.select(Person).filter_by(nik=nik)
            ).scalar_one()
            taken = db.session.scalar(db.select(User.id).filter_by(person_id=person.id))
            user.person = None if taken else person
        db.session.add(user)
        users[account.email] = user
        report.created["users"] += 1
    db.session.flush()

    panitia = users["panitia@rombongan.test"]
    event_specs = _events(places, regions)
    events = {
        e.slug: e
        for e in db.session.scalars(
            db.select(Event).where(Event.slug.in_(s["slug"] for s in event_specs))
        )
    }
    for values in event_specs:
        event = events.get(values["slug"])
        if event is None:
            event = Event(**values)
            db.session.add(event)
            report.created["events"] += 1
        if panitia not in event.organisers:
            event.organisers.append(panitia)
        events[values["slug"]] = event
    db.session.flush()

    people = {
        p.nik: p
        for p in db.session.scalars(
            db.select(Person).where(Person.nik.in_(r["nik"] for r in rows))
        )
    }
    cast: dict[str, list[tuple[_PersonSpec, Person]]] = {}
    for spec, row in zip(specs, rows, strict=True):
        if spec.part:
            cast.setdefault(spec.part, []).append((spec, people[row["nik"]]))
    _load_tour_delegations(events["tour-studi-pgk-jkt-2024"], cast, users, report)
    _load_bimtek_delegations(events["bimtek-psm-bekasi-2027"], cast, users, report)
    _load_tour_transport(events["tour-studi-pgk-jkt-2024"], places, report, seed=seed)
    staff = {
        (spec.position, spec.institution): people[row["nik"]]
        for spec, row in zip(specs, rows, strict=True)
    }
    staff.update(office_holders)
    _load_agenda(events, places, cast, staff, report)
    return report


#: Officials the demo knows by office only, without a name: (region, position,
#: institution). Printed as "Kepala Bidang Rehabilitasi Sosial, Dinas Sosial …".
_OFFICE_HOLDERS = (
    (
        "19.71",
        "Kepala Bidang Rehabilitasi Sosial",
        "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
    ),
)


def _load_office_holders(
    regions: dict[str, Region], report: DemoReport
) -> dict[tuple[str, str], Person]:
    """The officials known by position only, found by their office or created."""
    found = {}
    for code, position, institution in _OFFICE_HOLDERS:
        person = db.session.scalars(
            db.select(Person)
            .filter_by(full_name="", position=position, institution=institution)
            .order_by(Person.id)
        ).first()
        if person is None:
            person = Person(
                full_name="",
                region=regions[code],
                pillar=SocialPillar.OFFICIAL,
                position=position,
                institution=institution,
            )
            db.session.add(person)
            report.created["people"] += 1
        found[position, institution] = person
    return found


# Delegations ---------------------------------------------------------------------

#: Quota of each regency/city on the study tour, and of the province board.
TOUR_QUOTA = 4
TOUR_BOARD = "Pengurus IPSM Provinsi"
TOUR_BOARD_QUOTA = 2
#: The bimtek's allocation (DOMAIN.md): 225 + 225 + 25 = 475 of the 500 announced.
BIMTEK_QUOTAS = {"32.75": 225, "32.16": 225}
BIMTEK_NATIONAL = "IPSM Pusat"
BIMTEK_NATIONAL_QUOTA = 25

WIB = ZoneInfo("Asia/Jakarta")
#: When the tour's list was made, confirmed, changed and checked in (WIB).
_TOUR_TIMES = {
    "nominated": datetime(2024, 4, 15, 10, 0, tzinfo=WIB),
    "confirmed": datetime(2024, 4, 22, 14, 0, tzinfo=WIB),
    "replaced": datetime(2024, 4, 30, 9, 15, tzinfo=WIB),
    "substitute": datetime(2024, 4, 30, 9, 15, tzinfo=WIB),
    "attended": datetime(2024, 5, 7, 6, 30, tzinfo=WIB),
}


def _event_state(event: Event) -> tuple[dict[str, Delegation], set[int]]:
    """The event's delegations by name and the ids of the people already in it."""
    delegations = {
        d.name: d
        for d in db.session.scalars(db.select(Delegation).filter_by(event_id=event.id))
    }
    present = set(
        db.session.scalars(db.select(Delegate.person_id).filter_by(event_id=event.id))
    )
    return delegations, present


def _delegation(
    event: Event,
    existing: dict[str, Delegation],
    report: DemoReport,
    *,
    region: Region | None = None,
    name: str | None = None,
    **data,
) -> Delegation:
    """The event's delegation of this region or name, created when missing."""
    key = name or region.name
    if key not in existing:
        existing[key] = create_delegation(
            event, data={"region": region, "name": key, **data}
        )
        report.created["delegations"] += 1
    return existing[key]


def _load_tour_delegations(
    event: Event,
    cast: dict[str, list[tuple[_PersonSpec, Person]]],
    users: dict[str, User],
    report: DemoReport,
) -> None:
    """The finished tour: 7 regencies/cities of quota 4 and the province board, every
    member attended, one substitution on the way."""
    panitia = users["panitia@rombongan.test"]
    deadline = datetime(2024, 4, 26, 23, 59, tzinfo=WIB).astimezone(UTC)
    existing, present = _event_state(event)
    heads = {"19.01": users["ketua.bangka@rombongan.test"]}
    new: list[Delegate] = []

    def join(person: Person, delegation: Delegation, role: DelegateRole) -> None:
        if person.id in present:
            return
        delegate = nominate_delegate(
            event, person=person, delegation=delegation, role=role, by=panitia
        )
        confirm_delegate(delegate, by=panitia)
        present.add(person.id)
        new.append(delegate)

    chair = cast["tour_chair"][0][1]
    board = _delegation(
        event,
        existing,
        report,
        name=TOUR_BOARD,
        quota=TOUR_BOARD_QUOTA,
        head=users["ketua.provinsi@rombongan.test"],
        deadline_at=deadline,
        notes="Ketua IPSM Provinsi memimpin rombongan.",
    )
    join(chair, board, DelegateRole.HEAD)

    replaced_spec, replaced = cast["tour_replaced"][0]
    for spec, person in cast["tour"]:
        delegation = _delegation(
            event,
            existing,
            report,
            region=person.region,
            quota=TOUR_QUOTA,
            head=heads.get(spec.region_code),
            deadline_at=deadline,
        )
        role = (
            DelegateRole.HEAD
            if spec.position.startswith("Ketua")
            else DelegateRole.PARTICIPANT
        )
        if (
            spec.region_code == replaced_spec.region_code
            and spec.position.startswith("PSM")
            and replaced.id not in present
            and person.id not in present
        ):
            # Confirmed first, then dropped out; this PSM went in their place.
            join(replaced, delegation, DelegateRole.PARTICIPANT)
            stand_in = substitute_delegate(
                new.pop(),
                person=person,
                by=panitia,
                note="Berhalangan karena tugas keluarga; diganti.",
            )
            present.add(person.id)
            new.append(stand_in)
            report.created["delegates"] += 1  # the one who dropped out
            continue
        join(person, delegation, role)

    for delegate in new:
        mark_attended(delegate, by=panitia)
        report.created["delegates"] += 1
    if new:
        _backdate_tour(new)


def _backdate_tour(delegates: list[Delegate]) -> None:
    """Put the tour's history on its real dates rather than on today's."""
    db.session.flush()
    times = {k: v.astimezone(UTC) for k, v in _TOUR_TIMES.items()}
    ids = [d.id for d in delegates]
    replaced_ids = [d.replaces_id for d in delegates if d.replaces_id]
    db.session.execute(
        db.update(Delegate)
        .where(Delegate.id.in_(ids + replaced_ids))
        .values(
            created_at=times["nominated"],
            confirmed_at=case(
                (Delegate.replaces_id.is_not(None), times["substitute"]),
                else_=times["confirmed"],
            ),
            attended_at=case((Delegate.id.in_(ids), times["attended"]), else_=None),
            withdrawn_at=case(
                (Delegate.id.in_(replaced_ids), times["replaced"]), else_=None
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        db.update(DelegateChange)
        .where(DelegateChange.delegate_id.in_(ids + replaced_ids))
        .values(
            at=case(
                *((DelegateChange.action == k, v) for k, v in times.items()),
                else_=DelegateChange.at,
            )
        )
        .execution_options(synchronize_session=False)
    )
    for delegate in delegates:
        db.session.expire(delegate)


def _load_bimtek_delegations(
    event: Event,
    cast: dict[str, list[tuple[_PersonSpec, Person]]],
    users: dict[str, User],
    report: DemoReport,
) -> None:
    """The coming bimtek: Kota and Kabupaten Bekasi (225 each) and IPSM Pusat (25),
    the demo's Bekasi PSM nominated and some confirmed, the speakers invited."""
    panitia = users["panitia@rombongan.test"]
    bekasi_head = users["ketua.bekasi@rombongan.test"]
    local_deadline = datetime.combine(
        event.starts_on - timedelta(days=7), time(23, 59), tzinfo=WIB
    )
    deadline = local_deadline.astimezone(UTC)
    existing, present = _event_state(event)
    regions = {
        r.code: r
        for r in db.session.scalars(
            db.select(Region).where(Region.code.in_(BIMTEK_QUOTAS))
        )
    }
    for code, quota in BIMTEK_QUOTAS.items():
        _delegation(
            event,
            existing,
            report,
            region=regions[code],
            quota=quota,
            head=bekasi_head if code == "32.75" else None,
            deadline_at=deadline,
        )
    national = _delegation(
        event,
        existing,
        report,
        name=BIMTEK_NATIONAL,
        quota=BIMTEK_NATIONAL_QUOTA,
        deadline_at=deadline,
        notes="Pengurus Nasional IPSM.",
    )
    by_region = {d.region_id: d for d in existing.values() if d.region_id}

    def join(person, delegation, role, *, confirm: bool, by: User) -> None:
        if person.id in present:
            return
        delegate = nominate_delegate(
            event, person=person, delegation=delegation, role=role, by=by
        )
        if confirm:
            confirm_delegate(delegate, by=by)
        present.add(person.id)
        report.created["delegates"] += 1

    for n, (spec, person) in enumerate(cast["bimtek"]):
        delegation = by_region[person.region_id]
        by = bekasi_head if spec.region_code == "32.75" else panitia
        chair = spec.position.startswith(("Ketua", "Sekretaris"))
        role = (
            DelegateRole.HEAD
            if spec.position.startswith("Ketua")
            else DelegateRole.PARTICIPANT
        )
        join(person, delegation, role, confirm=chair or n % 3 == 0, by=by)
    for _spec, person in cast["national"]:
        join(person, national, DelegateRole.PARTICIPANT, confirm=True, by=panitia)
    for _spec, person in cast["speaker"]:
        join(person, None, DelegateRole.SPEAKER, confirm=True, by=panitia)


# The tour's vans, legs and seats ------------------------------------------------------

#: label, plate, passenger seats; the drivers' names and phones come from the seed.
TOUR_VANS = (("Travel 1", "BN 1234 AB", 10), ("Travel 2", "BN 5678 CD", 10))
TOUR_VAN_OPERATOR = "CV Serumpun Sebalai Trans (rental mobil), Kota Pangkalpinang"
_ASDP = "PT ASDP Indonesia Ferry (Persero)"
_DEMO_BOOKING = "Nama kapal dan kode pemesanan: data demo."

#: Trip name → legs: from, to, mode, departs, arrives (WIB), carrier, vessel, booking,
#: notes. Places are keys of ``_PLACES`` or shipped port codes.
TOUR_TRIPS = {
    "Berangkat": (
        ("meeting_point", "port:tanjung-kalian", LegMode.ROAD,
         (7, 5, 0), (7, 8, 0), None, None, None,
         "Kumpul pukul 04.30 WIB di Tugu Titik Nol Kilometer; lewat Jalan Raya "
         "Pangkalpinang–Mentok."),
        ("port:tanjung-kalian", "port:tanjung-api-api", LegMode.FERRY,
         (7, 9, 0), (7, 13, 30), _ASDP, "KMP Bahari Nusantara", "ASDP-TKL-240507-0931",
         "Dua mobil travel ikut menyeberang. " + _DEMO_BOOKING),
        ("port:tanjung-api-api", "hotel_palembang", LegMode.ROAD,
         (7, 14, 0), (7, 16, 30), None, None, None,
         "Menginap semalam di Palembang."),
        ("hotel_palembang", "port:bakauheni", LegMode.ROAD,
         (8, 4, 0), (8, 12, 0), None, None, None,
         "Tol Kayu Agung–Palembang–Bakauheni; istirahat dan salat di rest area."),
        ("port:bakauheni", "port:merak", LegMode.FERRY,
         (8, 13, 0), (8, 15, 30), _ASDP, "KMP Legundi", "ASDP-BKH-240508-1300",
         "Dua mobil travel ikut menyeberang. " + _DEMO_BOOKING),
        ("port:merak", "hotel", LegMode.ROAD,
         (8, 16, 0), (8, 19, 0), None, None, None,
         "Tol Tangerang–Merak dan Jakarta–Tangerang."),
    ),
    "Pulang": (
        ("hotel", "port:merak", LegMode.ROAD,
         (11, 5, 0), (11, 8, 0), None, None, None, None),
        ("port:merak", "port:bakauheni", LegMode.FERRY,
         (11, 9, 0), (11, 11, 30), _ASDP, "KMP Legundi", "ASDP-MRK-240511-0900",
         "Dua mobil travel ikut menyeberang. " + _DEMO_BOOKING),
        ("port:bakauheni", "hotel_palembang", LegMode.ROAD,
         (11, 12, 30), (11, 20, 30), None, None, None,
         "Menginap semalam di Palembang."),
        ("hotel_palembang", "port:tanjung-api-api", LegMode.ROAD,
         (12, 5, 0), (12, 7, 30), None, None, None, None),
        ("port:tanjung-api-api", "port:tanjung-kalian", LegMode.FERRY,
         (12, 8, 30), (12, 13, 0), _ASDP, "KMP Bahari Nusantara",
         "ASDP-TAA-240512-0830",
         "Dua mobil travel ikut menyeberang. " + _DEMO_BOOKING),
        ("port:tanjung-kalian", "meeting_point", LegMode.ROAD,
         (12, 13, 30), (12, 16, 30), None, None, None,
         "Rombongan bubar di Tugu Titik Nol Kilometer."),
    ),
}  # fmt: skip


def _tour_time(day_hour_minute: tuple[int, int, int]) -> datetime:
    """A May 2024 time in WIB, as stored (UTC)."""
    day, hour, minute = day_hour_minute
    return datetime(2024, 5, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def _load_tour_transport(
    event: Event, places: dict[str, Place], report: DemoReport, *, seed: int
) -> None:
    """The tour's two vans, its trips there and back (every leg, the vans aboard the
    ferries) and every attending delegate seated on both trips."""
    rng = random.Random(seed + 4)
    drivers = FakePeople(seed + 4, female_share=0.0)
    existing = {
        v.label: v
        for v in db.session.scalars(db.select(Vehicle).filter_by(event_id=event.id))
    }
    vans = []
    for label, plate, seats in TOUR_VANS:
        driver = drivers.name(Sex.MALE)
        phone = random_mobile(rng)
        van = existing.get(label)
        if van is None:
            van = Vehicle(
                event=event,
                kind=VehicleKind.TRAVEL_VAN,
                label=label,
                plate=plate,
                seats=seats,
                driver_name=driver,
                driver_phone=phone,
                operator=TOUR_VAN_OPERATOR,
                notes="Toyota HiAce Commuter, AC, bagasi di atap.",
            )
            db.session.add(van)
            report.created["vehicles"] += 1
        vans.append(van)
    shipped = {
        p.code: p
        for p in db.session.scalars(db.select(Place).where(Place.code.in_(TOUR_PORTS)))
    }
    stops = {**places, **shipped}
    trips = {
        t.name: t
        for t in db.session.scalars(db.select(Trip).filter_by(event_id=event.id))
    }
    for position, (name, legs) in enumerate(TOUR_TRIPS.items()):
        trip = trips.get(name)
        if trip is None:
            trip = Trip(event=event, name=name, position=position)
            db.session.add(trip)
            report.created["trips"] += 1
        db.session.flush()
        has_legs = db.session.scalar(
            db.select(func.count(Leg.id)).filter_by(trip_id=trip.id)
        )
        if not has_legs:
            for n, row in enumerate(legs):
                origin, goal, mode, departs, arrives = row[:5]
                carrier, vessel, booking, notes = row[5:]
                db.session.add(
                    Leg(
                        event_id=event.id,
                        trip=trip,
                        position=n,
                        from_place=stops[origin],
                        to_place=stops[goal],
                        mode=mode,
                        departs_at=_tour_time(departs),
                        arrives_at=_tour_time(arrives),
                        carrier=carrier,
                        vessel=vessel,
                        booking_ref=booking,
                        notes=notes,
                        vehicles=list(vans),
                    )
                )
                report.created["legs"] += 1
            db.session.flush()
        seated = db.session.scalar(
            db.select(func.count(SeatAssignment.id)).filter_by(trip_id=trip.id)
        )
        if not seated:
            result = auto_assign(trip, vehicles=vans)
            report.created["seats"] += len(result.placed)


# Run-downs (susunan acara) ------------------------------------------------------------

#: Speaker rows of demo items: (role, person key or None, name, title, institution);
#: a person key is (position, institution) of a demo person.
_Speaker = tuple


def _agenda_item(
    day: date,
    start: str,
    end: str,
    kind: AgendaKind,
    title: str,
    *,
    place: str | None = None,
    room: str | None = None,
    speakers: tuple[_Speaker, ...] = (),
    audience: AgendaAudience = AgendaAudience.EVERYONE,
    delegations: tuple[str, ...] = (),
    notes: str | None = None,
) -> dict:
    """One demo item: a day, "HH.MM" times in the event's zone, and what it is."""

    def clock(text: str) -> time:
        hour, minute = text.split(".")
        return time(int(hour), int(minute))

    return {
        "day": day,
        "starts_time": clock(start),
        "ends_time": clock(end),
        "kind": kind,
        "title": title,
        "place": place,
        "room": room,
        "speakers": speakers,
        "audience": audience,
        "delegations": delegations,
        "notes": notes,
    }


_CHAIR = (
    "Ketua IPSM Provinsi Kepulauan Bangka Belitung",
    "IPSM Provinsi Kepulauan Bangka Belitung",
)
_KABID_BABEL = (
    "Kepala Bidang Pemberdayaan Sosial",
    "Dinas Sosial Provinsi Kepulauan Bangka Belitung",
)
_KABID_BEKASI = ("Kepala Bidang Pemberdayaan Sosial", "Dinas Sosial Kota Bekasi")
_DIREKTUR = (
    "Direktur Pemberdayaan Sosial Perorangan, Keluarga dan Kelembagaan Masyarakat",
    "Kementerian Sosial RI",
)
_KETUM = ("Ketua Umum Pengurus Nasional IPSM", "Pengurus Nasional IPSM")
#: Known by position only (see ``_OFFICE_HOLDERS``).
_KABID_REHSOS = _OFFICE_HOLDERS[0][1:]


def _tour_agenda() -> list[dict]:
    """The PGK–JKT tour: gathering, meals at the ports between the legs, the nights
    in Palembang, a free public holiday, the visit to Kemensos and IPSM, the way home.
    No item overlaps a leg of ``TOUR_TRIPS``."""
    A, K = AgendaKind, SpeakerRole  # noqa: N806
    d = {n: date(2024, 5, n) for n in range(7, 13)}
    item = _agenda_item
    return [
        item(d[7], "04.30", "04.45", A.OTHER, "Berkumpul dan registrasi ulang peserta",
             notes="Peserta hadir paling lambat pukul 04.30 WIB dengan bagasi."),
        item(d[7], "04.45", "04.55", A.SPEECH, "Pelepasan rombongan",
             speakers=((K.SPEAKER, _KABID_BABEL, None, None, None),)),
        item(d[7], "04.55", "05.00", A.PRAYER, "Doa bersama untuk keselamatan perjalanan",
             speakers=((K.SPEAKER, None, "Ustaz Hendra Gunawan", "Pembaca doa",
                        "IPSM Kota Pangkal Pinang"),)),
        item(d[7], "08.00", "08.45", A.MEAL, "Sarapan di pelabuhan",
             place="port:tanjung-kalian", room="Rumah makan dermaga"),
        item(d[7], "13.30", "14.00", A.MEAL, "Makan siang",
             place="port:tanjung-api-api"),
        item(d[7], "16.30", "17.15", A.OTHER, "Check-in hotel dan istirahat",
             place="hotel_palembang"),
        item(d[7], "19.00", "20.00", A.MEAL, "Makan malam bersama",
             place="hotel_palembang", room="Restoran hotel"),
        item(d[7], "20.00", "20.45", A.DIALOGUE,
             "Rapat panitia dan sopir: persiapan perjalanan ke Jakarta",
             place="hotel_palembang", room="Lobi hotel",
             audience=AgendaAudience.COMMITTEE,
             speakers=((K.MODERATOR, _CHAIR, None, None, None),),
             notes="Cek kondisi kendaraan, BBM, e-toll dan tiket feri Bakauheni."),
        item(d[8], "03.15", "03.50", A.MEAL, "Sarapan dan check-out",
             place="hotel_palembang"),
        item(d[8], "12.00", "12.50", A.MEAL, "Makan siang dan salat Zuhur",
             place="port:bakauheni"),
        item(d[8], "19.00", "19.30", A.OTHER, "Check-in hotel", place="hotel"),
        item(d[8], "19.30", "20.30", A.MEAL, "Makan malam", place="hotel",
             room="Restoran Cempaka"),
        item(d[9], "06.30", "07.30", A.MEAL, "Sarapan", place="hotel",
             room="Restoran Cempaka"),
        item(d[9], "08.00", "17.00", A.FREE_TIME,
             "Acara bebas: Monas, Masjid Istiqlal dan Kota Tua", place="hotel",
             notes="Hari libur nasional (Kenaikan Isa Almasih). Kembali ke hotel "
             "paling lambat pukul 17.00 WIB."),
        item(d[9], "19.00", "20.00", A.MEAL, "Makan malam", place="hotel",
             room="Restoran Cempaka"),
        item(d[10], "06.30", "07.30", A.MEAL, "Sarapan", place="hotel",
             room="Restoran Cempaka"),
        item(d[10], "08.00", "08.45", A.OTHER,
             "Berangkat dari hotel ke Kementerian Sosial RI", place="hotel",
             notes="Memakai seragam PSM dan membawa kartu peserta."),
        item(d[10], "09.00", "09.10", A.OPENING, "Pembukaan kunjungan",
             place="kemensos", room="Aula Gedung Cawang Kencana",
             speakers=((K.MC, None, "Dewi Lestari, S.Sos.", "Pranata Humas",
                        "Kementerian Sosial RI"),)),
        item(d[10], "09.10", "09.25", A.SPEECH,
             "Sambutan Ketua IPSM Provinsi Kepulauan Bangka Belitung",
             place="kemensos", room="Aula Gedung Cawang Kencana",
             speakers=((K.SPEAKER, _CHAIR, None, None, None),)),
        item(d[10], "09.25", "09.55", A.SPEECH, "Sambutan dan arahan",
             place="kemensos", room="Aula Gedung Cawang Kencana",
             speakers=((K.SPEAKER, None, "Drs. Bambang Sugiarto, M.Si.",
                        "Direktur Pemberdayaan Sosial Perorangan, Keluarga dan "
                        "Kelembagaan Masyarakat", "Kementerian Sosial RI"),)),
        item(d[10], "09.55", "10.55", A.PRESENTATION,
             "Paparan: program pemberdayaan sosial dan peran PSM di desa/kelurahan",
             place="kemensos", room="Aula Gedung Cawang Kencana",
             speakers=((K.SPEAKER, None, "Ratna Wulandari, S.ST., M.Kesos.",
                        "Pekerja Sosial Ahli Madya", "Kementerian Sosial RI"),)),
        item(d[10], "10.55", "11.30", A.DIALOGUE, "Tanya jawab",
             place="kemensos", room="Aula Gedung Cawang Kencana",
             speakers=((K.MODERATOR, _CHAIR, None, None, None),)),
        item(d[10], "11.30", "13.00", A.MEAL, "Ishoma dan salat Jumat",
             place="kemensos"),
        item(d[10], "13.00", "15.00", A.DIALOGUE,
             "Tukar pengalaman dengan Pengurus Nasional IPSM",
             place="kemensos", room="Ruang Rapat Lantai 2",
             speakers=((K.SPEAKER, None, "H. Suyatno, S.Sos.",
                        "Ketua Umum Pengurus Nasional IPSM", "Pengurus Nasional IPSM"),
                       (K.MODERATOR, _CHAIR, None, None, None)),
             notes="Tiap kabupaten/kota menyampaikan satu praktik baik dan satu "
             "kendala."),
        item(d[10], "15.00", "15.30", A.OTHER,
             "Foto bersama dan penyerahan cendera mata",
             place="kemensos", room="Lobi utama"),
        item(d[10], "16.00", "16.45", A.OTHER, "Kembali ke hotel", place="hotel"),
        item(d[10], "19.00", "21.00", A.MEAL,
             "Makan malam bersama Pengurus Nasional IPSM", place="hotel",
             room="Restoran Cempaka"),
        item(d[11], "04.15", "04.50", A.MEAL, "Sarapan dan check-out", place="hotel"),
        item(d[11], "11.30", "12.20", A.MEAL, "Makan siang dan salat Zuhur",
             place="port:bakauheni"),
        item(d[11], "20.30", "21.00", A.OTHER, "Check-in hotel",
             place="hotel_palembang"),
        item(d[11], "21.00", "21.45", A.MEAL, "Makan malam",
             place="hotel_palembang", room="Restoran hotel"),
        item(d[12], "04.15", "04.50", A.MEAL, "Sarapan dan check-out",
             place="hotel_palembang"),
        item(d[12], "13.00", "13.30", A.MEAL, "Makan siang",
             place="port:tanjung-kalian", room="Rumah makan dermaga"),
        item(d[12], "16.30", "16.50", A.CLOSING,
             "Penutupan dan pembubaran rombongan",
             speakers=((K.SPEAKER, _CHAIR, None, None, None),)),
        item(d[12], "16.50", "17.00", A.PRAYER, "Doa syukur",
             speakers=((K.SPEAKER, None, "Ustaz Hendra Gunawan", "Pembaca doa",
                        "IPSM Kota Pangkal Pinang"),)),
    ]  # fmt: skip


def _bimtek_agenda() -> list[dict]:
    """The Bekasi bimtek: opening ceremony, the four materials of its description
    with their narasumber, ishoma and coffee breaks, group dialogue, closing."""
    A, K = AgendaKind, SpeakerRole  # noqa: N806
    d1, d2 = date(2027, 1, 19), date(2027, 1, 20)
    item = _agenda_item
    hall, dining = "Aula Utama", "Ruang Makan"
    mc = (K.MC, None, "Rina Marlina, S.Sos.", "Pembawa acara",
          "Dinas Sosial Kota Bekasi")  # fmt: skip
    moderator = (K.MODERATOR, None, "Agus Salim, S.Sos.", "Sekretaris",
                 "IPSM Kota Bekasi")  # fmt: skip
    return [
        item(d1, "07.00", "08.00", A.OTHER, "Registrasi peserta dan pembagian kit",
             room="Lobi Aula Utama",
             notes="Peserta membawa KTP dan surat tugas dari Dinas Sosial."),
        item(d1, "08.00", "08.05", A.OPENING, "Pembukaan oleh pembawa acara",
             room=hall, speakers=(mc,)),
        item(d1, "08.05", "08.15", A.ANTHEM,
             "Menyanyikan lagu Indonesia Raya dan Mars PSM", room=hall,
             speakers=((K.SPEAKER, None, "Paduan Suara PSM Kabupaten Bekasi",
                        "Dirigen", None),)),
        item(d1, "08.15", "08.20", A.PRAYER, "Doa", room=hall,
             speakers=((K.SPEAKER, None, "Ustaz Abdul Rahman, S.Ag.", "Pembaca doa",
                        "IPSM Kabupaten Bekasi"),)),
        item(d1, "08.20", "08.35", A.REPORT, "Laporan ketua panitia", room=hall,
             speakers=((K.SPEAKER, _KABID_BEKASI, None, "Ketua panitia", None),)),
        item(d1, "08.35", "09.00", A.SPEECH, "Sambutan dan pembukaan resmi bimtek",
             room=hall, speakers=((K.SPEAKER, _DIREKTUR, None, None, None),)),
        item(d1, "09.00", "09.30", A.BREAK, "Foto bersama dan rehat kopi",
             room="Selasar Aula Utama"),
        item(d1, "09.30", "11.30", A.MATERIAL,
             "Materi 1: Kehidupan sosial dan kerelawanan", room=hall,
             speakers=((K.SPEAKER, None, "Dr. Hj. Sri Wahyuni, M.Si.",
                        "Dosen Kesejahteraan Sosial",
                        "Politeknik Kesejahteraan Sosial (Poltekesos) Bandung"),
                       moderator)),
        item(d1, "11.30", "13.00", A.MEAL, "Ishoma", room=dining),
        item(d1, "13.00", "15.00", A.MATERIAL, "Materi 2: Konsep dasar PSM",
             room=hall,
             speakers=((K.SPEAKER, None, "Ratna Wulandari, S.ST., M.Kesos.",
                        "Pekerja Sosial Ahli Madya", "Kementerian Sosial RI"),
                       moderator)),
        item(d1, "15.00", "15.30", A.BREAK, "Rehat kopi dan salat Asar",
             room="Selasar Aula Utama"),
        item(d1, "15.30", "17.00", A.DIALOGUE,
             "Diskusi kelompok: pemetaan masalah sosial di kelurahan",
             room="Ruang Melati", audience=AgendaAudience.DELEGATIONS,
             delegations=("Kota Bekasi", BIMTEK_NATIONAL),
             speakers=((K.MODERATOR, None, "Agus Salim, S.Sos.", "Sekretaris",
                        "IPSM Kota Bekasi"),)),
        item(d1, "15.30", "17.00", A.DIALOGUE,
             "Diskusi kelompok: pemetaan masalah sosial di desa",
             room="Ruang Anggrek", audience=AgendaAudience.DELEGATIONS,
             delegations=("Kabupaten Bekasi",),
             speakers=((K.MODERATOR, None, "Siti Nurhaliza, S.Pd.", "Ketua",
                        "IPSM Kabupaten Bekasi"),)),
        item(d1, "18.30", "19.30", A.MEAL, "Makan malam", room=dining),
        item(d1, "19.30", "21.00", A.DIALOGUE, "Rapat evaluasi panitia hari pertama",
             room="Ruang Rapat Panitia", audience=AgendaAudience.COMMITTEE),
        item(d2, "07.30", "08.00", A.OTHER, "Registrasi ulang peserta",
             room="Lobi Aula Utama"),
        item(d2, "08.00", "10.00", A.MATERIAL, "Materi 3: Wawasan kebangsaan",
             room=hall,
             speakers=((K.SPEAKER, None, "Drs. Heru Prasetyo, M.Pd.",
                        "Widyaiswara Ahli Madya", "BBPPKS Jakarta"),
                       (K.MODERATOR, None, "Rina Marlina, S.Sos.", "Pembawa acara",
                        "Dinas Sosial Kota Bekasi"))),
        item(d2, "10.00", "10.15", A.BREAK, "Rehat kopi", room="Selasar Aula Utama"),
        item(d2, "10.15", "12.00", A.MATERIAL, "Materi 4: Keterampilan dasar PSM",
             room=hall,
             speakers=((K.SPEAKER, None, "Yusuf Hidayat, S.Sos., M.M.",
                        "Kepala Bidang Pemberdayaan Sosial",
                        "Dinas Sosial Kota Bekasi"),
                       (K.SPEAKER, None, "Ratna Wulandari, S.ST., M.Kesos.",
                        "Pekerja Sosial Ahli Madya", "Kementerian Sosial RI"),
                       moderator),
             notes="Praktik: asesmen sederhana, rujukan, dan pencatatan kasus."),
        item(d2, "12.00", "13.00", A.MEAL, "Ishoma", room=dining),
        item(d2, "13.00", "14.30", A.DIALOGUE,
             "Dialog: rencana tindak lanjut PSM Bekasi", room=hall,
             speakers=((K.SPEAKER, _KETUM, None, None, None),
                       (K.SPEAKER, _KABID_BEKASI, None, None, None),
                       (K.MODERATOR, None, "Agus Salim, S.Sos.", "Sekretaris",
                        "IPSM Kota Bekasi"))),
        item(d2, "14.30", "15.00", A.OTHER, "Evaluasi dan pengisian kuesioner",
             room=hall),
        item(d2, "15.00", "15.30", A.CLOSING, "Penutupan dan penyerahan sertifikat",
             room=hall, speakers=((K.SPEAKER, _DIREKTUR, None, None, None), mc)),
        item(d2, "15.30", "15.40", A.PRAYER, "Doa penutup", room=hall,
             speakers=((K.SPEAKER, None, "Ustaz Abdul Rahman, S.Ag.", "Pembaca doa",
                        "IPSM Kabupaten Bekasi"),)),
    ]  # fmt: skip


def _rakor_agenda(chairs: list[tuple[str, str]]) -> list[dict]:
    """The province rakor as its description says: opening, anthem, prayer, report,
    speech, legal standing of the chapters, each chapter's presentation and a dialogue
    until 21.30; on day two a motivator and practitioners from the local university.
    ``chairs``: person keys of the regency/city chapter chairs, in code order."""
    A, K = AgendaKind, SpeakerRole  # noqa: N806
    d1, d2 = date(2027, 2, 16), date(2027, 2, 17)
    item = _agenda_item
    hall = "Aula Lantai 2"
    mc = (K.MC, None, "Nurul Hidayah, S.Sos.", "Pembawa acara",
          "IPSM Provinsi Kepulauan Bangka Belitung")  # fmt: skip
    first, second = chairs[:4], chairs[4:]
    return [
        item(d1, "12.00", "13.00", A.OTHER, "Kedatangan dan registrasi peserta",
             room="Lobi",
             notes="Peserta dari Belitung dan Belitung Timur tiba dengan pesawat "
             "pagi."),
        item(d1, "13.00", "13.05", A.OPENING, "Pembukaan oleh pembawa acara",
             room=hall, speakers=(mc,)),
        item(d1, "13.05", "13.15", A.ANTHEM, "Menyanyikan lagu Indonesia Raya",
             room=hall),
        item(d1, "13.15", "13.20", A.PRAYER, "Doa", room=hall,
             speakers=((K.SPEAKER, None, "H. Zulkarnain", "Pembaca doa",
                        "IPSM Kabupaten Bangka Tengah"),)),
        item(d1, "13.20", "13.35", A.REPORT, "Laporan ketua panitia", room=hall,
             speakers=((K.SPEAKER, None, "Fitriani, S.E.", "Sekretaris",
                        "IPSM Provinsi Kepulauan Bangka Belitung"),)),
        item(d1, "13.35", "14.15", A.SPEECH, "Sambutan sekaligus membuka rakor",
             room=hall, speakers=((K.SPEAKER, _KABID_BABEL, None, None, None),)),
        item(d1, "14.15", "14.30", A.BREAK, "Rehat kopi", room="Selasar"),
        item(d1, "14.30", "15.30", A.REPORT,
             "Laporan legalitas kepengurusan IPSM kabupaten/kota", room=hall,
             speakers=((K.SPEAKER, _CHAIR, None, None, None),),
             notes="Status SK kepengurusan tiap cabang; cabang yang belum definitif."),
        item(d1, "15.30", "16.00", A.BREAK, "Rehat dan salat Asar", room="Selasar"),
        item(d1, "16.00", "18.00", A.PRESENTATION,
             "Paparan IPSM kabupaten/kota (sesi 1)", room=hall,
             speakers=tuple((K.SPEAKER, key, None, None, None) for key in first)
             + ((K.MODERATOR, _CHAIR, None, None, None),),
             notes="Tiap cabang 20 menit: program, kendala, kebutuhan dukungan."),
        item(d1, "18.00", "19.30", A.MEAL, "Ishoma", room="Ruang Makan"),
        item(d1, "19.30", "20.30", A.PRESENTATION,
             "Paparan IPSM kabupaten/kota (sesi 2)", room=hall,
             speakers=tuple((K.SPEAKER, key, None, None, None) for key in second)
             + ((K.MODERATOR, _CHAIR, None, None, None),)),
        item(d1, "20.30", "21.30", A.DIALOGUE,
             "Dialog: penguatan kelembagaan IPSM kabupaten/kota", room=hall,
             speakers=((K.SPEAKER, _KABID_BABEL, None, None, None),
                       (K.SPEAKER, _KABID_REHSOS, None, None, None),
                       (K.MODERATOR, _CHAIR, None, None, None))),
        item(d2, "07.00", "08.00", A.MEAL, "Sarapan", room="Ruang Makan"),
        item(d2, "08.00", "10.00", A.MATERIAL,
             "Motivasi: menjadi relawan sosial yang tangguh", room=hall,
             speakers=((K.SPEAKER, None, "Andi Saputra, S.Psi.",
                        "Motivator dan pelatih", "Rumah Motivasi Serumpun Sebalai"),
                       (K.MODERATOR, None, "Nurul Hidayah, S.Sos.", "Pembawa acara",
                        "IPSM Provinsi Kepulauan Bangka Belitung"))),
        item(d2, "10.00", "10.15", A.BREAK, "Rehat kopi", room="Selasar"),
        item(d2, "10.15", "12.00", A.MATERIAL,
             "Praktisi: pendampingan sosial berbasis komunitas", room=hall,
             speakers=((K.SPEAKER, None, "Dr. Ibrahim, S.Sos., M.Si.",
                        "Dosen Sosiologi", "Universitas Bangka Belitung"),
                       (K.SPEAKER, None, "Dwi Oktaviani, S.Sos., M.Si.",
                        "Dosen Ilmu Politik", "Universitas Bangka Belitung"),
                       (K.MODERATOR, None, "Fitriani, S.E.", "Sekretaris",
                        "IPSM Provinsi Kepulauan Bangka Belitung"))),
        item(d2, "12.00", "13.00", A.MEAL, "Ishoma", room="Ruang Makan"),
        item(d2, "13.00", "14.30", A.DIALOGUE,
             "Perumusan rekomendasi dan rencana kerja 2027", room=hall,
             speakers=((K.MODERATOR, _CHAIR, None, None, None),)),
        item(d2, "14.30", "15.00", A.CLOSING, "Penutupan", room=hall,
             speakers=((K.SPEAKER, _KABID_BABEL, None, None, None), mc)),
    ]  # fmt: skip


def _load_agenda(
    events: dict[str, Event],
    places: dict[str, Place],
    cast: dict[str, list[tuple[_PersonSpec, Person]]],
    staff: dict[tuple[str, str], Person],
    report: DemoReport,
) -> None:
    """Full run-downs of the three demo events; an event with items is left alone."""
    from planner.services.agenda import create_item

    chairs = [
        (spec.position, spec.institution)
        for spec, _person in sorted(cast["tour"], key=lambda c: c[0].region_code)
        if spec.position.startswith("Ketua")
    ]
    plans = {
        "tour-studi-pgk-jkt-2024": _tour_agenda,
        "bimtek-psm-bekasi-2027": _bimtek_agenda,
        "rakor-ipsm-babel-2027": lambda: _rakor_agenda(chairs),
    }
    shipped = {
        p.code: p
        for p in db.session.scalars(db.select(Place).where(Place.code.in_(TOUR_PORTS)))
    }
    stops = {**places, **shipped}
    for slug, plan in plans.items():
        event = events[slug]
        has_items = db.session.scalar(
            db.select(AgendaItem.id).filter_by(event_id=event.id).limit(1)
        )
        if has_items is not None:
            continue
        delegations = {
            d.name: d.id
            for d in db.session.scalars(
                db.select(Delegation).filter_by(event_id=event.id)
            )
        }
        db.session.flush()
        for spec in plan():
            data = {
                **spec,
                "kind": spec["kind"].value,
                "audience": spec["audience"].value,
                "place_id": stops[spec["place"]].id if spec["place"] else None,
                "delegation_ids": [delegations[n] for n in spec["delegations"]],
                "speakers": [
                    {
                        "role": role.value,
                        "person_id": staff[key].id if key else None,
                        "name": name,
                        "title": title,
                        "institution": institution,
                    }
                    for role, key, name, title, institution in spec["speakers"]
                ],
            }
            create_item(event, data=data)
            report.created["agenda_items"] += 1
