"""Who pays and who supplies: the industry split (overall, per need category,
among known industry) and payer × supplier, money through pools keeping its
original donors pro rata."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.core.graph import topological_order
from ledger.rules import intervals as iv


def industry_split(flows_to_need: pd.DataFrame) -> pd.DataFrame:
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


def industry_by_category(flows_to_need: pd.DataFrame) -> pd.DataFrame:
    """The industry split within each need category (the article's claim is about the
    armament programme, not about reconstruction)."""
    sums = (flows_to_need.groupby(["category", "industry_bloc"], sort=True)
            [["value_low", "value_high"]].sum())
    if sums.empty:
        return pd.DataFrame(columns=["category", "bloc", "amount_low", "amount_high",
                                     "share_low", "share_high", "share_of_known_low",
                                     "share_of_known_high"])
    category = sums.index.get_level_values(0).to_numpy(dtype=object)
    bloc = sums.index.get_level_values(1).to_numpy(dtype=object)
    low, high = sums["value_low"].to_numpy(dtype=float), sums["value_high"].to_numpy(dtype=float)
    share_low, share_high = np.empty(len(sums)), np.empty(len(sums))
    known_low, known_high = np.full(len(sums), np.nan), np.full(len(sums), np.nan)
    # the rows of a category stand together (sorted): each is split within its own
    starts = np.flatnonzero(np.r_[True, category[1:] != category[:-1]])
    for first, last in zip(starts, np.r_[starts[1:], len(sums)], strict=True):
        part = slice(first, last)
        share_low[part], share_high[part] = iv.shares(low[part], high[part])
        known = np.flatnonzero(bloc[part] != "Unknown") + first
        known_low[known], known_high[known] = iv.shares(low[known], high[known])
    return pd.DataFrame({"category": category, "bloc": bloc, "amount_low": low,
                         "amount_high": high, "share_low": share_low, "share_high": share_high,
                         "share_of_known_low": known_low, "share_of_known_high": known_high})


def donor_composition(source_rows: pd.DataFrame, flows: pd.DataFrame,
                       mix: pd.DataFrame) -> pd.DataFrame:
    """Each source's money by original donor bloc, as shares (rows sum to 1).

    A source's own money splits by its donors' shares; money passed on from another
    source keeps that source's donor mix, pro rata. The mix is weighted by the
    midpoints of the ranges, so that each donor's part of a flow is the same
    fraction of its low and of its high.
    """
    ids = list(source_rows["id"])
    where = {sid: i for i, sid in enumerate(ids)}
    own_mid = iv.midpoint(source_rows["value_low"].to_numpy(dtype=float),
                          source_rows["value_high"].to_numpy(dtype=float))
    home = mix.reindex(ids).to_numpy(dtype=float)
    own = home * own_mid[:, None]
    between = flows[flows["to"].isin(ids).to_numpy() & flows["from"].isin(ids).to_numpy()]
    targets: list[str] = []
    origins: list[str] = []
    feeders: dict[str, list[tuple[int, float]]] = {}
    if len(between):  # money passed from source to source (a pool); most ledgers have few
        inflow = between.assign(mid=iv.midpoint(between["value_low"], between["value_high"])
                                ).groupby(["to", "from"])["mid"].sum()
        # plain lists: iterating a Series by its (to, from) pairs costs more than the sums
        targets = inflow.index.get_level_values(0).astype(str).tolist()
        origins = inflow.index.get_level_values(1).astype(str).tolist()
        for to, origin, amount in zip(targets, origins, inflow.to_numpy(dtype=float).tolist(),
                                      strict=True):
            feeders.setdefault(to, []).append((where[origin], amount))
    order, _ = topological_order(ids, list(zip(origins, targets, strict=True)))
    shares = np.zeros_like(own)
    for sid in order:
        i = where[str(sid)]
        blend = own[i].copy()
        for feeder, amount in feeders.get(str(sid), ()):
            blend += amount * shares[feeder]
        total = blend.sum()
        shares[i] = blend / total if total > 0 else home[i]
    return pd.DataFrame(shares, index=ids, columns=mix.columns)


def payer_supplier(flows_to_need: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Flows into needs by (donor bloc, industry bloc): each flow split over the donor
    blocs by its source's mix (a matrix product per industry bloc)."""
    donors = list(shares.columns)
    industry_code, industries = pd.factorize(flows_to_need["industry_bloc"])
    industries = np.asarray(industries.tolist(), dtype=object)
    # each flow's source's mix, looked up once per distinct source (a source not in the
    # table gives nothing)
    position, origins = pd.factorize(flows_to_need["from"])
    found = shares.index.get_indexer(origins.tolist())
    table = np.vstack([shares.to_numpy(dtype=float), np.zeros((1, len(donors)))])
    rows = np.append(np.where(found < 0, len(shares), found), len(shares))  # -1: empty cell
    weights = table[rows[position]]
    tables = {}
    for bound in ("value_low", "value_high"):
        amounts = flows_to_need[bound].to_numpy(dtype=float)
        table = np.zeros((len(donors), len(industries)))
        for k in range(len(industries)):
            here = industry_code == k
            table[:, k] = amounts[here] @ weights[here]
        tables[bound] = table
    donor_index, industry_index = np.meshgrid(np.arange(len(donors)),
                                              np.arange(len(industries)), indexing="ij")
    low, high = tables["value_low"].ravel(), tables["value_high"].ravel()
    donor_of = np.asarray(donors, dtype=object)[donor_index.ravel()]
    industry_of = industries[industry_index.ravel()]
    # the cells with money, by donor bloc then industry bloc (a few dozen cells at most:
    # sorted here, not by a frame's sort)
    cells = sorted(np.flatnonzero((low != 0) | (high != 0)).tolist(),
                   key=lambda i: (str(donor_of[i]), str(industry_of[i])))
    return pd.DataFrame({"donor_bloc": donor_of[cells], "industry_bloc": industry_of[cells],
                         "amount_low": low[cells], "amount_high": high[cells]})
