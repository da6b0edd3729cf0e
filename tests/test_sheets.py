"""Workbooks read as text (xlsx, xls, ods), decided by content; hostile workbooks
refused with one clear message, quickly, without a traceback. Every workbook
here is made by the test itself."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from ledger.__main__ import main
from ledger.core.problems import LedgerError
from ledger.reading.intake import convert, read_any
from ledger.reading.schema import read_ledger
from ledger.reading.sheets import kind_of, read_table, sheets

from .conftest import ROOT

SHIPPED = ROOT / "data" / "funding.csv"


def xlsx(write) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    write(book)
    book.close()
    return buffer.getvalue()


def ledger_workbook(frame: pd.DataFrame, engine: str) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine=engine) as writer:
        frame.to_excel(writer, index=False, sheet_name="ledger")
    return buffer.getvalue()


def shipped_text() -> pd.DataFrame:
    return pd.read_csv(SHIPPED, dtype=str, keep_default_na=False)


def small() -> pd.DataFrame:
    """Four rows of the shipped ledger that stand on their own: the programme (out of
    the family it is within, which these rows leave out), the assumed European budgets
    and their two flows into it."""
    frame = shipped_text()
    frame = frame[frame["id"].isin(["armament-programme", "european-budgets",
                                    "budgets-armament-us", "budgets-armament-eu"])]
    return frame.assign(within="")


@pytest.mark.parametrize("engine", ["xlsxwriter", "odf"])
def test_our_csv_as_a_workbook_reads_back_to_the_same_ledger(engine):
    # the shipped ledger, every cell as text, saved as .xlsx and as .ods: the ledger
    # read from the workbook holds the same rows, amounts and dates as from the CSV
    data = ledger_workbook(shipped_text(), engine)
    assert kind_of(data) == ("xlsx" if engine == "xlsxwriter" else "ods")
    from_sheet = read_any(data).frame
    from_csv = read_ledger(SHIPPED).frame
    pd.testing.assert_frame_equal(from_sheet.drop(columns=["row"]),
                                  from_csv.drop(columns=["row"]))


def test_an_xls_workbook_reads_as_well():
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("ledger")
    frame = small()
    for col, name in enumerate(frame.columns):
        sheet.write(0, col, name)
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert kind_of(data) == "xls"
    assert list(read_any(data).frame["id"]) == list(frame["id"])


def test_cells_arrive_as_a_spreadsheet_shows_them():
    # 0.1 without float noise, a whole float without ".0", a date as its ISO day, a
    # formula as its cached value (never evaluated: the cached 7 is not 1 + 1)
    def write(book):
        sheet = book.add_worksheet("S")
        sheet.write_row(0, 0, ["a", "b", "c", "d"])
        sheet.write_number(1, 0, 0.1)
        sheet.write_number(1, 1, 90.0)
        sheet.write_datetime(1, 2, dt.datetime(2025, 8, 18),
                             book.add_format({"num_format": "dd.mm.yyyy"}))
        sheet.write_formula(1, 3, "=1+1", None, 7)
    table = read_table(xlsx(write))
    assert table.rows == [(2, ["0.1", "90", "2025-08-18", "7"])]


def test_hidden_sheets_are_marked_and_merged_header_cells_name_each_column():
    def write(book):
        old = book.add_worksheet("old")
        sheet = book.add_worksheet("pledges")
        sheet.activate()
        old.hide()
        sheet.write_row(0, 0, ["donor"])
        sheet.merge_range("B1:C1", "amount")
        sheet.write_row(1, 0, ["DE", 1, 2])
    data = xlsx(write)
    assert [(s.name, s.visible) for s in sheets(data)] == [("old", False), ("pledges", True)]
    table = read_table(data)  # the first visible sheet
    assert table.sheet == "pledges"
    assert table.header == ["donor", "amount", "amount 2"]


def test_the_format_is_decided_by_content_not_by_the_name(tmp_path):
    disguised = tmp_path / "ledger.csv"  # a workbook saved under a CSV name
    disguised.write_bytes(ledger_workbook(shipped_text(), "xlsxwriter"))
    assert main(["validate", str(disguised)]) == 0


# -- hostile workbooks: each a clear message within seconds ----------------------

def encrypted() -> bytes:
    # an encrypted OOXML file is an OLE2 compound file holding an EncryptedPackage
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
            + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500)


def corrupted() -> bytes:
    return ledger_workbook(shipped_text(), "xlsxwriter")[:3000]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\x00" * 1_000_000
            for _ in range(60):  # 60 MB of zeros in about 60 KB
                member.write(block)
    return buffer.getvalue()


def wide() -> bytes:
    return xlsx(lambda book: book.add_worksheet("S").write(0, 16_383, "x"))


def with_part(name: str, content: bytes) -> bytes:
    source = ledger_workbook(small(), "xlsxwriter")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(buffer, "w") as new:
        for item in old.infolist():
            new.writestr(item, old.read(item.filename))
        new.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(("make", "says"), [
    (encrypted, "encrypted"),
    (corrupted, "damaged"),
    (zip_bomb, "would expand to"),
    (wide, "16,384 columns"),
    (lambda: b"PK\x03\x04" + b"\x00" * 100, "damaged"),
    (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600, "cannot be read"),
], ids=["encrypted", "corrupted", "zip-bomb", "16384-columns", "zip-header-only",
        "broken-ole2"])
@pytest.mark.timeout(120)  # a guard against a hang, not a timing goal (bench/ times it)
def test_hostile_workbooks_get_one_clear_message_without_expanding(make, says, tmp_path,
                                                                   capsys):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(make())
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


@pytest.mark.timeout(120)  # a guard against reading a million empty rows one by one
def test_a_million_formatted_empty_rows_read_as_the_rows_with_values():
    def write(book):
        sheet = book.add_worksheet("ledger")
        frame = small()
        sheet.write_row(0, 0, list(frame.columns))
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            sheet.write_row(r, 0, list(row))
        formatted = book.add_format({"bg_color": "#FFFF00"})
        sheet.write_blank(999_999, 0, None, formatted)
    ledger = read_any(xlsx(write))
    assert len(ledger.frame) == 4


def test_macros_and_links_to_other_workbooks_are_named_and_never_followed():
    data = with_part("xl/vbaProject.bin", b"\x00VBA" * 100)
    converted = convert(data)
    assert any("macros" in note for note in converted.notes)
    linked = with_part("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    assert any("links to other workbooks" in note for note in convert(linked).notes)
    assert len(read_ledger(converted.csv).frame) == 4


def test_a_sheet_that_is_not_there_is_named_with_the_ones_that_are():
    data = ledger_workbook(small(), "xlsxwriter")
    with pytest.raises(LedgerError, match=r"no sheet named 'budget'.*'ledger'"):
        read_table(data, "budget")


def test_our_header_below_a_title_is_found():
    def write(book):
        sheet = book.add_worksheet("ledger")
        sheet.write(0, 0, "Funding ledger, as of today")
        frame = small()
        sheet.write_row(2, 0, list(frame.columns))
        for r, row in enumerate(frame.itertuples(index=False), start=3):
            sheet.write_row(r, 0, list(row))
    ledger = read_any(xlsx(write))
    assert list(ledger.frame["row"]) == [4, 5, 6, 7]  # rows as the sheet numbers them


def test_the_template_workbook_has_dropdowns_and_reads_back():
    import openpyxl

    from ledger.reading.schema import COLUMNS, template_csv
    from ledger.reading.template import template_xlsx

    data = template_xlsx()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["ledger"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert '"need,source,flow,check"' in lists
    assert '"grant,loan,guarantee,in-kind,unknown"' in lists
    assert len(read_any(data).frame) == len(read_ledger(template_csv()).frame)
