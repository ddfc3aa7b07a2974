"""Calendar feeds: the public event feed, secret personal feeds, subscription pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.blueprints.events import OVERVIEW_SECTIONS, OverviewSection
from planner.blueprints.feeds import bp
from planner.blueprints.feeds.forms import FeedActionForm
from planner.exports.badges import qr_svg
from planner.exports.ical import (
    DEFAULT_UID_DOMAIN,
    FEED_LOCALE,
    FeedContent,
    build_calendar,
)
from planner.extensions import db, limiter
from planner.models import Delegate, Delegation, Event
from planner.permissions import (
    can_manage_event,
    can_view_delegate_card,
    can_view_delegation,
    require,
)
from planner.services import PlannerError
from planner.services import feeds as service

CALENDAR_MIMETYPE = "text/calendar"
#: The public feed may sit in shared caches for a few minutes; secret feeds may not.
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, no-cache"
GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/render?cid="

OVERVIEW_SECTIONS.append(OverviewSection("feeds/_card.html", "agenda"))


# Feeds --------------------------------------------------------------------------------


def _settings() -> dict:
    """``FEED_UID_DOMAIN`` and ``FEED_REFRESH_MINUTES`` (the refresh hint, 60)."""
    config = current_app.config
    minutes = max(int(config.get("FEED_REFRESH_MINUTES") or 60), 1)
    return {
        "uid_domain": config.get("FEED_UID_DOMAIN") or DEFAULT_UID_DOMAIN,
        "refresh": timedelta(minutes=minutes),
    }


def _not_found() -> Response:
    """A short plain 404: calendar apps show no HTML, and the site layout costs
    queries."""
    with force_locale(FEED_LOCALE):  # no language choice: no session, no user
        text = _("Kalender tidak ditemukan.")
    return Response(
        text + "\n",
        status=404,
        mimetype="text/plain",
        headers={"Cache-Control": "no-store"},
    )


def _not_modified(fingerprint: service.Fingerprint) -> bool:
    """Whether the client's copy is current (RFC 9110 §13.1.2–3): If-None-Match when
    sent (weak comparison; ``*`` matches), else If-Modified-Since. Werkzeug parses the
    headers; a malformed one matches nothing, so the client gets the full feed."""
    if request.headers.get("If-None-Match"):
        return request.if_none_match.contains_weak(fingerprint.etag)
    since = request.if_modified_since
    latest = fingerprint.last_modified
    return (
        since is not None
        and latest is not None
        and latest.replace(microsecond=0) <= since
    )


def _calendar(
    fingerprint: service.Fingerprint,
    build: Callable[[], FeedContent | None],
    *,
    cache: str,
    filename: str,
) -> Response:
    """Answer 304 from the fingerprint alone when the client's copy is current;
    otherwise build the calendar."""
    response = Response(mimetype=CALENDAR_MIMETYPE)
    response.set_etag(fingerprint.etag)
    if fingerprint.last_modified is not None:
        # HTTP dates have whole seconds: compare and send the same value.
        response.last_modified = fingerprint.last_modified.replace(microsecond=0)
    response.headers["Cache-Control"] = cache
    if request.method in ("GET", "HEAD") and _not_modified(fingerprint):
        response.status_code = 304
        return response
    content = build()
    if content is None:  # gone between the fingerprint and now
        return _not_found()
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_data(build_calendar(content, **_settings()))
    return response


@bp.get("/events/<slug>/calendar.ics")
@limiter.exempt
def event_calendar(slug: str):
    """The public feed of an event's run-down and travel legs, once it is published."""
    # One query answers a conditional request: the slug is looked up inside it.
    fingerprint = service.fingerprint_by_slug(slug, **_settings())
    if fingerprint is None:
        return _not_found()
    cache = PUBLIC_CACHE
    if fingerprint.is_draft:
        # A draft: only its organisers, signed in, may look (and no shared cache).
        event = service.find_event(slug)
        if event is None or not can_manage_event(current_user, event):
            return _not_found()
        cache = PRIVATE_CACHE

    def build() -> FeedContent | None:
        event = service.find_event(slug)
        return event and service.event_feed(event)

    return _calendar(fingerprint, build, cache=cache, filename=f"{slug}.ics")


@bp.get("/feeds/<token>.ics")
@limiter.exempt
def subscription(token: str):
    """A delegate's or a delegation's secret feed; no sign-in (calendar apps have none)."""
    # One query answers a conditional request: the token is looked up inside it.
    fingerprint = service.fingerprint_by_token(token, **_settings())
    if fingerprint is None or fingerprint.is_draft:
        return _not_found()
    owner_id = fingerprint.owner_id

    def build() -> FeedContent | None:
        if fingerprint.kind == service.DELEGATE:
            delegate = service.load_delegate(owner_id)
            return delegate and service.delegate_feed(delegate)
        delegation = service.load_delegation(owner_id)
        return delegation and service.delegation_feed(delegation)

    response = _calendar(fingerprint, build, cache=PRIVATE_CACHE, filename="jadwal.ics")
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# Addresses ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedLinks:
    """The ways to subscribe to one feed."""

    https: str
    webcal: str
    google: str

    def qr(self, title: str | None = None) -> Markup:
        """A QR code of the ``webcal://`` address: a phone's camera subscribes."""
        return qr_svg(self.webcal, title=title)


def feed_links(url: str) -> FeedLinks:
    """The https, webcal and Google Calendar forms of a feed's absolute address."""
    webcal = "webcal://" + url.split("://", 1)[-1]
    return FeedLinks(url, webcal, GOOGLE_SUBSCRIBE + quote(webcal, safe=""))


@bp.app_template_global("calendar_links")
def calendar_links(owner: Event | Delegate | Delegation) -> FeedLinks | None:
    """The feed addresses of an event (public), a delegate or a delegation; None while
    the feed would answer 404 (a draft, a revoked address, a withdrawn delegate)."""
    if isinstance(owner, Event):
        if not owner.is_published:
            return None
        return feed_links(
            url_for("feeds.event_calendar", slug=owner.slug, _external=True)
        )
    if not owner.feed_token or not owner.event.is_published:
        return None
    if isinstance(owner, Delegate) and not owner.is_active:
        return None
    return feed_links(
        url_for("feeds.subscription", token=owner.feed_token, _external=True)
    )


# Subscription pages -------------------------------------------------------------------


def _load_delegate(event_id: int, delegate_id: int) -> Delegate:
    """The delegate of this event with person, delegation and event, or 404."""
    return db.one_or_404(
        select(Delegate)
        .where(Delegate.id == delegate_id, Delegate.event_id == event_id)
        .options(
            joinedload(Delegate.person),
            joinedload(Delegate.delegation),
            joinedload(Delegate.event),
        )
    )


def _load_delegation(event_id: int, delegation_id: int) -> Delegation:
    """The delegation of this event with its event, or 404."""
    return db.one_or_404(
        select(Delegation)
        .where(Delegation.id == delegation_id, Delegation.event_id == event_id)
        .options(joinedload(Delegation.event), joinedload(Delegation.region))
    )


def _act(owner: Delegate | Delegation, *, reissue: bool, back: str):
    """Re-issue or revoke the owner's address, commit, and go back to the page."""
    form = FeedActionForm()
    if not form.validate_on_submit():
        flash(_("Formulir tidak sah. Muat ulang halaman dan coba lagi."), "danger")
        return redirect(back)
    try:
        if reissue:
            service.reissue_feed_token(owner)
            message = _(
                "Alamat kalender baru sudah dibuat. Alamat lama tidak berlaku lagi: "
                "kalender yang berlangganan dengan alamat lama tidak diperbarui."
            )
        else:
            service.revoke_feed_token(owner)
            message = _(
                "Alamat kalender dicabut: kalender yang berlangganan tidak lagi "
                "diperbarui."
            )
    except PlannerError as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


@bp.get("/events/<int:event_id>/delegates/<int:delegate_id>/calendar")
@login_required
def delegate(event_id: int, delegate_id: int):
    """A delegate's calendar subscription: webcal, Google Calendar, QR code."""
    delegate = _load_delegate(event_id, delegate_id)
    require(can_view_delegate_card(current_user, delegate))
    links = calendar_links(delegate)
    summary = None
    if links is not None:
        summary = service.feed_summary(service.delegate_feed(delegate))
    return render_template(
        "feeds/delegate.html",
        event=delegate.event,
        delegate=delegate,
        links=links,
        summary=summary,
        form=FeedActionForm(),
    )


@bp.post("/events/<int:event_id>/delegates/<int:delegate_id>/calendar/reissue")
@login_required
def reissue_delegate(event_id: int, delegate_id: int):
    """Give the delegate a new feed address; the old one stops working."""
    delegate = _load_delegate(event_id, delegate_id)
    require(can_view_delegate_card(current_user, delegate))
    back = url_for("feeds.delegate", event_id=event_id, delegate_id=delegate_id)
    return _act(delegate, reissue=True, back=back)


@bp.post("/events/<int:event_id>/delegates/<int:delegate_id>/calendar/revoke")
@login_required
def revoke_delegate(event_id: int, delegate_id: int):
    """Switch the delegate's feed address off."""
    delegate = _load_delegate(event_id, delegate_id)
    require(can_view_delegate_card(current_user, delegate))
    back = url_for("feeds.delegate", event_id=event_id, delegate_id=delegate_id)
    return _act(delegate, reissue=False, back=back)


@bp.get("/events/<int:event_id>/delegations/<int:delegation_id>/calendar")
@login_required
def delegation(event_id: int, delegation_id: int):
    """A delegation's calendar subscription, for its head."""
    delegation = _load_delegation(event_id, delegation_id)
    require(can_view_delegation(current_user, delegation))
    links = calendar_links(delegation)
    summary = None
    if links is not None:
        summary = service.feed_summary(service.delegation_feed(delegation))
    return render_template(
        "feeds/delegation.html",
        event=delegation.event,
        delegation=delegation,
        links=links,
        summary=summary,
        form=FeedActionForm(),
    )


@bp.post("/events/<int:event_id>/delegations/<int:delegation_id>/calendar/reissue")
@login_required
def reissue_delegation(event_id: int, delegation_id: int):
    """Give the delegation a new feed address; the old one stops working."""
    delegation = _load_delegation(event_id, delegation_id)
    require(can_view_delegation(current_user, delegation))
    back = url_for("feeds.delegation", event_id=event_id, delegation_id=delegation_id)
    return _act(delegation, reissue=True, back=back)


@bp.post("/events/<int:event_id>/delegations/<int:delegation_id>/calendar/revoke")
@login_required
def revoke_delegation(event_id: int, delegation_id: int):
    """Switch the delegation's feed address off."""
    delegation = _load_delegation(event_id, delegation_id)
    require(can_view_delegation(current_user, delegation))
    back = url_for("feeds.delegation", event_id=event_id, delegation_id=delegation_id)
    return _act(delegation, reissue=False, back=back)
