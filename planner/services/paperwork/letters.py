"""Invitation letters (surat undangan): one numbered letter per delegation, naming its
quota and nomination deadline, from the event's letterhead and number pattern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import (
    Delegation,
    Event,
    InvitationLetter,
    LetterSettings,
    RecipientKind,
)
from planner.services import PlannerError
from planner.services.paperwork.certificates import check_pattern, format_number
from planner.services.paperwork.images import checked_image

REQUIRED = (
    "office_name",
    "office_address",
    "signing_place",
    "signatory_name",
    "signatory_position",
)


class LetterError(PlannerError):
    """A letter change refused."""


def letter_settings(event: Event) -> LetterSettings | None:
    return db.session.scalar(sa.select(LetterSettings).filter_by(event_id=event.id))


def save_letter_settings(
    event: Event, *, data: dict, logo: bytes | None = None
) -> LetterSettings:
    """Create or change the letterhead, number pattern and signatory."""
    pattern = check_pattern(data.get("number_pattern") or "")
    try:
        first = int(data.get("first_number") or 1)
    except (TypeError, ValueError):
        first = 0
    if first < 1:
        raise LetterError(_("Nomor pertama paling kecil 1."), field="first_number")
    for name in REQUIRED:
        if not (data.get(name) or "").strip():
            raise LetterError(_("Wajib diisi."), field=name)
    dated_on = data.get("dated_on")
    if not isinstance(dated_on, date):
        raise LetterError(_("Tanggal surat wajib diisi."), field="dated_on")
    try:
        kind = RecipientKind(data.get("recipient_kind") or RecipientKind.OFFICE)
    except ValueError:
        raise LetterError(
            _("Pilih salah satu dari daftar."), field="recipient_kind"
        ) from None
    image = checked_image(logo, field="logo") if logo is not None else None
    settings = letter_settings(event)
    if settings is None:
        settings = LetterSettings(event=event)
        db.session.add(settings)
    settings.number_pattern = pattern[:120]
    settings.first_number = first
    settings.dated_on = dated_on
    settings.recipient_kind = kind
    for name in REQUIRED:
        setattr(settings, name, data[name].strip())
    settings.signatory_nip = (data.get("signatory_nip") or "").strip()[:30] or None
    if image is not None:
        settings.logo_image, settings.logo_mime = image
    elif data.get("remove_logo"):
        settings.logo_image = settings.logo_mime = None
    db.session.flush()
    return settings


def issue_letters(event: Event) -> list[InvitationLetter]:
    """Number a letter for every delegation that has none yet."""
    settings = letter_settings(event)
    if settings is None:
        raise LetterError(_("Isi dulu kop dan pola nomor surat."))
    have = set(
        db.session.scalars(
            sa.select(InvitationLetter.delegation_id).where(
                InvitationLetter.event_id == event.id
            )
        )
    )
    last = db.session.scalar(
        sa.select(sa.func.max(InvitationLetter.sequence)).where(
            InvitationLetter.event_id == event.id
        )
    )
    n = last if last is not None else settings.first_number - 1
    made = []
    for delegation in event.delegations:
        if delegation.id in have:
            continue
        n += 1
        made.append(
            InvitationLetter(
                event=event,
                delegation=delegation,
                sequence=n,
                number=format_number(settings.number_pattern, n, settings.dated_on),
            )
        )
    db.session.add_all(made)
    db.session.flush()
    return made


@dataclass(frozen=True)
class LetterView:
    """One letter as printed."""

    delegation_id: int
    number: str
    recipient: str
    region: str
    quota: int
    deadline: datetime | None
    event_title: str
    dates: tuple[date, date]
    venue: str | None
    timezone: str


def _recipient(delegation: Delegation, kind: RecipientKind) -> str:
    if delegation.region is None:
        return delegation.name
    if kind == RecipientKind.CHAPTER:
        return _("Ketua IPSM %(region)s", region=delegation.region.name)
    return _("Kepala Dinas Sosial %(region)s", region=delegation.region.name)


def event_letters(event: Event, delegation_id: int | None = None) -> list[LetterView]:
    """The issued letters (of one delegation when given), in number order."""
    settings = letter_settings(event)
    query = (
        sa.select(InvitationLetter)
        .where(InvitationLetter.event_id == event.id)
        .order_by(InvitationLetter.sequence)
        .options(joinedload(InvitationLetter.delegation).joinedload(Delegation.region))
    )
    if delegation_id is not None:
        query = query.where(InvitationLetter.delegation_id == delegation_id)
    venue = event.venue.name if event.venue else None
    if event.venue and event.venue.region:
        venue += f", {event.venue.region.name}"
    return [
        LetterView(
            delegation_id=x.delegation_id,
            number=x.number,
            recipient=_recipient(x.delegation, settings.recipient_kind),
            region=x.delegation.region.name if x.delegation.region else "",
            quota=x.delegation.quota,
            deadline=x.delegation.deadline_at,
            event_title=event.title,
            dates=(event.starts_on, event.ends_on),
            venue=venue,
            timezone=event.timezone,
        )
        for x in db.session.scalars(query)
    ]
