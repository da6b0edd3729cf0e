"""Reading the columns of a funding CSV: ids, amounts, units, dates, codes and
donors, each checked over whole columns (a ledger holds few distinct units,
dates and codes, so each distinct value is parsed once)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ledger.core.frames import edge_bytes, every_byte, positions_of, text_bytes
from ledger.core.graph import chain_cycles, cycle_words
from ledger.core.problems import MAX_PROBLEMS, Problem, Said, said
from ledger.money.units import UnitError, parse_amount_column, parse_unit
from ledger.reading.donors import DonorError, normalised, parse_donors

_ID = re.compile(r"[A-Za-z0-9_.\-]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")


class Cells:
    """The raw text frame being checked, and the problems found in it: each names
    its spreadsheet row and column; past MAX_PROBLEMS they are only counted."""

    def __init__(self, raw: pd.DataFrame, rows: pd.Series, header_row: int, separator: str):
        self.raw = raw
        self.rows = rows
        self.header_row = header_row
        self.separator = separator
        self.problems: list[Problem] = []
        self.more = 0  # problems counted but not built: a hostile file has millions
        self.warnings: list[Problem] = []
        self._blank: pd.Series | None = None
        self._trimmed: dict[str, pd.Series] = {}

    def cell(self, column: str) -> pd.Series:
        """A column's cells, trimmed (once: several checks read a column); a column
        the file lacks reads as empty cells."""
        if column in self.raw.columns:
            if column not in self._trimmed:
                cells = self.raw[column]
                self._trimmed[column] = trimmed(cells)
            return self._trimmed[column]
        if self._blank is None:  # one empty column, built by Arrow and shared
            import pyarrow as pa

            codes = pa.array(np.zeros(len(self.raw), dtype=np.int32))
            blank = pa.DictionaryArray.from_arrays(codes, pa.array([""])).cast(pa.string())
            dtype = pd.Series([], dtype="str").dtype
            self._blank = pd.Series(blank.to_pandas(types_mapper={pa.string(): dtype}.get),
                                    index=self.raw.index)
        return self._blank

    def lower(self, column: str) -> pd.Series:
        """A column's cells, trimmed and lower-cased: lowering a column already in
        lower case (read from Arrow's bytes: no A–Z, nothing beyond ASCII) is skipped."""
        cells = self.cell(column)
        return cells if every_byte(text_bytes(cells), _caseless) else cells.str.lower()

    def fork(self) -> Cells:
        """A checker of the same cells with its own problems, for columns checked on
        another thread; `join` puts what it found back in order."""
        other = Cells(self.raw, self.rows, self.header_row, self.separator)
        other._trimmed = self._trimmed  # each thread trims its own columns
        return other

    def join(self, other: Cells, at: tuple[int, int]) -> None:
        """The problems and warnings `other` (a fork) found, placed where this checker
        stood when it forked (`at`: its count of problems and of warnings then), as if
        its columns had been checked there; past MAX_PROBLEMS only counted."""
        problems, warnings = at
        merged = self.problems[:problems] + other.problems + self.problems[problems:]
        self.more += other.more + max(0, len(merged) - MAX_PROBLEMS)
        self.problems = merged[:MAX_PROBLEMS]
        self.warnings[warnings:warnings] = other.warnings

    def mark(self) -> tuple[int, int]:
        """Where a fork's findings go when it joins (see `join`)."""
        return len(self.problems), len(self.warnings)

    def flag(self, mask: np.ndarray | pd.Series, column: str,
             message: str | Callable[[int], str]) -> None:
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        room = max(0, MAX_PROBLEMS - len(self.problems))
        self.more += max(0, len(positions) - room)
        for pos in positions[:room]:
            text = message(int(pos)) if callable(message) else message
            self.problems.append(Problem(int(self.rows.iat[pos]), column, text))

    def quoted(self, column: str, why: str) -> Callable[[int], str]:
        """The cell's value (cut at 40 characters), then `why` (a `said` sentence)."""
        values = self.raw[column] if column in self.raw.columns else None

        def message(pos: int) -> str:
            value = "" if values is None else str(values.iat[pos]).strip()
            value = value if len(value) <= 40 else value[:39] + "…"
            return Said("'{value}' — {why}", {"value": value, "why": why})
        return message


def trimmed(cells: pd.Series) -> pd.Series:
    """Each cell without the spaces at its ends; the column itself when no cell has
    any (`_may_need_trim`)."""
    return cells.str.strip() if _may_need_trim(cells) else cells


def _may_need_trim(cells: pd.Series) -> bool:
    """False when no cell starts or ends with a space, a control character or a byte
    outside ASCII (where Unicode spaces live): trimming would change nothing. Read
    from Arrow's bytes directly: first whether any byte is one of those, then, if
    so, the first and last byte of each cell (names and notes hold spaces between
    words; stripping every cell would cost far more)."""
    return not (every_byte(text_bytes(cells), _unspaced)
                or every_byte(edge_bytes(cells), _unspaced))


def _unspaced(part: np.ndarray) -> np.ndarray:
    """Printable ASCII: no space, control, or byte of a Unicode space."""
    return (part > 0x20) & (part < 0x80)


def _caseless(part: np.ndarray) -> np.ndarray:
    """Bytes lower-casing leaves as they are: ASCII but A–Z."""
    return (part < 0x80) & ((part < 0x41) | (part > 0x5A))


def check_ids(c: Cells, ids: pd.Series, distinct: bool) -> None:
    """Ids present, well-formed and never twice (`distinct`: whether no id repeats,
    counted by `all_distinct`)."""
    c.flag(ids == "", "id", said("missing id"))
    if not _only_id_characters(ids):  # else every id that is not empty is well-formed
        c.flag((ids != "") & ~ids.str.fullmatch(_ID.pattern), "id",
               c.quoted("id", said("an id may hold only letters, digits, -, _ and .")))
    if distinct:
        return
    codes, _ = pd.factorize(ids)  # where each repeat is: only when there is one
    _, first_position = np.unique(codes, return_index=True)
    repeat = np.ones(len(ids), dtype=bool)
    repeat[first_position] = False
    first_row = c.rows.to_numpy()[first_position]
    c.flag(repeat & (ids != "").to_numpy(), "id", lambda pos: said(
           "'{id}' — duplicate id (first used in row {row})", id=ids.iat[pos],
           row=str(first_row[codes[pos]])))  # as a spreadsheet numbers it


_ID_BYTES = np.zeros(256, dtype=bool)
_ID_BYTES[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")] = True


def _only_id_characters(ids: pd.Series) -> bool:
    """Whether every byte of every id is one an id may hold (read from Arrow's bytes)."""
    return every_byte(text_bytes(ids), _ID_BYTES.__getitem__)


def all_distinct(ids: pd.Series) -> bool:
    """No id twice, counted by Arrow without coding every row (the usual case)."""
    import pyarrow.compute as pc

    to_arrow = getattr(ids.array, "__arrow_array__", None)
    if to_arrow is None:
        return bool(ids.is_unique)
    return len(pc.unique(to_arrow())) == len(ids) if len(ids) else True


def uses_decimal_comma(c: Cells, columns: list[str]) -> bool:
    if c.separator == ",":
        return False
    cells = pd.concat([c.raw[name] for name in columns])
    uses = bool(cells.str.contains(r"\d,\d", regex=True).any())
    if uses:
        c.warnings.append(Problem(None, None, said("decimal commas read as decimal points"),
                                  "warning"))
    return uses


def amounts(c: Cells, may_be_empty: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of every row. Where `may_be_empty` holds (needs: a size no one
    states) an empty amount reads as NaN in both, not as an error."""
    empty = np.zeros(len(c.raw), dtype=bool)
    if may_be_empty is not None and may_be_empty.any():
        first = "amount" if "amount" in c.raw.columns else "low"
        empty = may_be_empty & (c.cell(first) == "").to_numpy(dtype=bool)
        if first == "low" and "high" in c.raw.columns:
            empty &= (c.cell("high") == "").to_numpy(dtype=bool)
    if "amount" in c.raw.columns:
        decimal_comma = uses_decimal_comma(c, ["amount"])
        low, high, errors = parse_amount_column(
            c.raw["amount"], allow_range=True, decimal_comma=decimal_comma)
        amount_errors(c, _not_at(errors, empty), "amount")
        high = np.where(np.isnan(high), low, high)
        return np.where(empty, np.nan, low), np.where(empty, np.nan, high)
    present = [name for name in ("low", "high") if name in c.raw.columns]
    decimal_comma = uses_decimal_comma(c, present)
    low, _, errors = parse_amount_column(c.raw["low"], allow_range=False,
                                         decimal_comma=decimal_comma)
    amount_errors(c, _not_at(errors, empty), "low")
    low = np.where(empty, np.nan, low)
    if "high" not in c.raw.columns:
        return low, low.copy()
    high_text = c.cell("high")
    empty = (high_text == "").to_numpy(dtype=bool)
    high, _, errors = parse_amount_column(high_text.where(~empty, "0") if empty.any()
                                          else high_text, allow_range=False,
                                          decimal_comma=decimal_comma)
    amount_errors(c, errors, "high")
    high = np.where(empty, low, high)
    below = high < low
    c.flag(below, "high", lambda pos: said(
        "'{high}' — high is below low ({low})", high=c.raw["high"].iat[pos].strip(),
        low=c.raw["low"].iat[pos].strip()))
    return low, high


def _not_at(errors: dict[int, str], empty: np.ndarray) -> dict[int, str]:
    """The errors, less those of cells allowed to be empty."""
    if not empty.any():
        return errors
    return {pos: why for pos, why in errors.items() if not empty[pos]}


def amount_errors(c: Cells, errors: dict[int, str], column: str) -> None:
    for pos, message in errors.items():
        if len(c.problems) >= MAX_PROBLEMS:
            c.more += 1
            continue
        c.problems.append(Problem(int(c.rows.iat[pos]), column, message))


def units(c: Cells) -> tuple[pd.Series, np.ndarray]:
    units = c.cell("unit")
    codes, uniques = pd.factorize(units)
    currency = np.empty(len(uniques), dtype=object)
    scale = np.full(len(uniques), np.nan)
    for i, text in enumerate(uniques):
        try:
            spec = parse_unit(str(text))
        except UnitError as exc:
            c.flag(codes == i, "unit", c.quoted("unit", exc.args[0]))
            currency[i] = ""
            continue
        currency[i], scale[i] = spec.currency, spec.scale
    if len(uniques) == 0:
        return pd.Series([], dtype="str"), np.array([])
    return _spread(codes, [str(v) for v in currency]), scale[codes]


def dates(c: Cells, column: str = "date", optional: bool = False) -> pd.Series:
    """ISO days (also the dotted day.month.year of European spreadsheets, 18.08.2025);
    with `optional`, an empty cell is NaT (no error). Slashed dates are ambiguous
    (01/02/2025: January or February?): one message for the column, not one per row."""
    text = c.cell(column)
    position, distinct = pd.factorize(text)  # a ledger holds few distinct dates
    days = distinct.tolist()  # plain strings: Arrow-backed values are boxed one by one
    iso = [_DOTTED.sub(lambda m: f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}", str(d))
           for d in days]
    parsed = pd.Series(pd.to_datetime(pd.Index(iso, dtype=object), format="%Y-%m-%d",
                                      errors="coerce").to_numpy()[position], index=text.index)
    bad = parsed.isna().to_numpy()
    if optional:
        bad = bad & (text != "").to_numpy()
    shaped = np.array([_ISO_DAY.fullmatch(d) is not None for d in iso] + [False],
                      dtype=bool)[position]
    slashed = np.array([_SLASHED.fullmatch(str(d)) is not None for d in days] + [False],
                       dtype=bool)[position] & bad
    if slashed.any():
        first = int(np.flatnonzero(slashed)[0])
        c.problems.append(Problem(int(c.rows.iat[first]), column, said(
            "{count} date(s) written with slashes, such as '{example}', which could be "
            "day/month or month/day: write YYYY-MM-DD (2025-02-01) or day.month.year "
            "(01.02.2025)", count=int(slashed.sum()), example=text.iat[first])))
    c.flag(bad & ~shaped & ~slashed, column,
           c.quoted(column, said("not a date: use YYYY-MM-DD")))
    c.flag(bad & shaped, column, c.quoted(column, said("no such day")))
    return parsed.astype("datetime64[s]")


def published(c: Cells, start: pd.Series) -> pd.Series:
    """`published`: the day a figure became known, when it differs from its `date`
    (the start of what it refers to); empty: the row's date."""
    day = dates(c, "published", optional=True)
    return day.where(day.notna(), start)


def periods(c: Cells, start: pd.Series) -> pd.Series:
    """`end`: the last day of the period a figure spreads over (NaT: it falls on its
    date); it may not come before the date."""
    end = dates(c, "end", optional=True)
    c.flag((end < start).to_numpy(), "end", c.quoted("end", said("ends before the row's date")))
    return end


def revisions(c: Cells, ids: pd.Series, kind: pd.Series, day: pd.Series) -> pd.Series:
    """`revises`: the id of an earlier row of the same kind that this row replaces.
    Chains are fine; a cycle, another kind, a later row or an unknown id is an error."""
    revises = c.cell("revises")
    named = (revises != "").to_numpy()
    if not named.any():
        return revises
    where = positions_of(ids, revises)  # duplicate ids are reported on their own
    known = where >= 0
    c.flag(named & ~known, "revises", c.quoted("revises", said("no row has this id")))
    target = np.where(known, where, 0)
    c.flag(named & known & (kind.to_numpy() != kind.to_numpy()[target]), "revises",
           c.quoted("revises", said("is a row of another kind: a need revises a need")))
    c.flag(named & known & (day.to_numpy() < day.to_numpy()[target]), "revises",
           c.quoted("revises", said("is dated after this row: a revision comes later")))
    c.flag(named & (revises == ids).to_numpy(), "revises",
           said("a row cannot revise itself"))
    chained = named & known & (revises != ids).to_numpy()
    follows = dict(zip(ids[chained], revises[chained], strict=True))
    in_cycle = chain_cycles(follows)
    through = cycle_words(in_cycle)
    c.flag(ids.isin(in_cycle).to_numpy() & named, "revises",
           lambda pos: said("'{id}' — revisions form a cycle through {ids}",
                            id=revises.iat[pos], ids=through))
    return revises


def donors(c: Cells, required: pd.Series) -> pd.Series:
    """One code or a joint package (`DK;NO;SE`, `DE:60;FR:40`), normalised."""
    text = c.cell("donor")
    position, distinct = pd.factorize(text)
    values: list[str] = []
    errors: list[str | None] = []
    for cell in map(str, distinct):
        try:
            values.append(normalised(parse_donors(cell), cell) if cell else "")
            errors.append(None)
        except DonorError as exc:
            values.append(cell)
            errors.append(exc.args[0])
    c.flag(required.to_numpy() & (text == "").to_numpy(), "donor",
           said("missing donor (ISO code, EU, G7, multi, or a list such as DK;NO;SE)"))
    bad = np.array([e is not None for e in errors] + [False], dtype=bool)[position]
    c.flag(bad, "donor", lambda pos: errors[position[pos]] or "")
    return _spread(position, values)


def codes(c: Cells, column: str, required: pd.Series, special: dict[str, str],
           what: str) -> pd.Series:
    text = c.cell(column)
    position, distinct = pd.factorize(text)  # a code column holds few distinct values
    values, readable = [], []
    for code in map(str, distinct):
        upper = code.upper()
        values.append(special.get(upper, upper))
        readable.append(not code or upper in special or re.fullmatch("[A-Z]{2}", upper))
    empty = (text == "").to_numpy()
    value = _spread(position, values)
    if column == "industry":  # a flow without one: unknown (by Arrow, not a pandas where)
        import pyarrow as pa
        import pyarrow.compute as pc

        unknown = empty & required.to_numpy()
        if unknown.any():
            value = pd.Series(pd.array(pc.if_else(
                pa.array(unknown), "unknown", value.array.__arrow_array__()), dtype="str"))
    else:
        c.flag(required.to_numpy() & empty, column,
               said("missing {what} (ISO code, EU, G7 or multi)", what=what))
    c.flag(~np.array(readable, dtype=bool)[position], column, c.quoted(
           column, said("not a {what} code: ISO alpha-2, {codes}", what=what,
                        codes=", ".join(special.values()))))
    return value


def _spread(position: np.ndarray, values: list[str]) -> pd.Series:
    """A text column from the code of each row into a list of distinct values."""
    import pyarrow as pa

    if len(position) == 0:
        return pd.Series([], dtype="str")
    return pa.array(values, pa.string()).take(pa.array(position)).to_pandas()


def instruments(c: Cells, known: tuple[str, ...]) -> pd.Series:
    """`instrument`: what kind of money a row is (empty: decided later, `unknown`)."""
    value = c.lower("instrument")
    c.flag(~value.isin((*known, "")).to_numpy(), "instrument",
           c.quoted("instrument", said("unknown instrument: {known}", known=", ".join(known))))
    return value


_TAG = re.compile(r"[a-z0-9][a-z0-9_\-]*")


def tags(c: Cells) -> pd.Series:
    """`tags`: `;`-separated words, lower-cased, normalised to `a;b`."""
    text = c.cell("tags")
    position, distinct = pd.factorize(text)
    values: list[str] = []
    errors: list[str | None] = []
    for cell in map(str, distinct):
        words = [w.strip().lower() for w in cell.split(";")] if cell else []
        bad = [w for w in words if not _TAG.fullmatch(w)]
        values.append(";".join(dict.fromkeys(words)))
        errors.append(None if not bad else said(
            "'{tag}' — a tag is one word: letters, digits, - and _, tags separated by ;",
            tag=bad[0][:40]) if bad[0] else said("an empty tag: remove the extra ;"))
    flagged = np.array([e is not None for e in errors] + [False], dtype=bool)[position]
    c.flag(flagged, "tags", lambda pos: errors[position[pos]] or "")
    return _spread(position, values)


# characters that make text display in another order than it is stored (the "Trojan
# Source" trick): embeddings, overrides and isolates. Marks (U+200E, U+200F) are fine.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# the same characters in UTF-8 (E2 80 AA–AE, E2 81 A6–A9): one scan of the file's bytes
_BIDI_BYTES = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")


def bidi_controls(c: Cells, data: bytes) -> None:
    """An error for every cell holding a bidirectional control anywhere in it: a name
    that reads one way on screen and another in the file. The file's bytes are
    searched first, so a clean file costs one byte scan."""
    if _BIDI_BYTES.search(data) is None:
        return
    pattern = "[" + BIDI_CONTROLS + "]"
    for column in c.raw.columns:
        cells = c.raw[column].astype("string").fillna("")
        found = cells.str.contains(pattern, regex=True).to_numpy(dtype=bool)
        if found.any():
            c.flag(found, str(column), _bidi_message(cells))


def _bidi_message(cells: pd.Series) -> Callable[[int], str]:
    return lambda pos: _bidi_said(cells.iat[pos])


def _bidi_said(cell: object) -> str:
    code = ord(next(ch for ch in str(cell) if ch in BIDI_CONTROLS))
    return said("holds a bidirectional control character ({code}) that makes the text read "
                "in another order than it is stored; remove it", code=f"U+{code:04X}")
