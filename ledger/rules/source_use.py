"""What each source has and gives: available, allocated and headroom in the
reporting currency, and over-allocation judged in the source's own currency."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.money.fx import RateTable, cross_factors
from ledger.rules import intervals as iv
from ledger.rules.findings import OverAllocation
from ledger.rules.flowsums import sum_by


def source_use(source_rows: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    index = pd.Index(source_rows["id"])
    in_low, in_high = sum_by(flows[flows["to"].isin(index)], "to", index)
    out_low, out_high = sum_by(flows, "from", index)
    avail_low = source_rows["value_low"].to_numpy(dtype=float) + in_low
    avail_high = source_rows["value_high"].to_numpy(dtype=float) + in_high
    headroom = iv.difference(avail_low, avail_high, out_low, out_high)
    return pd.DataFrame({
        "id": index.to_numpy(), "name": source_rows["name"].to_numpy(),
        "donor": source_rows["donor"].to_numpy(),
        "donor_bloc": source_rows["donor_bloc"].to_numpy(),
        "own_low": source_rows["value_low"].to_numpy(dtype=float),
        "own_high": source_rows["value_high"].to_numpy(dtype=float),
        "full_low": source_rows["full_low"].to_numpy(dtype=float),  # before the levers
        "full_high": source_rows["full_high"].to_numpy(dtype=float),
        "available_low": avail_low, "available_high": avail_high,
        "allocated_low": out_low, "allocated_high": out_high,
        "headroom_low": headroom[0], "headroom_high": headroom[1],
        "row": source_rows["row"].to_numpy(),
    })


def judge_over_allocation(sources: pd.DataFrame, source_rows: pd.DataFrame,
                          native: pd.DataFrame, rates: RateTable) -> pd.DataFrame:
    """Over-allocation is a fact about the data, not about the valuation: each source's
    own amount and every flow in or out are taken in the source's own currency at the
    source's own date, in both FX modes. Where a rate for that is missing, the
    reporting-currency figures decide."""
    index = pd.Index(source_rows["id"].to_numpy())
    currency = source_rows["currency"].to_numpy(dtype=object)
    day = source_rows["date"].to_numpy(dtype="datetime64[D]")
    position = index.get_indexer(native["id"].to_numpy(dtype=object))  # -1: a need
    end = native["end"].to_numpy(dtype=object)
    flow_currency = native["currency"].to_numpy(dtype=object)
    low, high = native["native_low"].to_numpy(), native["native_high"].to_numpy()

    def in_source_currency(which: str) -> tuple[np.ndarray, np.ndarray]:
        keep = (end == which) & (position >= 0)
        at = position[keep]
        factor = cross_factors(flow_currency[keep], currency[at], day[at], rates)
        return (np.bincount(at, weights=low[keep] * factor, minlength=len(index)),
                np.bincount(at, weights=high[keep] * factor, minlength=len(index)))

    own_low = source_rows["value_low"].to_numpy(dtype=float) / source_rows["fx_factor"].to_numpy()
    own_high = source_rows["value_high"].to_numpy(dtype=float) / source_rows["fx_factor"].to_numpy()
    in_low, in_high = in_source_currency("to")
    out_low, out_high = in_source_currency("from")
    avail_low, avail_high = own_low + in_low, own_high + in_high
    native = np.isfinite(avail_low + avail_high + out_low + out_high)
    avail_low = np.where(native, avail_low, sources["available_low"])
    avail_high = np.where(native, avail_high, sources["available_high"])
    out_low = np.where(native, out_low, sources["allocated_low"])
    out_high = np.where(native, out_high, sources["allocated_high"])
    # the same range given out as came in is the same uncertain amount passed on in
    # full (a package of $487–511 m bought whole), not a possible over-allocation
    whole = np.isclose(out_low, avail_low, rtol=1e-9, atol=0) & np.isclose(
        out_high, avail_high, rtol=1e-9, atol=0)
    state = np.where(out_low > avail_high * (1 + 1e-12), OverAllocation.CERTAIN.value,
                     np.where((out_high > avail_low * (1 + 1e-12)) & ~whole,
                              OverAllocation.POSSIBLE.value, OverAllocation.NO.value))
    return sources.assign(
        over_allocated=state,
        judged_in=np.where(native, source_rows["currency"].to_numpy(dtype=object), ""),
        judged_available_low=avail_low, judged_available_high=avail_high,
        judged_allocated_low=out_low, judged_allocated_high=out_high,
    )


def by_instrument(frame: pd.DataFrame, need_ids: pd.Series) -> pd.DataFrame:
    """Money by instrument: the sources' own amounts (a pool's inflows are counted at
    their origin, never twice) and the flows into needs, each [low, high]."""
    from ledger.reading.schema import INSTRUMENTS

    kind = frame["kind"].to_numpy()
    code, names = pd.factorize(frame["instrument"])
    into_need = (kind == "flow") & frame["to"].isin(need_ids).to_numpy()
    table: dict[str, object] = {"instrument": list(names)}
    for name, rows in (("amount", kind == "source"), ("to_needs", into_need)):
        for bound in ("low", "high"):
            table[f"{name}_{bound}"] = np.bincount(
                code[rows], weights=frame[f"value_{bound}"].to_numpy(dtype=float)[rows],
                minlength=len(names))
    out = pd.DataFrame(table)
    out = out[(out["amount_high"] > 0) | (out["to_needs_high"] > 0)]
    order = {name: i for i, name in enumerate(INSTRUMENTS)}
    return out.sort_values("instrument", key=lambda s: s.map(order)).reset_index(drop=True)
