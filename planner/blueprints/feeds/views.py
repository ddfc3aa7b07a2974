"""Calendar feeds: the public event feed, secret personal feeds, subscription pages."""

from __future__ import annotations

import hashlib
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
from planner.blueprints.feeds.cache import feed_cache
from planner.blueprints.feeds.forms import FeedActionForm
from planner.commit import save
from planner.exports import ical
from planner.exports.badges import qr_svg
from planner.extensions import db, limiter
from planner.models import Delegate, Delegation, Event
from planner.permissions import (
    can_manage_event,
    can_view_delegate_card,
    can_view_delegation,
    require,
)
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
        "uid_domain": config.get("FEED_UID_DOMAIN") or ical.DEFAULT_UID_DOMAIN,
        "refresh": timedelta(minutes=minutes),
    }


def _not_found() -> Response:
    """A short plain 404: calendar apps show no HTML, and the site layout costs
    queries."""
    with force_locale(ical.FEED_LOCALE):  # no language choice: no session, no user
        text = _("Kalender tidak ditemukan.")
    return Response(
        text + "\n",
        status=404,
        mimetype="text/plain",
        headers={"Cache-Control": "no-store"},
    )


def _not_modified(response: Response) -> bool:
    """Whether the client's copy is current (RFC 9110 §13.1.2–3): If-None-Match when
    sent (weak comparison; ``*`` matches), else If-Modified-Since. Werkzeug parses the
    headers; a malformed one matches nothing, so the client gets the full feed."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.headers.get("If-None-Match"):
        return request.if_none_match.contains_weak(response.get_etag()[0])
    since, latest = request.if_modified_since, response.last_modified
    return since is not None and latest is not None and latest <= since


def _calendar(version: service.FeedVersion, *, cache: str, filename: str) -> Response:
    """The feed's bytes, or 304 from its stored revision alone when the client's copy
    is current; built bytes are kept under the revision for every worker."""
    settings = _settings()
    store = feed_cache()
    response = Response(mimetype=CALENDAR_MIMETYPE)
    response.headers["Cache-Control"] = cache
    if version.changed_at is not None:
        # HTTP dates have whole seconds: compare and send the same value.
        response.last_modified = version.changed_at.replace(microsecond=0)
    body = None
    if version.stored:
        tag = ical.etag(version.key, **settings)
        response.set_etag(tag)
        if _not_modified(response):
            response.status_code = 304
            return response
        body = store.get("feed:" + tag)
    if body is None:
        feed = service.load_feed(version.kind, version.owner_id)
        if feed is None:  # gone between the revision and now
            return _not_found()
        body = ical.build_calendar(feed, **settings, cache=store)
        if version.stored:
            store.set("feed:" + tag, body)
        else:
            # No stored revision to name the contents by: the bytes name themselves.
            response.set_etag(hashlib.sha256(body).hexdigest()[:32])
            if _not_modified(response):
                response.status_code = 304
                return response
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_data(body)
    return response


@bp.get("/events/<slug>/calendar.ics")
@limiter.exempt
def event_calendar(slug: str):
    """The public feed of an event's run-down and travel legs, once it is published."""
    # One query answers a conditional request: the slug is looked up inside it.
    version = service.version_by_slug(slug)
    if version is None:
        return _not_found()
    cache = PUBLIC_CACHE
    if version.is_draft:
        # A draft: only its organisers, signed in, may look (and no shared cache).
        event = service.find_event(slug)
        if event is None or not can_manage_event(current_user, event):
            return _not_found()
        cache = PRIVATE_CACHE
    return _calendar(version, cache=cache, filename=f"{slug}.ics")


@bp.get("/feeds/<token>.ics")
@limiter.exempt
def subscription(token: str):
    """A delegate's or a delegation's secret feed; no sign-in (calendar apps have none)."""
    # One query answers a conditional request: the token is looked up inside it.
    version = service.version_by_token(token)
    if version is None or version.is_draft:
        return _not_found()
    response = _calendar(version, cache=PRIVATE_CACHE, filename="jadwal.ics")
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


@dataclass(frozen=True)
class Owner:
    """A kind of secret feed's owner: how its page is found, guarded and shown."""

    kind: str  #: service.DELEGATE or service.DELEGATION (also the page's endpoint)
    model: type
    segment: str  #: its part of the URL
    id_name: str  #: its id's name in the URL
    options: tuple
    can_view: object
    template: str


OWNERS = (
    Owner(
        service.DELEGATE,
        Delegate,
        "delegates",
        "delegate_id",
        (
            joinedload(Delegate.person),
            joinedload(Delegate.delegation),
            joinedload(Delegate.event),
        ),
        can_view_delegate_card,
        "feeds/delegate.html",
    ),
    Owner(
        service.DELEGATION,
        Delegation,
        "delegations",
        "delegation_id",
        (joinedload(Delegation.event), joinedload(Delegation.region)),
        can_view_delegation,
        "feeds/delegation.html",
    ),
)


#: The subscription page's buttons: a new address, or none.
ACTIONS = {"reissue": service.reissue_feed_token, "revoke": service.revoke_feed_token}


def _action_message(action: str) -> str:
    if action == "reissue":
        return _(
            "Alamat kalender baru sudah dibuat. Alamat lama tidak berlaku lagi: "
            "kalender yang berlangganan dengan alamat lama tidak diperbarui."
        )
    return _(
        "Alamat kalender dicabut: kalender yang berlangganan tidak lagi diperbarui."
    )


def owner_calendar(kind: Owner, action: str | None, event_id: int, **ids):
    """A delegate's or a delegation's calendar subscription page (webcal, Google
    Calendar, QR code), and its two buttons: a new address, or none."""
    found = db.one_or_404(
        select(kind.model)
        .where(kind.model.id == ids[kind.id_name], kind.model.event_id == event_id)
        .options(*kind.options)
    )
    require(kind.can_view(current_user, found))
    back = url_for(f"feeds.{kind.kind}", event_id=event_id, **ids)
    if action is not None:
        form = FeedActionForm()
        if not form.validate_on_submit():
            flash(_("Formulir tidak sah. Muat ulang halaman dan coba lagi."), "danger")
        elif save(lambda: ACTIONS[action](found)):
            flash(_action_message(action), "success")
        return redirect(back)
    links = calendar_links(found)
    summary = None
    if links is not None:
        summary = service.feed_summary(service.load_feed(kind.kind, found.id))
    return render_template(
        kind.template,
        event=found.event,
        **{kind.kind: found},
        links=links,
        summary=summary,
        form=FeedActionForm(),
    )


def _view(kind: Owner, action: str | None):
    """The view of one route: the owner and the action are the route's, the rest is
    :func:`owner_calendar`'s (the URL rules keep only their own arguments, which the
    authorisation matrix reads)."""

    @login_required
    def view(event_id: int, **ids):
        return owner_calendar(kind, action, event_id, **ids)

    what = "page" if action is None else action
    view.__name__ = f"{kind.kind}_calendar_{what}"
    view.__doc__ = f"The {kind.kind}'s calendar subscription {what}."
    return view


for _owner in OWNERS:
    _page = f"/events/<int:event_id>/{_owner.segment}/<int:{_owner.id_name}>/calendar"
    bp.add_url_rule(_page, _owner.kind, _view(_owner, None), methods=["GET"])
    for _action in ACTIONS:
        bp.add_url_rule(
            f"{_page}/{_action}",
            f"{_action}_{_owner.kind}",
            _view(_owner, _action),
            methods=["POST"],
        )
