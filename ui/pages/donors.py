"""Donors: who gives what — every donor by name, by stage (allocations beside
commitments), ranked by total, by share of GDP or per inhabitant; and Europe against
the United States by category and by year at the stage the reader picks."""

from __future__ import annotations

import streamlit as st

from ledger.api import (
    RANKINGS,
    STAGE_LABELS,
    _,
    blocs_chart,
    blocs_compared,
    donors_ranked,
    economy_note,
    months_allow,
    references_behind,
)
from ui.view import need_result
from ui.widgets import chart, key_table

ledger, result = need_result()
c = result.currency
st.title(_("Donors"))
st.caption(_("Money each donor gives to what it is given for, through pools pro rata. Each "
             "stage counts itself and every later one: *committed or further* beside "
             "*allocated or further* is the Kiel tracker's commitments beside its "
             "allocations."))

stages = list(STAGE_LABELS)
chosen = st.query_params.get("donor_stage", "allocated")
stage_words = {s: _(label) for s, label in STAGE_LABELS.items()}  # this run's language
stage = st.radio(_("Compare at the stage"), stages, horizontal=True, key="donor_stage",
                 index=stages.index(chosen) if chosen in stages else 2,
                 format_func=stage_words.__getitem__,
                 help=_("Each stage counts itself and every later one."))
st.query_params["donor_stage"] = stage  # a link reproduces this view

refs = references_behind(result, "flows")
st.subheader(_("Europe against the United States"))
views = [("category", _("By category")), ("year", _("By year"))]
if months_allow(result):
    views.append(("month", _("By month")))
for by, label in views:
    table = blocs_compared(result, stage, by)
    st.markdown(f"**{label}**")
    chart(blocs_chart(table, by, stage, c), table, refs, f"blocs-by-{by}")

st.subheader(_("Every donor"))
rankings = {r: _(r) for r in RANKINGS}
ranking = st.radio(_("Rank by"), list(RANKINGS), horizontal=True, key="donor_rank",
                   format_func=rankings.__getitem__)
ranked = donors_ranked(result, ranking)
key_table(ranked, "donors", ["donor", STAGE_LABELS[stage]],
          alt=_("{count} donors ranked by {ranking}, each with its money by stage, its share "
                "of its GDP and per inhabitant.").format(count=len(ranked),
                                                         ranking=rankings[ranking]))
st.caption(economy_note())
