"""Reconciliation of needs, sources and flows as intervals [low, high] in one
reporting currency: coverage and gaps, source use, industry split, payer ×
supplier, and findings that name their rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ledger import intervals as iv
from ledger.blocs import load_blocs
from ledger.donors import bloc_shares
from ledger.findings import Finding, OverAllocation, collect_findings
from ledger.fx import RateTable, cross_factors, rate_table
from ledger.graph import topological_order
from ledger.intervals import Interval
from ledger.scenario import Scenario, Valued, apply
from ledger.schema import Ledger

__all__ = ["Interval", "Reconciliation", "aggregate_flows", "reconcile", "row_blocs"]


@dataclass(frozen=True)
class Reconciliation:
    currency: str
    scenario: Scenario
    valued: Valued
    totals: dict[str, Interval]  # need, covered, gap (Σ uncovered), surplus, net_gap, coverage
    needs: pd.DataFrame  # id, name, category, need_*, covered_*, gap_*, uncovered_*, surplus_*
    sources: pd.DataFrame  # id, name, donor, donor_bloc, available_*, allocated_*, headroom_*
    flows: pd.DataFrame  # flows summed by (from, to, industry bloc), with the need category
    industry: pd.DataFrame  # bloc, amount_*, share_*, share_of_known_*
    industry_by_category: pd.DataFrame  # category, bloc, amount_*, share_*
    payer_supplier: pd.DataFrame  # donor_bloc, industry_bloc, amount_low/high
    donor_mix: pd.DataFrame  # per source (index), each donor bloc's share of its own money
    findings: list[Finding]
    data_version: str

    @property
    def fx_date(self) -> dt.date | None:
        return self.valued.fx_date


def row_blocs(ledger: Ledger, blocs: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(donor bloc, industry bloc) of each row; codes missing from blocs -> Other.
    A joint package whose donors sit in several blocs reads "Europe + Other"."""
    frame = ledger.frame
    return _donor_bloc_of(frame["donor"], blocs), _bloc_of(frame["industry"], blocs)


def _bloc_of(codes: pd.Series, blocs: dict[str, str]) -> pd.Series:
    """Look each distinct code up once (a column holds few), then spread."""
    position, uniques = pd.factorize(codes)
    looked_up = np.array([blocs.get(code, "Other") if code else "" for code in uniques] + [""],
                         dtype=object)
    return pd.Series(looked_up[position], index=codes.index, dtype="str")


def _donor_bloc_of(donors: pd.Series, blocs: dict[str, str]) -> pd.Series:
    position, uniques = pd.factorize(donors)
    mixes = bloc_shares(pd.Series(uniques, dtype=object), blocs)
    names = []
    for text, (_, mix) in zip(uniques, mixes.iterrows(), strict=True):
        present = mix[mix > 0].sort_values(ascending=False, kind="stable")
        names.append(" + ".join(present.index) if text else "")
    looked_up = np.array([*names, ""], dtype=object)
    return pd.Series(looked_up[position], index=donors.index, dtype="str")


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
    valued = apply(with_blocs, scenario, rates)
    frame = valued.frame
    kind = frame["kind"].to_numpy()
    row_columns = ["id", "name", "category", "donor", "donor_bloc", "value_low", "value_high",
                   "full_low", "full_high", "row", "currency", "date", "fx_factor"]
    needs_f = frame.loc[kind == "need", row_columns]
    sources_f = frame.loc[kind == "source", row_columns]
    is_flow = kind == "flow"
    codes: Codes = {}
    flows = aggregate_flows(frame, is_flow, codes)
    flows = flows.assign(category=flows["to"].map(
        dict(zip(needs_f["id"], needs_f["category"], strict=True))).fillna(""))
    flows_to_need = flows[flows["to"].isin(needs_f["id"]).to_numpy()]

    needs = _needs(needs_f, flows_to_need)
    sources = judge_over_allocation(_sources(sources_f, flows), sources_f,
                                    native_flow_sums(frame, is_flow, codes), rates)
    mix = bloc_shares(sources_f.set_index("id")["donor"], blocs)
    composition = _donor_composition(sources_f, flows, mix)
    findings = collect_findings(ledger, valued, needs, sources, blocs, scenario)
    return Reconciliation(
        currency=scenario.currency, scenario=scenario, valued=valued, totals=_totals(needs),
        needs=needs, sources=sources, flows=flows, industry=_industry(flows_to_need),
        industry_by_category=_industry_by_category(flows_to_need),
        payer_supplier=_payer_supplier(flows_to_need, composition), donor_mix=mix,
        findings=findings, data_version=ledger.data_version,
    )


Codes = dict[str, tuple[np.ndarray, np.ndarray]]


def aggregate_flows(frame: pd.DataFrame, is_flow: np.ndarray,
                    cache: Codes | None = None) -> pd.DataFrame:
    """Flows summed by (from, to, industry bloc): every total below is a sum over
    these groups, and a million flows fall into a few thousand of them."""
    cache = {} if cache is None else cache
    codes = {c: _factorized(frame, c, is_flow, cache) for c in ("from", "to", "industry_bloc")}
    values = {b: frame[b].to_numpy()[is_flow] for b in ("value_low", "value_high")}
    return _group_sums(codes, values)


def native_flow_sums(frame: pd.DataFrame, is_flow: np.ndarray,
                     cache: Codes | None = None) -> pd.DataFrame:
    """Flows in their own currency (after the levers), summed by (end, id, currency):
    what each source gives out (`end` = from) and receives (`end` = to)."""
    factor = frame["fx_factor"].to_numpy()[is_flow]
    values = {"native_low": frame["value_low"].to_numpy()[is_flow] / factor,
              "native_high": frame["value_high"].to_numpy()[is_flow] / factor}
    cache = {} if cache is None else cache
    currency = _factorized(frame, "currency", is_flow, cache)
    parts = [_group_sums({"id": _factorized(frame, end, is_flow, cache), "currency": currency},
                         values).assign(end=end) for end in ("from", "to")]
    return pd.concat(parts, ignore_index=True)


def _factorized(frame: pd.DataFrame, column: str, is_flow: np.ndarray,
                cache: Codes) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the flows' values in a column, and the distinct values (of all rows:
    factorizing the whole Arrow column is faster than taking the flows' first)."""
    if column not in cache:
        code, distinct = pd.factorize(frame[column])
        cache[column] = (code.astype(np.int64)[is_flow], np.asarray(distinct, dtype=object))
    return cache[column]


def _group_sums(codes: dict[str, tuple[np.ndarray, np.ndarray]],
                values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sum `values` by the combination of the factorized key columns."""
    sizes = [max(len(names), 1) for _, names in codes.values()]
    key = np.zeros(len(next(iter(values.values()))), dtype=np.int64)
    for (code, _), size in zip(codes.values(), sizes, strict=True):
        key = key * size + code
    group, distinct_keys = pd.factorize(key)
    sums = {name: np.bincount(group, weights=weight, minlength=len(distinct_keys))
            for name, weight in values.items()}
    keys = np.asarray(distinct_keys, dtype=np.int64)
    out: dict[str, object] = {}
    for (column, (_, names)), size in reversed(list(zip(codes.items(), sizes, strict=True))):
        out[column] = names[keys % size] if len(keys) else []
        keys = keys // size
    return pd.DataFrame({column: out[column] for column in codes} | sums)


def default_rates() -> RateTable:
    """ECB rates plus data/fx_rates.csv when it exists."""
    return rate_table(Path(__file__).resolve().parent.parent / "data" / "fx_rates.csv")


def _sum_by(frame: pd.DataFrame, key: str, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    sums = frame.groupby(key, sort=False)[["value_low", "value_high"]].sum()
    sums = sums.reindex(index, fill_value=0.0)
    return sums["value_low"].to_numpy(dtype=float), sums["value_high"].to_numpy(dtype=float)


def _needs(needs_f: pd.DataFrame, flows_to_need: pd.DataFrame) -> pd.DataFrame:
    need_low = needs_f["value_low"].to_numpy(dtype=float)
    need_high = needs_f["value_high"].to_numpy(dtype=float)
    cov_low, cov_high = _sum_by(flows_to_need, "to", pd.Index(needs_f["id"]))
    gap_low, gap_high = iv.difference(need_low, need_high, cov_low, cov_high)
    uncovered = iv.positive_part(gap_low, gap_high)
    surplus = iv.negative_part(gap_low, gap_high)
    coverage = iv.ratio(cov_low, cov_high, need_low, need_high)
    return pd.DataFrame({
        "id": needs_f["id"].to_numpy(), "name": needs_f["name"].to_numpy(),
        "category": needs_f["category"].to_numpy(),
        "need_low": need_low, "need_high": need_high,
        "covered_low": cov_low, "covered_high": cov_high,
        "gap_low": gap_low, "gap_high": gap_high,
        "uncovered_low": uncovered[0], "uncovered_high": uncovered[1],
        "surplus_low": surplus[0], "surplus_high": surplus[1],
        "coverage_low": coverage[0], "coverage_high": coverage[1],
        "row": needs_f["row"].to_numpy(),
    })


def _sources(sources_f: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    index = pd.Index(sources_f["id"])
    in_low, in_high = _sum_by(flows[flows["to"].isin(index)], "to", index)
    out_low, out_high = _sum_by(flows, "from", index)
    avail_low = sources_f["value_low"].to_numpy(dtype=float) + in_low
    avail_high = sources_f["value_high"].to_numpy(dtype=float) + in_high
    headroom = iv.difference(avail_low, avail_high, out_low, out_high)
    return pd.DataFrame({
        "id": index.to_numpy(), "name": sources_f["name"].to_numpy(),
        "donor": sources_f["donor"].to_numpy(), "donor_bloc": sources_f["donor_bloc"].to_numpy(),
        "own_low": sources_f["value_low"].to_numpy(dtype=float),
        "own_high": sources_f["value_high"].to_numpy(dtype=float),
        "full_low": sources_f["full_low"].to_numpy(dtype=float),  # before the levers
        "full_high": sources_f["full_high"].to_numpy(dtype=float),
        "available_low": avail_low, "available_high": avail_high,
        "allocated_low": out_low, "allocated_high": out_high,
        "headroom_low": headroom[0], "headroom_high": headroom[1],
        "row": sources_f["row"].to_numpy(),
    })


def judge_over_allocation(sources: pd.DataFrame, sources_f: pd.DataFrame,
                          native: pd.DataFrame, rates: RateTable) -> pd.DataFrame:
    """Over-allocation is a fact about the data, not about the valuation: each source's
    own amount and every flow in or out are taken in the source's own currency at the
    source's own date, in both FX modes. Where a rate for that is missing, the
    reporting-currency figures decide."""
    ids = sources_f["id"].to_numpy()
    currency = dict(zip(ids, sources_f["currency"], strict=True))
    day = dict(zip(ids, sources_f["date"].to_numpy(dtype="datetime64[D]"), strict=True))
    index = pd.Index(ids)

    def in_source_currency(end: str) -> tuple[np.ndarray, np.ndarray]:
        part = native[(native["end"] == end).to_numpy() & native["id"].isin(index).to_numpy()]
        factor = cross_factors(part["currency"].to_numpy(dtype=object),
                               part["id"].map(currency).to_numpy(dtype=object),
                               part["id"].map(day).to_numpy(dtype="datetime64[D]"), rates)
        converted = part.assign(value_low=part["native_low"].to_numpy() * factor,
                                value_high=part["native_high"].to_numpy() * factor)
        return _sum_by(converted, "id", index)

    own_low = sources_f["value_low"].to_numpy(dtype=float) / sources_f["fx_factor"].to_numpy()
    own_high = sources_f["value_high"].to_numpy(dtype=float) / sources_f["fx_factor"].to_numpy()
    in_low, in_high = in_source_currency("to")
    out_low, out_high = in_source_currency("from")
    avail_low, avail_high = own_low + in_low, own_high + in_high
    native = np.isfinite(avail_low + avail_high + out_low + out_high)
    avail_low = np.where(native, avail_low, sources["available_low"])
    avail_high = np.where(native, avail_high, sources["available_high"])
    out_low = np.where(native, out_low, sources["allocated_low"])
    out_high = np.where(native, out_high, sources["allocated_high"])
    state = np.where(out_low > avail_high * (1 + 1e-12), OverAllocation.CERTAIN.value,
                     np.where(out_high > avail_low * (1 + 1e-12), OverAllocation.POSSIBLE.value,
                              OverAllocation.NO.value))
    return sources.assign(
        over_allocated=state,
        judged_in=np.where(native, sources_f["currency"].to_numpy(dtype=object), ""),
        judged_available_low=avail_low, judged_available_high=avail_high,
        judged_allocated_low=out_low, judged_allocated_high=out_high,
    )


def _totals(needs: pd.DataFrame) -> dict[str, Interval]:
    """A surplus on one need never fills another need's gap."""
    def column_sum(name: str) -> Interval:
        return iv.total(needs[f"{name}_low"].to_numpy(), needs[f"{name}_high"].to_numpy())

    need, covered = column_sum("need"), column_sum("covered")
    coverage = iv.covered_share(*(needs[c].to_numpy() for c in (
        "covered_low", "covered_high", "need_low", "need_high")))
    return {"need": need, "covered": covered, "gap": column_sum("uncovered"),
            "surplus": column_sum("surplus"), "net_gap": iv.difference(*need, *covered),
            "coverage": coverage}


def _industry(flows_to_need: pd.DataFrame) -> pd.DataFrame:
    sums = flows_to_need.groupby("industry_bloc", sort=True)[["value_low", "value_high"]].sum()
    low = sums["value_low"].to_numpy(dtype=float)
    high = sums["value_high"].to_numpy(dtype=float)
    share_low, share_high = iv.shares(low, high)
    bloc = sums.index.to_numpy(dtype=object)
    known = bloc != "Unknown"
    known_low = np.full(len(bloc), np.nan)
    known_high = np.full(len(bloc), np.nan)
    known_low[known], known_high[known] = iv.shares(low[known], high[known])
    return pd.DataFrame({"bloc": bloc, "amount_low": low, "amount_high": high,
                         "share_low": share_low, "share_high": share_high,
                         "share_of_known_low": known_low, "share_of_known_high": known_high})


def _industry_by_category(flows_to_need: pd.DataFrame) -> pd.DataFrame:
    """The industry split within each need category (the article's claim is about the
    armament programme, not about reconstruction)."""
    sums = (flows_to_need.groupby(["category", "industry_bloc"], sort=True)
            [["value_low", "value_high"]].sum().reset_index())
    parts = []
    for _, part in sums.groupby("category", sort=True):
        low, high = part["value_low"].to_numpy(), part["value_high"].to_numpy()
        share_low, share_high = iv.shares(low, high)
        known = (part["industry_bloc"] != "Unknown").to_numpy()
        known_low, known_high = np.full(len(part), np.nan), np.full(len(part), np.nan)
        known_low[known], known_high[known] = iv.shares(low[known], high[known])
        parts.append(part.assign(share_low=share_low, share_high=share_high,
                                 share_of_known_low=known_low, share_of_known_high=known_high))
    if not parts:
        return pd.DataFrame(columns=["category", "bloc", "amount_low", "amount_high",
                                     "share_low", "share_high", "share_of_known_low",
                                     "share_of_known_high"])
    return pd.concat(parts, ignore_index=True).rename(columns={
        "industry_bloc": "bloc", "value_low": "amount_low", "value_high": "amount_high"})


def _donor_composition(sources_f: pd.DataFrame, flows: pd.DataFrame,
                       mix: pd.DataFrame) -> pd.DataFrame:
    """Each source's money by original donor bloc, as shares (rows sum to 1).

    A source's own money splits by its donors' shares; money passed on from another
    source keeps that source's donor mix, pro rata. The mix is weighted by the
    midpoints of the ranges, so that each donor's part of a flow is the same
    fraction of its low and of its high.
    """
    ids = list(sources_f["id"])
    where = {sid: i for i, sid in enumerate(ids)}
    own_mid = iv.midpoint(sources_f["value_low"].to_numpy(dtype=float),
                          sources_f["value_high"].to_numpy(dtype=float))
    own = mix.reindex(ids).to_numpy(dtype=float) * own_mid[:, None]
    home = mix.reindex(ids).to_numpy(dtype=float)
    between = flows[flows["to"].isin(ids).to_numpy() & flows["from"].isin(ids).to_numpy()]
    inflow = between.assign(mid=iv.midpoint(between["value_low"], between["value_high"])
                            ).groupby(["to", "from"])["mid"].sum()
    feeders: dict[str, list[tuple[int, float]]] = {}
    for (to, origin), amount in inflow.items():
        feeders.setdefault(str(to), []).append((where[str(origin)], float(amount)))
    order, _ = topological_order(ids, [(o, t) for t, o in inflow.index])
    shares = np.zeros_like(own)
    for sid in order:
        i = where[str(sid)]
        blend = own[i].copy()
        for origin, amount in feeders.get(str(sid), ()):
            blend += amount * shares[origin]
        total = blend.sum()
        shares[i] = blend / total if total > 0 else home[i]
    return pd.DataFrame(shares, index=ids, columns=mix.columns)


def _payer_supplier(flows_to_need: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    grouped = flows_to_need.groupby(["from", "industry_bloc"])[["value_low", "value_high"]].sum()
    parts = []
    for bound in ("value_low", "value_high"):
        amounts = grouped[bound]
        weights = shares.reindex(amounts.index.get_level_values(0)).fillna(0.0)
        spread = weights.to_numpy() * amounts.to_numpy()[:, None]
        frame = pd.DataFrame(spread, columns=shares.columns)
        frame["industry_bloc"] = amounts.index.get_level_values(1)
        long = frame.melt(id_vars="industry_bloc", var_name="donor_bloc", value_name=bound)
        parts.append(long.groupby(["donor_bloc", "industry_bloc"])[bound].sum())
    both = pd.concat(parts, axis=1).fillna(0.0)
    both = both[(both["value_low"] != 0) | (both["value_high"] != 0)].reset_index()
    return both.rename(columns={"value_low": "amount_low", "value_high": "amount_high"})
