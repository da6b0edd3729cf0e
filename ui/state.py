"""Per-session data and content-keyed caches.

Streamlit caches are shared by every session, so they are keyed by the sha256
of the content (a user only hits an entry by holding the same bytes); what a
user uploaded lives in `st.session_state` alone.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ledger.access import EditorGate
from ledger.fx import RateTable
from ledger.reconcile import Reconciliation, default_rates, reconcile
from ledger.scenario import Scenario
from ledger.schema import Ledger, read_ledger
from ledger.store import Store, database_url

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "funding.csv"


@dataclass(frozen=True)
class Current:
    """The ledger this session is looking at."""

    data: bytes
    digest: str
    label: str
    version_id: int | None = None


@st.cache_resource(show_spinner=False)
def rates() -> RateTable:
    return default_rates()


@st.cache_resource(show_spinner=False, max_entries=32)
def parsed(digest: str, _data: bytes) -> Ledger:
    """Parse once per content; raises LedgerError for invalid content."""
    return read_ledger(_data)


@st.cache_resource(show_spinner=False, max_entries=256)
def reconciled(digest: str, scenario_key: str, _ledger: Ledger, _scenario: Scenario
               ) -> Reconciliation:
    return reconcile(_ledger, _scenario, rates())


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_resource(show_spinner=False)
def _shipped(mtime: float) -> Current:
    data = SHIPPED.read_bytes()
    return Current(data, digest_of(data), "shipped ledger (data/funding.csv)")


def shipped() -> Current:
    return _shipped(SHIPPED.stat().st_mtime)


@st.cache_resource(show_spinner="Opening the ledger store…")
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """One store per process and address (SQLite in LEDGER_DATA_DIR, or LEDGER_DATABASE_URL)."""
    return _store(database_url())


@st.cache_resource(show_spinner=False, max_entries=16)
def _version_content(url: str, version_id: int) -> bytes:
    return store().content(version_id)  # versions are immutable: safe to keep


def published() -> Current:
    """The current published version; the shipped file if the store cannot be read."""
    try:
        version = store().current()
    except Exception as exc:  # an unreachable database must not take the dashboard down
        st.session_state["_store_error"] = f"{type(exc).__name__}: {exc}"
        return shipped()
    st.session_state.pop("_store_error", None)
    if version is None:
        return shipped()
    data = _version_content(store().url, version.id)
    return Current(data, version.sha256, f"published version {version.id}", version.id)


def version(version_id: int) -> Current:
    data = _version_content(store().url, version_id)
    digest = store().get(version_id).sha256  # stored with the version: no need to rehash
    return Current(data, digest, f"stored version {version_id} (viewing)", version_id)


def parsed_version(version_id: int) -> Ledger:
    stored = version(version_id)
    return parsed(stored.digest, stored.data)


def current() -> Current:
    """This session's ledger: its own choice (an upload or a stored version), or the
    current published version."""
    mine = st.session_state.get("session_ledger")
    return mine if isinstance(mine, Current) else published()


def use_version(version_id: int) -> None:
    st.session_state["session_ledger"] = version(version_id)


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
    """Who is trying the editor secret, for the growing delay. Behind a reverse proxy
    every request comes from the proxy: set LEDGER_TRUSTED_PROXY=1 to use the
    client address it forwards (only then: the header is trivial to forge)."""
    if os.environ.get("LEDGER_TRUSTED_PROXY") == "1":
        forwarded = st.context.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return st.context.ip_address or "unknown"


def use_for_session(data: bytes, label: str) -> None:
    st.session_state["session_ledger"] = Current(data, digest_of(data), label)


def back_to_published() -> None:
    st.session_state.pop("session_ledger", None)


def result_for(ledger: Ledger, scenario: Scenario) -> Reconciliation:
    return reconciled(ledger.data_version, repr(scenario), ledger, scenario)
