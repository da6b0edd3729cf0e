"""A cache bounded by memory, not by count: entries are weighed when stored and
the least recently used go first once the budget is exceeded. Thread-safe, for
what every session of a server shares (published versions and their
reconciliations); what one user uploaded never goes in here."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, TypeVar

import pandas as pd

V = TypeVar("V")
DEFAULT_BUDGET_MB = 4096  # of this 24 GB machine's memory; LEDGER_CACHE_MB overrides


def megabytes_setting(name: str, default: int, env: Mapping[str, str] | None = None) -> int:
    """A budget an operator sets in megabytes (the environment variable `name`), in
    bytes: `default` MB when unset or not a number, 0 when negative."""
    text = (os.environ if env is None else env).get(name, "")
    try:
        megabytes = float(text) if text else default
    except ValueError:
        megabytes = default
    return int(max(megabytes, 0) * 1_000_000)


def budget_bytes() -> int:
    """The shared-cache budget: LEDGER_CACHE_MB (megabytes), default 4096."""
    return megabytes_setting("LEDGER_CACHE_MB", DEFAULT_BUDGET_MB)


class SizedCache(Generic[V]):
    def __init__(self, budget: int, size_of: Callable[[V], int]):
        self.budget = budget
        self._size_of = size_of
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        # what each entry kept with it when it was last weighed (growth_marker)
        self._weighed: dict[Hashable, tuple[int, ...]] = {}
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
                value = self._entries[key][0]
                stale = growth_marker(value) != self._weighed.get(key)
            else:
                value, stale = None, False
            if value is None:
                building = self._building.setdefault(key, threading.Lock())
        if value is not None:
            if stale:
                self._reweigh(key, value)
            return value
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
            self._weighed[key] = growth_marker(value)
            self._used += size
            self._evict()

    def _reweigh(self, key: Hashable, value: V) -> None:
        """Weigh an entry again: what is derived from a cached value and kept with it
        (the tables of a view, what a ledger found once) grows after it was stored, and
        must count against the budget too. Done on a read that finds it grown."""
        size = self._size_of(value)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] is not value:
                return
            self._used += size - entry[1]
            self._entries[key] = (value, size)
            self._weighed[key] = growth_marker(value)
            self._evict()

    def _evict(self) -> None:
        """Drop the least recently used entries until the budget holds (lock held)."""
        while self._used > self.budget and self._entries:
            dropped_key, (_, dropped) = self._entries.popitem(last=False)
            self._weighed.pop(dropped_key, None)
            self._used -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weighed.clear()
            self._used = 0


def frame_bytes(*frames: pd.DataFrame | None) -> int:
    """Memory held by some frames (Arrow strings counted by their buffers)."""
    return int(sum(int(f.memory_usage(deep=True, index=True).sum()) for f in frames
                   if f is not None))


def growth_marker(value: Any) -> tuple[int, ...]:
    """How much a value keeps: its attributes and what is in its dicts (the parts and
    tables a view computed, what a ledger found once). Cheap to read, and it changes
    when something is kept with the value after it was stored, which is when it must
    be weighed again."""
    try:
        inner = vars(value)
    except TypeError:
        return ()
    # the attributes too: a view computes its tables on first use (cached properties)
    return (len(inner), *(len(v) for v in inner.values() if isinstance(v, dict)))


def object_bytes(value: Any) -> int:
    """Memory of a Ledger or a Reconciliation: the frames it holds, those of the
    dataclasses it holds, and those kept in its dicts (the tables a view built for
    its pages, what a ledger found once). A value that holds frames another way
    says so with a method `held_frames()` (a view counting no assumption holds the
    rows of the view it was derived from, and may take most of them: counted in
    full)."""
    frames: list[pd.DataFrame | pd.Series] = []
    if isinstance(value, pd.DataFrame | pd.Series):  # a table kept as it is (a history)
        frames.append(value)
    for inner in ([] if frames else vars(value).values()):
        frames.extend(_frames_in(inner))
        if hasattr(inner, "__dataclass_fields__"):
            frames.extend(f for v in vars(inner).values() for f in _frames_in(v, deep=False))
        held = getattr(inner, "held_frames", None)
        if callable(held):
            frames.extend(held())
    return int(sum(int(f.memory_usage(deep=True, index=True).sum()) if isinstance(
        f, pd.DataFrame) else int(f.memory_usage(deep=True, index=True)) for f in frames)) + 4096


def _frames_in(value: Any, deep: bool = True) -> list[pd.DataFrame | pd.Series]:
    """The frames and series `value` is or holds in a dict, list or tuple (one level)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return [value]
    if not deep:
        return []
    inner = (value.values() if isinstance(value, dict)
             else value if isinstance(value, list | tuple) else ())
    return [v for v in inner if isinstance(v, pd.DataFrame | pd.Series)] + [
        w for v in inner if isinstance(v, list | tuple)
        for w in v if isinstance(w, pd.DataFrame | pd.Series)]
