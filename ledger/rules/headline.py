"""The headline figures every page and report leads with, computed once from a
reconciliation (worded in `ledger.present`)."""

from __future__ import annotations

from ledger.rules.intervals import Interval
from ledger.rules.reconcile import Reconciliation


def coverage_share(result: Reconciliation) -> Interval:
    """Σ min(covered, need) / need: a surplus on one need never counts for another."""
    return result.totals["coverage"]


def european_money_in_us_industry(result: Reconciliation) -> Interval:
    """Money from European donors spent on orders to US industry."""
    frame = result.payer_supplier
    hit = frame[(frame["donor_bloc"] == "Europe") & (frame["industry_bloc"] == "United States")]
    return float(hit["amount_low"].sum()), float(hit["amount_high"].sum())
