from __future__ import annotations

import numpy as np
import pandas as pd
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.money.units import (
    Q_,
    AmountError,
    UnitError,
    currencies,
    parse_amount,
    parse_amount_column,
    parse_unit,
)


@pytest.mark.parametrize(
    ("text", "scale", "currency"),
    [
        ("billion USD", 1e9, "USD"),
        ("bn EUR", 1e9, "EUR"),
        ("million GBP", 1e6, "GBP"),
        ("EUR", 1.0, "EUR"),
        ("€bn", 1e9, "EUR"),
        ("$ bn", 1e9, "USD"),
        ("USD m", 1e6, "USD"),
        ("B USD", 1e9, "USD"),
        ("tn usd", 1e12, "USD"),
        ("thousand UAH", 1e3, "UAH"),
        ("  euro  ", 1.0, "EUR"),
        ("Mrd EUR", 1e9, "EUR"),
        ("USD bln", 1e9, "USD"),
    ],
)
def test_unit_grammar_reads_scale_and_currency_in_either_order(text, scale, currency):
    spec = parse_unit(text)
    assert spec.scale == scale
    assert spec.currency == currency


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bn XYZ", "unknown currency XYZ"),
        ("9**9**9", "not a unit"),
        ("bn", "no currency"),
        ("EUR USD", "more than one currency"),
        ("bn mn EUR", "more than one scale word"),
        ("", "missing unit"),
        ("billion dollars", "unknown word"),
        ("1e9 EUR", "not a unit"),
    ],
)
def test_bad_units_are_rejected_with_a_reason(text, message):
    with pytest.raises(UnitError, match=message):
        parse_unit(text)


def test_every_currency_in_our_definitions_is_its_own_dimension():
    # ledger/currencies.txt: a currency defined as a unit of another would let EUR
    # and USD add up without a rate
    codes = currencies()
    dimensions = {str(Q_(1, code).dimensionality) for code in codes}
    assert len(dimensions) == len(codes) > 30
    with pytest.raises(pint.DimensionalityError):
        Q_(1, "EUR") + Q_(1, "USD")


def test_our_scale_words_are_plain_multipliers():
    assert Q_(2, "billion").to("dimensionless").magnitude == 2e9
    assert Q_(3, "million * EUR").to("EUR").magnitude == 3e6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95", (95.0, None)),
        ("1,234.5", (1234.5, None)),
        ("90-100", (90.0, 100.0)),
        ("90–100", (90.0, 100.0)),
        ("90 — 100", (90.0, 100.0)),
        (" 0.5 ", (0.5, None)),
        ("2.5e3", (2500.0, None)),
    ],
)
def test_amounts_and_ranges_are_parsed_by_our_own_code(text, expected):
    assert parse_amount(text, allow_range=True) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "negative"),
        ("nan", "not a finite number"),
        ("inf", "not a finite number"),
        ("1e309", "too large"),
        ("€300bn", "holds a unit"),
        ("300 bn", "holds a unit"),
        ("abc", "not a number"),
        ("100-90", "high to low"),
        ("", "missing"),
    ],
)
def test_bad_amounts_say_why(text, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(text, allow_range=True)


def test_decimal_commas_are_read_only_when_asked():
    assert parse_amount("1.234,5", allow_range=False, decimal_comma=True) == (1234.5, None)
    assert parse_amount("1,234", allow_range=False) == (1234.0, None)


def test_amount_column_reports_each_bad_cell_by_position():
    low, high, errors = parse_amount_column(
        pd.Series(["1", "x", "2-3", "-1"]), allow_range=True)
    assert low[0] == 1 and np.isnan(low[1]) and low[2] == 2 and high[2] == 3
    assert sorted(errors) == [1, 3]
    assert "'x'" in errors[1]


@pytest.mark.parametrize("text, scale, currency", [
    ("Mrd. €", 1e9, "EUR"), ("Mio. €", 1e6, "EUR"), ("Md€", 1e9, "EUR"),
    ("Mrd.EUR", 1e9, "EUR"), ("mds USD", 1e9, "USD"),
])
def test_european_scale_words_are_read_with_or_without_a_dot(text, scale, currency):
    spec = parse_unit(text)
    assert (spec.scale, spec.currency) == (scale, currency)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789.", max_size=8), min_size=1, max_size=12))
def test_a_column_of_digits_and_points_reads_as_each_cell_alone_reads(cells):
    # such a column is read by one Arrow cast when it can be (units._digits_and_points):
    # every value, and every cell refused, as parse_amount reads the cell by itself
    from ledger.money.units import AmountError, parse_amount, parse_amount_column

    low, _, errors = parse_amount_column(pd.Series(pd.array(cells, dtype="str")),
                                         allow_range=False)
    for pos, cell in enumerate(cells):
        try:
            expected, _ = parse_amount(cell, allow_range=False)
        except (AmountError, ValueError):
            assert pos in errors
            continue
        assert pos not in errors and (low[pos] == expected or np.isnan(expected))
