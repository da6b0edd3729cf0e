"""Turning uploaded bytes into CSV records: encoding, separator, header row,
caps. Decided by content, never by file name."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from ledger.problems import LedgerError, Problem

MAX_BYTES = 200_000_000  # a 1M-flow ledger is about 100 MB
MAX_ROWS = 2_000_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
HEADER_SEARCH_ROWS = 20
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class Records:
    """Data rows of a CSV with the spreadsheet row number of each."""

    header: list[str]
    header_row: int
    separator: str
    rows: list[list[str]]
    row_numbers: list[int]
    warnings: list[Problem]


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """UTF-8 (BOM or not), UTF-16 with BOM; otherwise cp1252 with a warning."""
    if not data.strip():
        raise LedgerError([Problem(None, None, "the file is empty")])
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), []
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise LedgerError([Problem(row, None, "binary data (NUL bytes): not a CSV text file")])
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise LedgerError([Problem(
            row, None, f"not UTF-8 text (undecodable byte 0x{data[exc.start]:02X} at offset "
            f"{exc.start}): save the file as UTF-8")]) from None
    return text, [
        Problem(None, None, "not UTF-8: read as Windows-1252 (cp1252); check € and accents",
                "warning")
    ]


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LedgerError(
            [Problem(None, None, f"invalid {encoding.upper()} (bad byte at offset {exc.start})")]
        ) from None
    if encoding == "utf-16":
        text = text.removeprefix("\ufeff")
    return text


def _reader(text: str, separator: str) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)


def _normal(name: str) -> str:
    return name.strip().strip("\ufeff").strip().lower()


def find_header(text: str, wanted: set[str]) -> tuple[str, int]:
    """The separator and 0-based record index of the header: the first of the
    first rows that names `id` and `kind` (the header proves the separator)."""
    best: tuple[int, str, int] = (0, ",", 0)
    for separator in SEPARATORS:
        try:
            for index, record in enumerate(_reader(text, separator)):
                if index >= HEADER_SEARCH_ROWS:
                    break
                names = {_normal(cell) for cell in record}
                score = len(names & wanted)
                if {"id", "kind"} <= names and score > best[0]:
                    best = (score, separator, index)
                    break
        except csv.Error:
            continue
    return best[1], best[2]


def read_records(text: str, wanted: set[str]) -> Records:
    """Split text into records; every structural problem is collected."""
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise LedgerError([Problem(row, None, "binary data (NUL characters): not a CSV file")])
    separator, header_index = find_header(text, wanted)
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    header: list[str] = []
    reader = _reader(text, separator)
    row = 0
    try:
        for row, record in enumerate(reader, start=1):
            if row <= header_index:
                continue
            if row == header_index + 1:
                header = [_normal(cell) for cell in record]
                while header and not header[-1]:
                    header.pop()  # spreadsheets often export empty trailing columns
                continue
            if not record or all(not cell.strip() for cell in record):
                continue  # blank rows are common in spreadsheets; keep the numbering
            if len(record) != len(header):
                if len(record) > len(header) and not any(c.strip() for c in record[len(header):]):
                    record = record[: len(header)]
                else:
                    problems.append(Problem(
                        row, None,
                        f"has {len(record)} cells but the header has {len(header)} columns",
                    ))
                    continue
            rows.append(record)
            numbers.append(row)
            if len(rows) > MAX_ROWS:
                raise LedgerError([Problem(row, None, f"more than {MAX_ROWS:,} rows: too large")])
    except csv.Error as exc:
        problems.append(Problem(row + 1, None, f"cannot be read as CSV ({exc}); "
                                f"a cell may exceed {MAX_CELL_CHARS:,} characters"))
    if not set(header) & wanted:
        raise LedgerError([Problem(header_index + 1, None, "no header row: the first row must "
                                   "name the columns (id,kind,name,category,low,high,unit,...)")])
    if header_index:
        warnings.append(Problem(header_index + 1, None,
                                f"skipped {header_index} row(s) above the header", "warning"))
    if separator != ",":
        warnings.append(Problem(None, None, f"read as {SEPARATOR_NAMES[separator]}-separated",
                                "warning"))
    problems.extend(_header_problems(header, header_index + 1))
    if not rows and not problems:
        problems.append(Problem(header_index + 1, None, "a header but no rows: nothing to read"))
    if problems:
        raise LedgerError(problems)
    return Records(header, header_index + 1, separator, rows, numbers, warnings)


def _header_problems(header: list[str], row: int) -> list[Problem]:
    problems = []
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(row, None, f"{len(header)} columns: at most {MAX_COLUMNS}"))
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(row, f"#{position}", "empty column name"))
        elif name in seen:
            problems.append(Problem(row, name, "duplicate column name"))
        seen.add(name)
    return problems
