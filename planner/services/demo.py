"""Demo data from DOMAIN.md: the PGK–JKT tour, the Bekasi bimtek, an upcoming rakor.

The events, with their places, people, delegations, vans, trips, seats and run-downs,
are plan files in ``planner/data/demo/`` (the ``rombongan-plan`` format of
``docs/plan-format.md``), read by the plan importer like any other plan. What a plan
file does not carry is here: the demo's sign-in accounts, their roles and regions,
and the participant account's person.

Loading is keyed (account email, event slug), so loading twice creates nothing the
second time; places and people that several files share are matched by the importer
(by code, name and coordinates; by NIK) rather than created twice. The dates are those
of the files: the 2024 tour is finished, the bimtek and the rakor are in early 2027.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from planner.extensions import db
from planner.models import Event, Person, Place, Region, User
from planner.services.plans import import_plan, load_plan
from planner.services.regions import load_regions

#: The plan files of the demo events, one event each.
DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
PLAN_SUFFIX = ".rombongan.json"


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in, printed by ``flask demo load``."""

    email: str
    password: str
    #: Lazily translated label of the role.
    role: object
    display_name: str
    is_admin: bool = False
    is_organiser: bool = False
    #: Codes of the regions a chapter head answers for.
    regions: tuple[str, ...] = ()
    #: NIK of the demo person the account belongs to (a participant of the tour).
    person_nik: str | None = None


# The chapter heads carry the names of the chairs they stand for (people of the plan
# files); the participant account is a PSM of Kota Pangkal Pinang on the tour.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@rombongan.test",
        "demo-admin-2024",
        _l("Admin"),
        "Admin Demo",
        is_admin=True,
    ),
    DemoAccount(
        "panitia@rombongan.test",
        "demo-panitia-2024",
        _l("Panitia (penyelenggara semua kegiatan demo)"),
        "Panitia Demo",
        is_organiser=True,
    ),
    DemoAccount(
        "ketua.bangka@rombongan.test",
        "demo-bangka-2024",
        _l("Ketua cabang Kabupaten Bangka (19.01)"),
        "Farah Safitri",
        regions=("19.01",),
    ),
    DemoAccount(
        "ketua.provinsi@rombongan.test",
        "demo-provinsi-2024",
        _l("Ketua cabang Provinsi Kepulauan Bangka Belitung (19)"),
        "Nadine Mayasari",
        regions=("19",),
    ),
    DemoAccount(
        "ketua.bekasi@rombongan.test",
        "demo-bekasi-2024",
        _l("Ketua cabang Kota Bekasi (32.75)"),
        "Sari Oktaviani",
        regions=("32.75",),
    ),
    DemoAccount(
        "peserta@rombongan.test",
        "demo-peserta-2024",
        _l("Peserta (salah satu peserta tur PGK–JKT)"),
        "Vera Rahmawati",
        person_nik="1971014804831034",
    ),
)


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
    #: What an import did differently from a file (an unknown account), as sentences.
    notices: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


#: Plan sections counted in the report, by the report's name for them.
_COUNTED = {
    "delegations": "delegations",
    "delegates": "delegates",
    "vehicles": "vehicles",
    "trips": "trips",
    "legs": "legs",
    "seats": "seats",
    "agenda": "agenda_items",
}


def demo_plans() -> list[dict]:
    """The demo's plan documents, in the order of their events' dates."""
    docs = [load_plan(path.read_bytes()) for path in DEMO_DIR.glob("*" + PLAN_SUFFIX)]
    return sorted(docs, key=lambda d: (d["event"]["starts_on"], d["event"]["slug"]))


def demo_accounts_present() -> list[tuple[DemoAccount, bool]]:
    """Each demo account with whether it exists in the database."""
    emails = set(
        db.session.scalars(
            db.select(User.email).where(User.email.in_(a.email for a in DEMO_ACCOUNTS))
        )
    )
    return [(account, account.email in emails) for account in DEMO_ACCOUNTS]


def _ensure_regions(docs: list[dict], report: DemoReport) -> None:
    """Load regions and shipped ports unless the ones the plans name are there."""
    codes = {p["code"] for doc in docs for p in doc.get("places", ()) if p.get("code")}
    regions = db.session.scalar(db.select(func.count(Region.id)))
    found = db.session.scalar(
        db.select(func.count(Place.id)).where(Place.code.in_(codes))
    )
    if regions and found == len(codes):
        return
    loaded = load_regions()
    report.created["regions"] += loaded.created["regions"]
    report.created["shipped_places"] += loaded.created["places"]


def _load_accounts(report: DemoReport) -> None:
    """Create the demo accounts that are missing, with their roles and regions."""
    existing = {a.email for a, present in demo_accounts_present() if present}
    codes = {code for account in DEMO_ACCOUNTS for code in account.regions}
    regions = {
        r.code: r
        for r in db.session.scalars(db.select(Region).where(Region.code.in_(codes)))
    }
    for account in DEMO_ACCOUNTS:
        if account.email in existing:
            continue
        user = User(
            email=account.email,
            display_name=account.display_name,
            is_admin=account.is_admin,
            is_organiser=account.is_organiser,
        )
        user.set_password(account.password)
        user.regions = [regions[code] for code in account.regions]
        db.session.add(user)
        report.created["users"] += 1
    db.session.flush()


def _link_people() -> None:
    """Give an account without a person the demo person it belongs to, if free."""
    for account in DEMO_ACCOUNTS:
        if account.person_nik is None:
            continue
        user = db.session.execute(
            db.select(User).filter_by(email=account.email)
        ).scalar_one()
        person = db.session.execute(
            db.select(Person).filter_by(nik=account.person_nik)
        ).scalar_one_or_none()
        if user.person_id is not None or person is None:
            continue
        taken = db.session.scalar(db.select(User.id).filter_by(person_id=person.id))
        if taken is None:
            user.person = person
    db.session.flush()


def load_demo() -> DemoReport:
    """Create the demo accounts and import the demo events that are missing."""
    report = DemoReport()
    docs = demo_plans()
    _ensure_regions(docs, report)
    _load_accounts(report)
    slugs = set(
        db.session.scalars(
            db.select(Event.slug).where(
                Event.slug.in_(d["event"]["slug"] for d in docs)
            )
        )
    )
    for doc in docs:
        if doc["event"]["slug"] in slugs:
            continue
        result = import_plan(doc)
        report.created["events"] += 1
        report.created["places"] += result.created_places
        report.created["people"] += result.created_people
        for section, name in _COUNTED.items():
            report.created[name] += len(doc.get(section, ()))
        report.notices += result.notices
    _link_people()
    return report
