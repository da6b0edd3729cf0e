from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.money.fx import RateTable, convert_quantity, rate_table
from ledger.money.units import Q_
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .ledgers import CURRENCIES, ledgers, to_csv

SCENARIO = Scenario(fx_date=dt.date(2025, 6, 2))
RATES = rate_table()
pytestmark = pytest.mark.slow  # every test here is a property over random ledgers
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
        assert a.totals[key] == pytest.approx(b.totals[key], rel=1e-12, nan_ok=True)
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
        # a share of no need at all is not a number (coverage of a zero need: NaN, null
        # in JSON), never a range with one bound missing
        assert (math.isnan(low) and math.isnan(high)) or low <= high


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


@PROPERTY
@given(ledgers())
def test_the_gap_is_at_least_the_net_gap_and_coverage_at_most_one(rows):
    totals = run(rows).totals
    for bound in (0, 1):
        net = totals["net_gap"][bound]
        assert totals["gap"][bound] >= net - 1e-9 * abs(net) - 1e-6
    low, high = totals["coverage"]
    assert np.isnan(high) or high <= 1 + 1e-12
    assert np.isnan(low) or 0 <= low <= high


@PROPERTY
@given(ledgers(), st.sampled_from(CURRENCIES[1:]), st.floats(0.2, 5.0))
def test_rates_on_flow_dates_never_flip_an_over_allocation_within_one_currency(
        rows, currency, factor):
    # every row in one currency; then move that currency's rate on the flows' dates
    # alone (the sources' dates keep theirs): over-allocation must not change
    rows = [r | {"unit": "bn " + currency} for r in rows]
    source_days = {r["date"] for r in rows if r["kind"] == "source"}
    flow_days = {r["date"] for r in rows if r["kind"] == "flow"} - source_days
    frame = RATES.frame.copy()
    for day in flow_days:
        stamp = pd.Timestamp(day)
        if stamp not in frame.index:
            frame.loc[stamp] = frame[frame.index < stamp].ffill().iloc[-1]
        frame.loc[stamp, currency] *= factor
    moved = RateTable(frame.sort_index(), RATES.sources)
    ledger = read_ledger(to_csv(rows))
    scenario = Scenario(fx_mode="row-date")
    before = reconcile(ledger, scenario, RATES).sources["over_allocated"].tolist()
    after = reconcile(ledger, scenario, moved).sources["over_allocated"].tolist()
    assert before == after


@PROPERTY
@given(ledgers(), st.data())
def test_lowering_an_availability_never_raises_covered_or_any_donor_blocs_money(rows, data):
    ledger = read_ledger(to_csv(rows))
    sources = [r["id"] for r in rows if r["kind"] == "source"]
    others = tuple((s, data.draw(st.sampled_from([0.0, 0.5, 1.0]))) for s in sources[1:])
    lowered = data.draw(st.sampled_from(sources))
    share = data.draw(st.floats(0.0, 1.0))
    base = Scenario(fx_date=SCENARIO.fx_date, availability=others)
    kept = tuple((s, v) for s, v in others if s != lowered)
    low = Scenario(fx_date=SCENARIO.fx_date, availability=(
        *kept, (lowered, share * dict(others).get(lowered, 1.0))))
    a, b = reconcile(ledger, base, RATES), reconcile(ledger, low, RATES)
    slack = 1 + 1e-9
    for bound in ("covered_low", "covered_high"):
        assert (b.needs[bound] <= a.needs[bound] * slack + 1e-6).all()
    for bound in ("amount_low", "amount_high"):
        before = a.payer_supplier.groupby("donor_bloc")[bound].sum()
        after = b.payer_supplier.groupby("donor_bloc")[bound].sum()
        for bloc, value in after.items():
            assert value <= before.get(bloc, 0.0) * slack + 1e-6, (bloc, bound)


@PROPERTY
@given(st.lists(st.sampled_from(["DE", "FR", "US", "UA", "JP", "PL", "EU", "G7"]),
                min_size=1, max_size=5, unique=True),
       st.lists(st.integers(1, 100), min_size=5, max_size=5), st.booleans())
def test_a_joint_packages_donor_shares_sum_to_the_source(codes, weights, weighted):
    donor = ";".join(f"{c}:{w}" if weighted else c for c, w in zip(codes, weights,
                                                                    strict=False))
    ledger = read_ledger(to_csv([
        {"id": "n", "kind": "need", "name": "N", "category": "military", "low": "1000",
         "unit": "bn EUR", "date": "2025-01-02"},
        {"id": "s", "kind": "source", "name": "S", "low": "100", "unit": "bn EUR",
         "date": "2025-01-02", "donor": donor},
        {"id": "f", "kind": "flow", "name": "F", "category": "military", "low": "70",
         "high": "90", "unit": "bn EUR", "date": "2025-01-02", "from": "s", "to": "n",
         "industry": "US"}]))
    result = reconcile(ledger, SCENARIO, RATES)
    payer = result.payer_supplier
    assert payer["amount_low"].sum() == pytest.approx(70e9)
    assert payer["amount_high"].sum() == pytest.approx(90e9)
    assert result.donor_mix.loc["s"].sum() == pytest.approx(1.0)


@PROPERTY
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100), st.floats(0.1, 100),
                          st.floats(0, 100)), min_size=1, max_size=5))
def test_total_coverage_is_the_exact_range_of_the_covered_share(parts):
    # each need [n, n + w] with covered [c, c + v]: the share Σ min(c, n) / Σ n is at
    # its extremes with every covered amount at a bound and every need at a bound or
    # at the covered amount: try every such corner
    import itertools

    from ledger.rules.intervals import covered_share

    c_lo = np.array([p[0] for p in parts])
    c_hi = c_lo + np.array([p[1] for p in parts])
    n_lo = np.array([p[2] for p in parts])
    n_hi = n_lo + np.array([p[3] for p in parts])
    low, high = covered_share(c_lo, c_hi, n_lo, n_hi)
    seen = []
    for covered in (c_lo, c_hi):
        options = [sorted({n_lo[i], n_hi[i], float(np.clip(covered[i], n_lo[i], n_hi[i]))})
                   for i in range(len(parts))]
        for needs in itertools.product(*options):
            n = np.array(needs)
            seen.append(np.minimum(covered, n).sum() / n.sum())
    assert low == pytest.approx(min(seen), rel=1e-9)
    assert high == pytest.approx(max(seen), rel=1e-9)
    assert 0 <= low <= high <= 1 + 1e-12
