"""What the record reports and what is assumed: every headline figure split in two.
The reported part is the same view with the flows marked `assumption` left out;
the assumed part is the difference, bound by bound."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ledger.core.frames import rows_where
from ledger.money.fx import RateTable
from ledger.reading.schema import STATUSES, Ledger
from ledger.rules.headline import coverage_share, european_money_in_us_industry
from ledger.rules.intervals import Interval
from ledger.rules.reconcile import Reconciliation, reconcile, reconcile_fewer_flows
from ledger.rules.scenario import Scenario, Valued
from ledger.runtime.background import Background, worth_a_thread

ASSUMED = "assumption"


@dataclass(frozen=True)
class Split:
    """A figure as reported, and what the assumptions add (or, for a gap, take away)."""

    total: Interval
    reported: Interval

    @property
    def assumed(self) -> Interval:
        return (max(self.total[0] - self.reported[0], 0.0),
                max(self.total[1] - self.reported[1], 0.0))

    @property
    def rests_on_assumptions(self) -> bool:
        return self.total != self.reported


@dataclass(frozen=True)
class Splits:
    covered: Split
    gap: Split
    coverage: Split
    europe_to_us: Split


def uses_assumptions(result: Reconciliation) -> bool:
    """Whether any flow counted in this view is an assumption."""
    frame = result.valued.frame
    return bool(((frame["kind"] == "flow") & (frame["status"] == ASSUMED)).any())


def reported_scenario(scenario: Scenario) -> Scenario:
    """The same view, counting no assumption."""
    counted = scenario.statuses if scenario.statuses is not None else STATUSES
    return replace(scenario, statuses=tuple(s for s in counted if s != ASSUMED))


def reported_result(ledger: Ledger, result: Reconciliation,
                    rates: RateTable | None = None) -> Reconciliation:
    """The reconciliation without assumptions (the same object when there are none).
    With no availability or shift lever the status filter is the last step that
    changes rows (ledger.rules.scenario.apply), so the view's own valued rows, less their
    assumption flows, are exactly what valuing the ledger again would give: only the
    reconciliation is done again. With a lever set, everything is."""
    if not uses_assumptions(result):
        return result
    scenario = reported_scenario(result.scenario)
    if levers_off(result.scenario):
        fewer = without_assumptions(result.valued)
        return reconcile_fewer_flows(result, ~fewer.left_out, fewer, scenario)
    return reconcile(ledger, scenario, rates)


def with_reported(ledger: Ledger, result: Reconciliation,
                  rates: RateTable | None = None) -> Reconciliation:
    """`reported_result`, and every part of `result` (a report reads them all), on two
    cores for a large ledger: the second computes the reported view and then the
    findings (the largest part), while this thread computes the other parts; they only
    read what they share."""
    assumed = uses_assumptions(result)

    def second_core() -> Reconciliation:
        reported = reported_result(ledger, result, rates) if assumed else result
        result.compute_parts(only=("findings",))
        return reported

    pending = Background(second_core, threaded=worth_a_thread(len(result.valued.frame)))
    result.compute_parts(but=("findings",))
    return pending.result()


def levers_off(scenario: Scenario) -> bool:
    """No lever applied after the status filter changes any row."""
    return not scenario.shift_us_to_europe and all(
        share == 1.0 for _, share in scenario.availability)


def without_assumptions(valued: Valued) -> WithoutAssumptions:
    """The valued rows less the assumption flows, which join those the status filter
    left out (in the ledger's order, as the filter leaves them)."""
    frame = valued.frame
    return WithoutAssumptions(
        valued, ((frame["kind"] == "flow") & (frame["status"] == ASSUMED)).to_numpy())


class WithoutAssumptions(Valued):
    """`valued` less the rows where `left_out`, each frame taken from `valued`'s on
    first use: the reported half of a report reads only totals, which are reconciled
    from `valued`'s own rows (ledger.rules.reconcile.reconcile_fewer_flows), and taking
    most of a million rows of 31 columns would cost more than the rest of it."""

    def __init__(self, valued: Valued, left_out: np.ndarray) -> None:
        # the fields that do not change are shared; `frame` and `excluded_by_status`
        # are computed below (Valued is frozen: set as its own __init__ would)
        for name in ("conversion", "fx_date", "not_in_force", "checks"):
            object.__setattr__(self, name, getattr(valued, name))
        object.__setattr__(self, "whole", valued)
        object.__setattr__(self, "left_out", left_out)

    whole: Valued
    left_out: np.ndarray

    def held_frames(self) -> list[pd.DataFrame]:
        """The rows this view is taken from, for weighing it in a cache."""
        return [self.whole.frame]

    @cached_property
    def frame(self) -> pd.DataFrame:
        return rows_where(self.whole.frame, ~self.left_out).reset_index(drop=True)

    @cached_property
    def excluded_by_status(self) -> pd.DataFrame:
        excluded = rows_where(self.whole.frame, self.left_out).reset_index(drop=True)
        if len(self.whole.excluded_by_status):
            excluded = pd.concat([self.whole.excluded_by_status, excluded], ignore_index=True
                                 ).sort_values("row", kind="stable", ignore_index=True)
        return excluded


def splits(result: Reconciliation, reported: Reconciliation) -> Splits:
    return Splits(
        covered=Split(result.totals["covered"], reported.totals["covered"]),
        gap=Split(result.totals["gap"], reported.totals["gap"]),
        coverage=Split(coverage_share(result), coverage_share(reported)),
        europe_to_us=Split(european_money_in_us_industry(result),
                           european_money_in_us_industry(reported)),
    )
