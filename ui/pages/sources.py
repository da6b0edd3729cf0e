"""Sources: available against allocated, over-allocation named in words."""

from __future__ import annotations

import streamlit as st

from ledger.charts import sources_chart
from ledger.views import references_behind, sources_table
from ui.view import need_result
from ui.widgets import chart

ledger, result = need_result()
st.title("Sources")
chart(sources_chart(result), result.sources.drop(columns=["row"]),
      references_behind(result, "sources"), "sources")
st.dataframe(sources_table(result).drop(columns=["id"]), hide_index=True, width="stretch")
