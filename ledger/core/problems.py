"""Problems with user input: each names the row (as a spreadsheet shows it,
header = row 1) and the column, and they travel together so a user sees all
of them at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


class Said(str):
    """A sentence of the program's in English that keeps what it was made of — its
    message (extracted into the catalogs: `said` is a marker like `N_`) and its
    values — so the page that shows it can say it again in the reader's language
    (`ledger.present.wording.said_words`). Problems are found where no reader is
    known (in an upload's worker, in a result every session shares), so they are
    worded in English first. Whole numbers read with English grouping here and
    with the reader's where shown; pass anything else (a year, a code) as text."""

    message: str
    values: dict[str, Any]

    def __new__(cls, message: str, values: dict[str, Any]) -> Said:
        english = {k: f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else v
                   for k, v in values.items()}
        made = super().__new__(cls, message.format(**english) if values else message)
        made.message, made.values = message, values
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # through the upload worker's pickle
        return (Said, (self.message, self.values))


def said(message: str, **values: Any) -> Said:
    """`message` with its `{placeholders}` filled, remembered for translation."""
    return Said(message, values)


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
            self.problems.append(Problem(None, None, said("… and {count} more like these",
                                                          count=more)))
        super().__init__("\n".join(str(p) for p in self.problems[:20]))


def _order(problem: Problem) -> tuple[int, str, str]:
    return (problem.row if problem.row is not None else 0, problem.column or "", problem.message)
