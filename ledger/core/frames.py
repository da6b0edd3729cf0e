"""Row selection on ledger frames, and reading their Arrow columns, that stay cheap at
a million rows; and reading the small tables we ship and a small table's rows, cheap
on a few rows (a report on the shipped ledger is mostly such)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`frame[mask]`, except that a mask holding everywhere returns the frame itself
    and one holding nowhere an empty frame with the same columns: taking every row of
    a million-row frame copies each column, text included, for nothing."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():
        return frame
    if not mask.any():
        return frame.iloc[0:0]
    return frame[mask]


def positions_of(ids: pd.Series, names: pd.Series) -> np.ndarray:
    """Where each of `names` first stands among `ids` (-1: nowhere). Duplicate ids,
    an error reported on its own, do not stop the look-up."""
    first = ~ids.duplicated().to_numpy()
    where = pd.Index(ids[first]).get_indexer(names)
    return np.where(where >= 0, np.flatnonzero(first)[np.maximum(where, 0)], -1)


def text_from_codes(looked_up: list[str], position: np.ndarray, index: pd.Index) -> pd.Series:
    """A text column from a few distinct values and each row's position among them
    (-1: an empty cell), assembled by Arrow: a million rows are never boxed one by one
    into Python strings."""
    return pd.Series(pd.array(arrow_text_from_codes(looked_up, position), dtype="str"), index=index)


def arrow_text_from_codes(looked_up: list[str], position: np.ndarray) -> pa.Array:
    """`text_from_codes`, as an Arrow array (-1 reads as an empty string)."""
    values = pa.array([*looked_up, ""], type=pa.large_string())
    return values.take(np.where(position < 0, len(looked_up), position))


def _text_buffers(cells: pd.Series) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Per Arrow chunk of a text column: the offsets of its cells (one more than the
    cells) and the whole data buffer, both read in place; None when Arrow does not
    hold the column as text."""
    to_arrow = getattr(cells.array, "__arrow_array__", None)
    if to_arrow is None:
        return None
    chunked = to_arrow()
    if isinstance(chunked, pa.Array):
        chunked = pa.chunked_array([chunked])
    if chunked.type not in (pa.string(), pa.large_string()):
        return None
    width = np.int64 if chunked.type == pa.large_string() else np.int32
    buffers = []
    for chunk in chunked.chunks:
        _, offsets, data = chunk.buffers()
        if not len(chunk) or data is None:
            continue
        ends = np.frombuffer(offsets, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        buffers.append((ends, np.frombuffer(data, dtype=np.uint8)))
    return buffers


def text_bytes(cells: pd.Series) -> list[np.ndarray] | None:
    """The bytes of a text column's cells, one array per Arrow chunk, read in place
    (a million cells in about a millisecond); None when Arrow does not hold it."""
    buffers = _text_buffers(cells)
    if buffers is None:
        return None
    return [raw[ends[0]:ends[-1]] for ends, raw in buffers]


def edge_bytes(cells: pd.Series) -> list[np.ndarray] | None:
    """The first and the last byte of every cell that is not empty, read in place from
    Arrow's buffers; None when Arrow does not hold the column as text."""
    buffers = _text_buffers(cells)
    if buffers is None:
        return None
    parts = []
    for ends, raw in buffers:
        starts, stops = ends[:-1], ends[1:]
        filled = np.greater(stops, starts)
        parts += [raw[starts[filled]], raw[stops[filled] - 1]]
    return parts


def every_byte(parts: list[np.ndarray] | None,
               allowed: Callable[[np.ndarray], np.ndarray]) -> bool:
    """Whether there are bytes to judge (`text_bytes`, `edge_bytes`: None when Arrow
    does not hold the column) and `allowed` (a mask over an array of bytes: compare
    ranges, or index a table of 256) holds for each."""
    return parts is not None and all(allowed(part).all() for part in parts)


def reference_table(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A small table the project ships (not a ledger), every cell text, read again
    only when the file changes; an error names what columns it lacks."""
    return _reference_table(path, path.stat().st_mtime_ns, columns).copy()


@lru_cache(maxsize=16)
def _reference_table(path: Path, _mtime_ns: int, columns: tuple[str, ...]) -> pd.DataFrame:
    from ledger.core.problems import LedgerError, Problem

    frame = text_table(path)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LedgerError([Problem(1, None, f"{path.name}: needs the columns "
                                            f"{', '.join(missing)}")])
    return frame


def text_columns(path: Path) -> dict[str, list[str]]:
    """A small CSV the project ships, as its columns (name → cells, as written: text,
    empty cells empty, blank lines skipped), read by Python's csv module: the first call
    of pandas' reader in a process costs many times what the csv module takes for a
    few hundred rows (docs/PERFORMANCE.md)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = [row for row in csv.reader(stream) if row]
    header = rows[0] if rows else []
    width = len(header)
    body = [row[:width] + [""] * (width - len(row)) for row in rows[1:]]
    return {name: [row[i] for row in body] for i, name in enumerate(header)}


def text_table(path: Path) -> pd.DataFrame:
    """`text_columns` as a frame of text columns."""
    columns = text_columns(path)
    return pd.DataFrame(columns, columns=list(columns), dtype=str)


def records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """Each row as a dict of plain values (of `columns`, where given: the others are
    never made Python values), from the columns' lists: `itertuples` builds a
    named-tuple class each call, more than the rows of a small table cost."""
    names = [str(c) for c in frame.columns] if columns is None else columns
    return [dict(zip(names, values, strict=True))
            for values in zip(*(frame[c].tolist() for c in names), strict=True)]
