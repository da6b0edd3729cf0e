"""Who may publish: the editor secret and the address of whoever tries it."""

from __future__ import annotations

import os

import streamlit as st

from ledger.api import EditorGate, client_from_forwarded


def secret() -> str:
    """The editor secret: LEDGER_EDITOR_SECRET, else `editor_secret` in secrets.toml."""
    from_env = os.environ.get("LEDGER_EDITOR_SECRET", "")
    if from_env:
        return from_env
    try:
        return str(st.secrets.get("editor_secret", ""))
    except Exception:  # no secrets.toml: Streamlit raises rather than returning empty
        return ""


@st.cache_resource(show_spinner=False)
def _gate(secret_value: str) -> EditorGate:
    return EditorGate(secret_value)


def gate() -> EditorGate:
    return _gate(secret())


def client_key() -> str:
    """Who is trying the editor secret, for the growing delay. Behind reverse proxies
    every request comes from the nearest proxy: set LEDGER_TRUSTED_PROXY to the
    number of proxies of yours in front of the app (1 for one nginx), and the
    address the outermost of them received from is used — the entries further left
    in X-Forwarded-For are the client's to write, so they are never believed."""
    hops_text = os.environ.get("LEDGER_TRUSTED_PROXY", "")
    hops = int(hops_text) if hops_text.isdigit() else 0
    if hops:
        forwarded = st.context.headers.get("X-Forwarded-For", "")
        client = client_from_forwarded(forwarded, hops)
        if client:
            return client
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"
