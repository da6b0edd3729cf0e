"""Problems with user input: each names the row (as a spreadsheet shows it,
header = row 1) and the column, and they travel together so a user sees all
of them at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    row: int | None
    column: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        prefix = ", ".join(where)
        label = "" if self.severity == "error" else "warning: "
        return f"{prefix}: {label}{self.message}" if prefix else f"{label}{self.message}"


MAX_PROBLEMS = 1_000  # shown to a user; beyond it, counted ("and 52,310 more like these")


class LedgerError(Exception):
    """Input that cannot be used; carries the problems found, at most MAX_PROBLEMS of
    them in row order, then one line counting the rest (`more` counts those that
    were never built, to bound the work a hostile file can cause)."""

    def __init__(self, problems: list[Problem], more: int = 0):
        ordered = sorted(problems, key=_order)
        self.total = len(ordered) + more
        more += max(0, len(ordered) - MAX_PROBLEMS)
        self.problems = ordered[:MAX_PROBLEMS]
        if more:
            self.problems.append(Problem(None, None, f"… and {more:,} more like these"))
        super().__init__("\n".join(str(p) for p in self.problems[:20]))


def _order(problem: Problem) -> tuple[int, str, str]:
    return (problem.row if problem.row is not None else 0, problem.column or "", problem.message)
