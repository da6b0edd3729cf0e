from __future__ import annotations

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
