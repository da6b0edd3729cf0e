"""Time: each figure spread evenly by day over [date, end] (the whole amount on
`date` when there is no end), and the year-by-year table of needs falling due
against money by stage, with the yearly and the cumulative gap."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ledger import intervals as iv

STAGES = ("pledged", "committed", "disbursed")


def year_shares(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row position, year, share of the row's days in that year) for every year a
    row's period touches. `end` NaT: the row falls on `start`. Each row's shares
    sum to 1."""
    first = np.asarray(start, dtype="datetime64[D]")
    last = np.asarray(end, dtype="datetime64[D]")
    last = np.where(np.isnat(last), first, last)
    first_year = first.astype("datetime64[Y]").astype(int) + 1970
    last_year = last.astype("datetime64[Y]").astype(int) + 1970
    spans = last_year - first_year + 1
    row = np.repeat(np.arange(len(first)), spans)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(spans) - spans, spans)
    year = first_year[row] + offset
    year_start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    year_end = (year - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]")
    overlap_from = np.maximum(year_start, first[row])
    overlap_to = np.minimum(year_end, last[row] + np.timedelta64(1, "D"))
    days = (overlap_to - overlap_from).astype(int)
    total = (last - first).astype(int) + 1
    return row, year, days / total[row]


def years_table(needs: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Per year: need falling due, money by stage and in all (flows into needs), the
    gap of the year and the cumulative gap — each a range; gaps as everywhere, what
    each need lacks, added up (a need's surplus in a year fills no other need).

    `needs`: id, date, end, value_low/high; `flows`: to, status, date, end,
    value_low/high (flows into needs only)."""
    need_part = _spread(needs, needs["id"].to_numpy(dtype=object))
    flow_part = _spread(flows, flows["to"].to_numpy(dtype=object),
                        flows["status"].to_numpy(dtype=object))
    years = np.union1d(need_part["year"], flow_part["year"]).astype(int)
    if len(years) == 0:
        return pd.DataFrame(columns=["year"])
    years = np.arange(years.min(), years.max() + 1)
    table = {"year": years}
    for name, part in (("need", need_part), ("covered", flow_part)):
        table.update(_by_year(part, years, name))
    for stage in STAGES:
        table.update(_by_year(flow_part[flow_part["status"] == stage], years, stage))
    table.update(_gaps(need_part, flow_part, years))
    return pd.DataFrame(table)


def _spread(rows: pd.DataFrame, key: np.ndarray, status: np.ndarray | None = None
            ) -> pd.DataFrame:
    at, year, share = year_shares(rows["date"].to_numpy(), rows["end"].to_numpy())
    part = pd.DataFrame({"key": key[at], "year": year,
                         "low": rows["value_low"].to_numpy(dtype=float)[at] * share,
                         "high": rows["value_high"].to_numpy(dtype=float)[at] * share})
    if status is not None:
        part["status"] = status[at]
    return part


def _by_year(part: pd.DataFrame, years: np.ndarray, name: str) -> dict[str, np.ndarray]:
    position = np.searchsorted(years, part["year"].to_numpy())
    return {f"{name}_{bound}": np.bincount(position, weights=part[bound].to_numpy(),
                                           minlength=len(years)).astype(float)
            for bound in ("low", "high")}


def _gaps(need_part: pd.DataFrame, flow_part: pd.DataFrame, years: np.ndarray
          ) -> dict[str, np.ndarray]:
    """Per need and year: need − covered, positive part, added up over needs; and the
    same with cumulative sums up to each year."""
    keys = pd.Index(pd.unique(need_part["key"]))
    grid = (len(keys), len(years))

    def matrix(part: pd.DataFrame, bound: str) -> np.ndarray:
        row = keys.get_indexer(part["key"].to_numpy(dtype=object))
        col = np.searchsorted(years, part["year"].to_numpy())
        kept = row >= 0  # flows into needs outside this table do not exist here
        cell = row[kept] * grid[1] + col[kept]
        return np.bincount(cell, weights=part[bound].to_numpy()[kept],
                           minlength=grid[0] * grid[1]).reshape(grid).astype(float)

    need = {b: matrix(need_part, b) for b in ("low", "high")}
    covered = {b: matrix(flow_part, b) for b in ("low", "high")}
    out = {}
    for name, step in (("gap", lambda m: m), ("cumulative_gap", lambda m: np.cumsum(m, 1))):
        low, high = iv.positive_part(*iv.difference(step(need["low"]), step(need["high"]),
                                                    step(covered["low"]),
                                                    step(covered["high"])))
        out[f"{name}_low"], out[f"{name}_high"] = low.sum(axis=0), high.sum(axis=0)
    return out
