"""Reported against assumed: every headline figure split in two, hand-computed."""

from __future__ import annotations

import json

import pytest

from ledger.assumed import reported_result, splits, uses_assumptions
from ledger.reconcile import reconcile
from ledger.report import render
from ledger.scenario import Scenario
from ledger.schema import read_ledger

from .conftest import csv_bytes

BN = 1e9
LEDGER = csv_bytes(
    "n,need,Arms,military,100,,bn EUR,2025-01-02,,,,,estimate,r,",
    "eu,source,EU money,,100,,bn EUR,2025-01-02,,,EU,,committed,r,",
    "rep,flow,Reported,military,30,,bn EUR,2025-01-02,eu,n,,US,committed,r,",
    "ass,flow,Assumed,military,20,40,bn EUR,2025-01-02,eu,n,,US,assumption,r,why not",
)


def bn(pair):
    return tuple(round(v / BN, 9) for v in pair)


def test_each_headline_figure_splits_into_reported_and_assumed():
    # need 100; reported 30 and assumed 20–40 → covered 50–70 = 30 reported + 20–40
    # assumed; the gap is 30–50, counting only what is reported 70; coverage 50–70 %
    # against 30 %; European money in US industry 50–70 of which 30 reported
    ledger = read_ledger(LEDGER)
    result = reconcile(ledger)
    split = splits(result, reported_result(ledger, result))
    assert bn(split.covered.total) == (50, 70)
    assert bn(split.covered.reported) == (30, 30)
    assert bn(split.covered.assumed) == (20, 40)
    assert bn(split.gap.total) == (30, 50) and bn(split.gap.reported) == (70, 70)
    assert split.coverage.reported == pytest.approx((0.3, 0.3))
    assert bn(split.europe_to_us.assumed) == (20, 40)
    assert split.covered.rests_on_assumptions


def test_a_view_without_assumptions_is_its_own_reported_view():
    ledger = read_ledger(LEDGER)
    record = reconcile(ledger, Scenario(part="record"))
    assert not uses_assumptions(record)
    assert reported_result(ledger, record) is record
    assert not splits(record, record).covered.rests_on_assumptions


def test_reports_carry_the_split():
    ledger = read_ledger(LEDGER)
    result = reconcile(ledger)
    reported = reported_result(ledger, result)
    data = json.loads(render(result, "json", reported=reported))
    assert data["reported"]["covered"] == {"reported": [30 * BN, 30 * BN],
                                           "assumed": [20 * BN, 40 * BN]}
    assert json.loads(render(result, "json"))["reported"] is None  # not computed
    html = render(result, "html", reported=reported).decode()
    assert "These figures rest on assumptions: €20–40 bn of the €50–70 bn covered" in html
