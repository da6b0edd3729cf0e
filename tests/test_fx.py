from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from currency_converter import CurrencyConverter
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.core.problems import LedgerError
from ledger.money.fx import convert_factors, convert_quantity, rate_table
from ledger.money.units import Q_

from .conftest import DATA


def test_usd_figure_dated_2025_08_18_converts_at_that_days_ecb_rate():
    table = rate_table()
    conv = convert_factors(pd.Series(["USD"]), pd.Series(pd.to_datetime(["2025-08-18"])),
                           "EUR", table, "row-date", None)
    # ECB reference rate for 18 August 2025: 1 EUR = 1.1673 USD
    assert conv.factor[0] == pytest.approx(1 / 1.1673, rel=1e-12)
    independent = CurrencyConverter().convert(1, "USD", "EUR", date=dt.date(2025, 8, 18))
    assert conv.factor[0] == pytest.approx(independent, rel=1e-12)


def test_weekend_date_takes_the_closest_earlier_rate_and_says_which():
    table = rate_table()
    conv = convert_factors(pd.Series(["USD"]), pd.Series(pd.to_datetime(["2025-08-17"])),
                           "EUR", table, "row-date", None)
    assert conv.factor[0] == pytest.approx(1 / 1.1688)  # Friday 15 August
    assert conv.rates["rate_date"].iloc[0] == np.datetime64("2025-08-15")


def test_cross_rates_go_through_the_euro():
    table = rate_table()
    conv = convert_factors(pd.Series(["GBP"]), pd.Series(pd.to_datetime(["2025-08-18"])),
                           "USD", table, "row-date", None)
    assert conv.factor[0] == pytest.approx(1.1673 / 0.8621)


def test_one_factor_per_currency_and_date_is_shared_by_all_rows():
    table = rate_table()
    currencies = pd.Series(["USD", "GBP", "USD", "EUR"] * 1000)
    dates = pd.Series(pd.to_datetime(["2025-08-18"] * 4000))
    conv = convert_factors(currencies, dates, "EUR", table, "date", dt.date(2025, 8, 18))
    assert len(conv.rates) == 3
    assert conv.factor[0] == conv.factor[2]


def test_date_mode_defaults_to_the_latest_rate_table_date():
    table = rate_table()
    conv = convert_factors(pd.Series(["USD"]), pd.Series(pd.to_datetime(["2020-01-02"])),
                           "EUR", table, "date", None)
    assert conv.rates["valued_on"].iloc[0] == np.datetime64(table.latest_date)


def test_currency_without_any_rate_is_an_error_naming_the_row():
    table = rate_table()
    with pytest.raises(LedgerError) as caught:
        convert_factors(pd.Series(["EUR", "UAH"]), pd.Series(pd.to_datetime(["2025-01-01"] * 2)),
                        "EUR", table, "row-date", None, pd.Series([2, 3]))
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "unit")]
    assert "UAH" in caught.value.problems[0].message


def test_user_rates_file_supplies_currencies_the_ecb_lacks():
    table = rate_table(DATA / "fx_rates_uah.csv")
    conv = convert_factors(pd.Series(["UAH"]), pd.Series(pd.to_datetime(["2025-08-20"])),
                           "EUR", table, "row-date", None)
    assert conv.factor[0] == pytest.approx(1 / 48.0)


def test_a_to_b_to_a_returns_the_amount():
    table = rate_table()
    day = dt.date(2024, 10, 25)
    there = convert_quantity(Q_(123.45, "GBP"), "JPY", day, table)
    back = convert_quantity(there, "GBP", day, table)
    assert back.magnitude == pytest.approx(123.45, rel=1e-12)
    assert str(back.units) == "GBP"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=200), st.integers(0, 5))
def test_distinct_keys_counted_are_what_sorting_finds(keys, spare):
    # keys in [0, size): the distinct keys ascending and each key's position among
    # them, as np.unique(return_inverse=True) gives them
    from ledger.money.fx import _distinct_keys

    key = np.array(keys, dtype=np.int64)
    distinct, codes = _distinct_keys(key, 41 + spare)
    expected, inverse = np.unique(key, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert codes.tolist() == inverse.tolist()
