"""Rows added, removed and changed, field by field, between two ledgers."""

from __future__ import annotations

from ledger.diff import diff
from ledger.schema import read_ledger

from .conftest import csv_bytes

BEFORE = read_ledger(csv_bytes(
    "n,need,N,military,10,,bn EUR,2025-01-02,,,,,,,",
    "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,",
))


def test_added_removed_and_changed_rows_are_listed_by_id():
    after = read_ledger(csv_bytes(
        "n,need,N,military,12,,bn EUR,2025-01-02,,,,,,,",
        "t,source,T,,7,,bn EUR,2025-01-02,,,US,,,,",
    ))
    changes = diff(BEFORE, after)
    assert (changes.added, changes.removed) == (["t"], ["s"])
    assert [(c.id, c.column, c.before, c.after) for c in changes.changed] == [
        ("n", "low", "10", "12")]
    assert changes.summary() == "1 added, 1 removed, 1 changed (1 fields)"


def test_the_same_rows_in_another_order_are_no_change():
    after = read_ledger(csv_bytes(
        "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,",
        "n,need,N,military,10,,bn EUR,2025-01-02,,,,,,,",
    ))
    assert diff(BEFORE, after).empty


def test_cells_are_compared_trimmed_so_spaces_at_their_ends_are_no_change():
    after = read_ledger(csv_bytes(
        "n,need, N ,military,10 ,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,",
    ))
    assert diff(BEFORE, after).empty
    assert [(c.id, c.column, c.after) for c in diff(BEFORE, read_ledger(csv_bytes(
        "n,need, M ,military,10,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,",
    ))).changed] == [("n", "name", "M")]


def test_a_column_with_no_space_at_any_cells_end_is_not_copied_to_be_trimmed():
    import pandas as pd

    from ledger.cells import trimmed

    plain = pd.Series(["a b", "c"], dtype="str")
    assert trimmed(plain) is plain
    assert list(trimmed(pd.Series([" a b", "c\t"], dtype="str"))) == ["a b", "c"]
