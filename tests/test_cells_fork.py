"""Columns checked on a second thread (ledger.reading.cells.Cells.fork/join): their problems
land where a single thread would have put them, and none is lost past the cap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ledger.core.problems import MAX_PROBLEMS, LedgerError, Problem
from ledger.reading.cells import Cells
from ledger.reading.schema import read_ledger

from .conftest import ROOT, csv_bytes, threads_always


def checker(rows: int = 3) -> Cells:
    raw = pd.DataFrame({"low": ["1"] * rows}, dtype="str")
    return Cells(raw, pd.Series(np.arange(2, rows + 2)), 1, ",")


def test_a_forks_problems_join_where_the_checker_stood_when_it_forked():
    # main flags row 2 before forking and row 4 after; the fork flags row 3:
    # joined, the order is that of one thread checking column after column: 2, 3, 4
    main = checker()
    main.flag(np.array([True, False, False]), "id", "first")
    at, fork = main.mark(), main.fork()
    fork.flag(np.array([False, True, False]), "low", "second")
    fork.warnings.append(Problem(None, None, "decimal commas", "warning"))
    main.flag(np.array([False, False, True]), "status", "third")
    main.join(fork, at)
    assert [(p.row, p.message) for p in main.problems] == [
        (2, "first"), (3, "second"), (4, "third")]
    assert [w.message for w in main.warnings] == ["decimal commas"]
    assert main.more == 0


def test_joined_problems_past_the_cap_are_counted_not_listed():
    # main: MAX_PROBLEMS - 2 before the fork, 5 after; the fork: 4 (and 1 it only
    # counted). Joined: MAX_PROBLEMS listed (main's first, then the fork's), and
    # (MAX - 2 + 5 + 4 + 1) - MAX = 8 counted
    main, rows = checker(MAX_PROBLEMS + 10), MAX_PROBLEMS + 10
    first = np.zeros(rows, dtype=bool)
    first[: MAX_PROBLEMS - 2] = True
    main.flag(first, "id", "before")
    at, fork = main.mark(), main.fork()
    fork.problems.extend([Problem(i, "low", "fork") for i in range(4)])
    fork.more = 1
    main.flag(np.arange(rows) < 5, "status", "after")
    main.join(fork, at)
    assert len(main.problems) == MAX_PROBLEMS
    assert [p.message for p in main.problems[MAX_PROBLEMS - 2:]] == ["fork", "fork"]
    assert main.more == 8


@settings(max_examples=20, deadline=None)
@given(amounts=st.integers(0, 1_500), statuses=st.integers(0, 1_500),
       dates=st.integers(0, 300))
def test_every_bad_cell_is_listed_or_counted_whichever_thread_found_it(
        amounts, statuses, dates):
    # bad amounts and dates are found on the second thread, bad statuses on the first
    rows = []
    for i in range(max(amounts, statuses, dates, 1)):
        low = "x" if i < amounts else "1"
        status = "nope" if i < statuses else "pledged"
        day = "2025-13-01" if i < dates else "2025-01-01"
        rows.append(f"n{i},need,Need {i},military,{low},,bn EUR,{day},,,,,{status},ref,")
    bad = amounts + statuses + dates
    with threads_always():  # as for a large ledger, whatever this one's size
        if not bad:
            assert len(read_ledger(csv_bytes(*rows)).frame) == len(rows)
            return
        with pytest.raises(LedgerError) as caught:
            read_ledger(csv_bytes(*rows))
    assert caught.value.total == bad
    listed = [p for p in caught.value.problems if p.row is not None]
    assert len(listed) == min(bad, MAX_PROBLEMS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abzAZ09 _-;éÉİß\u00a0"), max_size=6),
                min_size=1, max_size=30))
@example(["Z"])
@example(["A", "a"])
@example(["@[`{"])  # the neighbours of A–Z and a–z: nothing to lower
@example(["n1", "flow"])
def test_a_column_lowered_or_left_as_it_is_reads_as_str_lower_reads_it(cells):
    # a column with no A-Z and nothing beyond ASCII is left as it is; any other is
    # lowered: either way each cell is what pandas' str.lower (after the trim) makes
    # of it (Arrow's lowering: 'İ' → 'i')
    raw = pd.DataFrame({"kind": cells}, dtype="str")
    c = Cells(raw, pd.Series(np.arange(2, len(cells) + 2)), 1, ",")
    expected = raw["kind"].str.strip().str.lower().tolist()
    assert c.lower("kind").tolist() == expected


def test_a_small_ledger_and_the_same_ledger_read_on_two_cores_are_the_same(shipped):
    # under PARALLEL_ROWS the columns are checked in one thread; forced onto threads,
    # every column, problem and the data version come out the same
    alone = read_ledger(shipped)
    with threads_always():
        threaded = read_ledger(shipped)
    assert threaded.data_version == alone.data_version
    pd.testing.assert_frame_equal(threaded.frame, alone.frame)
    bad = (ROOT / "tests" / "data" / "errors_many.csv").read_bytes()
    with pytest.raises(LedgerError) as one:
        read_ledger(bad)
    with threads_always(), pytest.raises(LedgerError) as two:
        read_ledger(bad)
    assert two.value.problems == one.value.problems
