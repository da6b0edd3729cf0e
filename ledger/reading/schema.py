"""Reading a funding CSV (format versions 1 to 3) into a clean frame, or every
problem at once, each naming its row (header = row 1) and column."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.core.frames import arrow_text_from_codes
from ledger.core.problems import LedgerError, Problem, said
from ledger.reading.cells import (
    Cells,
    all_distinct,
    amounts,
    bidi_controls,
    check_ids,
    codes,
    dates,
    donors,
    instruments,
    periods,
    published,
    revisions,
    tags,
    units,
)
from ledger.reading.references import check_fulfils, check_links, check_targets, check_within
from ledger.reading.textfile import MAX_BYTES, read_csv_bytes
from ledger.runtime.background import Background, worth_a_thread

COLUMNS = (
    "id", "kind", "name", "category", "low", "high", "unit", "date",
    "from", "to", "donor", "industry", "status", "ref", "note", "end", "revises",
    "instrument", "tags", "fulfils", "within", "published",
)
REQUIRED = ("id", "kind", "name", "low", "unit", "date")
KINDS = ("need", "source", "flow", "check")
INSTRUMENTS = ("grant", "loan", "guarantee", "in-kind", "unknown")
STATUSES = ("estimate", "pledged", "committed", "allocated", "disbursed", "assumption")
SPECIAL_INDUSTRY = {"EU": "EU", "UNKNOWN": "unknown"}

_ID = re.compile(r"[A-Za-z0-9_.\-]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


T = TypeVar("T")


@dataclass(frozen=True)
class Ledger:
    """A validated ledger: one row per entry, amounts in whole units of the row's
    currency (`low`, `high`), the spreadsheet `row`, and the cells as read (`text`)."""

    frame: pd.DataFrame
    text: pd.DataFrame
    data_version: str
    warnings: tuple[Problem, ...] = ()
    extra_columns: tuple[str, ...] = field(default=())
    # what is derived from this ledger alone, whatever the view, kept with it (`once`);
    # a copy made by dataclasses.replace starts empty
    derived: dict[object, object] = field(default_factory=dict, init=False, compare=False,
                                          repr=False)

    def once(self, key: object, build: Callable[[], T]) -> T:
        """`build()` once per ledger and `key`, then kept with it (`derived`): for
        what depends on the ledger alone, whatever the view."""
        if key not in self.derived:
            self.derived[key] = build()
        return cast(T, self.derived[key])

    def of_kind(self, kind: str) -> pd.DataFrame:
        """The rows of one kind, taken once per ledger: the sidebar reads the sources
        on every run."""
        return self.once(("of_kind", kind),
                         lambda: self.frame[(self.frame["kind"] == kind).to_numpy()])


def read_bytes(source: bytes | str | Path) -> bytes:
    """The input's bytes, never more than MAX_BYTES: the cap holds while reading, so a
    pipe or a device (`/dev/zero`) that reports no size cannot exhaust memory."""
    if isinstance(source, bytes):
        data = source
    else:
        with open(Path(source), "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LedgerError([Problem(None, None, said(
            "too large: the limit is {limit} MB", limit=MAX_BYTES // 1_000_000))])
    return data


def read_ledger(source: bytes | str | Path) -> Ledger:
    """Read and validate a funding CSV; raise LedgerError with every problem."""
    data = read_bytes(source)
    records = read_csv_bytes(data, set(COLUMNS) | {"amount"})  # Arrow: on both cores
    digest = Background(hashlib.sha256, data,  # hashed while the cells are checked
                        threaded=worth_a_thread(len(records.row_numbers)))
    warnings = list(records.warnings)
    raw = records.frame
    rows = pd.Series(records.row_numbers, dtype="int64", name="row")
    checker = Cells(raw, rows, records.header_row, records.separator)
    bidi_controls(checker, data)
    frame = _check(checker)
    if checker.problems:
        raise LedgerError(checker.problems, checker.more)
    extras = tuple(c for c in records.header if c not in COLUMNS and c != "amount")
    return Ledger(
        frame=frame,
        text=raw,
        data_version=digest.result().hexdigest(),
        warnings=tuple(warnings + checker.warnings),
        extra_columns=extras,
    )


def validate(source: bytes | str | Path) -> tuple[Ledger | None, list[Problem]]:
    """(ledger, warnings) for a valid file, (None, problems) for an invalid one."""
    try:
        ledger = read_ledger(source)
    except LedgerError as exc:
        return None, exc.problems
    return ledger, list(ledger.warnings)


def header_ok(c: Cells) -> bool:
    """Every required column is there (`amount` may stand for low/high), not both."""
    columns = set(c.raw.columns)
    needed = [name for name in REQUIRED
              if name not in columns and not (name == "low" and "amount" in columns)]
    for column in needed:
        c.problems.append(Problem(c.header_row, column, said("missing column")))
    if "amount" in columns and ({"low", "high"} & columns):
        c.problems.append(Problem(c.header_row, "amount",
                                  said("both amount and low/high: keep one of them")))
    return not c.problems


def _check(c: Cells) -> pd.DataFrame:
    """Every column checked; the clean frame (empty if the header is unusable)."""
    if not header_ok(c):
        return pd.DataFrame()
    ids = c.cell("id")
    threaded = worth_a_thread(len(ids))
    distinct = Background(all_distinct, ids, threaded=threaded)  # hashing a million ids
    kind = c.lower("kind")
    c.flag(~kind.isin(KINDS), "kind",
           c.quoted("kind", said("unknown kind: need, source, flow or check")))
    c.flag(c.cell("name") == "", "name", said("missing name"))
    # in a large ledger, amounts, units and dates are checked on the second core
    # (Arrow's casts and hashing release the interpreter) while this thread checks
    # the other columns
    at, numbers = c.mark(), c.fork()
    is_need = (kind == "need").to_numpy(dtype=bool)
    valued = Background(_numbers, numbers, is_need, threaded=threaded)
    status = c.lower("status")
    c.flag(~status.isin((*STATUSES, "")), "status",
           c.quoted("status", said("unknown status: {known}", known=", ".join(STATUSES))))
    donor = donors(c, kind == "source")
    industry = codes(c, "industry", kind == "flow", SPECIAL_INDUSTRY, "industry")
    tagged = tags(c)
    # references between rows read no amount or date: checked while the numbers are
    refs = _references(c, ids, kind, status, tagged)
    instrument = _inherited_instrument(refs, instruments(c, INSTRUMENTS))
    low, high, currency, scale, date, end, known_on = valued.result()
    c.join(numbers, at)
    revises = revisions(c, ids, kind, known_on)
    check_ids(c, ids, distinct.result())
    return pd.DataFrame({
        "row": c.rows,
        "id": ids,
        "kind": kind,
        "name": c.cell("name"),
        "category": refs["category"],
        "low": low * scale,
        "high": high * scale,
        "currency": currency,
        "unit": c.cell("unit"),
        "date": date,
        "from": refs["from"],
        "to": refs["to"],
        "donor": donor,
        "industry": industry,
        "status": status,
        "ref": c.cell("ref"),
        "note": c.cell("note"),
        "end": end,
        "revises": revises,
        "instrument": instrument,
        "tags": tagged,
        "fulfils": refs["fulfils"],
        "within": refs["within"],
        "published": known_on,
    }, copy=False)  # each column kept as it is: stacking the numbers into blocks
    # copied 40 MB per million rows (copy-on-write keeps the frame safe from its inputs)


def _references(c: Cells, ids: pd.Series, kind: pd.Series, status: pd.Series,
                tagged: pd.Series) -> pd.DataFrame:
    """The columns that name other rows, each reference checked."""
    refs = pd.DataFrame({"id": ids, "kind": kind, "category": c.lower("category"),
                         "from": c.cell("from"), "to": c.cell("to"), "tags": tagged,
                         "status": status, "fulfils": c.cell("fulfils"),
                         "within": c.cell("within")})
    for check in (check_links, check_targets, check_fulfils, check_within):
        check(refs, c.flag, c.quoted)
    return refs


def _numbers(c: Cells, is_need: np.ndarray) -> tuple[
        np.ndarray, np.ndarray, pd.Series, np.ndarray, pd.Series, pd.Series, pd.Series]:
    """(low, high, currency, scale, date, end, published): the columns read as numbers
    and days; a need's amount may be empty (no one states its size: NaN)."""
    low, high = amounts(c, is_need)
    currency, scale = units(c)
    date = dates(c)
    return low, high, currency, scale, date, periods(c, date), published(c, date)


def _inherited_instrument(refs: pd.DataFrame, own: pd.Series) -> pd.Series:
    """Each row's instrument: a flow with none of its own carries its source's (`refs`:
    the rows' id, kind and from); rows with none are `unknown`."""
    empty = (own == "").to_numpy()
    if not empty.any():
        return own
    is_source = (refs["kind"] == "source").to_numpy()
    of_source = dict(zip(refs["id"][is_source], own[is_source], strict=True))
    flows = empty & (refs["kind"] == "flow").to_numpy()
    # flows name few distinct sources: look each up once, then spread in Arrow
    position, distinct = pd.factorize(refs["from"])
    looked_up = [of_source.get(str(d), "") for d in distinct.tolist()]
    inherited = arrow_text_from_codes(looked_up, position)
    chosen = pc.if_else(pa.array(flows), inherited, own.array.__arrow_array__())
    chosen = pc.if_else(pc.equal(chosen, ""), "unknown", chosen)
    return pd.Series(pd.array(chosen, dtype=own.dtype), index=own.index)


def template_csv() -> bytes:
    """The documented header and one example row of each kind."""
    rows = [
        ",".join(COLUMNS),
        "example-need,need,Example need,military,90,100,billion USD,2025-08-18,,,,,estimate,"
        "Document and page,Delete these example rows,,,,,,,",
        "example-source,source,Example source,,300,,bn EUR,2025-08-19,,,EU,,pledged,"
        "Document and page,,,,grant,example,,,",
        "example-flow,flow,Example flow,military,20,30,bn EUR,2025-08-19,example-source,"
        "example-need,,US,assumption,Document and page,,,,,,,,",
        "example-check,check,Published total of the example rows,,300,,bn EUR,2025-08-31,,"
        "#example,,,,Document and page,A check never counts in a total,,,,,,,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")
