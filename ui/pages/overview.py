"""Overview: headline ranges, the main finding, coverage gaps, findings."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ledger.api import (
    CHECK_LABELS,
    ELSEWHERE,
    HOLDS,
    LICENCE,
    N_,
    RESTATES,
    _,
    checks_table,
    coverage_gap,
    donor_blocs_table,
    findings_table,
    gap_table,
    headline_block,
    how_to_cite,
    needs_table,
    references_behind,
    stages_table,
    years_readable,
)
from ui.pins import link_to_view
from ui.view import get, need_result, reported_result
from ui.widgets import chart, key_table, plain, ranges_joined, ranges_whole

ROWS_BEHIND = {"gap": N_("The rows behind the gap"),
               "coverage": N_("The rows behind the coverage"),
               "need": N_("The rows behind the need"),
               "covered": N_("The rows behind what covers it")}

ledger, result = need_result()
reported = reported_result()
block = headline_block(result, reported)
c = result.currency
st.title(_("Overview"))
st.html(f'<p class="lead">{ranges_whole(block.sentence)}</p>')
if block.rests_on_assumptions:
    st.warning(ranges_joined(block.notice()) + " " + _(
        "*Show: Public record only* in the sidebar leaves every assumption out."),
        icon=":material/warning:")

if block.states_no_need:
    # a tracker: who gives what, by stage, aim and year; no gap, no coverage
    left, right = st.columns(2)
    left.metric(_("Money recorded"), block.text("covered"), border=True,
                help=_("Every flow into an aim, at the stages the sidebar counts."))
    right.metric(_("Aims"), f"{len(result.needs):,}", border=True,
                 help=_("What the money is for (a tracker's aid categories); no one states "
                        "their size, so no gap or coverage is stated."))
else:
    # two by two: a range such as "€881–890 bn" is cut short in four narrow columns
    top, bottom = st.columns(2), st.columns(2)
    for place, key in ((top[0], "gap"), (top[1], "coverage"), (bottom[0], "need"),
                       (bottom[1], "covered")):
        figure = block[key]
        place.metric(figure.label, block.text(key), border=True, help=figure.help)
        if block.rests_on_assumptions and figure.reported is not None:
            reported_text = figure.text(c, figure.reported)
            place.caption(_("{reported} reported + {assumed} assumed").format(
                reported=reported_text, assumed=figure.text(c, figure.assumed))
                if figure.assumed is not None
                else _("Counting only what is reported: {reported}").format(
                    reported=reported_text))
        place.page_link("ui/pages/table.py", label=_(ROWS_BEHIND[key]),
                        query_params={"behind": key}, icon=":material/table_rows:")
surplus = block["surplus"]
if surplus.value[1] > 0:
    st.caption(_(
        "The gap is what each need lacks, added up: a surplus of {surplus} on some needs "
        "does not fill other needs' gaps (netted against them, the gap would read "
        "{net_gap}). Coverage counts each need at most in full.").format(
        surplus=block.text("surplus"), net_gap=block.text("net_gap")))
if block.families:
    st.caption(plain(block.families))
stage_rows = stages_table(result)
st.markdown(_("**By stage** — each stage counts itself and every later one"))
key_table(stage_rows, "stages", ["stage", "covered", "coverage"],
          alt=_("Money by stage, each stage counting itself and every later one:") + " "
          + "; ".join(f"{s} {m}" for s, m in zip(stage_rows["stage"], stage_rows["covered"],
                                                  strict=True)) + ".")
if block.states_no_need:
    aims = needs_table(result)[["name", "category", "covered"]]
    st.markdown("**" + _("For what") + "**")
    key_table(aims, "aims", ["name", "covered"],
              alt=_("Money recorded for each of {count} aims.").format(count=len(aims)))
    givers = donor_blocs_table(result)
    st.markdown("**" + _("Who gives") + "**")
    key_table(givers, "givers", ["who pays", "amount"],
              alt=_("Money recorded by the bloc of its donors ({count} blocs).").format(
                  count=len(givers)))
    st.markdown("**" + _("When") + "**")
    by_year = years_readable(result)
    by_year = by_year[[c for c in ("year", "pledged", "committed", "allocated", "disbursed",
                                   "covered") if c in by_year.columns]]
    key_table(by_year, "money-by-year", ["year", "covered"],
              alt=_("Money recorded by year and stage ({count} years).").format(
                  count=len(by_year)))

chart(coverage_gap(result, reported), gap_table(result),
      references_behind(result, "coverage-gap"), "coverage-gap")

checks = checks_table(result)
if len(checks):
    st.subheader(_("Checks: published totals against the ledger"))
    held = int((checks["outcome"] == _(HOLDS)).sum())
    restating = int((checks["outcome"] == _(RESTATES)).sum())
    elsewhere = int((checks["outcome"] == _(ELSEWHERE)).sum())
    missed = len(checks) - held - restating - elsewhere
    st.caption(_("{held} of {total} hold, {missed} do not").format(
                   held=held, total=len(checks), missed=missed)
               + (", " + _("{count} restate the page their rows come from").format(
                   count=restating) if restating else "")
               + (", " + _("{count} not in this view").format(count=elsewhere)
                  if elsewhere else "")
               + ". " + _("Each published figure is judged in its own currency at its own "
                          "date; it holds when its range and the ledger's overlap. A check "
                          "citing the page its rows were built from confirms nothing and is "
                          "never counted as holding."))
    shown = {column: _(label) for column, label in CHECK_LABELS.items()}
    article = checks["article"].to_numpy(dtype=bool)
    for label, rows in ((_("The article's figures against the public record"), article),
                        (_("The record's own totals"), ~article)):
        if rows.any():
            st.markdown(f"**{label}**")
            part = checks[rows]
            holding = int((part["outcome"] == _(HOLDS)).sum())
            key_table(part.drop(columns=["id", "article"]),
                      "checks-article" if rows is article else "checks-record", None,
                      alt=_("{label}: {held} of {total} published figures hold against the "
                            "ledger.").format(label=label, held=holding, total=len(part)),
                      labels=shown, links=["source"])

st.subheader(_("Findings"))
if result.findings:
    key_table(findings_table(result.findings), "findings", ["severity", "finding"],
              alt=_("{count} findings about the ledger, the most severe first.").format(
                  count=len(result.findings)))
else:
    st.success(_("Nothing to flag."))

st.subheader(_("How to cite"))
view = get()
link = link_to_view(result.scenario, view.current, result.fx_date)
citation = how_to_cite(result.data_version, str(dt.date.today()), link)
st.text(citation)
# the block with a copy button is drawn only while open: a code block loads the
# browser's largest script after plotly's
cite_box = st.expander(_("Copy the citation"), key="cite_open", on_change="rerun")
if cite_box.open:
    with cite_box:
        st.code(citation, language=None, wrap_lines=True)
st.caption(_(LICENCE) + " " + _("The Methodology page says how every figure is made."))
