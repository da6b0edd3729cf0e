"""Data: upload a funding CSV and see its problems or what it changes; use it for
this session or publish it for everyone (editors); history of published
versions; downloads of the current ledger and a template."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.diff import Diff, diff
from ledger.problems import LedgerError
from ledger.schema import Ledger, template_csv
from ledger.textfile import MAX_BYTES
from ui import state
from ui.view import get, problems_frame
from ui.widgets import plain

view = get()
st.title("Data")
flash = st.session_state.pop("_flash", None)
if flash:
    st.success(flash)
st.write(f"In use for your session: **{plain(view.current.label)}** "
         f"(content `{view.current.digest[:12]}`).")
if st.session_state.get("session_ledger") is not None:
    st.button("Back to the published ledger", on_click=state.back_to_published, key="back")
if st.session_state.get("_store_error"):
    st.warning("The ledger store cannot be read, so the shipped ledger is shown: "
               + st.session_state["_store_error"])


SHOWN = 1_000  # rows of a diff shown on the page; the full diff is a download


def show_diff(changes: Diff, after: Ledger, prefix: str) -> None:
    st.info(f"Compared with what you use now: {changes.summary()}.")

    def table(title: str, frame: pd.DataFrame, total: int, key: str) -> None:
        more = f" (the first {SHOWN:,} of {total:,})" if total > SHOWN else ""
        st.write(title + more)
        st.dataframe(frame, hide_index=True, width="stretch", key=f"{prefix}_{key}")

    if changes.added:
        ids = set(changes.added[:SHOWN])
        rows = after.frame.head(SHOWN * 4)  # added rows are usually near the end of a small
        picked = rows[rows["id"].isin(ids)]  # file; in a large one, show the first ones found
        if len(picked) < len(ids):
            picked = after.frame[after.frame["id"].isin(ids)]
        table("Rows added", picked[["row", "id", "kind", "name", "unit", "status", "ref"]],
              len(changes.added), "added")
    if changes.removed:
        table("Rows removed", pd.DataFrame({"id": changes.removed[:SHOWN]}),
              len(changes.removed), "removed")
    if changes.changed:
        table("Fields changed", pd.DataFrame([vars(c) for c in changes.changed[:SHOWN]]),
              len(changes.changed), "changed")
    if len(changes.added) + len(changes.removed) + len(changes.changed) > SHOWN:
        st.download_button("Full diff (text)", data=lambda: "\n".join(changes.lines()),
                           file_name="ledger-diff.txt", mime="text/plain", key=f"{prefix}_dl",
                           on_click="ignore")


def editor_check(key: str) -> bool:
    """The editor secret field; True once the secret given is right."""
    given = st.text_input("Editor secret", type="password", key=f"{key}_secret")
    if not st.button("Publish" if key == "publish" else "Restore", key=key,
                     type="primary"):
        return False
    if state.gate().check(given, state.client_key()):
        return True
    st.error("Wrong editor secret: nothing was published or restored.")
    return False


st.subheader("Upload an updated funding CSV")
st.caption("Your upload stays in your session: nobody else sees it until an editor "
           f"publishes it. Limit {MAX_BYTES / 1e6:,.0f} MB.")
upload = st.file_uploader("Funding CSV", key="upload", max_upload_size=MAX_BYTES // 1_000_000)
if upload is not None:
    data = upload.getvalue()
    with st.status(f"Checking {len(data) / 1e6:,.1f} MB…", expanded=False) as progress:
        st.write("Reading and validating every row…")
        try:  # through the content-keyed cache, so "Use for my session" parses nothing again
            ledger = state.parsed(state.digest_of(data), data)
            problems = list(ledger.warnings)
        except LedgerError as exc:
            ledger, problems = None, exc.problems
        if ledger is not None and view.ledger is not None:
            st.write(f"{len(ledger.frame):,} rows are valid; comparing with what you use now…")
            changes = diff(view.ledger, ledger)
        progress.update(label="Checked" if ledger is not None else "Problems found",
                        state="complete" if ledger is not None else "error")
    if ledger is None:
        st.error(f"This file cannot be used: {len(problems)} problem(s). "
                 "Nothing has changed: the figures in force stay in force.")
        st.dataframe(problems_frame(problems), hide_index=True, width="stretch",
                     key="upload_problems")
    else:
        for warning in problems:
            st.warning(str(warning))
        if view.ledger is not None:
            show_diff(changes, ledger, "upload")
        label = f"your upload ({len(ledger.frame):,} rows, uploaded as {upload.name!r})"
        if st.button("Use for my session", key="use_upload"):
            state.use_for_session(data, label)
            st.rerun()
        with st.expander("Publish for everyone (editors)", expanded=False):
            if not state.gate().enabled:
                st.info("Publishing is off. To turn it on, set the environment variable "
                        "LEDGER_EDITOR_SECRET, or `editor_secret` in .streamlit/secrets.toml, "
                        "and restart the dashboard.")
            else:
                comment = st.text_input("What changed (comment)", key="publish_comment")
                author = st.text_input("Your name or initials", key="publish_author")
                if editor_check("publish"):
                    with st.spinner("Publishing…"):
                        result = state.store().publish(data, comment, author)
                    if result.created:
                        st.session_state["_flash"] = f"Published as version {result.version.id}."
                        st.rerun()  # so the sidebar, history and figures show the new version
                    st.info(f"Identical to the current version {result.version.id}: "
                            "nothing changed.")

st.subheader("History of published versions")
try:
    history = state.store().history()
except Exception as exc:  # keep the page usable when the database is down
    history = []
    st.warning(f"The history cannot be read: {type(exc).__name__}: {exc}")
if history:
    st.dataframe(pd.DataFrame({
        "version": [v.id for v in history],
        "published (UTC)": [v.created_at for v in history],
        "rows": [v.row_count for v in history],
        "comment": [v.comment for v in history],
        "author": [v.author for v in history],
        "restored from": [v.restored_from or "" for v in history],
        "content": [v.sha256[:12] for v in history],
    }).astype({"restored from": "str"}), hide_index=True, width="stretch", key="history")
    ids = [v.id for v in history]
    left, right = st.columns(2)
    # keys name the latest version, so a new version starts the pickers afresh
    chosen = left.selectbox("Version", ids, key=f"history_version_{ids[0]}")
    other = right.selectbox("Compare with", ids, index=min(1, len(ids) - 1),
                            key=f"history_compare_{ids[0]}")
    if st.button("View this version in my session", key="history_view"):
        state.use_version(int(chosen))
        st.rerun()
    if chosen != other:
        try:
            before = state.parsed_version(int(other))
            after = state.parsed_version(int(chosen))
        except LedgerError as exc:
            st.error(f"A stored version could not be read: {exc}")
        else:
            changes = diff(before, after)
            st.write(f"From version {other} to version {chosen}: {changes.summary()}.")
            if not changes.empty:
                st.dataframe(pd.DataFrame({"change": changes.lines()}), hide_index=True,
                             width="stretch", key="history_diff")
    if state.gate().enabled and chosen != ids[0]:
        with st.expander(f"Restore version {chosen} as the current one (editors)"):
            if editor_check("restore"):
                result = state.store().restore(int(chosen), author="dashboard")
                st.session_state["_flash"] = f"Restored as version {result.version.id}."
                st.rerun()

st.subheader("Downloads")
left, right = st.columns(2)
left.download_button("Current ledger (CSV)", data=view.current.data,
                     file_name=f"funding-{view.current.digest[:12]}.csv", mime="text/csv",
                     key="dl_current", on_click="ignore")
right.download_button("Template (CSV)", data=template_csv(), file_name="funding-template.csv",
                      mime="text/csv", key="dl_template", on_click="ignore")
