"""The HTML gap report: one self-contained file (plotly.js inlined, so it opens
offline), every value escaped, print CSS for a clean "Save as PDF"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from ledger.core.language import _, current_language
from ledger.present import charts, views
from ledger.present.charts import BAR_GAP
from ledger.present.citations import address, article_words, reference_html
from ledger.present.donors import donors_ranked, economy_note
from ledger.present.formatting import day
from ledger.present.headline import Headline, headline_block
from ledger.present.report.data import provenance, rates_table
from ledger.present.wording import findings_table
from ledger.rules.reconcile import Reconciliation

CSS = """
body { font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; color: #1f2933;
       max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; font-size: 1.3rem;
     border-bottom: 2px solid #0072B2; padding-bottom: .2rem; }
.lead { font-size: 1.1rem; font-weight: 600; }
.metrics { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0; }
.metric { border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem 1rem; min-width: 10rem; }
.metric .label { font-size: .85rem; color: #52606d; } .metric .value { font-size: 1.5rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef4; } td.num { text-align: right; white-space: nowrap; }
.chart { margin: 1rem 0; } .muted { color: #52606d; font-size: .85rem; }
.error { color: #b00020; } .warning { color: #8a5a00; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } .chart, table, .metrics { break-inside: avoid; }
  tr { break-inside: avoid; } a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 15mm; }
}
"""
PLOTLY_PLACEHOLDER = "/* plotly.js */"
FIGURE_WIDTH = 680  # px: the printable width of A4 with 15 mm margins
PAGE_HEIGHT = 940  # px: the most a chart may be tall to print on one A4 page


LINKED = ("ref", "Source", "source")  # columns whose cited page is a real link


def _table(frame: pd.DataFrame, numeric: Iterable[str] = ()) -> str:
    """A table; in a citation column (LINKED) the cited https page is a real link
    whose address is exactly the cited one, every text escaped."""
    numeric = set(numeric)
    head = "".join(f"<th>{escape(_(str(c)))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = "".join(
            f'<td class="num">{escape(str(v))}</td>' if c in numeric else
            f"<td>{reference_html(str(v))}</td>" if c in LINKED else
            f"<td>{escape(str(v))}</td>"
            for c, v in zip(frame.columns, values, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(fig: go.Figure, div_id: str) -> str:
    # fits an A4 page when printed; plotly's own template, whatever the process made the
    # default (the dashboard's streamlit import sets its own), so a report downloaded
    # from the dashboard is the one the command line writes
    fig.layout.template = pio.templates["plotly"]  # replaced, not merged into the default
    fig.update_layout(width=FIGURE_WIDTH, autosize=False)
    if (fig.layout.height or 0) > PAGE_HEIGHT:  # one printed page, never split over two
        rows = len([a for a in fig.layout.annotations or () if a.yref == "y"]) or 1
        fig.update_layout(height=PAGE_HEIGHT)
        fig.update_annotations(font_size=9 if rows > 20 else 10,
                               yshift=(PAGE_HEIGHT - 200) / rows * (1 - BAR_GAP) / 2 + 1,
                               selector={"yref": "y"})
    body = pio.to_html(fig, include_plotlyjs=False, full_html=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": False})
    return f'<div class="chart">{body}</div>'


def sources_line(result: Reconciliation) -> str:
    """What the figures come from, on the first page: the article where the ledger
    states its figures, and how many pages it cites (each under References)."""
    from ledger.rules.scope import ARTICLE_TAG, has_tag

    frame = result.valued.frame
    pages = len({address(str(r)) for r in frame["ref"].dropna()} - {""})
    if has_tag(frame["tags"], ARTICLE_TAG).any():
        return _("Sources: {pages} cited pages and {article}; each is listed under "
                 "References with its link.").format(pages=pages, article=article_words())
    return _("Sources: {pages} cited pages; each is listed under References with its "
             "link.").format(pages=pages)


def h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def h3(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _p(text: str, muted: bool = False) -> str:
    return f'<p class="muted">{escape(text)}</p>' if muted else f"<p>{escape(text)}</p>"


def scenario_line(result: Reconciliation) -> str:
    """The view in a few words, for the first page: what differs from the default."""
    from ledger.present.wording import scenario_words

    names = dict(zip(result.sources["id"], result.sources["name"], strict=False))
    words = scenario_words(result.scenario, names, result.rates_latest)
    rates = (_("rates of {day}").format(day=day(result.fx_date)) if result.fx_date
             else _("each amount at its own date's rate"))
    return "; ".join([*words, rates] if words else [
        _("the default view, {rates}").format(rates=rates)])


def _headline_html(block: Headline, metrics: list[tuple[str, str]]) -> str:
    """The headline figures as cards, the families of needs the total counts once, and
    the heading of the stage funnel that follows."""
    cards = "".join(f'<div class="metric"><div class="label">{escape(label)}</div>'
                    f'<div class="value">{escape(value)}</div></div>'
                    for label, value in metrics)
    families = f'<p class="muted">{escape(block.families)}</p>' if block.families else ""
    said = escape(_("Each stage counts itself and every later one: a payment that fulfils a "
                    "commitment is counted once."))
    return (f'<div class="metrics">{cards}</div>{families}' + h2(_("By stage"))
            + f'<p class="muted">{said}</p>')


def _donors_html(result: Reconciliation) -> str:
    said = _("Each donor's money into aims by stage, each stage counting itself and every "
             "later one (allocated or further beside committed or further: the Kiel "
             "tracker's two measures).")
    return (h2(_("Donors")) + f'<p class="muted">{escape(said)} {escape(economy_note())}</p>'
            + _table(donors_ranked(result)))


def to_html(result: Reconciliation, generated_at: dt.datetime, *,
            inline_plotly: bool = True, reported: Reconciliation | None = None) -> bytes:
    c = result.currency
    block = headline_block(result, reported)
    metrics = [(f.label, f.text(c)) for f in block.figures]
    notice = f'<p class="lead">{escape(block.notice())}</p>' if block.notice() else ""
    findings = findings_table(result.findings)
    plotly_js = get_plotlyjs() if inline_plotly else PLOTLY_PLACEHOLDER
    title = _("Ukraine funding ledger — gap report")
    made = _("In {currency} · data version {version} · generated {when} UTC").format(
        currency=c, version=result.data_version[:12], when=generated_at.isoformat())
    checks = (_table(views.checks_table(result).drop(columns=["id", "article"])
                     .rename(columns={k: _(v) for k, v in views.CHECK_LABELS.items()}))
              if len(result.checks) else _p(_("No published totals to check in this ledger.")))
    parts = [
        "<!DOCTYPE html>", f'<html lang="{current_language()}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>", f'<script type="text/javascript">{plotly_js}</script>',
        "</head><body>", f"<h1>{escape(title)}</h1>", f'<p class="muted">{escape(made)}</p>',
        f'<p class="lead">{escape(block.sentence)}</p>', notice,
        "<p><strong>" + escape(_("Scenario:")) + "</strong> "
        + escape(scenario_line(result)) + "</p>", _p(sources_line(result)),
        _headline_html(block, metrics),
        _table(views.stages_table(result)),
        h2(_("Coverage gap per need")),
        _figure(charts.coverage_gap(result, reported), "coverage-gap"),
        _table(views.needs_table(result)),
        h2(_("Who pays, and whose industry gets the orders")),
        _figure(charts.industry_by_category(result, reported), "industry-by-category"),
        _table(views.industry_by_category_table(result)),
        _figure(charts.sankey(result, reported=reported), "sankey"),
        _figure(charts.industry_split(result, reported), "industry-split"),
        _table(views.industry_table(result)),
        _figure(charts.payer_supplier(result, reported), "payer-supplier"),
        _table(views.payer_supplier_table(result)),
        _donors_html(result),
        h2(_("Year by year")),
        _p(_("Needs falling due and money dated in each year (a figure with an end date "
             "spread evenly by day); the gap is what each need lacks that year, added up; "
             "the cumulative gap, what it lacks by the end of the year."), muted=True),
        _table(views.years_readable(result)),
        h2(_("Checks: published totals against the ledger")),
        _p(_("Each published figure is judged in its own currency at its own date; it holds "
             "when its range and the ledger's overlap."), muted=True),
        checks,
        h2(_("Sources")), _figure(charts.sources_chart(result, reported), "sources"),
        _table(views.sources_table(result)),
        h3(_("Money by instrument")), _table(views.instruments_table(result)),
        h2(_("Findings")), _table(findings) if len(findings) else _p(_("Nothing to flag.")),
        h2(_("References")), _table(views.references(result)),
        h2(_("How this report was made")),
        _table(pd.DataFrame(provenance(result, generated_at.date()), columns=["", "value"])),
        h3(_("Exchange rates used (units per euro)")),
        _table(rates_table(result), numeric=("per_eur", f"factor_to_{c}")),
        _p(_("Ranges are low–high. Charts: bars to the low end, whiskers to the high end; "
             "Sankey widths are range midpoints."), muted=True),
        "</body></html>",
    ]
    return "\n".join(parts).encode("utf-8")
