"""The funding template as a workbook, where people fill it in: our columns, the
example rows of the CSV template, and dropdowns (data validation) for the coded
columns kind, status and instrument."""

from __future__ import annotations

import csv
import io

import xlsxwriter

from ledger.reading.schema import COLUMNS, INSTRUMENTS, KINDS, STATUSES, template_csv

DROPDOWNS = {"kind": KINDS, "status": STATUSES, "instrument": INSTRUMENTS}
ROWS_WITH_DROPDOWNS = 5_000


def template_xlsx() -> bytes:
    rows = list(csv.reader(io.StringIO(template_csv().decode("utf-8"))))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    sheet = book.add_worksheet("ledger")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = book.add_format({"num_format": "@"})  # every cell text: 0.10 stays 0.10
    for col, name in enumerate(COLUMNS):
        sheet.write_string(0, col, name, head)
        sheet.set_column(col, col, 28 if name in ("name", "ref", "note") else 14, text)
    for r, row in enumerate(rows[1:], start=1):
        for col, value in enumerate(row):
            sheet.write_string(r, col, value, text)
    for name, allowed in DROPDOWNS.items():
        col = COLUMNS.index(name)
        sheet.data_validation(1, col, ROWS_WITH_DROPDOWNS, col, {
            "validate": "list", "source": list(allowed),
            "input_title": name, "input_message": "one of: " + ", ".join(allowed),
            "error_title": f"Not a {name}", "error_message": "Choose one of: "
            + ", ".join(allowed)})
    sheet.freeze_panes(1, 0)
    help_sheet = book.add_worksheet("how to fill it in")
    help_sheet.set_column(0, 0, 110)
    for r, line in enumerate([
        "One row per need, source, flow or check; delete the example rows.",
        "Required: id, kind, name, low, unit, date. Dates as YYYY-MM-DD or day.month.year.",
        "unit: a scale word and a currency, e.g. 'billion USD', 'bn EUR', 'million GBP'.",
        "Upload this workbook on the Data page, or run: python -m ledger validate FILE.xlsx",
        "The README's table 'The funding CSV' explains every column.",
    ]):
        help_sheet.write_string(r, 0, line)
    book.close()
    return buffer.getvalue()
