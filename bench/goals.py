"""The goals of issue 16 in one table at the end of ``make bench``.

Each case that measures a figure with a goal calls :func:`record`; ``python -m bench``
prints :func:`summary` last, one row per goal in the order they were measured, so one run
shows every figure beside its goal and whether it held. A row is only printed when its
case ran: a figure that was not measured is absent, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

NAME_WIDTH = 50


@dataclass(frozen=True)
class Goal:
    """One measured figure beside its goal."""

    row: str
    figure: str
    goal: str
    met: bool


_RECORDED: list[Goal] = []


def record(row: str, figure: str, goal: str, met: bool) -> None:
    """Keep a measured figure for the summary table."""
    _RECORDED.append(Goal(row, figure, goal, met))


def recorded() -> list[Goal]:
    """The goals recorded so far, in order."""
    return list(_RECORDED)


def clear() -> None:
    """Forget the recorded goals (a new run, or a test)."""
    _RECORDED.clear()


def summary() -> list[str]:
    """The table: one line per goal, then how many held."""
    if not _RECORDED:
        return []
    lines = ["", "goals (issue 16 and the bench's own)"]
    for goal in _RECORDED:
        verdict = "meets" if goal.met else "MISSES"
        lines.append(
            f"  {goal.row:<{NAME_WIDTH}} {goal.figure:<34} goal {goal.goal:<22} {verdict}"
        )
    missed = sum(not goal.met for goal in _RECORDED)
    lines.append(
        f"  {len(_RECORDED) - missed} of {len(_RECORDED)} goals held"
        + (f"; {missed} MISSED" if missed else "")
    )
    return lines
