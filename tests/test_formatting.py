"""Numbers as people read them."""

from __future__ import annotations

import pytest

from ledger.present.formatting import money, money_range, percent, percent_range, use_locale


@pytest.mark.parametrize("value, currency, shown", [
    (1.23e9, "EUR", "€1.2 bn"), (578e6, "USD", "$578 mn"), (-10e9, "EUR", "−€10 bn"),
    (2.5e12, "GBP", "£2.5 tn"), (950.0, "EUR", "€950"), (1e9, "CHF", "CHF 1 bn"),
    (float("nan"), "EUR", "n/a"),
])
def test_money_is_one_figure_with_a_scale_word(value, currency, shown):
    assert money(value, currency) == shown


@pytest.mark.parametrize("low, high, shown", [
    (580e9, 590e9, "€580–590 bn"), (90e9, 90.04e9, "€90 bn"), (0, 9e9, "€0–9 bn"),
    (-5e9, 10e9, "−€5 bn to €10 bn"), (1e6, 2e9, "€0–2 bn"),
])
def test_a_range_shares_one_scale_and_collapses_when_both_ends_read_the_same(low, high, shown):
    assert money_range(low, high, "EUR") == shown


def test_percentages_round_to_whole_numbers_and_ranges_collapse():
    assert percent(0.3349) == "33 %"
    assert percent_range(0.2491, 0.3255) == "25–33 %"
    assert percent_range(0.4, 0.4004) == "40 %"
    assert percent_range(float("nan"), 0.5) == "n/a"


@pytest.mark.parametrize(("tag", "expected"), [
    ("en-GB", "€1.2–1.6 bn"), ("de-DE", "1,2–1,6\u00a0Mrd.\u00a0€"),
    ("fr", "1,2–1,6\u00a0Md\u00a0€"), ("pt-BR", "€1.2–1.6 bn"), (None, "€1.2–1.6 bn")])
def test_a_reader_gets_the_separators_and_scale_words_of_their_language(tag, expected):
    # "1.55" is one and a half to an English reader, and "90.000" ninety thousand to a
    # German one: each reader gets the form they read unambiguously
    try:
        use_locale(tag)
        assert money_range(1.2e9, 1.55e9, "EUR") == expected
    finally:
        use_locale("en")


def test_a_german_reader_reads_thousands_and_decimals_their_way():
    try:
        use_locale("de")
        assert money_range(1234.5e9, 1234.5e9, "EUR", exact=True) == "1,23\u00a0Bio.\u00a0€"
        assert money_range(90e9, 90e9, "EUR") == "90\u00a0Mrd.\u00a0€"
        assert money_range(1_500e6, 1_500e6, "USD") == "1,5\u00a0Mrd.\u00a0$"
    finally:
        use_locale("en")
