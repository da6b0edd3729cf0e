"""Row selection on ledger frames that stays cheap at a million rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`frame[mask]`, the same columns, dtypes and index labels, at about half the cost
    on Arrow-backed text columns: each is filtered by Arrow in one call (pandas takes
    them by position through several layers). The frame itself when `mask` holds
    everywhere; no copy either way for an empty result."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():
        return frame
    if not mask.any():
        return frame.iloc[0:0]
    if len(frame) < 10_000:  # the general path is as fast for a small ledger
        return frame[mask]
    keep = pa.array(mask)
    index = frame.index[mask]
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        values = frame[name].array
        if hasattr(values, "__arrow_array__") and not isinstance(values.dtype, np.dtype):
            picked = pd.array(values.__arrow_array__().filter(keep), dtype=values.dtype)
        else:
            picked = frame[name].to_numpy()[mask]
        columns[name] = pd.Series(picked, index=index, dtype=values.dtype, copy=False)
    return pd.DataFrame(columns, copy=False)
