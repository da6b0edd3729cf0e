"""Sources: available against allocated, over-allocation highlighted."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.charts import sources_chart
from ledger.formatting import money_range
from ui.view import need_result
from ui.widgets import chart, refs_of

ledger, result = need_result()
c = result.currency
sources = result.sources
st.title("Sources")
chart(sources_chart(result), sources.drop(columns=["row"]),
      refs_of(ledger.frame, ledger.frame["kind"] != "need"), "sources")

FLAGS = {"yes": "⛔ over-allocated", "possible": "⚠️ possibly", "no": ""}
st.dataframe(
    pd.DataFrame({
        "source": sources["name"],
        "donor": sources["donor"],
        "bloc": sources["donor_bloc"],
        "available": [money_range(a, b, c) for a, b in
                      zip(sources["available_low"], sources["available_high"], strict=True)],
        "allocated": [money_range(a, b, c) for a, b in
                      zip(sources["allocated_low"], sources["allocated_high"], strict=True)],
        "headroom": [money_range(a, b, c) for a, b in
                     zip(sources["headroom_low"], sources["headroom_high"], strict=True)],
        "over-allocation": sources["over_allocated"].map(FLAGS),
    }),
    hide_index=True, width="stretch",
)
