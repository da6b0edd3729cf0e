"""Data: upload a funding CSV and see its problems or what it changes; use it for
this session or publish it for everyone (editors); history of published
versions; downloads of the current ledger and a template."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from ledger.api import (
    MAX_BYTES,
    N_,
    Diff,
    Ledger,
    LedgerError,
    Outcome,
    _,
    diff,
    diff_words,
    merge_untrusted,
    money_range,
    problem_line,
    said_words,
    shown_day,
    template_csv,
    template_xlsx,
    text_table_csv,
)
from ui import caches, editor, session
from ui.mapping_step import mapped_upload, needs_mapping
from ui.pins import keep_draft
from ui.session import Keys
from ui.view import get, problems_frame
from ui.widgets import plain

view = get()
caches.sandbox_warmed()  # the first upload then does not wait for the checking process
st.title(_("Data"))
flash = session.take_flash()
if flash:
    st.success(flash)
st.write(_("In use for your session: **{label}** (content `{content}`).").format(
    label=plain(said_words(view.current.label)), content=view.current.digest[:12]))
if session.chosen() is not None:
    st.button(_("Back to the published ledger"), on_click=session.back_to_published, key="back")
if session.is_store_down():
    st.warning(_("The ledger store is unavailable, so the shipped ledger is shown."))


SHOWN = 1_000  # rows of a diff shown on the page; the full diff is a download


def show_diff(changes: Diff, after: Ledger, prefix: str) -> None:
    st.info(_("Compared with what you use now: {summary}.").format(
        summary=diff_words(*changes.counts())))

    def table(title: str, frame: pd.DataFrame, total: int, key: str) -> None:
        more = " " + _("(the first {shown} of {total})").format(
            shown=f"{SHOWN:,}", total=f"{total:,}") if total > SHOWN else ""
        st.write(title + more)
        st.dataframe(frame, hide_index=True, width="stretch", key=f"{prefix}_{key}")

    if changes.added:
        ids = set(changes.added[:SHOWN])
        rows = after.frame.head(SHOWN * 4)  # added rows are usually near the end of a small
        picked = rows[rows["id"].isin(ids)]  # file; in a large one, show the first ones found
        if len(picked) < len(ids):
            picked = after.frame[after.frame["id"].isin(ids)]
        picked = picked.assign(amount=[money_range(lo, hi, cur) for lo, hi, cur in zip(
            picked["low"], picked["high"], picked["currency"], strict=True)])
        table(_("Rows added"), picked[["row", "id", "kind", "name", "amount", "unit", "status",
                                    "ref"]], len(changes.added), "added")
    if changes.removed:
        table(_("Rows removed"), pd.DataFrame({"id": changes.removed[:SHOWN]}),
              len(changes.removed), "removed")
    if changes.changed:
        table(_("Fields changed"), pd.DataFrame([vars(c) for c in changes.changed[:SHOWN]])
              .rename(columns=lambda column: _(column)),
              len(changes.changed), "changed")
    if len(changes.added) + len(changes.removed) + len(changes.changed) > SHOWN:
        st.download_button(_("Full diff (text)"), data=lambda: "\n".join(changes.lines()),
                           file_name="ledger-diff.txt", mime="text/plain", key=f"{prefix}_dl",
                           on_click="ignore")


OUTCOME_MESSAGES = {
    Outcome.WRONG: N_("Wrong editor secret: nothing was published or restored."),
    Outcome.BUSY: N_("Too many attempts at the editor secret in the last minute: nothing "
                     "was published or restored. Try again in a minute."),
    Outcome.OFF: N_("Publishing is off on this server."),
}


def editor_action(key: str, label: str, act: Callable[[], str | None]) -> None:
    """The editor secret field and a button. The check and the action run in the
    button's callback, which also empties the secret field, so the secret is neither
    kept in the box nor sent back with the page."""
    st.text_input(_("Editor secret"), type="password", key=f"{key}_secret")

    def on_click() -> None:
        given = st.session_state.get(f"{key}_secret", "")
        st.session_state[f"{key}_secret"] = ""
        outcome = editor.gate().attempt(given, editor.client_key())
        if outcome is Outcome.ACCEPTED:
            message = act()
            if message:
                session.flash(message)
        else:
            st.session_state[f"{key}_refused"] = _(OUTCOME_MESSAGES[outcome])

    st.button(label, key=key, type="primary", on_click=on_click)
    refused = st.session_state.pop(f"{key}_refused", None)
    if refused:
        st.error(refused)


st.subheader(_("Upload an updated funding CSV or a workbook"))
st.caption(_("Your upload stays in your session: nobody else sees it until an editor "
             "publishes it. Limit {limit} MB. A workbook, or a table whose columns are not "
             "ours, goes through a column mapping first (the Kiel tracker's workbook is "
             "recognised).").format(limit=f"{MAX_BYTES / 1e6:,.0f}"))
UPLOAD_MODES = {"whole": _("The whole ledger: it replaces the one in use"),
                "rows": _("Rows to add or update: matched by id, every other row kept")}
mode = st.radio(_("The file holds"), list(UPLOAD_MODES), format_func=UPLOAD_MODES.__getitem__,
                key="upload_mode", horizontal=True,
                help=_("A whole ledger replaces the one in use: a row it lacks is gone. A "
                       "file of rows adds its new ids and updates those already there."))
upload = st.file_uploader(_("Funding CSV, or a workbook (.xlsx, .xls, .ods) or someone "
                            "else's CSV to map"), key=Keys.UPLOAD,
                          max_upload_size=MAX_BYTES // 1_000_000)
data: bytes | None = upload.getvalue() if upload is not None else None
if upload is not None and data is not None and needs_mapping(data):
    data = mapped_upload(data)
if upload is not None and data is not None:
    with st.status(_("Checking {size} MB…").format(size=f"{len(data) / 1e6:,.1f}"),
                   expanded=False) as progress:
        st.write(_("Reading and validating every row…"))
        ledger: Ledger | None
        try:  # kept in this session, so "Use for my session" parses nothing again
            if mode == "rows" and view.ledger is not None:
                st.write(_("Adding and updating these rows in the ledger in use…"))
                data = merge_untrusted(view.current.data, data)
            ledger = session.own_upload(data)
            problems = list(ledger.warnings)
        except LedgerError as exc:
            ledger, problems, total_problems = None, exc.problems, exc.total
        if ledger is not None and view.ledger is not None:
            st.write(_("{count} rows are valid; comparing with what you use now…").format(
                count=f"{len(ledger.frame):,}"))
            changes = diff(view.ledger, ledger)
        progress.update(label=_("Checked") if ledger is not None else _("Problems found"),
                        state="complete" if ledger is not None else "error")
    if ledger is None:
        st.error(_("This file cannot be used: {count} problem(s). Nothing has changed: the "
                   "figures in force stay in force.").format(count=f"{total_problems:,}"))
        st.dataframe(problems_frame(problems), hide_index=True, width="stretch",
                     key="upload_problems")
    else:
        for warning in problems:
            st.warning(plain(problem_line(warning)))
        if view.ledger is not None:
            show_diff(changes, ledger, "upload")
        label = _("your upload ({count} rows, uploaded as {name})").format(
            count=f"{len(ledger.frame):,}", name=repr(upload.name))
        if st.button(_("Use for my session"), key="use_upload"):
            session.use_for_session(data, label)
            token = keep_draft(data, label)
            session.flash(
                _("Now in use for your session: {label}. Everyone else still sees the "
                  "published ledger.").format(label=plain(label)) + " " + (
                    _("The address now holds a private draft link (kept 7 days): a reload "
                      "keeps your upload, and anyone you give that address to sees it.")
                    if token else _("It could not be kept for a reload (the store is "
                                    "unavailable, or the upload is larger than a draft may "
                                    "be), so reloading the page returns to the published "
                                    "ledger.")))
            st.rerun()
        with st.expander(_("Publish for everyone (editors)"), expanded=False):
            if not editor.gate().enabled:
                st.info(_("Publishing is off. To turn it on, set the environment variable "
                          "LEDGER_EDITOR_SECRET, or `editor_secret` in "
                          ".streamlit/secrets.toml, and restart the dashboard."))
            else:
                st.text_input(_("What changed (comment)"), key=Keys.PUBLISH_COMMENT)
                st.text_input(_("Your name or initials"), key=Keys.PUBLISH_AUTHOR)

                def publish(data: bytes = data) -> str:
                    result = caches.store().publish(
                        data, st.session_state.get(Keys.PUBLISH_COMMENT, ""),
                        st.session_state.get(Keys.PUBLISH_AUTHOR, ""))
                    if result.created:
                        return _("Published as version {version}.").format(
                            version=result.version.id)
                    return _("Identical to the current version {version}: nothing "
                             "changed.").format(version=result.version.id)

                editor_action("publish", _("Publish"), publish)

st.subheader(_("History of published versions"))
try:
    history = caches.store().history()
except Exception:  # keep the page usable when the database is down; details to the log
    caches.log.exception("the history of versions cannot be read")
    history = []
    st.warning(_("The history is unavailable: the ledger store cannot be reached."))
if history:
    st.dataframe(pd.DataFrame({
        _("version"): [v.id for v in history],
        _("published (UTC)"): [f"{shown_day(v.created_at[:10])} {v.created_at[11:16]}"
                               for v in history],  # the day as the reader writes it
        _("rows"): [v.row_count for v in history],
        _("comment"): [v.comment for v in history],
        _("author"): [v.author for v in history],
        _("restored from"): [str(v.restored_from or "") for v in history],
        _("content"): [v.sha256[:12] for v in history],
    }), hide_index=True, width="stretch", key="history")
    ids = [v.id for v in history]
    left, right = st.columns(2)
    # keys name the latest version, so a new version starts the pickers afresh
    chosen = left.selectbox(_("Version"), ids, key=f"history_version_{ids[0]}")
    other = right.selectbox(_("Compare with"), ids, index=min(1, len(ids) - 1),
                            key=f"history_compare_{ids[0]}")
    if st.button(_("View this version in my session"), key="history_view"):
        caches.use_version(int(chosen))
        st.rerun()
    if chosen != other:
        try:
            before = caches.parsed_version(int(other))
            after = caches.parsed_version(int(chosen))
        except LedgerError as exc:
            st.error(plain(_("A stored version could not be read: {problem}").format(
                problem="; ".join(problem_line(p) for p in exc.problems[:5]))))
        else:
            changes = diff(before, after)
            st.write(_("From version {before} to version {after}: {summary}.").format(
                before=other, after=chosen, summary=diff_words(*changes.counts())))
            if not changes.empty:
                st.dataframe(pd.DataFrame({_("change"): changes.lines()}), hide_index=True,
                             width="stretch", key="history_diff")
    if editor.gate().enabled and chosen != ids[0]:
        with st.expander(_("Restore version {version} as the current one (editors)").format(
                version=chosen)):
            def restore(version_id: int = int(chosen)) -> str:
                result = caches.store().restore(version_id, author="dashboard")
                return _("Restored as version {version}.").format(version=result.version.id)

            editor_action("restore", _("Restore"), restore)

st.subheader(_("Downloads"))
left, right = st.columns(2)
if view.ledger is not None:
    current_ledger = view.ledger
    left.download_button(
        _("Current ledger (CSV)"), data=lambda: text_table_csv(current_ledger.text),
        file_name=f"funding-{view.current.digest[:12]}.csv", mime="text/csv",
        key="dl_current", on_click="ignore",
        help=_("The ledger in force, cell by cell as read, every field quoted. A cell that a "
               "spreadsheet would run as a formula starts with ' here, so this file may "
               "differ from the one uploaded."))
right.download_button(_("Template (CSV)"), data=template_csv(), file_name="funding-template.csv",
                      mime="text/csv", key="dl_template", on_click="ignore")
right.download_button(_("Template (Excel, with dropdowns)"), data=template_xlsx,
                      file_name="funding-template.xlsx", key="dl_template_xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      on_click="ignore")
