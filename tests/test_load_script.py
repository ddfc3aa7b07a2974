"""The load script (``python -m bench.load``) at tiny scale, in-process.

SQLite only: the script starts gunicorn on its own SQLite file in ``tmp_path`` rather
than using the ``database_url`` fixture (a PostgreSQL database shared with the rest of
the suite must not see its tables dropped). Skipped only when gunicorn is missing.
"""

from __future__ import annotations

import pytest

from bench import load

pytest.importorskip("gunicorn")


def test_a_short_mixed_load_runs_without_errors(tmp_path):
    """Two workers, two clients, three seconds: every kind of request happens, none
    fails, and confirmed_count still matches the delegates within every quota."""
    url = load.sqlite_url(tmp_path / "load.sqlite")
    plan = load.prepare(url, people=200, events=2)
    assert plan.nominated and plan.feed_tokens and plan.delegation_ids
    lines: list[str] = []

    result = load.run_load(
        url,
        plan,
        workers=2,
        clients=2,
        seconds=3,
        log_path=tmp_path / "gunicorn.log",
        out=lines.append,
        turns=2,
        trivial_seconds=1,
    )

    report = "\n".join(lines + result.lines())
    assert result.errors == 0, report
    assert not result.invariant_problems, report
    assert result.ok
    # The yardstick ran in turns with the mix, and the ratio and p95 lines say so.
    assert result.stats.count(load.TRIVIAL) > 0 and result.turns == 2
    assert any(line.startswith("ratio     mix ") for line in result.lines()), report
    assert any(line.startswith("p95       slowest kind") for line in result.lines())
    for kind in (
        load.LOGIN,
        load.FEED_FULL,
        load.FEED_CONDITIONAL,
        load.ROSTER_EVENT,
        load.ROSTER_DELEGATION,
        load.CONFIRM,
    ):
        assert result.stats.count(kind) > 0, f"no {kind} request\n{report}"
    assert result.stats.statuses[load.FEED_CONDITIONAL][304] > 0, report
    assert result.stats.count(load.LOGIN) == 4  # two accounts per client
    assert 0 < result.confirmed <= result.confirms_posted
    assert any(line.startswith("total ") for line in result.lines())
