"""The README's tables of CSV columns and report fields match the code."""

from __future__ import annotations

import json
import re

from ledger.reconcile import reconcile
from ledger.report import CSV_COLUMNS, JSON_FIELDS, render
from ledger.schema import COLUMNS, read_ledger

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_after(heading: str) -> list[list[str]]:
    section = README.split(heading, 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows and not line.startswith("|"):
            break
    return rows[1:]


def test_readme_lists_exactly_the_csv_columns_the_reader_accepts():
    documented = [row[0] for row in table_after("## The funding CSV")]
    assert documented == [*COLUMNS[:6], "amount", *COLUMNS[6:]]


def test_readme_lists_exactly_the_json_report_fields(shipped):
    documented = [row[0] for row in table_after("JSON report fields")]
    report = json.loads(render(reconcile(read_ledger(shipped)), "json"))
    assert documented == list(JSON_FIELDS) == list(report)
    for field, content in table_after("JSON report fields"):
        items = report[field]
        if isinstance(items, list) and items:
            for key in items[0]:
                assert f"`{key}`" in content, (field, key)


def test_readme_states_the_csv_report_columns():
    match = re.search(r"CSV gap report columns: `([^`]+)`", README)
    assert match and tuple(match.group(1).split(",")) == CSV_COLUMNS


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```", 2)[1]
    assert "make run" in first_block and "make test" in first_block


def test_readme_lists_exactly_the_finding_codes():
    from ledger.findings import CODES

    documented = [row[0] for row in table_after("Findings (JSON `code`):")]
    assert documented == list(CODES)
