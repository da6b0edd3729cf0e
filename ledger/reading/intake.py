"""Any table a user brings — our CSV, someone else's CSV, a workbook — as a
funding CSV: the Data page and every command that takes a file read through
here. A table in our format passes as it is; a workbook in our columns, or one a
shipped mapping recognises (the Kiel tracker), converts with no work; any other
table needs a mapping, and says so."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ledger.core.problems import LedgerError, Problem, said
from ledger.reading import mapping as mp
from ledger.reading.schema import Ledger, read_bytes, read_ledger
from ledger.reading.sheets import SheetInfo, Table, default_sheet, kind_of, read_table, sheets
from ledger.reading.textfile import MAX_ROWS, decode

PEEK_ROWS = 50  # rows of their table shown while mapping
DISTINCT_SHOWN = 40  # values of a column offered in a value map
PEEK_CONVERTS_ROWS = 50_000  # a recognised table up to this many rows is converted
                             # while peeking (a Kiel release has about 5,600): a larger one
                             # shows its preview first, and the worker's time limit is
                             # spent on the conversion only when the user asks for it
PEEK_CHARS = 200  # of each cell shown while mapping: a 33 kB workbook of 32,000-character
                  # cells once sent 320 MB of preview to the server (the whole table is
                  # converted in the worker, uncut)


@dataclass(frozen=True)
class Peek:
    """What the mapping step shows: the sheets, the chosen one's header and first
    rows, each column's distinct values (up to DISTINCT_SHOWN), and the mapping
    recognised (None: the user maps)."""

    kind: str
    sheets: list[SheetInfo]
    table: Table
    distinct: dict[str, list[str]]
    recognised: str | None
    mapping: mp.Mapping | None
    # the whole table converted with the mapping recognised and checked, read in the
    # same pass as the preview (None: nothing recognised, not asked for, or it does not
    # read as a ledger — then checking it again names the problems)
    converted: Converted | None = None


@dataclass(frozen=True)
class Converted:
    csv: bytes
    recognised: str  # "ours", a shipped mapping's name, or "given"
    sheet: str | None
    mapping: mp.Mapping | None = None
    notes: list[str] = field(default_factory=list)


def same_conversion(one: mp.Mapping | None, other: mp.Mapping | None) -> bool:
    """Whether two mappings convert a table alike (their names and how they are
    recognised aside)."""
    if one is None or other is None:
        return False
    return ((one.rows, one.columns, one.stages, one.negatives)
            == (other.rows, other.columns, other.stages, other.negatives))


def csv_table(data: bytes) -> Table:
    """A CSV whose headers are not ours, as a text table: the separator is the one
    the first non-empty line uses most (`,`, `;` or tab)."""
    text, _ = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(",;\t", key=first.count)
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        for record in reader:
            if header is None:
                if any(cell.strip() for cell in record):
                    header, header_row = [c.strip() for c in record], reader.line_num
                continue
            if any(cell.strip() for cell in record):
                rows.append((reader.line_num, record))
            if len(rows) > MAX_ROWS:
                raise LedgerError([Problem(None, None, said("more than {limit} rows",
                                                                limit=MAX_ROWS))])
    except csv.Error as exc:
        raise LedgerError([Problem(reader.line_num, None, said(
            "unreadable CSV: {error}", error=str(exc)))]) from None
    if header is None:
        raise LedgerError([Problem(None, None, said("the file is empty"))])
    return Table("CSV", header_row, header, rows)


def table_of(data: bytes, sheet: str | None = None) -> tuple[str, list[SheetInfo], Table]:
    kind = kind_of(data)
    if kind == "csv":
        return kind, [], csv_table(data)
    infos = sheets(data)
    return kind, infos, read_table(data, sheet or pick_sheet(infos))


def pick_sheet(infos: list[SheetInfo]) -> str:
    """The sheet a shipped mapping reads when the workbook has it (Kiel's main data
    behind its ReadMe), else the first visible one."""
    names = {s.name for s in infos}
    for mapping in mp.shipped_mappings().values():
        wanted = mapping.detect.get("sheet")
        if wanted in names:
            return str(wanted)
    return default_sheet(infos)


def peek(data: bytes, sheet: str | None = None, most_bytes: int | None = None) -> Peek:
    """The mapping step's view of a table; with `most_bytes`, a table a shipped mapping
    recognises is also converted and checked whole from the same read (a funding CSV
    of at most that many bytes), so checking it with that mapping reads it no more."""
    kind, infos, table = table_of(read_bytes(data), sheet)
    found = mp.detect(table)
    distinct: dict[str, list[str]] = {}
    for i, name in enumerate(table.header):
        values: dict[str, None] = {}
        for _, cells in table.rows:
            if i < len(cells) and cells[i].strip():
                values[_clipped(cells[i].strip())] = None
                if len(values) > DISTINCT_SHOWN:
                    break
        distinct[name] = list(values)
    head = Table(table.sheet, table.header_row, table.header,
                 [(number, [_clipped(c) for c in cells])
                  for number, cells in table.rows[:PEEK_ROWS]], table.notes)
    converted = None
    if found is not None and most_bytes is not None and len(table.rows) <= PEEK_CONVERTS_ROWS:
        try:
            converted = _converted(table, *found)
            if len(converted.csv) > most_bytes:
                converted = None
            else:
                read_ledger(converted.csv)
        except LedgerError:
            converted = None
    return Peek(kind, infos, head, distinct, found[0] if found else None,
                found[1] if found else None, converted)


def _clipped(cell: str) -> str:
    return cell if len(cell) <= PEEK_CHARS else cell[:PEEK_CHARS - 1] + "…"


def convert(data: bytes, sheet: str | None = None, mapping: mp.Mapping | None = None
            ) -> Converted:
    """The funding CSV a table reads as, or LedgerError naming their rows and columns."""
    data = read_bytes(data)
    kind = kind_of(data)
    if kind == "csv" and mapping is None:
        return Converted(data, "ours", None)
    if mapping is not None and sheet is None and kind != "csv":
        names = [s.name for s in sheets(data)]
        sheet = mapping.sheet if mapping.sheet in names else None
    _, _, table = table_of(data, sheet)
    recognised = "given"
    if mapping is None:
        found = mp.detect(table)
        if found is None:
            raise LedgerError([Problem(table.header_row, None, said(
                "the columns of sheet '{sheet}' are not ours ({columns}…): map them on the "
                "Data page, or give a mapping (python -m ledger import FILE --map "
                "MAPPING.json)", sheet=table.sheet,
                columns=", ".join(h for h in table.header[:8] if h)))])
        recognised, mapping = found
    return _converted(table, recognised, mapping)


def _converted(table: Table, recognised: str, mapping: mp.Mapping) -> Converted:
    if recognised == "ours":  # our own columns: the table is written out as it is
        return Converted(_as_csv(table), recognised, table.sheet, mapping, table.notes)
    return Converted(mp.apply(table, mapping), recognised, table.sheet, mapping, table.notes)


def _as_csv(table: Table) -> bytes:
    """A table in our columns as CSV text, each row on the line its sheet numbers it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    buffer.write("\n" * (table.header_row - 1))
    width = len(table.header)
    while width and not table.header[width - 1].strip():
        width -= 1  # empty trailing header cells: the sheet's unused columns
    writer.writerow(table.header[:width])
    line = table.header_row
    for number, cells in table.rows:
        buffer.write("\n" * max(0, number - line - 1))
        writer.writerow((cells + [""] * width)[:width])
        line = number
    return buffer.getvalue().encode("utf-8")


def read_any(data: bytes, sheet: str | None = None, mapping: mp.Mapping | None = None
             ) -> Ledger:
    """Convert, then read and validate; problems name their rows and their columns."""
    return checked(data, sheet, mapping)[1]


def checked(data: bytes, sheet: str | None = None, mapping: mp.Mapping | None = None
            ) -> tuple[Converted, Ledger]:
    """The conversion and the ledger it reads as, from one pass over the table."""
    converted = convert(data, sheet, mapping)
    try:
        return converted, read_ledger(converted.csv)
    except LedgerError as exc:
        if converted.mapping is None or converted.recognised == "ours":
            raise
        name = mp.their_column(converted.mapping)
        raise LedgerError([Problem(p.row, name(p.column), p.message, p.severity)
                           for p in exc.problems]) from None
