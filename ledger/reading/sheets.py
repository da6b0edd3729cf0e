"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) read as text tables, decided by their
bytes, not their names. python-calamine reads all three formats in Rust, fast,
with formulas as their cached values (it never evaluates one) and macros never
run. Every cell becomes text as a spreadsheet shows it: numbers without float
noise (0.1 stays "0.1"), dates as ISO days. Hostile files are refused with one
clear message before anything large is built: a damaged or encrypted file, a
zip that expands past a cap, a sheet wider or longer than a ledger can be."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Literal

from ledger.core.problems import LedgerError, Problem, said
from ledger.reading.textfile import MAX_COLUMNS, MAX_ROWS

Kind = Literal["csv", "xlsx", "ods", "xls"]
MAX_EXPANDED = 400_000_000  # bytes a spreadsheet's zip may expand to
MAX_RATIO = 200  # and at most this many times its own size (a zip bomb expands millions)
HEADER_SEARCH = 20  # non-empty rows searched for our header
MAX_CELLS = 50_000_000  # rows × columns a sheet may declare (a ledger of 2M rows × 25)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class SheetInfo:
    name: str
    visible: bool


@dataclass(frozen=True)
class Table:
    """A sheet as text: its header (the first non-empty row) and each data row with
    the row number the spreadsheet shows (header row included in the numbering)."""

    sheet: str
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    notes: list[str] = field(default_factory=list)  # macros ignored, links not followed


def refuse(why: str) -> LedgerError:
    return LedgerError([Problem(None, None, why)])


def kind_of(data: bytes) -> Kind:
    """What the bytes are: a spreadsheet format, or text to read as CSV."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        archive = _zip(data)
        names = archive.namelist()
        if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise refuse(said(
                "this is an Excel binary workbook (.xlsb): save it as .xlsx or CSV"))
        raise refuse(said("this is a zip archive, not a spreadsheet: upload the .xlsx, .ods "
                          "or CSV file itself"))
    if data.startswith(OLE2):
        if ENCRYPTED in data:
            raise refuse(said("this workbook is encrypted (password-protected): save an "
                              "unprotected copy and upload that"))
        return "xls"
    return "csv"


def _zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(said("the file is damaged: it is not a readable spreadsheet "
                          "(a broken zip archive)")) from None


def _check_zip(data: bytes) -> list[str]:
    """Refuse a zip that would expand past the caps, before expanding anything;
    say what is ignored (macros, links to other workbooks)."""
    archive = _zip(data)
    infos = archive.infolist()
    expanded = sum(info.file_size for info in infos)
    if expanded > MAX_EXPANDED or expanded > MAX_RATIO * max(len(data), 100_000):
        raise refuse(said("the spreadsheet would expand to {size} MB: more than this server "
                          "reads ({limit} MB, or {ratio} times the file's own size)",
                          size=round(expanded / 1e6), limit=round(MAX_EXPANDED / 1e6),
                          ratio=MAX_RATIO))
    names = {info.filename for info in infos}
    notes: list[str] = []
    if any(name.endswith("vbaProject.bin") for name in names):
        notes.append(said("the workbook holds macros: they are ignored, never run"))
    if any(name.startswith("xl/externalLinks/") for name in names):
        notes.append(said("the workbook links to other workbooks: their values are read "
                          "as last saved, the links are not followed"))
    return notes


def _check_declared_size(data: bytes, name: str) -> None:
    """Refuse a sheet whose declared extent (`<dimension ref="A1:XFD1048576"/>`) is
    wider, longer or larger than a ledger can be, before any cell is read."""
    import re

    archive = _zip(data)
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return
    ids = {m.group(2): m.group(1) for m in re.finditer(
        r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', book)}
    wanted = next((rid for rid, sheet_name in ids.items()
                   if _xml_text(sheet_name) == name), None)
    target = next((m.group(2) for m in re.finditer(
        r'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', rels)
        if m.group(1) == wanted), None)
    if target is None:
        return
    part = target.lstrip("/") if target.startswith("/") else "xl/" + target
    try:
        with archive.open(part) as stream:
            head = stream.read(65_536).decode("utf-8", "replace")
    except KeyError:
        return
    found = re.search(r'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"', head)
    if not found:
        return
    letters, digits = found.group(3) or found.group(1), found.group(4) or found.group(2)
    width, height = _column_number(letters), int(digits)  # read from A1 on
    if width > MAX_COLUMNS or height > MAX_ROWS or width * height > MAX_CELLS:
        raise refuse(said("sheet '{sheet}' spans {rows} rows × {columns} columns (to cell "
                          "{cell}): at most {max_rows} rows and {max_columns} columns are "
                          "read; delete the empty rows and columns and save it again",
                          sheet=name[:60], rows=height, columns=width,
                          cell=f"{letters}{digits}", max_rows=MAX_ROWS,
                          max_columns=MAX_COLUMNS))


def _xml_text(text: str) -> str:
    import html

    return html.unescape(text)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _workbook(data: bytes) -> object:
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise refuse(said("this workbook is password-protected: save an unprotected copy "
                          "and upload that")) from None
    except Exception as exc:  # calamine's errors name the part it could not read
        raise refuse(said("the spreadsheet cannot be read: {error}",
                          error=str(exc)[:200])) from None


def sheets(data: bytes) -> list[SheetInfo]:
    """The workbook's worksheets, hidden ones marked."""
    if kind_of(data) in ("xlsx", "ods"):
        _check_zip(data)
    return _infos(_workbook(data))


def _infos(book: object) -> list[SheetInfo]:
    found = []
    for meta in book.sheets_metadata:  # type: ignore[attr-defined]
        if not str(meta.typ).endswith(".WorkSheet"):
            continue
        found.append(SheetInfo(str(meta.name), str(meta.visible).endswith(".Visible")))
    return found


def default_sheet(infos: list[SheetInfo]) -> str:
    """The first visible worksheet (the first of all if every one is hidden)."""
    if not infos:
        raise refuse(said("the workbook has no worksheet"))
    visible = [s for s in infos if s.visible]
    return (visible or infos)[0].name


def read_table(data: bytes, sheet: str | None = None) -> Table:
    """One sheet as text (by default the first visible one)."""
    kind = kind_of(data)
    if kind == "csv":
        raise refuse(said("not a spreadsheet"))
    notes = _check_zip(data) if kind in ("xlsx", "ods") else []
    book = _workbook(data)
    infos = _infos(book)
    name = sheet or default_sheet(infos)
    if name not in [s.name for s in infos]:
        raise refuse(said("no sheet named '{sheet}': the workbook has {sheets}",
                          sheet=name[:60],
                          sheets=", ".join(f"'{s.name[:40]}'" for s in infos[:10])))
    if kind == "xlsx":
        _check_declared_size(data, name)
    try:
        ws = book.get_sheet_by_name(name)  # type: ignore[attr-defined]
    except Exception as exc:
        raise refuse(said("sheet '{sheet}' cannot be read: {error}", sheet=name[:60],
                          error=str(exc)[:200])) from None
    first_row, first_col = (int(v) for v in (ws.start or (0, 0)))
    width, height = first_col + int(ws.width), first_row + int(ws.height)
    if width > MAX_COLUMNS:
        raise refuse(said("sheet '{sheet}' is {width} columns wide: at most {limit} are read",
                          sheet=name[:60], width=width, limit=MAX_COLUMNS))
    if height > MAX_ROWS:
        raise refuse(said("sheet '{sheet}' has {rows} rows: at most {limit}",
                          sheet=name[:60], rows=height, limit=MAX_ROWS))
    merged = _merged_headers(ws)
    filled: list[tuple[int, list[str]]] = []
    for offset, values in enumerate(ws.iter_rows()):
        cells = [""] * first_col + [text(v) for v in values]
        if any(c.strip() for c in cells):
            filled.append((first_row + offset + 1, cells))
    if not filled:
        raise refuse(said("sheet '{sheet}' is empty", sheet=name[:60]))
    # the header: a row naming our id and kind among the first few (a title or notes
    # may sit above it), else the first row with anything in it
    at = next((i for i, (_, cells) in enumerate(filled[:HEADER_SEARCH])
               if {"id", "kind"} <= {c.strip().lower() for c in cells}), 0)
    header_row, header = filled[at]
    return Table(name, header_row, _fill_merged(header, merged, header_row), filled[at + 1:],
                 notes)


def _merged_headers(ws: object) -> list[tuple[int, int, int, int]]:
    try:
        ranges = ws.merged_cell_ranges or []  # type: ignore[attr-defined]
    except Exception:
        return []
    return [(int(a[0]), int(a[1]), int(b[0]), int(b[1])) for a, b in ranges]


def _fill_merged(cells: list[str], merged: list[tuple[int, int, int, int]],
                 number: int) -> list[str]:
    """A header cell merged across columns names each of them: `Amount`, `Amount 2`."""
    row = number - 1
    filled = list(cells)
    for top, left, bottom, right in merged:
        if top <= row <= bottom and left < len(filled):
            origin = filled[left]
            for col in range(left + 1, min(right + 1, len(filled))):
                if not filled[col].strip() and origin.strip():
                    filled[col] = f"{origin} {col - left + 1}"
    return filled


def text(value: object) -> str:
    """A cell as a spreadsheet shows it: shortest decimals, ISO days."""
    if type(value) is str:  # most cells: nothing to do
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)  # Python's shortest round-trip: 0.1 is "0.1"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)
