from __future__ import annotations

import os

import pytest

from ledger.core.problems import LedgerError
from ledger.reading.blocs import load_blocs


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


def test_the_blocs_of_a_ledgers_rows_are_found_once_per_bloc_table(monkeypatch):
    # the same in every view: a new view reads what the first found; another bloc
    # table is looked up afresh
    from ledger.reading.schema import read_ledger
    from ledger.rules import reconcile as rec

    from .conftest import ROOT

    looked = []
    looking = rec._donor_bloc_of
    monkeypatch.setattr(rec, "_donor_bloc_of",
                        lambda donors, blocs: looked.append(1) or looking(donors, blocs))
    ledger = read_ledger(ROOT / "data" / "funding.csv")
    first = rec.reconcile(ledger)
    again = rec.reconcile(ledger, rec.Scenario(currency="USD"))
    assert len(looked) == 1 and first.needs["id"].tolist() == again.needs["id"].tolist()
    donor, _ = rec.row_blocs(ledger, load_blocs() | {"US": "Elsewhere"})
    assert len(looked) == 2 and "Elsewhere" in set(donor)


def test_a_shipped_table_reads_as_pandas_reads_it_every_cell_text():
    # the small tables we ship are read by the csv module (no pandas reader start);
    # every one must read exactly as pandas' reader read it before
    import pandas as pd

    from ledger.core.frames import text_table

    from .conftest import ROOT

    tables = [ROOT / "data" / "blocs.csv", *sorted((ROOT / "data").glob("reference/*.csv"))]
    assert len(tables) >= 5  # blocs, GDP and population, the evidence in three languages
    for path in tables:
        ours = text_table(path)
        theirs = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_a_blocs_file_with_a_bom_a_blank_line_and_a_short_row_reads_whole(tmp_path):
    # BOM before the header, a quoted name with a comma, a blank line (skipped, as a
    # spreadsheet leaves one), a row without its name (the code stands for it), and a
    # lower-case country code (written in capitals)
    from ledger.reading.blocs import bloc_names

    path = tmp_path / "blocs.csv"
    path.write_bytes("\ufeffCode, Bloc ,name\r\nde,Europe,\"Germany, Federal Republic\"\r\n"
                     "\r\nTR,Other\r\n".encode())
    assert load_blocs(path) == {"DE": "Europe", "TR": "Other"}
    assert bloc_names(path) == {"DE": "Germany, Federal Republic", "TR": "TR"}
