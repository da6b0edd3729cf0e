"""Turning uploaded bytes into CSV records: encoding, separator, header row,
caps. Decided by content, never by file name."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ledger.core.problems import MAX_PROBLEMS, LedgerError, Problem, said

if TYPE_CHECKING:  # loaded where a file is read, not when the module is
    import pyarrow as pa

MAX_BYTES = 200_000_000  # a 1M-flow ledger is about 100 MB
MAX_ROWS = 2_000_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 100_000
HEADER_SEARCH_ROWS = 20
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": said("comma"), ";": said("semicolon"), "\t": said("tab")}
HEADER_PROBE_CHARS = 256_000
KNOWN_BINARIES = (
    (b"PK\x03\x04", said("a ZIP archive or an Excel/OpenDocument workbook")),
    (b"\xd0\xcf\x11\xe0", said("an old Excel (.xls) or Word file")),
    (b"%PDF", said("a PDF document")),
    (b"\x89PNG", said("a PNG image")),
    (b"\xff\xd8\xff", said("a JPEG image")),
)


@dataclass(frozen=True)
class Records:
    """Data rows of a CSV as text cells, with the spreadsheet row number of each."""

    header: list[str]
    header_row: int
    separator: str
    frame: pd.DataFrame
    row_numbers: np.ndarray
    warnings: list[Problem]


def decode(data: bytes) -> tuple[str, list[Problem]]:
    """UTF-8 (BOM or not), UTF-16 with BOM; otherwise cp1252 with a warning."""
    if not data or data.isspace():  # isspace stops at the first other byte; strip copies
        raise LedgerError([Problem(None, None, said("the file is empty"))])
    for signature, what in KNOWN_BINARIES:
        if data.startswith(signature):
            raise LedgerError([Problem(None, None, said(
                "this is {what}, not a CSV file: save it as CSV (UTF-8) and upload that",
                what=what))])
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), []
    if b"\x00" in data:
        row = data[: data.index(b"\x00")].count(b"\n") + 1
        raise LedgerError([Problem(row, None, said(
            "binary data (NUL bytes): not a CSV text file"))])
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise LedgerError([Problem(
            row, None, said("not UTF-8 text (undecodable byte {byte} at offset {offset}): "
                            "save the file as UTF-8", byte=f"0x{data[exc.start]:02X}",
                            offset=exc.start))]) from None
    return text, [
        Problem(None, None, said("not UTF-8: read as Windows-1252 (cp1252); check € and "
                                 "accents"), "warning")
    ]


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LedgerError(
            [Problem(None, None, said("invalid {encoding} (bad byte at offset {offset})",
                                      encoding=encoding.upper(), offset=exc.start))]
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


def read_csv_bytes(data: bytes, wanted: set[str]) -> Records:
    """Decode and split a CSV file. A clean UTF-8 file goes straight to the fast
    reader; anything else is decoded in full and read record by record."""
    utf8_body = None
    if data and not data.isspace() and b"\x00" not in data and not data.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and _is_utf8(data):
        utf8_body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
        head = utf8_body[:HEADER_PROBE_CHARS].decode("utf-8", errors="ignore")
        separator, header_index = find_header(head, wanted)
        fast = _read_clean(utf8_body, head, separator, header_index, wanted)
        if fast is not None:
            return fast
    text, warnings = decode(data)
    records = read_records(text, wanted, try_fast=utf8_body is None)
    return Records(records.header, records.header_row, records.separator, records.frame,
                   records.row_numbers, warnings + records.warnings)


def _is_utf8(data: bytes) -> bool:
    """Checked before Arrow reads: its handler of a ragged row cannot decode a row
    that is not UTF-8 and prints the error instead of raising it. Plain ASCII (most
    large files) is UTF-8 without decoding a copy: 100 MB in a few milliseconds
    instead of 46."""
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_records(text: str, wanted: set[str], try_fast: bool = True) -> Records:
    """Split text into records; every structural problem is collected."""
    if "\x00" in text:
        row = text[: text.index("\x00")].count("\n") + 1
        raise LedgerError([Problem(row, None, said(
            "binary data (NUL characters): not a CSV file"))])
    head = text[:HEADER_PROBE_CHARS]
    separator, header_index = find_header(head, wanted)
    if try_fast:
        fast = _read_clean(text.encode("utf-8"), head, separator, header_index, wanted)
        if fast is not None:
            return fast
    scan = _scan(text, separator, header_index)
    return _records(scan, wanted, separator, header_index)


@dataclass
class _Scan:
    """What the exact reader found, row by row."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    more: int = 0  # ragged rows counted, not listed, past MAX_PROBLEMS


def _scan(text: str, separator: str, header_index: int) -> _Scan:
    csv.field_size_limit(MAX_CELL_CHARS + 1)
    scan = _Scan()
    row = 0
    try:
        for row, record in enumerate(_reader(text, separator), start=1):
            if row <= header_index:
                continue
            if row == header_index + 1:
                scan.header = [_normal(cell) for cell in record]
                while scan.header and not scan.header[-1]:
                    scan.header.pop()  # spreadsheets often export empty trailing columns
                continue
            if not record or all(not cell.strip() for cell in record):
                continue  # blank rows are common in spreadsheets; keep the numbering
            kept = _fitted(record, row, scan)
            if kept is None:
                continue
            scan.rows.append(kept)
            scan.numbers.append(row)
            if len(scan.rows) > MAX_ROWS:
                raise LedgerError([Problem(row, None, said(
                    "more than {limit} rows: too large", limit=MAX_ROWS))])
    except csv.Error as exc:
        scan.problems.append(Problem(row + 1, None, said(
            "cannot be read as CSV ({error}); a cell may exceed {limit} characters",
            error=str(exc), limit=MAX_CELL_CHARS)))
    return scan


def _fitted(record: list[str], row: int, scan: _Scan) -> list[str] | None:
    """The record cut to the header's width, or None (and a problem) when it cannot be."""
    width = len(scan.header)
    if len(record) == width:
        return record
    if len(record) > width and not any(c.strip() for c in record[width:]):
        return record[:width]
    if len(scan.problems) >= MAX_PROBLEMS:
        scan.more += 1
    elif record[-1].count("\n") > 1:
        scan.problems.append(Problem(row, None, said(
            'a quote (") opened in this row is never closed, so the lines after it ran into '
            "one cell")))
    else:
        scan.problems.append(Problem(
            row, None, said("has {cells} cells but the header has {width} columns",
                            cells=len(record), width=width)))
    return None


def _records(scan: _Scan, wanted: set[str], separator: str, header_index: int) -> Records:
    header, problems, warnings = scan.header, scan.problems, []
    if not set(header) & wanted:
        raise LedgerError([Problem(header_index + 1, None, said(
            "no header row: the first row must name the columns "
            "(id,kind,name,category,low,high,unit,...)"))])
    if header_index:
        warnings.append(Problem(header_index + 1, None, said(
            "skipped {count} row(s) above the header", count=header_index), "warning"))
    if separator != ",":
        warnings.append(Problem(None, None, said(
            "read as {separator}-separated", separator=SEPARATOR_NAMES[separator]), "warning"))
    problems.extend(_header_problems(header, header_index + 1))
    if not scan.rows and not problems:
        problems.append(Problem(header_index + 1, None, said(
            "a header but no rows: nothing to read")))
    if problems:
        raise LedgerError(problems, scan.more)
    columns = list(zip(*scan.rows, strict=True))
    frame = pd.DataFrame({name: pd.array(column, dtype="str")
                          for name, column in zip(header, columns, strict=True)})
    return Records(header, header_index + 1, separator, frame,
                   np.asarray(scan.numbers, dtype=np.int64), warnings)


def _read_clean(body: bytes, head: str, separator: str, header_index: int,
                wanted: set[str]) -> Records | None:
    """The fast path (pyarrow's CSV reader) for a clean file: header on row 1, no
    blank or ragged rows, no line breaks inside cells, no overlong cell. Anything
    else returns None, and the exact reader above takes over to name the rows."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if header_index != 0:
        return None
    try:
        header = [_normal(c) for c in next(_reader(head, separator))]
    except (StopIteration, csv.Error):
        return None
    if (not header or not header[-1] or len(set(header)) != len(header) or "" in header
            or not set(header) & wanted or len(header) > MAX_COLUMNS):
        return None
    irregular: list[object] = []

    def note(row: object) -> str:
        irregular.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),  # read in place: a file object is copied block by block
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=header,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=separator, newlines_in_values=False,
                                             ignore_empty_lines=False, invalid_row_handler=note),
            convert_options=pacsv.ConvertOptions(
                # large_string is what pandas' str dtype holds: no conversion after
                column_types=dict.fromkeys(header, pa.large_string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[]),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if table.num_rows > MAX_ROWS:
        raise LedgerError([Problem(None, None, said("{count} rows: at most {limit}",
                                                    count=table.num_rows, limit=MAX_ROWS))])
    if irregular or table.num_rows == 0 or not _cells_fit_and_no_row_is_blank(table):
        return None
    warnings = []
    if separator != ",":
        warnings.append(Problem(None, None, said(
            "read as {separator}-separated", separator=SEPARATOR_NAMES[separator]), "warning"))
    frame = table.to_pandas()
    return Records(header, 1, separator, frame, np.arange(2, table.num_rows + 2), warnings)


def _cells_fit_and_no_row_is_blank(table: pa.Table) -> bool:
    """No cell longer than MAX_CELL_CHARS and no row empty in every column: else the
    exact reader names the long cells and skips blank rows, keeping the numbering."""
    import pyarrow.compute as pc

    blank = None  # rows empty in every column so far; None once no row can be
    for number, column in enumerate(table.columns):
        # bytes first (a character is at least one byte, and counting them is ten times
        # cheaper); characters only when the bytes could exceed the limit
        lengths = pc.binary_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > MAX_CELL_CHARS and pc.max(
                pc.utf8_length(column)).as_py() > MAX_CELL_CHARS:
            return False
        if number == 0 or blank is not None:
            empty = pc.equal(lengths, 0)
            blank = empty if number == 0 else pc.and_(blank, empty)
            if not pc.any(blank).as_py():
                blank = None  # a row with a cell is not blank, whatever follows
    return blank is None


def _header_problems(header: list[str], row: int) -> list[Problem]:
    problems = []
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(row, None, said("{count} columns: at most {limit}",
                                                 count=len(header), limit=MAX_COLUMNS)))
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(row, f"#{position}", said("empty column name")))
        elif name in seen:
            problems.append(Problem(row, name, said("duplicate column name")))
        seen.add(name)
    return problems
