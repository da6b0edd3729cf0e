"""Links that stay true: a shared link names the data version (`v`) and the rate
date (`on`), so it shows the same numbers after the next publish, and says so
when a newer version exists; a banner says which scenario a page shows."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from ledger.api import (
    Ledger,
    Reconciliation,
    Scenario,
    _,
    said,
    said_words,
    scenario_words,
    to_query,
)
from ui import caches, session
from ui.session import Current, Keys
from ui.widgets import plain

PINNED = "_pinned_version"  # the version a link asked for, once per session


def open_linked_version() -> None:
    """Once per session: a link's `v=N` opens stored version N (if it is not the
    current one); a version that does not exist is named in a warning."""
    if st.session_state.get("_pin_seen"):
        return
    st.session_state["_pin_seen"] = True
    _open_draft(str(st.query_params.get("draft", "")).strip())
    wanted = str(st.query_params.get("v", "")).strip().lstrip("v")
    if not wanted or session.chosen() is not None:
        return
    if not wanted.isdigit():
        st.session_state.setdefault(Keys.LINK_NOTES, []).append(
            said("'{version}' is not a data version: showing the current one",
                 version=wanted[:20]))
        return
    try:
        published = caches.published()
        if published.version_id == int(wanted):
            st.session_state[PINNED] = int(wanted)
            return
        caches.use_version(int(wanted))
        st.session_state[PINNED] = int(wanted)
    except Exception:
        st.session_state.setdefault(Keys.LINK_NOTES, []).append(
            said("the link's data version {version} does not exist here: showing the "
                 "current one", version=wanted[:12]))


def _open_draft(token: str) -> None:
    """A reload (or the draft link) brings back the upload kept under its token."""
    if not token:
        return
    try:
        found = caches.store().draft(token)
    except Exception:
        found = None
    if found is None:
        st.session_state.setdefault(Keys.LINK_NOTES, []).append(
            said("the link's draft has expired (drafts are kept 7 days) or does not "
                 "exist: showing the published ledger"))
        return
    content, label = found
    session.use_for_session(content, label or "your upload (from its draft link)")
    st.session_state[Keys.DRAFT] = token


def keep_draft(data: bytes, label: str) -> str | None:
    """Keep this session's upload under a private, unguessable link for 7 days, so
    a reload does not lose it (the same upload again keeps its one draft); None when
    the store cannot be written or the upload is larger than a draft may be."""
    from ui.editor import client_key

    try:
        token = caches.store().save_draft(data, label, client_key())
    except Exception:
        caches.log.exception("a draft could not be kept")
        return None
    if token is not None:
        st.session_state[Keys.DRAFT] = token
    return token


def pinned_query(current: Current) -> dict[str, str]:
    """`v` for the address bar while a linked or chosen stored version is shown;
    `draft` while this session's own upload is."""
    if not current.shared and st.session_state.get(Keys.DRAFT):
        return {"draft": str(st.session_state[Keys.DRAFT])}
    if current.version_id is not None and session.chosen() is not None:
        return {"v": str(current.version_id)}
    if st.session_state.get(PINNED) is not None and current.version_id is not None:
        return {"v": str(current.version_id)}
    return {}


def link_to_view(scenario: Scenario, current: Current, rates_date: object) -> str:
    """This view as a link that shows the same numbers next month: the scenario,
    the data version and the rate date."""
    query = to_query(scenario)
    if current.version_id is not None:
        query["v"] = str(current.version_id)
    if scenario.fx_mode == "date" and "on" not in query and rates_date is not None:
        query["on"] = str(rates_date)
    try:
        base = urlsplit(str(st.context.url or ""))
        address = urlunsplit((base.scheme, base.netloc, base.path, "", ""))
    except Exception:
        address = ""
    return (address or "") + "?" + urlencode(query, safe=",:")


def banners(current: Current, ledger: Ledger | None, result: Reconciliation | None,
            scenario: Scenario) -> None:
    """At the top of every page: a draft (an upload in use) is not published; an older
    version is shown; the scenario differs from the default view."""
    if not current.shared:
        st.warning(_("Draft — not published: these figures are from {label}, in use for "
                     "your session only. Exported charts and reports say so too.").format(
                         label=plain(said_words(current.label))), icon=":material/draft:")
    if current.version_id is not None and session.chosen() is not None:
        try:
            latest = caches.published().version_id
        except Exception:
            latest = None
        if latest is not None and latest != current.version_id:
            left, right = st.columns([4, 1])
            left.info(_("You are looking at version {version}; the current one is "
                        "{latest}.").format(version=current.version_id, latest=latest))
            right.button(_("Open the current version"), key="open_current",
                         on_click=_to_current)
    if ledger is None:
        return
    # the names of the sources the scenario mentions only, not a dict of every row's
    # name on every rerun
    names: dict[str, str] = {}
    if scenario.availability:
        frame = ledger.frame
        mentioned = frame["id"].isin([sid for sid, _ in scenario.availability]).to_numpy()
        names = dict(zip(frame["id"][mentioned], frame["name"][mentioned], strict=True))
    latest_rates = result.rates_latest if result is not None else None
    words = scenario_words(scenario, names, latest_rates)
    if words:
        left, right = st.columns([4, 1])
        left.info(plain(_("Scenario: {levers}").format(levers=" · ".join(words))))
        from ui.sidebar import reset

        right.button(_("Reset the scenario"), key="banner_reset", on_click=reset)


def _to_current() -> None:
    session.back_to_published()
    st.session_state.pop(PINNED, None)
    st.query_params.pop("v", None)
    st.query_params.pop("draft", None)
