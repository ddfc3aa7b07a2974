"""Property-based fuzzing (hypothesis): generated values posted to every form and put
in every query parameter of every page. No answer is a 500; a rejected form changes
nothing; a script typed in is never shown back unescaped.

The routes and field names come from the URL map and the pages themselves (as in
``test_hostile_input.py``, whose fixed hostile values complement these generated ones),
so a new form is fuzzed the day it is added; each route is its own test, on a fresh world,
so xdist spreads them. The number of examples is bounded so that CI stays fast:
``FUZZ_EXAMPLES`` per route (set the environment variable to fuzz longer).
"""

from __future__ import annotations

import os
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_hostile_input as hostile
from tests.test_hostile_input import (
    QUERY_ARGUMENTS,
    SCRIPT,
    SESSION_ENDING,
    _text,
)

#: The objects every URL names (one of each), shared with the hostile-input walk.
world = hostile.world

#: Generated values are fuzzed on SQLite only: what the database engine itself refuses
#: (NUL bytes, numbers past its integers, 10,000-character texts) is posted on both
#: engines by the fixed hostile-input walk (tests/test_hostile_input.py). Running the
#: generated values again on PostgreSQL doubled these 180 tests in CI and found nothing
#: the walk does not.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))

#: What people (and attackers) type: any text, numbers, dates and times in and out of
#: range, ids, and the script marker so that escaping is checked on every value.
VALUES = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=string.digits + "-:./ ", max_size=24),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.times().map(lambda t: t.strftime("%H:%M")),
    st.sampled_from(["", "on", "y", "0", "1", "none", SCRIPT, "x" * 5000]),
    st.text(max_size=20).map(lambda s: f"{SCRIPT}{s}"),
)

SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    suppress_health_check=list(HealthCheck),
)


#: Forms fuzzed: every POST route but signing in and out (covered by test_auth).
FORM_ENDPOINTS = [
    e
    for e in hostile.POST_ENDPOINTS
    if e not in SESSION_ENDING
    and not e.startswith("auth.")
    and e != "main.set_language"
]
PAGE_ENDPOINTS = [e for e in hostile.GET_ENDPOINTS if e not in SESSION_ENDING]


def test_fuzzing_covers_enough_forms():
    assert len(FORM_ENDPOINTS) > 30


@pytest.mark.parametrize("endpoint", FORM_ENDPOINTS)
@SQLITE_ONLY
def test_generated_form_values_never_break_a_form(app, client, login, world, endpoint):
    login(world["admin"])
    failures: list[str] = []
    url, _methods = hostile._route(app, world, endpoint)
    fields = hostile.fields_for(app, client, world, endpoint)
    unchanged = hostile.Unchanged(app)

    @SETTINGS
    @given(st.fixed_dictionaries({name: VALUES for name in fields}))
    def post(data):
        unchanged.prepare()
        response = client.post(url, data=data)
        if response.status_code >= 500:
            failures.append(f"POST {url} {data!r:.200}: {response.status_code}")
            unchanged.accepted()
            return
        if SCRIPT in _text(response):
            failures.append(f"POST {url}: script echoed unescaped")
        if response.status_code in (200, 400):  # the form came back: rejected
            if not unchanged.rejected():
                failures.append(f"POST {url} {data!r:.200}: rejected but changed")
        else:
            unchanged.accepted()

    post()
    assert failures == []


@pytest.mark.parametrize("endpoint", PAGE_ENDPOINTS)
@SQLITE_ONLY
def test_generated_query_values_never_break_a_page(app, client, login, world, endpoint):
    login(world["admin"])
    failures: list[str] = []
    url, _methods = hostile._route(app, world, endpoint)

    @SETTINGS
    @given(st.fixed_dictionaries({name: VALUES for name in QUERY_ARGUMENTS}))
    def visit(args):
        response = client.get(url, query_string=args)
        if response.status_code >= 500:
            failures.append(f"GET {url} {args!r:.200}: {response.status_code}")
        elif SCRIPT in _text(response):
            failures.append(f"GET {url}: script echoed unescaped")

    visit()
    assert failures == []
