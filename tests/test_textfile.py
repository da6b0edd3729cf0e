"""Bytes to CSV records: encodings, separators, the header, the two readers."""

from __future__ import annotations

import pytest

from ledger.core.problems import LedgerError
from ledger.reading.textfile import decode, read_csv_bytes

WANTED = {"id", "kind", "name", "low", "unit", "date"}


def test_utf8_with_a_bom_and_utf16_with_a_bom_are_read_alike():
    text = "id,kind\nn,need\n"
    assert decode(("\ufeff" + text).encode("utf-8"))[0] == text
    assert decode(text.encode("utf-16"))[0] == text


def test_windows_1252_is_read_with_a_visible_warning():
    text, warnings = decode("id,name\nn,Zürich €\n".encode("cp1252"))
    assert "Zürich €" in text and "cp1252" in warnings[0].message


def test_a_semicolon_header_is_detected_and_said():
    records = read_csv_bytes(b"id;kind;name;low;unit;date\nn;need;N;1;EUR;2025-01-02\n",
                             WANTED)
    assert records.separator == ";" and records.frame["name"].tolist() == ["N"]
    assert any("semicolon" in w.message for w in records.warnings)


def test_rows_above_the_header_are_skipped_and_rows_keep_their_spreadsheet_number():
    data = b"Funding ledger export\n\nid,kind,name,low,unit,date\nn,need,N,1,EUR,2025-01-02\n"
    records = read_csv_bytes(data, WANTED)
    assert records.header_row == 3 and list(records.row_numbers) == [4]


def test_the_fast_and_the_exact_reader_give_the_same_frame():
    clean = b"id,kind,name,low,unit,date\nn,need,\"N, with comma\",1,EUR,2025-01-02\n"
    irregular = clean + b"\n"  # a blank line sends the file to the exact reader
    fast, exact = read_csv_bytes(clean, WANTED), read_csv_bytes(irregular, WANTED)
    assert fast.frame.equals(exact.frame)


def test_an_empty_file_is_an_error():
    with pytest.raises(LedgerError, match="empty"):
        read_csv_bytes(b"", WANTED)


def test_plain_ascii_and_utf8_go_to_the_fast_reader_and_cp1252_does_not():
    from ledger.reading.textfile import _is_utf8

    assert _is_utf8(b"id,name\nn,Zurich\n")  # ASCII: no copy decoded
    assert _is_utf8("id,name\nn,Zürich €\n".encode())
    assert not _is_utf8("id,name\nn,Zürich €\n".encode("cp1252"))
