from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.problems import LedgerError
from ledger.reading.schema import read_ledger, validate

from .conftest import DATA, csv_bytes


def problems_of(source) -> list[tuple[int | None, str | None]]:
    ledger, problems = validate(source)
    assert ledger is None
    return [(p.row, p.column) for p in problems]


def test_shipped_ledger_is_valid(shipped):
    ledger = read_ledger(shipped)
    assert set(ledger.frame["kind"]) == {"need", "source", "flow", "check"}
    assert (ledger.frame["ref"] != "").all()


def test_every_problem_is_reported_at_once_with_row_and_column():
    found = problems_of(DATA / "errors_many.csv")
    assert (2, "high") in found  # low > high
    assert (3, "id") in found  # duplicate id
    assert (4, "low") in found and (4, "unit") in found and (4, "date") in found
    assert (5, "date") in found and (5, "to") in found
    assert {(6, "id"), (6, "kind"), (6, "low"), (6, "unit"), (6, "status")} <= set(found)


def test_duplicate_id_names_the_first_row():
    _, problems = validate(DATA / "errors_many.csv")
    dup = next(p for p in problems if p.column == "id" and p.row == 3)
    assert "duplicate id (first used in row 2)" in dup.message


def test_unknown_currency_message_quotes_the_cell():
    _, problems = validate(DATA / "errors_many.csv")
    unit = next(p for p in problems if p.row == 4 and p.column == "unit")
    assert str(unit) == "row 4, column unit: 'bn XYZ' — unknown currency XYZ"


def test_impossible_day_and_non_iso_date_are_told_apart():
    _, problems = validate(DATA / "errors_many.csv")
    messages = {p.row: p.message for p in problems if p.column == "date"}
    assert "no such day" in messages[4]
    assert "YYYY-MM-DD" in messages[5]


def test_flow_to_unknown_id_is_an_error():
    found = problems_of(csv_bytes(
        "s,source,S,,1,,bn EUR,2025-01-02,,,EU,,,,",
        "f,flow,F,military,1,,bn EUR,2025-01-02,s,missing,,,,,",
    ))
    assert found == [(3, "to")]


def test_a_flow_to_its_own_source_and_one_without_a_source_are_errors():
    # row 4 flows from s to s; row 5 names no source; row 6 (s to n) and row 7 (t to s,
    # a different source) are fine
    _, problems = validate(csv_bytes(
        "n,need,N,military,10,,bn EUR,2025-01-02,,,,,estimate,r,",
        "s,source,S,,5,,bn EUR,2025-01-02,,,EU,,pledged,r,",
        "self,flow,Self,military,1,,bn EUR,2025-01-02,s,s,,US,committed,r,",
        "none,flow,None,military,1,,bn EUR,2025-01-02,,n,,US,committed,r,",
        "ok,flow,Ok,military,1,,bn EUR,2025-01-02,s,n,,US,committed,r,",
        "t,source,T,,5,,bn EUR,2025-01-02,,,EU,,pledged,r,",
        "ok2,flow,Ok2,military,1,,bn EUR,2025-01-02,t,s,,US,committed,r,"))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (4, "to", "a flow from a source to itself"),
        (5, "from", "missing: the id of a source")]


def test_flow_from_a_need_is_an_error():
    found = problems_of(csv_bytes(
        "n,need,N,military,1,,bn EUR,2025-01-02,,,,,,,",
        "m,need,M,military,1,,bn EUR,2025-01-02,,,,,,,",
        "f,flow,F,military,1,,bn EUR,2025-01-02,n,m,,,,,",
    ))
    assert found == [(4, "from")]


def test_cycle_of_flows_is_an_error_on_each_flow():
    assert problems_of(DATA / "cycle.csv") == [(4, "to"), (5, "to")]


def test_amount_column_ranges_case_insensitive_headers_and_extra_columns():
    ledger = read_ledger(DATA / "amount_column.csv")
    frame = ledger.frame.set_index("id")
    assert frame.loc["n", ["low", "high"]].tolist() == [90e9, 100e9]
    assert frame.loc["s", "low"] == 1234.5e6 and frame.loc["s", "currency"] == "EUR"
    assert frame.loc["s", "donor"] == "EU" and frame.loc["f", "industry"] == "US"
    assert frame.loc["n", "category"] == "military"
    assert ledger.extra_columns == ("extra",)


def test_semicolons_with_decimal_commas_and_bom_are_read_with_a_warning():
    ledger = read_ledger(DATA / "semicolon_decimal_comma.csv")
    frame = ledger.frame.set_index("id")
    assert frame.loc["n", ["low", "high"]].tolist() == [1.5e9, 2.5e9]
    assert frame.loc["s", "low"] == 3.25e9
    assert any("decimal commas" in w.message for w in ledger.warnings)


def test_empty_high_means_equal_to_low():
    ledger = read_ledger(csv_bytes("n,need,N,military,7,,EUR,2025-01-02,,,,,,,"))
    assert ledger.frame["high"].iloc[0] == 7.0


@pytest.mark.parametrize("value", ["NaN", "inf", "1e309", "-1", "€300bn", "NA"])
def test_non_finite_negative_or_unit_laden_amounts_are_errors(value):
    found = problems_of(csv_bytes(f"n,need,N,military,{value},,bn EUR,2025-01-02,,,,,,,"))
    assert found == [(2, "low")]


def test_na_is_namibia_not_missing():
    ledger = read_ledger(csv_bytes("s,source,S,,1,,bn EUR,2025-01-02,,,NA,,,,"))
    assert ledger.frame["donor"].iloc[0] == "NA"


def test_missing_required_column_is_reported_on_the_header_row():
    found = problems_of(b"id,kind,name,low\nx,need,X,1\n")
    assert found == [(1, "date"), (1, "unit")]


def test_ragged_row_names_its_row():
    found = problems_of(csv_bytes("n,need,N,military,1,,bn EUR,2025-01-02,,,,,,,,,extra"))
    assert found == [(2, None)]


def test_empty_file_is_an_error_not_a_crash():
    with pytest.raises(LedgerError, match="empty"):
        read_ledger(b"")


def test_blank_rows_are_skipped_but_rows_keep_spreadsheet_numbers():
    found = problems_of(csv_bytes("", "n,need,N,military,x,,bn EUR,2025-01-02,,,,,,,"))
    assert found == [(3, "low")]


def test_a_row_of_empty_cells_is_skipped_and_one_with_a_cell_past_the_first_is_read():
    # row 3 is only separators (a blank spreadsheet row): skipped, numbering kept;
    # row 5 has no id but a name: read, and its missing id reported
    found = problems_of(csv_bytes("a,need,A,military,1,,bn EUR,2025-01-02,,,,,,,",
                                  ",,,,,,,,,,,,,,",
                                  "n,need,N,military,x,,bn EUR,2025-01-02,,,,,,,",
                                  ",need,M,military,1,,bn EUR,2025-01-02,,,,,,,"))
    assert found == [(4, "low"), (5, "id")]


def test_quoted_newline_counts_as_one_spreadsheet_row():
    found = problems_of(csv_bytes('n,need,"two\nlines",military,1,,bn EUR,2025-01-02,,,,,,,',
                                  "m,need,M,military,bad,,bn EUR,2025-01-02,,,,,,,"))
    assert found == [(3, "low")]


def test_amounts_are_float64_in_whole_currency_units(shipped):
    frame = read_ledger(shipped).frame
    assert frame["low"].dtype == np.float64
    assert frame.set_index("id").loc["frozen-russian-assets", "low"] == 300e9


def test_data_version_is_the_sha256_of_the_bytes(shipped):
    import hashlib

    assert read_ledger(shipped).data_version == hashlib.sha256(shipped.read_bytes()).hexdigest()


def test_duplicate_id_after_other_rows_names_the_right_first_row():
    _, problems = validate(csv_bytes(
        "a,need,A,military,1,,EUR,2025-01-02,,,,,,,",
        "b,need,B,military,1,,EUR,2025-01-02,,,,,,,",
        "b,need,B again,military,1,,EUR,2025-01-02,,,,,,,",
        "c,need,C,military,1,,EUR,2025-01-02,,,,,,,",
        "a,need,A again,military,1,,EUR,2025-01-02,,,,,,,",
    ))
    messages = {p.row: p.message for p in problems}
    assert "first used in row 3" in messages[4]
    assert "first used in row 2" in messages[6]


def test_flow_naming_another_flow_is_an_error():
    found = problems_of(csv_bytes(
        "s,source,S,,1,,bn EUR,2025-01-02,,,EU,,,,",
        "n,need,N,military,1,,bn EUR,2025-01-02,,,,,,,",
        "f,flow,F,military,1,,bn EUR,2025-01-02,s,n,,,,,",
        "g,flow,G,military,1,,bn EUR,2025-01-02,f,n,,,,,",
    ))
    assert found == [(5, "from")]


def test_fast_and_exact_readers_give_the_same_frame(monkeypatch):
    from bench.synthetic import csv_bytes as synthetic
    from ledger.reading import textfile

    data = synthetic(3000, seed=7)
    fast = read_ledger(data).frame
    monkeypatch.setattr(textfile, "_read_clean", lambda *args: None)
    exact = read_ledger(data).frame
    pd.testing.assert_frame_equal(fast, exact)


def test_an_unclosed_quote_is_named_as_such():
    _, problems = validate(csv_bytes('n,need,"Air defence,military,1,,EUR,2025-01-02,,,,,,,',
                                     "m,need,M,military,1,,EUR,2025-01-02,,,,,,,",
                                     "o,need,O,military,1,,EUR,2025-01-02,,,,,,,"))
    assert [(p.row, p.column) for p in problems] == [(2, None)]
    assert "never closed" in problems[0].message


@pytest.mark.parametrize("ending", [b"\r", b"\r\n"])
def test_old_mac_and_windows_line_endings_are_read(ending):
    data = csv_bytes("n,need,N,military,1,,EUR,2025-01-02,,,,,,,",
                     "m,need,M,military,2,,EUR,2025-01-02,,,,,,,").replace(b"\n", ending)
    assert read_ledger(data).frame["low"].tolist() == [1.0, 2.0]


def test_synthetic_ledgers_are_valid_and_deterministic():
    from bench.synthetic import csv_bytes as synthetic

    assert synthetic(500, seed=3) == synthetic(500, seed=3)
    frame = read_ledger(synthetic(500, seed=3)).frame
    assert (frame["kind"] == "flow").sum() == 500
    assert frame["currency"].nunique() >= 5


def test_dotted_european_dates_are_read_as_day_month_year():
    ledger = read_ledger(csv_bytes("n,need,N,military,1,,bn EUR,18.08.2025,,,,,,,",
                                   "m,need,M,military,1,,bn EUR,1.2.2025,,,,,,,"))
    assert [str(d.date()) for d in ledger.frame["date"]] == ["2025-08-18", "2025-02-01"]


def test_slashed_dates_get_one_message_for_the_column_not_one_per_row():
    rows = [f"n{i},need,N,military,1,,bn EUR,01/02/2025,,,,,,," for i in range(40)]
    with pytest.raises(LedgerError) as caught:
        read_ledger(csv_bytes(*rows))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "date")
    assert "40 date(s) written with slashes" in problem.message
    assert "01.02.2025" in problem.message


def test_a_column_is_trimmed_unless_no_cell_starts_or_ends_with_a_space_a_control_or_non_ascii():
    import pyarrow as pa

    from ledger.reading.cells import _may_need_trim

    def arrow(values: list[str]) -> pd.Series:
        return pd.Series(pd.array(values, dtype="str"))

    assert not _may_need_trim(arrow(["n1", "flow", "EUR", ""]))
    # spaces and letters beyond ASCII between words change nothing when trimmed
    assert not _may_need_trim(arrow(["a b", "a\tb", "Zürich", "Flow 12 to Kyiv"]))
    for cell in (" n1", "n1 ", "n1\u00a0", "\x1fn1", "\u2003a b", "Kraków é"[:-1] + "é"):
        assert _may_need_trim(arrow(["n2", cell]))
    # a slice of a larger array: only its own cells count
    sliced = pa.chunked_array([pa.array([" padded", "n1", "n 2"], pa.large_string())[1:]])
    assert not _may_need_trim(pd.Series(pd.arrays.ArrowExtensionArray(sliced)))
    assert _may_need_trim(pd.Series([" n1"], dtype=object))  # not Arrow: trimmed as before


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(["a", "1", "-", " ", "\t", "\u00a0", "\u2003",
                                                       "\x1c", "é", "\n"]), max_size=6),
                min_size=1, max_size=8))
def test_a_column_left_untrimmed_is_one_trimming_would_not_change(values):
    from ledger.reading.cells import _may_need_trim

    cells = pd.Series(pd.array(values, dtype="str"))
    if not _may_need_trim(cells):
        assert cells.str.strip().equals(cells)


def test_the_rows_of_a_kind_are_taken_once_per_ledger_and_are_those_rows():
    from .conftest import ROOT

    ledger = read_ledger(ROOT / "data" / "funding.csv")
    sources = ledger.of_kind("source")
    assert sources is ledger.of_kind("source")  # the sidebar reads them every run
    assert list(sources.index) == list(ledger.frame.index[ledger.frame["kind"] == "source"])
    assert set(ledger.of_kind("need")["kind"]) == {"need"}


@pytest.mark.parametrize("column, cell", [("revises", "n"), ("within", "n"), ("fulfils", "f")])
def test_a_duplicate_id_named_by_a_reference_is_reported_not_an_internal_error(column, cell):
    # two rows share an id and a third row names it: the duplicate is the problem
    # reported; the look-up takes the first (before, the reader raised InvalidIndexError)
    header = "id,kind,name,category,low,unit,date,from,to,status," + column
    rows = ["n,need,N,military,1,bn EUR,2025-01-02,,,,",
            "n,need,N again,military,2,bn EUR,2025-01-03,,,,",
            "s,source,S,,5,bn EUR,2025-01-02,,,,",
            "f,flow,F,military,1,bn EUR,2025-01-02,s,n,committed,",
            "f,flow,F again,military,1,bn EUR,2025-01-02,s,n,committed,",
            f"x,{'flow' if column == 'fulfils' else 'need'},X,military,1,bn EUR,2025-01-04,"
            f"{'s,n,disbursed' if column == 'fulfils' else ',,'},{cell}"]
    with pytest.raises(LedgerError) as caught:
        read_ledger(("\n".join([header, *rows]) + "\n").encode())
    assert any("duplicate id" in p.message for p in caught.value.problems)
