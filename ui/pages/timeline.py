"""Timeline: when money is needed and when it arrives, year by year, and the gap
as it stood on each day a row changed it."""

from __future__ import annotations

import streamlit as st

from ledger.api import (
    _,
    gap_history_chart,
    money_range,
    references_behind,
    undated_money,
    years_chart,
    years_readable,
)
from ui import caches
from ui.view import get, need_result
from ui.widgets import chart, key_table, ranges_joined

ledger, result = need_result()
st.title(_("Timeline"))
st.caption(_("A figure with an end date is spread evenly by day over its period; one without "
             "falls on its date. Use *As known on* in the sidebar to see the ledger as it "
             "stood on any day."))
st.subheader(_("Year by year: needs falling due and money by stage"))
undated = undated_money(result)
if undated[1] > 0:
    st.info(_("{amount} has no known date (rows tagged *date-unknown*: their table gave "
              "neither a day nor a month). It counts in every total and in no year "
              "below.").format(amount=ranges_joined(money_range(*undated, result.currency))),
            icon=":material/event_busy:")
chart(years_chart(result), result.years, references_behind(result, "coverage-gap"), "years")
key_table(years_readable(result), "years_table", ["year", "need", "gap"],
          alt=_("Year by year: the need falling due, money pledged, committed and disbursed, "
                "and the gap."))

st.subheader(_("The gap as known on each day a row changed it"))
view = get()
if len(ledger.frame) > 50_000 and not st.session_state.get("history_asked"):
    st.info(_("This ledger has {count} rows: the history values them once and sums them "
              "for each day shown (at most 60); it may take a while.").format(
                  count=f"{len(ledger.frame):,}"))
    st.button(_("Compute the history"), key="history_asked")
else:
    with st.spinner(_("Reconciling the ledger as it stood on each day…"), show_time=True):
        history = caches.history_for(view.current, ledger, view.scenario)
    if history.attrs.get("cut") == "time":
        st.info(_("Only the first {shown} of {days} days fitted in the time this server "
                  "allows for the history; the chart shows them.").format(
                      shown=len(history), days=history.attrs.get("days", len(history))),
                icon=":material/timer:")
    chart(gap_history_chart(history, result.currency), history,
          references_behind(result, "coverage-gap"), "gap-history")
