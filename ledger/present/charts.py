"""Plotly figure builders: frames in, figures out, no Streamlit.

One colour per bloc across every chart (Okabe–Ito, safe for colour-blind
readers). Text from the ledger is escaped: plotly renders a subset of HTML.
"""

from __future__ import annotations

import html
import math
import textwrap
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ledger.core.language import N_, _
from ledger.present.formatting import day, money_range, percent_range
from ledger.present.insights import largest_gap, leading_industry_by_category
from ledger.present.sankey import NOT_ALLOCATED, sankey_view
from ledger.rules import intervals as iv
from ledger.rules.headline import european_money_in_us_industry
from ledger.rules.reconcile import Reconciliation
from ledger.rules.stages import STAGES

BLOC_COLOURS = {
    "Europe": "#0072B2",
    "United States": "#D55E00",
    "Ukraine": "#009E73",
    "Other": "#CC79A7",
    "Unknown": "#999999",
    "Immobilised Russian assets": "#E69F00",
}
NEED_COLOUR = "#56B4E9"
COVERED_COLOUR = "#009E73"
OVER_COLOUR = "#D55E00"
BN = 1e9
FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def safe(text: object) -> str:
    return html.escape(str(text), quote=True)


TITLE_CHARS = 44  # a title (the finding) wraps to stay whole on a phone


def title_of(fig: go.Figure) -> str:
    """A chart's title (its finding) as one line of text, for captions and tests."""
    return html.unescape(str(fig.layout.title.text or "")).replace("<br>", " ")


def _layout_spec(title: str, legend_entries: int, height: int = 420) -> dict[str, Any]:
    """The layout every chart shares, as plotly's own JSON. The legend sits between
    the title and the plot: room for as many rows as it needs (about three entries a
    row at the dashboard's width), never over the title. Margins grow to the tick
    labels whatever template a process has made the default (importing streamlit
    changes plotly's), so no label is ever cut."""
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    top = 60 + 24 * max(0, math.ceil(legend_entries / 3) - 1) + 20 * (len(lines) - 1)
    return {
        "title": {"text": "<br>".join(safe(line) for line in lines), "x": 0,
                  "xanchor": "left", "font": {"size": 16}, "y": 1.0, "yref": "container",
                  "yanchor": "top", "pad": {"t": 12}},
        "font": dict(FONT), "height": height + top - 60,
        "margin": {"l": 10, "r": 10, "t": top, "b": 40},
        # left-aligned: the chart's toolbar sits at the top right and would cover the
        # first entry of a right-aligned legend
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left",
                   "x": 0},
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": "#eeeeee", "zerolinecolor": "#bbbbbb", "automargin": True},
        "yaxis": {"gridcolor": "#eeeeee", "automargin": True},
    }


def built_figure(traces: list[dict[str, Any]], layout: dict[str, Any], title: str,
                 height: int) -> go.Figure:
    """A figure from plotly's JSON, built without plotly's per-property checks
    (tests/test_charts.py checks every such figure is valid and unchanged when
    checked): built property by property, checking took most of a chart's time."""
    entries = sum(trace.get("type") != "sankey" and trace.get("showlegend") is not False
                  for trace in traces)
    spec = _layout_spec(title, entries, height)
    for axis in ("xaxis", "yaxis"):
        spec[axis] |= layout.pop(axis, {})
    return go.Figure({"data": traces, "layout": spec | layout}, _validate=False)


CREDIT_CHARS = 62  # a credit line's most characters: 10 px type across a phone's plot
ROW_HEIGHT = 80  # px a horizontal bar chart gives each row (a need, a source)
BAR_GAP = 0.55  # of a row, left free above the bars for the row's name (two lines)


def names_above_bars(figure: go.Figure, labels: list[str]) -> go.Figure:
    """Each row's name written above its bars across the plot's whole width, not as a
    tick label at its left: on a phone a column of long names left the bars a sliver
    (the coverage chart's plot was 159 px of 390). The rows stay categories of the y
    axis, so hover and the data are unchanged."""
    figure.update_yaxes(showticklabels=False)
    figure.update_layout(bargap=BAR_GAP, margin=dict(l=10))
    for label in labels:
        figure.add_annotation(x=0, xref="paper", y=label, yref="y", xanchor="left",
                              yanchor="bottom", yshift=ROW_HEIGHT * (1 - BAR_GAP) / 2 + 1,
                              text=label, showarrow=False, align="left",
                              font=dict(size=12, color="#1f2933"))
    return figure


def credited(figure: go.Figure, text: str) -> go.Figure:
    """The chart with `text` (its credit lines) printed under it, inside the figure, so
    an image of it (the toolbar's camera, the static site's PNG and SVG) carries its
    source, data version and view. Changes `figure` itself (each is built for one
    draw): copying it took longer than building it."""
    # lines short enough for a phone's width (a long one was cut at the right edge)
    text = "\n".join(piece for line in text.splitlines()
                     for piece in textwrap.wrap(line, CREDIT_CHARS) or [""])
    extra = 18 * len(text.splitlines()) + 14  # every line of the credit inside the image
    bottom = (figure.layout.margin.b or 40) + extra
    figure.update_layout(margin=dict(b=bottom), height=(figure.layout.height or 420) + extra)
    figure.add_annotation(text="<br>".join(html.escape(line) for line in text.splitlines()),
                          xref="paper", yref="paper", x=0, y=0,
                          xanchor="left", yanchor="top", yshift=-(bottom - extra + 8),
                          showarrow=False, font=dict(size=10, color="#4B5563"), align="left")
    return figure


def axis_unit(currency: str) -> str:
    """An amount axis's unit in the reader's words ("bn EUR", "Mrd. EUR")."""
    return _("bn {currency}").format(currency=currency)


def whisker_axis(currency: str) -> str:
    return _("{unit} (bar: low, whisker: high)").format(unit=axis_unit(currency))


def whisker_spec(name: str, labels: list[str], low: pd.Series, high: pd.Series,
                 colour: str | list[str], currency: str, horizontal: bool = True,
                 **extra: object) -> dict[str, Any]:
    """A bar to the low end with a whisker to the high end, as plotly's JSON."""
    ranges = [money_range(lo, hi, currency) for lo, hi in zip(low, high, strict=True)]
    error = {"type": "data", "symmetric": False, "array": ((high - low) / BN).tolist(),
             "arrayminus": [0] * len(low), "color": "#333333", "thickness": 1.5, "width": 6}
    values = (low / BN).tolist()
    spec: dict[str, Any] = {"type": "bar", "name": name, "marker": {"color": colour},
                            "customdata": ranges,
                            "hovertemplate": "%{customdata}<extra>" + safe(name) + "</extra>"}
    if horizontal:
        spec |= {"y": labels, "x": values, "orientation": "h", "error_x": error}
    else:
        spec |= {"x": labels, "y": values, "error_y": error}
    return spec | extra


def coverage_gap(result: Reconciliation, reported: Reconciliation | None = None
                 ) -> go.Figure:
    """Need and covered per need: bars to the low end, whiskers to the high end. With
    `reported` (the view without assumptions), covered is split: what is reported
    solid, what is assumed hatched on top of it."""
    needs = result.needs.sort_values("need_high")
    # a long need's name on two lines, so a phone keeps room for the bars
    labels = [_two_lines(safe(n), longest=48) for n in needs["name"]]
    c = result.currency
    bars = [whisker_spec(_("Need"), labels, needs["need_low"], needs["need_high"], NEED_COLOUR,
                         c, offsetgroup="need")]
    if reported is not None and reported is not result:
        own = reported.needs.set_index("id").reindex(needs["id"])
        base = own["covered_low"].fillna(0.0).to_numpy()
        assumed_low = (needs["covered_low"].to_numpy() - base).clip(min=0)
        bars.append({
            "type": "bar", "y": labels, "x": (base / BN).tolist(), "orientation": "h",
            "name": _("Covered, reported"), "marker": {"color": COVERED_COLOUR},
            "offsetgroup": "covered",
            "customdata": [money_range(lo, hi, c) for lo, hi in zip(
                own["covered_low"].fillna(0.0), own["covered_high"].fillna(0.0),
                strict=True)],
            "hovertemplate": "%{customdata}<extra>" + _("reported") + "</extra>"})
        assumed = whisker_spec(_("Covered, assumed"), labels,
                               pd.Series(needs["covered_low"].to_numpy()),
                               pd.Series(needs["covered_high"].to_numpy()), "#FFFFFF", c,
                               offsetgroup="covered")
        assumed |= {"x": (assumed_low / BN).tolist(), "base": (base / BN).tolist(),
                    "marker": {"color": "#FFFFFF",
                               "line": {"color": COVERED_COLOUR, "width": 1.5},
                               "pattern": {"shape": "/", "fgcolor": COVERED_COLOUR}}}
        bars.append(assumed)
    else:
        bars.append(whisker_spec(_("Covered"), labels, needs["covered_low"],
                                 needs["covered_high"], COVERED_COLOUR, c,
                                 offsetgroup="covered"))
    top = largest_gap(result.needs)
    title = _("No needs in this ledger") if result.needs.empty else (
        _money_per_aim_title(result) if top is None else
        _("{need} has the largest gap: {gap}").format(
            need=top["name"], gap=money_range(top["uncovered_low"], top["uncovered_high"], c)))
    return names_above_bars(built_figure(bars, {"barmode": "group",
                                                "xaxis": {"title": {"text": whisker_axis(c)}}},
                                         title, height=max(300, 120 + ROW_HEIGHT * len(needs))),
                            labels)


def _money_per_aim_title(result: Reconciliation) -> str:
    """A ledger that states no need: which aim receives the most, and that no gap is
    stated."""
    needs = result.needs
    top = needs.loc[needs["covered_high"].idxmax()]
    return _("{aim} receives the most: {amount}; no need is stated, so no gap").format(
        aim=top["name"],
        amount=money_range(top["covered_low"], top["covered_high"], result.currency))


LOG_SPAN = 100  # largest / smallest source from which the Sources chart uses a log axis


def sources_chart(result: Reconciliation, reported: Reconciliation | None = None
                  ) -> go.Figure:
    """Available against allocated per source. An assumed source, and an allocation
    that is (partly) assumed, are hatched and say so in their label."""
    sources = result.sources.sort_values("available_high")
    c = result.currency
    frame = result.valued.frame
    assumed_source = set(frame.loc[(frame["kind"] == "source").to_numpy()
                                   & (frame["status"] == "assumption").to_numpy(), "id"])
    other = _other(result, reported, "sources")
    real = (other.set_index("id")["allocated_high"].reindex(sources["id"]).fillna(0.0)
            .to_numpy() if other is not None else sources["allocated_high"].to_numpy())
    allocated = sources["allocated_high"].to_numpy()
    share_assumed = [0.0 if a <= 0 else max(0.0, 1 - r / a) for a, r in zip(
        allocated, real, strict=True)]
    labels = [safe(n) + (" " + _("(assumed)") if sid in assumed_source else "")
              + (" ⚠ " + _("passes on more than it has") if o == "yes" else
                 " ⚠ " + _("may pass on more") if o == "possible" else "")
              for n, sid, o in zip(sources["name"], sources["id"], sources["over_allocated"],
                                   strict=True)]
    allocated_colours = [OVER_COLOUR if o != "no" else COVERED_COLOUR
                         for o in sources["over_allocated"]]
    available = whisker_spec(_("Available"), labels, sources["available_low"],
                             sources["available_high"], NEED_COLOUR, c)
    given = whisker_spec(_("Passed on"), labels, sources["allocated_low"],
                         sources["allocated_high"], allocated_colours, c)
    available["marker"] |= {"pattern": {
        "shape": ["/" if sid in assumed_source else "" for sid in sources["id"]],
        "fgcolor": "#FFFFFF"}}
    given["marker"] |= {"pattern": {"shape": ["/" if s > 1e-9 else "" for s in share_assumed],
                                    "fgcolor": "#FFFFFF"}}
    given["customdata"] = [r + (", " + _("assumed") if s > 0.999 else
                                ", " + _("partly assumed") if s > 1e-9 else "")
                           for r, s in zip(given["customdata"], share_assumed, strict=True)]
    traces = [available, given]
    if any(s > 1e-9 for s in share_assumed) or assumed_source:
        traces.append({"type": "bar", "x": [None], "y": [None], "orientation": "h",
                       "name": _("hatched: assumed"),
                       "marker": {"color": "#FFFFFF", "line": {"color": "#555555", "width": 1},
                                  "pattern": {"shape": "/", "fgcolor": "#555555"}}})
    over = int((sources["over_allocated"] != "no").sum())
    title = (_("{count} source(s) may pass on more than they have").format(count=over)
             if over else _("Every source has what it passes on"))
    xaxis: dict[str, Any] = {"title": {"text": axis_unit(c)}}
    positive = sources["available_low"][sources["available_low"] > 0]
    if len(positive) and positive.max() / positive.min() >= LOG_SPAN:
        # magnitudes three orders apart: on a linear axis the small sources vanish
        xaxis = {"type": "log", "title": {"text": _("{unit}, log scale").format(
            unit=axis_unit(c))}}
        title += " " + _("(log scale)")
    return names_above_bars(built_figure(traces, {"barmode": "group", "xaxis": xaxis}, title,
                                         height=max(300, 120 + ROW_HEIGHT * len(sources))),
                            labels)


NOT_RECORDED = N_("Whose industry gets the orders is not recorded in this ledger: no flow "
                  "names a supplier's country")


def industry_recorded(result: Reconciliation) -> bool:
    """Whether any flow into a need says whose industry gets the orders (a tracker
    such as Kiel's records none: its industry charts draw no empty bars)."""
    return bool((result.industry["bloc"] != "Unknown").any()) if len(result.industry) else False


def industry_split(result: Reconciliation, reported: Reconciliation | None = None
                   ) -> go.Figure:
    """Whose industry gets the orders, all categories; assumed money hatched."""
    industry = result.industry
    c = result.currency
    if len(industry) and not industry_recorded(result):
        return built_figure([], {}, NOT_RECORDED, height=160)
    other = _other(result, reported, "industry")
    if other is None:
        bars = [
            whisker_spec(row.bloc, [safe(row.bloc)], pd.Series([row.amount_low]),
                         pd.Series([row.amount_high]), BLOC_COLOURS.get(row.bloc, "#777777"),
                         c, horizontal=False, showlegend=False)
            for row in industry.itertuples()
        ]
    else:
        bars = _bars_per_industry(industry.assign(where=industry["bloc"]), "bloc", "where", c,
                                  horizontal=False, reported=other.assign(where=other["bloc"]))
        for bar in bars:  # one bloc per place: the reported and assumed parts overlay
            bar.pop("offsetgroup", None)
    known = industry[industry["bloc"] != "Unknown"]
    unknown = industry[industry["bloc"] == "Unknown"]
    if industry.empty:
        title = _("No flows into needs")
    elif known.empty:
        title = _("Whose industry gets the orders is not known for any flow")
    else:
        top = known.loc[known["amount_high"].idxmax()]
        title = _("{bloc} industry gets the largest known share of orders: {share}").format(
            bloc=_(str(top["bloc"])), share=percent_range(top["share_low"], top["share_high"]))
        if not unknown.empty:
            share = percent_range(unknown["share_low"].iloc[0], unknown["share_high"].iloc[0])
            title += " " + _("({share} to industry not known)").format(share=share)
    return built_figure(bars, {"barmode": "overlay", "yaxis": {"title": {"text": axis_unit(c)}}},
                        title, height=380)


def _two_lines(label: str, longest: int = 14) -> str:
    """A long label under a bar on two lines, broken at the space nearest its middle
    (a narrow page or a printed report cuts a long one-line label)."""
    if len(label) <= longest or " " not in label:
        return label
    middle = len(label) // 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return f"{label[:cut]}<br>{label[cut + 1:]}"


def _bars_per_industry(frame: pd.DataFrame, bloc_column: str, label_column: str,
                       currency: str, horizontal: bool,
                       reported: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """One whisker bar series per industry bloc, in the bloc's colour. With
    `reported` (the same table counting no assumption), each bar is split: what is
    reported solid, what is assumed hatched on top, with its own legend entry."""
    bars = []
    for bloc, part in frame.groupby(bloc_column, sort=True):
        colour = BLOC_COLOURS.get(str(bloc), "#777777")
        orders = _("orders to {bloc}").format(bloc=_(str(bloc)))
        labels = [safe(x) if horizontal else _two_lines(safe(x)) for x in part[label_column]]
        if reported is None:
            bars.append(whisker_spec(orders, labels, part["amount_low"],
                                     part["amount_high"], colour, currency,
                                     horizontal=horizontal))
            continue
        own = reported[reported[bloc_column] == bloc].set_index(label_column).reindex(
            part[label_column])
        base = own["amount_low"].fillna(0.0).to_numpy()
        extra = (part["amount_low"].to_numpy() - base).clip(min=0)
        solid = {"type": "bar", "name": orders,
                 "marker": {"color": colour},
                 "offsetgroup": str(bloc),
                 "customdata": [money_range(lo, hi, currency) for lo, hi in zip(
                     own["amount_low"].fillna(0.0), own["amount_high"].fillna(0.0),
                     strict=True)],
                 "hovertemplate": "%{customdata}<extra>" + _("reported") + "</extra>",
                 **({"y": labels, "x": (base / BN).tolist(), "orientation": "h"}
                    if horizontal else {"x": labels, "y": (base / BN).tolist()})}
        hatched = whisker_spec(_("orders to {bloc}, assumed").format(bloc=_(str(bloc))),
                               labels,
                               pd.Series(part["amount_low"].to_numpy()),
                               pd.Series(part["amount_high"].to_numpy()), "#FFFFFF", currency,
                               horizontal=horizontal, offsetgroup=str(bloc))
        hatched |= {"base": (base / BN).tolist(),
                    "marker": {"color": "#FFFFFF", "line": {"color": colour, "width": 1.5},
                               "pattern": {"shape": "/", "fgcolor": colour}},
                    "x" if horizontal else "y": (extra / BN).tolist()}
        bars += [solid, hatched] if extra.any() else [whisker_spec(
            orders, labels, part["amount_low"], part["amount_high"], colour,
            currency, horizontal=horizontal, offsetgroup=str(bloc))]
    return bars


def industry_by_category(result: Reconciliation, reported: Reconciliation | None = None
                         ) -> go.Figure:
    """Per need category, whose industry gets the orders (the article's claim is about
    the armament programme, not about reconstruction); assumed money hatched."""
    table = result.industry_by_category
    c = result.currency
    if len(table) and not industry_recorded(result):
        return built_figure([], {}, _(NOT_RECORDED), height=160)
    bars = _bars_per_industry(table, "bloc", "category", c, horizontal=True,
                              reported=_other(result, reported, "industry_by_category"))
    top = leading_industry_by_category(result)
    if table.empty:
        title = _("No flows into needs")
    elif top is None:
        title = _("Whose industry gets the orders is not known in any category")
    else:
        title = _("{category}: {bloc} industry gets {share} of the orders, {known} of those "
                  "whose industry is known").format(
            category=str(top["category"]).capitalize(), bloc=_(str(top["bloc"])),
            share=percent_range(top["share_low"], top["share_high"]),
            known=percent_range(top["share_of_known_low"], top["share_of_known_high"]))
    return built_figure(bars, {"barmode": "group",
                               "xaxis": {"title": {"text": whisker_axis(c)}}},
                        title, height=max(300, 140 + 90 * table["category"].nunique()))


def _other(result: Reconciliation, reported: Reconciliation | None,
           table: str) -> pd.DataFrame | None:
    """The reported view's table, when it differs from the view's."""
    if reported is None or reported is result:
        return None
    frame: pd.DataFrame = getattr(reported, table)
    return frame


def payer_supplier(result: Reconciliation, reported: Reconciliation | None = None
                   ) -> go.Figure:
    """Grouped bars: who pays (x) and whose industry gets the orders (colour);
    assumed money hatched."""
    c = result.currency
    bars = _bars_per_industry(result.payer_supplier, "industry_bloc", "donor_bloc", c,
                              horizontal=False,
                              reported=_other(result, reported, "payer_supplier"))
    eu_us = european_money_in_us_industry(result)
    title = _("European money spent in US industry: {amount}").format(
        amount=money_range(*eu_us, c))
    return built_figure(bars, {"barmode": "group",
                               "xaxis": {"title": {"text": _("who pays (donor bloc)")}},
                               "yaxis": {"title": {"text": axis_unit(c), "standoff": 2}}}, title,
                        height=400)


COLUMNS_X = {"donor": 0.001, "source": 0.28, "need": 0.56, "industry": 0.999}
LABEL_CHARS = 28  # a longer name is cut (in full on hover) so labels keep to their column
NODE_COLOURS = {"source": "#888888", "need": NEED_COLOUR}
LINK_COLOURS = {"flow": "rgba(120,120,120,0.35)", "spare": "rgba(200,200,200,0.5)"}


def sankey(result: Reconciliation, expand: bool = False,
           reported: Reconciliation | None = None) -> go.Figure:
    """Donor bloc → source → need (or "not allocated") → industry bloc, as
    `present.sankey.sankey_view` builds it; widths are range midpoints. Beyond the
    SANKEY_SHOWN largest sources the rest share one node unless `expand`; columns are
    fixed so no label sits over another. With `reported` (the view counting no
    assumption), the assumed part of each flow is its own band, named "assumed" on
    hover (plotly draws no pattern on a band)."""
    view = sankey_view(result, expand, reported)
    nodes, links = view.nodes, view.links
    words = [_node_words(layer, key, label) for layer, key, label in zip(
        nodes["layer"], nodes["key"], nodes["label"], strict=True)]
    full = [safe(label) for label in words]
    labels = [safe(label if len(label) <= LABEL_CHARS
                   else label[:LABEL_CHARS - 1].rstrip() + "…") for label in words]
    colours = [_node_colour(layer, key) for layer, key in zip(nodes["layer"], nodes["key"],
                                                             strict=True)]
    link_colours = [LINK_COLOURS.get(kind) or _fade(BLOC_COLOURS.get(bloc, "#777777"))
                    for kind, bloc in zip(links["kind"], links["bloc"], strict=True)]
    mids = (iv.midpoint(links["low"], links["high"]) / BN).tolist()
    layers = nodes["layer"].tolist()
    per_column = max((layers.count(layer) for layer in COLUMNS_X), default=1)
    height = max(520, 380 + 20 * per_column)
    x, y = _sankey_positions(layers, links["source"].tolist(), links["target"].tolist(), mids,
                             set(nodes.index[nodes["key"] == NOT_ALLOCATED]),
                             gap=20 / (height - 100))
    diagram = {
        "type": "sankey", "arrangement": "fixed",
        "node": {"label": labels, "color": colours, "pad": 14, "thickness": 16, "x": x,
                 "y": y, "customdata": full, "hovertemplate": "%{customdata}<extra></extra>"},
        "link": {"source": links["source"].tolist(), "target": links["target"].tolist(),
                 "value": mids, "color": link_colours,
                 "customdata": [money_range(lo, hi, result.currency)
                                + (", " + _("assumed") if a else "")
                                for lo, hi, a in zip(links["low"], links["high"],
                                                     links["assumed"], strict=True)],
                 "hovertemplate": "%{customdata}<extra></extra>"},
    }
    title = _("Who pays, through which source, for what, and whose industry gets the orders")
    if view.grouped:
        title += " " + _("({count} smaller sources drawn together)").format(
            count=len(view.grouped))
    if links["assumed"].any():
        title += "; " + _("each flow's assumed part is its own band, named on hover")
    return built_figure([diagram], {}, title, height=height)


def _node_words(layer: str, key: str, label: str) -> str:
    """A node's label in the reader's words where the words are ours (a bloc, "not
    passed on"); a source's or a need's name stays as the ledger writes it."""
    if key == NOT_ALLOCATED:
        return _(NOT_ALLOCATED)
    if layer == "donor":
        return _("{bloc} (donor)").format(bloc=_(key))
    if layer == "industry":
        return _("{bloc} (industry)").format(bloc=_(key))
    return label


def _node_colour(layer: str, key: str) -> str:
    if key == NOT_ALLOCATED:
        return "#CCCCCC"
    if layer in NODE_COLOURS:
        return NODE_COLOURS[layer]
    return BLOC_COLOURS.get(key, "#777777")


def _sankey_positions(layers: list[str], a: list[int], b: list[int], widths: list[float],
                      last: set[int], gap: float) -> tuple[list[float], list[float]]:
    """Each node's column by its layer, and its place in the column: largest first
    (the nodes in `last` at the bottom), stacked by size with a gap, centres in (0, 1)."""
    out = [0.0] * len(layers)
    into = [0.0] * len(layers)
    for i, j, w in zip(a, b, widths, strict=True):
        out[i] += w
        into[j] += w
    size = [max(o, n) for o, n in zip(out, into, strict=True)]
    x = [COLUMNS_X[layer] for layer in layers]
    y = [0.5] * len(layers)
    for layer in COLUMNS_X:
        members = sorted((k for k, kind in enumerate(layers) if kind == layer),
                         key=lambda k: (k in last, -size[k]))
        total = sum(size[k] for k in members) or 1.0
        room = max(0.1, 1.0 - gap * (len(members) - 1))
        top = 0.0
        for k in members:
            share = size[k] / total * room
            y[k] = min(max(top + share / 2, 0.001), 0.999)
            top += share + gap
    return x, y


def _fade(hex_colour: str, alpha: float = 0.45) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


STAGE_COLOURS = {"disbursed": "#009E73", "allocated": "#0072B2", "committed": "#56B4E9",
                 "pledged": "#E69F00", "assumed or estimated": "#BBBBBB"}
# hatching ("/") means assumed everywhere, as on the coverage and sources charts
STAGE_PATTERNS = {"disbursed": "", "allocated": "+", "committed": ".", "pledged": "-",
                  "assumed or estimated": "/"}
STAGE_ORDER = STAGES


def years_chart(result: Reconciliation) -> go.Figure:
    """Per year: money by stage, stacked (low ends), against the need falling due
    (a marker with a whisker to its high end); the title states the year that
    lacks most."""
    years = result.years
    c = result.currency
    if years.empty:
        return built_figure([], {}, _("No dated figures"), height=420)
    labels = [str(int(y)) for y in years["year"]]
    staged = sum(years[f"{stage}_low"] for stage in STAGE_ORDER)
    low = {stage: years[f"{stage}_low"] for stage in STAGE_ORDER}
    low["assumed or estimated"] = (years["covered_low"] - staged).clip(lower=0)
    traces: list[dict[str, Any]] = [
        {"type": "bar", "name": _(stage), "x": labels, "y": (low[stage] / BN).tolist(),
         "marker": {"color": STAGE_COLOURS[stage], "pattern": {"shape": STAGE_PATTERNS[stage]}},
         "hovertemplate": "%{y:.1f} " + _("bn") + "<extra>" + _(stage) + "</extra>"}
        for stage in ("disbursed", "allocated", "committed", "pledged", "assumed or estimated")]
    traces.append({
        "type": "scatter", "name": _("need falling due"), "x": labels,
        "y": (years["need_low"] / BN).tolist(), "mode": "markers",
        "marker": {"symbol": "diamond", "size": 11, "color": "#333333"},
        "error_y": {"type": "data", "symmetric": False,
                    "array": ((years["need_high"] - years["need_low"]) / BN).tolist(),
                    "arrayminus": [0] * len(years)},
        "customdata": [money_range(lo, hi, c) for lo, hi in
                       zip(years["need_low"], years["need_high"], strict=True)],
        "hovertemplate": _("need") + " %{customdata}<extra></extra>"})
    if years["gap_high"].isna().all():  # no need is stated: money by year alone
        busiest = years.loc[years["covered_high"].idxmax()]
        title = _("{year} records the most money: {amount}; no need is stated, so no "
                  "gap").format(year=int(busiest["year"]), amount=money_range(
                      busiest["covered_low"], busiest["covered_high"], c))
    else:
        worst = years.loc[years["gap_high"].idxmax()]
        title = _("{year} lacks the most: {amount} not covered by money dated that "
                  "year").format(year=int(worst["year"]),
                                 amount=money_range(worst["gap_low"], worst["gap_high"], c))
    # room above the tallest bar or whisker: a bar that reached the plot's edge read as cut
    top = max(float(sum(low.values()).max()), float(years["need_high"].max())) / BN
    bottom = min(0.0, *(float(v.min()) / BN for v in low.values()))  # a correction
    return built_figure(traces, {"barmode": "stack", "xaxis": {"type": "category"},
                                 "yaxis": {"title": {"text": _(
                                     "{unit} (bars: low ends, by status)").format(
                                         unit=axis_unit(c))},
                                     "range": [bottom * 1.08, top * 1.08 if top > 0 else 1]}},
                        title, height=420)


def gap_history_chart(history: pd.DataFrame, currency: str) -> go.Figure:
    """The total gap as known on each day a row changed it: a step line (low and high
    ends); hovering a step names the rows dated that day."""
    c = currency
    if history.empty:
        return built_figure([], {}, _("No dated figures"), height=420)
    if history["gap_high"].isna().all():
        return built_figure([], {}, _("No need is stated on any day, so there is no gap to "
                                      "follow"), height=240)
    history = history[history["gap_high"].notna().to_numpy()]  # days before any need
    x = [d.isoformat() for d in history["date"]]
    hover = [f"{safe(r)}<br>{money_range(lo, hi, c)}" for r, lo, hi in
             zip(history["rows"], history["gap_low"], history["gap_high"], strict=True)]
    traces = [
        {"type": "scatter", "name": _("gap, high end"), "x": x,
         "y": (history["gap_high"] / BN).tolist(),
         "line": {"shape": "hv", "color": OVER_COLOUR, "dash": "dash"}, "mode": "lines",
         "customdata": hover, "hovertemplate": "%{x}: %{customdata}<extra></extra>"},
        {"type": "scatter", "name": _("gap, low end"), "x": x,
         "y": (history["gap_low"] / BN).tolist(),
         "line": {"shape": "hv", "color": OVER_COLOUR}, "mode": "lines+markers",
         "customdata": hover, "hovertemplate": "%{x}: %{customdata}<extra></extra>"},
    ]
    first, last = history.iloc[0], history.iloc[-1]
    title = _("The gap as known: {first} on {first_day}, {last} on {last_day}").format(
        first=money_range(first["gap_low"], first["gap_high"], c), first_day=day(first["date"]),
        last=money_range(last["gap_low"], last["gap_high"], c), last_day=day(last["date"]))
    return built_figure(traces, {"yaxis": {"title": {"text": axis_unit(c)}}}, title, height=380)
