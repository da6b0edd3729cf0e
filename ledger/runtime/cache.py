"""A cache bounded by memory, not by count: entries are weighed when stored and
the least recently used go first once the budget is exceeded. Thread-safe, for
what every session of a server shares (published versions and their
reconciliations); what one user uploaded never goes in here."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import pandas as pd

V = TypeVar("V")
DEFAULT_BUDGET_MB = 4096  # of this 24 GB machine's memory; LEDGER_CACHE_MB overrides


def budget_bytes() -> int:
    """The shared-cache budget: LEDGER_CACHE_MB (megabytes), default 4096."""
    text = os.environ.get("LEDGER_CACHE_MB", "")
    try:
        megabytes = float(text) if text else DEFAULT_BUDGET_MB
    except ValueError:
        megabytes = DEFAULT_BUDGET_MB
    return int(max(megabytes, 0) * 1_000_000)


class SizedCache(Generic[V]):
    def __init__(self, budget: int, size_of: Callable[[V], int]):
        self.budget = budget
        self._size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    @property
    def used(self) -> int:
        return self._used

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        """The cached value, or compute it (once, even when asked for concurrently)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
            building = self._building.setdefault(key, threading.Lock())
        with building:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key][0]
            value = compute()
            self._put(key, value)
        with self._lock:
            self._building.pop(key, None)
        return value

    def _put(self, key: Hashable, value: V) -> None:
        size = self._size_of(value)
        with self._lock:
            if size > self.budget:
                return  # larger than the whole budget: used once, never kept
            self._entries[key] = (value, size)
            self._used += size
            while self._used > self.budget and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._used = 0


def frame_bytes(*frames: pd.DataFrame | None) -> int:
    """Memory held by some frames (Arrow strings counted by their buffers)."""
    return int(sum(int(f.memory_usage(deep=True, index=True).sum()) for f in frames
                   if f is not None))


def object_bytes(value: Any) -> int:
    """Memory of a Ledger or a Reconciliation: the frames it holds, and those of the
    dataclasses it holds. A value that holds frames another way says so with a
    method `held_frames()` (a view counting no assumption holds the rows of the view
    it was derived from, and may take most of them: counted in full)."""
    frames = [v for v in vars(value).values() if isinstance(v, pd.DataFrame)]
    for inner in vars(value).values():
        if hasattr(inner, "__dataclass_fields__"):
            frames.extend(v for v in vars(inner).values() if isinstance(v, pd.DataFrame))
        held = getattr(inner, "held_frames", None)
        if callable(held):
            frames.extend(held())
    return frame_bytes(*frames) + 4096
