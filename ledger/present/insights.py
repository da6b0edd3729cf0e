"""Plain sentences that state what a reconciliation shows."""

from __future__ import annotations

import math

import pandas as pd

from ledger.core.language import _
from ledger.present.formatting import money_range, percent, percent_range
from ledger.rules.headline import coverage_share
from ledger.rules.reconcile import Reconciliation
from ledger.rules.stages import STAGE_WORDS, STAGES, stage_or_further


def largest_source_reach(result: Reconciliation) -> tuple[str, float] | None:
    """The largest source at full availability and the most of the needs it could cover."""
    sources = result.sources
    need_low = result.totals["need"][0]
    if sources.empty or need_low <= 0:
        return None
    top = sources.loc[sources["full_high"].idxmax()]
    return str(top["name"]), float(top["full_high"]) / need_low


def headline(result: Reconciliation) -> str:
    """One sentence with the main finding, computed; it names the stage it counts."""
    c = result.currency
    need, gap = result.totals["need"], result.totals["gap"]
    if result.needs.empty or need[1] == 0:
        return _("This ledger has no needs to cover.")
    if math.isnan(need[1]):
        return showing(result) + tracker_sentence(result)
    share = coverage_share(result)
    surplus = result.totals["surplus"]
    sentence = showing(result) + _(
        "Needs of {need} are covered {share}, {counting}, leaving a gap of {gap}.").format(
        need=money_range(*need, c), share=percent_range(*share),
        counting=counting(result.scenario.statuses), gap=money_range(*gap, c))
    if surplus[1] > 0:
        sentence += " " + _("A further {surplus} exceeds what some needs require; it does "
                            "not fill other needs' gaps.").format(
            surplus=money_range(*surplus, c))
    reach = largest_source_reach(result)
    if reach and reach[1] < 1:
        name, at_most = reach
        sentence += " " + _("Even fully mobilised, the largest source ({name}) would cover at "
                            "most {share} of the needs.").format(name=name,
                                                                 share=percent(at_most))
    return sentence


def counting(statuses: tuple[str, ...] | None) -> str:
    """Which money a figure counts, in words ("counting money paid out")."""
    if statuses is None:
        return _("counting every stage, assumptions included")
    staged = tuple(s for s in statuses if s in STAGES)
    for stage in STAGES:
        if staged == stage_or_further(stage):
            extra = [s for s in statuses if s not in STAGES]
            return _(STAGE_WORDS[stage]) + (" " + _("and {statuses}").format(
                statuses=", ".join(_(s) for s in extra)) if extra else "")
    return _("counting flows that are {statuses}").format(
        statuses=", ".join(_(s) for s in statuses)) if statuses else _("counting nothing")


def tracker_sentence(result: Reconciliation) -> str:
    """A ledger that states no need records who gives what; it has no gap to state."""
    covered = result.totals["covered"]
    needs = len(result.needs)
    return _("This ledger states no need: it records {covered} given to {aims} aim(s), "
             "{counting}; with no need stated, it has no gap or coverage to state.").format(
        covered=money_range(*covered, result.currency), aims=f"{needs:,}",
        counting=counting(result.scenario.statuses))


def showing(result: Reconciliation) -> str:
    """Which part of the ledger the figures are of ("" for a ledger without parts)."""
    from ledger.rules.scope import ARTICLE_TAG, PART_WORDS, RECORD_TAG, has_tag

    part = result.scenario.part
    if part == "all":
        frame = result.valued.frame
        if not (has_tag(frame["tags"], ARTICLE_TAG).any()
                or has_tag(frame["tags"], RECORD_TAG).any()):
            return ""
    return _("Showing {part}.").format(part=_(PART_WORDS[part])) + " "


def largest_gap(needs: pd.DataFrame) -> pd.Series | None:
    """The need that lacks the most (uncovered, at the high end), among those whose
    size is stated; None when none is."""
    uncovered = needs["uncovered_high"]
    if needs.empty or uncovered.isna().all():
        return None
    return needs.loc[uncovered.idxmax()]


def leading_industry_by_category(result: Reconciliation) -> pd.Series | None:
    """In the category with the most money to known industry, the bloc that gets the
    most of it (with its share of all orders and of those whose industry is known)."""
    table = result.industry_by_category
    known = table[table["bloc"] != "Unknown"]
    if known.empty:
        return None
    category = known.groupby("category")["amount_high"].sum().idxmax()
    part = known[known["category"] == category]
    return part.loc[part["amount_high"].idxmax()]
