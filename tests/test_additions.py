"""A file of rows to add or update: rows matched by id replaced in place, new ids
added, every other row kept; the rows alone need not be a valid ledger."""

from __future__ import annotations

import pytest

from ledger.core.problems import LedgerError
from ledger.reading.additions import merged
from ledger.reading.schema import read_ledger
from ledger.storage.diff import diff

from .conftest import DATA, ROOT


def test_rows_are_added_and_updated_by_id_and_every_other_row_is_kept():
    # the shipped 78 rows; the file: purl-es updated (100 → 120 m), purl-pt and its
    # flow added (the flow names armament-programme, which only the ledger in use has)
    shipped = (ROOT / "data" / "funding.csv").read_bytes()
    rows = (DATA / "rows_to_add.csv").read_bytes()
    with pytest.raises(LedgerError):
        read_ledger(rows)  # alone, the flow names a need the file lacks
    both = read_ledger(merged(shipped, rows))
    before = read_ledger(shipped)
    assert len(both.frame) == len(before.frame) + 2
    assert diff(before, both).lines() == ["+ purl-pt", "+ purl-pt-buys",
                                          "~ purl-es: low: '100' → '120'"]
    # the update keeps its row's place
    order = list(both.frame["id"])
    assert order.index("purl-es") == list(before.frame["id"]).index("purl-es")


def test_rows_without_an_id_column_are_a_problem_saying_so():
    with pytest.raises(LedgerError) as raised:
        merged((ROOT / "data" / "funding.csv").read_bytes(), b"name,low\nX,1\n")
    assert raised.value.problems[0].column == "id"
