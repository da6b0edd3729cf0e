"""Findings a careful analyst would want flagged, each naming its rows (ids)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ledger.formatting import money_range
from ledger.scenario import Scenario, Valued
from ledger.schema import Ledger

Severity = Literal["error", "warning", "info"]
MAX_ROWS_NAMED = 100


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    rows: tuple[str, ...]
    message: str


def _ids(ids: pd.Series) -> tuple[tuple[str, ...], str]:
    named = tuple(str(i) for i in ids.head(MAX_ROWS_NAMED))
    more = f" (first {MAX_ROWS_NAMED} of {len(ids):,} named)" if len(ids) > MAX_ROWS_NAMED else ""
    return named, more


def collect_findings(
    ledger: Ledger, valued: Valued, needs: pd.DataFrame, sources: pd.DataFrame,
    blocs: dict[str, str], scenario: Scenario,
) -> list[Finding]:
    currency = scenario.currency
    frame = valued.frame
    found: list[Finding] = []
    for _, src in sources[sources["over_allocated"] != "no"].iterrows():
        certain = src["over_allocated"] == "yes"
        found.append(Finding(
            "error" if certain else "warning",
            "over_allocated" if certain else "possibly_over_allocated",
            (src["id"],),
            f"{src['name']}: allocates "
            f"{money_range(src['allocated_low'], src['allocated_high'], currency)} of "
            f"{money_range(src['available_low'], src['available_high'], currency)} available"
            + ("" if certain else " (the ranges overlap)"),
        ))
    uncovered = needs[(needs["covered_high"] == 0)]
    if len(uncovered):
        rows, more = _ids(uncovered["id"])
        found.append(Finding("warning", "need_without_flow", rows,
                             f"{len(uncovered)} need(s) with no flow covering them{more}"))
    surplus = needs[needs["gap_high"] < 0]
    if len(surplus):
        rows, more = _ids(surplus["id"])
        found.append(Finding("info", "surplus", rows,
                             f"{len(surplus)} need(s) covered more than in full{more}"))
    # rows as in the ledger: the copies the US→Europe lever appends are left out
    original = np.arange(len(frame)) < len(frame) - valued.moved
    into_need = ((frame["kind"] == "flow") & frame["to"].isin(needs["id"])).to_numpy()
    unknown = into_need & original & (frame["industry"] == "unknown").to_numpy()
    if unknown.any():
        rows, more = _ids(frame.loc[unknown, "id"])
        amount = money_range(frame.loc[unknown, "value_low"].sum(),
                             frame.loc[unknown, "value_high"].sum(), currency)
        found.append(Finding("warning", "unknown_industry", rows,
                             f"{unknown.sum():,} flow(s) into needs worth {amount} with "
                             f"unknown industry{more}"))
    found.extend(_code_findings(ledger, blocs))
    found.extend(_rate_findings(valued, currency))
    unused = sources[sources["allocated_high"] == 0]
    if len(unused):
        rows, more = _ids(unused["id"])
        found.append(Finding("info", "source_unused", rows,
                             f"{len(unused)} source(s) with nothing allocated{more}"))
    assumed = original & (frame["status"] == "assumption").to_numpy()
    if assumed.any():
        rows, more = _ids(frame.loc[assumed, "id"])
        found.append(Finding("info", "assumption", rows,
                             f"{assumed.sum():,} figure(s) are illustrative assumptions, "
                             f"not reported by anyone{more}"))
    if len(valued.excluded_by_status):
        rows, more = _ids(valued.excluded_by_status["id"])
        kept = ", ".join(scenario.statuses or ())
        found.append(Finding("info", "excluded_by_status", rows,
                             f"{len(valued.excluded_by_status):,} flow(s) left out by the status "
                             f"filter (counting only {kept}){more}"))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda f: order[f.severity])


def _code_findings(ledger: Ledger, blocs: dict[str, str]) -> list[Finding]:
    frame = ledger.frame
    found = []
    for column in ("donor", "industry"):
        codes = frame[column]
        unknown = frame[(codes != "") & ~codes.isin(list(blocs))]
        if len(unknown):
            rows, more = _ids(unknown["id"])
            listed = ", ".join(sorted(set(unknown[column])))
            found.append(Finding("warning", f"unknown_{column}_code", rows,
                                 f"{column} code(s) {listed} not in blocs.csv: counted as Other"
                                 f"{more}"))
    return found


def _rate_findings(valued: Valued, currency: str) -> list[Finding]:
    rates = valued.conversion.rates
    earlier = rates[(rates["rate_date"] < rates["valued_on"]) |
                    (rates["target_rate_date"] < rates["valued_on"])]
    if earlier.empty:
        return []
    frame = valued.frame
    valued_on = (np.full(len(frame), np.datetime64(valued.fx_date, "D"))
                 if valued.fx_date else frame["date"].to_numpy(dtype="datetime64[D]"))
    keys = pd.MultiIndex.from_arrays([frame["currency"].to_numpy(dtype=object), valued_on])
    wanted = pd.MultiIndex.from_arrays([earlier["currency"].to_numpy(dtype=object),
                                        earlier["valued_on"].to_numpy(dtype="datetime64[D]")])
    hit = keys.isin(wanted)
    rows, more = _ids(frame.loc[hit, "id"])
    examples = "; ".join(
        f"{r.currency} for {pd.Timestamp(r.valued_on).date()} from "
        f"{pd.Timestamp(min(r.rate_date, r.target_rate_date)).date()}"
        for r in earlier.head(3).itertuples()
    )
    return [Finding("info", "rate_from_earlier_date", rows,
                    f"no ECB rate on the valuation date: the closest earlier one is used "
                    f"({examples}{'; …' if len(earlier) > 3 else ''}){more}")]
