"""Findings are data: severity, code, rows, count and numbers; words come later."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.reading.schema import read_ledger
from ledger.rules.findings import CODES, MAX_ROWS_NAMED, Finding
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

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


# What is found in the ledger itself (identical flows, codes not in the bloc table) is
# the same in every view: found once per ledger and bloc table.
SAME_TWICE = csv_bytes(
    "n,need,Arms,military,10,,bn EUR,2025-01-02,,,,,estimate,r,",
    "s,source,Money,,20,,bn EUR,2025-01-02,,,EU,,committed,r,",
    "f1,flow,Order,military,2,,bn EUR,2025-01-02,s,n,,US,committed,r,",
    "f2,flow,Order again,military,2,,bn EUR,2025-01-02,s,n,,US,committed,r,",
    "f3,flow,Order,military,3,,bn EUR,2025-01-02,s,n,,XX,committed,r,",
)


def test_findings_about_the_ledger_itself_are_found_once_and_hold_in_every_view(monkeypatch):
    from dataclasses import replace

    from ledger.reading.blocs import load_blocs
    from ledger.rules import findings
    from ledger.rules.findings import ledger_findings

    looked = []
    hashing = findings._duplicate_flows
    monkeypatch.setattr(findings, "_duplicate_flows",
                        lambda ledger: looked.append(1) or hashing(ledger))
    ledger = read_ledger(SAME_TWICE)
    views = [reconcile(ledger, Scenario(fx_date=DAY, currency=c)) for c in ("EUR", "USD")]
    for view in views:
        found = {f.code: f for f in view.findings}
        assert found["duplicate_flow"].rows == ("f1", "f2")
        assert found["unknown_industry_code"].rows == ("f3",)
    assert len(looked) == 1  # the second view read what the first found
    first = ledger_findings(ledger, load_blocs())
    assert ledger_findings(ledger, load_blocs()) == first
    assert [key for key in ledger.derived if key[0] == "findings"] == [
        ("findings", tuple(sorted(load_blocs().items())))]  # one bloc table, kept once
    # another bloc table that knows XX: found again for it, XX no longer unknown
    codes = [f.code for f in ledger_findings(ledger, load_blocs() | {"XX": "Other"})]
    assert "unknown_industry_code" not in codes and "duplicate_flow" in codes
    # a copy with other rows finds for itself
    copy = replace(ledger, frame=ledger.frame.iloc[:3])  # f2 left out
    assert copy.derived == {}
    assert "duplicate_flow" not in [f.code for f in ledger_findings(copy, load_blocs())]
