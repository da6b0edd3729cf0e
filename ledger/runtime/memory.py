"""Which allocator holds the ledger's Arrow columns."""

from __future__ import annotations

import contextlib
import os


def use_jemalloc() -> str:
    """Arrow's jemalloc pool for this process, unless ARROW_DEFAULT_MEMORY_POOL says
    otherwise or this build of pyarrow has no jemalloc (Windows). Measured on a
    million flows (README "Performance"): the lowest peak of the three pools Arrow
    offers (a report 1.44 GB against 1.58 GB for its default, mimalloc) and not
    slower. Returns the pool's name."""
    import pyarrow as pa

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool().backend_name
    with contextlib.suppress(NotImplementedError):  # a build without jemalloc
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    return pa.default_memory_pool().backend_name


def keep_freed_memory() -> bool:
    """For a short-lived process (the command line): large blocks come from the heap
    and stay with the process once freed, instead of being handed back to the system
    and faulted in again, page by page, by the next array of the same size (a report
    on a million flows builds and drops many columns of 8 MB; its peak is a little
    higher). glibc only (mallopt); returns whether it applied."""
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):  # not Linux, or no mallopt
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(mallopt(m_mmap_threshold, 1 << 30) and mallopt(m_trim_threshold, 1 << 30))


def freeze_long_lived() -> int:
    """Collect once, then move every object alive now (modules, classes, plotly's
    validators, the rate table: what lives as long as the process) out of the
    garbage collector's sight. Streamlit runs a full collection after every script
    run, and each walks every tracked object while holding the interpreter, delaying
    the last messages to the browser and the next run. Frozen objects are still freed
    by reference counting; only a reference cycle among them would stay. Returns how
    many were frozen."""
    import gc

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
