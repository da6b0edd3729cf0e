"""Per-session data and the shared, memory-bounded caches.

What every session may see — the shipped ledger and published versions, and
their reconciliations — is cached once for all, within a memory budget
(LEDGER_CACHE_MB) and evicted by size. What a user uploaded is theirs: it is
read in a worker process with a time and memory limit, and it and its
reconciliations live in that user's `st.session_state` only, so they go when
the session goes.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from ledger.access import EditorGate, client_from_forwarded
from ledger.cache import SizedCache, budget_bytes, object_bytes
from ledger.fx import RateTable
from ledger.reconcile import Reconciliation, default_rates, reconcile
from ledger.sandbox import read_untrusted
from ledger.scenario import Scenario
from ledger.schema import Ledger, read_ledger
from ledger.store import Store, database_url

log = logging.getLogger("ledger.dashboard")
OWN_RESULTS_KEPT = 3  # reconciliations of a session's own upload, most recent first

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "funding.csv"


@dataclass(frozen=True)
class Current:
    """The ledger this session is looking at."""

    data: bytes
    digest: str
    label: str
    version_id: int | None = None
    shared: bool = True  # the shipped ledger or a stored version; False: the user's upload


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
        return shared_cache().get(("ledger", current.digest),  # type: ignore[no-any-return]
                                  lambda: read_ledger(current.data))
    return own_upload(current.data)


def own_upload(data: bytes) -> Ledger:
    """An upload, read in a worker process with limits, kept in this session only."""
    digest = digest_of(data)
    kept = st.session_state.get("_own_ledger")
    if kept is not None and kept[0] == digest:
        return kept[1]  # type: ignore[no-any-return]
    ledger = read_untrusted(data)
    st.session_state["_own_ledger"] = (digest, ledger)
    st.session_state.pop("_own_results", None)
    return ledger


def result_for(current: Current, ledger: Ledger, scenario: Scenario) -> Reconciliation:
    if current.shared:
        return shared_cache().get(  # type: ignore[no-any-return]
            ("result", ledger.data_version, repr(scenario)),
            lambda: reconcile(ledger, scenario, rates()))
    results: OrderedDict[str, Reconciliation] = st.session_state.setdefault(
        "_own_results", OrderedDict())
    key = f"{ledger.data_version}:{scenario!r}"
    if key not in results:
        results[key] = reconcile(ledger, scenario, rates())
        while len(results) > OWN_RESULTS_KEPT:
            results.popitem(last=False)
    results.move_to_end(key)
    return results[key]


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
    except Exception:  # an unreachable database must not take the dashboard down
        # visitors are told the store is unavailable; host, port and driver go to the log
        log.exception("the ledger store cannot be read")
        st.session_state["_store_error"] = True
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
    return ledger_of(version(version_id))


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
    return st.context.ip_address or "unknown"


def use_for_session(data: bytes, label: str) -> None:
    st.session_state["session_ledger"] = Current(data, digest_of(data), label, shared=False)


def back_to_published() -> None:
    st.session_state.pop("session_ledger", None)



UPLOAD_GRACE_SECONDS = 30.0  # an upload arriving while another rerun runs is not cut short


def release_unused_uploads(keep_keys: tuple[str, ...] = ("upload",)) -> int:
    """Drop every file this session posted to Streamlit's upload endpoint that no
    uploader of ours holds now. Streamlit keeps each posted file in memory until the
    session ends, whether or not any widget asked for it; what we read is copied into
    the session already. Returns how many files were released."""
    import time

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    storage = getattr(manager, "file_storage", None)
    if ctx is None or manager is None or not isinstance(storage, dict):
        return 0
    keep = {getattr(st.session_state.get(key), "file_id", None) for key in keep_keys}
    seen: dict[str, float] = st.session_state.setdefault("_upload_seen", {})
    now = time.monotonic()
    released = 0
    for file_id in list(storage.get(ctx.session_id, {})):
        first_seen = seen.setdefault(file_id, now)
        if file_id not in keep and now - first_seen > UPLOAD_GRACE_SECONDS:
            manager.remove_file(ctx.session_id, file_id)
            seen.pop(file_id, None)
            released += 1
    return released


SWEEP_SECONDS = 10.0


@st.cache_resource(show_spinner=False)
def upload_sweeper() -> object:
    """Once per server: a thread that, every SWEEP_SECONDS, keeps only the newest file
    each session posted (and any younger than UPLOAD_GRACE_SECONDS). A client that
    posts files without ever rerunning the app cannot pile them up in memory."""
    import threading
    import time

    try:
        from streamlit.runtime import Runtime

        manager = Runtime.instance().uploaded_file_mgr
    except Exception:  # no server runtime (AppTest, bare mode): nothing to sweep
        return None
    seen: dict[str, float] = {}

    def sweep_forever() -> None:
        while True:
            time.sleep(SWEEP_SECONDS)
            try:
                sweep_uploads(manager, seen, time.monotonic())
                return_free_memory()
            except Exception:  # never let the sweeper die; say why in the log
                log.exception("sweeping uploaded files failed")

    thread = threading.Thread(target=sweep_forever, name="upload-sweeper", daemon=True)
    thread.start()
    return thread


def sweep_uploads(manager: Any, seen: dict[str, float], now: float) -> int:
    storage = getattr(manager, "file_storage", None)
    if not isinstance(storage, dict):
        return 0
    released = 0
    present: set[str] = set()
    for session_id, files in list(storage.items()):
        ids = list(files)
        present.update(ids)
        for file_id in ids:
            seen.setdefault(file_id, now)
        for file_id in ids[:-1]:  # the newest may be what the uploader shows
            if now - seen[file_id] > UPLOAD_GRACE_SECONDS:
                manager.remove_file(session_id, file_id)
                released += 1
    for file_id in set(seen) - present:  # sessions that ended took their files along
        del seen[file_id]
    return released


def return_free_memory() -> None:
    """Hand memory freed by sessions that ended back to the system: Arrow's pool and
    the C allocator both keep freed pages for reuse, so the server's resident size
    would otherwise stay at its peak after a large upload's session is gone."""
    import contextlib
    import ctypes
    import gc

    import pyarrow as pa

    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
