"""Time: each figure spread evenly by day over [date, end] (the whole amount on
`date` when there is no end), and the year-by-year table of needs falling due
against money by stage, with the yearly and the cumulative gap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ledger.rules import intervals as iv
from ledger.rules.stages import STAGES


def year_shares(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row position, year, share of the row's days in that year) for every year a
    row's period touches. `end` NaT: the row falls on `start`. Each row's shares
    sum to 1."""
    first_year = _years_of(start)
    has_end = ~np.isnat(end)
    if not has_end.any():  # every row falls on its date (the common case, and fast)
        return np.arange(len(first_year)), first_year, np.ones(len(first_year))
    first = np.asarray(start, dtype="datetime64[D]")
    last = np.where(has_end, np.asarray(end, dtype="datetime64[D]"), first)
    last_year = last.astype("datetime64[Y]").astype(np.int64) + 1970
    spans = last_year - first_year + 1
    row = np.repeat(np.arange(len(first)), spans)
    offset = np.arange(len(row)) - np.repeat(np.cumsum(spans) - spans, spans)
    year = first_year[row] + offset
    year_start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    year_end = (year - 1970 + 1).astype("datetime64[Y]").astype("datetime64[D]")
    overlap_from = np.maximum(year_start, first[row])
    overlap_to = np.minimum(year_end, last[row] + np.timedelta64(1, "D"))
    days = (overlap_to - overlap_from).astype(np.int64)
    total = (last - first).astype(np.int64) + 1
    return row, year, days / total[row]


def _years_of(days: np.ndarray) -> np.ndarray:
    """The calendar year of each date; a ledger holds few distinct dates, so each
    distinct one is converted once."""
    code, distinct = pd.factorize(np.asarray(days).view(np.int64))
    as_dates = np.asarray(distinct).view(np.asarray(days).dtype)
    years = as_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    return years[code] if len(code) else np.array([], dtype=np.int64)


@dataclass(frozen=True)
class Dated:
    """Rows with a period and a range: start, end (NaT: none), low, high, and the
    group each row belongs to (a need's position; for flows also a stage code)."""

    start: np.ndarray
    end: np.ndarray
    low: np.ndarray
    high: np.ndarray
    group: np.ndarray  # the need's position
    stage: np.ndarray | None = None  # index into STAGES, -1 for other statuses


def years_table(needs: Dated, flows: Dated) -> pd.DataFrame:
    """Per year: need falling due, money by stage and in all (flows into needs), the
    gap of the year and the cumulative gap — each a range; gaps as everywhere, what
    each need lacks, added up (a need's surplus in a year fills no other need)."""
    need_at, need_year, need_share = year_shares(needs.start, needs.end)
    flow_at, flow_year, flow_share = year_shares(flows.start, flows.end)
    present = np.union1d(need_year, flow_year)
    if len(present) == 0:
        return pd.DataFrame(columns=["year"])
    years = np.arange(present.min(), present.max() + 1)
    need_col = need_year - years[0]
    flow_col = flow_year - years[0]
    table: dict[str, np.ndarray] = {"year": years}
    count = len(years)
    for bound in ("low", "high"):
        need_part = getattr(needs, bound)[need_at] * need_share
        flow_part = getattr(flows, bound)[flow_at] * flow_share
        table[f"need_{bound}"] = np.bincount(need_col, need_part, count)
        table[f"covered_{bound}"] = np.bincount(flow_col, flow_part, count)
        stage = flows.stage[flow_at] if flows.stage is not None else np.full(len(flow_at), -1)
        for code, name in enumerate(STAGES):
            here = stage == code
            table[f"{name}_{bound}"] = np.bincount(flow_col[here], flow_part[here], count)
        # money dated in a year before its need's period starts: counted towards the
        # need (in the cumulative gap) and shown as early
        first_year = _years_of(needs.start)[flows.group[flow_at]] if len(flow_at) else flow_year
        early = flow_year < first_year
        table[f"early_{bound}"] = np.bincount(flow_col[early], flow_part[early], count)
        cells = len(needs.low) * count
        table[f"_need_grid_{bound}"] = np.bincount(
            needs.group[need_at] * count + need_col, need_part, cells).reshape(-1, count)
        table[f"_covered_grid_{bound}"] = np.bincount(
            flows.group[flow_at] * count + flow_col, flow_part, cells).reshape(-1, count)
    grids = {k: table.pop(k) for k in list(table) if k.startswith("_")}
    for name, step in (("gap", lambda m: m), ("cumulative_gap", lambda m: np.cumsum(m, 1))):
        low, high = iv.positive_part(*iv.difference(
            step(grids["_need_grid_low"]), step(grids["_need_grid_high"]),
            step(grids["_covered_grid_low"]), step(grids["_covered_grid_high"])))
        table[f"{name}_low"], table[f"{name}_high"] = low.sum(axis=0), high.sum(axis=0)
    return pd.DataFrame(table)
