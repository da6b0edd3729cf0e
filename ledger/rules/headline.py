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
    frame = result.payer_supplier  # a few dozen cells: compared as arrays, not as a frame
    hit = ((frame["donor_bloc"].to_numpy(dtype=object) == "Europe")
           & (frame["industry_bloc"].to_numpy(dtype=object) == "United States"))
    return (float(frame["amount_low"].to_numpy(dtype=float)[hit].sum()),
            float(frame["amount_high"].to_numpy(dtype=float)[hit].sum()))
