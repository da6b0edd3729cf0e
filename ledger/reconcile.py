"""Reconciliation of needs, sources and flows as intervals [low, high] in one
reporting currency: coverage and gaps, source use, industry split, payer ×
supplier, and findings that name their rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.blocs import load_blocs
from ledger.findings import Finding, collect_findings
from ledger.fx import RateTable, rate_table
from ledger.graph import topological_order
from ledger.scenario import Scenario, Valued, apply
from ledger.schema import Ledger

Interval = tuple[float, float]


@dataclass(frozen=True)
class Reconciliation:
    currency: str
    scenario: Scenario
    valued: Valued
    totals: dict[str, Interval]
    needs: pd.DataFrame  # id, name, category, need_*, covered_*, gap_*, coverage_*
    sources: pd.DataFrame  # id, name, donor, donor_bloc, available_*, allocated_*, headroom_*
    industry: pd.DataFrame  # bloc, amount_low/high, share_low/high
    payer_supplier: pd.DataFrame  # donor_bloc, industry_bloc, amount_low/high
    findings: list[Finding]
    data_version: str

    @property
    def fx_date(self) -> dt.date | None:
        return self.valued.fx_date


def row_blocs(ledger: Ledger, blocs: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(donor bloc, industry bloc) of each row; codes missing from blocs -> Other."""
    frame = ledger.frame
    return _bloc_of(frame["donor"], blocs), _bloc_of(frame["industry"], blocs)


def _bloc_of(codes: pd.Series, blocs: dict[str, str]) -> pd.Series:
    """Look each distinct code up once (a column holds few), then spread."""
    position, uniques = pd.factorize(codes)
    looked_up = np.array([blocs.get(code, "Other") if code else "" for code in uniques] + [""],
                         dtype=object)
    return pd.Series(looked_up[position], index=codes.index, dtype="str")


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
                   "full_low", "full_high", "row"]
    needs_f = frame.loc[kind == "need", row_columns]
    sources_f = frame.loc[kind == "source", row_columns]
    flows = aggregate_flows(frame, kind == "flow")
    flows_to_need = flows[flows["to"].isin(needs_f["id"]).to_numpy()]

    needs = _needs(needs_f, flows_to_need)
    sources = _sources(sources_f, flows)
    totals = _totals(needs)
    industry = _industry(flows_to_need)
    composition = _donor_composition(sources_f, flows)
    payer = _payer_supplier(flows_to_need, composition)
    findings = collect_findings(ledger, valued, needs, sources, blocs, scenario)
    return Reconciliation(
        currency=scenario.currency, scenario=scenario, valued=valued, totals=totals,
        needs=needs, sources=sources, industry=industry, payer_supplier=payer,
        findings=findings, data_version=ledger.data_version,
    )


def aggregate_flows(frame: pd.DataFrame, is_flow: np.ndarray) -> pd.DataFrame:
    """Flows summed by (from, to, industry bloc): every total below is a sum over
    these groups, and a million flows fall into a few thousand of them."""
    columns = ("from", "to", "industry_bloc")
    codes, names = [], []
    for column in columns:
        code, distinct = pd.factorize(frame[column].to_numpy()[is_flow]
                                      if len(frame) else np.array([], dtype=object))
        codes.append(code.astype(np.int64))
        names.append(np.asarray(distinct, dtype=object))
    sizes = [max(len(n), 1) for n in names]
    key = (codes[0] * sizes[1] + codes[1]) * sizes[2] + codes[2]
    group, distinct_keys = pd.factorize(key)
    low = np.bincount(group, weights=frame["value_low"].to_numpy()[is_flow],
                      minlength=len(distinct_keys))
    high = np.bincount(group, weights=frame["value_high"].to_numpy()[is_flow],
                       minlength=len(distinct_keys))
    keys = np.asarray(distinct_keys, dtype=np.int64)
    return pd.DataFrame({
        "from": names[0][keys // (sizes[1] * sizes[2])] if len(keys) else [],
        "to": names[1][keys // sizes[2] % sizes[1]] if len(keys) else [],
        "industry_bloc": names[2][keys % sizes[2]] if len(keys) else [],
        "value_low": low, "value_high": high,
    })


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
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage_low = np.where(need_high > 0, cov_low / need_high, np.nan)
        coverage_high = np.where(need_low > 0, cov_high / need_low, np.nan)
    return pd.DataFrame({
        "id": needs_f["id"].to_numpy(), "name": needs_f["name"].to_numpy(),
        "category": needs_f["category"].to_numpy(),
        "need_low": need_low, "need_high": need_high,
        "covered_low": cov_low, "covered_high": cov_high,
        "gap_low": need_low - cov_high, "gap_high": need_high - cov_low,
        "coverage_low": coverage_low, "coverage_high": coverage_high,
        "row": needs_f["row"].to_numpy(),
    })


def _sources(sources_f: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    index = pd.Index(sources_f["id"])
    in_low, in_high = _sum_by(flows[flows["to"].isin(index)], "to", index)
    out_low, out_high = _sum_by(flows, "from", index)
    avail_low = sources_f["value_low"].to_numpy(dtype=float) + in_low
    avail_high = sources_f["value_high"].to_numpy(dtype=float) + in_high
    over = np.where(out_low > avail_high, "yes", np.where(out_high > avail_low, "possible", "no"))
    return pd.DataFrame({
        "id": index.to_numpy(), "name": sources_f["name"].to_numpy(),
        "donor": sources_f["donor"].to_numpy(), "donor_bloc": sources_f["donor_bloc"].to_numpy(),
        "own_low": sources_f["value_low"].to_numpy(dtype=float),
        "own_high": sources_f["value_high"].to_numpy(dtype=float),
        "available_low": avail_low, "available_high": avail_high,
        "allocated_low": out_low, "allocated_high": out_high,
        "headroom_low": avail_low - out_high, "headroom_high": avail_high - out_low,
        "over_allocated": over,
        "row": sources_f["row"].to_numpy(),
    })


def _totals(needs: pd.DataFrame) -> dict[str, Interval]:
    need = (float(needs["need_low"].sum()), float(needs["need_high"].sum()))
    covered = (float(needs["covered_low"].sum()), float(needs["covered_high"].sum()))
    return {"need": need, "covered": covered,
            "gap": (need[0] - covered[1], need[1] - covered[0])}


def interval_shares(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of each part in the total, as an interval: the part at its lowest
    against the rest at their highest, and the other way round."""
    rest_high = high.sum() - high
    rest_low = low.sum() - low
    with np.errstate(divide="ignore", invalid="ignore"):
        share_low = np.where(low + rest_high > 0, low / (low + rest_high), 0.0)
        share_high = np.where(high + rest_low > 0, high / (high + rest_low), 0.0)
    return share_low, share_high


def _industry(flows_to_need: pd.DataFrame) -> pd.DataFrame:
    sums = flows_to_need.groupby("industry_bloc", sort=True)[["value_low", "value_high"]].sum()
    low = sums["value_low"].to_numpy(dtype=float)
    high = sums["value_high"].to_numpy(dtype=float)
    share_low, share_high = interval_shares(low, high)
    return pd.DataFrame({"bloc": sums.index.to_numpy(dtype=object), "amount_low": low,
                         "amount_high": high, "share_low": share_low, "share_high": share_high})


def _midpoint(frame: pd.DataFrame) -> pd.Series:
    return (frame["value_low"] + frame["value_high"]) / 2


def _donor_composition(sources_f: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Each source's money by original donor bloc, as shares (rows sum to 1).

    Money passed on from another source keeps that source's donor mix, pro rata.
    The mix is weighted by the midpoints of the ranges, so that each donor's
    part of a flow is the same fraction of its low and of its high.
    """
    ids = list(sources_f["id"])
    where = {sid: i for i, sid in enumerate(ids)}
    bloc_names = sorted(set(sources_f["donor_bloc"]) | {"Other"})
    home = [bloc_names.index(b or "Other") for b in sources_f["donor_bloc"]]
    own = np.zeros((len(ids), len(bloc_names)))
    own[np.arange(len(ids)), home] = _midpoint(sources_f).to_numpy(dtype=float)
    between = flows[flows["to"].isin(ids).to_numpy() & flows["from"].isin(ids).to_numpy()]
    inflow = between.assign(mid=_midpoint(between)).groupby(["to", "from"])["mid"].sum()
    feeders: dict[str, list[tuple[int, float]]] = {}
    for (to, origin), amount in inflow.items():
        feeders.setdefault(str(to), []).append((where[str(origin)], float(amount)))
    order, _ = topological_order(ids, [(o, t) for t, o in inflow.index])
    shares = np.zeros_like(own)
    for sid in order:
        i = where[str(sid)]
        mix = own[i].copy()
        for origin, amount in feeders.get(str(sid), ()):
            mix += amount * shares[origin]
        total = mix.sum()
        if total > 0:
            shares[i] = mix / total
        else:
            shares[i, home[i]] = 1.0
    return pd.DataFrame(shares, index=ids, columns=bloc_names)


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
