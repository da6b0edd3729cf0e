"""App tests through the real widgets (streamlit.testing AppTest)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from ledger.present.formatting import money_range
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario, from_query

from .conftest import DATA, ROOT

PAGES = ["overview", "flows", "sources", "timeline", "table", "data", "reports", "methodology"]
UPDATE = ROOT / "data" / "examples" / "update-urc.csv"


def app(page: str = "overview", query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"ui/pages/{page}.py")
        at.run()
    assert not at.exception, at.exception
    return at


def tables(at: AppTest) -> list:
    """The key tables (ui.widgets.html_table) as frames of their text, unescaped."""
    import html
    from html.parser import HTMLParser

    import pandas as pd

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append(html.unescape("".join(self.cell)))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    found = []
    for element in at.get("html"):
        body = element.proto.body
        if 'class="ledger-table' not in body:
            continue
        parser = Cells()
        parser.feed(body)
        header, *rows = parser.rows
        found.append(pd.DataFrame(rows, columns=header))
    return found


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_totals(scenario: Scenario, path=ROOT / "data" / "funding.csv") -> dict[str, str]:
    result = reconcile(read_ledger(path), scenario)
    return {k: money_range(*v, scenario.currency) for k, v in result.totals.items()}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception_or_error(page):
    at = app(page)
    assert not at.error
    assert at.title[0].value


def test_changing_the_currency_changes_the_metrics_exactly_as_ledger_computes():
    at = app()
    at.selectbox(key="currency").set_value("USD").run()
    shown = metrics(at)
    wanted = expected_totals(Scenario(currency="USD"))
    assert shown["Need"] == wanted["need"] and shown["Gap"] == wanted["gap"]
    assert shown["Need"].startswith("$")
    assert at.query_params["currency"] == "USD"


def test_uploading_the_update_shows_its_diff_and_once_used_changes_the_numbers():
    at = app("data")
    at.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    at.run()
    assert any("6 added, 0 removed, 0 changed" in i.value for i in at.info)
    at.button(key="use_upload").click().run()
    at.switch_page("ui/pages/overview.py")
    at.run()
    assert metrics(at)["Covered"] == expected_totals(Scenario(), UPDATE)["covered"]
    assert metrics(at)["Covered"] != expected_totals(Scenario())["covered"]
    # the armament programme may be over-covered: the Gap is what each need lacks,
    # and the netted figure appears only in the caption
    assert metrics(at)["Gap"] == expected_totals(Scenario(), UPDATE)["gap"]
    assert any("would read " + expected_totals(Scenario(), UPDATE)["net_gap"] in c.value
               for c in at.caption)


def test_uploading_a_broken_file_lists_its_problems_and_keeps_the_numbers():
    at = app("data")
    at.file_uploader(key="upload").set_value(
        ("broken.csv", (DATA / "errors_many.csv").read_bytes(), "text/csv"))
    at.run()
    assert at.error and "cannot be used" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "problem" in d.value.columns)
    assert ("4", "unit") in set(zip(problems["row"], problems["column"], strict=True))
    at.switch_page("ui/pages/overview.py")
    at.run()
    assert metrics(at)["Need"] == expected_totals(Scenario())["need"]


def test_shift_lever_moves_the_industry_split_and_not_the_totals():
    at = app()
    before = metrics(at)
    at.slider(key="shift").set_value(50).run()
    assert metrics(at) == before
    at.switch_page("ui/pages/flows.py")
    at.run()
    shifted = reconcile(read_ledger(ROOT / "data" / "funding.csv"),
                        Scenario(shift_us_to_europe=0.5))
    from ledger.rules.headline import european_money_in_us_industry

    assert at.metric[0].value == money_range(*european_money_in_us_industry(shifted), "EUR")


def test_availability_lever_lowers_coverage_and_not_the_need():
    at = app()
    before = metrics(at)
    at.session_state["availability_open"] = True  # the expander opened
    at.run()
    at.slider(key="avail:frozen-russian-assets").set_value(50).run()
    after = metrics(at)
    assert after["Need"] == before["Need"]
    assert after["Covered"] == expected_totals(
        Scenario(availability=(("frozen-russian-assets", 0.5),)))["covered"]
    assert after["Covered"] != before["Covered"]


def test_availability_sliders_are_drawn_only_while_open_and_keep_their_values():
    at = app()
    assert not [s for s in at.slider if str(s.key).startswith("avail:")]
    at.session_state["availability_open"] = True
    at.run()
    sliders = [s for s in at.slider if str(s.key).startswith("avail:")]
    assert len(sliders) == len(read_ledger(ROOT / "data" / "funding.csv").of_kind("source"))
    at.slider(key="avail:frozen-russian-assets").set_value(50).run()
    lowered = metrics(at)["Covered"]
    at.session_state["availability_open"] = False  # closed: the lever stays where it was
    at.run()
    at.run()
    assert not [s for s in at.slider if str(s.key).startswith("avail:")]
    assert metrics(at)["Covered"] == lowered
    assert "1 changed" in " ".join(e.label for e in at.expander)


def test_status_filter_lever_counts_only_the_chosen_flows():
    at = app()
    at.multiselect(key="statuses").set_value(["committed", "disbursed"]).run()
    narrowed = expected_totals(Scenario(statuses=("committed", "disbursed")))["covered"]
    assert metrics(at)["Covered"] == narrowed != expected_totals(Scenario())["covered"]
    assert metrics(at)["Need"] == expected_totals(Scenario())["need"]


def test_fx_date_lever_revalues_dollar_figures():
    import datetime as dt

    at = app()
    at.date_input(key="fx_date").set_value(dt.date(2025, 8, 18)).run()
    wanted = expected_totals(Scenario(fx_date=dt.date(2025, 8, 18)))
    assert metrics(at)["Need"] == wanted["need"]
    assert at.query_params["on"] == "2025-08-18"


def test_a_shared_link_opens_with_the_same_scenario():
    at = app(query={"currency": "GBP", "shift": "20", "avail": "frozen-russian-assets:50"})
    assert at.selectbox(key="currency").value == "GBP"
    assert at.slider(key="shift").value == 20
    wanted = expected_totals(Scenario(currency="GBP", shift_us_to_europe=0.2,
                                      availability=(("frozen-russian-assets", 0.5),)))
    assert metrics(at)["Covered"] == wanted["covered"]


def test_a_bad_link_is_ignored_with_one_warning_naming_what_was_ignored():
    at = app(query={"currency": "XYZ", "shift": "999"})
    assert at.selectbox(key="currency").value == "EUR"
    [warning] = [w for w in at.sidebar.warning if "link" in w.value]
    shown = warning.value.replace("\\", "")  # as rendered: markdown escapes removed
    assert "2 part(s) of the link" in shown and "XYZ" in shown


def test_two_sessions_never_see_each_others_uploads():
    one = app("data")
    one.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    one.run()
    one.button(key="use_upload").click().run()
    other = app()
    assert metrics(other)["Covered"] == expected_totals(Scenario())["covered"]
    assert any("published version 1" in c.value for c in other.sidebar.caption)


def upload_update(at: AppTest) -> None:
    at.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    at.run()


def test_a_wrong_secret_publishes_nothing_and_the_right_one_publishes(monkeypatch):
    from ledger.storage.store import Store

    monkeypatch.setenv("LEDGER_EDITOR_SECRET", "right-horse-battery")
    at = app("data")
    upload_update(at)
    at.text_input(key="publish_secret").input("wrong")
    at.button(key="publish").click().run()
    assert any("Wrong editor secret" in e.value for e in at.error)
    assert Store().current().id == 1
    at.text_input(key="publish_secret").input("right-horse-battery")
    at.text_input(key="publish_comment").input("December summit")
    at.button(key="publish").click().run()
    assert any("Published as version 2" in s.value for s in at.success)
    newcomer = app()
    assert metrics(newcomer)["Covered"] == expected_totals(Scenario(), UPDATE)["covered"]


def test_without_a_secret_publishing_is_off_and_says_how_to_turn_it_on():
    at = app("data")
    upload_update(at)
    assert any("LEDGER_EDITOR_SECRET" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "publish"]


def test_history_compares_and_restores_versions(monkeypatch):
    from ledger.storage.store import Store

    monkeypatch.setenv("LEDGER_EDITOR_SECRET", "restore-me")
    Store().publish(UPDATE.read_bytes(), "update")
    at = app("data")
    assert any("From version 1 to version 2: 6 added, 0 removed" in m.value
               for m in at.markdown)  # by default the latest against the one before
    at.selectbox(key="history_version_2").set_value(1).run()
    at.text_input(key="restore_secret").input("restore-me")
    at.button(key="restore").click().run()
    assert any("Restored as version 3" in s.value for s in at.success)
    assert Store().current().restored_from == 1


def test_ledger_page_and_excel_ledger_sheet_hold_the_same_values():
    import io

    import openpyxl

    from ledger.present.report import render

    query = {"status": "pledged,committed", "shift": "20"}
    at = app("table", query=query)
    page = at.dataframe[0].value.set_index("id")
    scenario, _ = from_query(query)
    book = openpyxl.load_workbook(io.BytesIO(render(
        reconcile(read_ledger(ROOT / "data" / "funding.csv"), scenario), "xlsx")))
    sheet = list(book["Ledger"].iter_rows(values_only=True))
    header = sheet[0]
    assert len(sheet) - 1 == len(page)
    for row in sheet[1:]:
        shown = page.loc[row[header.index("id")]]
        assert shown["counted"] == row[header.index("counted")]
        cell = row[header.index("value_low")]
        if cell is None:  # a need whose size no one states: empty in both
            assert shown["value_low"] != shown["value_low"]  # NaN
        else:
            assert shown["value_low"] * 1e9 == pytest.approx(cell)
    assert (page["counted"] == "no (status filter)").any()


def test_a_ledger_search_with_no_match_shows_an_empty_table_not_an_error():
    at = app("table")
    at.text_input(key="ledger_search").input("no-row-has-this-text").run()
    assert not at.exception and at.dataframe[0].value.empty
    assert any("0 of " in c.value for c in at.caption)


def test_the_timeline_shows_the_years_and_the_gap_as_known_on_each_day():
    at = app("timeline")
    assert not at.error
    [years] = [t for t in tables(at) if "year" in t.columns
               and "pledged" in t.columns]  # the full table (a phone sees 3 columns)
    # the first money into a need in force is the US ERA share (Dec 2024); RDNA5, the
    # estimate in force, spreads over 2026–2035: every year from 2024 to 2035 has a row
    assert list(years["year"]) == [str(y) for y in range(2024, 2036)]
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # years, and the gap as known on each day
    assert "The gap as known" in charts[1].proto.spec


def test_the_as_of_lever_gives_the_gap_as_it_stood_that_day():
    import datetime as dt

    at = app(query={"asof": "2025-08-18"})
    wanted = expected_totals(Scenario(asof=dt.date(2025, 8, 18)))
    assert metrics(at)["Gap"] == wanted["gap"] != expected_totals(Scenario())["gap"]
    assert at.query_params["asof"] == "2025-08-18"
    at.date_input(key="asof").set_value(None).run()
    assert metrics(at)["Gap"] == expected_totals(Scenario())["gap"]


def test_the_sidebar_states_the_rates_last_day_and_warns_when_they_are_old():
    import datetime as dt

    from ledger.money.fx import staleness
    from ui.caches import rates

    at = app()
    latest = rates().latest_date
    assert any(str(latest) in c.value for c in at.sidebar.caption)
    old = staleness(latest, dt.date.today())
    assert bool(old) == any("until the rates are updated" in w.value
                            for w in at.sidebar.warning)
    # a reader is never told to run a command
    assert not any("python -m" in w.value for w in at.sidebar.warning)


def lead(at: AppTest) -> str:
    """The Overview's main finding, as a reader reads it (its ranges kept whole in
    spans that never break)."""
    import html
    import re

    body = next(h.proto.body for h in at.get("html") if 'class="lead"' in h.proto.body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_the_main_findings_ranges_never_break_across_lines():
    body = next(h.proto.body for h in app().get("html") if 'class="lead"' in h.proto.body)
    assert '<span class="range">€310–386 bn</span>' in body  # the gap, kept on one line


def test_one_click_switches_between_everything_the_record_and_the_article():
    at = app()
    assert lead(at).startswith("Showing everything")
    for part, words in (("record", "Showing the public record only"),
                        ("article", "Showing the article only")):
        at.radio(key="part").set_value(part).run()
        assert lead(at).startswith(words)
        assert metrics(at)["Gap"] == expected_totals(Scenario(part=part))["gap"]
        assert at.query_params["part"] == part
    assert metrics(at)["Gap"] != expected_totals(Scenario())["gap"]


def test_the_overview_lists_the_checks_in_words_and_by_part():
    at = app()
    shown = [t for t in tables(at) if "Outcome" in t.columns
             and "Source" in t.columns]  # the full tables (a phone sees 3 columns)
    assert len(shown) == 2  # the article's figures; the record's own totals
    outcomes = {check: outcome for t in shown
                for check, outcome in zip(t["Published figure"], t["Outcome"], strict=True)}
    assert outcomes["Armament programme as Zelensky clarified it"] == "holds"
    assert outcomes["Russian central-bank assets immobilised in the EU"] == (
        "no: the article says 43 % more than the record")  # €300 bn against €210 bn
    assert any("6 of 16 hold, 10 do not" in c.value for c in at.caption)


def test_the_instrument_filter_and_the_breakdown_on_the_sources_page():
    at = app("sources")
    [table] = [d.value for d in at.dataframe if "instrument" in d.value.columns]
    assert "loans (repaid)" in set(table["instrument"])
    at.multiselect(key="instruments").set_value(["grant", "in-kind"]).run()
    [table] = [d.value for d in at.dataframe if "instrument" in d.value.columns]
    assert set(table["instrument"]) == {"grants", "in kind (equipment, services)"}
    assert at.query_params["instrument"] == "grant,in-kind"


def test_the_sankey_groups_small_sources_until_asked_to_draw_each():
    at = app("flows")
    sankey = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("chart-sankey"))
    assert "14 smaller sources" in sankey.proto.spec
    assert "Not passed on" in sankey.proto.spec
    at.toggle(key="sankey-expand").set_value(True).run()
    sankey = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("chart-sankey"))
    assert "smaller sources" not in sankey.proto.spec


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_workbook_is_mapped_with_a_saved_mapping_and_then_checked_like_any_upload():
    at = app("data")
    at.file_uploader(key="upload").set_value(
        ("pledges.xlsx", (ROOT / "data/examples/pledges.xlsx").read_bytes(), XLSX))
    at.run()
    assert any("Still to map" in w.value for w in at.warning)  # nothing is guessed
    at.file_uploader(key="map_file").set_value(
        ("pledges.json", (ROOT / "data/mappings/pledges.json").read_bytes(),
         "application/json"))
    at.run()
    preview = next(d.value for d in at.dataframe if "from" in d.value.columns)
    assert preview["from"].iloc[0] == "donor-NL"
    at.button(key="map_check").click().run()
    assert not at.exception
    assert any("16 added, 78 removed" in i.value for i in at.info)
    from ledger.reading.intake import convert
    from ledger.reading.mapping import parse

    saved = parse((ROOT / "data/mappings/pledges.json").read_bytes())
    made = convert((ROOT / "data/examples/pledges.xlsx").read_bytes(), mapping=saved).csv
    assert at.session_state["_mapped"][1] == made


def test_a_kiel_workbook_needs_no_mapping_on_the_data_page():
    from .test_mapping import kiel_workbook

    at = app("data")
    at.file_uploader(key="upload").set_value(("Ukraine_Support_Tracker.xlsx",
                                              kiel_workbook(), XLSX))
    at.run()
    assert any("Recognised" in s.value and "Kiel" in s.value for s in at.success)
    at.button(key="map_check").click().run()
    # 27 entries (each committed), 23 of them allocated too, 13 donors (the EU's three
    # institutions apart), 3 aid types
    assert any("66 added" in i.value for i in at.info)
    # the page's mapping makes the same ledger as the command line with no mapping
    from ledger.reading.intake import convert

    assert at.session_state["_mapped"][1] == convert(kiel_workbook()).csv


def test_a_recognised_workbook_is_read_once_and_a_changed_mapping_is_converted_again(
        monkeypatch):
    import ui.mapping_step as step
    from ledger.reading.intake import convert

    from .test_mapping import kiel_workbook

    calls = {"peek": 0, "convert": 0}
    peek, converting = step.peek_untrusted, step.convert_untrusted

    def counted_peek(*args, **kwargs):
        calls["peek"] += 1
        return peek(*args, **kwargs)

    def counted_convert(*args, **kwargs):
        calls["convert"] += 1
        return converting(*args, **kwargs)

    monkeypatch.setattr(step, "peek_untrusted", counted_peek)
    monkeypatch.setattr(step, "convert_untrusted", counted_convert)
    at = app("data")
    at.file_uploader(key="upload").set_value(("Ukraine_Support_Tracker.xlsx",
                                              kiel_workbook(), XLSX))
    at.run()
    at.button(key="map_check").click().run()
    # one worker read the workbook: for the preview, the sheet picker naming the sheet
    # shown, and the check with the mapping recognised
    assert calls == {"peek": 1, "convert": 0}
    assert any("66 added" in i.value for i in at.info)
    assert at.session_state["_mapped"][1] == convert(kiel_workbook()).csv
    # the user changes the mapping (industry: a constant of theirs): converted again
    at.text_input(key="map_const_industry").set_value("EU").run()
    at.button(key="map_check").click().run()
    assert calls == {"peek": 1, "convert": 1}
    flows = read_ledger(at.session_state["_mapped"][1]).of_kind("flow")
    assert (flows["industry"] == "EU").all()


def test_a_csv_whose_columns_are_not_ours_goes_to_the_mapping_step_and_ours_does_not():
    from ui.mapping_step import needs_mapping

    foreign = b"Country;Amount;Date\nGermany;5;2025-01-01\n"
    assert needs_mapping(foreign)
    assert not needs_mapping((ROOT / "data" / "funding.csv").read_bytes())
    assert not needs_mapping(b"notes above the header\n\nid,kind,name\n")
    at = app("data")
    at.file_uploader(key="upload").set_value(("theirs.csv", foreign, "text/csv"))
    at.run()
    assert any("Map your table" in m.value for m in at.markdown)
    assert not at.exception


def test_the_overview_splits_reported_from_assumed_and_says_when_figures_rest_on_assumptions():
    at = app()
    assert any("rest on assumptions" in w.value for w in at.warning)
    covered = next(c.value for c in at.caption if "reported +" in c.value)
    reported = reconcile(read_ledger(ROOT / "data" / "funding.csv"),
                         Scenario(statuses=("estimate", "pledged", "committed", "allocated",
                                            "disbursed")))
    assert covered.startswith(money_range(*reported.totals["covered"], "EUR") + " reported")
    at.radio(key="part").set_value("record").run()
    assert not any("rest on assumptions" in w.value for w in at.warning)


def test_a_banner_names_the_scenario_on_every_page_and_resets_it():
    at = app("flows", query={"currency": "USD", "avail": "frozen-russian-assets:50"})
    banner = next(i.value for i in at.info if i.value.startswith("Scenario"))
    assert "in USD" in banner
    assert "Frozen Russian assets \\(the article's €300 bn\\) 50 % available" in banner
    at.button(key="banner_reset").click().run()
    assert not any(i.value.startswith("Scenario") for i in at.info)


def test_the_link_to_this_view_pins_the_data_version_and_the_rate_date():
    at = app(query={"currency": "GBP"})
    assert not at.sidebar.code  # drawn only while its expander is open
    at.session_state["link_open"] = True
    at.run()
    link = next(c.value for c in at.sidebar.code if "currency=GBP" in c.value)
    result = reconcile(read_ledger(ROOT / "data" / "funding.csv"), Scenario(currency="GBP"))
    assert f"on={result.fx_date}" in link and "v=1" in link


def test_a_link_to_an_older_version_shows_it_and_says_a_newer_one_exists(monkeypatch):
    from ledger.storage.store import Store

    Store().publish(UPDATE.read_bytes(), "update")  # version 2
    at = app(query={"v": "1"})
    assert any("You are looking at version 1; the current one is 2" in i.value
               for i in at.info)
    assert at.query_params["v"] == "1"
    assert metrics(at)["Gap"] == expected_totals(Scenario())["gap"]  # version 1's numbers
    at.button(key="open_current").click().run()
    assert metrics(at)["Gap"] == expected_totals(Scenario(), UPDATE)["gap"]
    missing = app(query={"v": "99"})
    assert any("data version 99 does not exist" in w.value for w in missing.sidebar.warning)


def test_sources_behind_a_chart_are_drawn_once_opened_each_page_a_link_to_its_address():
    import html
    import re

    from ledger.present.citations import address
    from ledger.present.views import references_behind

    at = app()

    def listed() -> str:
        return " ".join(h.proto.body for h in at.get("html") if "references" in h.proto.body)

    assert listed() == ""  # a closed box holds no reference
    at.session_state["sources-open-coverage-gap"] = True
    at.run()
    page = listed()
    assert "Security Guarantees for Ukraine" in page  # the article named in full
    result = reconcile(read_ledger(ROOT / "data" / "funding.csv"))
    cited = {address(r) for r in references_behind(result, "coverage-gap")} - {""}
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)}
    assert hrefs and hrefs <= cited  # every link opens exactly a cited address
    assert "\u2060" not in page  # no invisible joiner breaks a copied address
    assert any(t.value.startswith("Ukraine funding ledger, data version") for t in at.text)
    assert not at.code  # the block to copy from is drawn when its expander opens
    at.session_state["cite_open"] = True
    at.run()
    assert any(c.value.startswith("Ukraine funding ledger, data version") for c in at.code)


def test_use_for_my_session_confirms_and_a_reload_keeps_the_upload_through_its_draft_link():
    at = app("data")
    at.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    at.run()
    added = next(d.value for d in at.dataframe if "amount" in d.value.columns)
    assert added.set_index("id").loc["urc-2025-rome", "amount"] == "€10 bn"
    at.button(key="use_upload").click().run()
    assert any("Now in use for your session" in s.value for s in at.success)
    token = at.query_params["draft"]
    assert len(token) >= 32
    reloaded = app(query={"draft": token})  # a new session, as after a reload
    assert metrics(reloaded)["Gap"] == expected_totals(Scenario(), UPDATE)["gap"]
    gone = app(query={"draft": "not-a-draft"})
    assert any("draft has expired" in w.value for w in gone.sidebar.warning)
    assert metrics(gone)["Gap"] == expected_totals(Scenario())["gap"]


def test_every_chart_carries_its_source_line_for_the_image_it_downloads():
    at = app("flows")
    version = read_ledger(ROOT / "data" / "funding.csv").data_version[:12]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        notes = [a["text"] for a in spec["layout"].get("annotations", [])]
        assert any(n.startswith("Source: Ukraine funding ledger") and version in n
                   for n in notes), chart.proto.id
        assert json.loads(chart.proto.config)["toImageButtonOptions"]["format"] == "png"


def test_a_link_naming_a_source_that_no_longer_exists_says_so():
    at = app(query={"avail": "frozen-assets-old:50,frozen-russian-assets:50"})
    assert any("'frozen-assets-old'" in w.value.replace("\\", "") and "ignored" in w.value
               for w in at.sidebar.warning)
    assert metrics(at)["Covered"] == expected_totals(
        Scenario(availability=(("frozen-russian-assets", 0.5),)))["covered"]


def test_the_first_run_freezes_what_lives_as_long_as_the_server():
    import gc

    from ui import caches

    caches.long_lived_frozen.clear()
    gc.unfreeze()
    try:
        at = app()
        assert not at.exception
        assert gc.get_freeze_count() > 10_000  # modules, classes, plotly's validators
    finally:
        gc.unfreeze()


def test_opening_the_data_page_starts_the_process_that_checks_uploads():
    # the first upload then does not wait about 0.3 s for it to start and load the reader
    from multiprocessing import forkserver

    from ui import caches

    forkserver._forkserver._stop()
    caches.sandbox_warmed.clear()
    app("methodology")
    assert forkserver._forkserver._forkserver_pid is None
    app("data")
    assert forkserver._forkserver._forkserver_pid is not None


def test_a_tracker_that_states_no_need_shows_money_by_stage_and_no_gap_or_coverage():
    # Germany commits 10 + 2 and delivers 6 of the 10; the US commits and delivers 20:
    # committed or further 4 + 6 + 2 + 0 + 20 = 32, allocated or further 26
    at = app("data")
    at.file_uploader(key="upload").set_value(
        ("tracker.csv", (DATA / "tracker.csv").read_bytes(), "text/csv"))
    at.run()
    at.button(key="use_upload").click().run()
    at.switch_page("ui/pages/overview.py")
    at.run()
    assert not at.exception
    shown = metrics(at)
    assert "Gap" not in shown and "Coverage" not in shown
    assert shown["Money recorded"] == "€32 bn"
    assert "states no need" in lead(at)
    page = " ".join(h.proto.body for h in at.get("html"))
    assert "allocated or paid out" in page and "€26 bn" in page
    assert "table-givers" in page and "table-money-by-year" in page
    assert "2025" in page  # the money by year: Germany's and the US's commitments


@pytest.mark.parametrize("upload", ["tracker.csv", "families.csv"])
def test_every_page_draws_a_ledger_of_format_version_3(upload):
    at = app("data")
    at.file_uploader(key="upload").set_value((upload, (DATA / upload).read_bytes(), "text/csv"))
    at.run()
    at.button(key="use_upload").click().run()
    for page in PAGES:
        at.switch_page(f"ui/pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])


def test_the_page_mapping_editor_keeps_the_shipped_kiel_mapping_unchanged():
    # loaded on the Data page and checked without a change, the mapping the page
    # builds says what data/mappings/kiel.json says: every column, the stages and the
    # corrections
    from .test_mapping import kiel_workbook

    at = app("data")
    at.file_uploader(key="upload").set_value(("Ukraine_Support_Tracker.xlsx",
                                              kiel_workbook(), XLSX))
    at.run()
    at.button(key="map_check").click().run()
    assert not at.exception
    built = json.loads(at.session_state["_mapped"][0][2])
    shipped = json.loads((ROOT / "data" / "mappings" / "kiel.json").read_text())
    for part in ("rows", "columns", "stages", "negatives"):
        assert built[part] == shipped[part], part


def test_a_kiel_like_table_with_other_headers_is_mapped_entirely_in_the_page():
    # the shipped Kiel mapping, with the date's column renamed in the page: a table
    # whose date column is "date_announced" maps with no file edited
    import io as _io

    import openpyxl

    from .test_mapping import kiel_workbook

    book = openpyxl.load_workbook(_io.BytesIO(kiel_workbook()))
    book["Bilateral Assistance, MAIN DATA"]["C1"] = "date_announced"
    renamed = _io.BytesIO()
    book.save(renamed)
    at = app("data")
    at.file_uploader(key="upload").set_value(("theirs.xlsx", renamed.getvalue(), XLSX))
    at.run()
    at.file_uploader(key="map_file").set_value(
        ("kiel.json", (ROOT / "data/mappings/kiel.json").read_bytes(), "application/json"))
    at.run()
    spec = json.loads(at.text_area(key="map_json_date").value)
    spec["column"] = "date_announced"
    at.text_area(key="map_json_date").set_value(json.dumps(spec)).run()
    at.button(key="map_check").click().run()
    assert not at.exception
    assert any("added" in i.value for i in at.info), [e.value for e in at.error]


def test_the_checks_say_which_side_says_what_and_why_with_the_record_a_link():
    # the public record's view still compares the article's figures with the record
    at = app(query={"part": "record"})
    page = " ".join(h.proto.body for h in at.get("html") if "table-checks-article" in h.proto.body)
    assert "The article (or the ledger&#x27;s row) says" in page and "The record says" in page
    assert "no: the article says 43 % more than the record" in page  # €300 bn against €210 bn
    assert "Why they differ" in page and "Approximately €210 billion" in page  # the note
    assert 'href="https://sanctionsrussia.org/?p=2300"' in page  # the record's page, a link


def test_a_german_reader_types_dates_as_germans_write_them():
    from ledger.present.formatting import date_input_format, use_locale

    assert use_locale("de-DE") == "de" and date_input_format() == "DD.MM.YYYY"
    assert use_locale("uk-UA") == "uk" and date_input_format() == "DD.MM.YYYY"
    assert use_locale("en-US") == "en" and date_input_format() == "YYYY-MM-DD"


def test_methodology_defines_every_word_a_headline_uses():
    at = app("methodology")
    text = " ".join(m.value for m in at.markdown)
    for word in ("**Gap**", "**Net gap**", "**Surplus**", "**Coverage**", "**Stages**",
                 "**Assumed**", "**Family of needs**", "**Tracker**", "**Europe**",
                 "**Immobilised Russian assets**"):
        assert word in text, word
    europe = text.split("**Europe**", 1)[1].split("**Immobilised", 1)[0]
    assert "Germany" in europe and "Norway" in europe and "United States" not in europe


def test_the_shipped_ledger_saved_by_a_german_spreadsheet_shows_no_change():
    # the same figures in German notation: semicolons, decimal commas, 18.08.2025
    import csv as _csv
    import io as _io

    text = (ROOT / "data" / "funding.csv").read_text(encoding="utf-8")
    rows = list(_csv.DictReader(_io.StringIO(text)))
    out = _io.StringIO()
    writer = _csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
    writer.writeheader()
    for row in rows:
        for column in ("low", "high"):
            row[column] = row[column].replace(".", ",")
        for column in ("date", "end", "published"):
            if row.get(column):
                year, month, day = row[column].split("-")
                row[column] = f"{day}.{month}.{year}"
        writer.writerow(row)
    at = app("data")
    at.file_uploader(key="upload").set_value(("Mappe1.csv", out.getvalue().encode(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("0 added, 0 removed, 0 changed" in i.value for i in at.info), [
        i.value for i in at.info]


def test_the_rows_behind_a_figure_open_the_ledger_filtered_to_exactly_them():
    # European money in US industry, public record only: the PURL packages of European
    # donors, nothing else (Canada's packages are not European money)
    at = app(query={"part": "record"})
    at.switch_page("ui/pages/table.py")
    at.query_params["behind"] = "europe_to_us"  # as the Flows page's link opens it
    at.run()
    shown = at.dataframe[0].value
    assert set(shown["id"]) == {"purl-nl-buys", "purl-nordic-buys", "purl-de-buys",
                                "purl-nb8-buys", "purl-pl-buys", "purl-es-buys",
                                "purl-de-2-buys"}
    assert any("rows behind European money spent in US industry" in i.value for i in at.info)
    assert shown["page"].str.startswith("https://").all()  # each cited page a link
    # a filter by status travels in the link
    at = app()
    at.switch_page("ui/pages/table.py")
    at.query_params["l_status"] = "pledged"
    at.query_params["l_tags"] = "purl"
    at.run()
    shown = at.dataframe[0].value
    assert len(shown) and (shown["status"] == "pledged").all()


def test_a_file_of_rows_to_add_or_update_keeps_every_other_row():
    at = app("data")
    at.radio(key="upload_mode").set_value("rows").run()
    at.file_uploader(key="upload").set_value(
        ("new-rows.csv", (DATA / "rows_to_add.csv").read_bytes(), "text/csv"))
    at.run()
    assert not at.exception
    assert any("2 added, 0 removed, 1 changed" in i.value for i in at.info), [
        i.value for i in at.info]


def test_a_downloaded_chart_names_its_view_and_a_draft_says_it_is_not_published():
    # the public record as known on 31 Dec 2025: the image says so, and the rates' day
    at = app(query={"part": "record", "asof": "2025-12-31"})
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    credit = " ".join(a["text"] for a in spec["layout"]["annotations"]).replace("<br>", " ")
    assert "View: the public record only; as known on 2025-12-31; ECB rates of" in credit
    # an upload in use: "a draft …, not published", never the ledger's name as source
    at = app("data")
    at.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    at.run()
    at.button(key="use_upload").click().run()
    at.switch_page("ui/pages/overview.py")
    at.run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    credit = " ".join(a["text"] for a in spec["layout"]["annotations"]).replace("<br>", " ")
    assert "a draft uploaded to the Ukraine funding ledger, not published" in credit
    assert "Source: Ukraine funding ledger (" not in credit


def test_every_page_says_draft_not_published_while_an_upload_is_in_use():
    at = app("data")
    at.file_uploader(key="upload").set_value(("update.csv", UPDATE.read_bytes(), "text/csv"))
    at.run()
    assert not any("Draft — not published" in w.value for w in at.warning)  # not yet in use
    at.button(key="use_upload").click().run()
    for page in ("ui/pages/overview.py", "ui/pages/flows.py", "ui/pages/timeline.py"):
        at.switch_page(page)
        at.run()
        assert any("Draft — not published" in w.value for w in at.warning), page


def test_a_history_cut_short_by_the_servers_time_says_so_and_is_not_kept(monkeypatch):
    from ui import caches

    monkeypatch.setattr(caches, "HISTORY_SECONDS", 0.0)
    # a view no other test asks for: the server's shared cache holds no history of it
    at = app("timeline", query={"shift": "35", "currency": "CHF"})
    assert not at.exception
    assert any("Only the first 1 of" in i.value for i in at.info)
    monkeypatch.setattr(caches, "HISTORY_SECONDS", 60.0)
    at.run()  # the cut history was not kept: this run computes it whole
    assert not any("Only the first" in i.value for i in at.info)
