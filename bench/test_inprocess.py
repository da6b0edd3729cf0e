"""In-process benchmarks (pytest-benchmark) of conversion and reconciliation.

    make bench          # or: .venv/bin/python -m pytest bench --benchmark-only
"""

from __future__ import annotations

import pytest

from bench.synthetic import csv_bytes
from ledger.money.fx import convert_factors
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import default_rates, reconcile
from ledger.rules.scenario import Scenario

SIZES = [10_000, 100_000]


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n:,}-flows")
def ledger(request):
    return read_ledger(csv_bytes(request.param))


@pytest.fixture(scope="module")
def rates():
    return default_rates()


def test_bench_conversion_one_factor_per_currency_and_date(benchmark, ledger, rates):
    frame = ledger.frame
    result = benchmark(convert_factors, frame["currency"], frame["date"], "EUR", rates,
                       "row-date", None)
    assert len(result.factor) == len(frame)


def test_bench_reconcile_with_every_lever(benchmark, ledger, rates):
    scenario = Scenario(currency="USD", shift_us_to_europe=0.2,
                        availability=(("s1", 0.5),), statuses=("pledged", "committed"))
    result = benchmark(reconcile, ledger, scenario, rates)
    assert result.totals["need"][0] > 0


def test_bench_read_and_validate(benchmark):
    data = csv_bytes(100_000)
    result = benchmark.pedantic(read_ledger, args=(data,), rounds=3, iterations=1)
    assert len(result.frame) == 100_300
