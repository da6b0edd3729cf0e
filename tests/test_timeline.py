"""Time: figures spread by day over their period, revisions, the ledger as known
on a day, and the year-by-year table."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.problems import LedgerError
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario
from ledger.rules.timeline import year_shares

from .conftest import csv_bytes
from .ledgers import ledgers, to_csv

DAY = dt.date(2025, 1, 2)
BN = 1e9
HEADER = ("id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,note,"
          "end,revises")


def ledger(*rows: str):
    return read_ledger(csv_bytes(*rows, header=HEADER))


def years(result):
    return result.years.set_index("year")


def test_a_figure_spreads_evenly_by_day_over_its_period_leap_year_included():
    # 2024-07-01 … 2025-06-30: 184 days in 2024 (a leap year does not matter here),
    # 181 in 2025, 365 in all; 2023-12-31 … 2024-12-31: 1 day in 2023, 366 in 2024
    row, year, share = year_shares(np.array(["2024-07-01", "2023-12-31"], "datetime64[D]"),
                                   np.array(["2025-06-30", "2024-12-31"], "datetime64[D]"))
    assert list(zip(row, year, strict=True)) == [(0, 2024), (0, 2025), (1, 2023), (1, 2024)]
    assert share == pytest.approx([184 / 365, 181 / 365, 1 / 367, 366 / 367])


def test_a_figure_without_an_end_falls_on_its_date():
    row, year, share = year_shares(np.array(["2025-03-01"], "datetime64[D]"),
                                   np.array(["NaT"], "datetime64[D]"))
    assert (list(row), list(year), list(share)) == ([0], [2025], [1.0])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
                          st.integers(0, 4000)), min_size=1, max_size=20))
def test_every_rows_shares_sum_to_one(periods):
    start = np.array([p[0] for p in periods], dtype="datetime64[D]")
    end = start + np.array([p[1] for p in periods], dtype="timedelta64[D]")
    row, _, share = year_shares(start, end)
    assert np.bincount(row, weights=share) == pytest.approx(np.ones(len(periods)), rel=1e-12)


def test_the_yearly_table_adds_up_to_the_totals():
    # a 100 bn need over 2026–2027 (365 + 365 days) covered by a committed 60 bn loan
    # over the same two years and a disbursed 10 bn on 2026-06-01:
    # 2026: need 50, committed 30, disbursed 10, gap 10; 2027: need 50, committed 30, gap 20
    result = reconcile(ledger(
        "n,need,N,military,100,,bn EUR,2026-01-01,,,,,,,,2027-12-31,",
        "s,source,S,,500,,bn EUR,2025-01-02,,,EU,,,,,,",
        "l,flow,Loan,military,60,,bn EUR,2026-01-01,s,n,,EU,committed,,,2027-12-31,",
        "d,flow,Grant,military,10,,bn EUR,2026-06-01,s,n,,EU,disbursed,,,,",
    ), Scenario(fx_date=DAY))
    table = years(result)
    assert table.loc[2026, "need_low"] == pytest.approx(50 * BN)
    assert table.loc[2026, "committed_low"] == pytest.approx(30 * BN)
    assert table.loc[2026, "disbursed_low"] == pytest.approx(10 * BN)
    assert table.loc[2026, "gap_low"] == pytest.approx(10 * BN)
    assert table.loc[2027, "gap_low"] == pytest.approx(20 * BN)
    assert table.loc[2027, "cumulative_gap_low"] == pytest.approx(30 * BN)
    assert table["need_low"].sum() == pytest.approx(result.totals["need"][0], rel=1e-12)
    assert table["covered_high"].sum() == pytest.approx(result.totals["covered"][1], rel=1e-12)


# revisions ------------------------------------------------------------------------

RDNA = (
    "r2,need,RDNA2,reconstruction,411,,bn USD,2023-03-23,,,,,estimate,,,,",
    "r3,need,RDNA3,reconstruction,486,,bn USD,2024-02-15,,,,,estimate,,,,r2",
    "r4,need,RDNA4,reconstruction,524,,bn USD,2025-02-25,,,,,estimate,,,,r3",
    "s,source,S,,100,,bn USD,2023-01-02,,,EU,,,,,,",
    "f,flow,F,reconstruction,50,,bn USD,2023-06-01,s,r2,,UA,,,,,",
)


def test_only_the_latest_revision_counts_and_flows_follow_it():
    result = reconcile(ledger(*RDNA), Scenario(currency="USD", fx_date=DAY))
    needs = result.needs.set_index("id")
    assert list(needs.index) == ["r4"]
    assert needs.loc["r4", "covered_low"] == pytest.approx(50 * BN)  # the flow into r2
    assert result.totals["gap"][0] == pytest.approx(474 * BN)
    [superseded] = [f for f in result.findings if f.code == "superseded"]
    assert superseded.rows == ("r2", "r3")


def test_the_ledger_as_known_on_a_day_includes_that_day():
    def gap_on(day: str) -> float:
        result = reconcile(ledger(*RDNA), Scenario(currency="USD", fx_date=DAY,
                                                   asof=dt.date.fromisoformat(day)))
        return result.totals["gap"][0] / BN

    assert math.isnan(gap_on("2023-03-22"))  # nothing known yet: no need, so no gap
    assert gap_on("2023-03-23") == pytest.approx(411)  # RDNA2, the flow not yet
    assert gap_on("2023-06-01") == pytest.approx(361)  # the flow's day counts
    assert gap_on("2024-02-14") == pytest.approx(361)
    assert gap_on("2024-02-15") == pytest.approx(436)  # RDNA3 replaces RDNA2
    assert gap_on("2025-02-25") == pytest.approx(474)


@pytest.mark.parametrize("rows, column, why", [
    (("a,need,A,military,1,,bn EUR,2025-01-01,,,,,,,,,b",
      "b,need,B,military,1,,bn EUR,2025-01-01,,,,,,,,,a"), "revises", "cycle"),
    (("a,need,A,military,1,,bn EUR,2025-01-01,,,,,,,,,",
      "s,source,S,,1,,bn EUR,2025-01-02,,,EU,,,,,,a"), "revises", "another kind"),
    (("a,need,A,military,1,,bn EUR,2025-01-05,,,,,,,,,",
      "b,need,B,military,1,,bn EUR,2025-01-01,,,,,,,,,a"), "revises", "dated after"),
    (("a,need,A,military,1,,bn EUR,2025-01-05,,,,,,,,,zz",), "revises", "no row has"),
    (("a,need,A,military,1,,bn EUR,2025-01-05,,,,,,,,2024-01-01,",), "end", "ends before"),
])
def test_a_bad_revision_or_period_is_an_error_naming_row_and_column(rows, column, why):
    with pytest.raises(LedgerError) as caught:
        ledger(*rows)
    assert any(p.column == column and why in p.message for p in caught.value.problems)


def test_the_link_carries_the_as_of_date():
    from ledger.rules.scenario import from_query, to_query

    scenario = Scenario(asof=dt.date(2025, 1, 1))
    assert to_query(scenario) == {"asof": "2025-01-01"}
    assert from_query({"asof": "2025-01-01"}) == (scenario, [])


def test_the_yearly_table_is_the_same_in_json_excel_and_html():
    import io
    import json

    import openpyxl

    from ledger.present.formatting import money_range
    from ledger.present.report import render

    result = reconcile(ledger(*RDNA), Scenario(currency="USD", fx_date=DAY))
    table = years(result)
    report = json.loads(render(result, "json"))
    assert [y["year"] for y in report["years"]] == list(table.index)
    for entry in report["years"]:
        assert entry["gap"] == pytest.approx([table.loc[entry["year"], "gap_low"],
                                              table.loc[entry["year"], "gap_high"]], abs=0.01)
    sheet = list(openpyxl.load_workbook(io.BytesIO(render(result, "xlsx")))["Years"]
                 .iter_rows(values_only=True))
    header = sheet[0]
    for row in sheet[1:]:
        assert row[header.index("gap_low")] == pytest.approx(table.loc[row[0], "gap_low"])
    import csv

    from ledger.present.csvout import frame_csv

    chart_data = list(csv.DictReader(io.StringIO(frame_csv(result.years).decode())))
    for row in chart_data:  # the Timeline page's "Chart data (CSV)"
        assert float(row["gap_low"]) == pytest.approx(table.loc[int(row["year"]), "gap_low"])
    page = render(result, "html").decode()
    for year, row in table.iterrows():
        assert f"<td>{year}</td>" in page
        assert money_range(row["gap_low"], row["gap_high"], "USD") in page


def test_the_gap_on_a_day_is_the_same_from_the_command_line_and_the_dashboard(tmp_path):
    import json

    from streamlit.testing.v1 import AppTest

    from ledger.__main__ import main

    from .conftest import ROOT

    out = tmp_path / "r.json"
    assert main(["report", str(ROOT / "data" / "funding.csv"), "--scenario",
                 "asof=2025-08-18", "--out", str(out)]) == 0
    gap = json.loads(out.read_text())["totals"]["gap"]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["asof"] = "2025-08-18"
    at.run()
    from ledger.present.formatting import money_range

    assert {m.label: m.value for m in at.metric}["Gap"] == money_range(*gap, "EUR")


def test_rows_out_of_force_say_why_superseded_or_after_the_as_of_date():
    # n2 revises n1 (both known on 2025-03-01); the flow f is dated after that day:
    # in force are n2, s and the flow g; n1 is superseded by n2, f is after the date
    from ledger.rules.scenario import in_force

    ledger = read_ledger(csv_bytes(
        "n1,need,Old,military,10,,bn EUR,2025-01-01,,,,,estimate,r,,,",
        "n2,need,New,military,12,,bn EUR,2025-02-01,,,,,estimate,r,,,n1",
        "s,source,S,,5,,bn EUR,2025-01-01,,,EU,,pledged,r,,,",
        "g,flow,G,military,1,,bn EUR,2025-01-05,s,n1,,US,committed,r,,,",
        "f,flow,F,military,2,,bn EUR,2025-04-01,s,n2,,US,committed,r,,,",
        header="id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,"
               "note,end,revises"))
    every, in_force_now, others = in_force(ledger.frame, dt.date(2025, 3, 1))
    kept = every[in_force_now]
    assert list(kept["id"]) == ["n2", "s", "g"]
    assert list(kept["to"]) == ["", "", "n2"]  # g's need was replaced: it counts for n2
    assert dict(zip(others["id"], others["counted"], strict=True)) == {
        "n1": "no (superseded by n2)", "f": "no (after the as-of date)"}


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(ledgers(), st.sampled_from([{}, {"statuses": ("pledged", "committed")},
                                   {"instruments": ("grant", "unknown")},
                                   {"shift_us_to_europe": 0.3},
                                   {"availability": (("s0", 0.5),)}]))
def test_the_gap_history_equals_a_reconciliation_as_known_on_each_of_its_days(rows, levers):
    from ledger.rules.reconcile import default_rates, gap_history

    book = read_ledger(to_csv(rows))
    scenario = Scenario(fx_date=DAY, **levers)
    history = gap_history(book, scenario, default_rates())
    for entry in history.itertuples():
        known = reconcile(book, replace(scenario, asof=entry.date)).totals
        for name in ("gap", "need"):
            got = (getattr(entry, f"{name}_low"), getattr(entry, f"{name}_high"))
            assert got == pytest.approx(known[name], rel=1e-9, abs=1e-6, nan_ok=True), name


def test_the_gap_history_follows_revisions_and_publication_days():
    # RDNA2 on 2023-03-23 (411), a flow on 2023-06-01 (−50), RDNA3 replacing RDNA2 on
    # 2024-02-15 (486 − 50 = 436), RDNA4 on 2025-02-25 (524 − 50 = 474)
    from ledger.rules.reconcile import default_rates, gap_history

    history = gap_history(ledger(*RDNA), Scenario(currency="USD", fx_date=DAY),
                          default_rates())
    by_day = {str(d): round(g / BN) for d, g in zip(history["date"], history["gap_low"],
                                                    strict=True) if not math.isnan(g)}
    assert by_day["2023-03-23"] == 411 and by_day["2023-06-01"] == 361
    assert by_day["2024-02-15"] == 436 and by_day["2025-02-25"] == 474


def test_the_history_stops_when_its_time_is_up_or_the_reader_has_left_and_says_so():
    from ledger.core.paths import shipped_ledger
    from ledger.reading.schema import read_ledger
    from ledger.rules.reconcile import default_rates, gap_history
    from ledger.rules.scenario import Scenario

    ledger = read_ledger(shipped_ledger())
    whole = gap_history(ledger, Scenario(), default_rates())
    assert whole.attrs == {"cut": None, "days": len(whole)} and len(whole) > 5
    # no time at all: the first day still comes (a chart of one point), then it stops
    timed = gap_history(ledger, Scenario(), default_rates(), seconds=0.0)
    assert timed.attrs == {"cut": "time", "days": len(whole)} and len(timed) == 1
    assert timed.iloc[0].to_dict() == whole.iloc[0].to_dict()
    # the reader has gone: nothing more is computed for no one
    asked = []
    left = gap_history(ledger, Scenario(), default_rates(),
                       stop=lambda: asked.append(1) or len(asked) > 3)
    assert left.attrs["cut"] == "stopped" and len(left) == 3
