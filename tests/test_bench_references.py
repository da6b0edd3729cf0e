"""The references the benchmarks measure beside ours stand for what they claim:
the report's totals alone are the report's totals, and the Overview's chart alone is
the Overview's chart."""

from __future__ import annotations

import json
import subprocess
import sys

from streamlit.testing.v1 import AppTest

from .conftest import ROOT


def _command(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    return done.stdout


def test_the_reports_totals_alone_are_the_totals_of_the_report():
    printed = _command("-m", "bench.totals_only", "data/funding.csv").splitlines()
    report = json.loads(_command("-m", "ledger", "report", "data/funding.csv",
                                 "--format", "json"))
    for name, line in zip(("need", "covered", "gap"), printed, strict=True):
        low, high = report["totals"][name]
        assert line == f"{name} {low:,.2f}–{high:,.2f} EUR"


def _bars(at: AppTest) -> list:
    """The coverage chart's traces as drawn: their names and figures."""
    [chart] = [c for c in at.get("plotly_chart") if c.proto.id.endswith("chart-coverage-gap")]
    return [(t["name"], t["x"], t.get("base")) for t in json.loads(chart.proto.spec)["data"]]


def test_the_overviews_chart_alone_is_the_chart_of_the_overview_in_each_view():
    dashboard = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    alone = AppTest.from_file(str(ROOT / "bench" / "chart_only_app.py"),
                              default_timeout=60).run()
    assert not dashboard.exception and not alone.exception
    assert _bars(alone) == _bars(dashboard)
    everything = _bars(alone)
    for at in (dashboard, alone):
        at.sidebar.radio[0].set_value("record").run()
    assert _bars(alone) == _bars(dashboard) != everything
