"""Reports: the gap report in every format, for the scenario in force. The HTML and
Excel reports are written in the reader's language; the CSV and JSON, which scripts
read, always in English."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

import streamlit as st

from ledger.api import FORMATS, MIME, N_, _, render, shown_day, use_language, use_locale
from ui import language
from ui.view import need_result, reported_result

ledger, result = need_result()
reported = reported_result()
st.title(_("Reports"))
fx = (_("rates of {day}").format(day=shown_day(result.fx_date)) if result.fx_date
      else _("each amount at its own date's rate"))
st.write(_("Gap report in {currency}, {rates}, data version `{version}`. Each report "
           "states the scenario in full.").format(currency=result.currency, rates=fx,
                                                   version=result.data_version[:12]))
DESCRIPTIONS = {
    "csv": N_("**CSV** — the gap table: one row per need and a total row (in English, "
              "for scripts)"),
    "xlsx": N_("**Excel** — Summary with a chart, needs, sources, industry, payer × "
               "supplier, findings, the ledger with citations, rates used, references"),
    "html": N_("**HTML** — one self-contained page with charts and tables, ready to print "
               "or save as PDF; opens offline"),
    "json": N_("**JSON** — the full reconciliation: totals, needs, sources, industry, "
               "payer × supplier, findings, rates and scenario (in English, for scripts)"),
}
READERS = ("html", "xlsx")  # written in the reader's language; the others for scripts
stem = f"gap-report-{result.data_version[:8]}-{result.currency}"
reader = language.current()


def _written(fmt: str, tongue: str) -> bytes:
    use_language(tongue)
    use_locale(tongue)
    return render(result, fmt, reported=reported)


def _report(fmt: str) -> Callable[[], bytes]:
    """The report in `fmt`, made only when its button is clicked (perhaps on another
    thread: the language goes with it)."""
    tongue = reader if fmt in READERS else "en"
    return lambda: contextvars.copy_context().run(_written, fmt, tongue)


for fmt in FORMATS:
    left, right = st.columns([3, 1])
    left.write(_(DESCRIPTIONS[fmt]))
    right.download_button(_("Download {format}").format(format=fmt.upper()),
                          data=_report(fmt),
                          file_name=f"{stem}.{fmt}", mime=MIME[fmt], key=f"report-{fmt}",
                          on_click="ignore")
