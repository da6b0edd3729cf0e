"""The README's tables of CSV columns and report fields match the code."""

from __future__ import annotations

import datetime as dt
import json
import re

from ledger.present.report import CSV_COLUMNS, JSON_FIELDS, render
from ledger.reading.schema import COLUMNS, read_ledger
from ledger.rules.reconcile import reconcile

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
    from ledger.rules.findings import CODES

    documented = [row[0] for row in table_after("Findings (JSON `code`):")]
    assert documented == list(CODES)


def section(heading: str) -> str:
    """The README's text from a `## heading` to the next one."""
    return README.split(heading, 1)[1].split("\n## ", 1)[0]


def test_readme_documents_exactly_the_command_line_options():
    from ledger.__main__ import _parser

    parser = _parser()
    options = set()
    for command in parser._subparsers._group_actions[0].choices.values():  # type: ignore[union-attr]
        for action in command._actions:
            options.update(o for o in action.option_strings if o.startswith("--")
                           and o != "--help")
    documented = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", section("## Command line")))
    assert documented == options


def test_readme_documents_exactly_the_link_parameters():
    from ledger.rules.scenario import Scenario, to_query

    every_lever = Scenario(currency="USD", fx_date=dt.date(2025, 1, 2), statuses=("pledged",),
                           availability=(("a", 0.5),), shift_us_to_europe=0.2,
                           asof=dt.date(2025, 6, 1), part="record", instruments=("grant",))
    produced = set(to_query(every_lever)) | set(to_query(Scenario(fx_mode="row-date"))) | {
        "v", "lang"}  # the data version a link pins (ui.pins) and the language: not levers
    documented = [row[0].strip("`") for row in table_after("## Links that reproduce a view")]
    assert set(documented) == produced and len(documented) == len(produced)


def test_readme_documents_exactly_the_environment_variables_the_product_reads():
    product = [ROOT / "app.py", *ROOT.glob("ledger/**/*.py"), *ROOT.glob("ui/**/*.py")]
    read = set()
    for path in product:
        read.update(re.findall(r"""["'](LEDGER_[A-Z_]+)["']""",  # names in quotes
                               path.read_text(encoding="utf-8")))
    documented = [row[0].strip("`") for row in table_after("## Settings")]
    assert set(documented) == read and len(documented) == len(read)
    anywhere = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (
        *product, *ROOT.glob("tests/*.py"), *(p for p in ROOT.glob("tools/*") if p.is_file()),
        ROOT / "Makefile"))
    for name in set(re.findall(r"LEDGER_[A-Z_]+", README)):
        assert name in anywhere, f"the README mentions {name}, which nothing reads"


def test_the_architecture_page_names_every_module_of_the_domain_and_the_pages():
    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for path in [*ROOT.glob("ledger/**/*.py"), *ROOT.glob("ui/**/*.py")]:
        if path.name == "__init__.py" and path.parent.name != "report":
            continue
        relative = path.relative_to(ROOT)
        shown = (str(relative.relative_to("ledger")) if relative.parts[0] == "ledger"
                 else str(relative))
        if path.parent == ROOT / "ledger":
            shown = f"ledger/{path.name}"
        if f"`{shown}`" not in page:
            missing.append(shown)
    assert missing == []


def test_every_function_the_architecture_page_names_for_a_rule_exists():
    import importlib

    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rules = page.split("## Where each rule is", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`((?:rules|money|reading|present)\.[a-z_]+(?:\.[A-Za-z_]+)?)`", rules)
    assert len(named) > 20
    for dotted in named:
        module, _, name = dotted.rpartition(".")
        try:
            target = importlib.import_module(f"ledger.{dotted}")
            assert target
            continue
        except ModuleNotFoundError:
            pass
        assert hasattr(importlib.import_module(f"ledger.{module}"), name), dotted


def test_no_measured_timing_is_written_into_the_products_code():
    # timings go stale; they live in docs/PERFORMANCE.md with their date and command
    measured = re.compile(r"\b\d+(?:\.\d+)?\s?ms\b|\b\d+\.\d+\s?s\b"
                          r"|\d\s?(?:->|→)\s?\d+(?:\.\d+)?\s?s\b")
    found = []
    for path in [ROOT / "app.py", *ROOT.glob("ledger/**/*.py"), *ROOT.glob("ui/**/*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if measured.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
