"""Column mappings: the Kiel tracker's layout imported with no work and checked
against hand-computed totals, someone else's table mapped by a saved JSON,
problems named in the table's own rows and columns, and the command line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from ledger.__main__ import main
from ledger.core.problems import LedgerError
from ledger.reading.intake import convert, peek, read_any
from ledger.reading.mapping import identity, parse
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile

from .conftest import ROOT

MAIN = "Bilateral Assistance, MAIN DATA"
KIEL_HEADER = ["activity_id", "donor", "announcement_date", "measure", "aid_type_general",
               "aid_type_specific", "tot_activity_value_EUR",
               "tot_sub_activity_value_EUR_redistr", "month", "explanation"]
# (donor, date, measure, aid type, specific, activity EUR, sub-activity redistr EUR, month)
# Sheet row = position + 1 (the header is row 1).
KIEL_ROWS = [
    ("Germany", dt.date(2024, 3, 1), "Allocation", "Military", "Weapons", 900e6, 400e6, 27),
    ("Germany", dt.date(2024, 3, 1), "Allocation", "Military", "Ammunition", 500e6, 500e6, 27),
    ("Germany", dt.date(2024, 5, 2), "Allocation", "Humanitarian ", "Grant", 50e6, 50e6, 29),
    ("Germany", dt.date(2024, 6, 3), "Commitment", "Financial", "Loan", 300e6, None, 30),
    ("United States", dt.date(2024, 4, 24), "Allocation", "Military", "PDA", 2e9, 2e9, 28),
    ("United States", dt.date(2024, 4, 24), "Allocation", "Military", "USAI", 1e9, 1e9, 28),
    ("United States", dt.date(2024, 9, 1), "Allocation", "Financial", "ERA Loan", 20e9, 20e9,
     33),
    ("EU (Commission and Council)", dt.date(2024, 3, 1), "Allocation", "Financial",
     "Grant", 4.5e9, 4.5e9, 27),
    ("EU (Commission and Council)", "n.a.", "Commitment", "Financial", "Loan guarantee",
     1e9, 0, 31),
    ("European Peace Facility", dt.date(2024, 3, 18), "Allocation", "Military", "Grant",
     5e9, 5e9, 27),
    ("European Investment Bank", dt.date(2024, 7, 1), "Allocation", "Financial", "Loan",
     200e6, 200e6, 31),
    ("Turkiye", dt.date(2024, 2, 1), "Allocation", "Humanitarian ", "Grant", 10e6, 10e6, 26),
    ("Turkey", dt.date(2023, 2, 1), "Allocation", "Humanitarian", "Grant", 5e6, 5e6, 14),
    ("Czechia", dt.date(2024, 2, 20), "Allocation", "Military", "Ammunition", 100e6, 100e6,
     26),
    ("Czech Republic", dt.date(2023, 1, 10), "Allocation", "Military", "Tanks", 50e6, 50e6,
     13),
    ("United Kingdom", dt.date(2024, 2, 23), "Allocation", "Military", "Drones", 300e6,
     300e6, 26),
    ("United Kingdom", dt.date(2024, 10, 21), "Commitment", "Financial", "ERA Loan",
     2.7e9, 0, 34),
    ("Norway", dt.date(2024, 2, 1), "Allocation", "Humanitarian", "Grant", 20e6, 20e6, 26),
    ("Norway", dt.date(2024, 2, 1), "Allocation", "Military", "Air defence", 80e6, 80e6, 26),
    ("Poland", dt.date(2024, 1, 5), "Allocation", "Military", "Ammunition", 60e6, 60e6, 25),
    ("South Korea", dt.date(2024, 1, 5), "Allocation", "Humanitarian ", "Grant", 15e6,
     15e6, 25),
    ("Poland", dt.date(2024, 8, 1), "Commitment", "Military", "Weapons", 40e6, 40e6, 32),
    ("Germany", dt.date(2024, 12, 1), "Allocation", "Military", "Air defence", 700e6, 700e6,
     36),
    ("United States", dt.date(2024, 12, 30), "Allocation", "Military", "PDA", 1.25e9,
     1.25e9, 36),
    ("France", "", "Allocation", "Military", "Artillery", 30e6, 30e6, 0),  # no date, month 0
    ("Germany", dt.date(2025, 1, 15), "Allocation", "Military", "Correction", -62e6, -62e6,
     37),  # Kiel's own correction
    ("Italy", dt.date(2024, 5, 1), "Allocation", "Military", "Air defence", 100e6, 150e6,
     29),  # allocated above committed: one of Kiel's quirks
]
# Kiel's two measures, worked out by hand (shared/KIEL-FORMAT.md), € m:
#   allocations = Σ redistributed value over Allocation rows;
#   commitments = Σ activity value over every row.
#   DE: allocations 400 + 500 + 50 + 700 − 62 = 1,588;
#       commitments 900 + 500 + 50 + 300 + 700 − 62 = 2,388
#   US: 2,000 + 1,000 + 20,000 + 1,250 = 24,250 both
#   EU (Commission and Council): allocations 4,500; commitments 4,500 + 1,000 = 5,500
#   European Peace Facility 5,000 both; European Investment Bank 200 both
#   TR: 10 + 5 = 15 both (Turkiye and Turkey); CZ: 100 + 50 = 150 both
#   GB: allocations 300; commitments 300 + 2,700 = 3,000
#   NO: 20 + 80 = 100 both;  KR: 15 both;  FR: 30 both (a row with no date at all)
#   PL: allocations 60 (a Commitment row's redistributed 40 is no allocation);
#       commitments 60 + 40 = 100
#   IT: allocations 150, commitments 100: committed or further counts the 150
#       allocated (the same money, further on), so the ledger says 150 and a finding
#       names the row, Kiel's commitment below its allocation
# The ledger: allocated = Σ allocated flows; committed or further = Σ per entry of
# its furthest stage (max(committed, allocated)) = Kiel's commitments where no entry is
# allocated beyond its commitment. Germany's −62 is netted into its largest military
# commitment at both stages (kiel-2: committed 900 → 838, allocated 400 → 338): per
# entry 838 + 500 + 50 + 300 + 700 = 2,388 committed or further; 338 + 500 + 50 + 700
# = 1,588 allocated
ALLOCATED = {"DE": 1588, "US": 24250, "EU|EU (Commission and Council)": 4500,
             "EU|European Peace Facility": 5000, "EU|European Investment Bank": 200,
             "TR": 15, "CZ": 150, "GB": 300, "NO": 100, "KR": 15, "FR": 30, "PL": 60,
             "IT": 150}
COMMITTED = {"DE": 2388, "US": 24250, "EU|EU (Commission and Council)": 5500,
             "EU|European Peace Facility": 5000, "EU|European Investment Bank": 200,
             "TR": 15, "CZ": 150, "GB": 3000, "NO": 100, "KR": 15, "FR": 30, "PL": 100,
             "IT": 150}
# per aid type, € m:
#   military allocations: 400+500+2000+1000+5000+100+50+300+80+60+700+1250+30−62+150
#     = 11,558; committed or further: 900+500+2000+1000+5000+100+50+300+80+60+40+700
#     +1250+30−62+150 (Italy's furthest) = 12,098
#   financial allocations: 20,000 + 4,500 + 200 = 24,700; committed: 300 + 20,000
#     + 4,500 + 1,000 + 200 + 2,700 = 28,700
#   humanitarian: 50 + 10 + 5 + 20 + 15 = 100 both
ALLOCATED_BY_TYPE = {"military": 11558, "financial": 24700, "humanitarian": 100}
COMMITTED_BY_TYPE = {"military": 12098, "financial": 28700, "humanitarian": 100}


def kiel_workbook() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("ReadMe").write(0, 0, "Ukraine Support Tracker")
    summary = book.add_worksheet("Country Summary (€)")  # column A blank, header row 8
    summary.write_row(7, 1, ["Country", "EU member", "Financial allocations"])
    summary.write_row(8, 1, ["Germany", 1, 0.35])
    sheet = book.add_worksheet(MAIN)
    sheet.write_row(0, 0, KIEL_HEADER)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, (donor, when, measure, kind, specific, total, sub, month) in enumerate(
            KIEL_ROWS, start=1):
        sheet.write_row(r, 0, [r, donor])
        if isinstance(when, dt.date):
            sheet.write_datetime(r, 2, dt.datetime.combine(when, dt.time()), day)
        else:
            sheet.write_string(r, 2, when)
        sheet.write_row(r, 3, [measure, kind, specific, total])
        if sub is not None:
            sheet.write_number(r, 7, sub)
        sheet.write_row(r, 8, [month, ""])
    book.close()
    return buffer.getvalue()


def test_a_kiel_workbook_is_recognised_and_imported_with_no_mapping_work():
    from ledger.rules.donormoney import by_stage, donors_of

    data = kiel_workbook()
    seen = peek(data)
    assert seen.recognised == "kiel" and seen.table.sheet == MAIN  # not ReadMe, not Summary
    ledger = read_any(data)  # no row refused: undated, negative, quirky rows all read
    flows = ledger.of_kind("flow")
    allocations = sum(1 for r in KIEL_ROWS if r[2] == "Allocation")
    assert len(flows) == len(KIEL_ROWS) + allocations  # committed, and allocated on top
    assert (flows["industry"] == "unknown").all()  # Kiel does not say who supplies
    result = reconcile(ledger)
    donors = by_stage(donors_of(result)).set_index("key")
    assert (donors["allocated_low"] / 1e6).round(6).to_dict() == ALLOCATED
    assert (donors["committed_low"] / 1e6).round(6).to_dict() == COMMITTED
    money = donors_of(result)
    by_type = money.groupby(["category", "status"])["amount_low"].sum() / 1e6
    for category in ALLOCATED_BY_TYPE:
        assert round(by_type[category].get("allocated", 0.0), 6) == ALLOCATED_BY_TYPE[category]
        assert round(by_type[category].sum(), 6) == COMMITTED_BY_TYPE[category]
    # a tracker states no need: no gap, no coverage
    needs = ledger.of_kind("need")
    assert needs["low"].isna().all()
    for total in ("need", "gap", "coverage"):  # NaN: stated as null in the JSON
        assert all(x != x for x in result.totals[total]), total


def test_kiel_rows_without_a_date_corrections_and_quirks_are_kept_and_named():
    ledger = read_any(kiel_workbook())
    frame = ledger.frame.set_index("id")
    # France's row has neither a date nor a month: kept, at the tracker's first day,
    # tagged as of unknown date (the Timeline counts it in no year)
    france = frame.loc["kiel-26"]
    assert "date-unknown" in france["tags"].split(";")
    # Germany's correction is netted into its largest military entry at each stage
    assert frame.loc["kiel-27", "low"] == 0 and "correction" in frame.loc["kiel-27", "tags"]
    assert frame.loc["kiel-2", "low"] == 838e6
    assert frame.loc["kiel-2-allocated", "low"] == 338e6  # the same entry at both stages
    assert "kiel-27" in frame.loc["kiel-2", "note"]
    # Italy's allocation above its commitment is named, not hidden
    codes = {f.code: f for f in reconcile(ledger).findings}
    assert "kiel-28" in codes["delivered_beyond"].rows
    # and a finding names the correction and the entries it was netted into
    assert set(codes["correction"].rows) == {"kiel-27", "kiel-27-allocated", "kiel-2",
                                              "kiel-2-allocated"}
    # the EU's three institutions are donor EU, each under its own name
    sources = ledger.of_kind("source").set_index("id")
    eu = sources[sources["donor"] == "EU"]
    assert set(eu["name"]) == {"EU (Commission and Council)", "European Peace Facility",
                               "European Investment Bank"}


def test_kiel_codes_stages_instruments_and_dates():
    frame = read_any(kiel_workbook()).frame.set_index("id")
    row = frame.loc["kiel-5"]  # row 5 of the sheet: Germany's commitment of a loan
    assert (row["status"], row["instrument"], row["low"]) == ("committed", "loan", 300e6)
    assert "kiel-5-allocated" not in frame.index  # a commitment has no allocation
    # an allocation: the same aid committed (its activity value) and allocated (its
    # redistributed value), the second fulfilling the first
    assert (frame.loc["kiel-2", "status"], frame.loc["kiel-2", "low"]) == ("committed", 838e6)
    allocated = frame.loc["kiel-2-allocated"]
    assert (allocated["status"], allocated["low"], allocated["fulfils"]) == (
        "allocated", 338e6, "kiel-2")  # 400 less the −62 correction netted here
    assert frame.loc["kiel-10", "instrument"] == "guarantee"  # "Loan guarantee"
    # "n.a." as the date: month 31 of the tracker (1 = January 2022) is July 2024
    assert frame.loc["kiel-10", "date"] == dt.datetime(2024, 7, 1)
    assert frame.loc["kiel-2", "ref"] == (
        f"Kiel Institute, Ukraine Support Tracker, sheet '{MAIN}', row 2")
    findings = {f.code for f in reconcile(read_any(kiel_workbook())).findings}
    assert "duplicate_flow" not in findings  # a commitment and its allocation are not twins


def test_the_older_kiel_headers_are_recognised_too():
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Clean Data")
    sheet.write_row(0, 0, ["ID", "Countries", "Announcement Date", "Type of Aid General",
                           "Type of Aid Specific", "Converted Value in EUR"])
    sheet.write_row(1, 0, [1, "Czech Republic", "2022-05-01", "Military", "Tanks", 40e6])
    book.close()
    converted = convert(buffer.getvalue())
    assert converted.recognised == "kiel-2023"
    flows = read_ledger(converted.csv).of_kind("flow")
    assert list(flows["from"]) == ["donor-CZ"] and list(flows["low"]) == [40e6]


def test_a_saved_mapping_maps_someone_elses_spreadsheet(tmp_path, capsys):
    # data/examples/pledges.xlsx: seven PURL pledges; each a flow to US industry
    out = tmp_path / "pledges.csv"
    assert main(["import", str(ROOT / "data/examples/pledges.xlsx"), "--map",
                 str(ROOT / "data/mappings/pledges.json"), "--out", str(out)]) == 0
    ledger = read_ledger(out)
    flows = ledger.of_kind("flow")
    assert len(flows) == 7 and set(flows["industry"]) == {"US"}
    # Germany pledged in euros and in dollars: one source per currency
    assert {"donor-DE-million-eur", "donor-DE-million-usd"} <= set(ledger.frame["id"])
    assert "mapping given: 16 rows" in capsys.readouterr().err


def test_problems_name_their_row_and_their_column():
    bad = (b"Identifier,Type,Label,Amount,Currency,Day\n"
           b"n1,need,Arms,12abc,bn EUR,2025-01-01\n"
           b"s1,source,Money,5,bn EUR,2025-13-01\n")
    mapping = parse(json.dumps({"version": 1, "rows": "ledger", "columns": {
        "id": {"column": "Identifier"}, "kind": {"column": "Type"},
        "name": {"column": "Label"}, "low": {"column": "Amount"},
        "unit": {"column": "Currency"}, "date": {"column": "Day"},
        "category": {"value": "military"}, "donor": {"value": "DE"}}}))
    with pytest.raises(LedgerError) as caught:
        read_any(bad, mapping=mapping)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert (2, "Amount (our low)") in found and (3, "Day (our date)") in found


def kiel_workbook_with_questions() -> bytes:
    """Two Kiel rows, one with a measure the mapping does not know ("Pledge"), one
    from a country no one knows ("Atlantis")."""
    rows = [list(r) for r in KIEL_ROWS[:2]]
    rows[1][0] = "Atlantis"
    rows[0][2] = "Pledge"
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(MAIN)
    sheet.write_row(0, 0, KIEL_HEADER)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, [r, row[0], "2024-01-01", *row[2:6], row[6] or 0, row[7]])
    book.close()
    return buffer.getvalue()


def test_a_value_the_map_lacks_or_a_country_unknown_is_a_question_not_a_guess():
    with pytest.raises(LedgerError) as caught:
        read_any(kiel_workbook_with_questions())
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "measure"), (3, "donor")}


def test_a_recognised_table_is_converted_and_checked_in_the_pass_that_peeks_at_it():
    data = kiel_workbook()
    seen = peek(data, most_bytes=10_000_000)
    # the very CSV the command line's conversion makes, from the read that gave the
    # preview: checking it with the mapping recognised reads the workbook no more
    assert seen.recognised == "kiel"
    assert seen.converted is not None and seen.converted.csv == convert(data).csv
    assert peek(data).converted is None  # not asked for: the preview alone
    # larger than a conversion may be: left to the check, which refuses it
    assert peek(data, most_bytes=len(seen.converted.csv) - 1).converted is None


def test_a_long_recognised_table_shows_its_preview_before_it_is_converted(monkeypatch):
    import ledger.reading.intake as intake

    monkeypatch.setattr(intake, "PEEK_CONVERTS_ROWS", len(KIEL_ROWS) - 1)
    seen = peek(kiel_workbook(), most_bytes=10_000_000)
    assert seen.recognised == "kiel" and seen.converted is None


def test_a_recognised_table_that_does_not_read_is_left_to_the_check_that_names_its_problems():
    seen = peek(kiel_workbook_with_questions(), most_bytes=10_000_000)
    assert seen.recognised == "kiel" and seen.converted is None


def test_a_table_nothing_recognises_is_not_converted_while_peeking():
    seen = peek((ROOT / "data/examples/pledges.xlsx").read_bytes(), most_bytes=10_000_000)
    assert seen.recognised is None and seen.converted is None


@pytest.mark.parametrize(("text", "says"), [
    ("{", "not JSON"),
    ('{"version": 2, "columns": {}}', "version must be 1"),
    ('{"version": 1, "rows": "lines", "columns": {}}', "use ledger or entries"),
    ('{"version": 1, "columns": {"colour": {"value": "red"}}}', "not one of our columns"),
    ('{"version": 1, "columns": {"id": {"column": "a"}}}', "not mapped"),
])
def test_a_broken_mapping_says_what_is_wrong(text, says):
    with pytest.raises(LedgerError) as caught:
        parse(text)
    assert any(says in p.message for p in caught.value.problems)


def test_our_csv_round_trips_byte_for_byte_through_a_workbook_and_the_identity_mapping():
    import pandas as pd

    source = ROOT / "data" / "funding.csv"
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, sheet_name="ledger", engine="xlsxwriter")
    converted = convert(buffer.getvalue())
    assert converted.recognised == "ours"
    normalised = io.StringIO()
    csv.writer(normalised, lineterminator="\n").writerows(
        csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    assert converted.csv.decode("utf-8") == normalised.getvalue()
    assert identity(list(frame.columns)).columns["tags"] == {"column": "tags"}


@pytest.mark.parametrize("spec", [
    {"column": 5}, {"columns": "a"}, {"columns": ["a", 3]}, {"column": "a", "values": ["x"]},
    {"column": "a", "values": {"x": ["y"]}}, {"column": "a", "fallback": "b"},
    {"column": "a", "fallback": {"only_if": 1}}, {"column": "a", "match": "regex"},
    {"column": "a", "colour": "red"}, {"value": True},
])
def test_a_mistyped_column_spec_is_a_problem_not_a_crash(spec):
    text = json.dumps({"version": 1, "rows": "ledger", "columns": {
        "id": spec, "kind": {"value": "need"}, "name": {"value": "n"}, "low": {"value": 1},
        "unit": {"value": "EUR"}, "date": {"value": "2025-01-01"}}})
    with pytest.raises(LedgerError) as caught:
        parse(text)
    assert any(p.column == "id" for p in caught.value.problems)


def test_a_correction_larger_than_any_one_entry_is_netted_over_several():
    # Germany's military entries (committed/allocated): kiel-2 900/400, kiel-24 700/700,
    # kiel-3 500/500, with the fixture's −62 and a further −1,000, each netted in one
    # order at both stages, the largest commitment first:
    #   −62:    committed kiel-2 900 → 838;               allocated kiel-2 400 → 338
    #   −1,000: committed kiel-2 838 → 0, kiel-24 → 538;  allocated kiel-2 → 0, kiel-24 → 38
    # allocated 0 + 38 + 500 + 50 (humanitarian) = 588 = 1,588 − 1,000; committed or
    # further, each entry at its furthest: 0 + 538 + 500 + 50 + 300 = 1,388 = 2,388 − 1,000
    # (Kiel's own measures less the correction); no row refused
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(kiel_workbook()))
    sheet = book[MAIN]
    sheet.append([99, "Germany", dt.datetime(2025, 2, 1), "Allocation", "Military",
                  "Correction", -1000e6, -1000e6, 38, ""])
    data = io.BytesIO()
    book.save(data)
    from ledger.rules.donormoney import by_stage, donors_of

    ledger = read_any(data.getvalue())
    donors = by_stage(donors_of(reconcile(ledger))).set_index("key")
    assert donors.loc["DE", "allocated_low"] == pytest.approx(588e6)
    assert donors.loc["DE", "committed_low"] == pytest.approx(1388e6)  # 2,388 − 1,000
    corrected = ledger.frame.set_index("id").loc["kiel-29", "note"]
    assert "netted into" in corrected and "," in corrected.split("netted into")[1]
