"""Rows added, removed and changed, field by field, between two ledgers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.reading.schema import read_ledger
from ledger.storage.diff import diff

from .conftest import DATA, csv_bytes

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

    from ledger.reading.cells import trimmed

    plain = pd.Series(["a b", "c"], dtype="str")
    assert trimmed(plain) is plain
    assert list(trimmed(pd.Series([" a b", "c\t"], dtype="str"))) == ["a b", "c"]


# Which ids are new and which are gone, whichever side is longer (the shorter one is
# hashed): the same as comparing sets.
@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([f"r{i}" for i in range(12)]), unique=True),
       st.lists(st.sampled_from([f"r{i}" for i in range(12)]), unique=True))
def test_added_and_removed_ids_are_those_only_one_side_has(new, old):
    import pandas as pd

    from ledger.storage.diff import _matched

    added, removed = _matched(pd.Index(new, dtype="str"), pd.Index(old, dtype="str"))
    assert [i for i, a in zip(new, added, strict=True) if a] == [i for i in new if i not in old]
    assert [i for i, r in zip(old, removed, strict=True) if r] == [
        i for i in old if i not in new]


def test_a_figure_written_another_way_is_no_change_and_a_real_change_still_is():
    # 83,4 for 83.4, 18.08.2025 for 2025-08-18, "billion EUR" for "bn EUR": as read,
    # the same; the row g only the English file has is the one difference
    english = read_ledger(DATA / "funding_english_notation.csv")
    german = read_ledger(DATA / "funding_german_notation.csv")
    assert diff(english, german).lines() == ["- g"]
    changed = read_ledger((DATA / "funding_english_notation.csv").read_bytes()
                          .replace(b"83.4", b"83.5"))
    assert diff(english, changed).lines() == ["~ n: low: '83.4' → '83.5'"]
