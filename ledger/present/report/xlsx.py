"""The Excel gap report (xlsxwriter): Summary with a native chart, one sheet per
table, the ledger with citations, rates used and references.

Safe by construction: formulas and URLs are never made from strings, and text
cells a spreadsheet could run are neutralised with a leading `'`."""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

import pandas as pd
import xlsxwriter

from ledger.core.language import _
from ledger.present.citations import cited_page
from ledger.present.formatting import symbol
from ledger.present.headline import headline_block
from ledger.present.report.data import (
    gap_table,
    neutralise,
    provenance,
    rates_table,
)
from ledger.present.views import checks_table, ledger_table, references, stages_table
from ledger.present.wording import findings_table
from ledger.reading.economies import read_economies
from ledger.rules.donormoney import donor_table
from ledger.rules.reconcile import Reconciliation

SHEETS = ("Summary", "Needs", "Sources", "Industry", "Payer × Supplier", "Findings", "Ledger",
          "FX rates", "References")


MAX_LINKS = 65_000


class _Book:
    def __init__(self, result: Reconciliation):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "nan_inf_to_errors": False,
        })
        sign = symbol(result.currency).replace('"', "").strip()
        self.money = self.book.add_format({"num_format": f'"{sign} "#,##0.00,,," bn"'})
        self.whole = self.book.add_format({"num_format": "#,##0.00"})
        self.ratio = self.book.add_format({"num_format": "0.0%"})
        self.rate = self.book.add_format({"num_format": "0.000000"})
        self.head = self.book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1,
                                          "text_wrap": True, "valign": "top"})
        self.bold = self.book.add_format({"bold": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, sheet: Any, row: int, col: int, value: object, fmt: Any = None) -> None:
        if isinstance(value, str):
            sheet.write_string(row, col, neutralise(value), fmt)
        elif value is None or (isinstance(value, float) and not math.isfinite(value)):
            sheet.write_blank(row, col, None, fmt)
        else:
            sheet.write_number(row, col, float(value), fmt)  # type: ignore[arg-type]

    def table(self, name: str, frame: pd.DataFrame, formats: dict[str, Any] | None = None,
              widths: dict[str, int] | None = None) -> Any:
        sheet = self.book.add_worksheet(name)
        formats = formats or {}
        for col, column in enumerate(frame.columns):
            sheet.write_string(0, col, str(column), self.head)
            width = (widths or {}).get(column, max(10, min(40, len(str(column)) + 2)))
            sheet.set_column(col, col, width, formats.get(column))
        for row, values in enumerate(frame.itertuples(index=False), start=1):
            for col, (column, value) in enumerate(zip(frame.columns, values, strict=True)):
                self.cell(sheet, row, col, value, formats.get(column))
        # each cited https page a link, in a column of its own (a sheet holds at most
        # 65,530 links: a larger ledger's sheet keeps its citations as text)
        if "ref" in frame.columns and len(frame) <= MAX_LINKS:
            col = len(frame.columns)
            sheet.write_string(0, col, "page", self.head)
            sheet.set_column(col, col, 40)
            for row, ref in enumerate(frame["ref"].astype(str), start=1):
                page = cited_page(ref)
                if page:
                    sheet.write_url(row, col, page, string=page[:250])
        sheet.freeze_panes(1, 0)
        if len(frame):
            sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
        return sheet


def to_xlsx(result: Reconciliation, generated_at: dt.datetime,
            reported: Reconciliation | None = None) -> bytes:
    b = _Book(result)
    c = result.currency
    summary = b.book.add_worksheet("Summary")
    needs = gap_table(result)
    money_cols = {k: b.money for k in needs.columns if k.endswith(("_low", "_high"))
                  and not k.startswith("coverage")}
    ratio_cols = {"coverage_low": b.ratio, "coverage_high": b.ratio}
    b.table("Needs", needs, money_cols | ratio_cols, {"name": 36, "id": 22})
    sources = result.sources.drop(columns=["row"])
    b.table("Sources", sources, {k: b.money for k in sources.columns if k.endswith(
        ("_low", "_high"))}, {"name": 36, "id": 22})
    b.table("Industry", result.industry, {"amount_low": b.money, "amount_high": b.money} |
            {k: b.ratio for k in result.industry.columns if "share" in k})
    ratios = {k: b.ratio for k in result.industry_by_category.columns if "share" in k}
    b.table("Industry by category", result.industry_by_category,
            {"amount_low": b.money, "amount_high": b.money} | ratios)
    donors = donor_table(result, read_economies())
    b.table("Donors", donors.drop(columns=["key"]),
            {k: b.money for k in donors.columns if k.endswith(("_low", "_high"))
             and not k.startswith("share")} | {k: b.ratio for k in donors.columns
                                               if k.startswith("share")}, {"name": 36})
    b.table("Years", result.years, {k: b.money for k in result.years.columns if k != "year"})
    checks = result.checks
    if len(checks):
        b.table("Checks", pd.DataFrame({
            "id": checks["id"], "check": checks["name"], "checks": checks["to"],
            "date": checks["date"].dt.date.astype(str), "published_low": checks["published_low"],
            "published_high": checks["published_high"], "ledger_low": checks["ledger_low"],
            "ledger_high": checks["ledger_high"], "outcome": checks_table(result)["outcome"],
            "why": checks_table(result)["why"],
            "source": checks["ref"]}),
            {k: b.money for k in ("published_low", "published_high", "ledger_low",
                                  "ledger_high")} | {"source": b.wrap, "why": b.wrap},
            {"id": 26, "check": 40, "checks": 22, "outcome": 40, "source": 60})
    b.table("Instruments", result.instruments,
            {k: b.money for k in result.instruments.columns if k != "instrument"})
    b.table("Payer × Supplier", result.payer_supplier,
            {"amount_low": b.money, "amount_high": b.money}, {"donor_bloc": 16,
                                                              "industry_bloc": 16})
    b.table("Findings", findings_table(result.findings), {"finding": b.wrap},
            {"finding": 70, "rows": 40, "code": 24})
    b.table("Ledger", ledger_table(result),
            {"low": b.whole, "high": b.whole, "value_low": b.money, "value_high": b.money,
             "ref": b.wrap, "note": b.wrap},
            {"id": 22, "name": 36, "ref": 50, "note": 50, "value_low": 14, "value_high": 14})
    b.table("FX rates", rates_table(result), {"per_eur": b.rate, f"factor_to_{c}": b.rate})
    b.table("References", references(result), {"ref": b.wrap, "rows": b.wrap},
            {"ref": 80, "rows": 40})
    _summary(b, summary, result, generated_at, len(needs), reported)
    b.book.set_properties({"title": "Ukraine funding ledger: gap report",
                           "comments": f"data version {result.data_version}"})
    b.book.close()
    return b.buffer.getvalue()


def _summary(b: _Book, sheet: Any, result: Reconciliation, generated_at: dt.datetime,
             need_rows: int, reported: Reconciliation | None = None) -> None:
    c = result.currency
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 2, 18, b.money)
    sheet.set_column(3, 3, 60)
    sheet.write_string(0, 0, _("Ukraine funding ledger — gap report"), b.title)
    block = headline_block(result, reported)
    sheet.write_string(1, 0, neutralise(block.sentence))
    if block.families:
        sheet.write_string(2, 0, neutralise(block.families))
    sheet.write_string(3, 0, _("Headline"), b.head)
    sheet.write_string(3, 1, _("low ({unit})").format(unit=c), b.head)
    sheet.write_string(3, 2, _("high ({unit})").format(unit=c), b.head)
    sheet.write_string(3, 3, _("as read"), b.head)
    lines = [(f.label, f.value, f) for f in block.figures]
    if block.rests_on_assumptions:
        lines += [(f"{f.label}, {part}", value, f) for f in block.figures
                  for part, value in ((_("counting only what is reported"), f.reported),
                                      (_("assumed"), f.assumed)) if value is not None]
    for row, (label, (low, high), figure) in enumerate(lines, start=4):
        style = b.ratio if figure.ratio else b.money
        sheet.write_string(row, 0, label, b.bold)
        b.cell(sheet, row, 1, low, style)
        b.cell(sheet, row, 2, high, style)
        sheet.write_string(row, 3, figure.text(c, (low, high)))
    row = _funnel(b, sheet, result, 4 + len(lines) + 1)
    sheet.write_string(row, 0, _("How this report was made"), b.head)
    sheet.write_string(row, 1, "", b.head)
    made = [*provenance(result, generated_at.date()),
            (_("Generated at (UTC)"), generated_at.isoformat())]
    for label, value in made:
        row += 1
        sheet.write_string(row, 0, label, b.bold)
        sheet.write_string(row, 1, neutralise(value))
    sheet.freeze_panes(1, 0)
    _gap_chart(b, sheet, need_rows, row + 2, c, result.needs)


def _funnel(b: _Book, sheet: Any, result: Reconciliation, row: int) -> int:
    """The stage funnel under the headline; returns the row after it."""
    table = stages_table(result)
    sheet.write_string(row, 0, _("By stage (each counting every later one)"), b.head)
    for col, name in enumerate((_("covered"), _("gap"), _("coverage")), start=1):
        sheet.write_string(row, col, name, b.head)
    for label, covered, gap, coverage in zip(table["stage"], table["covered"], table["gap"],
                                             table["coverage"], strict=True):
        row += 1
        sheet.write_string(row, 0, neutralise(str(label)), b.bold)
        for col, text in enumerate((covered, gap, coverage), start=1):
            sheet.write_string(row, col, str(text))
    return row + 2


def _gap_chart(b: _Book, sheet: Any, need_rows: int, at_row: int, currency: str,
               needs: pd.DataFrame | None = None) -> None:
    """A native bar chart of need and covered per need, from the Needs sheet: bars to
    the low end, an error bar up to the high end (ranges, as every figure)."""
    if need_rows <= 1:
        return
    chart = b.book.add_chart({"type": "bar"})
    last = need_rows - 1  # the Needs sheet's last row before TOTAL (header is row 0)
    for column, name, colour in ((3, "Need", "#56B4E9"), (5, "Covered", "#009E73")):
        series: dict[str, Any] = {
            "name": name + " (bar: low end; line: up to high end)",
            "categories": ["Needs", 1, 1, last, 1],
            "values": ["Needs", 1, column, last, column],
            "fill": {"color": colour},
        }
        if needs is not None:
            key = "need" if column == 3 else "covered"
            spread = (needs[f"{key}_high"] - needs[f"{key}_low"]).astype(float).tolist()
            series["x_error_bars"] = {"type": "custom", "plus_values": spread,
                                      "minus_values": [0] * len(spread),
                                      "end_style": 1, "direction": "plus"}
        chart.add_series(series)
    chart.set_title({"name": "Coverage gap per need"})
    chart.set_x_axis({"name": f"{currency}", "num_format": '#,##0,,," bn"'})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 760, "height": 120 + 50 * need_rows})
    sheet.insert_chart(at_row, 0, chart)
