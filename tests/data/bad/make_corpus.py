"""Writes the hostile-input corpus next to this file (run once; the files are
committed). Large files are made by the tests themselves, in a temporary folder."""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEAD = "id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,note"
NEED = "n,need,Air defence,military,90,100,bn USD,2025-08-18,,,,,estimate,ref,"
SOURCE = "s,source,Frozen assets,,300,,bn EUR,2025-08-19,,,EU,,estimate,ref,"
FLOW = "f,flow,Orders,military,20,30,bn EUR,2025-08-19,s,n,,US,assumption,ref,"
GOOD = "\n".join([HEAD, NEED, SOURCE, FLOW]) + "\n"


def text(name: str, body: str) -> None:
    (HERE / name).write_text(body, encoding="utf-8", newline="")


def raw(name: str, body: bytes) -> None:
    (HERE / name).write_bytes(body)


def main() -> None:
    raw("utf8_bom.csv", codecs.BOM_UTF8 + GOOD.encode())
    raw("utf16le_bom.csv", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    raw("utf16be_bom.csv", codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"))
    raw("cp1252_euro.csv", GOOD.replace("Frozen assets", "Avoirs gelés (€)").encode("cp1252"))
    raw("invalid_bytes.csv", GOOD.encode().replace(b"Orders", b"Ord\x81\x8d\x90rs"))
    raw("semicolon_decimal_comma.csv",
        "\n".join(line.replace(",", ";") for line in GOOD.splitlines()).replace(
            "90;100", "90,5;100,25").encode() + b"\n")
    text("tab_separated.tsv", GOOD.replace(",", "\t"))
    text("thousands_separators.csv", GOOD.replace("300,,bn EUR", '"300,000",,mn EUR'))
    text("en_dash_range.csv", GOOD.replace("low,high", "amount").replace("90,100", "90–100")
         .replace("300,,", "300,").replace("20,30", "20 - 30"))
    text("amount_with_unit.csv", GOOD.replace("300,,bn EUR", "€300bn,,bn EUR"))
    text("quoted_newlines.csv", GOOD.replace("Air defence", '"Air\ndefence, ""layered"""'))
    text("duplicate_headers.csv", GOOD.replace("note", "name"))
    text("missing_headers.csv", "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 6)
        for line in GOOD.splitlines()) + "\n")
    text("extra_headers.csv", "\n".join(
        line + (",comment,Source URL" if i == 0 else ",x,http://example.org")
        for i, line in enumerate(GOOD.splitlines())) + "\n")
    text("ragged_rows.csv", GOOD.replace(SOURCE, SOURCE + ",surplus cell").replace(
        FLOW, ",".join(FLOW.split(",")[:9])))
    text("junk_above_header.csv", "Funding ledger export\nprinted 2025-12-20,,\n\n" + GOOD)
    raw("empty.csv", b"")
    text("header_only.csv", HEAD + "\n")
    raw("one_byte.csv", b"i")
    raw("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    raw("nul_bytes.csv", GOOD.encode().replace(b"Orders", b"Ord\x00ers"))
    text("non_finite.csv", "\n".join([HEAD,
         "a,need,A,military,NaN,,bn EUR,2025-01-02,,,,,,,",
         "b,need,B,military,inf,,bn EUR,2025-01-02,,,,,,,",
         "c,need,C,military,1e309,,bn EUR,2025-01-02,,,,,,,",
         "d,need,D,military,NA,,bn EUR,2025-01-02,,,,,,,",
         "e,source,E,,5,,bn EUR,2025-01-02,,,NA,,,,"]) + "\n")
    text("negative.csv", GOOD.replace("300,,bn EUR", "-300,,bn EUR"))
    text("bad_dates.csv", GOOD.replace("2025-08-18", "31/12/2025").replace(
        "s,source,Frozen assets,,300,,bn EUR,2025-08-19", "s,source,Frozen assets,,300,,bn EUR,"
        "2025-02-30"))
    text("broken_links.csv", "\n".join([HEAD, NEED, SOURCE,
         "f,flow,Orders,military,20,30,bn EUR,2025-08-19,s,nowhere,,US,,,",
         "s,source,Again,,1,,bn EUR,2025-08-19,,,EU,,,,",
         "t,source,T,,1,,bn EUR,2025-08-19,,,EU,,,,",
         "st,flow,S to T,,1,,bn EUR,2025-08-19,s,t,,,,,",
         "ts,flow,T to S,,1,,bn EUR,2025-08-19,t,s,,,,,"]) + "\n")
    text("hostile_units.csv", GOOD.replace("bn USD", "9**9**9").replace(
        "300,,bn EUR", "300,,bn XYZ"))


if __name__ == "__main__":
    main()
