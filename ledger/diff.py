"""Rows added, removed and changed (field by field) between two ledgers, by id."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ledger.schema import COLUMNS, Ledger


@dataclass(frozen=True)
class Change:
    id: str
    column: str
    before: str
    after: str


@dataclass(frozen=True)
class Diff:
    added: list[str]
    removed: list[str]
    changed: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        out = [f"+ {i}" for i in self.added] + [f"- {i}" for i in self.removed]
        out += [f"~ {c.id}: {c.column}: '{c.before}' → '{c.after}'" for c in self.changed]
        return out or ["no differences"]

    def summary(self) -> str:
        ids = len({c.id for c in self.changed})
        return (f"{len(self.added)} added, {len(self.removed)} removed, "
                f"{ids} changed ({len(self.changed)} fields)")


def _cells(ledger: Ledger) -> pd.DataFrame:
    text = ledger.text.copy()
    if "amount" in text.columns and "low" not in text.columns:
        text["low"] = text["amount"]
    columns = [c for c in (*COLUMNS, *ledger.extra_columns) if c in text.columns]
    cells = text[columns].apply(lambda s: s.str.strip())
    return cells.set_index(cells["id"].str.strip())


def diff(before: Ledger, after: Ledger) -> Diff:
    """Compare by id; fields compared as the cells read (trimmed)."""
    old, new = _cells(before), _cells(after)
    added = [i for i in new.index if i not in old.index]
    removed = [i for i in old.index if i not in new.index]
    common = new.index.intersection(old.index, sort=False)
    columns = [c for c in new.columns if c != "id"]
    changed: list[Change] = []
    for column in columns:
        after_values = new.loc[common, column]
        before_values = (old.loc[common, column] if column in old.columns
                         else pd.Series("", index=common))
        differs = after_values.to_numpy() != before_values.to_numpy()
        for key in common[differs]:
            changed.append(Change(key, column, str(before_values[key]), str(after_values[key])))
    for column in [c for c in old.columns if c not in new.columns and c != "id"]:
        for key in common[old.loc[common, column].to_numpy() != ""]:
            changed.append(Change(key, column, str(old.loc[key, column]), ""))
    changed.sort(key=lambda c: (list(common).index(c.id), c.column))
    return Diff(added, removed, changed)
