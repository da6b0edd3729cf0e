from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ledger.__main__ import main
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA, ROOT


def test_validate_exits_zero_on_the_shipped_ledger(shipped, capsys):
    assert main(["validate", str(shipped)]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_exits_one_with_a_line_per_problem(capsys):
    assert main(["validate", str(DATA / "errors_many.csv")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert "row 4, column unit: 'bn XYZ' — unknown currency XYZ" in err
    assert all(line.startswith("row ") for line in err)


def test_validate_of_a_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv")]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_report_json_has_the_documented_shape(shipped, capsys):
    assert main(["report", str(shipped), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert list(report) == ["currency", "fx", "scenario", "data_version", "totals", "needs",
                            "sources", "industry", "industry_by_category", "years",
                            "stages", "donors", "checks", "instruments", "payer_supplier",
                            "reported",
                            "findings", "link"]
    assert set(report["totals"]) == {"need", "covered", "gap", "surplus", "net_gap", "coverage"}
    assert set(report["industry"][0]) == {"bloc", "amount", "share", "share_of_known"}
    assert set(report["needs"][0]) == {"id", "name", "category", "need", "covered", "gap",
                                       "coverage"}
    assert report["fx"]["mode"] == "date"
    assert [s["stage"] for s in report["stages"]] == ["pledged", "committed", "allocated",
                                                      "disbursed"]
    assert set(report["stages"][0]) == {"stage", "covered", "gap", "coverage"}
    assert set(report["years"][0]) == {"year", "need", "pledged", "committed", "allocated",
                                       "disbursed", "early", "gap", "cumulative_gap"}


def test_report_options_reach_the_scenario(shipped, tmp_path):
    out = tmp_path / "r.json"
    code = main(["report", str(shipped), "--currency", "usd", "--fx-row-date",
                 "--status", "pledged,committed", "--out", str(out)])
    assert code == 0
    report = json.loads(out.read_text())
    assert report["currency"] == "USD"
    assert report["fx"] == {**report["fx"], "mode": "row-date", "date": None}
    assert report["scenario"]["statuses"] == ["pledged", "committed"]
    everything = reconcile(read_ledger(shipped), Scenario(currency="USD", fx_mode="row-date"))
    assert report["totals"]["covered"][1] < everything.totals["covered"][1]


def test_report_csv_has_a_row_per_need_and_a_total(shipped, capsys):
    assert main(["report", str(shipped), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("id,name,category,need_low,need_high,covered_low,covered_high,"
                        "gap_low,gap_high,coverage_low,coverage_high,currency")
    assert lines[-1].startswith("TOTAL,")
    # the seven needs in force (the armament programme and PURL 2026 within the
    # Commission's military needs, RDNA5, RDNA3's 2024 priorities, the budget needs,
    # Ukraine's budget financing of no stated size), and the total
    assert len(lines) == 1 + 7 + 1


def test_report_on_invalid_input_exits_one(capsys):
    assert main(["report", str(DATA / "errors_many.csv")]) == 1


def test_unknown_status_in_the_filter_is_a_clear_error(shipped, capsys):
    assert main(["report", str(shipped), "--status", "promised"]) == 1
    assert "unknown status promised" in capsys.readouterr().err


def test_unknown_reporting_currency_is_a_clear_error(shipped, capsys):
    assert main(["report", str(shipped), "--currency", "XYZ"]) == 1
    assert "XYZ" in capsys.readouterr().err


def test_diff_lists_added_removed_and_changed(tmp_path, shipped, capsys):
    changed = shipped.read_text().replace("Frozen Russian assets (the article's €300 bn),,300",
                                          "Frozen Russian assets (the article's €300 bn),,210")
    changed = changed.replace("frozen-assets-reconstruction", "fra-rebuild")
    other = tmp_path / "b.csv"
    other.write_text(changed)
    assert main(["diff", str(shipped), str(other)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "+ fra-rebuild" in out and "- frozen-assets-reconstruction" in out
    assert "~ frozen-russian-assets: low: '300' → '210'" in out


@pytest.mark.parametrize("args", [["validate"], ["report", "data/funding.csv"]])
def test_the_module_runs_as_a_process(args):
    done = subprocess.run([sys.executable, "-m", "ledger", *args, *(
        ["data/funding.csv"] if args == ["validate"] else [])],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_process_writes_its_whole_report_and_its_exit_code_before_it_leaves():
    # the command leaves without tearing its objects down (ledger.__main__.exit_now):
    # everything written must still arrive, and a failure must still say so
    done = subprocess.run([sys.executable, "-m", "ledger", "report", "data/funding.csv",
                           "--format", "json"], cwd=ROOT, capture_output=True, timeout=60)
    assert done.returncode == 0 and json.loads(done.stdout)["totals"]["gap"]
    bad = subprocess.run([sys.executable, "-m", "ledger", "validate",
                          "tests/data/errors_many.csv"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 1 and "row 6, column status" in bad.stderr


def test_diff_takes_stored_version_ids(capsys):
    from ledger.storage.store import Store

    Store().publish((ROOT / "data" / "examples" / "update-urc.csv").read_bytes())
    assert main(["diff", "1", "v2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["+ urc-2023-london", "+ urc-2024-berlin", "+ urc-2025-rome",
                   "+ urc-2023-london-recovery", "+ urc-2024-berlin-recovery",
                   "+ urc-2025-rome-recovery"]


def test_diff_of_an_unknown_version_is_a_clear_error(capsys):
    assert main(["diff", "1", "99"]) == 1
    assert "no stored version 99" in capsys.readouterr().err
