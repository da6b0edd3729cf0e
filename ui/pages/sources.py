"""Sources: available against passed on, over-allocation named in words."""

from __future__ import annotations

import streamlit as st

from ledger.api import _, instruments_table, references_behind, sources_chart, sources_table
from ui.view import need_result, reported_result
from ui.widgets import chart, key_table

ledger, result = need_result()
st.title(_("Sources"))
chart(sources_chart(result, reported_result()), result.sources.drop(columns=["row"]),
      references_behind(result, "sources"), "sources")
key_table(sources_table(result).drop(columns=["id"]), "sources",
          ["source", "available", "passed on"],
          alt=_("{count} sources: what each has available and what it passes on.").format(
              count=len(result.sources)))

st.subheader(_("Money by instrument"))
st.caption(_("Each source's own money by what kind it is (loans are repaid), and what flows "
             "into needs; a pool's inflows count once, where they come from. The sidebar's "
             "*Count money of instrument* leaves instruments out of every figure."))
st.dataframe(instruments_table(result).rename(columns=_), hide_index=True, width="stretch")
