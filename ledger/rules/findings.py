"""Findings a careful analyst would want flagged, as data: severity, code, the
rows named (ids), how many rows in all, and the numbers involved. They are
worded into sentences at the edge (ledger.present.wording), from one table of codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

import numpy as np
import pandas as pd

from ledger.reading.donors import codes_of
from ledger.reading.schema import Ledger
from ledger.rules.scenario import OUTSIDE_INSTRUMENT, OUTSIDE_PART, Scenario, Valued
from ledger.rules.scope import has_tag
from ledger.rules.stages import delivered_beyond

Severity = Literal["error", "warning", "info"]
MAX_ROWS_NAMED = 100
HALF_A_CENT = 0.005  # below this a surplus is the noise of adding decimals, not money
STALE_AFTER_DAYS = 7  # weekends and holidays: an older rate is a warning
CODES = (  # every code a finding can carry; ledger.present.wording and the README list the same
    "over_allocated", "possibly_over_allocated", "surplus", "possible_surplus",
    "need_without_flow", "unknown_industry", "duplicate_flow", "unknown_donor_code",
    "unknown_industry_code", "donor_not_itemised", "rate_from_earlier_date", "stale_rate",
    "source_unused", "assumption", "excluded_by_status", "superseded", "after_as_of",
    "outside_view", "check_failed", "need_not_stated", "delivered_beyond", "correction",
)
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class OverAllocation(StrEnum):
    """Whether a source gives out more than it has, judged in its own currency."""

    NO = "no"
    POSSIBLE = "possible"
    CERTAIN = "yes"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    rows: tuple[str, ...]  # the ids named: at most MAX_ROWS_NAMED
    count: int  # how many rows it concerns in all
    numbers: dict[str, Any] = field(default_factory=dict)  # what the sentence quotes

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown finding code {self.code}")


def _finding(severity: Severity, code: str, ids: pd.Series | list[str],
             **numbers: Any) -> Finding:
    named = ids[:MAX_ROWS_NAMED] if isinstance(ids, list) else ids.head(MAX_ROWS_NAMED).tolist()
    return Finding(severity, code, tuple(str(i) for i in named), len(ids), numbers)


def _sum(frame: pd.DataFrame, name: str) -> tuple[float, float]:
    return float(frame[f"{name}_low"].sum()), float(frame[f"{name}_high"].sum())


def collect_findings(
    ledger: Ledger, valued: Valued, needs: pd.DataFrame, sources: pd.DataFrame,
    blocs: dict[str, str], scenario: Scenario,
) -> list[Finding]:
    currency = scenario.currency
    frame = valued.frame
    found: list[Finding] = []
    found.extend(_over_allocation_findings(sources, currency))
    found.extend(_surplus_findings(needs, currency))
    need_ids = needs["id"].to_numpy(dtype=object)  # a few needs and sources: arrays, not frames
    uncovered = need_ids[needs["covered_high"].to_numpy(dtype=float) == 0].tolist()
    if uncovered:
        found.append(_finding("warning", "need_without_flow", uncovered))
    found.extend(_stage_findings(frame, needs, currency))
    # rows as in the ledger: the copies the US→Europe lever appends are left out
    original = ~frame["shifted"].to_numpy(dtype=bool)
    into_need = ((frame["kind"] == "flow") & frame["to"].isin(needs["id"])).to_numpy()
    # only the columns a finding reads: taking every column of many rows is the cost
    unknown = frame.loc[into_need & original & (frame["industry"] == "unknown").to_numpy(),
                        ["id", "value_low", "value_high"]]
    if len(unknown):
        found.append(_finding("warning", "unknown_industry", unknown["id"],
                              amount=_sum(unknown, "value"), currency=currency))
    found.extend(ledger_findings(ledger, blocs))
    found.extend(_rate_findings(valued))
    unused = sources["id"].to_numpy(dtype=object)[
        sources["allocated_high"].to_numpy(dtype=float) == 0].tolist()
    if unused:
        found.append(_finding("info", "source_unused", unused))
    assumed = frame.loc[original & (frame["status"] == "assumption").to_numpy(), "id"]
    if len(assumed):
        found.append(_finding("info", "assumption", assumed))
    found.extend(_out_of_force_findings(valued.not_in_force, scenario))
    if len(valued.excluded_by_status):
        found.append(_finding("info", "excluded_by_status", valued.excluded_by_status["id"],
                              counting=list(scenario.statuses or ())))
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def _out_of_force_findings(time: pd.DataFrame, scenario: Scenario) -> list[Finding]:
    """Rows outside the view, superseded, or after the as-of date: their ids and why,
    read as arrays (not a filtered copy of every column for each)."""
    found = []
    reason = time["counted"].astype(str)
    counted = reason.to_numpy(dtype=object)
    ids = time["id"].to_numpy(dtype=object)
    outside = reason.isin([OUTSIDE_PART, OUTSIDE_INSTRUMENT]).to_numpy(dtype=bool)
    superseded = reason.str.startswith("no (superseded").to_numpy(dtype=bool) & ~outside
    later = ~outside & ~superseded
    if outside.any():
        found.append(_finding("info", "outside_view", ids[outside].tolist(), part=scenario.part,
                              instruments=list(scenario.instruments or ())
                              if scenario.instruments is not None else None))
    if superseded.any():
        found.append(_finding("info", "superseded", ids[superseded].tolist(), by={
            str(i): str(c)[18:-1] for i, c in zip(ids[superseded][:MAX_ROWS_NAMED],
                                                   counted[superseded][:MAX_ROWS_NAMED],
                                                   strict=True)}))
    if later.any():
        found.append(_finding("info", "after_as_of", ids[later].tolist(),
                              asof=str(scenario.asof)))
    return found


def _stage_findings(frame: pd.DataFrame, needs: pd.DataFrame, currency: str
                    ) -> list[Finding]:
    """Needs whose size no one states, corrections netted into other entries, and flows
    delivered beyond what they were."""
    found = []
    if "stated" in needs.columns:
        unstated = needs[~needs["stated"].to_numpy(dtype=bool)]
        if len(unstated):
            found.append(_finding("info", "need_not_stated", unstated["id"]))
    corrected = frame[has_tag(frame["tags"], "correction")] if "tags" in frame.columns \
        else frame.iloc[0:0]
    if len(corrected):  # an import's negative corrections, netted (reading.mapping)
        found.append(_finding("info", "correction", corrected["id"]))
    beyond = delivered_beyond(frame)
    if len(beyond):
        found.append(_finding(
            "warning", "delivered_beyond", beyond["id"], currency=currency,
            examples=[(str(r.id), (float(r.full_low), float(r.full_high)),
                       (float(r.fulfilled_low), float(r.fulfilled_high)))
                      for r in beyond.head(3).itertuples()]))
    return found


def _over_allocation_findings(sources: pd.DataFrame, currency: str) -> list[Finding]:
    found: list[Finding] = []
    judged = sources["over_allocated"].to_numpy(dtype=object)
    if (judged == OverAllocation.NO.value).all():
        return found
    flagged = sources[judged != OverAllocation.NO.value]
    for src in flagged.itertuples():
        certain = src.over_allocated == OverAllocation.CERTAIN.value
        found.append(_finding(
            "error" if certain else "warning",
            "over_allocated" if certain else "possibly_over_allocated", [src.id],
            name=src.name, currency=src.judged_in or currency,
            in_source_currency=bool(src.judged_in),
            allocated=(src.judged_allocated_low, src.judged_allocated_high),
            available=(src.judged_available_low, src.judged_available_high)))
    return found


def _surplus_findings(needs: pd.DataFrame, currency: str) -> list[Finding]:
    """A surplus is reported, never netted against another need's gap."""
    found = []
    gap_low = needs["gap_low"].to_numpy(dtype=float)
    gap_high = needs["gap_high"].to_numpy(dtype=float)
    certain = gap_high < -HALF_A_CENT
    possible = (gap_low < -HALF_A_CENT) & ~certain
    kinds: tuple[tuple[np.ndarray, Severity, str], ...] = (
        (certain, "warning", "surplus"), (possible, "info", "possible_surplus"))
    for mask, severity, code in kinds:
        if mask.any():
            found.append(_finding(severity, code, needs["id"].to_numpy(dtype=object)[mask]
                                  .tolist(), amount=_sum(needs[mask], "surplus"),
                                  currency=currency))
    return found


# the same stage too: a commitment and the allocation that fulfils it are one aid at
# two stages, not one entry typed twice
DUPLICATE_KEY = ["from", "to", "low", "high", "currency", "date", "industry", "status"]


def ledger_findings(ledger: Ledger, blocs: dict[str, str]) -> list[Finding]:
    """What is found in the ledger itself — identical flows, codes not in the bloc
    table — the same in every view: computed once per ledger and bloc table, so a
    change of currency or filter does not hash every flow again."""
    return list(ledger.once(("findings", tuple(sorted(blocs.items()))), lambda: (
        *_duplicate_flows(ledger), *_code_findings(ledger, blocs))))


def _duplicate_flows(ledger: Ledger) -> list[Finding]:
    """Identical flows (same from, to, amount, date, industry and stage, and some money) are
    probably one entry typed twice; each is still counted, so say so, in one finding
    that lists every group."""
    frame = ledger.frame
    is_flow = (frame["kind"] == "flow").to_numpy()
    if is_flow.sum() < 2:
        return []
    keys = frame[["kind", *DUPLICATE_KEY]]
    # a hash per row finds the few candidates fast; they are then compared exactly
    hashed = pd.Series(pd.util.hash_pandas_object(keys, index=False).to_numpy())
    candidates = keys[hashed.duplicated(keep=False).to_numpy()]
    # flows of no money (a tracker's zero-value rows) cannot count twice
    candidates = candidates[((candidates["kind"] == "flow")
                             & (candidates["high"] > 0)).to_numpy()]
    repeated = candidates[candidates.duplicated(DUPLICATE_KEY, keep=False).to_numpy()]
    if repeated.empty:
        return []
    ids = frame.loc[repeated.index, "id"]
    groups = ids.groupby([repeated[c] for c in DUPLICATE_KEY], sort=False).agg(tuple)
    return [_finding("warning", "duplicate_flow", ids, groups=len(groups),
                     examples=[list(g) for g in groups.head(5)])]


def _code_findings(ledger: Ledger, blocs: dict[str, str]) -> list[Finding]:
    frame = ledger.frame
    found = []
    donor_codes = codes_of(frame["donor"])
    per_column = {"donor": donor_codes,
                  "industry": frame["industry"][frame["industry"] != ""]}
    for column, codes in per_column.items():
        position, distinct = pd.factorize(codes)  # few distinct codes: look each up once
        missing = np.array([code not in blocs for code in distinct] + [False], dtype=bool)
        unknown = codes[missing[position]]
        if len(unknown):
            found.append(_finding("warning", f"unknown_{column}_code",
                                  frame.loc[unknown.index.unique(), "id"],
                                  codes=sorted(set(unknown))))
    multi = frame.loc[((frame["kind"] == "source") & donor_codes.eq("multi").groupby(
        level=0).any().reindex(frame.index, fill_value=False)).to_numpy(dtype=bool), "id"]
    if len(multi):
        found.append(_finding("warning", "donor_not_itemised", multi))
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
        found.append(_finding("info", "rate_from_earlier_date", _rows_valued_with(valued, recent),
                              examples=[(r.currency, _day(r.valued_on), _day(r.used))
                                        for r in recent.head(3).itertuples()],
                              pairs=len(recent)))
    stale = rates[age > STALE_AFTER_DAYS]
    for currency, part in stale.groupby("currency", sort=True):
        found.append(_finding("warning", "stale_rate", _rows_valued_with(valued, part),
                              currency=str(currency), last=_day(part["used"].max()),
                              valued_on=_day(part["valued_on"].max()),
                              days=STALE_AFTER_DAYS))
    return found


def _day(value: object) -> str:
    return str(pd.Timestamp(value).date())


def _rows_valued_with(valued: Valued, rates: pd.DataFrame) -> pd.Series:
    """The ids of the rows valued with the given rates (rows of conversion.rates)."""
    frame = valued.frame
    hit = np.isin(frame["rate_key"].to_numpy(), rates.index.to_numpy())
    return frame.loc[hit & ~frame["shifted"].to_numpy(dtype=bool), "id"]
