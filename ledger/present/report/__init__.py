"""Gap report writers: csv, xlsx, html, json. Used by the command line and the
Reports page alike."""

from __future__ import annotations

import datetime as dt

from ledger.present.report.data import (
    CSV_COLUMNS,
    FORMULA_START,
    JSON_FIELDS,
    gap_table,
    neutralise,
    rates_used,
    to_csv,
    to_dict,
    to_json,
)
from ledger.rules.reconcile import Reconciliation

FORMATS = ("csv", "xlsx", "html", "json")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "json": "application/json",
}
__all__ = ["CSV_COLUMNS", "FORMATS", "FORMULA_START", "JSON_FIELDS", "MIME", "gap_table",
           "neutralise", "rates_used", "render", "to_dict"]


def render(result: Reconciliation, fmt: str, generated_at: dt.datetime | None = None,
           reported: Reconciliation | None = None) -> bytes:
    """The report in one of FORMATS. Only xlsx and html state a generation time.
    `reported` (ledger.rules.assumed.reported_result) splits the headline figures into what
    is reported and what is assumed."""
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result, reported)
    when = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    if fmt == "xlsx":
        from ledger.present.report.xlsx import to_xlsx

        return to_xlsx(result, when, reported)
    if fmt == "html":
        from ledger.present.report.html import to_html

        return to_html(result, when, reported=reported)
    raise ValueError(f"unknown format {fmt}: use one of {', '.join(FORMATS)}")
