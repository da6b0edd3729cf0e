"""Golden reports of the shipped ledger. Regenerate after an intended change with
`UPDATE_GOLDEN=1 make test` and review the diff."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from ledger.reconcile import reconcile
from ledger.report import render
from ledger.scenario import Scenario
from ledger.schema import read_ledger

from .conftest import DATA

GOLDEN = DATA / "golden"
PINNED = Scenario(fx_date=dt.date(2026, 10, 30))  # pinned: the default moves with the ECB data


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_shipped_ledger_report_matches_golden_file(shipped, fmt):
    output = render(reconcile(read_ledger(shipped), PINNED), fmt)
    golden = GOLDEN / f"funding.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(output)
    assert output.decode() == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_same_ledger_and_scenario_give_byte_identical_reports(shipped, fmt):
    ledger = read_ledger(shipped)
    assert render(reconcile(ledger, PINNED), fmt) == render(reconcile(ledger, PINNED), fmt)
