"""The record's own evidence on whose industry gets European money
(`data/reference/industry-evidence.csv`): each published figure with what it measures, its
period, its method's caveat and its page, and whether it measures what the ledger
measures (`check`: then a check row of the ledger judges it) or something wider
(`context`: cited beside the ledger's split, never compared with it)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ledger.core.frames import reference_table
from ledger.core.paths import shipped
from ledger.core.problems import LedgerError, Problem

EVIDENCE_COLUMNS = ("id", "who", "figure", "measures", "period", "published", "caveat",
                    "relation", "check", "ref", "quote")
RELATIONS = ("check", "context")


def read_evidence(path: Path | None = None) -> pd.DataFrame:
    """The evidence table, every cell text; an error names the row and column of any
    cell that is missing or a relation that is neither `check` nor `context`."""
    path = path or shipped("reference/industry-evidence.csv")
    frame = reference_table(path, EVIDENCE_COLUMNS)
    problems = [Problem(i + 2, column, f"{path.name}: empty")
                for column in ("id", "who", "figure", "measures", "relation", "ref", "quote")
                for i, cell in enumerate(frame[column]) if not cell.strip()]
    problems += [Problem(i + 2, "relation", f"{path.name}: '{cell}' is not check or context")
                 for i, cell in enumerate(frame["relation"]) if cell not in RELATIONS]
    problems += [Problem(i + 2, "check", f"{path.name}: a check names its check row")
                 for i, (relation, check) in enumerate(zip(frame["relation"], frame["check"],
                                                           strict=True))
                 if relation == "check" and not check.strip()]
    if problems:
        raise LedgerError(problems)
    return _with_translations(frame[list(EVIDENCE_COLUMNS)], path)


TRANSLATED = ("figure", "measures", "period", "caveat")  # our words; the quote stays as said


def _with_translations(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Each translation beside the table (`industry-evidence.de.csv`: id and the
    TRANSLATED columns) as columns `measures_de`, …; a row or cell it lacks stays
    empty (the English is shown)."""
    for other in sorted(path.parent.glob(f"{path.stem}.*.csv")):
        language = other.stem.rsplit(".", 1)[1]
        table = reference_table(other, ("id", *TRANSLATED)).set_index("id")
        for column in TRANSLATED:
            frame[f"{column}_{language}"] = frame["id"].map(table[column]).fillna("")
    return frame
