from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import openpyxl
import pytest

from ledger.present.formatting import money_range
from ledger.present.report import FORMULA_START, render
from ledger.present.report.html import to_html
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA

WHEN = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
PINNED = Scenario(fx_date=dt.date(2026, 10, 30))


@pytest.fixture(scope="module")
def shipped_result():
    from .conftest import ROOT

    return reconcile(read_ledger(ROOT / "data" / "funding.csv"), PINNED)


@pytest.fixture(scope="module")
def injected():
    return reconcile(read_ledger(DATA / "injection.csv"), PINNED)


def workbook(result) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render(result, "xlsx", WHEN)))


def test_every_format_carries_the_same_numbers(shipped_result):
    data = json.loads(render(shipped_result, "json"))
    need, covered, gap = (data["totals"][k] for k in ("need", "covered", "gap"))
    total = list(csv.DictReader(io.StringIO(render(shipped_result, "csv").decode())))[-1]
    assert [float(total["need_low"]), float(total["gap_high"])] == [need[0], gap[1]]
    book = workbook(shipped_result)
    summary = {row[0]: row[1:3] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Need"] == pytest.approx(tuple(need), abs=0.01)
    assert summary["Covered"] == pytest.approx(tuple(covered), abs=0.01)
    needs_sheet = list(book["Needs"].iter_rows(values_only=True))
    assert needs_sheet[-1][0] == "TOTAL" and needs_sheet[-1][8] == pytest.approx(gap[1], abs=.01)
    page = render(shipped_result, "html", WHEN).decode()
    for low, high in (need, covered, gap):
        assert money_range(low, high, "EUR") in page


def test_excel_has_every_sheet_frozen_headers_and_a_native_chart(shipped_result):
    book = workbook(shipped_result)
    assert book.sheetnames == ["Summary", "Needs", "Sources", "Industry",
                               "Industry by category", "Donors", "Years", "Checks",
                               "Instruments",
                               "Payer × Supplier", "Findings",
                               "Ledger", "FX rates", "References"]
    assert book["Needs"].freeze_panes == "A2"
    assert book["Summary"]._charts, "Summary holds the coverage-gap chart"
    ledger_sheet = list(book["Ledger"].iter_rows(values_only=True))
    valued = shipped_result.valued
    every_row = len(valued.frame) + len(valued.checks) + len(valued.not_in_force)
    assert "ref" in ledger_sheet[0] and len(ledger_sheet) == 1 + every_row
    assert "Generated at (UTC)" in [r[0] for r in book["Summary"].iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_owasp_csv_injection_payloads_are_neutralised(injected, fmt):
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(render(injected, "csv").decode()))
                 for c in row]
    else:
        book = workbook(injected)
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                    cells.append(cell.value)
    texts = [c for c in cells if isinstance(c, str)]
    assert any(t.startswith("'=cmd") for t in texts)
    for text in texts:
        assert not text.startswith(FORMULA_START) or _is_number(text), text


def _is_number(text: str) -> bool:
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def test_numbers_stay_numbers_in_excel(injected):
    needs = list(workbook(injected)["Needs"].iter_rows(values_only=True))
    assert all(isinstance(v, float | int) for v in needs[1][3:11])


def test_html_escapes_every_value_and_is_self_contained():
    result = reconcile(read_ledger(DATA / "xss.csv"), PINNED)
    page = render(result, "html", WHEN).decode()
    assert "<img src=x" not in page and "<script>alert" not in page and "<svg onload" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert re.search(r"<script[^>]+src=", page) is None  # nothing fetched: plotly.js inlined
    assert "Plotly" in page


def test_html_has_print_css_and_states_provenance(shipped_result):
    page = to_html(shipped_result, WHEN, inline_plotly=False).decode()
    assert "@media print" in page
    assert shipped_result.data_version in page and "2026-01-01T12:00:00+00:00" in page


def test_generation_time_only_appears_in_human_formats(shipped_result):
    for fmt in ("csv", "json"):
        assert b"2026-01-01T12" not in render(shipped_result, fmt, WHEN)


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_cli_writes_human_formats(fmt, tmp_path):
    from ledger.__main__ import main

    from .conftest import ROOT

    out = tmp_path / f"r.{fmt}"
    assert main(["report", str(ROOT / "data" / "funding.csv"), "--format", fmt,
                 "--out", str(out)]) == 0
    assert out.stat().st_size > 1000


def test_the_excel_summary_chart_plots_ranges_with_error_bars_to_the_high_end(shipped_result):
    import zipfile

    data = render(shipped_result, "xlsx")
    chart = zipfile.ZipFile(io.BytesIO(data)).read("xl/charts/chart1.xml").decode()
    assert chart.count("<c:errBars>") == 2  # need and covered
    spread = shipped_result.needs["need_high"] - shipped_result.needs["need_low"]
    assert f"<c:v>{float(spread.iloc[0])!r}</c:v>" in chart


def test_an_html_report_is_the_same_whatever_template_the_process_made_the_default(
        shipped_result):
    import re

    import plotly.io as pio

    def figures(html: bytes) -> list[str]:
        return re.findall(r"Plotly\.newPlot\([^;]*", html.decode())

    import datetime as dt

    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    before = pio.templates.default
    plain = figures(render(shipped_result, "html", when))
    try:
        pio.templates.default = "streamlit" if "streamlit" in pio.templates else "ggplot2"
        assert figures(render(shipped_result, "html", when)) == plain
    finally:
        pio.templates.default = before


def test_every_cited_page_is_a_link_in_the_html_and_excel_reports(shipped_result):
    import re

    from ledger.present.citations import address
    from ledger.present.report import render

    html = render(shipped_result, "html").decode()
    cited = {address(r) for r in shipped_result.ledger.frame["ref"]} - {""}
    links = set(re.findall(r'<a href="(https://[^"]+)" target="_blank" '
                           r'rel="noopener noreferrer">', html))  # ours, not plotly's
    assert len(links) >= 20 and {link.replace("&amp;", "&") for link in links} <= cited
    book = workbook(shipped_result)
    sheet = book["References"]
    header = [c.value for c in sheet[1]]
    page = header.index("page") + 1
    urls = {sheet.cell(row=r, column=page).hyperlink.target
            for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=page).hyperlink}
    assert urls and urls <= cited
