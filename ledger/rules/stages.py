"""Stages of money: pledged < committed < allocated < disbursed. A flow that fulfils
an earlier one (`fulfils`) delivers part of it, so the earlier counts only for what
is left: max(0, earlier − Σ later flows fulfilling it), bound by bound. The funnel
counts each stage with every later one: nothing is counted twice."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.core.language import N_
from ledger.reading.references import STAGE_ORDER as STAGES  # one order, read and ruled

STAGE_WORDS = {  # how a headline names what it counts
    "pledged": N_("counting pledges and everything further"),
    "committed": N_("counting commitments and everything further"),
    "allocated": N_("counting allocations and money paid out"),
    "disbursed": N_("counting money paid out"),
}


def stage_or_further(stage: str) -> tuple[str, ...]:
    """The statuses a stage of the funnel counts: itself and every later one."""
    return STAGES[STAGES.index(stage):]


def fulfilled_remainders(frame: pd.DataFrame) -> pd.DataFrame:
    """The flows of `frame` with each earlier flow reduced to its remainder (bound by
    bound, never below zero), in the reporting currency and before the levers. Only
    flows in `frame` count: a payment the status filter or the as-of date leaves out
    fulfils nothing. Adds `fulfilled_low/high` (what later flows deliver of a flow)
    and keeps the frame as it is when no flow fulfils another."""
    if "fulfils" not in frame.columns:
        return frame
    fulfils = frame["fulfils"]
    naming = (fulfils != "").to_numpy() & (frame["kind"] == "flow").to_numpy()
    if not naming.any():
        return frame
    ids = pd.Index(frame["id"])
    target = ids.get_indexer(fulfils[naming])
    present = target >= 0  # the earlier flow is in this view
    rows = np.flatnonzero(naming)[present]
    size = len(frame)
    delivered = {bound: np.bincount(target[present],
                                     frame[f"value_{bound}"].to_numpy(dtype=float)[rows],
                                     minlength=size)
                 for bound in ("low", "high")}
    # bound by bound: the earlier flow's low less the later flows' low, its high less
    # their high, so earlier = remainder + delivered at each end while they fit; where
    # the later flows' range is the wider one the low end is taken down to the high
    # (a flow nothing fulfils keeps its own range: nothing is taken from it)
    high = np.maximum(frame["value_high"].to_numpy(dtype=float) - delivered["high"], 0.0)
    low = np.minimum(np.maximum(frame["value_low"].to_numpy(dtype=float) - delivered["low"],
                                0.0), high)
    return frame.assign(value_low=low, value_high=high,
                        fulfilled_low=delivered["low"], fulfilled_high=delivered["high"])


def delivered_beyond(frame: pd.DataFrame) -> pd.DataFrame:
    """Flows whose later flows deliver more than they are, for certain: Σ later.low
    above the flow's high end (before the levers). id, the flow's range, delivered."""
    if "fulfilled_low" not in frame.columns:
        return frame.iloc[0:0]
    beyond = (frame["fulfilled_low"].to_numpy(dtype=float)
              > frame["full_high"].to_numpy(dtype=float) * (1 + 1e-12))
    return frame.loc[beyond, ["id", "full_low", "full_high", "fulfilled_low",
                              "fulfilled_high"]]
