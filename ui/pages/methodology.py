"""Methodology: how the figures are made, in plain words (the text is
ledger.present.methodology's, shared with the static site)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ledger.api import (
    LICENCE,
    METHOD_HEADINGS,
    STATUSES,
    _,
    article_words,
    europe_countries,
    how_figures_are_made,
    how_to_cite_words,
    said_words,
    shipped_data,
    shown_day,
    staleness,
    words_used,
)
from ui.view import get

view = get()
st.title(_("Methodology"))
st.markdown("\n\n".join(how_figures_are_made(STATUSES)))
st.subheader(_(METHOD_HEADINGS["words"]))
st.markdown(words_used(europe_countries()))

rates_day = view.result.rates_latest if view.result is not None else None
if rates_day is not None:
    old = said_words(staleness(rates_day, dt.date.today()) or "")
    st.info(_("The exchange rates in force end on {day}.").format(day=shown_day(rates_day))
            + (f" {old[0].upper() + old[1:]}." if old else ""))
st.subheader(_(METHOD_HEADINGS["data"]))
st.markdown(shipped_data(article_words(), LICENCE))
st.subheader(_(METHOD_HEADINGS["cite"]))
st.markdown(how_to_cite_words())
