from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.fx import convert_quantity, rate_table
from ledger.reconcile import reconcile
from ledger.scenario import Scenario
from ledger.schema import read_ledger
from ledger.units import Q_

from .ledgers import CURRENCIES, ledgers, to_csv

SCENARIO = Scenario(fx_date=dt.date(2025, 6, 2))
RATES = rate_table()
PROPERTY = settings(max_examples=40, deadline=None)


def run(rows):
    return reconcile(read_ledger(to_csv(rows)), SCENARIO, RATES)


@PROPERTY
@given(ledgers(), st.randoms(use_true_random=False))
def test_row_order_changes_no_result(rows, rnd):
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    a, b = run(rows), run(shuffled)
    for key in a.totals:
        assert a.totals[key] == pytest.approx(b.totals[key], rel=1e-12)
    pa = a.needs.set_index("id").sort_index()
    pb = b.needs.set_index("id").sort_index()
    assert np.allclose(pa[["covered_low", "covered_high"]], pb[["covered_low", "covered_high"]],
                       rtol=1e-12)


@PROPERTY
@given(ledgers(), st.sampled_from([0.5, 2.0, 10.0, 1000.0]))
def test_multiplying_every_amount_by_k_multiplies_every_total_by_k(rows, k):
    scaled = [r | {"low": repr(float(r["low"]) * k),
                   "high": repr(float(r["high"]) * k) if r["high"] else ""} for r in rows]
    a, b = run(rows), run(scaled)
    for key in ("need", "covered", "gap"):
        assert b.totals[key] == pytest.approx(tuple(v * k for v in a.totals[key]), rel=1e-9,
                                              abs=1e-6)


@PROPERTY
@given(ledgers())
def test_totals_equal_the_sum_of_their_parts(rows):
    result = run(rows)
    covered = result.totals["covered"]
    assert result.needs["need_low"].sum() == pytest.approx(result.totals["need"][0])
    assert result.industry["amount_low"].sum() == pytest.approx(covered[0], rel=1e-9, abs=1e-6)
    assert result.industry["amount_high"].sum() == pytest.approx(covered[1], rel=1e-9, abs=1e-6)
    payer = result.payer_supplier
    assert payer["amount_low"].sum() == pytest.approx(covered[0], rel=1e-9, abs=1e-6)
    assert payer["amount_high"].sum() == pytest.approx(covered[1], rel=1e-9, abs=1e-6)


@PROPERTY
@given(ledgers())
def test_every_low_is_at_most_its_high(rows):
    result = run(rows)
    for frame, names in ((result.needs, ("need", "covered", "gap", "coverage")),
                         (result.sources, ("available", "allocated", "headroom")),
                         (result.industry, ("amount", "share")),
                         (result.payer_supplier, ("amount",))):
        for name in names:
            low, high = frame[f"{name}_low"], frame[f"{name}_high"]
            both = low.notna() & high.notna()
            assert (low[both] <= high[both] + 1e-12 * high[both].abs() + 1e-9).all(), name
    for low, high in result.totals.values():
        assert low <= high


@PROPERTY
@given(st.floats(0.01, 1e13), st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES),
       st.dates(dt.date(1999, 1, 4), dt.date(2026, 10, 30)))
def test_a_to_b_to_a_returns_the_amount(amount, a, b, day):
    there = convert_quantity(Q_(amount, a), b, day, RATES)
    assert convert_quantity(there, a, day, RATES).magnitude == pytest.approx(amount, rel=1e-12)


def test_seeded_generator_is_deterministic():
    from .ledgers import ledger_rows

    assert to_csv(ledger_rows(random.Random(42), 5, 5, 20, 3)) == to_csv(
        ledger_rows(random.Random(42), 5, 5, 20, 3))
