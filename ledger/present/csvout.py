"""Text we hand to spreadsheets: every CSV we write goes through here.

A cell a spreadsheet could run as a formula gets a leading `'` — judged line by
line, since a cell holding a line break becomes several lines in a naive reader:
`=`, `+`, `-`, `@`, tab, carriage return, NUL, their full-width forms
(`＝ ＋ － ＠`), and bidirectional controls (U+202A–U+202E, U+2066–U+2069) that
could hide what follows. A field holding a separator, a quote, CR or LF is
quoted (Python's csv module leaves a lone CR unquoted when lines end in LF)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\x00", "＝", "＋", "－", "＠",
                 "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                 "\u2066", "\u2067", "\u2068", "\u2069")
_STARTS = "".join(re.escape(c) for c in FORMULA_START if c not in "\r")
_LINE_START = re.compile(rf"(^|\r\n|\r|\n)([{_STARTS}])")
_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running any line of a text cell as a formula."""
    if text.startswith("\r"):
        text = "'" + text
    return _LINE_START.sub(r"\1'\2", text)


def neutralise_column(column: pd.Series) -> pd.Series:
    """neutralise() over a text column, vectorised."""
    text = column.astype("str")
    text = text.where(~text.str.startswith("\r"), "'" + text)
    return text.str.replace(_LINE_START, r"\1'\2", regex=True)


class Number(str):
    """A number already formatted by the caller (`f"{x:.2f}"`): written as it is."""


def cell(value: object) -> str:
    """One CSV field: text neutralised and quoted when needed, numbers as written."""
    if isinstance(value, Number):
        text = str(value)
    elif isinstance(value, str):
        text = neutralise(value)
    elif value is None or (isinstance(value, float) and not math.isfinite(value)):
        text = ""
    elif isinstance(value, float):
        text = repr(value)
    else:
        text = str(value)
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    lines = [",".join(cell(h) for h in header)]
    lines.extend(",".join(cell(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


def neutralised_csv(data: bytes, numbers: Iterable[str] = ("low", "high", "amount")
                    ) -> bytes:
    """A CSV we made (a converted table) as it leaves for a spreadsheet: every text
    cell neutralised like any other CSV we write; the cells of the `numbers` columns
    as they are, so a number stays a number."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(reader, [])
    plain = {i for i, name in enumerate(header) if name.strip().lower() in set(numbers)}
    rows = [[Number(value) if i in plain else value for i, value in enumerate(row)]
            for row in reader]
    return csv_bytes(header, rows)


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A small table (a chart's data) as CSV."""
    return csv_bytes([str(c) for c in frame.columns], frame.itertuples(index=False))


def text_table_csv(frame: pd.DataFrame) -> bytes:
    """A large all-text table (a ledger's cells as read) as CSV, vectorised: every
    field quoted, every line of every cell neutralised."""
    safe = pd.DataFrame({c: neutralise_column(frame[c]) for c in frame.columns})
    safe.columns = [neutralise(str(c)) for c in frame.columns]
    out = io.StringIO()
    safe.to_csv(out, index=False, quoting=csv.QUOTE_ALL, lineterminator="\n")
    return out.getvalue().encode("utf-8")
