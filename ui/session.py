"""This session's own state: which ledger it looks at, its upload and the
reconciliations of that upload, the message for its next run. Every
`st.session_state` key the app uses is named here, once."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ledger.api import Ledger, Reconciliation, Scenario, read_untrusted

OWN_RESULTS_KEPT = 3  # reconciliations of a session's own upload, most recent first


class Keys:
    """Names in `st.session_state`. Widget keys are the widgets' own names."""

    LEDGER = "session_ledger"  # the Current this session chose (an upload, a version)
    OWN_LEDGER = "_own_ledger"  # (sha256, Ledger) of this session's upload
    OWN_RESULTS = "_own_results"  # its reconciliations, by scenario
    OWN_HISTORY = "_own_history"  # its gap history, for the last scenario asked
    FLASH = "_flash"  # a message for the next run ("Published as version 3.")
    STORE_DOWN = "_store_error"  # the store could not be read on this run
    VIEW = "_view"  # what every page shows (ui.view.View)
    UPLOAD_SEEN = "_upload_seen"  # when each posted file was first seen
    SEEDED = "_seeded"  # the link's scenario became the widgets' values
    LINK_NOTES = "_url_notes"  # what the link got wrong
    DRAFT = "_draft"  # the token under which this session's upload is kept (ledger.storage.store)
    # widgets
    UPLOAD = "upload"
    CURRENCY, FX_MODE, FX_DATE, STATUSES, SHIFT, ASOF, PART, INSTRUMENTS = (
        "currency", "fx_mode", "fx_date", "statuses", "shift", "asof", "part", "instruments")
    AVAILABILITY = "avail:"  # + source id
    AVAILABILITY_OPEN = "availability_open"  # the sidebar's sliders are drawn
    AVAILABILITY_STAYS_OPEN = "availability_stays_open"  # reopened on another page
    PUBLISH_COMMENT, PUBLISH_AUTHOR = "publish_comment", "publish_author"
    SCENARIO_WIDGETS = (CURRENCY, FX_MODE, FX_DATE, STATUSES, SHIFT, ASOF, PART, INSTRUMENTS)


@dataclass(frozen=True)
class Current:
    """The ledger this session is looking at."""

    data: bytes
    digest: str
    label: str
    version_id: int | None = None
    shared: bool = True  # the shipped ledger or a stored version; False: the user's upload


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def chosen() -> Current | None:
    """The ledger this session chose, if it chose one (else: the published one)."""
    mine = st.session_state.get(Keys.LEDGER)
    return mine if isinstance(mine, Current) else None


def use_for_session(data: bytes, label: str) -> None:
    st.session_state[Keys.LEDGER] = Current(data, digest_of(data), label, shared=False)


def use(current: Current) -> None:
    st.session_state[Keys.LEDGER] = current


def back_to_published() -> None:
    st.session_state.pop(Keys.LEDGER, None)
    st.session_state.pop(Keys.DRAFT, None)


def own_upload(data: bytes) -> Ledger:
    """An upload, read in a worker process with limits, kept in this session only."""
    digest = digest_of(data)
    kept = st.session_state.get(Keys.OWN_LEDGER)
    if kept is not None and kept[0] == digest:
        return kept[1]
    ledger = read_untrusted(data)
    st.session_state[Keys.OWN_LEDGER] = (digest, ledger)
    st.session_state.pop(Keys.OWN_RESULTS, None)
    st.session_state.pop(Keys.OWN_HISTORY, None)
    return ledger


def own_view(key: str, build: Callable[[], Reconciliation]) -> Reconciliation:
    """A reconciliation of this session's upload by `key`, built once: the last few
    are kept."""
    results: OrderedDict[str, Reconciliation] = st.session_state.setdefault(
        Keys.OWN_RESULTS, OrderedDict())
    if key not in results:
        results[key] = build()
        while len(results) > OWN_RESULTS_KEPT:
            results.popitem(last=False)
    results.move_to_end(key)
    return results[key]


def own_history(ledger: Ledger, scenario: Scenario, build: Any) -> Any:
    """The gap history of this session's upload, kept for one scenario."""
    key = f"{ledger.data_version}:{scenario!r}"
    kept = st.session_state.get(Keys.OWN_HISTORY)
    if kept is None or kept[0] != key:
        kept = (key, build())
        st.session_state[Keys.OWN_HISTORY] = kept
    return kept[1]


def flash(message: str) -> None:
    st.session_state[Keys.FLASH] = message


def take_flash() -> str | None:
    return st.session_state.pop(Keys.FLASH, None)


def store_down(down: bool) -> None:
    if down:
        st.session_state[Keys.STORE_DOWN] = True
    else:
        st.session_state.pop(Keys.STORE_DOWN, None)


def is_store_down() -> bool:
    return bool(st.session_state.get(Keys.STORE_DOWN))
