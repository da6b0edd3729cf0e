"""Data: upload a funding CSV, see its problems or what it changes, use it for
this session; download the current ledger and a template."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ledger.diff import diff
from ledger.schema import template_csv, validate
from ledger.textfile import MAX_BYTES
from ui import state
from ui.view import get, problems_frame
from ui.widgets import plain

view = get()
st.title("Data")
st.write(f"In use for your session: **{plain(view.current.label)}** "
         f"(version `{view.current.digest[:12]}`).")
if st.session_state.get("session_ledger") is not None:
    st.button("Back to the shipped ledger", on_click=state.back_to_shipped, key="back")

st.subheader("Upload an updated funding CSV")
st.caption("Your upload stays in your session: nobody else sees it. "
           f"Limit {MAX_BYTES / 1e6:,.0f} MB.")
upload = st.file_uploader("Funding CSV", key="upload", max_upload_size=MAX_BYTES // 1_000_000)
if upload is not None:
    data = upload.getvalue()
    with st.spinner("Checking the file…"):
        ledger, problems = validate(data)
    if ledger is None:
        st.error(f"This file cannot be used: {len(problems)} problem(s). "
                 "Nothing has changed: the figures in force stay in force.")
        st.dataframe(problems_frame(problems), hide_index=True, width="stretch",
                     key="upload_problems")
    else:
        for warning in problems:
            st.warning(str(warning))
        if view.ledger is not None:
            changes = diff(view.ledger, ledger)
            st.info(f"Compared with what you use now: {changes.summary()}.")
            if changes.added:
                st.write("Rows added")
                st.dataframe(ledger.frame[ledger.frame["id"].isin(changes.added)][
                    ["row", "id", "kind", "name", "unit", "status", "ref"]],
                    hide_index=True, width="stretch", key="diff_added")
            if changes.removed:
                st.write("Rows removed")
                st.dataframe(pd.DataFrame({"id": changes.removed}), hide_index=True,
                             width="stretch", key="diff_removed")
            if changes.changed:
                st.write("Fields changed")
                st.dataframe(pd.DataFrame([vars(c) for c in changes.changed]),
                             hide_index=True, width="stretch", key="diff_changed")
        label = f"your upload ({len(ledger.frame):,} rows, uploaded as {upload.name!r})"
        if st.button("Use for my session", type="primary", key="use_upload"):
            state.use_for_session(data, label)
            st.rerun()

st.subheader("Downloads")
left, right = st.columns(2)
left.download_button("Current ledger (CSV)", data=view.current.data,
                     file_name=f"funding-{view.current.digest[:12]}.csv", mime="text/csv",
                     key="dl_current")
right.download_button("Template (CSV)", data=template_csv(), file_name="funding-template.csv",
                      mime="text/csv", key="dl_template")
