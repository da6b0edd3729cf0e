"""Overview: headline ranges, the main finding, coverage gaps, findings."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ledger.api import (
    LICENCE,
    checks_table,
    coverage_gap,
    coverage_share,
    findings_table,
    gap_table,
    headline,
    how_to_cite,
    money_range,
    percent_range,
    references_behind,
    splits,
)
from ui.pins import link_to_view
from ui.view import get, need_result, reported_result
from ui.widgets import chart, key_table, plain

ledger, result = need_result()
reported = reported_result()
split = splits(result, reported)
c = result.currency
st.title("Overview")
st.markdown(f"**{plain(headline(result))}**")
if split.covered.rests_on_assumptions:
    st.warning(
        f"These figures rest on assumptions: {money_range(*split.covered.assumed, c)} of the "
        f"{money_range(*split.covered.total, c)} covered comes from rows marked assumption "
        f"(illustrative, reported by no one). Counting only what is reported, the gap is "
        f"{money_range(*split.gap.reported, c)} and coverage "
        f"{percent_range(*split.coverage.reported)}. *Show: Public record only* in the "
        "sidebar leaves every assumption out.", icon=":material/warning:")

need, covered, gap = result.totals["need"], result.totals["covered"], result.totals["gap"]
# two by two: a range such as "€881–890 bn" is cut short in four narrow columns
top, bottom = st.columns(2), st.columns(2)
top[0].metric("Gap", money_range(*gap, c), border=True,
              help="What each need lacks, added up: a surplus on one need does not fill "
              "another's gap.")
top[1].metric("Coverage", percent_range(*coverage_share(result)), border=True,
              help="Σ min(covered, need) / need: each need counts at most in full.")
bottom[0].metric("Need", money_range(*need, c), border=True)
bottom[1].metric("Covered", money_range(*covered, c), border=True)
if split.covered.rests_on_assumptions:
    top[0].caption(f"Counting only what is reported: {money_range(*split.gap.reported, c)}")
    top[1].caption(f"Counting only what is reported: {percent_range(*split.coverage.reported)}")
    bottom[1].caption(f"{money_range(*split.covered.reported, c)} reported + "
                      f"{money_range(*split.covered.assumed, c)} assumed")
surplus, net_gap = result.totals["surplus"], result.totals["net_gap"]
if surplus[1] > 0:
    st.caption(
        f"The gap is what each need lacks, added up: a surplus of {money_range(*surplus, c)} "
        f"on some needs does not fill other needs' gaps (netted against them, the gap "
        f"would read {money_range(*net_gap, c)}). Coverage counts each need at most in full.")

chart(coverage_gap(result, reported), gap_table(result),
      references_behind(result, "coverage-gap"), "coverage-gap")

checks = checks_table(result)
if len(checks):
    st.subheader("Checks: published totals against the ledger")
    held = int((checks["outcome"] == "holds").sum())
    missed = int(checks["outcome"].str.startswith("no:").sum())
    st.caption(f"{held} of {len(checks)} hold, {missed} do not"
               + (f", {len(checks) - held - missed} not in this view" if
                  len(checks) - held - missed else "")
               + ". Each published figure is judged in its own currency at its own date; it "
               "holds when its range and the ledger's overlap.")
    shown = {"check": "Published figure", "published": "Published", "ledger": "Ledger",
             "outcome": "Outcome", "checks": "Checks row or #tag", "source": "Source"}
    article = checks["article"].to_numpy(dtype=bool)
    for label, rows in (("The article's figures against the public record", article),
                        ("The record's own totals", ~article)):
        if rows.any():
            st.markdown(f"**{label}**")
            part = checks[rows]
            holding = int((part["outcome"] == "holds").sum())
            key_table(part.drop(columns=["id", "article"]),
                      "checks-article" if rows is article else "checks-record",
                      ["check", "published", "outcome"],
                      alt=f"{label}: {holding} of {len(part)} published figures hold against "
                      "the ledger.", labels=shown)

st.subheader("Findings")
if result.findings:
    key_table(findings_table(result.findings), "findings", ["severity", "finding"],
              alt=f"{len(result.findings)} findings about the ledger, the most severe first.")
else:
    st.success("Nothing to flag.")

st.subheader("How to cite")
view = get()
link = link_to_view(result.scenario, view.current, result.fx_date)
citation = how_to_cite(result.data_version, str(dt.date.today()), link)
st.text(citation)
# the block with a copy button is drawn only while open: a code block loads the
# browser's largest script after plotly's
cite_box = st.expander("Copy the citation", key="cite_open", on_change="rerun")
if cite_box.open:
    with cite_box:
        st.code(citation, language=None, wrap_lines=True)
st.caption(LICENCE + " The Methodology page says how every figure is made.")
