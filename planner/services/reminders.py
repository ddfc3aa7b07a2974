"""Reminders to delegation heads: who is behind, WhatsApp links and emails."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from planner.extensions import db
from planner.formatting.plain import format_datetime
from planner.models import Delegation, Event, EventStatus, utcnow
from planner.services.events import ChecklistItem, checklist_check
from planner.services.mail import send_mail

#: A delegation is "behind" when its deadline is this close and its quota not filled.
BEHIND_WINDOW = timedelta(days=3)


def is_behind(
    delegation: Delegation, confirmed: int | None = None, now: datetime | None = None
) -> bool:
    """Deadline passed or within three days while fewer are confirmed than the quota."""
    if delegation.deadline_at is None:
        return False
    confirmed = delegation.confirmed_count if confirmed is None else confirmed
    now = now or utcnow()
    return confirmed < delegation.quota and delegation.deadline_at - now <= (
        BEHIND_WINDOW
    )


def time_left(deadline_at: datetime | None, now: datetime | None = None) -> str:
    """'3 hari lagi', '5 jam lagi', 'tenggat sudah lewat' (empty without a deadline)."""
    if deadline_at is None:
        return ""
    left = deadline_at - (now or utcnow())
    if left <= timedelta(0):
        return _("tenggat sudah lewat")
    if left >= timedelta(days=1):
        return ngettext("%(num)s hari lagi", "%(num)s hari lagi", left.days)
    hours = max(int(left.total_seconds() // 3600), 0)
    if hours >= 1:
        return ngettext("%(num)s jam lagi", "%(num)s jam lagi", hours)
    return _("kurang dari satu jam lagi")


def head_phone(delegation: Delegation) -> str | None:
    """The head's WhatsApp number (E.164), taken from the head account's person."""
    head = delegation.head
    if head is None or head.person is None:
        return None
    return head.person.phone or None


def reminder_problem(delegation: Delegation) -> str | None:
    """Why no WhatsApp link can be made for this delegation, or None when it can."""
    if delegation.head is None:
        return _("Belum ada ketua delegasi.")
    if delegation.head.person is None:
        return _("Akun ketua belum terhubung dengan data orang (nomor telepon).")
    if not delegation.head.person.phone:
        return _("Nomor telepon ketua belum diisi.")
    return None


def reminder_message(delegation: Delegation, *, link: str, confirmed: int) -> str:
    """The Indonesian reminder text: event, delegation, deadline and the page's link."""
    event = delegation.event
    if delegation.deadline_at is not None:
        deadline = _(
            "Tenggat pengisian: %(deadline)s.",
            deadline=format_datetime(delegation.deadline_at, event.timezone, "id"),
        )
    else:
        deadline = ""
    lines = [
        _("Yth. %(name)s,", name=delegation.head.display_name)
        if delegation.head
        else _("Yth. Bapak/Ibu,"),
        _(
            "Mohon lengkapi daftar peserta delegasi %(delegation)s untuk acara "
            "%(event)s. Saat ini %(confirmed)s dari %(quota)s orang sudah "
            "dikonfirmasi.",
            delegation=delegation.name,
            event=event.title,
            confirmed=confirmed,
            quota=delegation.quota,
        ),
    ]
    if deadline:
        lines.append(deadline)
    lines.append(_("Buka daftar delegasi di sini: %(link)s", link=link))
    lines.append(_("Terima kasih."))
    return "\n".join(lines)


def whatsapp_link(delegation: Delegation, *, link: str, confirmed: int) -> str | None:
    """``https://wa.me/<digits>?text=…`` for the head, or None without a phone."""
    phone = head_phone(delegation)
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    text = reminder_message(delegation, link=link, confirmed=confirmed)
    return f"https://wa.me/{digits}?text={quote(text, safe='')}"


def send_reminder_email(delegation: Delegation, *, link: str, confirmed: int) -> bool:
    """Mail the reminder to the head's account address; False when there is none."""
    if delegation.head is None or not delegation.head.email:
        return False
    subject = _(
        "Pengingat: delegasi %(delegation)s, %(event)s",
        delegation=delegation.name,
        event=delegation.event.title,
    )
    body = reminder_message(delegation, link=link, confirmed=confirmed)
    return send_mail(delegation.head.email, subject, body)


@checklist_check
def _check_delegations_behind(event: Event):
    """Delegations whose deadline is near or past while their quota is not filled."""
    if event.status != EventStatus.OPEN:
        return None
    limit = utcnow() + BEHIND_WINDOW
    behind = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Delegation)
        .where(
            Delegation.event_id == event.id,
            Delegation.deadline_at.is_not(None),
            Delegation.deadline_at <= limit,
            Delegation.confirmed_count < Delegation.quota,
        )
    )
    if not behind:
        return None
    return ChecklistItem(
        ngettext(
            "%(num)s delegasi belum lengkap menjelang tenggat.",
            "%(num)s delegasi belum lengkap menjelang tenggat.",
            behind,
        ),
        "warning",
        "delegations.index",
    )
