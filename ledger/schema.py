"""Reading a funding CSV (format version 1) into a clean frame, or every
problem at once, each naming its row (header = row 1) and column."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.donors import DonorError, normalised, parse_donors
from ledger.links import check_links
from ledger.problems import MAX_PROBLEMS, LedgerError, Problem
from ledger.textfile import MAX_BYTES, read_csv_bytes
from ledger.units import UnitError, parse_amount_column, parse_unit

COLUMNS = (
    "id", "kind", "name", "category", "low", "high", "unit", "date",
    "from", "to", "donor", "industry", "status", "ref", "note",
)
REQUIRED = ("id", "kind", "name", "low", "unit", "date")
KINDS = ("need", "source", "flow")
STATUSES = ("estimate", "pledged", "committed", "disbursed", "assumption")
SPECIAL_INDUSTRY = {"EU": "EU", "UNKNOWN": "unknown"}

_ID = re.compile(r"[A-Za-z0-9_.\-]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Ledger:
    """A validated ledger: one row per entry, amounts in whole units of the row's
    currency (`low`, `high`), the spreadsheet `row`, and the cells as read (`text`)."""

    frame: pd.DataFrame
    text: pd.DataFrame
    data_version: str
    warnings: tuple[Problem, ...] = ()
    extra_columns: tuple[str, ...] = field(default=())

    def of_kind(self, kind: str) -> pd.DataFrame:
        return self.frame[self.frame["kind"] == kind]


def read_bytes(source: bytes | str | Path) -> bytes:
    """The input's bytes, never more than MAX_BYTES: the cap holds while reading, so a
    pipe or a device (`/dev/zero`) that reports no size cannot exhaust memory."""
    if isinstance(source, bytes):
        data = source
    else:
        with open(Path(source), "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LedgerError([Problem(None, None, (
            f"too large: the limit is {MAX_BYTES / 1e6:,.0f} MB"))])
    return data


def read_ledger(source: bytes | str | Path) -> Ledger:
    """Read and validate a funding CSV; raise LedgerError with every problem."""
    data = read_bytes(source)
    records = read_csv_bytes(data, set(COLUMNS) | {"amount"})
    warnings = list(records.warnings)
    raw = records.frame
    rows = pd.Series(records.row_numbers, dtype="int64", name="row")
    checker = _Checker(raw, rows, records.header_row, records.separator)
    frame = checker.run()
    if checker.problems:
        raise LedgerError(checker.problems, checker.more)
    extras = tuple(c for c in records.header if c not in COLUMNS and c != "amount")
    return Ledger(
        frame=frame,
        text=raw,
        data_version=hashlib.sha256(data).hexdigest(),
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


class _Checker:
    """Column-wise validation of the raw text frame."""

    def __init__(self, raw: pd.DataFrame, rows: pd.Series, header_row: int, separator: str):
        self.raw = raw
        self.rows = rows
        self.header_row = header_row
        self.separator = separator
        self.problems: list[Problem] = []
        self.more = 0  # problems counted but not built: a hostile file has millions
        self.warnings: list[Problem] = []

    def cell(self, column: str) -> pd.Series:
        if column in self.raw.columns:
            return self.raw[column].str.strip()
        return pd.Series([""] * len(self.raw), dtype="str")

    def flag(self, mask: np.ndarray | pd.Series, column: str,
             message: str | Callable[[int], str]) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        room = max(0, MAX_PROBLEMS - len(self.problems))
        self.more += max(0, len(positions) - room)
        for pos in positions[:room]:
            text = message(int(pos)) if callable(message) else message
            self.problems.append(Problem(int(self.rows.iat[pos]), column, text))

    def quoted(self, column: str, why: str) -> Callable[[int], str]:
        values = self.raw[column] if column in self.raw.columns else None

        def message(pos: int) -> str:
            value = "" if values is None else str(values.iat[pos]).strip()
            value = value if len(value) <= 40 else value[:39] + "…"
            return f"'{value}' — {why}"
        return message

    def run(self) -> pd.DataFrame:
        if not self._header_ok():
            return pd.DataFrame()
        ids = self.cell("id")
        kind = self.cell("kind").str.lower()
        self._check_ids(ids)
        self.flag(~kind.isin(KINDS), "kind",
                  self.quoted("kind", "unknown kind: need, source or flow"))
        self.flag(self.cell("name") == "", "name", "missing name")
        low, high = self._amounts()
        currency, scale = self._units()
        date = self._dates()
        status = self.cell("status").str.lower()
        self.flag(~status.isin((*STATUSES, "")), "status",
                  self.quoted("status", "unknown status: " + ", ".join(STATUSES)))
        frame = pd.DataFrame({
            "row": self.rows,
            "id": ids,
            "kind": kind,
            "name": self.cell("name"),
            "category": self.cell("category").str.lower(),
            "low": low * scale,
            "high": high * scale,
            "currency": currency,
            "unit": self.cell("unit"),
            "date": date,
            "from": self.cell("from"),
            "to": self.cell("to"),
            "donor": self._donors(kind == "source"),
            "industry": self._codes("industry", kind == "flow", SPECIAL_INDUSTRY, "industry"),
            "status": status,
            "ref": self.cell("ref"),
            "note": self.cell("note"),
        })
        check_links(frame, self.flag, self.quoted)
        return frame

    def _header_ok(self) -> bool:
        columns = set(self.raw.columns)
        needed = [c for c in REQUIRED
                  if c not in columns and not (c == "low" and "amount" in columns)]
        for column in needed:
            self.problems.append(Problem(self.header_row, column, "missing column"))
        if "amount" in columns and ({"low", "high"} & columns):
            self.problems.append(Problem(self.header_row, "amount",
                                         "both amount and low/high: keep one of them"))
        return not self.problems

    def _check_ids(self, ids: pd.Series) -> None:
        self.flag(ids == "", "id", "missing id")
        self.flag((ids != "") & ~ids.str.fullmatch(_ID.pattern), "id",
                  self.quoted("id", "an id may hold only letters, digits, -, _ and ."))
        repeat = ids.duplicated(keep="first")
        if not repeat.any():
            return
        first = dict(zip(ids[~repeat], self.rows[~repeat], strict=True))
        self.flag(repeat & (ids != ""), "id", lambda pos: (
            f"'{ids.iat[pos]}' — duplicate id (first used in row {first[ids.iat[pos]]})"))

    def _decimal_comma(self, columns: list[str]) -> bool:
        if self.separator == ",":
            return False
        cells = pd.concat([self.raw[c] for c in columns])
        uses = bool(cells.str.contains(r"\d,\d", regex=True).any())
        if uses:
            self.warnings.append(Problem(None, None, "decimal commas read as decimal points",
                                         "warning"))
        return uses

    def _amounts(self) -> tuple[np.ndarray, np.ndarray]:
        if "amount" in self.raw.columns:
            decimal_comma = self._decimal_comma(["amount"])
            low, high, errors = parse_amount_column(
                self.raw["amount"], allow_range=True, decimal_comma=decimal_comma)
            self._amount_errors(errors, "amount")
            return low, np.where(np.isnan(high), low, high)
        present = [c for c in ("low", "high") if c in self.raw.columns]
        decimal_comma = self._decimal_comma(present)
        low, _, errors = parse_amount_column(self.raw["low"], allow_range=False,
                                             decimal_comma=decimal_comma)
        self._amount_errors(errors, "low")
        if "high" not in self.raw.columns:
            return low, low.copy()
        high_text = self.raw["high"].str.strip()
        empty = (high_text == "").to_numpy(dtype=bool)
        high, _, errors = parse_amount_column(high_text.where(~empty, "0"), allow_range=False,
                                              decimal_comma=decimal_comma)
        self._amount_errors(errors, "high")
        high = np.where(empty, low, high)
        below = high < low
        self.flag(below, "high", lambda pos: (
            f"'{self.raw['high'].iat[pos].strip()}' — high is below low "
            f"({self.raw['low'].iat[pos].strip()})"))
        return low, high

    def _amount_errors(self, errors: dict[int, str], column: str) -> None:
        for pos, message in errors.items():
            if len(self.problems) >= MAX_PROBLEMS:
                self.more += 1
                continue
            self.problems.append(Problem(int(self.rows.iat[pos]), column, message))

    def _units(self) -> tuple[pd.Series, np.ndarray]:
        units = self.cell("unit")
        codes, uniques = pd.factorize(units)
        currency = np.empty(len(uniques), dtype=object)
        scale = np.full(len(uniques), np.nan)
        for i, text in enumerate(uniques):
            try:
                spec = parse_unit(str(text))
            except UnitError as exc:
                self.flag(codes == i, "unit", self.quoted("unit", str(exc)))
                currency[i] = ""
                continue
            currency[i], scale[i] = spec.currency, spec.scale
        if len(uniques) == 0:
            return pd.Series([], dtype="str"), np.array([])
        return pd.Series(currency[codes], dtype="str"), scale[codes]

    def _dates(self) -> pd.Series:
        text = self.cell("date")
        position, days = pd.factorize(text)  # a ledger holds few distinct dates
        parsed = pd.Series(pd.to_datetime(days, format="%Y-%m-%d", errors="coerce")
                           .to_numpy()[position], index=text.index)
        bad = parsed.isna().to_numpy()
        shaped = np.array([_ISO_DAY.fullmatch(str(d)) is not None for d in days],
                          dtype=bool)[position]
        self.flag(bad & ~shaped, "date", self.quoted("date", "not a date: use YYYY-MM-DD"))
        self.flag(bad & shaped, "date", self.quoted("date", "no such day"))
        return parsed.astype("datetime64[s]")

    def _donors(self, required: pd.Series) -> pd.Series:
        """One code or a joint package (`DK;NO;SE`, `DE:60;FR:40`), normalised."""
        text = self.cell("donor")
        position, distinct = pd.factorize(text)
        values: list[str] = []
        errors: list[str | None] = []
        for cell in map(str, distinct):
            try:
                values.append(normalised(parse_donors(cell), cell) if cell else "")
                errors.append(None)
            except DonorError as exc:
                values.append(cell)
                errors.append(str(exc))
        self.flag(required.to_numpy() & (text == "").to_numpy(), "donor",
                  "missing donor (ISO code, EU, G7, multi, or a list such as DK;NO;SE)")
        bad = np.array([e is not None for e in errors] + [False], dtype=bool)[position]
        self.flag(bad, "donor", lambda pos: str(errors[position[pos]]))
        return _spread(position, values)

    def _codes(self, column: str, required: pd.Series, special: dict[str, str],
               what: str) -> pd.Series:
        text = self.cell(column)
        position, distinct = pd.factorize(text)  # a code column holds few distinct values
        values, readable = [], []
        for code in map(str, distinct):
            upper = code.upper()
            values.append(special.get(upper, upper))
            readable.append(not code or upper in special or re.fullmatch("[A-Z]{2}", upper))
        value = _spread(position, values)
        empty = (text == "").to_numpy()
        if column == "industry":
            value = value.where(~(empty & required.to_numpy()), "unknown")
        else:
            self.flag(required.to_numpy() & empty, column,
                      f"missing {what} (ISO code, EU, G7 or multi)")
        self.flag(~np.array(readable, dtype=bool)[position], column, self.quoted(
            column, f"not a {what} code: ISO alpha-2, " + ", ".join(special.values())))
        return value


def _spread(position: np.ndarray, values: list[str]) -> pd.Series:
    """A text column from the code of each row into a list of distinct values."""
    import pyarrow as pa

    if len(position) == 0:
        return pd.Series([], dtype="str")
    return pa.array(values, pa.string()).take(pa.array(position)).to_pandas()


def template_csv() -> bytes:
    """The documented header and one example row of each kind."""
    rows = [
        ",".join(COLUMNS),
        "example-need,need,Example need,military,90,100,billion USD,2025-08-18,,,,,estimate,"
        "Document and page,Delete these example rows",
        "example-source,source,Example source,,300,,bn EUR,2025-08-19,,,EU,,pledged,"
        "Document and page,",
        "example-flow,flow,Example flow,military,20,30,bn EUR,2025-08-19,example-source,"
        "example-need,,US,assumption,Document and page,",
    ]
    return ("\n".join(rows) + "\n").encode("utf-8")
