"""Every donor's money: into what it was given for (every need, stated or not), by
stage, category and year, money through pools keeping its donors pro rata. A donor
is its code, and for donors that are not countries (EU institutions, several
donors) also its own name, so the European Investment Bank stays apart from the
Commission though both are donor EU. Stages are cumulative like the funnel: each
counts itself and every later one; a flow that fulfils another counts the earlier
one only for its remainder (already so in the valued frame)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger.core.frames import rows_where
from ledger.money.fx import RateTable
from ledger.reading.blocs import bloc_names
from ledger.reading.donors import DonorError, parse_donors
from ledger.rules.reconcile import Reconciliation
from ledger.rules.scope import DATE_UNKNOWN, has_tag
from ledger.rules.stages import STAGES
from ledger.rules.whopays import donor_composition

NOT_COUNTRIES = ("EU", "G7", "multi")
DONOR_COLUMNS = ("key", "code", "name", "bloc", "status", "category", "year", "month",
                 "amount_low", "amount_high")


def donor_key(code: str, source_name: str) -> str:
    """A country by its code; a donor that is not a country by its code and name."""
    return f"{code}|{source_name}" if code in NOT_COUNTRIES else code


def donor_money(frame: pd.DataFrame, source_rows: pd.DataFrame, flows: pd.DataFrame,
                need_ids: pd.Index, blocs: dict[str, str],
                names: dict[str, str]) -> pd.DataFrame:
    """One row per donor, status, category and year (None: year unknown) with money:
    the flows into needs in view, each split over its source's donors. `frame` is
    the valued frame (after the levers and remainders), `flows` every flow in view
    (for the pools), `names` code → a country's name."""
    kind = frame["kind"].to_numpy()
    # only the columns read here: taking every column of a tracker's flows cost more
    # than the sums
    into = frame.loc[(kind == "flow") & frame["to"].isin(need_ids).to_numpy(),
                     ["from", "to", "status", "date", "tags", "value_low", "value_high"]]
    if into.empty or source_rows.empty:
        return pd.DataFrame(columns=list(DONOR_COLUMNS))
    shares = donor_composition(source_rows, flows, _code_mix(source_rows))
    # one integer per (source, status, category, month), summed with bincount: a
    # tracker's flows become a few cells per source before they are split over donors
    status_code, statuses = pd.factorize(into["status"])
    target_code, targets = pd.factorize(into["to"])
    need_rows = frame.loc[kind == "need", ["id", "category"]]
    category_of = dict(zip(need_rows["id"].tolist(), need_rows["category"].tolist(),
                           strict=True))
    category_code, categories = pd.factorize(
        np.array([category_of.get(t, "") for t in targets.tolist()], dtype=object))
    category_code = category_code[target_code]  # each flow's category
    days = pd.DatetimeIndex(into["date"])
    month_code = np.where(has_tag(into["tags"], DATE_UNKNOWN), 0,
                          (days.year.to_numpy() - 1900) * 12 + days.month.to_numpy())
    origin_code, origins = pd.factorize(into["from"])
    sizes = (len(statuses), len(categories), int(month_code.max()) + 1)
    at, (cell_origin, cell_status, cell_category, cell_month) = _grouped(
        origin_code, status_code, category_code, month_code, sizes)
    cell_low = np.bincount(at, into["value_low"].to_numpy(dtype=float))
    cell_high = np.bincount(at, into["value_high"].to_numpy(dtype=float))
    # each cell split over its source's donors, then summed per (donor, status,
    # category, month)
    cell_at, key_index, share = _donor_pairs(
        shares, np.asarray(origins, dtype=object)[cell_origin])
    if len(cell_at) == 0:
        return pd.DataFrame(columns=list(DONOR_COLUMNS))
    position, (key_of, status_of, category_of_group, month_of) = _grouped(
        key_index, cell_status[cell_at], cell_category[cell_at], cell_month[cell_at], sizes)
    low = np.bincount(position, cell_low[cell_at] * share)
    high = np.bincount(position, cell_high[cell_at] * share)
    summed = _donors_named([str(k) for k in shares.columns], key_of, names, blocs)
    summed.update({"status": np.asarray(statuses, dtype=object)[status_of],
                   "category": np.asarray(categories, dtype=object)[category_of_group],
                   **_years_and_months(month_of), "amount_low": low, "amount_high": high})
    return pd.DataFrame(summed)[list(DONOR_COLUMNS)]


def _grouped(first: np.ndarray, status: np.ndarray, category: np.ndarray, month: np.ndarray,
             sizes: tuple[int, int, int]) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Each row's group among the distinct (first, status, category, month) it holds,
    one integer each, hashed (sorting every flow cost more), and each group's four codes
    in order; `sizes`: how many statuses, categories and months there are."""
    at, groups = pd.factorize(((first * sizes[0] + status) * sizes[1] + category) * sizes[2]
                              + month, sort=True)
    rest, month_of = np.divmod(groups, sizes[2])
    rest, category_of = np.divmod(rest, sizes[1])
    first_of, status_of = np.divmod(rest, sizes[0])
    return at, (first_of, status_of, category_of, month_of)


def _years_and_months(month_of: np.ndarray) -> dict[str, object]:
    """Each group's year (NA: unknown) and month ("2024-03"; None: unknown) from its
    month number (months since 1900, 0: date unknown); each month named once."""
    known = month_of > 0
    month_code, months = pd.factorize(month_of)
    names = np.array([f"{(m - 1) // 12 + 1900:04d}-{(m - 1) % 12 + 1:02d}" if m > 0
                      else None for m in months.tolist()], dtype=object)
    year = pd.array(np.where(known, (month_of - 1) // 12 + 1900, 0), dtype="Int64")
    year[~known] = pd.NA
    return {"year": year, "month": names[month_code]}


def _donors_named(keys: list[str], key_of: np.ndarray, names: dict[str, str],
                  blocs: dict[str, str]) -> dict[str, object]:
    """Each group's donor key, code, name and bloc: worked out once per donor and taken
    for every group (a tracker has tens of thousands of groups, a few dozen donors)."""
    codes = [k.split("|")[0] for k in keys]
    return {
        "key": np.array(keys, dtype=object)[key_of],
        "code": np.array(codes, dtype=object)[key_of],
        "name": np.array([k.split("|", 1)[1] if "|" in k else names.get(c, c)
                          for k, c in zip(keys, codes, strict=True)], dtype=object)[key_of],
        "bloc": np.array([blocs.get(c, "Other") for c in codes], dtype=object)[key_of]}


def _donor_pairs(shares: pd.DataFrame, origins: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each amount once per donor of its source (`origins`: each amount's source; most
    sources have one donor): the amount's position, the donor's column in `shares`, and
    its share."""
    source_at, key_at = np.nonzero(shares.to_numpy(dtype=float) > 0)
    share_at = shares.to_numpy(dtype=float)[source_at, key_at]
    found = shares.index.get_indexer(origins)
    count = np.bincount(source_at, minlength=len(shares))
    first = np.concatenate([[0], np.cumsum(count)[:-1]])
    per_flow = np.where(found >= 0, count[np.maximum(found, 0)], 0)
    flow_at = np.repeat(np.arange(len(origins)), per_flow)
    offset = np.arange(len(flow_at)) - np.repeat(np.cumsum(per_flow) - per_flow, per_flow)
    pair = first[found[flow_at]] + offset
    return flow_at, key_at[pair], share_at[pair]


def _code_mix(source_rows: pd.DataFrame) -> pd.DataFrame:
    """Each source's own money by donor key, as shares (an unreadable or empty donor:
    one key of its own, `multi`)."""
    rows: list[dict[str, float]] = []
    for donor, name in zip(source_rows["donor"].astype(str), source_rows["name"].astype(str),
                           strict=True):
        try:
            pairs = parse_donors(donor) if donor else (("multi", 1.0),)
        except DonorError:
            pairs = (("multi", 1.0),)
        mix: dict[str, float] = {}
        for code, share in pairs:
            key = donor_key(code, name)
            mix[key] = mix.get(key, 0.0) + share
        rows.append(mix)
    columns = sorted({k for mix in rows for k in mix})
    return pd.DataFrame([[mix.get(c, 0.0) for c in columns] for mix in rows],
                        index=source_rows["id"].to_numpy(), columns=columns)


def by_stage(money: pd.DataFrame) -> pd.DataFrame:
    """Per donor, each stage counting itself and every later one (pledged or further,
    …, disbursed), as low/high columns (`pledged_low`, …); the largest first by its
    furthest-reaching total."""
    columns = ["key", "code", "name", "bloc",
               *(f"{s}_{b}" for b in ("low", "high") for s in reversed(STAGES))]
    staged = rows_where(money, money["status"].isin(STAGES).to_numpy(dtype=bool)) \
        if len(money) else money
    if staged.empty:
        return pd.DataFrame(columns=columns)
    # a donor's key names it (its code, its name, its bloc): one integer per (donor,
    # stage), summed with bincount
    key_code, keys = pd.factorize(staged["key"], sort=True)
    stage_code = pd.Index(STAGES).get_indexer(staged["status"])
    first = np.unique(key_code, return_index=True)[1]
    out: dict[str, object] = {name: staged[name].to_numpy(dtype=object)[first]
                              for name in ("key", "code", "name", "bloc")}
    cell = key_code * len(STAGES) + stage_code
    for bound in ("low", "high"):
        sums = np.bincount(cell, staged[f"amount_{bound}"].to_numpy(dtype=float),
                           minlength=len(keys) * len(STAGES)).reshape(len(keys), len(STAGES))
        running = np.cumsum(sums[:, ::-1], axis=1)  # each stage and every later one
        for i, stage in enumerate(reversed(STAGES)):
            out[f"{stage}_{bound}"] = running[:, i]
    # the largest first, then by name (a few hundred donors at most: sorted here)
    pledged, named = out["pledged_high"], out["name"]
    order = sorted(range(len(keys)), key=lambda i: (-pledged[i], named[i]))  # type: ignore[index]
    return pd.DataFrame({c: np.asarray(v)[order] for c, v in out.items()}, columns=columns)


def donors_of(result: Reconciliation) -> pd.DataFrame:
    """`donor_money` for a reconciliation (computed once per reconciliation)."""
    cached = result.__dict__.get("_donor_money")
    if cached is not None:
        return cached
    money = donor_money(result.valued.frame, result._inputs.source_rows, result.flows,
                        pd.Index(result.needs["id"]), result.blocs, bloc_names())
    object.__setattr__(result, "_donor_money", money)
    return money


def gdp_in(currency: str, year: int, rates: RateTable) -> float:
    """One US dollar of `year` in `currency`: the average over the year's ECB days
    of the daily cross rate (NaN if the table has no such day)."""
    frame = rates.frame
    days = frame.index[(frame.index.year == year)]
    if len(days) == 0 or "USD" not in frame.columns:
        return float("nan")
    usd = frame.loc[days, "USD"].to_numpy(dtype=float)
    target = (np.ones(len(days)) if currency == "EUR"
              else frame.loc[days, currency].to_numpy(dtype=float)
              if currency in frame.columns else np.full(len(days), np.nan))
    return float(np.nanmean(target / usd))


def donor_table(result: Reconciliation, economies: pd.DataFrame) -> pd.DataFrame:
    """Every donor with its money by stage (cumulative), and its total (pledged or
    further) as a share of its GDP and per inhabitant where the reference table has
    the country (NaN elsewhere: EU institutions, several donors)."""
    table = by_stage(donors_of(result))
    if table.empty:
        return table.assign(share_of_gdp_low=[], share_of_gdp_high=[], per_capita_low=[],
                            per_capita_high=[], gdp_year=[])
    listed = set(economies.index.tolist())
    known = pd.Series([c in listed and "|" not in k for c, k in zip(
        table["code"].tolist(), table["key"].tolist(), strict=True)], index=table.index)
    gdp = np.full(len(table), np.nan)
    people = np.full(len(table), np.nan)
    year = np.full(len(table), np.nan)
    rate_of: dict[int, float] = {}  # one average a year, not one a donor
    # the reference table as plain look-ups: a label look-up per donor cost more than
    # the rest of the table
    figures = dict(zip(economies.index.tolist(), zip(
        economies["gdp_usd"].tolist(), economies["gdp_year"].tolist(),
        economies["population"].tolist(), strict=True), strict=False))
    codes = table["code"].tolist()
    for i in np.flatnonzero(known.to_numpy()):
        gdp_usd, gdp_year, population = figures[codes[i]]
        year_of = int(gdp_year)
        if year_of not in rate_of:
            rate_of[year_of] = gdp_in(result.currency, year_of, result.rates)
        gdp[i] = gdp_usd * rate_of[year_of]
        people[i] = population
        year[i] = gdp_year
    return table.assign(
        share_of_gdp_low=table["pledged_low"] / gdp, share_of_gdp_high=table["pledged_high"] / gdp,
        per_capita_low=table["pledged_low"] / people,
        per_capita_high=table["pledged_high"] / people, gdp_year=year)
