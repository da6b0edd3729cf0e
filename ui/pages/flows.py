"""Flows: who pays, through which source, for what, and whose industry gets the orders."""

from __future__ import annotations

import streamlit as st

from ledger.api import (
    SANKEY_SHOWN,
    _,
    european_money_in_us_industry,
    evidence_html,
    flows_table,
    industry_by_category,
    industry_recorded,
    industry_split,
    money_range,
    payer_supplier,
    ranked_flows,
    read_evidence,
    references_behind,
    rule_readings,
    sankey,
    splits,
    title_of,
)
from ui.view import need_result, reported_result
from ui.widgets import chart, key_table, plain, ranges_whole

ledger, result = need_result()
c = result.currency
flow_refs = references_behind(result, "flows")

st.title(_("Flows"))
recorded = industry_recorded(result)
st.subheader(_("Whose industry gets the orders, per need category"))
if recorded:
    st.caption(_("Shares within each category; the article's claim is about the armament "
                 "programme, not about reconstruction, where the industry is mostly not "
                 "known."))
    chart(industry_by_category(result, reported_result()), result.industry_by_category,
          flow_refs, "industry-by-category")
else:  # a tracker such as Kiel's: no empty bars
    st.info(plain(title_of(industry_by_category(result))) + ".", icon=":material/info:")

split = splits(result, reported_result())
if recorded:
    st.metric(_("European money spent in US industry"),
              money_range(*european_money_in_us_industry(result), c), border=True,
              help=_("Flows into needs whose original donor is in Europe and whose orders go "
                     "to US industry; money through an intermediate source keeps its donors "
                     "pro rata."))
    st.page_link("ui/pages/table.py", label=_("The rows behind this figure"),
                 query_params={"behind": "europe_to_us"}, icon=":material/table_rows:")
if recorded and split.europe_to_us.rests_on_assumptions:
    st.caption(ranges_whole(_("{reported} reported + {assumed} assumed (rows marked "
                              "assumption, reported by no one).").format(
        reported=money_range(*split.europe_to_us.reported, c),
        assumed=money_range(*split.europe_to_us.assumed, c))), unsafe_allow_html=True)
readings = rule_readings(result)
if readings:
    st.info(_("Industry read from a rule, not reported: {rows}. The ledger assigns these "
              "flows' industry from a purchasing rule (each row's note quotes it); no one has "
              "reported where the money was spent. Rows tagged *reading*.").format(
                  rows=plain("; ".join(readings))), icon=":material/rule:")

st.subheader(_("What the record says about whose industry gets European money"))
st.caption(_("Published figures beside the ledger's own split. Where one measures what the "
             "ledger measures it is a check of the ledger; where it measures something wider "
             "(all EU defence buying, all European military aid) it is cited context and is "
             "not compared."))
st.html(evidence_html(read_evidence(), result))
st.subheader(_("Who pays, through which source, for what"))
st.caption(_("Widths in the diagram are the midpoints of the ranges; hover for the range. "
             "Money no flow takes ends in *Not passed on*."))
with st.container(key="sankey-wide"):  # a narrow screen gets the ranked list instead
    expand = False
    if len(result.sources) > SANKEY_SHOWN:
        expand = st.toggle(_("Draw each of the {count} sources on its own").format(
            count=f"{len(result.sources):,}"), key="sankey-expand",
            help=_("By default the {shown} largest sources are drawn on their own and the "
                   "rest share one node.").format(shown=SANKEY_SHOWN))
    chart(sankey(result, expand=expand, reported=reported_result()), flows_table(result),
          flow_refs, "sankey")
with st.container(key="sankey-narrow"):
    st.caption(_("The largest flows, from who pays to what (the diagram on a wider "
                 "screen):"))
    ranked = ranked_flows(result)  # a plain table: it wraps, so the amounts stay in view
    key_table(ranked, "ranked-flows", list(ranked.columns),
              alt=_("The {count} largest flows, from who pays to what, with their amounts and "
                    "whose industry gets the orders.").format(count=len(ranked)))

if recorded:
    st.subheader(_("Whose industry gets the orders, all categories"))
    chart(industry_split(result, reported_result()), result.industry, flow_refs,
          "industry-split")

st.subheader(_("Who pays × who supplies"))
chart(payer_supplier(result, reported_result()), result.payer_supplier, flow_refs,
      "payer-supplier")
