"""Timing helpers: run a callable N times; report median, p95, SQL statements, bytes.

One line per operation (shown here without its leading name column)::

    median   12.3 ms  p95   14.0 ms  queries   4  bytes 48,213
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Statements that are bookkeeping rather than work asked by the page.
_IGNORED = re.compile(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|PRAGMA)", re.I)

NAME_WIDTH = 26


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile, interpolating linearly between the closest ranks.

    This is NumPy's default ("linear") method: with 1…100, p95 is 95.05 and the median
    50.5.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= pct <= 100:
        raise ValueError("percentile must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    return percentile(values, 50)


@contextmanager
def count_statements(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements sent through ``engine`` inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not _IGNORED.match(statement):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def body_size(result: object) -> int:
    """Bytes of a response (anything with ``get_data``), of bytes, or of a str."""
    if hasattr(result, "get_data"):
        return len(result.get_data())
    if isinstance(result, bytes | bytearray):
        return len(result)
    if isinstance(result, str):
        return len(result.encode())
    return 0


@dataclass
class Measurement:
    """The timings (ms) of one operation, its statements per call and its size."""

    name: str
    times_ms: list[float] = field(default_factory=list)
    #: The most statements any single call sent.
    queries: int = 0
    #: Size of the last call's result.
    bytes: int = 0

    @property
    def median_ms(self) -> float:
        return median(self.times_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.times_ms, 95)

    def line(self) -> str:
        """The one-line report of this operation."""
        return (
            f"{self.name:<{NAME_WIDTH}} median {self.median_ms:6.1f} ms  "
            f"p95 {self.p95_ms:6.1f} ms  queries {self.queries:3d}  "
            f"bytes {self.bytes:,}"
        )


def skipped_line(name: str, reason: str) -> str:
    """The line printed instead of timings when an operation cannot run."""
    return f"{name:<{NAME_WIDTH}} skipped ({reason})"


def measure(
    name: str,
    fn: Callable[[], object],
    *,
    repeat: int = 20,
    warmup: int = 1,
    engine: Engine | None = None,
    check: Callable[[object], None] | None = None,
) -> Measurement:
    """Call ``fn`` ``warmup`` times untimed, then ``repeat`` times timed.

    With an ``engine``, statements are counted per call; ``check`` sees every result
    and may raise to stop a run whose answers are wrong.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    result = Measurement(name)
    for _ in range(warmup):
        out = fn()
        if check:
            check(out)
    for _ in range(repeat):
        if engine is not None:
            with count_statements(engine) as statements:
                start = time.perf_counter()
                out = fn()
                elapsed = time.perf_counter() - start
            result.queries = max(result.queries, len(statements))
        else:
            start = time.perf_counter()
            out = fn()
            elapsed = time.perf_counter() - start
        if check:
            check(out)
        result.times_ms.append(elapsed * 1000)
        result.bytes = body_size(out)
    return result


def in_turns(
    fns: dict[str, Callable[[], object]],
    *,
    repeat: int,
    clock: Callable[[], float] = time.process_time,
) -> dict[str, float]:
    """The median time (ms) of each callable, called in turns (A, B, A, B…) after one
    untimed warm-up round, so that whatever else the machine does falls on all of
    them alike.

    The clock is the process's CPU time by default: a builder and its bare baseline
    are single-threaded work with no waiting, and on a shared machine the wall clock
    also counts the time spent waiting for a core.
    """
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    times: dict[str, list[float]] = {name: [] for name in fns}
    for fn in fns.values():
        fn()
    for _ in range(repeat):
        for name, fn in fns.items():
            start = clock()
            fn()
            times[name].append((clock() - start) * 1000)
    return {name: median(values) for name, values in times.items()}
