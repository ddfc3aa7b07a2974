"""Every form and every list filter, fed malformed and hostile values: never a 500, nothing
changed on rejection, and whatever was accepted is shown back escaped.

The routes are read from the URL map, so a new form is covered the day it is added. Each
route is its own test (on a fresh world), so xdist spreads the sweep over its workers.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from planner.models import (
    AgendaItem,
    AgendaKind,
    AgendaSpeaker,
    LegMode,
    PlaceKind,
    SeatAssignment,
)
from planner.models.rooms import Room, RoomAssignment, RoomType, Stay
from tests.conftest import region

HOSTILE = [
    "",
    "   ",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "'; DROP TABLE events; --",
    '" OR 1=1 --',
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "9999999999",  # fits 64 bits, not PostgreSQL's INTEGER
    "２０２４-０５-０７",
    "0000-00-00",
    "null\x00byte",
    "😀 \u202e",
]
SCRIPT = "<script>alert(1)</script>"
#: Every query argument a list page reads.
QUERY_ARGUMENTS = (
    "q",
    "page",
    "kind",
    "status",
    "province",
    "region",
    "pillar",
    "when",
)
QUERY_ARGUMENTS += ("next", "sort", "mine")

#: Values for the URL parts of the routes (filled with the fixture's ids).
URL_VALUES = {
    "token": "not-a-real-token",
    "code": "19",
    "fmt": "csv",
    "job_id": "0" * 32,
}

#: Endpoints whose success removes what later URLs name, or ends the session: last.
DESTRUCTIVE = {
    "delegations.delete",
    "events.cancel",
    "events.copy",
    "imports.cancel",
    "transport.remove_vehicle",
    "transport.remove_leg",
    "transport.remove_seat",
    "agenda.delete",
    "feeds.revoke_delegate",
    "feeds.revoke_delegation",
}
SESSION_ENDING = {"auth.logout"}


class _FieldNames(HTMLParser):
    """Names of the inputs of every form on a page (but the CSRF token)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "select", "textarea", "button"}:
            name = dict(attrs).get("name")
            if name and name != "csrf_token" and name not in self.names:
                self.names.append(name)


def _text(response) -> str:
    """The body of an HTML or text answer; downloads (PDF, XLSX) say nothing here."""
    if response.mimetype in {"text/html", "text/plain", "application/json"}:
        return response.get_data(as_text=True)
    return ""


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table but the reference regions."""
    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name == "regions":
                continue
            pk = list(table.primary_key.columns)
            rows[table.name] = [
                tuple(r) for r in conn.execute(sa.select(table).order_by(*pk))
            ]
    return rows


@pytest.fixture
def world(
    app_ctx,
    make_user,
    make_event,
    make_place,
    make_person,
    make_delegation,
    make_delegate,
    make_vehicle,
    make_trip,
    make_leg,
):
    """One of each object a URL can name, and an admin who organises the event."""
    admin = make_user("admin", email="admin@example.org")
    admin.is_organiser = True
    other = make_user("chapter_head", regions=["19.01"])
    event = make_event(organisers=[admin])
    place = make_place()
    person = make_person(region=region("19.01"))
    delegation = make_delegation(event, region=region("19.01"))
    delegate = make_delegate(delegation)
    make_person(region=region("19.01"), full_name="Calon Pengganti")
    vehicle = make_vehicle(event)
    trip = make_trip(event, name="Berangkat")
    leg = make_leg(trip, mode=LegMode.FERRY)
    leg.vehicles.append(vehicle)
    db.session.add(
        SeatAssignment(trip=trip, vehicle=vehicle, delegate=delegate, seat_number=1)
    )
    item = AgendaItem(
        event=event,
        starts_at=leg.arrives_at,
        ends_at=leg.arrives_at + timedelta(hours=1),
        title="Materi uji",
        kind=AgendaKind.MATERIAL,
    )
    item.speakers = [AgendaSpeaker(name="Narasumber Uji")]
    db.session.add(item)
    hotel = make_place(kind=PlaceKind.HOTEL, name="Hotel Uji")
    stay = Stay(
        event=event,
        place=hotel,
        check_in_on=event.starts_on,
        check_out_on=event.ends_on,
    )
    room = Room(stay=stay, label="101", room_type=RoomType.TWIN, beds=2)
    db.session.add_all([stay, room])
    db.session.flush()
    db.session.add(RoomAssignment(stay_id=stay.id, room=room, delegate=delegate))
    db.session.commit()
    return {
        "admin": admin,
        "event_id": event.id,
        "place_id": place.id,
        "person_id": person.id,
        "user_id": other.id,
        "delegation_id": delegation.id,
        "delegate_id": delegate.id,
        "day": event.starts_on.isoformat(),
        "vehicle_id": vehicle.id,
        "trip_id": trip.id,
        "leg_id": leg.id,
        "item_id": item.id,
        "slug": event.slug,
        "stay_id": stay.id,
        "room_id": room.id,
    }


def _routes(app, world):
    """(endpoint, url, methods) for every route that takes input."""
    values = {**URL_VALUES, **{k: v for k, v in world.items() if k != "admin"}}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        if any(arg not in values for arg in rule.arguments):
            raise AssertionError(
                f"no test value for the URL of {rule.endpoint}: {rule}"
            )
        url = rule.rule
        for arg in rule.arguments:
            url = re.sub(rf"<(?:[^<>]*:)?{arg}>", str(values[arg]), url)
        yield rule.endpoint, url, rule.methods


def _endpoints(methods: set[str] | None = None) -> list[str]:
    """The endpoints of the URL map (all, or those taking one of ``methods``), read
    from an app made at collection time: one test per route."""
    rules = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    ).url_map.iter_rules()
    return sorted(
        {
            rule.endpoint
            for rule in rules
            if not rule.endpoint.endswith("static")
            and (methods is None or methods & rule.methods)
        }
    )


ENDPOINTS = _endpoints()
GET_ENDPOINTS = _endpoints({"GET"})
POST_ENDPOINTS = _endpoints({"POST"})


def _route(app, world, endpoint: str) -> tuple[str, set[str]]:
    """(url, methods) of one endpoint, filled with the world's ids."""
    for name, url, methods in _routes(app, world):
        if name == endpoint:
            return url, methods
    raise AssertionError(f"{endpoint} is no longer in the URL map")


#: The union of the field names of every page: computed once per worker process, as
#: reading every page costs a hundred requests (names do not depend on the ids).
_every_field: dict[str, list[str]] = {}


def fields_for(app, client, world, endpoint: str) -> list[str]:
    """Names to post to an endpoint: the inputs of its own page, or (for POST-only
    actions such as confirm or nominate, posted from forms on other pages) the
    union of the inputs of every page."""
    url, methods = _route(app, world, endpoint)
    if "GET" in methods and endpoint not in SESSION_ENDING:
        page = client.get(url)
        assert page.status_code < 500, f"GET {url}: {page.status_code}"
        if page.mimetype == "text/html":
            parser = _FieldNames()
            parser.feed(page.get_data(as_text=True))
            if parser.names:
                return parser.names
    key = "every page"
    if key not in _every_field:
        every_field = _FieldNames()
        for name, page_url, page_methods in _routes(app, world):
            if "GET" in page_methods and name not in SESSION_ENDING:
                page = client.get(page_url)
                if page.mimetype == "text/html":
                    every_field.feed(page.get_data(as_text=True))
        _every_field[key] = every_field.names
    return _every_field[key]


class Unchanged:
    """Checks that rejected posts change nothing, reading the tables only when the
    state may have moved (after an accepted post), not before every post."""

    def __init__(self, app) -> None:
        self.app = app
        self.before = None

    def snapshot(self):
        with self.app.app_context():
            return _snapshot()

    def prepare(self) -> None:
        if self.before is None:
            self.before = self.snapshot()

    def rejected(self) -> bool:
        """True when nothing changed since :meth:`prepare`."""
        now = self.snapshot()
        same = now == self.before
        self.before = now
        return same

    def accepted(self) -> None:
        self.before = None


def test_hostile_input_sweep_covers_every_route(app, world):
    """The per-route tests below were made from this app's URL map."""
    assert sorted({name for name, _url, _methods in _routes(app, world)}) == ENDPOINTS
    assert len(POST_ENDPOINTS) > 30


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_form_survives_hostile_values(app, client, login, world, endpoint):
    login(world["admin"])
    failures: list[str] = []
    url, methods = _route(app, world, endpoint)
    if "POST" not in methods:
        page = client.get(url)
        assert page.status_code < 500, f"GET {url}: {page.status_code}"
        return
    fields = fields_for(app, client, world, endpoint)  # GETs the page: never a 500
    unchanged = Unchanged(app)
    for value in HOSTILE:
        unchanged.prepare()
        response = client.post(url, data={name: value for name in fields})
        if response.status_code >= 500:
            failures.append(f"POST {url} {value[:30]!r}: {response.status_code}")
            unchanged.accepted()
            continue
        body = _text(response)
        if SCRIPT in body:
            failures.append(f"POST {url}: script echoed unescaped")
        if response.status_code == 200:  # the form came back: a rejection
            if not unchanged.rejected():
                failures.append(f"POST {url} {value[:30]!r}: rejected but changed")
        else:
            unchanged.accepted()
            if response.status_code == 302 and endpoint not in SESSION_ENDING:
                target = response.headers["Location"]
                shown = _text(client.get(target))
                if SCRIPT in shown:
                    failures.append(f"{target} after POST {url}: script unescaped")
        if endpoint in SESSION_ENDING or "auth." in endpoint:
            login(world["admin"])
    assert failures == []


@pytest.mark.parametrize(
    "endpoint", [e for e in GET_ENDPOINTS if e not in SESSION_ENDING]
)
def test_every_page_survives_hostile_query_arguments(
    app, client, login, world, endpoint
):
    login(world["admin"])
    failures = []
    url, _methods = _route(app, world, endpoint)
    for value in HOSTILE:
        args = {name: value for name in QUERY_ARGUMENTS}
        response = client.get(url, query_string=args)
        if response.status_code >= 500:
            failures.append(f"GET {url} {value[:30]!r}: {response.status_code}")
        elif SCRIPT in _text(response):
            failures.append(f"GET {url}: script echoed unescaped")
    assert failures == []


def test_identity_fields_refuse_hostile_values_alone(app, client, login, world):
    """NIK, birth date and sex of the add-person and replace forms (the world's event
    has a ferry leg, so they are required): each hostile value in one field, the rest
    valid, is refused with the form back and nothing created."""
    login(world["admin"])
    base = f"/events/{world['event_id']}/delegations/{world['delegation_id']}"
    valid = {"nik": "1901014508800003", "birth_on": "1980-08-05", "sex": "female"}
    forms = [
        (
            f"{base}/add-person",
            "new-",
            {"new-full_name": "Citra Baru", "new-role": "participant"},
        ),
        (
            f"{base}/delegates/{world['delegate_id']}/replace",
            "",
            {"full_name": "Citra Baru"},
        ),
    ]
    failures = []
    unchanged = Unchanged(app)
    for url, prefix, rest in forms:
        for name in valid:
            for value in HOSTILE:
                data = {**rest, **{prefix + k: v for k, v in valid.items()}}
                data[prefix + name] = value
                unchanged.prepare()
                response = client.post(url, data=data)
                if "\x00" in value and response.status_code == 400:
                    continue  # refused before any view (main.refuse_nul_bytes)
                if response.status_code != 200:
                    failures.append(
                        f"{url} {name}={value[:20]!r}: {response.status_code}"
                    )
                    unchanged.accepted()
                    continue
                if SCRIPT in _text(response):
                    failures.append(f"{url} {name}: script echoed unescaped")
                if not unchanged.rejected():
                    failures.append(f"{url} {name}={value[:20]!r}: changed")
    assert failures == []
