"""Ledger: every row, filterable, with its citation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.api import (
    BEHIND,
    COUNTED,
    KINDS,
    N_,
    _,
    address,
    counted_words,
    filter_ledger,
    ledger_table,
    rows_behind,
)
from ui.view import need_result

MAX_SHOWN = 20_000
# the ledger's own columns, headed in the reader's words (their values stay as written)
WORDED = ("id", "kind", "name", "category", "currency", "date", "from", "to", "donor",
          "industry", "status", "instrument", "tags")

ledger, result = need_result()
c = result.currency
frame = ledger.frame
st.title(_("Ledger"))
left, middle, right = st.columns([2, 1, 1])
query = left.text_input(_("Search id, name, citation or note"), key="ledger_search")
kind_words = {k: _(k) for k in KINDS}
kinds = middle.multiselect(_("Kind"), list(KINDS), default=list(KINDS), key="ledger_kinds",
                           format_func=kind_words.__getitem__, placeholder=_("Choose"))
categories = sorted(c for c in frame["category"].unique() if c)
chosen = right.multiselect(_("Category"), categories, key="ledger_categories",
                           placeholder=_("Choose"))

everything = ledger_table(result)
FIELDS = {"status": N_("Status"), "instrument": N_("Instrument"), "tags": N_("Tag"),
          "donor": N_("Donor"), "industry": N_("Industry")}
with st.expander(_("More filters (they travel in the page's link)")):
    columns = st.columns(len(FIELDS))
    fields: dict[str, list[str]] = {}
    for place, (column, label) in zip(columns, FIELDS.items(), strict=True):
        values = everything[column].astype(str)
        options = sorted({t for cell in values for t in cell.split(";") if t}
                         if column == "tags" else {v for v in values if v})
        linked = [v for v in st.query_params.get_all(f"l_{column}") if v in options]
        fields[column] = place.multiselect(_(label), options, default=linked,
                                           key=f"ledger_{column}", placeholder=_("Choose"))
        st.query_params[f"l_{column}"] = fields[column]  # the filter lives in the link
behind = str(st.query_params.get("behind", ""))
ids = rows_behind(result, behind) if behind in BEHIND else None
if ids is not None:
    note, clear = st.columns([4, 1])
    note.info(_("The {count} rows behind {figure} in this view.").format(
        count=f"{len(ids):,}", figure=_(BEHIND[behind])), icon=":material/filter_alt:")
    if clear.button(_("Show every row"), key="ledger_all_rows"):
        del st.query_params["behind"]
        st.rerun()
shown = filter_ledger(everything, query, kinds, chosen, ids, fields)
table = shown.assign(low=shown["low"] / 1e9, high=shown["high"] / 1e9,
                     value_low=shown["value_low"] / 1e9, value_high=shown["value_high"] / 1e9,
                     page=[address(r) if address(r).startswith("https://") else None
                           for r in shown["ref"]])
st.caption(_("{shown} of {count} rows").format(shown=f"{len(shown):,}",
                                               count=f"{len(everything):,}")
           + ("; " + _("the first {most} shown").format(most=f"{MAX_SHOWN:,}")
              if len(shown) > MAX_SHOWN else "")
           + ". " + _("Amounts in billions."))
shown_rows = table.head(MAX_SHOWN)
greyed = pd.Series((shown_rows["counted"] != COUNTED).to_numpy(), index=shown_rows.index)
shown_rows = shown_rows.assign(counted=counted_words(shown_rows["counted"]))
if greyed.any():  # rows that count for nothing: greyed, and
    st.caption(_("Greyed rows count for nothing in this view: see the *counted* column "
                 "(a published total that checks the ledger, left out by the status or "
                 "instrument filter or the part shown, replaced by a revision, or dated "
                 "after the as-of date)."))
    shown_rows = shown_rows.style.apply(
        lambda row: ["color: #8a8a8a" if greyed[row.name] else ""] * len(row), axis=1)
st.dataframe(
    shown_rows, hide_index=True, width="stretch",
    height=min(560, 40 + 35 * max(1, min(len(table), MAX_SHOWN))),
    column_config={
        "low": st.column_config.NumberColumn(_("low (bn)"), format="localized"),
        "high": st.column_config.NumberColumn(_("high (bn)"), format="localized"),
        "value_low": st.column_config.NumberColumn(
            _("low ({unit})").format(unit=_("bn {currency}").format(currency=c)),
            format="localized"),
        "value_high": st.column_config.NumberColumn(
            _("high ({unit})").format(unit=_("bn {currency}").format(currency=c)),
            format="localized"),
        "counted": st.column_config.TextColumn(_("counted")),
        "ref": st.column_config.TextColumn(_("citation"), width="large"),
        "page": st.column_config.LinkColumn(_("page"), help=_(
            "The cited page: a real link, its address exactly the cited one")),
        "note": st.column_config.TextColumn(_("note"), width="large"),
        "row": st.column_config.NumberColumn(_("CSV row"), format="%d"),
        **{column: st.column_config.TextColumn(_(column)) for column in WORDED},
    },
)
