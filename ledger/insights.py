"""Plain sentences that state what a reconciliation shows."""

from __future__ import annotations

import pandas as pd

from ledger.formatting import money_range, percent, percent_range
from ledger.reconcile import Interval, Reconciliation


def coverage_share(result: Reconciliation) -> Interval:
    need_low, need_high = result.totals["need"]
    cov_low, cov_high = result.totals["covered"]
    return (cov_low / need_high if need_high else float("nan"),
            cov_high / need_low if need_low else float("nan"))


def european_money_in_us_industry(result: Reconciliation) -> Interval:
    """Money from European donors spent on orders to US industry."""
    frame = result.payer_supplier
    hit = frame[(frame["donor_bloc"] == "Europe") & (frame["industry_bloc"] == "United States")]
    return float(hit["amount_low"].sum()), float(hit["amount_high"].sum())


def largest_source_reach(result: Reconciliation) -> tuple[str, float] | None:
    """The largest source at full availability and the most of the needs it could cover."""
    sources = result.valued.frame
    sources = sources[sources["kind"] == "source"]
    need_low = result.totals["need"][0]
    if sources.empty or need_low <= 0:
        return None
    top = sources.loc[sources["full_high"].idxmax()]
    return str(top["name"]), float(top["full_high"]) / need_low


def headline(result: Reconciliation) -> str:
    """One sentence with the main finding, computed."""
    c = result.currency
    need, covered, gap = result.totals["need"], result.totals["covered"], result.totals["gap"]
    if need[1] == 0:
        return "This ledger has no needs to cover."
    share = coverage_share(result)
    sentence = (f"Needs of {money_range(*need, c)} are covered {money_range(*covered, c)} "
                f"({percent_range(*share)}), leaving a gap of {money_range(*gap, c)}.")
    reach = largest_source_reach(result)
    if reach and reach[1] < 1:
        name, at_most = reach
        sentence += (f" Even fully mobilised, the largest source ({name}) would cover at most "
                     f"{percent(at_most)} of the needs.")
    return sentence


def largest_gap(needs: pd.DataFrame) -> pd.Series | None:
    if needs.empty:
        return None
    return needs.loc[needs["gap_high"].idxmax()]
