"""Findings a careful analyst would want flagged, each naming its rows (ids)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

from ledger.donors import codes_of
from ledger.formatting import money_range
from ledger.scenario import Scenario, Valued
from ledger.schema import Ledger

Severity = Literal["error", "warning", "info"]
MAX_ROWS_NAMED = 100
STALE_AFTER_DAYS = 7  # weekends and holidays: an older rate is a warning
CODES = (  # every code a finding can carry; the README's table lists the same
    "over_allocated", "possibly_over_allocated", "surplus", "possible_surplus",
    "need_without_flow", "unknown_industry", "duplicate_flow", "unknown_donor_code",
    "unknown_industry_code", "donor_not_itemised", "rate_from_earlier_date", "stale_rate",
    "source_unused", "assumption", "excluded_by_status",
)


class OverAllocation(StrEnum):
    """Whether a source gives out more than it has, judged in its own currency."""

    NO = "no"
    POSSIBLE = "possible"
    CERTAIN = "yes"


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
    found.extend(_over_allocation_findings(sources, currency))
    found.extend(_surplus_findings(needs, currency))
    uncovered = needs[(needs["covered_high"] == 0)]
    if len(uncovered):
        rows, more = _ids(uncovered["id"])
        found.append(Finding("warning", "need_without_flow", rows,
                             f"{len(uncovered)} need(s) with no flow covering them{more}"))
    # rows as in the ledger: the copies the US→Europe lever appends are left out
    original = ~frame["shifted"].to_numpy(dtype=bool)
    into_need = ((frame["kind"] == "flow") & frame["to"].isin(needs["id"])).to_numpy()
    unknown = into_need & original & (frame["industry"] == "unknown").to_numpy()
    if unknown.any():
        rows, more = _ids(frame.loc[unknown, "id"])
        amount = money_range(frame.loc[unknown, "value_low"].sum(),
                             frame.loc[unknown, "value_high"].sum(), currency)
        found.append(Finding("warning", "unknown_industry", rows,
                             f"{unknown.sum():,} flow(s) into needs worth {amount} with "
                             f"unknown industry{more}"))
    found.extend(_duplicate_flows(ledger))
    found.extend(_code_findings(ledger, blocs))
    found.extend(_rate_findings(valued))
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
    assert all(f.code in CODES for f in found), [f.code for f in found]
    return sorted(found, key=lambda f: order[f.severity])


def _over_allocation_findings(sources: pd.DataFrame, currency: str) -> list[Finding]:
    found = []
    flagged = sources[sources["over_allocated"] != OverAllocation.NO.value]
    for src in flagged.itertuples():
        certain = src.over_allocated == OverAllocation.CERTAIN.value
        unit = src.judged_in or currency
        how = f" (in {unit} at the source's date)" if src.judged_in else ""
        found.append(Finding(
            "error" if certain else "warning",
            "over_allocated" if certain else "possibly_over_allocated",
            (src.id,),
            f"{src.name}: allocates "
            f"{money_range(src.judged_allocated_low, src.judged_allocated_high, unit)} of "
            f"{money_range(src.judged_available_low, src.judged_available_high, unit)} "
            f"available{how}" + ("" if certain else "; the ranges overlap"),
        ))
    return found


def _surplus_findings(needs: pd.DataFrame, currency: str) -> list[Finding]:
    """A surplus is reported, never netted against another need's gap."""
    found = []
    certain = needs[needs["gap_high"] < 0]
    if len(certain):
        rows, more = _ids(certain["id"])
        amount = money_range(certain["surplus_low"].sum(), certain["surplus_high"].sum(),
                             currency)
        found.append(Finding("warning", "surplus", rows,
                             f"{len(certain)} need(s) covered more than in full, by {amount}: "
                             f"the surplus does not fill other needs' gaps{more}"))
    possible = needs[(needs["gap_low"] < 0) & (needs["gap_high"] >= 0)]
    if len(possible):
        rows, more = _ids(possible["id"])
        found.append(Finding("info", "possible_surplus", rows,
                             f"{len(possible)} need(s) may be covered more than in full "
                             f"(the ranges overlap){more}"))
    return found


DUPLICATE_KEY = ["from", "to", "low", "high", "currency", "date", "industry"]


def _duplicate_flows(ledger: Ledger) -> list[Finding]:
    """Identical flows (same from, to, amount, date and industry) are probably one
    entry typed twice; each is still counted, so say so."""
    frame = ledger.frame
    keys = frame[["kind", *DUPLICATE_KEY]]
    # a hash per row finds the few candidates fast; they are then compared exactly
    hashed = pd.Series(pd.util.hash_pandas_object(keys, index=False).to_numpy())
    candidates = keys[hashed.duplicated(keep=False).to_numpy()]
    candidates = candidates[(candidates["kind"] == "flow").to_numpy()]
    repeated = candidates[candidates.duplicated(DUPLICATE_KEY, keep=False).to_numpy()]
    if repeated.empty:
        return []
    ids = frame.loc[repeated.index, "id"]
    groups = ids.groupby([repeated[c] for c in DUPLICATE_KEY], sort=False).agg(tuple)
    rows, more = _ids(ids)
    pairs = "; ".join(" = ".join(group) for group in groups.head(5))
    return [Finding("warning", "duplicate_flow", rows,
                    f"{len(groups):,} group(s) of identical flows (same from, to, amount, date "
                    f"and industry), each counted: {pairs}{'; …' if len(groups) > 5 else ''}"
                    f"{more}")]


def _code_findings(ledger: Ledger, blocs: dict[str, str]) -> list[Finding]:
    frame = ledger.frame
    found = []
    donor_codes = codes_of(frame["donor"])
    per_column = {"donor": donor_codes,
                  "industry": frame["industry"][frame["industry"] != ""]}
    for column, codes in per_column.items():
        unknown = codes[~codes.isin(list(blocs))]
        if len(unknown):
            rows, more = _ids(frame.loc[unknown.index.unique(), "id"])
            listed = ", ".join(sorted(set(unknown)))
            found.append(Finding("warning", f"unknown_{column}_code", rows,
                                 f"{column} code(s) {listed} not in blocs.csv: counted as Other"
                                 f"{more}"))
    multi = frame[(frame["kind"] == "source") & donor_codes.eq("multi").groupby(
        level=0).any().reindex(frame.index, fill_value=False)]
    if len(multi):
        rows, more = _ids(multi["id"])
        found.append(Finding("warning", "donor_not_itemised", rows,
                             f"{len(multi)} source(s) with donor 'multi': the donors are not "
                             f"itemised, so the money counts as Other; list them (DK;NO;SE or "
                             f"DE:60;FR:40) to split it{more}"))
    return found


def _rate_findings(valued: Valued) -> list[Finding]:
    """Rates from an earlier day than the valuation date: info up to a week back
    (weekends, holidays), a warning beyond (a currency the ECB stopped publishing)."""
    rates = valued.conversion.rates
    used = np.minimum(rates["rate_date"].to_numpy(dtype="datetime64[D]"),
                      rates["target_rate_date"].to_numpy(dtype="datetime64[D]"))
    age = (rates["valued_on"].to_numpy(dtype="datetime64[D]") - used).astype(int)
    rates = rates.assign(used=used, age=age)
    found = []
    recent = rates[(age > 0) & (age <= STALE_AFTER_DAYS)]
    if len(recent):
        rows, more = _rows_valued_with(valued, recent)
        examples = "; ".join(f"{r.currency} for {_day(r.valued_on)} from {_day(r.used)}"
                             for r in recent.head(3).itertuples())
        found.append(Finding("info", "rate_from_earlier_date", rows,
                             f"no rate on the valuation date: the closest earlier one is used "
                             f"({examples}{'; …' if len(recent) > 3 else ''}){more}"))
    stale = rates[age > STALE_AFTER_DAYS]
    for currency, part in stale.groupby("currency", sort=True):
        rows, more = _rows_valued_with(valued, part)
        last = _day(part["used"].max())
        latest = _day(part["valued_on"].max())
        found.append(Finding("warning", "stale_rate", rows,
                             f"{currency}: the last rate is from {last}, more than "
                             f"{STALE_AFTER_DAYS} days before the valuation date ({latest}); "
                             f"add newer rates to data/fx_rates.csv{more}"))
    return found


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date())


def _rows_valued_with(valued: Valued, rates: pd.DataFrame) -> tuple[tuple[str, ...], str]:
    """The ids of the rows valued with the given (currency, valuation date) pairs."""
    frame = valued.frame[~valued.frame["shifted"].to_numpy(dtype=bool)]
    valued_on = (np.full(len(frame), np.datetime64(valued.fx_date, "D"))
                 if valued.fx_date else frame["date"].to_numpy(dtype="datetime64[D]"))
    keys = pd.MultiIndex.from_arrays([frame["currency"].to_numpy(dtype=object), valued_on])
    wanted = pd.MultiIndex.from_arrays([rates["currency"].to_numpy(dtype=object),
                                        rates["valued_on"].to_numpy(dtype="datetime64[D]")])
    return _ids(frame.loc[keys.isin(wanted), "id"])
