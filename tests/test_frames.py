"""Row selection at scale gives what pandas' own `frame[mask]` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ledger.frames import rows_where
from ledger.memory import use_jemalloc


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


@pytest.mark.parametrize("rows", [50, 20_000])
def test_rows_where_is_frame_mask_with_the_same_dtypes_and_labels(rows: int) -> None:
    frame = _frame(rows)
    mask = np.random.default_rng(1).random(rows) < 0.8
    picked = rows_where(frame, mask)
    pd.testing.assert_frame_equal(picked, frame[mask])
    assert list(picked.index[:3]) == list(frame.index[mask][:3])


def test_rows_where_returns_the_frame_itself_when_every_row_is_kept() -> None:
    frame = _frame(20_000)
    assert rows_where(frame, np.ones(len(frame), dtype=bool)) is frame
    nothing = rows_where(frame, np.zeros(len(frame), dtype=bool))
    assert nothing.empty and list(nothing.columns) == list(frame.columns)


def test_the_allocator_named_in_the_environment_is_left_in_place(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    before = pa.default_memory_pool()
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert use_jemalloc() == before.backend_name
    assert pa.default_memory_pool().backend_name == before.backend_name
