"""Interval arithmetic on [low, high] pairs: the one place where a range rule is
written down. Every function takes bounds as floats or numpy arrays (element-wise)
and returns (low, high)."""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np

Interval = tuple[float, float]
T = TypeVar("T", float, np.ndarray)


def difference(a_low: T, a_high: T, b_low: T, b_high: T) -> tuple[T, T]:
    """a − b: the lowest a less the highest b, and the other way round."""
    return a_low - b_high, a_high - b_low


def positive_part(low: T, high: T) -> tuple[T, T]:
    """max(x, 0) bound by bound."""
    return np.maximum(low, 0.0), np.maximum(high, 0.0)


def negative_part(low: T, high: T) -> tuple[T, T]:
    """max(−x, 0) bound by bound, as an interval (so low ≤ high)."""
    return np.maximum(-high, 0.0), np.maximum(-low, 0.0)


def minimum(a_low: T, a_high: T, b_low: T, b_high: T) -> tuple[T, T]:
    """min(a, b) bound by bound."""
    return np.minimum(a_low, b_low), np.minimum(a_high, b_high)


def ratio(num_low: T, num_high: T, den_low: T, den_high: T) -> tuple[T, T]:
    """num / den for non-negative intervals: [num.low / den.high, num.high / den.low];
    NaN where the denominator bound is zero (a share of nothing is not a number)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(np.asarray(den_high) > 0, np.divide(num_low, den_high), np.nan)
        high = np.where(np.asarray(den_low) > 0, np.divide(num_high, den_low), np.nan)
    if np.ndim(low) == 0:
        return float(low), float(high)  # type: ignore[return-value]
    return low, high  # type: ignore[return-value]


def total(low: np.ndarray, high: np.ndarray) -> Interval:
    """Σ of intervals: bounds add."""
    return float(np.sum(low)), float(np.sum(high))


def midpoint(low: T, high: T) -> T:
    """The single figure used where one is needed (widths, weights)."""
    return (low + high) / 2


def shares(low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each part's share of the sum, as an interval: the part at its lowest against
    the rest at their highest, and the other way round."""
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    rest_high = high.sum() - high
    rest_low = low.sum() - low
    with np.errstate(divide="ignore", invalid="ignore"):
        share_low = np.where(low + rest_high > 0, low / (low + rest_high), 0.0)
        share_high = np.where(high + rest_low > 0, high / (high + rest_low), 0.0)
    return share_low, share_high


def covered_share(cov_low: np.ndarray, cov_high: np.ndarray, need_low: np.ndarray,
                  need_high: np.ndarray) -> Interval:
    """Σ min(covered, need) / Σ need at its lowest and highest, every need and every
    covered amount anywhere in its range: never above 1, since a surplus on one
    need covers no other. NaN when there is no need at all."""
    cov_low, cov_high, need_low, need_high = (
        np.asarray(x, dtype=float) for x in (cov_low, cov_high, need_low, need_high))
    # highest: covered at its high; a need grows while it stays fully covered (that
    # raises a share ≤ 1) and shrinks while it is not: need = covered, clipped
    need_best = np.clip(cov_high, need_low, need_high)
    high = _share(np.minimum(cov_high, need_best), need_best)
    if math.isnan(high) and float(np.sum(need_high)) > 0:
        # every need that may be above zero is uncovered (a need of 0–0.1, nothing in):
        # any positive need gives 0, so 0 is the highest share, not "not a number"
        high = 0.0
    # lowest: covered at its low; each need at one of its bounds (the share rises then
    # falls as one need grows), chosen by Dinkelbach's iteration on the ratio
    at_low = np.minimum(cov_low, need_low), need_low
    at_high = np.minimum(cov_low, need_high), need_high
    num, den = at_high
    lowest = _share(num, den)
    for _ in range(64):
        pick_low = at_low[0] - lowest * at_low[1] < at_high[0] - lowest * at_high[1]
        num = np.where(pick_low, at_low[0], at_high[0])
        den = np.where(pick_low, at_low[1], at_high[1])
        share = _share(num, den)
        if not share < lowest:
            break
        lowest = share
    return lowest, high


def _share(part: np.ndarray, whole: np.ndarray) -> float:
    whole_sum = float(np.sum(whole))
    return float(np.sum(part)) / whole_sum if whole_sum > 0 else float("nan")
