"""Plotly figure builders: frames in, figures out, no Streamlit.

One colour per bloc across every chart (Okabe–Ito, safe for colour-blind
readers). Text from the ledger is escaped: plotly renders a subset of HTML.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from ledger import intervals as iv
from ledger.formatting import money_range, percent_range
from ledger.insights import (
    european_money_in_us_industry,
    largest_gap,
    leading_industry_by_category,
)
from ledger.reconcile import Reconciliation

BLOC_COLOURS = {
    "Europe": "#0072B2",
    "United States": "#D55E00",
    "Ukraine": "#009E73",
    "Other": "#CC79A7",
    "Unknown": "#999999",
}
NEED_COLOUR = "#56B4E9"
COVERED_COLOUR = "#009E73"
OVER_COLOUR = "#D55E00"
BN = 1e9
FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def safe(text: object) -> str:
    return html.escape(str(text), quote=True)


def _layout(fig: go.Figure, title: str, currency: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=dict(text=safe(title), x=0, xanchor="left", font=dict(size=16)),
        font=FONT, height=height, margin=dict(l=10, r=10, t=60, b=40),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
        plot_bgcolor="white",
    )
    fig.update_xaxes(gridcolor="#eeeeee", zerolinecolor="#bbbbbb")
    fig.update_yaxes(gridcolor="#eeeeee")
    return fig


def _whisker_bar(name: str, labels: list[str], low: pd.Series, high: pd.Series, colour: str,
                 currency: str, horizontal: bool = True, **extra: object) -> go.Bar:
    ranges = [money_range(lo, hi, currency) for lo, hi in zip(low, high, strict=True)]
    error = dict(type="data", symmetric=False, array=((high - low) / BN).tolist(),
                 arrayminus=[0] * len(low), color="#333333", thickness=1.5, width=6)
    values = (low / BN).tolist()
    common = dict(name=name, marker_color=colour, customdata=ranges,
                  hovertemplate="%{customdata}<extra>" + safe(name) + "</extra>", **extra)
    if horizontal:
        return go.Bar(y=labels, x=values, orientation="h", error_x=error, **common)
    return go.Bar(x=labels, y=values, error_y=error, **common)


def coverage_gap(result: Reconciliation) -> go.Figure:
    """Need and covered per need: bars to the low end, whiskers to the high end."""
    needs = result.needs.sort_values("need_high")
    labels = [safe(n) for n in needs["name"]]
    c = result.currency
    fig = go.Figure([
        _whisker_bar("Need", labels, needs["need_low"], needs["need_high"], NEED_COLOUR, c),
        _whisker_bar("Covered", labels, needs["covered_low"], needs["covered_high"],
                     COVERED_COLOUR, c),
    ])
    top = largest_gap(result.needs)
    title = "No needs in this ledger" if top is None else (
        f"{top['name']} has the largest gap: "
        f"{money_range(top['uncovered_low'], top['uncovered_high'], c)}")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"bn {c} (bar: low end, whisker: up to high end)")
    return _layout(fig, title, c, height=max(300, 120 + 70 * len(needs)))


def sources_chart(result: Reconciliation) -> go.Figure:
    sources = result.sources.sort_values("available_high")
    c = result.currency
    labels = [safe(n) + (" ⚠ over-allocated" if o == "yes" else " ⚠ possibly over" if
                         o == "possible" else "")
              for n, o in zip(sources["name"], sources["over_allocated"], strict=True)]
    allocated_colours = [OVER_COLOUR if o != "no" else COVERED_COLOUR
                         for o in sources["over_allocated"]]
    fig = go.Figure([
        _whisker_bar("Available", labels, sources["available_low"], sources["available_high"],
                     NEED_COLOUR, c),
        _whisker_bar("Allocated", labels, sources["allocated_low"], sources["allocated_high"],
                     allocated_colours, c),  # type: ignore[arg-type]
    ])
    over = int((sources["over_allocated"] != "no").sum())
    title = (f"{over} source(s) may be over-allocated" if over else
             "Every source covers what is allocated from it")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"bn {c}")
    return _layout(fig, title, c, height=max(300, 120 + 70 * len(sources)))


def industry_split(result: Reconciliation) -> go.Figure:
    industry = result.industry
    c = result.currency
    bars = [
        _whisker_bar(row.bloc, [safe(row.bloc)], pd.Series([row.amount_low]),
                     pd.Series([row.amount_high]), BLOC_COLOURS.get(row.bloc, "#777777"), c,
                     horizontal=False, showlegend=False)
        for row in industry.itertuples()
    ]
    fig = go.Figure(bars)
    known = industry[industry["bloc"] != "Unknown"]
    unknown = industry[industry["bloc"] == "Unknown"]
    if industry.empty:
        title = "No flows into needs"
    elif known.empty:
        title = "Whose industry gets the orders is not known for any flow"
    else:
        top = known.loc[known["amount_high"].idxmax()]
        title = (f"{top['bloc']} industry gets the largest known share of orders: "
                 f"{percent_range(top['share_low'], top['share_high'])}")
        if not unknown.empty:
            share = percent_range(unknown["share_low"].iloc[0], unknown["share_high"].iloc[0])
            title += f" ({share} to industry not known)"
    fig.update_yaxes(title_text=f"bn {c}")
    return _layout(fig, title, c, height=380)


def _bars_per_industry(frame: pd.DataFrame, bloc_column: str, label_column: str,
                       currency: str, horizontal: bool) -> list[go.Bar]:
    """One whisker bar series per industry bloc, in the bloc's colour."""
    return [_whisker_bar(f"orders to {bloc}", [safe(x) for x in part[label_column]],
                         part["amount_low"], part["amount_high"],
                         BLOC_COLOURS.get(str(bloc), "#777777"), currency, horizontal=horizontal)
            for bloc, part in frame.groupby(bloc_column, sort=True)]


def industry_by_category(result: Reconciliation) -> go.Figure:
    """Per need category, whose industry gets the orders (the article's claim is about
    the armament programme, not about reconstruction)."""
    table = result.industry_by_category
    c = result.currency
    fig = go.Figure(_bars_per_industry(table, "bloc", "category", c, horizontal=True))
    top = leading_industry_by_category(result)
    if table.empty:
        title = "No flows into needs"
    elif top is None:
        title = "Whose industry gets the orders is not known in any category"
    else:
        title = (f"{str(top['category']).capitalize()}: {top['bloc']} industry gets "
                 f"{percent_range(top['share_low'], top['share_high'])} of the orders, "
                 f"{percent_range(top['share_of_known_low'], top['share_of_known_high'])} "
                 f"of those whose industry is known")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=f"bn {c} (bar: low end, whisker: up to high end)")
    return _layout(fig, title, c, height=max(300, 140 + 90 * table["category"].nunique()))


def payer_supplier(result: Reconciliation) -> go.Figure:
    """Grouped bars: who pays (x) and whose industry gets the orders (colour)."""
    c = result.currency
    fig = go.Figure(_bars_per_industry(result.payer_supplier, "industry_bloc", "donor_bloc", c,
                                       horizontal=False))
    eu_us = european_money_in_us_industry(result)
    title = f"European money spent in US industry: {money_range(*eu_us, c)}"
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="who pays (donor bloc)")
    fig.update_yaxes(title_text=f"bn {c}")
    return _layout(fig, title, c, height=400)


def sankey(result: Reconciliation) -> go.Figure:
    """Donor bloc → source → need → industry bloc; widths are range midpoints."""
    c = result.currency
    sources = result.sources
    names = dict(zip(sources["id"], sources["name"], strict=True)) | dict(
        zip(result.needs["id"], result.needs["name"], strict=True))
    need_ids = set(result.needs["id"])
    flows = result.flows.assign(mid=iv.midpoint(result.flows["value_low"],
                                                result.flows["value_high"]))
    nodes: dict[tuple[str, str], int] = {}
    labels: list[str] = []
    colours: list[str] = []

    def node(layer: str, key: str, label: str, colour: str) -> int:
        if (layer, key) not in nodes:
            nodes[(layer, key)] = len(labels)
            labels.append(safe(label))
            colours.append(colour)
        return nodes[(layer, key)]

    link_src, link_dst, link_val, link_col, link_text = [], [], [], [], []

    def link(a: int, b: int, value: float, colour: str, text: str) -> None:
        if value > 0:
            link_src.append(a)
            link_dst.append(b)
            link_val.append(value / BN)
            link_col.append(colour)
            link_text.append(text)

    mix = result.donor_mix
    own = sources.assign(mid=iv.midpoint(sources["own_low"], sources["own_high"]))
    for row in own.itertuples():
        shares = mix.loc[row.id] if row.id in mix.index else pd.Series({"Other": 1.0})
        for bloc, share in shares[shares > 0].items():  # a joint package splits by donor
            colour = BLOC_COLOURS.get(str(bloc), "#777777")
            link(node("donor", str(bloc), f"{bloc} (donor)", colour),
                 node("source", row.id, row.name, "#888888"), row.mid * share,
                 _fade(colour), money_range(row.own_low * share, row.own_high * share, c))
    for row in flows.rename(columns={"from": "origin"}).itertuples():
        from_node = node("source", row.origin, names.get(row.origin, row.origin), "#888888")
        target = row.to
        layer = "need" if target in need_ids else "source"
        to_node = node(layer, target, names.get(target, target),
                       NEED_COLOUR if layer == "need" else "#888888")
        text = money_range(row.value_low, row.value_high, c)
        link(from_node, to_node, row.mid, "rgba(120,120,120,0.35)", text)
        if layer == "need":
            bloc = row.industry_bloc or "Unknown"
            colour = BLOC_COLOURS.get(bloc, "#777777")
            link(to_node, node("industry", bloc, f"{bloc} (industry)", colour), row.mid,
                 _fade(colour), text)
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=labels, color=colours, pad=18, thickness=16),
        link=dict(source=link_src, target=link_dst, value=link_val, color=link_col,
                  customdata=link_text, hovertemplate="%{customdata}<extra></extra>"),
    ))
    return _layout(fig, "Who pays, through which source, for what, and whose industry gets "
                   "the orders", c, height=520)


def _fade(hex_colour: str, alpha: float = 0.45) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


STAGE_COLOURS = {"disbursed": "#009E73", "committed": "#56B4E9", "pledged": "#E69F00",
                 "other statuses": "#BBBBBB"}
STAGE_PATTERNS = {"disbursed": "", "committed": ".", "pledged": "/", "other statuses": "x"}


def years_chart(result: Reconciliation) -> go.Figure:
    """Per year: money by stage, stacked (low ends), against the need falling due
    (a marker with a whisker to its high end); the title states the year that
    lacks most."""
    years = result.years
    c = result.currency
    if years.empty:
        return _layout(go.Figure(), "No dated figures", c)
    labels = [str(int(y)) for y in years["year"]]
    staged = sum(years[f"{stage}_low"] for stage in ("pledged", "committed", "disbursed"))
    low = {stage: years[f"{stage}_low"] for stage in ("pledged", "committed", "disbursed")}
    low["other statuses"] = (years["covered_low"] - staged).clip(lower=0)
    fig = go.Figure([go.Bar(name=stage, x=labels, y=(low[stage] / BN).tolist(),
                            marker_color=STAGE_COLOURS[stage],
                            marker_pattern_shape=STAGE_PATTERNS[stage],
                            hovertemplate="%{y:.1f} bn<extra>" + stage + "</extra>")
                     for stage in ("disbursed", "committed", "pledged", "other statuses")])
    need = go.Scatter(name="need falling due", x=labels, y=(years["need_low"] / BN).tolist(),
                      mode="markers", marker=dict(symbol="diamond", size=11, color="#333333"),
                      error_y=dict(type="data", symmetric=False,
                                   array=((years["need_high"] - years["need_low"]) / BN)
                                   .tolist(), arrayminus=[0] * len(years)),
                      customdata=[money_range(lo, hi, c) for lo, hi in
                                  zip(years["need_low"], years["need_high"], strict=True)],
                      hovertemplate="need %{customdata}<extra></extra>")
    fig.add_trace(need)
    worst = years.loc[years["gap_high"].idxmax()]
    title = (f"{int(worst['year'])} lacks the most: "
             f"{money_range(worst['gap_low'], worst['gap_high'], c)} not covered by money "
             "dated that year")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=f"bn {c} (bars: low ends, by status)")
    return _layout(fig, title, c, height=420)


def gap_history_chart(history: pd.DataFrame, currency: str) -> go.Figure:
    """The total gap as known on each day a row changed it: a step line (low and high
    ends); hovering a step names the rows dated that day."""
    c = currency
    if history.empty:
        return _layout(go.Figure(), "No dated figures", c)
    x = [d.isoformat() for d in history["date"]]
    hover = [f"{safe(r)}<br>{money_range(lo, hi, c)}" for r, lo, hi in
             zip(history["rows"], history["gap_low"], history["gap_high"], strict=True)]
    fig = go.Figure([
        go.Scatter(name="gap, high end", x=x, y=(history["gap_high"] / BN).tolist(),
                   line=dict(shape="hv", color=OVER_COLOUR, dash="dash"), mode="lines",
                   customdata=hover, hovertemplate="%{x}: %{customdata}<extra></extra>"),
        go.Scatter(name="gap, low end", x=x, y=(history["gap_low"] / BN).tolist(),
                   line=dict(shape="hv", color=OVER_COLOUR), mode="lines+markers",
                   customdata=hover, hovertemplate="%{x}: %{customdata}<extra></extra>"),
    ])
    first, last = history.iloc[0], history.iloc[-1]
    title = (f"The gap as known: {money_range(first['gap_low'], first['gap_high'], c)} on "
             f"{first['date']}, {money_range(last['gap_low'], last['gap_high'], c)} on "
             f"{last['date']}")
    fig.update_yaxes(title_text=f"bn {c}")
    return _layout(fig, title, c, height=380)
