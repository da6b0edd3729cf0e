"""What every session may see, cached once per server: the rates, the store,
the shipped ledger and published versions with their reconciliations — within
a memory budget (LEDGER_CACHE_MB), evicted by size. What a user uploaded never
goes here (ui.session keeps it)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from ledger.api import (
    Ledger,
    RateTable,
    Reconciliation,
    Scenario,
    SizedCache,
    Store,
    budget_bytes,
    database_url,
    default_rates,
    gap_history,
    object_bytes,
    read_ledger,
    reconcile,
    reported_result,
    said,
    shipped_ledger,
    uses_assumptions,
)
from ui import session
from ui.session import Current, digest_of

log = logging.getLogger("ledger.dashboard")


@st.cache_resource(show_spinner=False)
def allocator() -> str:
    """Arrow's jemalloc pool for the server (ledger.runtime.memory): a lower peak on large
    ledgers, and memory handed back to the system after a large upload."""
    from ledger.api import use_jemalloc

    return use_jemalloc()


@st.cache_resource(show_spinner=False)
def long_lived_frozen() -> int:
    """Once per server, at the end of its first script run, when everything a page
    imports is loaded (ledger.runtime.memory.freeze_long_lived): the collection Streamlit
    runs after every run then walks only what runs create."""
    from ledger.api import freeze_long_lived

    return freeze_long_lived()


@st.cache_resource(show_spinner=False)
def sandbox_warmed() -> bool:
    """Once per server, when a page that takes uploads is first shown: the process
    that checks uploads is started (ledger.reading.sandbox.warm)."""
    from ledger.api import warm_sandbox as warm

    warm()
    return True


@st.cache_resource(show_spinner=False)
def rates() -> RateTable:
    return default_rates()


@st.cache_resource(show_spinner=False)
def shared_cache() -> SizedCache[Any]:
    """One cache per server for what every session may see, bounded in bytes."""
    return SizedCache(budget_bytes(), object_bytes)


def ledger_of(current: Current) -> Ledger:
    """The parsed ledger; raises LedgerError for invalid content."""
    if current.shared:
        return shared_cache().get(("ledger", current.digest),
                                  lambda: read_ledger(current.data))
    return session.own_upload(current.data)


def result_for(current: Current, ledger: Ledger, scenario: Scenario) -> Reconciliation:
    return _view_for(current, ("result", ledger.data_version, repr(scenario)),
                     lambda: reconcile(ledger, scenario, rates()))


def reported_for(current: Current, ledger: Ledger, result: Reconciliation) -> Reconciliation:
    """`result` counting no assumption (ledger.rules.assumed.reported_result: with no lever
    after the status filter, derived from `result`'s own rows at a fraction of a new
    reconciliation), kept beside it; `result` itself when it counts none."""
    if not uses_assumptions(result):
        return result
    return _view_for(current, ("reported", ledger.data_version, repr(result.scenario)),
                     lambda: reported_result(ledger, result, rates()))


def _view_for(current: Current, key: tuple[str, str, str],
              build: Callable[[], Reconciliation]) -> Reconciliation:
    """A view of the ledger in force, built once: for every session in the server's
    memory-bounded cache when the ledger is shared, else among this session's own."""
    if current.shared:
        return shared_cache().get(key, build)
    return session.own_view(":".join(key), build)


HISTORY_SECONDS = float(os.environ.get("LEDGER_HISTORY_SECONDS", "30"))


class _Cut(Exception):
    """A history cut short (time, or the reader left): shown, never kept."""

    def __init__(self, history: pd.DataFrame) -> None:
        super().__init__("history cut short")
        self.history = history


def _reader_gone() -> Callable[[], bool]:
    """A test that is true once this page's session has gone (the reader closed the
    tab): work on its behalf stops instead of running on for no one."""
    from streamlit.runtime import exists, get_instance
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    context = get_script_run_ctx()
    if context is None or not exists():
        return lambda: False
    runtime, session_id = get_instance(), context.session_id
    return lambda: not runtime.is_active_session(session_id)


def history_for(current: Current, ledger: Ledger, scenario: Scenario) -> pd.DataFrame:
    """The gap as known on each day a row changed it, kept shared or in the session
    like the ledger itself — within LEDGER_HISTORY_SECONDS of work (default 30) and
    only while the reader is still here; a history cut short is shown, not kept."""
    from dataclasses import replace

    base = replace(scenario, asof=None)
    gone = _reader_gone()

    def build() -> pd.DataFrame:
        history = gap_history(ledger, base, rates(), seconds=HISTORY_SECONDS, stop=gone)
        if history.attrs.get("cut"):
            raise _Cut(history)
        return history

    try:
        if current.shared:
            return shared_cache().get(("history", ledger.data_version, repr(base)), build)
        return session.own_history(ledger, base, build)
    except _Cut as cut:
        return cut.history


@st.cache_resource(show_spinner=False)
def _shipped(mtime: float) -> Current:
    data = shipped_ledger().read_bytes()
    return Current(data, digest_of(data), said("shipped ledger (data/funding.csv)"))


def shipped() -> Current:
    return _shipped(shipped_ledger().stat().st_mtime)


@st.cache_resource(show_spinner=False)  # quick; the page's own spinner says what it reads
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
    except Exception:  # an unreachable database must not take the dashboard down
        # visitors are told the store is unavailable; host, port and driver go to the log
        log.exception("the ledger store cannot be read")
        session.store_down(True)
        return shipped()
    session.store_down(False)
    if version is None:
        return shipped()
    data = _version_content(store().url, version.id)
    return Current(data, version.sha256, said("published version {version}",
                                              version=str(version.id)), version.id)


def version(version_id: int) -> Current:
    data = _version_content(store().url, version_id)
    digest = store().get(version_id).sha256  # stored with the version: no need to rehash
    return Current(data, digest, said("stored version {version} (viewing)",
                                      version=str(version_id)), version_id)


def parsed_version(version_id: int) -> Ledger:
    return ledger_of(version(version_id))


def current() -> Current:
    """This session's ledger: its own choice (an upload or a stored version), or the
    current published version."""
    return session.chosen() or published()


def use_version(version_id: int) -> None:
    session.use(version(version_id))
