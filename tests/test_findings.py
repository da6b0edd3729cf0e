"""Findings are data: severity, code, rows, count and numbers; words come later."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.findings import CODES, MAX_ROWS_NAMED, Finding
from ledger.reconcile import reconcile
from ledger.scenario import Scenario
from ledger.schema import read_ledger

from .conftest import csv_bytes

DAY = dt.date(2025, 1, 2)


def test_a_finding_carries_the_numbers_its_sentence_quotes():
    # need 10 covered 15: a certain surplus of 5 bn
    ledger = read_ledger(csv_bytes(
        "n,need,N,military,10,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,50,,bn EUR,2025-01-02,,,EU,,,,",
        "f,flow,F,military,15,,bn EUR,2025-01-02,s,n,,US,,,",
    ))
    [surplus] = [f for f in reconcile(ledger, Scenario(fx_date=DAY)).findings
                 if f.code == "surplus"]
    assert surplus.numbers == {"amount": (5e9, 5e9), "currency": "EUR"}
    assert (surplus.severity, surplus.rows, surplus.count) == ("warning", ("n",), 1)


def test_a_finding_names_at_most_a_hundred_rows_and_counts_them_all():
    rows = [f"n{i},need,N,military,1,,bn EUR,2025-01-02,,,,,,," for i in range(150)]
    result = reconcile(read_ledger(csv_bytes(*rows)), Scenario(fx_date=DAY))
    [uncovered] = [f for f in result.findings if f.code == "need_without_flow"]
    assert len(uncovered.rows) == MAX_ROWS_NAMED and uncovered.count == 150


def test_an_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown finding code"):
        Finding("info", "no_such_code", (), 0)


def test_findings_come_errors_first_then_warnings_then_information():
    ledger = read_ledger(csv_bytes(
        "n,need,N,military,10,,bn EUR,2025-01-02,,,,,assumption,,",
        "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,,,",
        "t,source,T,,5,,bn EUR,2025-01-02,,,XX,,,,",
        "f,flow,F,military,15,,bn EUR,2025-01-02,s,n,,,,,",
    ))
    severities = [f.severity for f in reconcile(ledger, Scenario(fx_date=DAY)).findings]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert severities[0] == "error" and "info" in severities


def test_every_code_is_unique():
    assert len(CODES) == len(set(CODES))
