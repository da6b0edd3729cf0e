"""Format version 3: the same money at two stages counted once (`fulfils`), needs
inside needs (`within`), needs no one sizes, and the day a figure became known
(`published`). Each rule first as a hand-computed case, then as a property."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.problems import LedgerError
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .ledgers import ledgers, to_csv

BN = 1e9
DAY = dt.date(2025, 6, 2)
HEADER = ("id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,note,"
          "end,revises,instrument,tags,fulfils,within,published")


def ledger(*rows: str):
    return read_ledger(("\n".join([HEADER, *rows]) + "\n").encode())


def totals(book, **levers) -> dict[str, tuple[float, float]]:
    result = reconcile(book, Scenario(fx_date=DAY, **levers))
    return {k: (v[0] / BN, v[1] / BN) for k, v in result.totals.items()}


NEED = "n,need,N,military,100,,bn EUR,2025-01-02,,,,,,,,,,,,,,"
SOURCE = "s,source,S,,12,,bn EUR,2025-01-02,,,DE,,pledged,,,,,,,,,"
COMMITMENT = "c,flow,C,military,12,,bn EUR,2025-02-01,s,n,,US,committed,,,,,,,,,"


def payment(ident: str, amount: float) -> str:
    return f"{ident},flow,{ident},military,{amount},,bn EUR,2025-03-01,s,n,,US,disbursed,,,,,,,c,,"


def test_payments_fulfilling_a_commitment_count_once_with_it():
    # commitment 12, payments 5 and 4 fulfilling it: the commitment counts for its
    # remainder 12 − 9 = 3, so covered = 3 + 5 + 4 = 12 (not 21); money paid out 9
    book = ledger(NEED, SOURCE, COMMITMENT, payment("p1", 5), payment("p2", 4))
    assert totals(book)["covered"] == (12, 12)
    assert totals(book, statuses=("committed", "allocated", "disbursed"))["covered"] == (12, 12)
    assert totals(book, statuses=("disbursed",))["covered"] == (9, 9)
    # the commitment alone, when the payments are not counted: 12 in full
    assert totals(book, statuses=("committed",))["covered"] == (12, 12)


def test_payments_beyond_the_commitment_count_in_full_and_are_named():
    # a third payment of 5: paid 14 > 12 committed, remainder 0, covered 14
    book = ledger(NEED, SOURCE, COMMITMENT, payment("p1", 5), payment("p2", 4),
                  payment("p3", 5))
    result = reconcile(book, Scenario(fx_date=DAY))
    assert result.totals["covered"] == (14 * BN, 14 * BN)
    beyond = next(f for f in result.findings if f.code == "delivered_beyond")
    assert beyond.rows == ("c",) and beyond.severity == "warning"


def test_a_source_passing_on_a_commitment_and_its_payments_is_not_over_allocated():
    # S has 12: it commits 12 and pays 9 of it; it passes on 3 + 9 = 12, not 21
    book = ledger(NEED, SOURCE, COMMITMENT, payment("p1", 5), payment("p2", 4))
    sources = reconcile(book, Scenario(fx_date=DAY)).sources.set_index("id")
    assert sources.loc["s", "allocated_low"] == pytest.approx(12 * BN)
    assert sources.loc["s", "over_allocated"] == "no"


def test_a_payment_the_as_of_date_leaves_out_fulfils_nothing_yet():
    book = ledger(NEED, SOURCE, COMMITMENT, payment("p1", 5))
    assert totals(book, asof=dt.date(2025, 2, 15))["covered"] == (12, 12)


@pytest.mark.parametrize(("row", "says"), [
    ("p,flow,P,military,1,,bn EUR,2025-03-01,s,n,,US,committed,,,,,,,c,,", "earlier stage"),
    ("p,flow,P,military,1,,bn EUR,2025-03-01,s,n,,US,disbursed,,,,,,,n,,", "is a need"),
    ("p,flow,P,military,1,,bn EUR,2025-03-01,s,n,,US,disbursed,,,,,,,zz,,", "no row has"),
    ("p,flow,P,military,1,,bn EUR,2025-03-01,s,n,,US,,,,,,,,c,,", "stage of its own"),
])
def test_fulfils_names_a_flow_of_an_earlier_stage_or_is_an_error_naming_row_and_column(
        row, says):
    with pytest.raises(LedgerError) as caught:
        ledger(NEED, SOURCE, COMMITMENT, row)
    problem = next(p for p in caught.value.problems if p.column == "fulfils")
    assert problem.row == 5 and says in problem.message


FAMILY = (
    "p,need,Parent,military,90,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
    "a,need,Child A,military,30,50,bn EUR,2025-01-02,,,,,,,,,,,,,p,",
    "b,need,Child B,military,20,,bn EUR,2025-01-02,,,,,,,,,,,,,p,",
    "s,source,S,,500,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
    "fa,flow,FA,military,25,,bn EUR,2025-01-02,s,a,,US,,,,,,,,,,",
    "fp,flow,FP,military,40,,bn EUR,2025-01-02,s,p,,US,,,,,,,,,,",
)


def test_a_family_of_needs_counts_once():
    # need = [max(90, 30 + 20), max(90, 50 + 20)] = [90, 90]; money into any member
    # covers the family: 25 + 40 = 65; gap 90 − 65 = 25
    got = totals(ledger(*FAMILY))
    assert got["need"] == (90, 90)
    assert got["covered"] == (65, 65)
    assert got["gap"] == (25, 25)


def test_children_larger_than_their_parent_set_the_familys_need():
    # children 30–50 and 60 within a parent of 90: need [max(90, 90), max(90, 110)]
    rows = list(FAMILY)
    rows[2] = "b,need,Child B,military,60,,bn EUR,2025-01-02,,,,,,,,,,,,,p,"
    assert totals(ledger(*rows))["need"] == (90, 110)


@pytest.mark.parametrize(("rows", "says"), [
    (("x,need,X,military,1,,bn EUR,2025-01-02,,,,,,,,,,,,,y,",
      "y,need,Y,military,1,,bn EUR,2025-01-02,,,,,,,,,,,,,x,"), "cycle"),
    (("x,need,X,military,1,,bn EUR,2025-01-02,,,,,,,,,,,,,s,",
      "s,source,S,,1,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,"), "is a source"),
    (("x,need,X,military,1,,bn EUR,2025-01-02,,,,,,,,,,,,,x,",), "itself"),
])
def test_within_names_a_broader_need_or_is_an_error_naming_row_and_column(rows, says):
    with pytest.raises(LedgerError) as caught:
        ledger(*rows)
    problem = next(p for p in caught.value.problems if p.column == "within")
    assert problem.row == 2 and says in problem.message


def test_a_need_no_one_sizes_shows_its_money_and_stays_out_of_the_totals():
    # stated 100 with 30 in; unstated with 50 in: need 100, covered 30, gap 70
    book = ledger(
        "n,need,N,military,100,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
        "u,need,U,humanitarian,,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
        "s,source,S,,500,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
        "f1,flow,F1,military,30,,bn EUR,2025-01-02,s,n,,US,,,,,,,,,,",
        "f2,flow,F2,humanitarian,50,,bn EUR,2025-01-02,s,u,,US,,,,,,,,,,",
    )
    result = reconcile(book, Scenario(fx_date=DAY))
    assert result.totals["need"] == (100 * BN, 100 * BN)
    assert result.totals["covered"] == (30 * BN, 30 * BN)
    assert result.totals["gap"] == (70 * BN, 70 * BN)
    needs = result.needs.set_index("id")
    assert needs.loc["u", "covered_low"] == 50 * BN and math.isnan(needs.loc["u", "need_low"])
    assert "need_not_stated" in {f.code for f in result.findings}


def test_a_ledger_that_states_no_need_is_a_tracker_with_no_gap_anywhere():
    import json

    from ledger.present.report import render

    book = ledger(
        "u,need,Military aid,military,,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
        "s,source,S,,500,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
        "f,flow,F,military,50,,bn EUR,2025-01-02,s,u,,US,committed,,,,,,,,,",
    )
    result = reconcile(book, Scenario(fx_date=DAY))
    report = json.loads(render(result, "json"))
    for name in ("need", "gap", "surplus", "net_gap", "coverage"):
        assert report["totals"][name] == [None, None], name
    assert report["totals"]["covered"] == [50 * BN, 50 * BN]


def test_as_known_on_keeps_rows_by_the_day_they_were_published():
    # the Commission's needs for 2026–2027, published 17 Nov 2025: known on 1 Dec 2025
    # though their period starts in 2026, and none of them falls due in 2025
    book = ledger(
        "m,need,M,military,83.4,,bn EUR,2026-01-01,,,,,,,,2027-12-31,,,,,,2025-11-17",
        "s,source,S,,1,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
    )
    result = reconcile(book, Scenario(fx_date=DAY, asof=dt.date(2025, 12, 1)))
    assert result.totals["need"][0] == pytest.approx(83.4 * BN)
    years = result.years.set_index("year")
    assert 2025 not in years.index or years.loc[2025, "need_low"] == 0
    assert years.loc[2026, "need_low"] + years.loc[2027, "need_low"] == pytest.approx(83.4 * BN)


# Properties over a commitment and the flows fulfilling it.
PAYMENTS = st.lists(st.integers(0, 40).map(lambda n: n / 2), min_size=0, max_size=4)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 40).map(lambda n: n / 2), PAYMENTS)
def test_a_remainder_is_never_negative_and_counting_once_never_counts_more(committed,
                                                                          paid):
    rows = [NEED, "s,source,S,,1000,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
            f"c,flow,C,military,{committed},,bn EUR,2025-02-01,s,n,,US,committed,,,,,,,,,"]
    rows += [payment(f"p{i}", amount) for i, amount in enumerate(paid)]
    linked = reconcile(ledger(*rows), Scenario(fx_date=DAY))
    unlinked = reconcile(ledger(*(r.replace(",c,,", ",,,") for r in rows)),
                         Scenario(fx_date=DAY))
    flows = linked.valued.frame.set_index("id")
    assert flows.loc["c", "value_low"] >= 0
    covered = linked.totals["covered"][0] / BN
    assert covered == pytest.approx(max(committed, sum(paid)))
    assert covered <= unlinked.totals["covered"][0] / BN + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 20), st.lists(st.tuples(st.integers(0, 20), st.integers(0, 10)),
                                    min_size=1, max_size=4))
def test_a_familys_need_is_at_least_each_members_need(parent, children):
    rows = [f"p,need,P,military,{parent},,bn EUR,2025-01-02,,,,,,,,,,,,,,"]
    rows += [f"c{i},need,C{i},military,{low},{low + extra},bn EUR,2025-01-02,,,,,,,,,,,,,p,"
             for i, (low, extra) in enumerate(children)]
    got = totals(ledger(*rows))["need"]
    assert got[0] >= parent and got[1] >= parent
    assert got[0] >= max(low for low, _ in children)
    assert got[1] >= max(low + extra for low, extra in children)
    assert got[0] == pytest.approx(max(parent, sum(low for low, _ in children)))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(ledgers())
def test_the_funnel_never_widens_and_the_last_years_cumulative_gap_is_the_total_gap(rows):
    result = reconcile(read_ledger(to_csv(rows)), Scenario(fx_date=DAY))
    stages = result.stages.set_index("stage")
    order = ["pledged", "committed", "allocated", "disbursed"]
    for earlier, later in itertools.pairwise(order):
        for bound in ("covered_low", "covered_high"):
            assert stages.loc[earlier, bound] >= stages.loc[later, bound] - 1e-6
        for bound in ("gap_low", "gap_high"):
            assert stages.loc[earlier, bound] <= stages.loc[later, bound] + 1e-6
    years, gap = result.years, result.totals["gap"]
    if len(years) and not math.isnan(gap[0]):
        last = years.iloc[-1]
        assert last["cumulative_gap_low"] == pytest.approx(gap[0], rel=1e-9, abs=1e-3)
        assert last["cumulative_gap_high"] == pytest.approx(gap[1], rel=1e-9, abs=1e-3)


def test_a_trackers_csv_report_leaves_the_sizes_no_one_states_empty():
    from ledger.present.report import render

    book = ledger(
        "u,need,Military aid,military,,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
        "s,source,S,,500,,bn EUR,2025-01-02,,,DE,,,,,,,,,,,",
        "f,flow,F,military,50,,bn EUR,2025-01-02,s,u,,US,committed,,,,,,,,,",
    )
    lines = render(reconcile(book, Scenario(fx_date=DAY)), "csv").decode().splitlines()
    assert lines[1] == "u,Military aid,military,,,50000000000.00,50000000000.00,,,,,EUR"
    assert "nan" not in "".join(lines)


def test_the_total_need_names_each_family_once_with_everything_within_it():
    # C is within B, B within A: one family headed by A, holding B and C (not "B (with C)")
    from ledger.present.headline import families_sentence

    book = ledger(
        "a,need,A,military,90,,bn EUR,2025-01-02,,,,,,,,,,,,,,",
        "b,need,B,military,40,,bn EUR,2025-01-02,,,,,,,,,,,,,a,",
        "c,need,C,military,10,,bn EUR,2025-01-02,,,,,,,,,,,,,b,",
    )
    sentence = families_sentence(reconcile(book, Scenario(fx_date=DAY)))
    assert sentence.endswith(": A (with B, C).")
