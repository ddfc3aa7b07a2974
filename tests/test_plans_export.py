"""The plan export's shortcuts: the name-first person sort and the paused garbage
collector behave as what they replace."""

from __future__ import annotations

import gc
import random

import pytest

from planner.services.plans import export_plan
from planner.services.plans.common import _sorted_by


def test_sorting_by_the_first_key_then_the_full_one_is_the_full_sort():
    """Ties of the first key (namesakes) are broken by the full key, as one sort."""
    rng = random.Random(7)
    items = [
        (rng.choice(["Budi", "budi", "Siti", "Ani"]), rng.randrange(5), n)
        for n in range(500)
    ]
    rng.shuffle(items)

    def first(item):
        return (item[0].casefold(), item[0])

    def full(item):
        return (item[0].casefold(), item[0], item[1], item[2])

    assert _sorted_by(items, first, full) == sorted(items, key=full)
    assert _sorted_by([], first, full) == []


@pytest.mark.parametrize("enabled", [True, False])
def test_export_leaves_the_garbage_collector_as_it_found_it(
    app_ctx, make_event, enabled
):
    """The collector is off during an export only, and stays off if it was."""
    event = make_event()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        export_plan(event)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
