"""Golden reports of the shipped ledger. Regenerate after an intended change with
`UPDATE_GOLDEN=1 make test` and review the diff."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re

import openpyxl
import pytest

from ledger.present.report import render
from ledger.present.report.html import to_html
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA

GOLDEN = DATA / "golden"
PINNED = Scenario(fx_date=dt.date(2026, 10, 30))  # pinned: the default moves with the ECB data


WHEN = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)  # pinned generation time


def normalised(result, fmt: str, reported=None) -> str:
    """The report as text to compare: xlsx as its cells, html without chart scripts."""
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(render(result, "xlsx", WHEN, reported)))
        lines = []
        for sheet in book.worksheets:
            lines.append(f"## {sheet.title}")
            lines.extend(json.dumps(row, ensure_ascii=False, default=str)
                         for row in sheet.iter_rows(values_only=True))
        return "\n".join(lines) + "\n"
    if fmt == "html":
        page = to_html(result, WHEN, inline_plotly=False, reported=reported).decode()
        return re.sub(r"<script[^>]*>.*?</script>", "<script/>", page,
                      flags=re.S)
    return render(result, fmt, reported=reported).decode()


@pytest.mark.parametrize(("fmt", "suffix"),
                         [("json", "json"), ("csv", "csv"), ("xlsx", "xlsx.txt"),
                          ("html", "html")])
def test_shipped_ledger_report_matches_golden_file(shipped, fmt, suffix):
    from ledger.rules.assumed import reported_result

    ledger = read_ledger(shipped)
    result = reconcile(ledger, PINNED)
    output = normalised(result, fmt, reported_result(ledger, result))
    golden = GOLDEN / f"funding.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(output, encoding="utf-8")
        pytest.skip(f"rewrote {golden.name}: review the diff, then run without UPDATE_GOLDEN")
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_two_processes_write_byte_identical_reports(shipped, fmt):
    # separate interpreters, so hash seeds and set orders differ between the runs
    import subprocess
    import sys

    def run() -> bytes:
        return subprocess.run(
            [sys.executable, "-m", "ledger", "report", str(shipped), "--fx-date",
             PINNED.fx_date.isoformat(), "--format", fmt],  # type: ignore[union-attr]
            capture_output=True, check=True, cwd=shipped.parent.parent).stdout

    assert run() == run()
