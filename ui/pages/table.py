"""Ledger: every row, filterable, with its citation."""

from __future__ import annotations

import streamlit as st

from ledger.api import COUNTED, KINDS, filter_ledger, ledger_table
from ui.view import need_result

MAX_SHOWN = 20_000

ledger, result = need_result()
c = result.currency
frame = ledger.frame
st.title("Ledger")
left, middle, right = st.columns([2, 1, 1])
query = left.text_input("Search id, name, citation or note", key="ledger_search")
kinds = middle.multiselect("Kind", list(KINDS), default=list(KINDS), key="ledger_kinds")
categories = sorted(c for c in frame["category"].unique() if c)
chosen = right.multiselect("Category", categories, key="ledger_categories")

everything = ledger_table(result)
shown = filter_ledger(everything, query, kinds, chosen)
table = shown.assign(low=shown["low"] / 1e9, high=shown["high"] / 1e9,
                     value_low=shown["value_low"] / 1e9, value_high=shown["value_high"] / 1e9)
st.caption(f"{len(shown):,} of {len(everything):,} rows"
           + (f"; the first {MAX_SHOWN:,} shown" if len(shown) > MAX_SHOWN else "")
           + ". Amounts in billions.")
shown_rows = table.head(MAX_SHOWN)
if (shown_rows["counted"] != COUNTED).any():  # rows that count for nothing: greyed, and
    st.caption("Greyed rows count for nothing in this view: see the *counted* column "
               "(a published total that checks the ledger, left out by the status or "
               "instrument filter or the part shown, replaced by a revision, or dated "
               "after the as-of date).")
    shown_rows = shown_rows.style.apply(
        lambda row: ["color: #8a8a8a" if row["counted"] != COUNTED else ""] * len(row), axis=1)
st.dataframe(
    shown_rows, hide_index=True, width="stretch",
    height=min(560, 40 + 35 * max(1, min(len(table), MAX_SHOWN))),
    column_config={
        "low": st.column_config.NumberColumn("low (bn)", format="localized"),
        "high": st.column_config.NumberColumn("high (bn)", format="localized"),
        "value_low": st.column_config.NumberColumn(f"low (bn {c})", format="localized"),
        "value_high": st.column_config.NumberColumn(f"high (bn {c})", format="localized"),
        "counted": st.column_config.TextColumn("counted"),
        "ref": st.column_config.TextColumn("citation", width="large"),
        "note": st.column_config.TextColumn("note", width="large"),
        "row": st.column_config.NumberColumn("CSV row", format="%d"),
    },
)
