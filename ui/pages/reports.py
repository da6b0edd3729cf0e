"""Reports: the gap report in every format, for the scenario in force."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ledger.api import FORMATS, MIME, render
from ui.view import need_result, reported_result

ledger, result = need_result()
reported = reported_result()
st.title("Reports")
fx = f"rates of {result.fx_date}" if result.fx_date else "each row's own date"
st.write(f"Gap report in {result.currency}, {fx}, data version "
         f"`{result.data_version[:12]}`. Each report states the scenario in full.")
DESCRIPTIONS = {
    "csv": "**CSV** — the gap table: one row per need and a total row",
    "xlsx": "**Excel** — Summary with a chart, needs, sources, industry, payer × supplier, "
            "findings, the ledger with citations, rates used, references",
    "html": "**HTML** — one self-contained page with charts and tables, ready to print "
            "or save as PDF; opens offline",
    "json": "**JSON** — the full reconciliation: totals, needs, sources, industry, "
            "payer × supplier, findings, rates and scenario",
}
stem = f"gap-report-{result.data_version[:8]}-{result.currency}"


def _report(fmt: str) -> Callable[[], bytes]:
    """The report in `fmt`, made only when its button is clicked."""
    return lambda: render(result, fmt, reported=reported)


for fmt in FORMATS:
    left, right = st.columns([3, 1])
    left.write(DESCRIPTIONS.get(fmt, fmt))
    right.download_button(f"Download {fmt.upper()}",
                          data=_report(fmt),
                          file_name=f"{stem}.{fmt}", mime=MIME[fmt], key=f"report-{fmt}",
                          on_click="ignore")
