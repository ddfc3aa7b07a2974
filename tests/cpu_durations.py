"""Opt-in pytest plugin: the tests and files that cost the most CPU.

``pytest -p tests.cpu_durations --cpu-durations=30`` lists the 30 costliest tests and
files by this process's CPU time (user + sys over setup, call and teardown; with
xdist each worker measures its own tests). On a shared 2-core machine wall-clock
``--durations`` mostly measure the neighbours; CPU time does not. PostgreSQL's own
server processes are not counted.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--cpu-durations",
        type=int,
        default=None,
        metavar="N",
        help="list the N tests and files that cost the most CPU time",
    )


def _timed(phase: str):
    @pytest.hookimpl(hookwrapper=True)
    def hook(item):
        start = time.process_time()
        yield
        spent = getattr(item, "_cpu_seconds", {})
        spent[phase] = time.process_time() - start
        item._cpu_seconds = spent

    return hook


pytest_runtest_setup = _timed("setup")
pytest_runtest_call = _timed("call")
pytest_runtest_teardown = _timed("teardown")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    # A plain float attribute travels with the report from an xdist worker.
    outcome.get_result().cpu_seconds = getattr(item, "_cpu_seconds", {}).get(
        call.when, 0.0
    )


_tests: Counter = Counter()


def pytest_runtest_logreport(report):
    _tests[report.nodeid] += getattr(report, "cpu_seconds", 0.0)


def pytest_terminal_summary(terminalreporter, config):
    n = config.getoption("cpu_durations")
    if n is None:
        return
    files: Counter = Counter()
    for nodeid, seconds in _tests.items():
        files[nodeid.split("::")[0]] += seconds
    write = terminalreporter.write_line
    terminalreporter.section(f"CPU time: {sum(_tests.values()):.1f} s in tests")
    for title, counter in (("tests", _tests), ("files", files)):
        write(f"costliest {title}:")
        for name, seconds in counter.most_common(n or None):
            write(f"{seconds:8.2f}s  {name}")
