"""The static site's pages, one function each: the Overview, Flows, Donors, Sources,
Timeline, Ledger and Methodology as read-only pages. Figures come from the JSON
report's dict (`report`), charts from ledger.present.charts, words from the catalogs."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt

from ledger.core.language import _
from ledger.present import charts, views
from ledger.present.citations import LICENCE, article_words
from ledger.present.donors import blocs_chart, blocs_compared, donors_ranked, economy_note
from ledger.present.evidence import evidence_html
from ledger.present.headline import headline_block
from ledger.present.methodology import (
    HEADINGS,
    europe_countries,
    how_figures_are_made,
    how_to_cite_words,
    shipped_data,
    words_used,
)
from ledger.present.report.data import gap_table
from ledger.present.site.blocks import Chart, chart_block, figures_table, text_table
from ledger.present.wording import findings_table
from ledger.reading.evidence import read_evidence
from ledger.reading.schema import STATUSES
from ledger.rules.reconcile import Reconciliation


def h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


LEDGER_ROWS_SHOWN = 5_000  # the Ledger page's table; every row is in data/funding.csv


@dataclass(frozen=True)
class Context:
    """What every page of one language needs."""

    result: Reconciliation
    reported: Reconciliation | None
    report: dict[str, Any]
    credit: str  # the credit lines under every chart
    depth: str  # the way back to the site's root from this language's folder
    embed: str  # this language's embed folder, from the root (for the snippet)
    images: bool  # the chart's PNG and SVG are written

    def chart(self, chart: Chart) -> str:
        return chart_block(chart, self.credit, self.depth, f"{self.embed}{chart.key}.html",
                           self.images)

    @property
    def currency(self) -> str:
        return self.result.currency


def charts_of(result: Reconciliation, reported: Reconciliation | None) -> dict[str, Chart]:
    """Every chart of the site, built in the language in force."""
    stage = "committed"
    blocs = blocs_compared(result, stage, "category")
    return {chart.key: chart for chart in (
        Chart("coverage-gap", charts.coverage_gap(result, reported), gap_table(result)),
        Chart("industry-by-category", charts.industry_by_category(result, reported),
              result.industry_by_category),
        Chart("sankey", charts.sankey(result, reported=reported), views.flows_table(result)),
        Chart("industry-split", charts.industry_split(result, reported), result.industry),
        Chart("payer-supplier", charts.payer_supplier(result, reported),
              result.payer_supplier),
        Chart("donor-blocs", blocs_chart(blocs, "category", stage, result.currency), blocs),
        Chart("sources", charts.sources_chart(result, reported), views.sources_table(result)),
        Chart("years", charts.years_chart(result), views.years_readable(result)),
    )}


def overview(ctx: Context, made: dict[str, Chart]) -> str:
    block = headline_block(ctx.result, ctx.reported)
    totals = ctx.report["totals"]
    cards = "".join(
        f'<div class="metric"><div class="label">{escape(block[key].label)}</div>'
        f'<div class="value range" data-figure="totals.{key}">{escape(block.text(key))}'
        "</div></div>"
        for key in ("gap", "coverage", "need", "covered") if key in totals)
    notice = (f'<p class="notice">{escape(block.notice())}</p>' if block.notice() else "")
    families = f'<p class="muted">{escape(block.families)}</p>' if block.families else ""
    stages = figures_table(ctx.report["stages"], [
        ("stage", "stage", "word"), ("covered", "covered", "money"), ("gap", "gap", "money"),
        ("coverage", "coverage", "share")], "stages", ctx.currency,
        _("Money by stage, each stage counting itself and every later one:"))
    needs = figures_table(ctx.report["needs"], [
        ("name", "name", "text"), ("category", "category", "text"),
        ("need", "need", "money"), ("covered", "covered", "money"), ("gap", "gap", "money"),
        ("coverage", "coverage", "share")], "needs", ctx.currency, _("Needs"))
    return (f'<p class="lead">{escape(block.sentence)}</p>{notice}'
            f'<div class="metrics">{cards}</div>{families}'
            + h2(_("By stage")) + stages + h2(_("Coverage gap per need"))
            + ctx.chart(made["coverage-gap"]) + needs + _checks(ctx) + _findings(ctx))


def _checks(ctx: Context) -> str:
    table = views.checks_table(ctx.result)
    if not len(table):
        return ""
    labels = {column: _(label) for column, label in views.CHECK_LABELS.items()}
    shown = table.drop(columns=["id", "article", "checks"])
    return (h2(_("Checks: published totals against the ledger"))
            + text_table(shown, _("Checks: published totals against the ledger"),
                         links=["source"], labels=labels))


def _findings(ctx: Context) -> str:
    findings = findings_table(ctx.result.findings)
    body = (text_table(findings[["severity", "finding"]], _("Findings"))
            if len(findings) else "<p>" + escape(_("Nothing to flag.")) + "</p>")
    return h2(_("Findings")) + body


def flows(ctx: Context, made: dict[str, Chart]) -> str:
    parts = [h2(_("Whose industry gets the orders, per need category")),
             ctx.chart(made["industry-by-category"]),
             h2(_("What the record says about whose industry gets European money")),
             evidence_html(read_evidence(), ctx.result),
             h2(_("Who pays, through which source, for what")), ctx.chart(made["sankey"]),
             h2(_("Whose industry gets the orders, all categories")),
             ctx.chart(made["industry-split"]),
             h2(_("Who pays × who supplies")), ctx.chart(made["payer-supplier"])]
    return "".join(parts)


def donors(ctx: Context, made: dict[str, Chart]) -> str:
    ranked = donors_ranked(ctx.result)
    return (f'<p class="muted">{escape(economy_note())}</p>' + ctx.chart(made["donor-blocs"])
            + text_table(ranked, _("Donors"), sortable=True))


def sources(ctx: Context, made: dict[str, Chart]) -> str:
    table = figures_table(ctx.report["sources"], [
        ("name", "name", "text"), ("available", "available", "money"),
        ("allocated", "passed on", "money")], "sources", ctx.currency, _("Sources"))
    return (ctx.chart(made["sources"]) + table
            + text_table(views.instruments_table(ctx.result), _("Money by instrument")))


def timeline(ctx: Context, made: dict[str, Chart]) -> str:
    columns = [("year", "year", "text"), ("need", "need", "money"),
               *((stage, stage, "money") for stage in STATUSES
                 if stage in ("pledged", "committed", "allocated", "disbursed")),
               ("gap", "gap", "money")]
    return ctx.chart(made["years"]) + figures_table(
        ctx.report["years"], columns, "years", ctx.currency, _("Timeline"))


def ledger(ctx: Context, made: dict[str, Chart]) -> str:
    table = views.ledger_table(ctx.result)
    shown = table.head(LEDGER_ROWS_SHOWN)
    cut = _("The first {shown} of {count} rows; every row is in the CSV.").format(
        shown=f"{len(shown):,}", count=f"{len(table):,}")
    more = f'<p class="muted">{escape(cut)}</p>' if len(table) > len(shown) else ""
    label, whole = escape(_("Search the ledger")), escape(_("The whole ledger (CSV)"))
    search = (f'<p class="search"><label for="ledger-search">{label}</label> '
              '<input id="ledger-search" type="search" data-filter="ledger-table">'
              f' · <a href="{ctx.depth}data/funding.csv" download>{whole}</a></p>')
    return search + more + text_table(shown, _("Ledger"), links=["ref"], sortable=True,
                                      table_id="ledger-table")


def methodology(ctx: Context, made: dict[str, Chart]) -> str:
    md = MarkdownIt("commonmark", {"html": False})  # the text is ours; no raw HTML anyway
    parts = [md.render("\n\n".join(how_figures_are_made(STATUSES))),
             h2(_(HEADINGS["words"])), md.render(words_used(europe_countries())),
             h2(_(HEADINGS["data"])), md.render(shipped_data(article_words(), LICENCE)),
             h2(_(HEADINGS["cite"])), md.render(how_to_cite_words())]
    return "".join(parts)


BUILDERS = {"index": overview, "flows": flows, "donors": donors, "sources": sources,
            "timeline": timeline, "ledger": ledger, "methodology": methodology}
