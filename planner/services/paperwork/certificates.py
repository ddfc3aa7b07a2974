"""Certificates (sertifikat) of the delegates who attended, and their public check.

Each certificate has a number from the event's pattern and a secret code of 128 random
bits; the public page ``/verify/<code>`` says whether it is valid or revoked, with the
name, event, dates and lesson hours and nothing else personal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.models import (
    Certificate,
    CertificateTemplate,
    Delegate,
    DelegateStatus,
    Event,
    utcnow,
)
from planner.services import PlannerError
from planner.services.paperwork.images import checked_image

#: Placeholders a number pattern may use.
PLACEHOLDERS = ("n", "roman_month", "month", "year")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_FIELD = re.compile(r"\{([^{}]*)\}")


class CertificateError(PlannerError):
    """A certificate change refused."""


def check_pattern(pattern: str, *, field: str = "number_pattern") -> str:
    """A number pattern with ``{n}`` and only known placeholders, else an error."""
    pattern = (pattern or "").strip()
    names = _FIELD.findall(pattern)
    if "n" not in names:
        raise CertificateError(
            _("Pola nomor harus memuat {n} (nomor urut)."), field=field
        )
    unknown = [x for x in names if x not in PLACEHOLDERS]
    if unknown or pattern.count("{") != len(names) or pattern.count("}") != len(names):
        raise CertificateError(
            _("Pola nomor hanya boleh memakai {n}, {roman_month}, {month} dan {year}."),
            field=field,
        )
    return pattern


def format_number(pattern: str, n: int, on: date) -> str:
    """'005/12/SERT/XII/2026' from '005/{n}/SERT/{roman_month}/{year}'."""
    return pattern.format(
        n=n, roman_month=_ROMAN[on.month - 1], month=f"{on.month:02d}", year=on.year
    )


def certificate_template(event: Event) -> CertificateTemplate | None:
    return db.session.scalar(
        sa.select(CertificateTemplate).filter_by(event_id=event.id)
    )


def save_template(
    event: Event, *, data: dict, signature: bytes | None = None
) -> CertificateTemplate:
    """Create or change the event's certificate template."""
    pattern = check_pattern(data.get("number_pattern") or "")
    try:
        hours = int(data.get("lesson_hours") or 0)
    except (TypeError, ValueError):
        hours = -1
    if hours < 0:
        raise CertificateError(
            _("Jam pelajaran tidak boleh negatif."), field="lesson_hours"
        )
    for name in ("title", "signatory_name", "signatory_position"):
        if not (data.get(name) or "").strip():
            raise CertificateError(_("Wajib diisi."), field=name)
    image = (
        checked_image(signature, field="signature") if signature is not None else None
    )
    template = certificate_template(event)
    if template is None:
        template = CertificateTemplate(event=event)
        db.session.add(template)
    template.title = data["title"].strip()[:120]
    template.number_pattern = pattern[:120]
    template.lesson_hours = hours
    template.signatory_name = data["signatory_name"].strip()[:200]
    template.signatory_position = data["signatory_position"].strip()[:200]
    template.signatory_nip = (data.get("signatory_nip") or "").strip()[:30] or None
    if image is not None:
        template.signature_image, template.signature_mime = image
    elif data.get("remove_signature"):
        template.signature_image = template.signature_mime = None
    db.session.flush()
    return template


def issue_certificates(event: Event) -> list[Certificate]:
    """A certificate for every delegate who attended and has none yet."""
    template = certificate_template(event)
    if template is None:
        raise CertificateError(_("Isi dulu templat sertifikat."))
    have = set(
        db.session.scalars(
            sa.select(Certificate.delegate_id).where(Certificate.event_id == event.id)
        )
    )
    last = db.session.scalar(
        sa.select(sa.func.max(Certificate.sequence)).where(
            Certificate.event_id == event.id
        )
    )
    attended = db.session.scalars(
        sa.select(Delegate)
        .where(
            Delegate.event_id == event.id,
            Delegate.status == DelegateStatus.ATTENDED,
        )
        .order_by(Delegate.id)
    ).all()
    made = []
    n = last or 0
    for delegate in attended:
        if delegate.id in have:
            continue
        n += 1
        made.append(
            Certificate(
                event=event,
                delegate=delegate,
                sequence=n,
                number=format_number(template.number_pattern, n, event.ends_on),
            )
        )
    db.session.add_all(made)
    db.session.flush()
    return made


def revoke_certificate(event: Event, certificate_id: int, reason: str) -> Certificate:
    """Mark a certificate revoked; its verification page says so from now on."""
    certificate = db.session.scalar(
        sa.select(Certificate).filter_by(id=certificate_id, event_id=event.id)
    )
    if certificate is None:
        raise CertificateError(_("Sertifikat tidak ditemukan."))
    if certificate.is_revoked:
        raise CertificateError(_("Sertifikat ini sudah dicabut."))
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = (reason or "").strip()[:300] or None
    db.session.flush()
    return certificate


@dataclass(frozen=True)
class CertificateView:
    """What a printed certificate and its verification page show."""

    certificate_id: int
    delegate_id: int
    number: str
    code: str
    name: str
    delegation: str | None
    event_title: str
    organiser_body: str
    dates: tuple[date, date]
    lesson_hours: int
    revoked: bool


def _view(c: Certificate, template: CertificateTemplate | None) -> CertificateView:
    d = c.delegate
    return CertificateView(
        certificate_id=c.id,
        delegate_id=d.id,
        number=c.number,
        code=c.code,
        name=d.person.formal_name,
        delegation=d.delegation.name if d.delegation else None,
        event_title=c.event.title,
        organiser_body=c.event.organiser_body,
        dates=(c.event.starts_on, c.event.ends_on),
        lesson_hours=template.lesson_hours if template else 0,
        revoked=c.is_revoked,
    )


def _options():
    return (
        joinedload(Certificate.event),
        joinedload(Certificate.delegate).joinedload(Delegate.person),
        joinedload(Certificate.delegate).joinedload(Delegate.delegation),
    )


def event_certificates(event: Event) -> list[CertificateView]:
    """Every certificate of the event, in number order."""
    template = certificate_template(event)
    rows = db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.event_id == event.id)
        .order_by(Certificate.sequence)
        .options(*_options())
    ).all()
    return [_view(c, template) for c in rows]


def delegate_certificate(event: Event, delegate_id: int) -> CertificateView | None:
    template = certificate_template(event)
    c = db.session.scalar(
        sa.select(Certificate)
        .filter_by(event_id=event.id, delegate_id=delegate_id)
        .options(*_options())
    )
    return _view(c, template) if c is not None else None


def verify(code: str) -> CertificateView | None:
    """The certificate with this code, or None (codes are 22 URL-safe characters)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,43}", code or ""):
        return None
    c = db.session.scalar(
        sa.select(Certificate).filter_by(code=code).options(*_options())
    )
    if c is None:
        return None
    template = db.session.scalar(
        sa.select(CertificateTemplate).filter_by(event_id=c.event_id)
    )
    return _view(c, template)
