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


class LedgerError(Exception):
    """Input that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_order)
        super().__init__("\n".join(str(p) for p in self.problems[:20]))


def _order(problem: Problem) -> tuple[int, str, str]:
    return (problem.row if problem.row is not None else 0, problem.column or "", problem.message)
