"""The reader's language: from the link (`lang=`), else the browser's; switchable
in the sidebar and kept in the link. Sets both the words (ledger.core.language)
and the figures' separators and dates (ledger.present.formatting)."""

from __future__ import annotations

import streamlit as st

from ledger.api import LANGUAGES, language_of, use_language, use_locale

KEY = "lang"  # the widget's key and the link's parameter


def _keep_in_link() -> None:
    st.query_params[KEY] = st.session_state[KEY]


def choose() -> str:
    """Set this run's language (before anything is written) and return it."""
    asked = st.query_params.get(KEY)
    browser = st.context.locale
    if KEY not in st.session_state:
        st.session_state[KEY] = language_of(asked or browser)
    elif asked and language_of(asked) != st.session_state[KEY] and asked in LANGUAGES:
        st.session_state[KEY] = asked  # a link opened in this session names another
    language = use_language(st.session_state[KEY])
    # a French reader reading English keeps French separators; a chosen language its own
    use_locale(browser if language == language_of(browser) else language)
    return language


def current() -> str:
    """The language this session reads in."""
    return language_of(st.session_state.get(KEY))


def control() -> None:
    """The sidebar's language switch: each language named in itself."""
    options: list[str] = list(LANGUAGES)
    st.sidebar.selectbox("Language · Sprache · Мова", options, key=KEY,
                         format_func=lambda code: LANGUAGES[code], on_change=_keep_in_link)
