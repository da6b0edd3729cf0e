"""Published totals (rows of kind `check`) against the ledger. A check names a row
(a need: its need; a source: its available amount; a flow: its amount) or a tag
(the own amounts of every row with it, dated on or before the check's date). It
is judged in the check's own currency at the check's own date, so exchange
movement never makes one hold or fail; it holds when the two intervals overlap.
A check compares what the rows say, before any lever: setting a source's
availability to 0 % asks a question of the ledger, it does not change what a
published total is compared with. A check that cites the very page its rows were
built from restates them (`restates`) and is never shown as holding: it confirms
nothing another document says."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ledger.core.frames import records as row_dicts
from ledger.money.fx import RateTable, cross_factors
from ledger.rules.findings import Finding
from ledger.rules.scenario import OUTSIDE_PART, SHIFTED_SUFFIX, Valued
from ledger.rules.scope import ARTICLE_TAG, has_tag

CHECK_COLUMNS = (
    "id", "name", "to", "ref", "date", "currency", "published_low", "published_high",
    "ledger_low", "ledger_high", "holds", "off_low", "off_high",
    "native_published_low", "native_published_high", "native_ledger_low",
    "native_ledger_high", "what", "tags", "restates", "note",
)
_TOLERANCE = 1e-9  # relative: sums of floats that agree to nine digits agree


def evaluate(valued: Valued, rates: RateTable) -> pd.DataFrame:
    """One row per check: the published figure and the ledger's, in the reporting
    currency and in the check's own; `holds` (True, False, or None when what it
    checks is not in the view); `off_*` the share by which the ledger is off
    (negative: less than published). The rows each check sums are found with
    array masks, and all their rates are looked up in one call."""
    checks = valued.checks
    if checks.empty:
        return pd.DataFrame(columns=list(CHECK_COLUMNS))
    # a check names a row even where the view leaves it out: a superseded estimate, or
    # the article's figure in the public record's view (the comparison people came for)
    counted = valued.not_in_force["counted"].astype(str)
    superseded = valued.not_in_force[(counted.str.startswith("no (superseded")
                                      | (counted == OUTSIDE_PART)).to_numpy(dtype=bool)]
    # only the columns a check reads: concatenating every column of the view cost more
    # than the checks themselves
    wanted = [c for c in _ROW_COLUMNS if c in valued.frame.columns or c in superseded.columns]
    rows = _Rows(pd.concat([valued.frame[[c for c in wanted if c in valued.frame.columns]],
                            superseded[[c for c in wanted if c in superseded.columns]]],
                           ignore_index=True), len(valued.frame))
    each = [SimpleNamespace(**row) for row in row_dicts(checks, [
        c for c in ("id", "name", "to", "ref", "date", "currency", "low", "high", "fx_factor",
                    "tags", "note") if c in checks.columns])]
    picked: list[np.ndarray] = []
    whats: list[str] = []
    for check in each:
        found, what = rows.contributing(check)
        picked.append(found)
        whats.append(what)
    owner = np.repeat(np.arange(len(checks)), [len(p) for p in picked])
    every = np.concatenate(picked) if picked else np.array([], dtype=np.int64)
    factor = cross_factors(rows.currency[every],
                           checks["currency"].to_numpy(dtype=object)[owner],
                           checks["date"].to_numpy(dtype="datetime64[D]")[owner], rates)
    factor = np.where(np.isnan(factor), 0.0, factor)
    low = np.bincount(owner, rows.native_low[every] * factor, minlength=len(checks))
    high = np.bincount(owner, rows.native_high[every] * factor, minlength=len(checks))
    # in the reporting currency the rows keep their own valuation: a €300 bn row is
    # €300 bn there, not €300 bn taken to dollars at the check's date and back
    shown_low = np.bincount(owner, rows.shown_low[every], minlength=len(checks))
    shown_high = np.bincount(owner, rows.shown_high[every], minlength=len(checks))
    records = []
    for i, check in enumerate(each):
        published = (float(check.low), float(check.high))
        ledger = None if len(picked[i]) == 0 else (float(low[i]), float(high[i]))
        shown = (float(shown_low[i]), float(shown_high[i]))
        restates = rows.cite(picked[i], addresses(str(check.ref)))
        records.append(_record(check, published, ledger, shown, whats[i], restates))
    return pd.DataFrame.from_records(records, columns=list(CHECK_COLUMNS))


_ROW_COLUMNS = ("id", "kind", "to", "published", "date", "currency", "fx_factor", "full_low",
                "full_high", "value_low", "value_high", "tags", "ref", "counted")


class _Rows:
    """The rows in the view (the first `in_view`), then the superseded ones, as
    arrays: what a check sums, in native amounts after the levers."""

    def __init__(self, frame: pd.DataFrame, in_view: int):
        self.in_view = in_view
        # a copy the US → Europe lever made is its flow again: the flow counts once
        copy = frame["id"].str.endswith(SHIFTED_SUFFIX).to_numpy(dtype=bool)
        self.id = frame["id"].str.removesuffix(SHIFTED_SUFFIX).to_numpy(dtype=object)
        self.kind = frame["kind"].to_numpy(dtype=object)
        self.to = frame["to"].to_numpy(dtype=object)
        known = frame["published"] if "published" in frame.columns else frame["date"]
        self.date = known.to_numpy(dtype="datetime64[D]")  # the day a figure became known
        self.currency = frame["currency"].to_numpy(dtype=object)
        fx = frame["fx_factor"].to_numpy(dtype=float)
        before = ("full_low", "full_high") if "full_low" in frame.columns else (
            "value_low", "value_high")  # the rows' own amounts, before the levers
        self.shown_low = frame[before[0]].to_numpy(dtype=float)
        self.shown_high = frame[before[1]].to_numpy(dtype=float)
        self.native_low = self.shown_low / fx
        self.native_high = self.shown_high / fx
        self.tags = frame["tags"]
        self.refs = frame["ref"].to_numpy(dtype=object)
        self.view = (np.arange(len(frame)) < in_view) & ~copy
        self.superseded = (frame["counted"].astype(str).str.startswith("no (superseded")
                           .to_numpy(dtype=bool) if "counted" in frame.columns
                           else np.zeros(len(frame), dtype=bool))
        self._tagged: dict[str, np.ndarray] = {}

    def contributing(self, check: object) -> tuple[np.ndarray, str]:
        target = str(check.to)  # type: ignore[attr-defined]
        if target.startswith("#"):
            tag = target[1:].lower()
            if tag not in self._tagged:
                self._tagged[tag] = has_tag(self.tags, tag) & (self.kind != "check")
            stamp = pd.Timestamp(check.date)  # type: ignore[attr-defined]
            mask = self._tagged[tag] & self.view & (self.date <= stamp.to_datetime64())
            when = stamp.strftime("%-d %b %Y")
            return np.flatnonzero(mask), f"rows tagged {tag} dated on or before {when} sum to"
        own = np.flatnonzero(self.view & (self.id == target))
        if len(own) == 0:
            found = np.flatnonzero(~self.view & (self.id == target))
            why = "superseded" if len(found) and self.superseded[found[0]] else "outside this view"
            return found, f"{target} ({why}) is"
        if self.kind[own[0]] == "source":
            inflows = np.flatnonzero(self.view & (self.kind == "flow") & (self.to == target))
            return np.concatenate([own, inflows]), f"{target} has available"
        return own, f"{target} is"

    def cite(self, found: np.ndarray, pages: set[str]) -> bool:
        """Whether any of these rows cites one of `pages` (each distinct citation
        read once: a tag check may sum a million rows citing a few pages)."""
        if not pages or len(found) == 0:
            return False
        return any(addresses(str(ref)) & pages for ref in set(self.refs[found].tolist()))


_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")


def addresses(ref: str) -> set[str]:
    """The web addresses a reference cites, compared without scheme, `www.` and
    trailing punctuation (one page, however it is written)."""
    return {re.sub(r"^https?://(www\.)?", "", a.rstrip(".,;:)")).rstrip("/")
            for a in _ADDRESS.findall(ref)}


def _record(check: object, published: tuple[float, float],
            ledger: tuple[float, float] | None, shown: tuple[float, float], what: str,
            restates: bool) -> dict[str, object]:
    factor = float(check.fx_factor)  # type: ignore[attr-defined]
    holds = None
    off = (np.nan, np.nan)
    if ledger is not None:
        slack = _TOLERANCE * max(abs(published[1]), abs(ledger[1]), 1.0)
        holds = bool(ledger[0] <= published[1] + slack and published[0] <= ledger[1] + slack)
        if not holds:
            off = _off(published, ledger)
    restates = restates and holds is not False  # a restatement that disagrees still fails
    if restates:
        holds = None
    return {
        "id": check.id, "name": check.name, "to": check.to,  # type: ignore[attr-defined]
        "ref": check.ref, "date": check.date,  # type: ignore[attr-defined]
        "currency": check.currency,  # type: ignore[attr-defined]
        "published_low": published[0] * factor, "published_high": published[1] * factor,
        "ledger_low": np.nan if ledger is None else shown[0],
        "ledger_high": np.nan if ledger is None else shown[1],
        "holds": holds, "off_low": off[0], "off_high": off[1],
        "native_published_low": published[0], "native_published_high": published[1],
        "native_ledger_low": np.nan if ledger is None else ledger[0],
        "native_ledger_high": np.nan if ledger is None else ledger[1],
        "what": what, "tags": check.tags,  # type: ignore[attr-defined]
        "restates": restates, "note": getattr(check, "note", ""),
    }


def _off(published: tuple[float, float], ledger: tuple[float, float]) -> tuple[float, float]:
    """By how much the ledger misses, as a share of the published figure: (ledger −
    published) / published, bound by bound toward each other (−0.11, −0.16 reads
    "11–16 % less")."""
    def share(part: float, whole: float) -> float:
        return part / whole if whole else float("nan")
    if ledger[1] < published[0]:
        return (share(ledger[1] - published[0], published[0]),
                share(ledger[0] - published[1], published[1]))
    return (share(ledger[0] - published[1], published[1]),
            share(ledger[1] - published[0], published[0]))


def check_findings(checks: pd.DataFrame) -> list[Finding]:
    """A warning for each check that does not hold, with both figures in the check's
    own currency and how far off the ledger is."""
    failing = checks["holds"].eq(False).to_numpy(dtype=bool) if len(checks) else None
    if failing is None or not failing.any():
        return []
    failed = checks[failing]
    return [Finding("warning", "check_failed", (str(c["id"]), str(c["to"]).lstrip("#")), 1, {
        "name": c["name"], "currency": c["currency"], "what": c["what"],
        "side": ("the article's" if ARTICLE_TAG in str(c["tags"]).split(";")
                 else "the ledger's"),
        "published": (c["native_published_low"], c["native_published_high"]),
        "ledger": (c["native_ledger_low"], c["native_ledger_high"]),
        "off": (c["off_low"], c["off_high"]),
    }) for c in row_dicts(failed, ["id", "to", "name", "currency", "what", "tags",
                                   "native_published_low", "native_published_high",
                                   "native_ledger_low", "native_ledger_high", "off_low",
                                   "off_high"])]
