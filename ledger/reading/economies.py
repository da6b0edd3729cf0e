"""GDP and population of donor countries (`data/reference/gdp-population.csv`): World Bank,
World Development Indicators, GDP in current US dollars (NY.GDP.MKTP.CD) and total
population (SP.POP.TOTL), 2024, CC BY 4.0. Every figure made from it states that
source and year."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from ledger.core.frames import reference_table
from ledger.core.language import N_
from ledger.core.paths import shipped
from ledger.core.problems import LedgerError, Problem

ECONOMY_SOURCE = N_("World Bank, World Development Indicators: GDP in current US$ and "
                     "population, {year}; GDP converted at the ECB's average rate of {year}")
COLUMNS = ("code", "country", "gdp_usd", "gdp_year", "population", "population_year")


def read_economies(path: Path | None = None) -> pd.DataFrame:
    """code → gdp_usd, gdp_year, population, population_year; an error names the row
    and column of a missing or unreadable figure. Read again only when the file
    changes (every report and the Donors page ask for it)."""
    path = path or shipped("reference/gdp-population.csv")
    return _economies(path, path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=4)
def _economies(path: Path, _mtime_ns: int) -> pd.DataFrame:
    frame = reference_table(path, COLUMNS)
    problems = []
    for column in ("gdp_usd", "gdp_year", "population", "population_year"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        problems += [Problem(i + 2, column, f"{path.name}: '{frame[column].iloc[i][:30]}' is "
                             "not a number") for i in (numbers.isna() | (numbers <= 0))
                     .to_numpy().nonzero()[0]]
        frame[column] = numbers
    if problems:
        raise LedgerError(problems)
    return frame.set_index(frame["code"].str.strip().str.upper())[list(COLUMNS[1:])]
