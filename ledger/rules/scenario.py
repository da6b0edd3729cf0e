"""What-if levers, applied to a copy of the ledger before reconciling: reporting
currency, FX mode and date, the part of the ledger shown, status and instrument
filters, the as-of date, per-source availability, and a shift of US-bound
spending to European industry."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ledger.core.frames import rows_where
from ledger.core.graph import topological_order
from ledger.core.language import N_
from ledger.core.problems import LedgerError, Problem, said
from ledger.money.fx import Conversion, FxMode, RateTable, convert_factors
from ledger.money.units import currencies
from ledger.reading.schema import INSTRUMENTS, STATUSES, Ledger
from ledger.rules.intervals import midpoint
from ledger.rules.scope import PARTS, Part, instrument_mask, leave_out, part_mask
from ledger.rules.stages import fulfilled_remainders

SHIFTED_SUFFIX = "~to-europe"


@dataclass(frozen=True)
class Scenario:
    """Everything that shapes a reconciliation besides the data itself."""

    currency: str = "EUR"
    fx_mode: FxMode = "date"
    fx_date: dt.date | None = None  # None: the latest date in the rate table
    statuses: tuple[str, ...] | None = None  # None: every status counts
    availability: tuple[tuple[str, float], ...] = field(default=())  # (source id, 0..1)
    shift_us_to_europe: float = 0.0  # share of US-bound spending moved, 0..1
    asof: dt.date | None = None  # only rows dated on or before it count: the ledger that day
    part: Part = "all"  # everything, the public record only, or the article only
    instruments: tuple[str, ...] | None = None  # None: every instrument counts

    def __post_init__(self) -> None:
        problems = []
        if self.currency not in currencies():
            problems.append(
                Problem(None, "currency", said("unknown reporting currency {currency}",
                                               currency=self.currency)))
        if self.fx_mode not in ("date", "row-date"):
            problems.append(Problem(None, "fx_mode", said("'{mode}' — use date or row-date",
                                                          mode=self.fx_mode)))
        problems += _unknown("status", self.statuses, STATUSES)
        problems += _unknown("instrument", self.instruments, INSTRUMENTS)
        if self.part not in PARTS:
            problems.append(Problem(None, "part", said("'{part}' — use {parts}",
                                                       part=self.part, parts=", ".join(PARTS))))
        for source, share in self.availability:
            if not 0.0 <= share <= 1.0:
                problems.append(Problem(None, "availability", said(
                    "{source}: {share} not in 0–1", source=source, share=str(share))))
        if not 0.0 <= self.shift_us_to_europe <= 1.0:
            problems.append(Problem(None, "shift", said("the shift must be within 0–1")))
        if problems:
            raise LedgerError(problems)

    def describe(self, fx_date_used: dt.date | None) -> dict[str, object]:
        """The scenario in full, as reports state it."""
        data = asdict(self)
        data["fx_date"] = fx_date_used.isoformat() if fx_date_used else None
        data["statuses"] = list(self.statuses) if self.statuses is not None else "all"
        data["availability"] = {k: v for k, v in sorted(self.availability)}
        data["asof"] = self.asof.isoformat() if self.asof else None
        data["instruments"] = list(self.instruments) if self.instruments is not None else "all"
        return data


def _unknown(what: str, given: tuple[str, ...] | None, known: tuple[str, ...]
             ) -> list[Problem]:
    """A filter's values that are not among the known ones, as one problem."""
    unknown = sorted(set(given or ()) - set(known))
    return [Problem(None, what, said("unknown {what} {values}; use {known}", what=what,
                                     values=", ".join(unknown), known=", ".join(known)))
            ] if unknown else []


@dataclass(frozen=True)
class Valued:
    """Rows of a ledger in the reporting currency after the levers."""

    # the ledger frame plus value_low/high (after the levers), full_low/high (before),
    # fx_factor (native → reporting currency) and shifted (a copy made by the shift lever)
    frame: pd.DataFrame
    conversion: Conversion
    fx_date: dt.date | None  # the valuation date in "date" mode
    excluded_by_status: pd.DataFrame  # flows the status filter left out
    not_in_force: pd.DataFrame  # rows superseded, after the as-of date, or outside the view
    checks: pd.DataFrame  # the published totals in force (kind check), valued like any row


def valuation(ledger: Ledger, scenario: Scenario, rates: RateTable
              ) -> tuple[Conversion, dt.date | None]:
    """One factor per row into the reporting currency, and the valuation date ("date"
    mode). The only step of a reconciliation that refuses a valid ledger: it raises
    LedgerError naming the rows whose currency has no rate on their valuation date,
    so `validate` runs it alone (everything after it is arithmetic)."""
    frame = ledger.frame
    fx_date = None
    if scenario.fx_mode == "date":
        fx_date = scenario.fx_date or rates.latest_date
    return convert_factors(frame["currency"], frame["date"], scenario.currency, rates,
                           scenario.fx_mode, fx_date, frame["row"]), fx_date


def apply(ledger: Ledger, scenario: Scenario, rates: RateTable) -> Valued:
    """Convert into the reporting currency, then apply the status filter,
    availability and the US→Europe shift (which needs an `industry_bloc` column)."""
    return with_levers(valued_rows(ledger, scenario, rates), scenario)


@dataclass(frozen=True)
class ValuedRows:
    """Every row of the part of the ledger shown, in the reporting currency, before
    the as-of date and the other levers: what a view on any day starts from."""

    frame: pd.DataFrame
    outside: pd.DataFrame  # rows outside the part shown
    conversion: Conversion
    fx_date: dt.date | None


def valued_rows(ledger: Ledger, scenario: Scenario, rates: RateTable) -> ValuedRows:
    """The rows valued once; `with_levers` makes a view of them for any day."""
    frame = ledger.frame
    conversion, fx_date = valuation(ledger, scenario, rates)
    frame = frame.assign(
        value_low=frame["low"].to_numpy() * conversion.factor,
        value_high=frame["high"].to_numpy() * conversion.factor,
        rate_date=conversion.row_rate_date,
        fx_factor=conversion.factor,
        rate_key=conversion.row_key,
        shifted=False,
    )
    frame = frame.assign(full_low=frame["value_low"], full_high=frame["value_high"])
    frame, outside = leave_out(frame, part_mask(frame, scenario.part), OUTSIDE_PART)
    return ValuedRows(frame, outside, conversion, fx_date)


def with_levers(rows: ValuedRows, scenario: Scenario) -> Valued:
    """The view of valued rows under the scenario's as-of date and levers."""
    frame, outside, conversion, fx_date = rows.frame, rows.outside, rows.conversion, rows.fx_date
    frame, kept, not_in_force = in_force(frame, scenario.asof)
    is_check = (frame["kind"] == "check").to_numpy()
    # the rows in force split into checks and the rest straight from the valued rows:
    # each take copies every column
    checks, frame = rows_where(frame, kept & is_check), rows_where(frame, kept & ~is_check)
    frame, other = leave_out(frame, instrument_mask(frame, scenario.instruments),
                             OUTSIDE_INSTRUMENT)
    not_in_force = pd.concat([not_in_force, outside, other], ignore_index=True) \
        if len(outside) or len(other) else not_in_force
    excluded = frame.iloc[0:0]
    if scenario.statuses is not None:
        drop = ((frame["kind"] == "flow") & ~frame["status"].isin(scenario.statuses)).to_numpy()
        excluded, frame = rows_where(frame, drop), rows_where(frame, ~drop)
    frame = fulfilled_remainders(frame)  # the same money at two stages counts once
    frame = _apply_availability(frame, dict(scenario.availability))
    if scenario.shift_us_to_europe and "industry_bloc" in frame.columns:
        frame = _shift_to_europe(frame, scenario.shift_us_to_europe)
    return Valued(frame.reset_index(drop=True), conversion, fx_date, excluded, not_in_force,
                  checks.reset_index(drop=True))


AFTER_ASOF = N_("no (after the as-of date)")
OUTSIDE_PART = N_("no (outside the part of the ledger shown)")
OUTSIDE_INSTRUMENT = N_("no (instrument not counted)")


def in_force(frame: pd.DataFrame, asof: dt.date | None
             ) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """The rows in force: dated on or before `asof` (every row when None), and not
    replaced by a revision in force. Flows into or out of a replaced row move to the
    row that replaced it (the end of the chain). Returns (every row, flows moved; which
    are in force; the others with a `reason`, as `counted`)."""
    after = np.zeros(len(frame), dtype=bool)  # masks, not a million reasons compared
    if asof is not None:  # what was known that day: rows published on or before it
        known_on = frame["published"] if "published" in frame.columns else frame["date"]
        later = known_on.to_numpy() > np.datetime64(asof)
        refers = np.zeros(len(frame), dtype=bool)
        if later.any():  # flows from or to a row not known yet: by position, not by set
            ids = pd.Index(frame["id"])
            for end in ("from", "to"):
                at = ids.get_indexer(frame[end])
                refers |= (at >= 0) & later[np.maximum(at, 0)]
            refers &= (frame["kind"] == "flow").to_numpy()
        after = later | refers
    current = ~after
    revising = frame.loc[current & (frame["revises"] != "").to_numpy(), ["revises", "id"]]
    replaced_by = dict(zip(revising["revises"].tolist(), revising["id"].tolist(), strict=False))
    superseded = np.zeros(len(frame), dtype=bool)
    by: pd.Series | None = None
    if replaced_by:
        superseded = current & frame["id"].isin(replaced_by).to_numpy()
        by = frame.loc[superseded, "id"].map(replaced_by).astype(str)
        latest = {old: _end_of_chain(old, replaced_by) for old in replaced_by}
        frame = _moved_to_latest(frame, latest)
    kept = current & ~superseded
    if kept.all():
        return frame, kept, frame.iloc[0:0].assign(counted=pd.Series([], dtype=object))
    reasons = np.full(int((~kept).sum()), AFTER_ASOF, dtype=object)
    if by is not None:
        reasons[superseded[~kept]] = ("no (superseded by " + by + ")").to_numpy()
    return frame, kept, rows_where(frame, ~kept).assign(counted=reasons)


def _moved_to_latest(frame: pd.DataFrame, latest: dict[str, str]) -> pd.DataFrame:
    """Each flow's ends that name a replaced row name the row that replaced it (a check
    keeps naming what it checks); one look-up of every end among the replaced ids."""
    flows = (frame["kind"] == "flow").to_numpy()
    replaced = pd.Index(list(latest))
    newest = np.array(list(latest.values()), dtype=object)
    moved = {}
    for end in ("from", "to"):
        at = replaced.get_indexer(frame[end])
        hit = flows & (at >= 0)
        if hit.any():
            cells = frame[end].to_numpy(dtype=object).copy()
            cells[hit] = newest[at[hit]]
            moved[end] = pd.array(cells, dtype=frame[end].dtype)
    return frame.assign(**moved) if moved else frame


def _end_of_chain(row: str, replaced_by: dict[str, str]) -> str:
    seen = {row}
    while row in replaced_by and replaced_by[row] not in seen:
        row = replaced_by[row]
        seen.add(row)
    return row


def _apply_availability(frame: pd.DataFrame, availability: dict[str, float]) -> pd.DataFrame:
    """Scale each source's own amount by its availability; then, in topological
    order, scale every source's outflows by its available amount after the levers
    over its available amount before (midpoints), so a pool fed by a halved source
    passes on less."""
    if not availability:
        return frame
    kind = frame["kind"].to_numpy()
    is_source = kind == "source"
    mid = midpoint(frame["value_low"].to_numpy(dtype=float),
                   frame["value_high"].to_numpy(dtype=float))
    source_ids = frame["id"].to_numpy()[is_source]
    own_before = dict(zip(source_ids, mid[is_source], strict=True))
    flows = frame.loc[kind == "flow", ["from", "to"]].assign(mid=mid[kind == "flow"])
    between = flows[flows["to"].isin(own_before).to_numpy()]
    inflow = between.groupby(["from", "to"], sort=False)["mid"].sum()
    available_before = dict(own_before)
    for (_, to), amount in inflow.items():
        available_before[to] += amount
    order, _ = topological_order(source_ids, list(inflow.index))
    inflow_after = dict.fromkeys(own_before, 0.0)
    passed_on: dict[str, float] = {}
    by_origin: dict[str, list[tuple[str, float]]] = {}
    for (origin, to), amount in inflow.items():
        by_origin.setdefault(str(origin), []).append((str(to), float(amount)))
    for sid in map(str, order):
        if sid not in own_before:
            continue
        after = own_before[sid] * availability.get(sid, 1.0) + inflow_after[sid]
        before = available_before[sid]
        passed_on[sid] = after / before if before > 0 else availability.get(sid, 1.0)
        for to, amount in by_origin.get(sid, ()):
            inflow_after[to] += amount * passed_on[sid]
    share_own = frame["id"].map(availability).where(frame["kind"] == "source")
    share_out = frame["from"].map(passed_on).where(frame["kind"] == "flow")
    share = share_own.fillna(share_out).fillna(1.0).to_numpy(dtype=float)
    return frame.assign(value_low=frame["value_low"] * share,
                        value_high=frame["value_high"] * share)


def _shift_to_europe(frame: pd.DataFrame, share: float) -> pd.DataFrame:
    us = ((frame["kind"] == "flow") & (frame["industry_bloc"] == "United States")).to_numpy()
    if not us.any():
        return frame
    moved = frame[us].assign(
        id=frame.loc[us, "id"] + SHIFTED_SUFFIX,
        industry="EU",
        industry_bloc="Europe",
        shifted=True,
        value_low=frame.loc[us, "value_low"] * share,
        value_high=frame.loc[us, "value_high"] * share,
    )
    kept = np.where(us, 1.0 - share, 1.0)
    frame = frame.assign(value_low=frame["value_low"] * kept,
                         value_high=frame["value_high"] * kept)
    return pd.concat([frame, moved], ignore_index=True)


def to_query(scenario: Scenario) -> dict[str, str]:
    """The scenario as URL query parameters (defaults left out), for shareable links."""
    params: dict[str, str] = {}
    if scenario.currency != "EUR":
        params["currency"] = scenario.currency
    if scenario.fx_mode == "row-date":
        params["fx"] = "row-date"
    elif scenario.fx_date is not None:
        params["on"] = scenario.fx_date.isoformat()
    if scenario.statuses is not None:
        params["status"] = ",".join(scenario.statuses) or "none"
    if scenario.shift_us_to_europe:
        params["shift"] = f"{round(scenario.shift_us_to_europe * 100):d}"
    changed = [(s, v) for s, v in scenario.availability if v != 1.0]
    if changed:
        params["avail"] = ",".join(f"{s}:{round(v * 100):d}" for s, v in changed)
    if scenario.asof is not None:
        params["asof"] = scenario.asof.isoformat()
    if scenario.part != "all":
        params["part"] = scenario.part
    if scenario.instruments is not None:
        params["instrument"] = ",".join(scenario.instruments) or "none"
    return params


ASOF_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))  # the days a link may name


def from_query(params: dict[str, str]) -> tuple[Scenario, list[str]]:
    """Read query parameters back; anything unreadable is dropped and reported."""
    notes: list[str] = []
    fields: dict[str, object] = {}
    currency = params.get("currency", "EUR").upper()
    if currency in currencies():
        fields["currency"] = currency
    else:
        notes.append(said("unknown currency {value} in the link: using EUR",
                          value=_quoted(currency)))
    if params.get("fx") == "row-date":
        fields["fx_mode"] = "row-date"
    for name, field_name, otherwise in (("on", "fx_date", said("using the latest rates")),
                                        ("asof", "asof", said("every row counts"))):
        if name in params:
            try:
                day = dt.date.fromisoformat(params[name])
            except ValueError:
                notes.append(said("{value} in the link is not a date: {otherwise}",
                                  value=_quoted(params[name]), otherwise=otherwise))
                continue
            if not ASOF_RANGE[0] <= day <= ASOF_RANGE[1]:
                notes.append(said("{value} in the link is outside {first}–{last}: {otherwise}",
                                  value=_quoted(params[name]), first=str(ASOF_RANGE[0].year),
                                  last=str(ASOF_RANGE[1].year), otherwise=otherwise))
                continue
            fields[field_name] = day
    if "status" in params:
        wanted = [] if params["status"] == "none" else params["status"].split(",")
        known = [s for s in wanted if s in STATUSES]
        notes.extend(said("unknown status {value} in the link", value=_quoted(s))
                     for s in wanted if s not in STATUSES)
        fields["statuses"] = tuple(known)
    if "instrument" in params:
        wanted = [] if params["instrument"] == "none" else params["instrument"].split(",")
        notes.extend(said("unknown instrument {value} in the link", value=_quoted(s))
                     for s in wanted if s not in INSTRUMENTS)
        fields["instruments"] = tuple(s for s in wanted if s in INSTRUMENTS)
    if "part" in params:
        if params["part"] in PARTS:
            fields["part"] = params["part"]
        else:
            notes.append(said("unknown part {value} in the link: showing everything",
                              value=_quoted(params["part"])))
    fields["shift_us_to_europe"] = _percent(params.get("shift"), said("shift"), notes) or 0.0
    availability = []
    for item in filter(None, params.get("avail", "").split(",")):
        source, _, value = item.rpartition(":")
        share = _percent(value, said("availability of {source}", source=_quoted(source)),
                         notes)
        if source and share is not None:
            availability.append((source, share))
    fields["availability"] = tuple(availability)
    return Scenario(**fields), notes  # type: ignore[arg-type]


def _percent(text: str | None, what: str, notes: list[str]) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if 0 <= value <= 100:
        return value / 100
    notes.append(said("{what} {value} in the link is not a percentage from 0 to 100",
                      what=what, value=_quoted(text)))
    return None


def _quoted(text: str, limit: int = 40) -> str:
    """A value from a link, quoted and cut short (links are typed by anyone)."""
    return "'" + (text if len(text) <= limit else text[:limit - 1] + "…") + "'"
