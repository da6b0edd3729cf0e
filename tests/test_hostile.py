"""Hostile and messy input: each corpus file in tests/data/bad/ gives its expected
outcome through ledger.reading.schema, the command line and an upload in the app."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from ledger.__main__ import main
from ledger.core.problems import LedgerError
from ledger.reading.schema import read_ledger, validate
from ledger.reading.textfile import MAX_BYTES, MAX_CELL_CHARS, MAX_COLUMNS

from .conftest import DATA, ROOT

BAD = DATA / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
CASES = sorted(EXPECTED)


def test_every_corpus_file_has_an_expected_outcome():
    files = {p.name for p in BAD.iterdir() if p.suffix not in (".py", ".json")}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", CASES)
def test_corpus_file_gives_its_expected_outcome(name):
    expected = EXPECTED[name]
    ledger, problems = validate(BAD / name)
    if expected.get("accepted"):
        assert ledger is not None, [str(p) for p in problems]
        frame = ledger.frame.set_index("id")
        for ident, values in expected["values"].items():
            for column, value in values.items():
                assert frame.loc[ident, column] == value, (ident, column)
        if "warning" in expected:
            assert any(expected["warning"] in w.message for w in problems)
    else:
        assert ledger is None
        assert [[p.row, p.column] for p in problems] == expected["problems"]
        assert all(p.message for p in problems)


@pytest.mark.parametrize("name", CASES)
def test_command_line_exits_zero_or_one_naming_rows_never_a_traceback(name, capsys):
    code = main(["validate", str(BAD / name)])
    err = capsys.readouterr().err
    assert code == (0 if EXPECTED[name].get("accepted") else 1)
    assert "Traceback" not in err
    if code:
        assert err.strip()


def test_command_line_as_a_process_on_binary_input():
    done = subprocess.run([sys.executable, "-m", "ledger", "validate", str(BAD / "binary.png")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("this is a PNG image, not a CSV file")


@pytest.mark.parametrize("name", CASES)
def test_upload_in_the_app_shows_problems_or_a_diff_never_an_exception(name):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/data.py")
    at.run()
    at.file_uploader(key="upload").set_value((name, (BAD / name).read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    if EXPECTED[name].get("accepted"):
        assert any("Compared with what you use now" in i.value for i in at.info)
    else:
        assert any("cannot be used" in e.value for e in at.error)


def test_a_twenty_megabyte_field_is_an_error_naming_its_row(tmp_path):
    path = tmp_path / "huge-field.csv"
    head = "id,kind,name,low,unit,date\n"
    path.write_text(head + "n,need," + "x" * 20_000_000 + ",1,bn EUR,2025-01-02\n")
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    assert caught.value.problems[0].row == 2
    assert f"{MAX_CELL_CHARS:,}" in caught.value.problems[0].message


def test_thousands_of_columns_are_refused(tmp_path):
    names = ["id", "kind", "name", "low", "unit", "date"] + [f"x{i}" for i in range(5000)]
    path = tmp_path / "wide.csv"
    path.write_text(",".join(names) + "\n" + ",".join(["n", "need", "N", "1", "EUR",
                                                       "2025-01-02"] + [""] * 5000) + "\n")
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    assert f"at most {MAX_COLUMNS}" in str(caught.value)


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "too-big.csv"
    with path.open("wb") as handle:  # sparse: nothing is written to disk
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(LedgerError, match="the limit is"):
        read_ledger(path)


FUZZ = settings(max_examples=150, deadline=None,  # the suite's timeout guards a hang
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SHIPPED = (ROOT / "data" / "funding.csv").read_bytes()
MUTATIONS = [b"", b",", b'"', b"\n", b";", b"\r\n", b"-", "–".encode(), b"\x00", b"e9", b"NaN",
             b"\xff", b"bn", b" "]


@pytest.mark.slow
@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_raise_nothing_but_ledger_errors(data):
    try:
        read_ledger(data)
    except LedgerError as exc:
        assert exc.problems


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(SHIPPED)), st.integers(0, 40),
                          st.sampled_from(MUTATIONS)),
                max_size=6))
@pytest.mark.slow
def test_near_valid_files_raise_nothing_but_ledger_errors(edits):
    data = bytearray(SHIPPED)
    for at, cut, insert in edits:
        data[at:at + cut] = insert
    try:
        read_ledger(bytes(data))
    except LedgerError as exc:
        assert exc.problems


def test_streamlit_config_keeps_the_security_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableStaticServing"] is False
    assert config["client"]["showErrorDetails"] in ("none", False)
    assert server["maxUploadSize"] * 1_000_000 >= MAX_BYTES
    assert server["maxUploadSize"] <= 1000


def test_a_served_dashboard_does_not_poll_its_own_source_files():
    # the polling watcher (no watchdog installed) hashed every module several times a
    # second while holding the interpreter; a served dashboard never edits its code
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"


def test_an_excel_workbook_gets_a_hint_to_save_as_csv():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _, problems = validate(buffer.getvalue())
    assert "Excel" in problems[0].message and "save it as CSV" in problems[0].message


def test_too_many_rows_are_refused_on_the_fast_path(monkeypatch):
    from ledger.reading import textfile

    monkeypatch.setattr(textfile, "MAX_ROWS", 2)
    with pytest.raises(LedgerError, match="at most 2"):
        read_ledger((ROOT / "data" / "funding.csv").read_bytes())
