"""Per-session data and content-keyed caches.

Streamlit caches are shared by every session, so they are keyed by the sha256
of the content (a user only hits an entry by holding the same bytes); what a
user uploaded lives in `st.session_state` alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ledger.fx import RateTable
from ledger.reconcile import Reconciliation, default_rates, reconcile
from ledger.scenario import Scenario
from ledger.schema import Ledger, read_ledger

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "funding.csv"


@dataclass(frozen=True)
class Current:
    """The ledger this session is looking at."""

    data: bytes
    digest: str
    label: str


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


def current() -> Current:
    """This session's ledger: its own applied upload, or the shipped one."""
    mine = st.session_state.get("session_ledger")
    return mine if isinstance(mine, Current) else shipped()


def use_for_session(data: bytes, label: str) -> None:
    st.session_state["session_ledger"] = Current(data, digest_of(data), label)


def back_to_shipped() -> None:
    st.session_state.pop("session_ledger", None)


def result_for(ledger: Ledger, scenario: Scenario) -> Reconciliation:
    return reconciled(ledger.data_version, repr(scenario), ledger, scenario)
