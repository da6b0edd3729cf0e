"""Rows added, removed and changed (field by field) between two ledgers, by id.
Fields are compared as read: an amount, a date or a unit written another way
(`83,4` for `83.4` from a German spreadsheet, `18.08.2025` for `2025-08-18`,
`bn EUR` for `billion EUR`) is no change."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.reading.cells import trimmed
from ledger.reading.schema import COLUMNS, Ledger


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

    def counts(self) -> tuple[int, int, int, int]:
        """(rows added, removed, changed; fields changed)."""
        return (len(self.added), len(self.removed), len({c.id for c in self.changed}),
                len(self.changed))

    def summary(self) -> str:
        added, removed, ids, fields = self.counts()
        return f"{added:,} added, {removed:,} removed, {ids:,} changed ({fields:,} fields)"


def _cells(ledger: Ledger) -> pd.DataFrame:
    text = ledger.text.copy()
    if "amount" in text.columns and "low" not in text.columns:
        text["low"] = text["amount"]
    columns = [c for c in (*COLUMNS, *ledger.extra_columns) if c in text.columns]
    cells = pd.DataFrame({c: trimmed(text[c]) for c in columns}, index=text.index)
    return cells.set_index(cells["id"])


def _matched(new: pd.Index, old: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """(whether each new id is not among the old ones, whether each old id is not
    among the new ones), through Arrow, hashing the shorter side only (pandas turns
    large string sets into Python lists)."""
    if len(new) < len(old):
        removed, added = _matched(old, new)
        return added, removed
    position = pc.index_in(_arrow(new), value_set=_arrow(old))  # where in old, or null
    found = np.zeros(len(old), dtype=bool)
    found[position.drop_null().to_numpy()] = True
    return ~position.is_valid().to_numpy(zero_copy_only=False), ~found


def _arrow(ids: pd.Index) -> pa.Array | pa.ChunkedArray:
    held = getattr(ids.array, "_pa_array", None)  # an Arrow string index, read in place
    return held if held is not None else pa.array(ids.astype(str), pa.large_string())


# a column written as text → the value it reads as (the currency for a unit: its
# scale word is already in the amounts)
AS_READ = {"low": "low", "amount": "low", "high": "high", "date": "date", "end": "end",
           "published": "published", "unit": "currency"}


def _read(ledger: Ledger) -> pd.DataFrame:
    frame = ledger.frame
    columns = [c for c in dict.fromkeys(AS_READ.values()) if c in frame.columns]
    return frame.set_index(frame["id"])[columns]


def _same_as_read(before: pd.DataFrame, after: pd.DataFrame, column: str,
                  ids: pd.Index) -> np.ndarray:
    """Whether each of `ids` reads the same in `column` on both sides (both empty, or
    equal to a part in a trillion: the same decimal written with a comma)."""
    if column not in before.columns or column not in after.columns:
        return np.zeros(len(ids), dtype=bool)
    old = before[column].reindex(ids)
    new = after[column].reindex(ids)
    both_empty = (old.isna() & new.isna()).to_numpy(dtype=bool)
    if pd.api.types.is_float_dtype(new) and pd.api.types.is_float_dtype(old):
        a, b = old.to_numpy(dtype=float), new.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            close = np.abs(a - b) <= 1e-12 * np.maximum(np.abs(a), np.abs(b))
        return both_empty | np.nan_to_num(close, nan=False).astype(bool)
    return both_empty | (old.astype(object).to_numpy() == new.astype(object).to_numpy())


def diff(before: Ledger, after: Ledger) -> Diff:
    """Compare by id (ids are unique in a valid ledger); fields compared as the
    cells read, trimmed. Column-wise, so a million rows compare in a second."""
    old, new = _cells(before), _cells(after)
    is_added, is_removed = _matched(new.index, old.index)
    new_common = new[~is_added]
    old_common = old.reindex(new_common.index)
    columns = list(dict.fromkeys([*new.columns, *old.columns]))
    found: list[tuple[int, int, Change]] = []
    read_before, read_after = _read(before), _read(after)
    for order, column in enumerate(c for c in columns if c != "id"):
        empty = pd.Series("", index=new_common.index, dtype="str")
        after_values = new_common[column] if column in new.columns else empty
        before_values = old_common[column] if column in old.columns else empty
        differs = np.flatnonzero(after_values.ne(before_values).to_numpy(dtype=bool))
        if column in AS_READ and len(differs):
            ids = new_common.index[differs]
            differs = differs[~_same_as_read(read_before, read_after, AS_READ[column], ids)]
        ids = new_common.index[differs]
        found.extend(
            (int(pos), order, Change(str(key), column, str(b), str(a)))
            for pos, key, b, a in zip(differs, ids, before_values.iloc[differs],
                                      after_values.iloc[differs], strict=True))
    found.sort(key=lambda item: (item[0], item[1]))
    # ids as Python text in one step, not one at a time
    return Diff(new.index[is_added].astype(str).tolist(),
                old.index[is_removed].astype(str).tolist(), [change for _, _, change in found])
