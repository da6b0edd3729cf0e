"""Sentences and single figures that state what a reconciliation shows."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.present.insights import headline, largest_gap, largest_source_reach
from ledger.reading.schema import read_ledger
from ledger.rules.headline import european_money_in_us_industry
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA, csv_bytes

DAY = dt.date(2025, 1, 2)


def test_european_money_in_us_industry_follows_money_through_pools():
    # passthrough.csv: the fund (EU 60 + US 40) buys 50 from US industry, so Europe's
    # part is 50 × 0.6 = 30
    result = reconcile(read_ledger(DATA / "passthrough.csv"), Scenario(fx_date=DAY))
    assert european_money_in_us_industry(result) == pytest.approx((30e9, 30e9))


def test_largest_source_reach_is_at_full_availability():
    # a 300 bn source halved still "could cover at most" 300 / 1000 of the needs
    ledger = read_ledger(csv_bytes(
        "n,need,N,military,1000,,bn EUR,2025-01-02,,,,,,,",
        "s,source,Big,,300,,bn EUR,2025-01-02,,,EU,,,,",
    ))
    result = reconcile(ledger, Scenario(fx_date=DAY, availability=(("s", 0.5),)))
    assert largest_source_reach(result) == ("Big", pytest.approx(0.3))
    assert "would cover at most 30 % of the needs" in headline(result)


def test_the_largest_gap_is_the_need_lacking_most_not_the_widest_signed_gap():
    ledger = read_ledger(csv_bytes(
        "a,need,A,military,100,,bn EUR,2025-01-02,,,,,,,",
        "b,need,B,military,40,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,500,,bn EUR,2025-01-02,,,EU,,,,",
        "f,flow,F,military,90,,bn EUR,2025-01-02,s,a,,US,,,",
    ))
    result = reconcile(ledger, Scenario(fx_date=DAY))
    assert largest_gap(result.needs)["id"] == "b"


def test_a_ledger_without_needs_says_so():
    ledger = read_ledger(csv_bytes("s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,"))
    assert headline(reconcile(ledger, Scenario(fx_date=DAY))) == (
        "This ledger has no needs to cover.")
