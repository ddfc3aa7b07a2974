"""Property-based fuzzing (hypothesis): generated values posted to every form and put
in every query parameter of every page. No answer is a 500; a rejected form changes
nothing; a script typed in is never shown back unescaped.

The routes and field names come from the URL map and the pages themselves (as in
``test_hostile_input.py``, whose fixed hostile values complement these generated ones),
so a new form is fuzzed the day it is added. The number of examples is bounded so that
CI stays fast: ``FUZZ_EXAMPLES`` per route (set the environment variable to fuzz longer).
"""

from __future__ import annotations

import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import test_hostile_input as hostile
from tests.test_hostile_input import (
    DESTRUCTIVE,
    QUERY_ARGUMENTS,
    SCRIPT,
    SESSION_ENDING,
    _FieldNames,
    _routes,
    _snapshot,
    _text,
)

#: The objects every URL names (one of each), shared with the hostile-input walk.
world = hostile.world

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


def _forms(app, client, world):
    """(endpoint, url, field names) of every POST route, GET pages read for fields."""
    every_field = _FieldNames()
    fields_of: dict[str, list[str]] = {}
    routes = sorted(_routes(app, world), key=lambda r: r[0] in DESTRUCTIVE)
    for endpoint, url, methods in routes:
        if "GET" in methods and endpoint not in SESSION_ENDING:
            page = client.get(url)
            if page.mimetype == "text/html":
                parser = _FieldNames()
                parser.feed(page.get_data(as_text=True))
                every_field.feed(page.get_data(as_text=True))
                fields_of[url] = parser.names
    for endpoint, url, methods in routes:
        if "POST" in methods and endpoint not in SESSION_ENDING:
            if endpoint.startswith("auth.") or endpoint == "main.set_language":
                continue  # signing in and out is covered by test_auth
            yield endpoint, url, fields_of.get(url) or every_field.names


def test_generated_form_values_never_break_a_form(app, client, login, world):
    login(world["admin"])
    failures: list[str] = []
    forms = list(_forms(app, client, world))
    assert len(forms) > 30

    def fuzz(url: str, fields: list[str]) -> None:
        @SETTINGS
        @given(st.fixed_dictionaries({name: VALUES for name in fields}))
        def post(data):
            with app.app_context():
                before = _snapshot()
            response = client.post(url, data=data)
            if response.status_code >= 500:
                failures.append(f"POST {url} {data!r:.200}: {response.status_code}")
                return
            if SCRIPT in _text(response):
                failures.append(f"POST {url}: script echoed unescaped")
            if response.status_code in (200, 400):  # the form came back: rejected
                with app.app_context():
                    if _snapshot() != before:
                        failures.append(
                            f"POST {url} {data!r:.200}: rejected but changed"
                        )

        post()

    for _endpoint, url, fields in forms:
        fuzz(url, fields)
        if failures:
            break
    assert failures == []


def test_generated_query_values_never_break_a_page(app, client, login, world):
    login(world["admin"])
    failures: list[str] = []
    pages = [
        url
        for endpoint, url, methods in _routes(app, world)
        if "GET" in methods and endpoint not in SESSION_ENDING
    ]

    @SETTINGS
    @given(st.fixed_dictionaries({name: VALUES for name in QUERY_ARGUMENTS}))
    def visit(args):
        for url in pages:
            response = client.get(url, query_string=args)
            if response.status_code >= 500:
                failures.append(f"GET {url} {args!r:.200}: {response.status_code}")
            elif SCRIPT in _text(response):
                failures.append(f"GET {url}: script echoed unescaped")

    visit()
    assert failures == []
