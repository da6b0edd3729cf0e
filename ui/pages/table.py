"""Ledger: every row, filterable, with its citation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.schema import KINDS
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

mask = frame["kind"].isin(kinds)
if chosen:
    mask &= frame["category"].isin(chosen)
if query:
    text = query.lower()
    mask &= (frame["id"].str.lower().str.contains(text, regex=False)
             | frame["name"].str.lower().str.contains(text, regex=False)
             | frame["ref"].str.lower().str.contains(text, regex=False)
             | frame["note"].str.lower().str.contains(text, regex=False))
shown = frame[mask]
valued = result.valued.frame.set_index("id")
table = pd.DataFrame({
    "id": shown["id"],
    "kind": shown["kind"],
    "name": shown["name"],
    "category": shown["category"],
    "low": shown["low"] / 1e9,
    "high": shown["high"] / 1e9,
    "currency": shown["currency"],
    f"low ({c})": shown["id"].map(valued["value_low"]) / 1e9,
    f"high ({c})": shown["id"].map(valued["value_high"]) / 1e9,
    "date": shown["date"],
    "from": shown["from"],
    "to": shown["to"],
    "donor": shown["donor"],
    "industry": shown["industry"],
    "status": shown["status"],
    "ref": shown["ref"],
    "note": shown["note"],
    "row": shown["row"],
})
st.caption(f"{len(shown):,} of {len(frame):,} rows"
           + (f"; the first {MAX_SHOWN:,} shown" if len(shown) > MAX_SHOWN else "")
           + ". Amounts in billions.")
st.dataframe(
    table.head(MAX_SHOWN), hide_index=True, width="stretch",
    height=min(560, 40 + 35 * max(1, min(len(table), MAX_SHOWN))),
    column_config={
        "low": st.column_config.NumberColumn("low (bn)", format="%.3f"),
        "high": st.column_config.NumberColumn("high (bn)", format="%.3f"),
        f"low ({c})": st.column_config.NumberColumn(f"low (bn {c})", format="%.3f"),
        f"high ({c})": st.column_config.NumberColumn(f"high (bn {c})", format="%.3f"),
        "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
        "ref": st.column_config.TextColumn("citation", width="large"),
        "note": st.column_config.TextColumn("note", width="large"),
        "row": st.column_config.NumberColumn("CSV row", format="%d"),
    },
)
