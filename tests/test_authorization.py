"""The authorisation matrix: every route of the app, for every kind of person, against
real objects of two events and two regions.

The routes are read from the URL map: a route without a line in ``EXPECTED`` fails the
test, so nothing new escapes it. Each line gives the answer for the seven people below,
in this order:

    anon  part  head_a  head_b  org_x  org_y  admin

- anon: not signed in.
- part: a participant, delegate of region A's delegation in event X (person P).
- head_a / head_b: chapter heads of region A (19.01) and region B (19.02).
- org_x / org_y: organisers of event X (which every URL names) and of event Y only.
- admin.

Codes: a status (200, 302 = sent to sign in or elsewhere, 400, 403, 404), or ``ok`` for
POST-only actions an allowed person is not made to perform here (their features' tests
do that: the matrix checks that the others are turned away before anything changes).
GET is checked for every route that has it; POST-only routes are posted (CSRF off) by
those expected to be refused.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.jobs import store
from planner.models import (
    AgendaItem,
    AgendaKind,
    DelegateRole,
    DelegateStatus,
    EventStatus,
    LegMode,
    PlaceKind,
    Room,
    RoomAssignment,
    RoomType,
    SeatAssignment,
    Stay,
)
from tests.conftest import PASSWORD, IsolatedClient, region

ROLES = ("anon", "part", "head_a", "head_b", "org_x", "org_y", "admin")

# fmt: off
#: rule → answers in ROLES order. Keep it sorted by rule; one readable place.
EXPECTED: dict[str, str] = {
    "/":                                                 "302 302 302 302 302 302 302",
    "/accounts/":                                        "302 403 403 403 403 403 200",
    "/accounts/<int:user_id>/edit":                      "302 403 403 403 403 403 200",
    "/accounts/<int:user_id>/invitation":                "302 403 403 403 403 403 ok",
    "/accounts/invite":                                  "302 403 403 403 403 403 200",
    "/accounts/password":                                "302 200 200 200 200 200 200",
    "/accounts/profile":                                 "302 200 200 200 200 200 200",
    "/auth/forgot":                                      "200 200 200 200 200 200 200",
    "/auth/invitation/<token>":                          "400 400 400 400 400 400 400",
    "/auth/login":                                       "200 302 302 302 302 302 302",
    "/auth/logout":                                      "ok  ok  ok  ok  ok  ok  ok",
    "/auth/reset/<token>":                               "400 400 400 400 400 400 400",
    "/events/":                                          "302 200 200 200 200 200 200",
    "/events/<int:event_id>":                            "302 200 200 200 200 200 200",
    "/events/<int:event_id>/agenda/":                    "302 200 200 200 200 200 200",
    "/events/<int:event_id>/agenda/<int:item_id>/cancel": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/agenda/<int:item_id>/delete": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/agenda/<int:item_id>/edit":  "302 403 403 403 200 403 200",
    "/events/<int:event_id>/agenda/<int:item_id>/reinstate": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/agenda/<int:item_id>/shift": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/agenda/new":                 "302 403 403 403 200 403 200",
    "/events/<int:event_id>/cancel":                     "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/":                  "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/<int:delegate_id>": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/<int:delegate_id>/card": "302 200 200 403 200 403 200",
    "/events/<int:event_id>/check-in/<int:delegate_id>/undo": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/check-in/cards":             "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/offline":           "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/offline/list.json": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/check-in/sync":              "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/copy":                       "302 403 403 403 200 403 200",
    "/events/<int:event_id>/delegates/<int:delegate_id>/calendar": "302 200 200 403 200 403 200",
    "/events/<int:event_id>/delegates/<int:delegate_id>/calendar/reissue":
        "302 ok  ok  403 ok  403 ok",
    "/events/<int:event_id>/delegates/<int:delegate_id>/calendar/revoke":
        "302 ok  ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/":               "302 403 403 403 200 403 200",
    "/events/<int:event_id>/delegations/<int:delegation_id>": "302 403 200 403 200 403 200",
    "/events/<int:event_id>/delegations/<int:delegation_id>/add-person":
        "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/calendar":
        "302 403 200 403 200 403 200",
    "/events/<int:event_id>/delegations/<int:delegation_id>/calendar/reissue":
        "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/calendar/revoke":
        "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/confirm":
        "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/replace":
        "302 403 200 403 200 403 200",
    "/events/<int:event_id>/delegations/<int:delegation_id>/delegates/<int:delegate_id>/withdraw":
        "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/delete": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/edit": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/delegations/<int:delegation_id>/nominate": "302 403 ok  403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/remind": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/new":            "302 403 403 403 200 403 200",
    "/events/<int:event_id>/delegations/new-named":      "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/<int:delegation_id>/add-people":
        "302 403 200 403 200 403 200",
    "/events/<int:event_id>/delegations/others":         "302 403 403 403 200 403 200",
    "/events/<int:event_id>/delegations/others/add-person": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/others/delegates/<int:delegate_id>/confirm":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/others/delegates/<int:delegate_id>/replace":
        "302 403 403 403 404 403 404",
    "/events/<int:event_id>/delegations/others/delegates/<int:delegate_id>/withdraw":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/delegations/others/nominate": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/edit":                       "302 403 403 403 200 403 200",
    "/events/<int:event_id>/history/":                   "302 403 403 403 200 403 200",
    "/events/<int:event_id>/import/":                    "302 403 403 403 200 403 200",
    "/events/<int:event_id>/import/<token>/cancel":      "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/import/<token>/columns":     "302 403 403 403 404 403 404",
    "/events/<int:event_id>/import/<token>/import":      "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/import/<token>/preview":     "302 403 403 403 404 403 404",
    "/events/<int:event_id>/manifests/":                 "302 403 200 200 200 403 200",
    "/events/<int:event_id>/manifests/legs/<int:leg_id>": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/manifests/legs/<int:leg_id>.pdf": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/manifests/legs/<int:leg_id>.xlsx": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/manifests/trips/<int:trip_id>/vehicles.pdf":
        "302 403 200 200 200 403 200",
    "/events/<int:event_id>/manifests/trips/<int:trip_id>/vehicles/<int:vehicle_id>":
        "302 403 200 200 200 403 200",
    "/events/<int:event_id>/manifests/trips/<int:trip_id>/vehicles/<int:vehicle_id>.pdf":
        "302 403 200 200 200 403 200",
    "/events/<int:event_id>/manifests/trips/<int:trip_id>/vehicles/<int:vehicle_id>.xlsx":
        "302 403 200 200 200 403 200",
    "/events/<int:event_id>/paperwork/budget":           "302 403 403 403 200 403 200",
    "/events/<int:event_id>/paperwork/budget.pdf":       "302 403 403 403 200 403 200",
    "/events/<int:event_id>/paperwork/budget.xlsx":      "302 403 403 403 200 403 200",
    "/events/<int:event_id>/paperwork/budget/lines":     "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/paperwork/budget/lines/delete": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/paperwork/certificates":     "302 403 403 403 200 403 200",
    "/events/<int:event_id>/paperwork/certificates.pdf": "302 403 403 403 404 403 404",
    "/events/<int:event_id>/paperwork/certificates/<int:delegate_id>.pdf":
        "302 404 403 403 404 403 404",
    "/events/<int:event_id>/paperwork/certificates/issue": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/paperwork/certificates/revoke": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/paperwork/letters":          "302 403 403 403 200 403 200",
    "/events/<int:event_id>/paperwork/letters.pdf":      "302 403 403 403 404 403 404",
    "/events/<int:event_id>/paperwork/letters/<int:delegation_id>.pdf":
        "302 403 403 403 404 403 404",
    "/events/<int:event_id>/paperwork/letters/issue":    "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/paperwork/payments.pdf":     "302 403 403 403 200 403 200",
    "/events/<int:event_id>/meals/":                     "302 403 403 403 200 403 200",
    "/events/<int:event_id>/meals/order.<fmt>":          "302 403 403 403 404 403 404",
    "/events/<int:event_id>/rooms/":                     "302 403 200 200 200 403 200",
    "/events/<int:event_id>/rooms/auto":                 "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/from-itinerary":       "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/mine":                 "302 200 403 403 403 403 403",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>":
        "302 403 200 200 200 403 200",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/assign":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/delete":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/edit":
        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/rooming.<fmt>":
        "302 403 404 404 404 403 404",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/rooms":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/rooms/<int:room_id>/delete":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/rooms/stays/<int:stay_id>/rooms/<int:room_id>/edit":
        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/rooms/stays/new":            "302 403 403 403 200 403 200",
    "/events/<int:event_id>/rosters/":                   "302 403 403 403 200 403 200",
    "/events/<int:event_id>/rosters/<int:delegation_id>": "302 403 200 403 200 403 200",
    "/events/<int:event_id>/rosters/<int:delegation_id>/export.<any(csv, xlsx, pdf):fmt>":
        "302 403 200 403 200 403 200",
    "/events/<int:event_id>/rosters/attendance/<day>.pdf": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/rosters/export.<any(csv, xlsx, pdf):fmt>":
        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/plan":                       "302 403 403 403 200 403 200",
    "/events/<int:event_id>/status":                     "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/":                 "302 403 200 200 200 403 200",
    "/events/<int:event_id>/transport/legs/<int:leg_id>/delete": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/legs/<int:leg_id>/duplicate":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/legs/<int:leg_id>/edit": "302 403 403 403 200 403 200",
    "/events/<int:event_id>/transport/legs/<int:leg_id>/move": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/legs/new":         "302 403 403 403 200 403 200",
    "/events/<int:event_id>/transport/trips/<int:trip_id>/seats": "302 403 200 200 200 403 200",
    "/events/<int:event_id>/transport/trips/<int:trip_id>/return":
        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/transport/trips/<int:trip_id>/seats/auto": "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/trips/<int:trip_id>/seats/copy":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/trips/<int:trip_id>/vehicles/<int:vehicle_id>/seats/<int:delegate_id>/remove":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/trips/defaults":   "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/trips/new":        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/transport/vehicles":         "302 403 200 200 200 403 200",
    "/events/<int:event_id>/transport/vehicles/<int:vehicle_id>/delete":
        "302 403 403 403 ok  403 ok",
    "/events/<int:event_id>/transport/vehicles/<int:vehicle_id>/edit":
        "302 403 403 403 200 403 200",
    "/events/<int:event_id>/transport/vehicles/new":     "302 403 403 403 200 403 200",
    "/events/<slug>/calendar.ics":                       "200 200 200 200 200 200 200",
    "/events/new":                                       "302 403 403 403 200 200 200",
    "/feeds/<token>.ics":                                "200 200 200 200 200 200 200",
    "/health":                                           "200 200 200 200 200 200 200",
    "/language":                                         "ok  ok  ok  ok  ok  ok  ok",
    "/manifest.webmanifest":                             "200 200 200 200 200 200 200",
    "/my/delegations":                                   "302 200 200 200 200 200 200",
    "/my/trip":                                          "302 200 200 200 200 200 200",
    "/offline":                                          "200 200 200 200 200 200 200",
    "/people/":                                          "302 403 200 200 200 200 200",
    "/people/<int:person_id>":                           "302 200 200 403 200 200 200",
    "/people/<int:person_id>/edit":                      "302 200 200 403 200 200 200",
    "/people/new":                                       "302 403 200 200 200 200 200",
    "/jobs/<job_id>":                                    "302 404 404 404 200 404 200",
    "/jobs/<job_id>/download":                           "302 404 404 404 200 404 200",
    "/jobs/<job_id>/retry":                              "302 404 404 404 ok  404 ok",
    "/jobs/<job_id>/status":                             "302 404 404 404 200 404 200",
    "/places/":                                          "302 200 200 200 200 200 200",
    "/places/<int:place_id>":                            "302 200 200 200 200 200 200",
    "/places/<int:place_id>/edit":                       "302 403 403 403 200 200 200",
    "/places/<int:place_id>/geocode":                    "302 403 403 403 ok  ok  ok",
    "/places/new":                                       "302 403 403 403 200 200 200",
    "/plans/import":                                     "302 403 403 403 200 200 200",
    "/regions/":                                         "302 200 200 200 200 200 200",
    "/regions/<code>":                                   "302 200 200 200 200 200 200",
    "/sw.js":                                            "200 200 200 200 200 200 200",
    "/verify/<code>":                                    "404 404 404 404 404 404 404",
}
# fmt: on


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
    """Two events, two regions, one person of each kind, one object of each kind."""
    org_x = make_user("organiser", email="org.x@example.org")
    org_y = make_user("organiser", email="org.y@example.org")
    admin = make_user("admin", email="admin@example.org")
    head_a = make_user("chapter_head", regions=["19.01"], email="head.a@example.org")
    head_b = make_user("chapter_head", regions=["19.02"], email="head.b@example.org")
    person_p = make_person(region=region("19.01"), full_name="Peserta P")
    part = make_user("participant", person=person_p, email="part@example.org")

    event = make_event(organisers=[org_x], status=EventStatus.OPEN)
    make_event(organisers=[org_y], status=EventStatus.OPEN)
    delegation_a = make_delegation(event, region=region("19.01"), head=head_a)
    make_delegation(event, region=region("19.02"), head=head_b)
    delegate = make_delegate(
        delegation_a, person=person_p, status=DelegateStatus.CONFIRMED
    )
    place = make_place()
    vehicle = make_vehicle(event)
    trip = make_trip(event, name="Berangkat")
    leg = make_leg(trip, mode=LegMode.FERRY)
    leg.vehicles.append(vehicle)
    db.session.add(
        SeatAssignment(trip=trip, vehicle=vehicle, delegate=delegate, seat_number=1)
    )
    item = AgendaItem(
        event=event,
        title="Pembukaan",
        kind=AgendaKind.OPENING,
        starts_at=leg.arrives_at,
        ends_at=leg.arrives_at + (leg.arrives_at - leg.departs_at),
    )
    db.session.add(item)
    hotel = make_place(kind=PlaceKind.HOTEL)
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
    assert delegate.role == DelegateRole.PARTICIPANT
    # A finished plan export started by org_x (only they and admins may see it).
    job = store.JobRecord(
        id=store.new_id(),
        kind="plan_export",
        user_id=org_x.id,
        status=store.DONE,
        file_name=f"{event.slug}.rombongan.json",
        mimetype="application/json",
    )
    store.save(job)
    store.write_file(job.id, "result", b"{}")
    return {
        "users": {
            "part": part,
            "head_a": head_a,
            "head_b": head_b,
            "org_x": org_x,
            "org_y": org_y,
            "admin": admin,
        },
        "values": {
            "event_id": event.id,
            "slug": event.slug,
            "place_id": place.id,
            "person_id": person_p.id,
            "user_id": head_b.id,
            "delegation_id": delegation_a.id,
            "delegate_id": delegate.id,
            "day": event.starts_on.isoformat(),
            "vehicle_id": vehicle.id,
            "trip_id": trip.id,
            "leg_id": leg.id,
            "stay_id": stay.id,
            "room_id": room.id,
            "item_id": item.id,
            "token": delegate.feed_token,
            "code": "19",
            "fmt": "csv",
            "job_id": job.id,
        },
    }


def _url(rule, values) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[^<>]*:)?{arg}>", str(values[arg]), url)
    return url


def _clients(app, login_as, users):
    app.test_client_class = IsolatedClient  # each request its own context, as live
    clients = {"anon": app.test_client()}
    for role, user in users.items():
        client = app.test_client()
        login_as(client, user)
        clients[role] = client
    return clients


def _observe(app, world):
    """(rule, role) → observed code, for every route and role."""

    def login_as(client, user):
        response = client.post(
            "/auth/login", data={"email": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302

    clients = _clients(app, login_as, world["users"])
    observed: dict[str, list[str]] = {}
    rules = sorted(
        (r for r in app.url_map.iter_rules() if not r.endpoint.endswith("static")),
        key=lambda r: (r.endpoint == "auth.logout", r.rule),
    )
    for rule in rules:
        url = _url(rule, world["values"])
        expected = EXPECTED.get(rule.rule, "").split()
        answers = []
        for i, role in enumerate(ROLES):
            client = clients[role]
            if "GET" in rule.methods:
                answers.append(str(client.get(url).status_code))
            elif expected and expected[i] == "ok":
                answers.append("ok")
            else:
                answers.append(str(client.post(url, data={}).status_code))
        observed[rule.rule] = answers
    return observed


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        with db.engine.connect() as conn:
            return {
                t.name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in db.metadata.sorted_tables
            }


def test_every_route_has_an_expectation_and_meets_it(app, world):
    """The matrix holds, and every refused request (the POSTs above) left the
    database as it was (row counts per table): one walk checks both."""
    before = _row_counts(app)
    observed = _observe(app, world)
    after = _row_counts(app)
    missing = sorted(set(observed) - set(EXPECTED))
    lines = [
        f'    "{rule}":'.ljust(53)
        + f'"{" ".join(a.ljust(3) for a in answers).strip()}",'
        for rule, answers in sorted(observed.items())
    ]
    assert not missing, "routes without an expectation:\n" + "\n".join(
        line for line in lines if any(f'"{m}"' in line for m in missing)
    )
    wrong = [
        f"{rule}: expected {EXPECTED[rule]!r}, got {' '.join(answers)!r}"
        for rule, answers in sorted(observed.items())
        if EXPECTED[rule].split() != answers
    ]
    stale = sorted(set(EXPECTED) - set(observed))
    assert not stale, f"expectations for routes that no longer exist: {stale}"
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    # Signing in the six people is the only change the matrix makes.
    changed.pop("users", None)
    if changed:
        wrong.append(f"refused requests changed row counts: {changed}")
    assert not wrong, "\n".join(wrong)
