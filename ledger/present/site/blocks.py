"""Pieces the static site's pages are made of: tables whose figures come from the
JSON report (each figure cell names its place in it, `data-figure`, so a test can
hold every number on a page against the JSON), tables of text, and charts with their
finding, credit, data and embed snippet."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ledger.core.language import N_, _
from ledger.present.charts import credited, title_of
from ledger.present.citations import reference_html
from ledger.present.formatting import money_range, percent_range

_LONG = ' class="long"'  # a cell that may break anywhere (an address, a long name)
# key in the JSON row, header, kind: text (the ledger's, as written) | word (ours,
# translated: a stage) | money | share
Column = tuple[str, str, str]


def figure_text(value: Any, kind: str, currency: str) -> str:
    """A JSON figure (a low–high pair) as the site shows it ("—" when the JSON holds
    none)."""
    if value is None:
        return "—"
    low, high = value
    if low is None or high is None or (isinstance(low, float) and math.isnan(low)):
        return "—"
    return percent_range(low, high) if kind == "share" else money_range(low, high, currency)


def _cell(path: str, value: Any, kind: str, currency: str) -> str:
    if kind in ("text", "word"):
        text = "" if value is None else str(value)
        shown = _(text) if kind == "word" else text
        return f"<td{_LONG if len(text) > 30 else ''}>{escape(shown)}</td>"
    shown = figure_text(value, kind, currency)
    marked = f' data-figure="{escape(path)}"' if shown != "—" else ""
    return f'<td class="num"{marked}><span class="range">{escape(shown)}</span></td>'


def figures_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], path: str,
                  currency: str, caption: str, sortable: bool = False) -> str:
    """Rows of the JSON report as a table; each figure cell carries `data-figure`
    (`needs.3.gap`), the JSON path it shows."""
    head = "".join(f'<th scope="col">{_header(label, sortable)}</th>' for _k, label, _t in columns)
    body = "".join(
        "<tr>" + "".join(_cell(f"{path}.{i}.{key}", _dig(row, key), kind, currency)
                         for key, _label, kind in columns) + "</tr>"
        for i, row in enumerate(rows))
    return _wrap(caption, head, body, sortable)


def _dig(row: dict[str, Any], key: str) -> Any:
    for part in key.split("."):
        row = row.get(part) if isinstance(row, dict) else None  # type: ignore[assignment]
    return row


def _header(label: str, sortable: bool) -> str:
    text = escape(_(label))
    return f'<button type="button">{text}</button>' if sortable else text


def _wrap(caption: str, head: str, body: str, sortable: bool, table_id: str = "") -> str:
    classes = "sortable" if sortable else ""
    ident = f' id="{escape(table_id)}"' if table_id else ""
    return (f'<div class="table-wrap"><table class="{classes}"{ident}>'
            f'<caption class="visually-hidden">{escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def text_table(frame: pd.DataFrame, caption: str, links: Sequence[str] = (),
               labels: dict[str, str] | None = None, sortable: bool = False,
               table_id: str = "") -> str:
    """A table of text (already formatted figures, names, citations); in the `links`
    columns a cited https page is a real link, every text escaped."""
    labels = labels or {}
    head = "".join(f'<th scope="col">{_header(labels.get(str(c), str(c)), sortable)}</th>'
                   for c in frame.columns)
    linked = [c in links for c in frame.columns]
    rows = []
    for values in frame.itertuples(index=False, name=None):
        rows.append("<tr>" + "".join(
            f'<td class="long">{reference_html(str(v))}</td>' if link else
            f"<td{_LONG if len(str(v)) > 30 else ''}>{escape(str(v))}</td>"
            for v, link in zip(values, linked, strict=True)) + "</tr>")
    return _wrap(caption, head, "".join(rows), sortable, table_id)


@dataclass(frozen=True)
class Chart:
    """A chart of the site: its key (file names), the figure, the data behind it."""

    key: str
    figure: go.Figure
    data: pd.DataFrame


def plot_json(figure: go.Figure) -> str:
    """The figure as JSON safe inside a <script> element; plotly's own template, sized
    by the page."""
    figure.layout.template = pio.templates["plotly"]
    figure.update_layout(autosize=True, width=None)
    text = figure.to_json(engine="json")
    return text.replace("</", "<\\/")


def chart_block(chart: Chart, credit: str, depth: str, embed: str, images: bool) -> str:
    """The chart on a page: its finding as a caption a screen reader reads (the
    title states it), the credit, the data as CSV, and the snippet to embed it."""
    title = title_of(chart.figure)
    figure = credited(chart.figure, credit)
    said = {key: escape(text) for key, text in (
        ("chart", _("Chart: {title}").format(title=title)), ("data", _("Chart data (CSV)")),
        ("embed", _("Embed this chart")), ("help", _(EMBED_HELP)))}
    snippet = (f'<iframe src="{embed}" title="{escape(title)}" width="100%" height="'
               f'{int((figure.layout.height or 420) + 90)}" style="border:0" loading="lazy">'
               "</iframe>")
    return (
        f'<figure id="figure-{chart.key}" aria-labelledby="caption-{chart.key}">'
        f'<div class="plot" id="plot-{chart.key}"></div>'
        f'<script type="application/json" data-plot="plot-{chart.key}">{plot_json(figure)}'
        "</script>"
        f'<figcaption id="caption-{chart.key}">'
        f"<strong>{said['chart']}</strong><br>"
        + "<br>".join(escape(line) for line in credit.splitlines())
        + f' · <a href="{depth}data/{chart.key}.csv" download>{said["data"]}'
        "</a>" + (f' · <a href="{depth}charts/{chart.key}.png">PNG</a> · '
                  f'<a href="{depth}charts/{chart.key}.svg">SVG</a>' if images else "")
        + "</figcaption>"
        f"<details><summary>{said['embed']}</summary>"
        f'<p class="muted">{said["help"]}</p>'
        f"<pre><code>{escape(snippet)}</code></pre></details></figure>")


EMBED_HELP = N_("Paste this into your page; where the site is served from another address, "
                "put that address before embed/.")


def embed_page(chart: Chart, credit: str, language: str, depth: str, plotly: str,
               script: str, css: str, page: str) -> str:
    """One chart alone, sized for an iframe: title, chart, source line, link back."""
    title = title_of(chart.figure)
    figure = credited(chart.figure, credit)
    whole = escape(_("Open the full page"))
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><link rel=\"stylesheet\" href=\"{depth}{css}\">"
        f'<script src="{depth}{plotly}" defer></script>'
        f'<script src="{depth}{script}" defer></script>'
        "<style>body{margin:0;padding:.5rem}main{max-width:none;padding:0}</style></head>"
        f'<body><main><figure aria-label="{escape(title)}"><div class="plot" id="plot"></div>'
        f'<script type="application/json" data-plot="plot">{plot_json(figure)}</script>'
        f'<p class="muted">{escape(credit.splitlines()[0])} '
        f'<a href="{page}" target="_top">{whole}</a></p>'
        "</figure></main></body></html>")
