"""Flows summed over the few keys that matter: a million flows fall into a few
thousand groups, and every total is a sum over those groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

Codes = dict[str, tuple[np.ndarray, np.ndarray]]
FLOW_KEYS = ("from", "to", "industry_bloc")  # what flows are summed by


def aggregate_flows(frame: pd.DataFrame, is_flow: np.ndarray,
                    cache: Codes | None = None) -> pd.DataFrame:
    """Flows summed by (from, to, industry bloc): every total below is a sum over
    these groups, and a million flows fall into a few thousand of them."""
    cache = {} if cache is None else cache
    codes = {c: flow_codes(frame, c, is_flow, cache) for c in FLOW_KEYS}
    values = {b: frame[b].to_numpy()[is_flow] for b in ("value_low", "value_high")}
    return flow_sums(codes, values)


def flow_sums(codes: Codes, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """`aggregate_flows` from the flows' codes (FLOW_KEYS) and their value_low/high."""
    return _group_sums({c: codes[c] for c in FLOW_KEYS}, values)


def native_flow_sums(frame: pd.DataFrame, is_flow: np.ndarray,
                     cache: Codes | None = None) -> pd.DataFrame:
    """Flows in their own currency (after the levers), summed by (end, id, currency):
    what each source gives out (`end` = from) and receives (`end` = to)."""
    factor = frame["fx_factor"].to_numpy()[is_flow]
    values = {"native_low": frame["value_low"].to_numpy()[is_flow] / factor,
              "native_high": frame["value_high"].to_numpy()[is_flow] / factor}
    cache = {} if cache is None else cache
    currency = flow_codes(frame, "currency", is_flow, cache)
    parts = [_group_sums({"id": flow_codes(frame, end, is_flow, cache), "currency": currency},
                         values).assign(end=end) for end in ("from", "to")]
    return pd.concat(parts, ignore_index=True)


def flow_codes(frame: pd.DataFrame, column: str, is_flow: np.ndarray,
                cache: Codes) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the flows' values in a column, and the distinct values (of all rows:
    factorizing the whole Arrow column is faster than taking the flows' first); found
    once per view and column (`cache`: the view's codes)."""
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


def sum_by(frame: pd.DataFrame, key: str, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Sums of value_low/value_high by `key`, in the order of `index` (0 where none)."""
    position = index.get_indexer(frame[key])  # -1: not in the index, left out
    kept = position >= 0
    size = len(index)

    def total(column: str) -> np.ndarray:
        weights = frame[column].to_numpy(dtype=float)[kept]
        return np.bincount(position[kept], weights=weights, minlength=size).astype(float)

    return total("value_low"), total("value_high")
