"""Row selection at scale gives what pandas' own `frame[mask]` gives."""

from __future__ import annotations

import platform

import numpy as np
import pandas as pd
import pytest

from ledger.core.frames import rows_where
from ledger.runtime.memory import use_jemalloc

from .conftest import ROOT


def _frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame({
        "row": np.arange(2, rows + 2),
        "id": pd.array([f"f{i}" for i in range(rows)], dtype="str"),
        "kind": pd.array(rng.choice(["need", "source", "flow"], rows), dtype="str"),
        "low": rng.random(rows),
        "date": pd.to_datetime("2025-01-01") + pd.to_timedelta(rng.integers(0, 400, rows), "D"),
        "shifted": rng.random(rows) < 0.1,
        "blocs": pd.Series(rng.choice(["Europe", "Other"], rows), dtype=object),
    }, index=pd.RangeIndex(5, rows + 5))


def test_rows_where_returns_the_frame_itself_when_every_row_is_kept() -> None:
    frame = _frame(20_000)
    assert rows_where(frame, np.ones(len(frame), dtype=bool)) is frame
    nothing = rows_where(frame, np.zeros(len(frame), dtype=bool))
    assert nothing.empty and list(nothing.columns) == list(frame.columns)
    assert nothing.dtypes.equals(frame.dtypes)


def test_spread_puts_each_rows_value_and_reads_a_missing_position_as_empty() -> None:
    from ledger.core.frames import text_from_codes

    column = text_from_codes(["Europe", "Other"], np.array([1, 0, -1, 1]), pd.RangeIndex(4))
    assert list(column) == ["Other", "Europe", "", "Other"] and column.dtype == "str"


def test_the_allocator_named_in_the_environment_is_left_in_place(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    before = pa.default_memory_pool()
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert use_jemalloc() == before.backend_name
    assert pa.default_memory_pool().backend_name == before.backend_name


class _Node:
    def __init__(self) -> None:
        self.itself = self  # a reference cycle: only the collector frees it


def test_objects_alive_at_the_freeze_are_out_of_the_collectors_sight_and_new_ones_are_not():
    import gc
    import weakref

    from ledger.runtime.memory import freeze_long_lived

    gc.unfreeze()
    try:
        frozen = _Node()
        frozen_ref = weakref.ref(frozen)
        # the count it returns is the permanent generation's size then; another thread of
        # the test process may free a frozen object a moment later, so only > 0 is sure
        assert freeze_long_lived() > 0 and gc.get_freeze_count() > 0
        made_after = _Node()
        made_after_ref = weakref.ref(made_after)
        del frozen, made_after
        gc.collect(2)  # what Streamlit runs after every script run
        assert made_after_ref() is None  # collected as before
        assert frozen_ref() is not None  # not walked: the cost the freeze saves
    finally:
        gc.unfreeze()
    gc.collect()
    assert frozen_ref() is None


_HELD_AFTER_FREE = """
import ctypes, sys
import numpy as np
from ledger.runtime.memory import keep_freed_memory

class Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Mallinfo2
if sys.argv[1] == "keep":
    assert keep_freed_memory()
block = np.ones(50_000_000 // 8)  # 50 MB, then freed
del block
print(libc.mallinfo2().fordblks)  # bytes free but held by the process
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc",
                    reason="mallinfo2 and M_TRIM_THRESHOLD are glibc's (Linux); elsewhere "
                           "keep_freed_memory declines and this has nothing to measure")
def test_the_command_line_keeps_freed_memory_for_reuse_instead_of_handing_it_back(tmp_path):
    # a 50 MB array freed: by default glibc hands it back to the system (nothing free
    # is held); after keep_freed_memory the process keeps it for the next array
    import subprocess
    import sys

    script = tmp_path / "held.py"
    script.write_text(_HELD_AFTER_FREE)

    def held(mode: str) -> int:
        run = subprocess.run([sys.executable, str(script), mode], capture_output=True,
                             text=True, check=True, cwd=ROOT)
        return int(run.stdout)

    assert held("keep") >= 50_000_000
    assert held("default") < 10_000_000
