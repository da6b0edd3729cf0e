"""The headline block every page and report leads with — need, covered, gap,
coverage, surplus, net gap, European money in US industry, and the notice when
figures rest on assumptions — built once, with one label and one help text per
figure. The Overview, the HTML and Excel reports and the JSON report's `reported`
part all read it, so they cannot word or split a figure differently."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ledger.core.language import N_, _
from ledger.present.formatting import money_range, percent_range
from ledger.present.insights import headline
from ledger.rules.assumed import Split, splits, uses_assumptions
from ledger.rules.families import family_members
from ledger.rules.headline import coverage_share, european_money_in_us_industry
from ledger.rules.intervals import Interval
from ledger.rules.reconcile import Reconciliation


@dataclass(frozen=True)
class Figure:
    """One headline figure: its value, how it reads, and, where the view counts
    assumptions, the part reported by someone and the part assumed."""

    key: str
    label: str
    value: Interval
    ratio: bool  # a share (coverage), not an amount
    help: str = ""
    split: Split | None = None  # None: the split is not known (no reported view given)

    @property
    def reported(self) -> Interval | None:
        return None if self.split is None else self.split.reported

    @property
    def assumed(self) -> Interval | None:
        """What the assumptions add; None for a gap or a share, which they lower."""
        if self.split is None or self.key in ("gap", "coverage"):
            return None
        return self.split.assumed

    def text(self, currency: str, value: Interval | None = None) -> str:
        low, high = self.value if value is None else value
        return percent_range(low, high) if self.ratio else money_range(low, high, currency)


@dataclass(frozen=True)
class Headline:
    currency: str
    sentence: str  # the main finding, one sentence
    figures: tuple[Figure, ...]
    rests_on_assumptions: bool  # some of the covered money is assumed, not reported
    families: str = ""  # which families of needs the total need holds, in words

    @property
    def states_no_need(self) -> bool:
        """A tracker: no need has a stated size, so there is no gap to state."""
        return math.isnan(self["need"].value[1])

    def __getitem__(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def text(self, key: str) -> str:
        return self[key].text(self.currency)

    def notice(self) -> str:
        """What the assumptions change, in words ("" when nothing rests on them)."""
        if not self.rests_on_assumptions:
            return ""
        c = self.currency
        covered = self["covered"]
        assumed = covered.assumed or (0.0, 0.0)
        reported = {key: self[key].text(c, self[key].reported)
                    for key in ("covered", "gap", "coverage", "europe_to_us")}
        return _("These figures rest on assumptions: {assumed} of the {covered} covered comes "
                 "from rows marked assumption (illustrative, reported by no one). Counting "
                 "only what is reported: covered {reported_covered}, gap {reported_gap}, "
                 "coverage {reported_coverage}; European money spent in US industry "
                 "{reported_europe_to_us}.").format(
            assumed=money_range(*assumed, c), covered=covered.text(c),
            **{f"reported_{key}": value for key, value in reported.items()})


LABELS = {  # key: (label, help)
    "need": (N_("Need"), N_("Every need added up, at its low and its high end.")),
    "covered": (N_("Covered"), N_("Money into the needs, after the status filter.")),
    "gap": (N_("Gap"), N_("What each need lacks, added up: a surplus on one need does not "
                          "fill another's gap.")),
    "coverage": (N_("Coverage"),
                 N_("Σ min(covered, need) / need: each need counts at most in full.")),
    "surplus": (N_("Surplus, not counted against other gaps"),
                N_("What some needs receive beyond their need.")),
    "net_gap": (N_("Net gap (need − covered)"),
                N_("The gap if surpluses were set against other needs' gaps.")),
    "europe_to_us": (N_("European money spent in US industry"),
                     N_("Money from European donors spent on orders to US industry.")),
}


def headline_block(result: Reconciliation, reported: Reconciliation | None = None
                   ) -> Headline:
    """The block for `result`; `reported` (the same view counting no assumption,
    ledger.rules.assumed.reported_result) splits each figure. Without it, a view that
    counts no assumption is its own reported view, and one that does has no split."""
    if reported is None and not uses_assumptions(result):
        reported = result
    split = None if reported is None else splits(result, reported)
    parts = {} if split is None else {"covered": split.covered, "gap": split.gap,
                                      "coverage": split.coverage,
                                      "europe_to_us": split.europe_to_us}
    values = {**result.totals, "coverage": coverage_share(result),
              "europe_to_us": european_money_in_us_industry(result)}
    figures = tuple(
        Figure(key, _(label), values[key], key == "coverage", _(help_text), parts.get(key))
        for key, (label, help_text) in LABELS.items())
    return Headline(result.currency, headline(result), figures,
                    split is not None and split.covered.rests_on_assumptions,
                    families_sentence(result))


def families_sentence(result: Reconciliation) -> str:
    """Which families of needs (`within`) the total need holds, each counted once."""
    members = family_members(result.needs)
    if not members:
        return ""
    held = "; ".join(_("{need} (with {within})").format(need=head, within=", ".join(inner))
                     for head, inner in members)
    return _("The total need counts each family of needs once, at the larger of the broader "
             "need and the sum of the needs within it: {families}.").format(families=held)
