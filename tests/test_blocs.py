from __future__ import annotations

import os

import pytest

from ledger.blocs import load_blocs
from ledger.problems import LedgerError


def test_shipped_blocs_group_europe_and_keep_namibia():
    blocs = load_blocs()
    assert blocs["EU"] == blocs["NO"] == blocs["GB"] == "Europe"
    assert blocs["US"] == "United States" and blocs["UA"] == "Ukraine"
    assert blocs["NA"] == "Other"


def test_an_edited_blocs_file_is_read_again(tmp_path):
    path = tmp_path / "blocs.csv"
    path.write_text("code,bloc\nTR,Other\n")
    assert load_blocs(path)["TR"] == "Other"
    path.write_text("code,bloc\nTR,Europe\n")
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 1_000_000))
    assert load_blocs(path)["TR"] == "Europe"


def test_an_unknown_bloc_names_its_row(tmp_path):
    path = tmp_path / "blocs.csv"
    path.write_text("code,bloc\nTR,Europe\nXX,Atlantis\n")
    with pytest.raises(LedgerError) as caught:
        load_blocs(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "bloc")]
