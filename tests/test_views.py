"""Tables built once in ledger.present.views, for the pages and the reports alike."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from ledger.present.report import render
from ledger.present.views import LEDGER_COLUMNS, filter_ledger, ledger_table
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA, ROOT

DAY = dt.date(2025, 1, 2)
BN = 1e9
SCENARIO = Scenario(fx_date=DAY, statuses=("committed",), shift_us_to_europe=0.25)


@pytest.fixture(scope="module")
def result():
    return reconcile(read_ledger(DATA / "passthrough.csv"), SCENARIO)


def test_ledger_table_has_every_row_once_with_left_out_flows_marked(result):
    table = ledger_table(result).set_index("id")
    assert len(table) == 8 and list(table.columns) == list(LEDGER_COLUMNS[:1] +
                                                           LEDGER_COLUMNS[2:])
    assert table.loc["us-to-fund", "counted"] == "no (status filter)"
    assert table.loc["fund-us", "counted"] == "yes"


def test_a_shifted_flow_shows_whole_kept_and_moved_part_together(result):
    # fund-us is a 50 bn flow to US industry; the shift moves a quarter of it
    # (12.5 bn) to European industry: the row shows the whole 50 bn
    table = ledger_table(result).set_index("id")
    valued = result.valued.frame
    pieces = valued[valued["row"] == table.loc["fund-us", "row"]]
    assert len(pieces) == 2  # kept in the US and moved to Europe
    assert table.loc["fund-us", "value_low"] == pytest.approx(pieces["value_low"].sum())
    assert table.loc["fund-us", "value_low"] == pytest.approx(50 * BN)


def test_the_excel_ledger_sheet_holds_the_same_values_as_the_table(result):
    book = openpyxl.load_workbook(io.BytesIO(render(result, "xlsx")))
    sheet = list(book["Ledger"].iter_rows(values_only=True))
    header, rows = sheet[0], sheet[1:]
    excel = {r[header.index("id")]: (r[header.index("value_low")], r[header.index("counted")])
             for r in rows}
    table = ledger_table(result)
    assert excel == {i: (pytest.approx(v), c) for i, v, c in
                     zip(table["id"], table["value_low"], table["counted"], strict=True)}


def test_a_search_with_no_match_gives_an_empty_table_with_numeric_columns(result):
    empty = filter_ledger(ledger_table(result), "no-such-thing-anywhere")
    assert empty.empty and list(empty.columns) == list(LEDGER_COLUMNS)
    assert (empty["value_low"] / BN).dtype.kind == "f"


def test_filter_matches_id_name_citation_and_note_in_any_case(result):
    table = ledger_table(result)
    assert list(filter_ledger(table, "FUND BUYS")["id"]) == ["fund-us", "fund-eu"]
    assert set(filter_ledger(table, "", ["need"])["id"]) == {"need-a"}


def test_the_references_behind_a_chart_are_those_of_its_rows():
    from ledger.present.views import references_behind

    ledger = read_ledger(DATA / "passthrough.csv")
    result = reconcile(ledger, Scenario(fx_date=DAY))
    # every row of passthrough.csv cites "test"; the coverage chart stands on the need
    # and the flows into it, the sources chart on sources and flows
    assert references_behind(result, "coverage-gap") == ["test"]
    assert references_behind(result, "sources") == ["test"]


def test_the_sources_table_names_over_allocation_in_words(result):
    from ledger.present.views import sources_table

    table = sources_table(result).set_index("id")
    assert table.loc["fund", "over-allocation"] == "passes on more than it has"  # 80 of 60
    assert table.loc["eu-pool", "over-allocation"] == ""


@pytest.mark.parametrize("scenario", [
    Scenario(), Scenario(part="record"), Scenario(statuses=("disbursed", "committed")),
    Scenario(shift_us_to_europe=0.5), Scenario(asof=dt.date(2025, 6, 30)),
    Scenario(availability=(("frozen-assets-reconstruction", 0.5),)),
])
def test_the_references_behind_a_chart_are_those_of_its_rows_in_the_ledger_table(scenario):
    # read from the frames the ledger table is made of; checked against the table
    from ledger.present.views import CHART_ROWS, reference_order, references_behind, with_quote

    result = reconcile(read_ledger(ROOT / "data" / "funding.csv"), scenario)
    rows = ledger_table(result)
    for chart, kinds in CHART_ROWS.items():
        mask = rows["kind"].isin([k for k in kinds if " " not in k])
        if "flow into a need" in kinds:
            needs = rows.loc[rows["kind"] == "need", "id"]
            mask |= (rows["kind"] == "flow") & rows["to"].isin(needs)
        # each page with the sentence its row quotes; the article's endnotes first
        expected = sorted({with_quote(r, n) for r, n in zip(
            rows.loc[mask, "ref"], rows.loc[mask, "note"], strict=True) if r},
            key=reference_order)
        assert references_behind(result, chart) == expected and expected, chart
        assert expected[0].startswith("[") or not any(e.startswith("[") for e in expected)


def test_the_references_behind_a_chart_are_found_once_per_ledger(monkeypatch):
    # every row of the ledger stands behind its chart in every view (counted, left
    # out or not in force): a new view reads what the first found
    from ledger.present import views

    found = []
    reading = views._references_behind
    monkeypatch.setattr(views, "_references_behind",
                        lambda frame, chart: found.append(chart) or reading(frame, chart))
    ledger = read_ledger(ROOT / "data" / "funding.csv")
    first = views.references_behind(reconcile(ledger), "coverage-gap")
    other = views.references_behind(reconcile(ledger, Scenario(part="record", currency="USD")),
                                    "coverage-gap")
    assert first == other and found == ["coverage-gap"]


def test_the_rows_behind_the_gap_are_the_needs_that_lack_money_and_what_flows_into_them():
    from ledger.present.views import rows_behind

    from .conftest import csv_bytes

    # need a: 10, covered 10 by f1 (no gap); need b: 5, covered 2 by f2 (gap 3);
    # so the gap's rows are b and f2, the coverage's all four, the need's a and b
    ledger = read_ledger(csv_bytes(
        "a,need,A,military,10,,bn EUR,2025-01-02,,,,,,,",
        "b,need,B,military,5,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,20,,bn EUR,2025-01-02,,,DE,,,,",
        "f1,flow,F1,military,10,,bn EUR,2025-01-02,s,a,,EU,,,",
        "f2,flow,F2,military,2,,bn EUR,2025-01-02,s,b,,EU,,,"))
    result = reconcile(ledger, Scenario(fx_date=DAY))
    assert rows_behind(result, "gap") == ["b", "f2"]
    assert sorted(rows_behind(result, "coverage")) == ["a", "b", "f1", "f2"]
    assert rows_behind(result, "need") == ["a", "b"]
    assert sorted(rows_behind(result, "covered")) == ["f1", "f2"]
