"""Findings in words: one sentence per code, made at the edge."""

from __future__ import annotations

from ledger.present.wording import SENTENCES, findings_table, message
from ledger.rules.findings import CODES, Finding


def test_every_code_has_a_sentence():
    assert set(SENTENCES) == set(CODES)


def test_a_sentence_quotes_the_numbers_in_the_reporting_currency():
    surplus = Finding("warning", "surplus", ("n",), 1, {"amount": (5e9, 7e9), "currency": "USD"})
    assert message(surplus) == ("1 need(s) covered more than in full, by $5–7 bn: the surplus "
                                "does not fill other needs' gaps")


def test_a_sentence_says_when_only_the_first_rows_are_named():
    many = Finding("info", "source_unused", tuple(f"s{i}" for i in range(100)), 250)
    assert message(many).endswith("(first 100 of 250 named)")


def test_the_findings_table_is_what_pages_and_reports_show():
    over = Finding("error", "over_allocated", ("s",), 1, {
        "name": "Fund", "currency": "EUR", "in_source_currency": True,
        "allocated": (12e9, 12e9), "available": (10e9, 10e9)})
    table = findings_table([over])
    assert list(table.columns) == ["severity", "finding", "rows", "code"]
    assert table.loc[0, "finding"] == ("Fund: passes on €12 bn of €10 bn available (in EUR at "
                                       "the source's date)")
