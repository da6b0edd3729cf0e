from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    """Every test gets its own empty SQLite store, and no editor secret."""
    monkeypatch.setenv("LEDGER_DATA_DIR", str(tmp_path / "store"))
    monkeypatch.delenv("LEDGER_DATABASE_URL", raising=False)
    monkeypatch.delenv("LEDGER_EDITOR_SECRET", raising=False)


@pytest.fixture
def shipped() -> Path:
    return ROOT / "data" / "funding.csv"


def csv_bytes(*rows: str, header: str | None = None) -> bytes:
    """A funding CSV from row strings, with the documented header by default."""
    head = header or (
        "id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,note")
    return ("\n".join([head, *rows]) + "\n").encode("utf-8")


@contextlib.contextmanager
def threads_always() -> Iterator[None]:
    """Work over any number of rows goes to a second core (ledger.runtime.background), as for
    a large ledger: tests of small ledgers exercise the threaded path."""
    import ledger.runtime.background as background

    before = background.PARALLEL_ROWS
    background.PARALLEL_ROWS = 0
    try:
        yield
    finally:
        background.PARALLEL_ROWS = before
