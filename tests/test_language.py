"""The reader's language: every message the code marks is in the German and the
Ukrainian catalogs, translated, with the same placeholders; pages switch with the
link's `lang=`, and numbers follow the language chosen."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from ledger.core import language

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "said": None}


def messages_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("ledger", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    for _line, message, _comments, _context in _extract_file(ROOT / "app.py"):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _extract_file(path: Path):  # type: ignore[no-untyped-def]
    from babel.messages.extract import extract
    with path.open("rb") as handle:
        yield from extract("python", handle, keywords=KEYWORDS)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems_of(po: Path, wanted: set[str]) -> list[str]:
    """What a catalog lacks: a message untranslated, fuzzy or missing; a translation
    whose placeholders differ from the message's."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    held = {m.id: m for m in catalog if m.id}
    problems = []
    for message in sorted(wanted):
        entry = held.get(message)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {message!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
        elif placeholders(str(entry.string)) != placeholders(message):
            problems.append(f"placeholders differ: {message!r} -> {entry.string!r}")
    return problems


@pytest.mark.parametrize("lang", ["de", "uk"])
def test_every_message_of_the_code_is_translated_with_the_same_placeholders(lang):
    wanted = messages_in_code()
    assert len(wanted) > 250  # the extraction found the marked messages
    po = ROOT / "ledger" / "locale" / lang / "LC_MESSAGES" / "messages.po"
    assert problems_of(po, wanted) == []


def test_the_catalog_check_names_a_missing_message_and_a_moved_placeholder(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "{count} rows"\nmsgstr "{anzahl} Zeilen"\n', encoding="utf-8")
    problems = problems_of(po, {"{count} rows", "Gap"})
    assert problems == ["untranslated: 'Gap'",
                        "placeholders differ: '{count} rows' -> '{anzahl} Zeilen'"]


def test_no_message_is_an_f_string_a_translation_could_never_match():
    # _(f"...") would be looked up after formatting: never found in a catalog
    pattern = re.compile(r"\b(?:N?_|said)\(\s*f[\"']")
    offenders = [str(p.relative_to(ROOT)) for folder in ("ledger", "ui")
                 for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_a_message_reads_in_the_language_of_its_context_and_falls_back_to_english():
    import contextvars

    def in_language(tag: str, message: str) -> str:
        language.use_language(tag)
        return language._(message)

    assert contextvars.copy_context().run(in_language, "de-DE", "Gap") == "Lücke"
    assert contextvars.copy_context().run(in_language, "uk_UA", "Gap") == "Розрив"
    assert contextvars.copy_context().run(in_language, "fr-FR", "Gap") == "Gap"
    assert contextvars.copy_context().run(in_language, "de", "not a message") == "not a message"
    assert language._("Gap") == "Gap"  # this context was never set: English


def test_a_headline_in_german_has_german_words_and_german_numbers():
    import contextvars

    from ledger.core.paths import shipped_ledger
    from ledger.present.formatting import use_locale
    from ledger.present.insights import headline
    from ledger.reading.schema import read_ledger
    from ledger.rules.reconcile import reconcile

    result = reconcile(read_ledger(shipped_ledger()))

    def german() -> str:
        language.use_language("de")
        use_locale("de")
        return headline(result)

    sentence = contextvars.copy_context().run(german)
    assert "Bedarfe von" in sentence and "Lücke von" in sentence
    assert "Mrd.\u00a0€" in sentence and "Needs of" not in sentence
    assert headline(result).startswith(("Needs of", "Showing"))  # English outside


def test_the_overview_follows_the_links_language_and_the_switch_keeps_it_in_the_link():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "de"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Überblick"
    assert any(s.value == "Prüfungen: veröffentlichte Summen gegen das Buch"
               for s in at.subheader)
    assert "Lücke" in [m.label for m in at.metric]
    at.selectbox(key="lang").select("uk").run()
    assert at.title[0].value == "Огляд"
    assert at.query_params["lang"] in ("uk", ["uk"])
    at.selectbox(key="lang").select("en").run()
    assert at.title[0].value == "Overview"


def test_no_message_hides_inside_an_f_string_where_extraction_cannot_see_it():
    import io
    import tokenize

    hidden = []
    for path in [ROOT / "app.py", *(ROOT / "ledger").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]:
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
        for token in tokens:
            prefix = re.match(r"[A-Za-z]*", token.string).group(0).lower()  # type: ignore[union-attr]
            if token.type == tokenize.STRING and "f" in prefix and re.search(
                    r"\b(?:N?_|said)\(\s*['\"]", token.string):
                hidden.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert hidden == []


def test_the_html_report_reads_in_the_language_it_is_written_in():
    import contextvars

    from ledger.core.paths import shipped_ledger
    from ledger.present.formatting import use_locale
    from ledger.present.report import render
    from ledger.reading.schema import read_ledger
    from ledger.rules.reconcile import reconcile

    result = reconcile(read_ledger(shipped_ledger()))

    def written(tag: str) -> str:
        language.use_language(tag)
        use_locale(tag)
        return render(result, "html").decode()

    german = contextvars.copy_context().run(written, "de")
    assert '<html lang="de">' in german and "Lückenbericht" in german
    assert "Deckungslücke je Bedarf" in german and "Mrd.\u00a0€" in german
    english = render(result, "html").decode()
    assert '<html lang="en">' in english and "gap report" in english


def test_a_checks_ledger_side_is_reworded_for_the_reader_not_in_the_shared_result():
    import contextvars

    from ledger.present.formatting import use_locale
    from ledger.present.wording import what_words

    def german(what: str) -> str:
        language.use_language("de")
        use_locale("de")
        return what_words(what)

    run = contextvars.copy_context().run
    # the rules write the day as "3 Dec 2025" (English); the reader gets her own notation
    assert run(german, "rows tagged purl dated on or before 3 Dec 2025 sum to") == (
        "ergeben die Zeilen mit Tag purl und Datum bis 03.12.2025")
    assert run(german, "era-eu has available") == "hat era-eu verfügbar"
    assert what_words("era-eu has available") == "era-eu has available"  # English as is


def test_the_excel_reports_summary_reads_in_the_language_it_is_written_in():
    import contextvars
    import io

    import openpyxl

    from ledger.core.paths import shipped_ledger
    from ledger.present.formatting import use_locale
    from ledger.present.report import render
    from ledger.reading.schema import read_ledger
    from ledger.rules.reconcile import reconcile

    result = reconcile(read_ledger(shipped_ledger()))

    def written(tag: str) -> bytes:
        language.use_language(tag)
        use_locale(tag)
        return render(result, "xlsx")

    book = openpyxl.load_workbook(io.BytesIO(contextvars.copy_context().run(written, "uk")))
    summary = [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value]
    assert "Реєстр фінансування України — звіт про розрив" in summary
    assert any("Потреби обсягом" in text for text in summary)  # the main finding
    assert "Розрив" in summary  # the headline figures' labels


def test_a_name_from_the_ledger_is_never_translated_even_when_it_reads_like_a_message():
    import contextvars

    from ledger.present.charts import _node_words

    def german() -> list[str]:
        language.use_language("de")
        return [_node_words("need", "n1", "Gap"), _node_words("source", "s1", "Other"),
                _node_words("donor", "Europe", "Europe (donor)"),
                _node_words("need", "Not passed on", "Not passed on")]

    # a need someone named "Gap" stays "Gap"; our words (a bloc, "not passed on") are German
    assert contextvars.copy_context().run(german) == [
        "Gap", "Other", "Europa (Geber)", "Nicht weitergegeben"]


def test_a_category_on_the_donors_chart_is_never_translated_but_year_unknown_is():
    import contextvars

    import pandas as pd

    from ledger.present.donors import blocs_chart

    # a category someone named "pledged" (one of our words) keeps its name; the axis
    # place for flows without a date is ours and reads German
    table = pd.DataFrame({"bloc": ["Europe", "United States", "Europe"],
                          "category": ["pledged", "pledged", "year unknown"],
                          "amount_low": [1e9, 2e9, 3e9], "amount_high": [1e9, 2e9, 3e9]})

    def german() -> list[list[str]]:
        language.use_language("de")
        return [list(bar.y if bar.orientation == "h" else bar.x)
                for bar in blocs_chart(table, "category", "pledged", "EUR").data]

    assert contextvars.copy_context().run(german) == [["pledged", "Jahr unbekannt"],
                                                      ["pledged"]]


# Problems with a file: worded in English where they are found (in an upload's worker,
# shared by every session), said again in the reader's language where they are shown.

BAD_FILES = sorted(p for p in (ROOT / "tests" / "data" / "bad").iterdir()
                   if p.suffix in (".csv", ".tsv", ".png")) + [
    ROOT / "tests" / "data" / name for name in ("errors_many.csv", "cycle.csv")]


def _german(function, *args):  # type: ignore[no-untyped-def]
    import contextvars

    from ledger.present.formatting import use_locale

    def run():  # type: ignore[no-untyped-def]
        language.use_language("de")
        use_locale("de")
        return function(*args)
    return contextvars.copy_context().run(run)


def test_a_problem_with_a_file_reads_in_german_with_its_row_and_column():
    from ledger.present.wording import problem_line
    from ledger.reading.schema import validate

    # row 2 (the first after the header) has a word for an amount; row 3 a unit with
    # two currencies: each is said in German, the cell's value as it was typed
    data = (b"id,kind,name,category,low,high,unit,date\n"
            b"a,need,A,military,viel,,bn EUR,2025-01-01\n"
            b"b,need,B,military,1,,EUR USD,2025-01-01\n")
    ledger, problems = validate(data)
    assert ledger is None
    lines = [_german(problem_line, p) for p in problems]
    assert lines == ["Zeile 2, Spalte low: 'viel' — keine Zahl",
                     "Zeile 3, Spalte unit: 'EUR USD' — mehr als eine Währung"]
    assert [problem_line(p) for p in problems] == [  # English is as it always was
        "row 2, column low: 'viel' — not a number",
        "row 3, column unit: 'EUR USD' — more than one currency"]


def test_every_problem_the_bad_files_have_is_a_message_the_catalogs_hold():
    from ledger.core.problems import Said
    from ledger.present.wording import said_words
    from ledger.reading.schema import validate

    german = language.catalog("de")
    seen = set()
    for path in BAD_FILES:
        _ledger, problems = validate(path.read_bytes())
        for problem in problems:
            message = problem.message
            assert isinstance(message, Said), f"{path.name}: {message!r} cannot be translated"
            assert message.message in german or not re.search("[a-z]{3}", re.sub(
                r"\{\w+\}", "", message.message)), f"{path.name}: {message.message!r}"
            # a message made of others ("'{value}' — {why}") is translated in its parts
            assert _german(said_words, message) != message, f"{path.name}: {message!r}"
            seen.add(message.message)
    assert len(seen) >= 15  # the corpus reaches many kinds of problem


def test_a_problem_keeps_its_words_through_the_upload_worker_and_numbers_read_german():
    from ledger.core.problems import LedgerError
    from ledger.present.wording import problem_line
    from ledger.reading.sandbox import Limits, read_untrusted

    rows = "".join(f"n{i},need,N,military,1,,bn EUR,2025-01-02\n" for i in range(1_500))
    data = ("id,kind,name,category,low,high,unit,date\n" + rows + "x,y\n").encode()
    with pytest.raises(LedgerError) as caught:
        read_untrusted(data, Limits())
    [problem] = caught.value.problems
    assert _german(problem_line, problem) == (
        "Zeile 1502: hat 2 Zellen, die Kopfzeile aber 8 Spalten")
    big = LedgerError([problem] * 1_001, more=1_500)
    assert _german(problem_line, big.problems[-1]) == "… und 1.501 weitere dieser Art"


def test_the_data_page_lists_a_broken_files_problems_in_the_readers_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "de"
    at.run()
    at.switch_page("ui/pages/data.py")
    at.run()
    at.file_uploader(key="upload").set_value(
        ("kaputt.csv", (ROOT / "tests" / "data" / "errors_many.csv").read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert list(problems.columns) == ["Zeile", "Spalte", "Problem", "Gewicht"]
    assert set(problems["Gewicht"]) == {"Fehler"}
    assert not any(re.search(r"\b(not|missing|unknown|row)\b", text)
                   for text in problems["Problem"]), list(problems["Problem"])


def test_what_a_link_gets_wrong_is_said_in_the_readers_language():
    from ledger.present.wording import said_words
    from ledger.rules.scenario import from_query

    _scenario, notes = from_query({"currency": "XYZ", "asof": "9999-12-31", "shift": "150"})
    assert [_german(said_words, n) for n in notes] == [
        "unbekannte Währung 'XYZ' im Link: EUR wird verwendet",
        "'9999-12-31' im Link liegt außerhalb 1990–2100: jede Zeile zählt",
        "Verschiebung '150' im Link ist kein Prozentsatz von 0 bis 100"]


def test_the_ledger_page_heads_its_columns_and_says_what_counts_in_the_readers_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "de"
    at.query_params["asof"] = "2025-06-01"  # later rows: "nein (nach dem Stichtag)"
    at.run()
    at.switch_page("ui/pages/table.py")
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    counted = set(shown["counted"])  # the frame keeps its field names; the header is German
    assert "ja" in counted and "nein (nach dem Stichtag)" in counted
    assert not {"yes", "no (after the as-of date)"} & counted
    assert at.multiselect(key="ledger_categories").placeholder == "Auswählen"


def test_a_links_wrong_data_version_is_said_in_the_readers_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "de"
    at.query_params["v"] = "abc"
    at.run()
    assert not at.exception
    said = " ".join(w.value for w in at.sidebar.warning)
    assert "'abc' ist keine Datenversion: die aktuelle wird gezeigt" in said.replace("\\", ""), said


def test_the_rates_warning_writes_its_days_as_the_reader_does():
    import datetime as dt

    from ledger.money.fx import staleness
    from ledger.present.wording import said_words

    stale = staleness(dt.date(2026, 10, 30), dt.date(2026, 12, 3))
    assert str(stale).startswith("the exchange rates end on 2026-10-30, 34 days before 2026-12-03")
    assert _german(said_words, stale).startswith(
        "die Wechselkurse enden am 30.10.2026, 34 Tage vor dem 03.12.2026")
