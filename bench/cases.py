"""The operations the bench times: pages fetched over HTTP through the test client.

Add a :class:`Case` here when a feature ships a page that must stay fast at national
scale (rosters, manifests, the agenda…); ``python -m bench --only NAME`` runs one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.generate import BenchData


@dataclass(frozen=True)
class Case:
    """One timed page: a name for the report line and the URL to GET."""

    name: str
    path: Callable[[BenchData], str]
    description: str


CASES: list[Case] = [
    Case(
        "event_list_page",
        lambda data: "/events/",
        "The list of events an organiser sees first.",
    ),
    Case(
        "event_overview_page",
        lambda data: f"/events/{data.largest_event_id}",
        "The overview of the largest event (the national one).",
    ),
]


def by_name(name: str) -> Case:
    """The case called ``name``; ``KeyError`` lists the known ones."""
    for case in CASES:
        if case.name == name:
            return case
    raise KeyError(f"unknown case {name!r}; known: {', '.join(c.name for c in CASES)}")
