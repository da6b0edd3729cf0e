"""Reconciliation of needs, sources and flows as intervals [low, high] in one
reporting currency: coverage and gaps, source use, industry split, payer ×
supplier, and findings that name their rows."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from ledger.core.frames import text_from_codes
from ledger.core.paths import user_rates
from ledger.money.fx import RateTable, rate_table
from ledger.reading.blocs import load_blocs
from ledger.reading.donors import bloc_shares
from ledger.reading.schema import Ledger
from ledger.rules import intervals as iv
from ledger.rules.checks import check_findings, evaluate
from ledger.rules.families import Families, families, heads, parents_of
from ledger.rules.findings import SEVERITY_ORDER, Finding, collect_findings
from ledger.rules.flowsums import (
    FLOW_KEYS,
    Codes,
    aggregate_flows,
    flow_codes,
    flow_sums,
    native_flow_sums,
    sum_by,
)
from ledger.rules.intervals import Interval
from ledger.rules.scenario import Scenario, Valued, apply, valued_rows, with_levers
from ledger.rules.scope import DATE_UNKNOWN, has_tag
from ledger.rules.source_use import by_instrument, judge_over_allocation, source_use
from ledger.rules.stages import STAGES, stage_or_further
from ledger.rules.timeline import Dated, years_table
from ledger.rules.whopays import donor_composition, industry_split, payer_supplier
from ledger.rules.whopays import industry_by_category as by_category

_LAZY_PARTS = ("years", "sources", "industry_by_category", "checks", "instruments", "findings",
               "stages")

__all__ = ["Interval", "Reconciliation", "aggregate_flows", "reconcile", "row_blocs"]


@dataclass(frozen=True)
class Reconciliation:
    currency: str
    scenario: Scenario
    valued: Valued
    totals: dict[str, Interval]  # need, covered, gap (Σ uncovered), surplus, net_gap, coverage
    needs: pd.DataFrame  # id, name, category, need_*, covered_*, gap_*, uncovered_*, surplus_*
    flows: pd.DataFrame  # flows summed by (from, to, industry bloc), with the need category
    industry: pd.DataFrame  # bloc, amount_*, share_*, share_of_known_*
    payer_supplier: pd.DataFrame  # donor_bloc, industry_bloc, amount_low/high
    donor_mix: pd.DataFrame  # per source (index), each donor bloc's share of its own money
    rates_latest: dt.date  # the last day the rates in force have a rate for
    data_version: str
    # what the tables below are computed from, on first use: a view read only for its
    # totals (the reported half of a report, a comparison) never pays for them
    _inputs: _Inputs = field(repr=False, compare=False)

    @property
    def fx_date(self) -> dt.date | None:
        return self.valued.fx_date

    @property
    def rates(self) -> RateTable:
        """The rates this view was valued at."""
        return self._inputs.rates

    @property
    def blocs(self) -> dict[str, str]:
        return self._inputs.blocs

    @property
    def ledger(self) -> Ledger:
        """The ledger this view was reconciled from."""
        return self._inputs.ledger

    def compute_parts(self, only: tuple[str, ...] = _LAZY_PARTS,
                      but: tuple[str, ...] = ()) -> None:
        """Compute now the tables that are otherwise computed on first use: every one,
        those named in `only`, or all `but` those named."""
        unknown = (set(only) | set(but)) - set(_LAZY_PARTS)
        if unknown:
            raise ValueError(f"no such part: {', '.join(sorted(unknown))}")
        for name in _LAZY_PARTS:
            if name in only and name not in but:
                getattr(self, name)

    @cached_property
    def years(self) -> pd.DataFrame:
        """year, need_*, covered_*, pledged_*, committed_*, disbursed_*, gap_*"""
        given = self._inputs
        return _years(self.valued.frame, given.kinds, self.needs, given.codes)

    @cached_property
    def sources(self) -> pd.DataFrame:
        """id, name, donor, donor_bloc, available_*, allocated_*, headroom_*, and whether
        (and in which currency) a source may give out more than it has."""
        given = self._inputs
        return judge_over_allocation(
            source_use(given.source_rows, self.flows), given.source_rows,
            native_flow_sums(self.valued.frame, given.kinds.flow, given.codes),
            given.rates)

    @cached_property
    def industry_by_category(self) -> pd.DataFrame:
        """category, bloc, amount_*, share_*"""
        return by_category(self._inputs.flows_to_need)

    @cached_property
    def checks(self) -> pd.DataFrame:
        """Published totals against the ledger (ledger.rules.checks.evaluate)."""
        return evaluate(self.valued, self._inputs.rates)

    @cached_property
    def instruments(self) -> pd.DataFrame:
        """instrument, available_*, allocated_* over sources."""
        return by_instrument(self.valued.frame, self._inputs.need_rows["id"])

    @cached_property
    def stages(self) -> pd.DataFrame:
        """The funnel: per stage (pledged, committed, allocated, disbursed), covered, gap
        and coverage counting that stage and every later one; then what is assumed
        (status assumption). Each with what of it is loans and guarantees."""
        given = self._inputs
        frame = self.valued.frame
        need_ids = pd.Index(given.need_rows["id"])
        flow_rows = np.flatnonzero(given.kinds.flow)
        # each flow's need, status and instrument as codes of the columns' few distinct
        # values, found once per view: a tracker's million cells never become strings
        to_code, to_names = given.codes["to"]
        target = np.where(to_code >= 0, need_ids.get_indexer(to_names)[to_code], -1)
        into = target >= 0
        flow_rows, target = flow_rows[into], target[into]
        status_code, status_names = flow_codes(frame, "status", given.kinds.flow, given.codes)
        instrument_code, instruments = flow_codes(frame, "instrument", given.kinds.flow,
                                                  given.codes)
        status_code, instrument_code = status_code[into], instrument_code[into]
        values = {b: frame[f"value_{b}"].to_numpy(dtype=float)[flow_rows] for b in ("low", "high")}

        def covered(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            at = target[mask]
            return (np.bincount(at, values["low"][mask], len(need_ids)),
                    np.bincount(at, values["high"][mask], len(need_ids)))

        rows = []
        for stage, statuses in [*((s, stage_or_further(s)) for s in STAGES),
                                ("assumed", ("assumption",))]:
            counted = np.isin(status_code, [i for i, s in enumerate(status_names)
                                            if s in statuses])
            found, totals = _family_totals(given.need_rows, *covered(counted))
            row: dict[str, object] = {"stage": stage}
            for name in ("covered", "gap", "coverage"):
                row[f"{name}_low"], row[f"{name}_high"] = totals[name]
            # a family's money is its members' money: what counts is every need whose
            # family head counts (all of them in a ledger that states no need)
            weight = _in_counted_family(found)
            for kind in ("loan", "guarantee"):
                low, high = covered(counted & np.isin(instrument_code,
                                                      np.flatnonzero(instruments == kind)))
                row[f"{kind}_low"], row[f"{kind}_high"] = (float(low @ weight),
                                                           float(high @ weight))
            rows.append(row)
        return pd.DataFrame(rows)

    @cached_property
    def findings(self) -> list[Finding]:
        given = self._inputs
        found = collect_findings(given.ledger, self.valued, self.needs, self.sources,
                                 given.blocs, self.scenario) + check_findings(self.checks)
        return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


@dataclass(frozen=True)
class RowKinds:
    """Which rows are needs, sources and flows, compared once by Arrow, never as
    Python strings one by one."""

    need: np.ndarray
    source: np.ndarray
    flow: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> RowKinds:
        kind = frame["kind"]
        return cls(*((kind == name).to_numpy(dtype=bool) for name in ("need", "source", "flow")))


@dataclass(frozen=True)
class _Inputs:
    ledger: Ledger
    rates: RateTable
    blocs: dict[str, str]
    kinds: RowKinds
    need_rows: pd.DataFrame
    source_rows: pd.DataFrame
    codes: Codes
    flows_to_need: pd.DataFrame


def row_blocs(ledger: Ledger, blocs: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(donor bloc, industry bloc) of each row; codes missing from blocs -> Other.
    A joint package whose donors sit in several blocs reads "Europe + Other". The
    same in every view: found once per ledger and bloc table."""
    frame = ledger.frame
    return ledger.once(("row blocs", tuple(sorted(blocs.items()))), lambda: (
        _donor_bloc_of(frame["donor"], blocs), _bloc_of(frame["industry"], blocs)))


def _bloc_of(codes: pd.Series, blocs: dict[str, str]) -> pd.Series:
    """Look each distinct code up once (a column holds few), then spread."""
    position, uniques = pd.factorize(codes)
    looked_up = [blocs.get(code, "Other") if code else "" for code in uniques.tolist()]
    return text_from_codes(looked_up, position, codes.index)


def _donor_bloc_of(donors: pd.Series, blocs: dict[str, str]) -> pd.Series:
    position, uniques = pd.factorize(donors)
    mixes = bloc_shares(pd.Series(uniques, dtype=object), blocs)
    columns, shares = list(mixes.columns), mixes.to_numpy()
    names = []
    for text, mix in zip(uniques, shares, strict=True):  # the largest share first
        order = [i for i in np.argsort(-mix, kind="stable") if mix[i] > 0]
        names.append(" + ".join(columns[i] for i in order) if text else "")
    return text_from_codes(names, position, donors.index)


def reconcile(
    ledger: Ledger,
    scenario: Scenario | None = None,
    rates: RateTable | None = None,
    blocs: dict[str, str] | None = None,
) -> Reconciliation:
    """Apply the scenario to the ledger and reconcile it."""
    scenario = scenario or Scenario()
    rates = rates or default_rates()
    blocs = blocs if blocs is not None else load_blocs()
    donor_bloc, industry_bloc = row_blocs(ledger, blocs)
    with_blocs = replace(ledger, frame=ledger.frame.assign(
        donor_bloc=donor_bloc, industry_bloc=industry_bloc))
    return reconcile_valued(ledger, apply(with_blocs, scenario, rates), scenario, rates, blocs)


_ROW_COLUMNS = ["id", "name", "category", "donor", "donor_bloc", "value_low", "value_high",
                "full_low", "full_high", "row", "currency", "date", "fx_factor", "within"]


def reconcile_valued(ledger: Ledger, valued: Valued, scenario: Scenario, rates: RateTable,
                     blocs: dict[str, str]) -> Reconciliation:
    """Reconcile rows already valued under `scenario` (ledger.rules.scenario.apply)."""
    frame = valued.frame
    kinds = RowKinds.of(frame)
    codes: Codes = {}
    flows = aggregate_flows(frame, kinds.flow, codes)
    return _reconciled(ledger, valued, scenario, rates, blocs, kinds,
                       frame.loc[kinds.need, _ROW_COLUMNS], frame.loc[kinds.source, _ROW_COLUMNS],
                       codes, flows)


def reconcile_fewer_flows(view: Reconciliation, keep: np.ndarray, valued: Valued,
                          scenario: Scenario) -> Reconciliation:
    """`view` with only the flows where `keep` (a mask over `view.valued.frame`'s rows,
    holding on every need and source): what `reconcile_valued(valued)` gives when
    `valued.frame` is those rows, computed from what `view` holds — its row kinds,
    needs, sources and the codes of its flows' ends — so `valued.frame` is not read
    (a `Valued` may take its rows only when a table asks for them)."""
    given = view._inputs
    if not (keep[given.kinds.need].all() and keep[given.kinds.source].all()):
        raise ValueError("only flows may be left out")
    kinds = RowKinds(given.kinds.need[keep], given.kinds.source[keep], given.kinds.flow[keep])
    flow_kept = keep[given.kinds.flow]
    # the codes of the remaining flows among the view's distinct values: every table
    # reads a code through its value, and groups come in the order the flows do
    codes: Codes = {column: (given.codes[column][0][flow_kept], given.codes[column][1])
                    for column in FLOW_KEYS}
    frame = view.valued.frame
    values = {b: frame[b].to_numpy()[given.kinds.flow][flow_kept]
              for b in ("value_low", "value_high")}
    position = np.cumsum(keep) - 1  # each kept row's position among the kept rows
    return _reconciled(given.ledger, valued, scenario, given.rates, given.blocs, kinds,
                       given.need_rows.set_axis(position[given.kinds.need]),
                       given.source_rows.set_axis(position[given.kinds.source]),
                       codes, flow_sums(codes, values))


def _reconciled(ledger: Ledger, valued: Valued, scenario: Scenario, rates: RateTable,
                blocs: dict[str, str], kinds: RowKinds, need_rows: pd.DataFrame,
                source_rows: pd.DataFrame, codes: Codes, flows: pd.DataFrame) -> Reconciliation:
    category_of = dict(zip(need_rows["id"].tolist(), need_rows["category"].tolist(), strict=True))
    position, targets = pd.factorize(flows["to"])  # few distinct targets
    categories = [category_of.get(t, "") for t in targets.tolist()]
    flows = flows.assign(category=text_from_codes(categories, position, flows.index))
    flows_to_need = flows[flows["to"].isin(need_rows["id"]).to_numpy()]

    needs = _needs(need_rows, flows_to_need)
    mix = bloc_shares(source_rows.set_index("id")["donor"], blocs)
    composition = donor_composition(source_rows, flows, mix)
    return Reconciliation(
        currency=scenario.currency, scenario=scenario, valued=valued, totals=_totals(needs),
        needs=needs, flows=flows, industry=industry_split(flows_to_need),
        payer_supplier=payer_supplier(flows_to_need, composition), donor_mix=mix,
        rates_latest=rates.latest_date, data_version=ledger.data_version,
        _inputs=_Inputs(ledger, rates, blocs, kinds, need_rows, source_rows, codes, flows_to_need),
    )


def undated_flows(frame: pd.DataFrame, is_flow: np.ndarray) -> np.ndarray:
    """Which flows (among `is_flow` rows) carry the tag `date-unknown`: an import's
    row whose date no column gave (kept at a stand-in day, counted in no year)."""
    return has_tag(frame["tags"], DATE_UNKNOWN)[is_flow]


def undated_money(result: Reconciliation) -> tuple[float, float]:
    """The money into needs whose date is not known (low, high): in every total, in
    no year of the Timeline."""
    frame = result.valued.frame
    is_flow = (frame["kind"] == "flow").to_numpy()
    undated = undated_flows(frame, is_flow)
    if not undated.any():
        return (0.0, 0.0)
    flows = frame[is_flow][undated]
    flows = flows[flows["to"].isin(result.needs["id"]).to_numpy()
                  & flows["status"].isin(STAGES).to_numpy()]
    return (float(flows["value_low"].sum()), float(flows["value_high"].sum()))


def _years(frame: pd.DataFrame, kinds: RowKinds, needs: pd.DataFrame,
           codes: Codes) -> pd.DataFrame:
    """The year-by-year table, from integer codes (a million flows stay arrays). A
    family of needs is one need here (its head's period, the family's size), money
    into any member counts for it, and a need no one sizes is left out with its money,
    as in the totals."""
    is_flow = kinds.flow
    head = heads(parents_of(needs))
    counted = (needs["head"] & needs["stated"]).to_numpy(dtype=bool)
    tracker = not counted.any()  # no need stated: the money by year alone
    if tracker:
        counted = needs["head"].to_numpy(dtype=bool)
    group = np.full(len(needs), -1)
    group[counted] = np.arange(int(counted.sum()))
    to_code, to_names = codes["to"]
    need_of_name = pd.Index(needs["id"]).get_indexer(to_names)  # few distinct targets
    group_of_name = np.where(need_of_name >= 0, group[head[np.maximum(need_of_name, 0)]], -1)
    flow_need = group_of_name[to_code] if len(to_code) else np.array([], dtype=np.int64)
    # a tracker's row with no date at all counts in every total and in no year
    into = (flow_need >= 0) & ~undated_flows(frame, is_flow)
    status_code, status_names = flow_codes(frame, "status", is_flow, codes)
    stage_of_name = np.array([STAGES.index(s) if s in STAGES else -1 for s in status_names]
                             + [-1], dtype=np.int64)
    need_rows = np.flatnonzero(kinds.need)[counted]
    sizes = {b: np.nan_to_num(needs[f"need_{b}"].to_numpy(dtype=float)[counted])
             for b in ("low", "high")}
    dated = Dated(frame["date"].to_numpy()[need_rows], frame["end"].to_numpy()[need_rows],
                  sizes["low"], sizes["high"], np.arange(len(need_rows)))
    flow_rows = np.flatnonzero(is_flow)[into]
    flows = Dated(frame["date"].to_numpy()[flow_rows], frame["end"].to_numpy()[flow_rows],
                  frame["value_low"].to_numpy(dtype=float)[flow_rows],
                  frame["value_high"].to_numpy(dtype=float)[flow_rows],
                  flow_need[into], stage_of_name[status_code][into])
    table = years_table(dated, flows)
    if tracker:  # no need is stated: no need falls due and there is no gap to state
        for name in ("need", "gap", "cumulative_gap"):
            for bound in ("low", "high"):
                if f"{name}_{bound}" in table.columns:
                    table[f"{name}_{bound}"] = np.nan
    return table


def default_rates() -> RateTable:
    """ECB rates plus data/fx_rates.csv when it exists."""
    return rate_table(user_rates())


def _needs(need_rows: pd.DataFrame, flows_to_need: pd.DataFrame) -> pd.DataFrame:
    """Per need: its need and the money into it, each with everything within it (a
    family's head carries the family); gap, uncovered, surplus and coverage from
    those. `head`: the need counts in the totals; `stated`: someone states its size."""
    cov_low, cov_high = sum_by(flows_to_need, "to", pd.Index(need_rows["id"]))
    return _needs_covered(need_rows, cov_low, cov_high)


def _needs_covered(need_rows: pd.DataFrame, cov_low: np.ndarray, cov_high: np.ndarray
                   ) -> pd.DataFrame:
    """`_needs`, from the money into each need already summed."""
    family = families(need_rows, cov_low, cov_high)
    need_low, need_high = family.need_low, family.need_high
    cov_low, cov_high = family.covered_low, family.covered_high
    gap_low, gap_high = iv.difference(need_low, need_high, cov_low, cov_high)
    uncovered = iv.positive_part(gap_low, gap_high)
    surplus = iv.negative_part(gap_low, gap_high)
    coverage = iv.ratio(cov_low, cov_high, need_low, need_high)
    ids = need_rows["id"].to_numpy()
    return pd.DataFrame({
        "id": ids, "name": need_rows["name"].to_numpy(),
        "category": need_rows["category"].to_numpy(),
        "need_low": need_low, "need_high": need_high,
        "covered_low": cov_low, "covered_high": cov_high,
        "gap_low": gap_low, "gap_high": gap_high,
        "uncovered_low": uncovered[0], "uncovered_high": uncovered[1],
        "surplus_low": surplus[0], "surplus_high": surplus[1],
        "coverage_low": coverage[0], "coverage_high": coverage[1],
        "row": need_rows["row"].to_numpy(),
        "within": np.where(family.parent >= 0, ids[np.maximum(family.parent, 0)], ""),
        "head": family.head, "stated": family.stated,
    })


def _totals(needs: pd.DataFrame) -> dict[str, Interval]:
    """The totals of a needs table (`_needs`)."""
    def column(name: str) -> np.ndarray:
        return needs[name].to_numpy(dtype=float)

    return _totals_of(column("need_low"), column("need_high"), column("covered_low"),
                      column("covered_high"), needs["head"].to_numpy(dtype=bool),
                      needs["stated"].to_numpy(dtype=bool))


def _totals_of(need_low: np.ndarray, need_high: np.ndarray, cov_low: np.ndarray,
               cov_high: np.ndarray, head: np.ndarray, stated: np.ndarray
               ) -> dict[str, Interval]:
    """Over the families' heads whose size is stated: a need within another counts in
    its head, a need no one sizes in none. A surplus on one need never fills another
    need's gap. With no stated need, every total but the money is NaN (JSON null), and
    the money is all the money into needs (what a tracker records)."""
    counted = head & stated
    if not counted.any():
        nothing = (float("nan"), float("nan"))
        return dict.fromkeys(("need", "covered", "gap", "surplus", "net_gap", "coverage"),
                             nothing) | {"covered": iv.total(cov_low[head], cov_high[head])}
    need_low, need_high = need_low[counted], need_high[counted]
    cov_low, cov_high = cov_low[counted], cov_high[counted]
    gap = iv.difference(need_low, need_high, cov_low, cov_high)
    need, covered = iv.total(need_low, need_high), iv.total(cov_low, cov_high)
    return {"need": need, "covered": covered,
            "gap": iv.total(*iv.positive_part(*gap)),
            "surplus": iv.total(*iv.negative_part(*gap)),
            "net_gap": iv.difference(*need, *covered),
            "coverage": iv.covered_share(cov_low, cov_high, need_low, need_high)}


def _family_totals(need_rows: pd.DataFrame, cov_low: np.ndarray, cov_high: np.ndarray
                   ) -> tuple[Families, dict[str, Interval]]:
    """The families of the needs with this money into them, and their totals."""
    found = families(need_rows, cov_low, cov_high)
    return found, _totals_of(found.need_low, found.need_high, found.covered_low,
                             found.covered_high, found.head, found.stated)


def _in_counted_family(found: Families) -> np.ndarray:
    """1 for each need whose family counts in the totals (every need when none is
    stated), else 0."""
    counted = found.head & found.stated
    if not counted.any():
        return np.ones(len(counted))
    return counted[heads(found.parent)].astype(float)


def gap_history(ledger: Ledger, scenario: Scenario, rates: RateTable,
                blocs: dict[str, str] | None = None, most: int = 60,
                seconds: float | None = None,
                stop: Callable[[], bool] | None = None) -> pd.DataFrame:
    """The total gap as known on each day a row changed the ledger (at most `most`
    days, spread over the history, the last always kept): date, gap_low, gap_high,
    need_low, need_high, and the ids of the rows published that day. The rows are
    valued once; each day applies only the as-of date and the levers to them, and
    sums the money into needs (the same rules as `reconcile`, without its tables).

    Bounded: after `seconds`, or as soon as `stop()` says the one who asked has
    left, no further day is computed; `attrs["cut"]` then says why ("time" or
    "stopped") and `attrs["days"]` how many days the whole history has."""
    started = time.monotonic()
    blocs = blocs if blocs is not None else load_blocs()
    donor_bloc, industry_bloc = row_blocs(ledger, blocs)
    with_blocs = replace(ledger, frame=ledger.frame.assign(
        donor_bloc=donor_bloc, industry_bloc=industry_bloc))
    dates = ledger.frame["published"].to_numpy(dtype="datetime64[D]")  # when each was known
    days = np.unique(dates)
    if len(days) > most:
        days = days[np.unique(np.linspace(0, len(days) - 1, most).round().astype(int))]
    rows: list[dict[str, object]] = []
    valued_once = valued_rows(with_blocs, replace(scenario, asof=None), rates)
    cut = None
    for day in days:
        if stop is not None and stop():
            cut = "stopped"
            break
        if seconds is not None and rows and time.monotonic() - started > seconds:
            cut = "time"
            break
        when = pd.Timestamp(day).date()
        frame = with_levers(valued_once, replace(scenario, asof=when)).frame
        kind = frame["kind"].to_numpy()
        need_rows = frame.loc[kind == "need", ["id", "name", "category", "value_low",
                                             "value_high", "row", "within"]]
        target = pd.Index(need_rows["id"]).get_indexer(frame["to"].to_numpy()[kind == "flow"])
        into = target >= 0
        covered = [np.bincount(target[into], frame[f"value_{b}"].to_numpy(dtype=float)[
            kind == "flow"][into], len(need_rows)) for b in ("low", "high")]
        _, totals = _family_totals(need_rows, *covered)
        named = ledger.frame.loc[dates == day, "id"]
        rows.append({"date": when, "gap_low": totals["gap"][0], "gap_high": totals["gap"][1],
                     "need_low": totals["need"][0], "need_high": totals["need"][1],
                     "rows": ", ".join(named.head(3)) + (" …" if len(named) > 3 else "")})
    history = pd.DataFrame(rows, columns=["date", "gap_low", "gap_high", "need_low",
                                          "need_high", "rows"])
    history.attrs.update(cut=cut, days=len(days))
    return history
