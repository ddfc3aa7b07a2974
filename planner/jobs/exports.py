"""Big downloads as jobs: the roster, attendance sheets, manifests, rooming lists,
certificates and invitation letters.

Each export is one ``*_file`` function (the service, then the builder) that both the
view and the job call: the view for a small export, in the request; the ``export`` job
for a big one, after loading by id and checking the permission again for the person who
asked (:data:`EXPORTS`). "Big" is one number per kind (:data:`JOB_ABOVE`), overridden
by ``EXPORT_JOB_ROWS`` (a number for every kind, or ``{"kind": rows}``). Links printed
in a file (a certificate's check address) point at the site the person asked from.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from planner.commit import discard
from planner.exports.attendance import attendance_pdf
from planner.exports.manifests import vehicle_manifests_pdf
from planner.exports.paperwork.certificates import certificates_pdf
from planner.exports.paperwork.letters import letters_pdf
from planner.exports.paperwork.payments import payments_pdf
from planner.exports.rooming import rooming_pdf, rooming_xlsx
from planner.exports.rosters import roster_csv, roster_pdf, roster_title, roster_xlsx
from planner.extensions import db
from planner.models import Event, Stay, User
from planner.permissions import (
    can_manage_event,
    can_manage_paperwork,
    can_manage_rooms,
    can_view_rooms,
    can_view_transport,
    heads_delegation,
)
from planner.services import PlannerError
from planner.services.manifests import load_trip, load_vehicle_manifests, trip_vehicles
from planner.services.paperwork.certificates import (
    certificate_template,
    event_certificates,
)
from planner.services.paperwork.letters import event_letters, letter_settings
from planner.services.paperwork.payments import PaymentKind, payment_sheet
from planner.services.rooms import rooming_list
from planner.services.rosters import load_attendance, load_event, load_roster

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

#: Rows (documents, for batches) above which a download runs as a job (issue 15: PDFs
#: and XLSX above 1,000 rows), so that no request holds a web worker for more than 2 s.
JOB_ABOVE = {
    "roster": 1000,
    "attendance": 1000,
    "trip_manifests": 1000,
    "rooming": 1000,
    "payments": 1000,
    # Documents of a page or more with images: 500 certificates took 4.3 s over HTTP
    # (docs/bench.md, certificates_pdf_500), so 200 stay under 2 s.
    "certificates": 200,
    "letters": 200,
}


@dataclass(frozen=True)
class ExportFile:
    """A download: its bytes, content type, name (without extension) and extension."""

    data: bytes
    mimetype: str
    name: str
    extension: str


def threshold(kind: str) -> int:
    """Rows above which ``kind`` runs as a job (``EXPORT_JOB_ROWS`` overrides)."""
    configured = current_app.config.get("EXPORT_JOB_ROWS")
    if isinstance(configured, dict):
        configured = configured.get(kind)
    return JOB_ABOVE[kind] if configured is None else int(configured)


def is_big(kind: str, rows: int) -> bool:
    return rows > threshold(kind)


def _no_progress(done: int, total: int | None = None) -> None:
    return None


# What the view and the job both call --------------------------------------------------

ROSTER_BUILDERS = {
    "csv": (roster_csv, CSV),
    "xlsx": (roster_xlsx, XLSX),
    "pdf": (roster_pdf, PDF),
}


def roster_file(
    event: Event, *, fmt: str, status: str | None, progress=_no_progress
) -> ExportFile:
    """The whole event's roster; the organiser's export shows full NIKs."""
    roster = load_roster(event, status=status, contacts=True, full_nik=True)
    progress(1, 3)
    build, mimetype = ROSTER_BUILDERS[fmt]
    return ExportFile(
        build(roster), mimetype, f"{event.title} - {roster_title(roster)}", fmt
    )


def attendance_file(event: Event, day: date, *, progress=_no_progress) -> ExportFile:
    """The daftar hadir of one event day."""
    sheet = load_attendance(event, day)
    progress(1, 3)
    return ExportFile(
        attendance_pdf(sheet),
        PDF,
        f"Daftar hadir {event.title} {day.isoformat()}",
        "pdf",
    )


def trip_manifests_file(trip, *, progress=_no_progress) -> ExportFile:
    """Every vehicle's copy for one trip as one PDF."""
    manifests = load_vehicle_manifests(trip, trip_vehicles(trip))
    progress(1, 3)
    name = f"Manifes semua kendaraan {trip.name} - {trip.event.title}"
    return ExportFile(vehicle_manifests_pdf(manifests), PDF, name, "pdf")


ROOMING_BUILDERS = {"pdf": (rooming_pdf, PDF), "xlsx": (rooming_xlsx, XLSX)}


def own_delegations(user, event: Event) -> set[int] | None:
    """None for organisers (everyone); else the ids of the delegations ``user`` heads."""
    if can_manage_rooms(user, event):
        return None
    return {d.id for d in event.delegations if heads_delegation(user, d)}


def rooming_list_file(
    stay: Stay, *, fmt: str, delegation_ids: set[int] | None, progress=_no_progress
) -> ExportFile:
    """The rooming list, a section per night (only these delegations' people)."""
    listing = rooming_list(stay, delegation_ids=delegation_ids)
    progress(1, 3)
    build, mimetype = ROOMING_BUILDERS[fmt]
    name = _("Daftar kamar %(hotel)s", hotel=stay.place.name)
    return ExportFile(build(listing), mimetype, f"{stay.event.title} - {name}", fmt)


def verify_url(code: str) -> str:
    """The public address that says whether a certificate is genuine."""
    return url_for("verify.show", code=code, _external=True)


def letter_page_url(event_id: int) -> Callable[[int], str]:
    """The address printed on a delegation's letter: its page in Rombongan."""

    def url(delegation_id: int) -> str:
        return url_for(
            "delegations.show",
            event_id=event_id,
            delegation_id=delegation_id,
            _external=True,
        )

    return url


def certificates_file(event: Event, template, *, progress=_no_progress) -> ExportFile:
    """Every certificate of the event in one PDF, for printing."""
    views = event_certificates(event)
    progress(1, 3)
    data = certificates_pdf(views, template, verify_url)
    return ExportFile(data, PDF, _("Sertifikat") + f" {event.title}", "pdf")


def letters_file(event: Event, settings, *, progress=_no_progress) -> ExportFile:
    """Every invitation letter of the event in one PDF, for printing."""
    views = event_letters(event)
    progress(1, 3)
    data = letters_pdf(views, settings, letter_page_url(event.id))
    return ExportFile(data, PDF, _("Surat undangan") + f" {event.title}", "pdf")


def payments_file(event: Event, sheet) -> ExportFile:
    """A payment sheet (made by ``payment_sheet``) as A4 PDF."""
    name = sheet.title.title() + f" {event.title}"
    return ExportFile(payments_pdf(sheet), PDF, name, "pdf")


# The job: load by id, check again, then the same functions ------------------------


class ExportRefused(PlannerError):
    """The thing is gone, or the person who asked may no longer see it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Berkas ini tidak dapat dibuat: datanya sudah tidak ada atau Anda "
                "tidak lagi berhak melihatnya."
            )
        )


def _check(ok: bool) -> None:
    if not ok:
        raise ExportRefused()


def _roster_job(user, params, progress) -> ExportFile:
    event = load_event(int(params["event_id"]))
    _check(event is not None and can_manage_event(user, event))
    return roster_file(
        event, fmt=params["fmt"], status=params.get("status"), progress=progress
    )


def _attendance_job(user, params, progress) -> ExportFile:
    event = load_event(int(params["event_id"]))
    _check(event is not None and can_manage_event(user, event))
    day = date.fromisoformat(params["day"])
    _check(day in event.days)
    return attendance_file(event, day, progress=progress)


def _trip_manifests_job(user, params, progress) -> ExportFile:
    trip = load_trip(int(params["event_id"]), int(params["trip_id"]))
    _check(trip is not None and can_view_transport(user, trip.event))
    return trip_manifests_file(trip, progress=progress)


def _rooming_job(user, params, progress) -> ExportFile:
    event = db.session.get(Event, int(params["event_id"]))
    _check(event is not None and can_view_rooms(user, event))
    stay = db.session.get(Stay, int(params["stay_id"]))
    _check(stay is not None and stay.event_id == event.id)
    return rooming_list_file(
        stay,
        fmt=params["fmt"],
        delegation_ids=own_delegations(user, event),
        progress=progress,
    )


def _paperwork_event(user, params) -> Event:
    event = load_event(int(params["event_id"]))
    _check(event is not None and can_manage_paperwork(user, event))
    return event


def _certificates_job(user, params, progress) -> ExportFile:
    event = _paperwork_event(user, params)
    template = certificate_template(event)
    _check(template is not None)
    return certificates_file(event, template, progress=progress)


def _letters_job(user, params, progress) -> ExportFile:
    event = _paperwork_event(user, params)
    settings = letter_settings(event)
    _check(settings is not None)
    return letters_file(event, settings, progress=progress)


def _payments_job(user, params, progress) -> ExportFile:
    event = _paperwork_event(user, params)
    # Refused (no allowance rate yet): the job page says why, as the budget page would.
    sheet = payment_sheet(event, PaymentKind(params["kind"]))
    progress(1, 3)
    return payments_file(event, sheet)


EXPORTS: dict[str, Callable] = {
    "roster": _roster_job,
    "attendance": _attendance_job,
    "trip_manifests": _trip_manifests_job,
    "rooming": _rooming_job,
    "certificates": _certificates_job,
    "letters": _letters_job,
    "payments": _payments_job,
}


@contextmanager
def _site(job):
    """In a worker, a request on the site the person asked from, for absolute links."""
    if has_request_context() or not job.params.get("base_url"):
        yield
        return
    with current_app.test_request_context(base_url=job.params["base_url"]):
        with force_locale(job.record.locale):
            yield


def export(job) -> None:
    """Build one big download for the person who asked; the job page offers it."""
    user_id = job.record.user_id
    user = db.session.get(User, user_id) if user_id is not None else None
    job.progress(0, 3)
    _check(user is not None and user.is_active)
    try:
        with _site(job):
            made = EXPORTS[job.params["export"]](user, job.params, job.progress)
        job.progress(2, 3)
    finally:
        discard()
    job.attach(made.data, f"{made.name}.{made.extension}", made.mimetype)
    job.record.result = {
        "name": made.name,
        "extension": made.extension,
        "size": len(made.data),
    }
