"""Streamlit entry: navigation, sidebar controls, and the session's view.

Run with `make run` (or `streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from ledger.api import N_, LedgerError, _, said_words
from ui import caches, language, pins, uploads, view
from ui.sidebar import scenario_controls
from ui.widgets import IMAGE_FORMATS, plain

language.choose()  # before any word is written
st.set_page_config(page_title=_("Ukraine funding ledger"), page_icon="📒", layout="wide")
caches.allocator()
# Streamlit fades captions (opacity 0.6) below WCAG AA contrast (4.5:1) on white;
# this colour gives 7.6:1. Our own constant CSS: no user text is in it.
st.html("<style>[data-testid='stCaptionContainer'] { opacity: 1 !important; }"
        "[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p "
        "{ color: #4B5563 !important; }"
        # a phone gets the Sankey as a ranked list (ui/pages/flows.py), a wide screen
        # the diagram
        "@media (max-width: 640px) { .st-key-sankey-wide { display: none !important; } }"
        "@media (min-width: 641px) { .st-key-sankey-narrow { display: none !important; } }"
        # a chart's title (its finding) as text above it on a phone, where it wraps;
        # in the figure on a wide screen (and in the image the chart downloads)
        "@media (min-width: 641px) { [class*='st-key-charttitle-'] "
        "{ display: none !important; } }"
        "@media (max-width: 640px) { .js-plotly-plot .gtitle { display: none !important; } }"
        # a table in full on a wide screen, its key columns on a phone (ui.widgets)
        "@media (max-width: 640px) { .ledger-table .wide-only { display: none; } "
        # a table that keeps every column: a card per row, each cell under its name
        # (the label drawn before it, which screen readers read too)
        ".ledger-table.cards thead { display: none; } "
        ".ledger-table.cards tr { display: block; border: 1px solid #D1D5DB; "
        "margin-bottom: 0.6rem; } "
        ".ledger-table.cards td { display: block; border: none; "
        "border-bottom: 1px solid #F3F4F6; } "
        ".ledger-table.cards td::before { content: attr(data-label); display: block; "
        "font-size: 0.75rem; font-weight: 600; color: #4B5563; } }"
        # key tables are plain HTML (ui.widgets.html_table): ruled, text wrapping, the
        # caption (what the table holds) read by screen readers, not shown twice
        ".ledger-table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }"
        ".ledger-table th, .ledger-table td { border: 1px solid #D1D5DB; "
        "padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }"
        ".ledger-table td.long { overflow-wrap: anywhere; }"
        ".ledger-table th { font-weight: 600; background: #F9FAFB; }"
        ".ledger-table td.num { text-align: right; }"
        # a range never breaks across lines ("€310–" here, "386 bn" there)
        ".range, .ledger-table td.range { white-space: nowrap; }"
        ".lead { font-weight: 700; font-size: 1rem; line-height: 1.6; }"
        ".ledger-table caption { position: absolute; width: 1px; height: 1px; "
        "overflow: hidden; clip-path: inset(50%); white-space: nowrap; }"
        "</style>")

PAGES = [
    st.Page("ui/pages/overview.py", title=_("Overview"), icon=":material/dashboard:", default=True),
    *(st.Page(f"ui/pages/{file}.py", title=_(title), icon=f":material/{icon}:", url_path=path)
      for file, title, icon, path in [
          ("flows", N_("Flows"), "account_tree", "flows"),
          ("donors", N_("Donors"), "volunteer_activism", "donors"),
          ("sources", N_("Sources"), "account_balance", "sources"),
          ("timeline", N_("Timeline"), "timeline", "timeline"),
          ("table", N_("Ledger"), "table", "ledger"),
          ("data", N_("Data"), "upload_file", "data"),
          ("reports", N_("Reports"), "download", "reports"),
          ("methodology", N_("Methodology"), "menu_book", "methodology"),
      ]),
]
page = st.navigation(PAGES)
language.control()
pins.open_linked_version()
current = caches.current()
rates = caches.rates()
ledger = result = reported = None
problems = []
try:
    with st.spinner(_("Reading the ledger…"), show_time=True):
        ledger = caches.ledger_of(current)
except LedgerError as exc:
    problems = exc.problems
scenario = scenario_controls(ledger, rates, pins.pinned_query(current))
if ledger is not None:
    try:
        with st.spinner(_("Reconciling…"), show_time=True):
            result = caches.result_for(current, ledger, scenario)
            reported = caches.reported_for(current, ledger, result)
    except LedgerError as exc:
        problems = exc.problems
st.sidebar.caption(_("Data: {label} · version {version}").format(
    label=plain(said_words(current.label)), version=current.digest[:12]))
st.sidebar.radio(_("Charts download as"), IMAGE_FORMATS, key="image_format", horizontal=True,
                 format_func=str.upper, help=_("The camera in each chart's toolbar downloads "
                                               "the chart with its title, source line and "
                                               "data version."))
# drawn only while open: a code block loads the browser's largest script after plotly's
link_box = st.sidebar.expander(_("Link to this view"), key="link_open", on_change="rerun")
if link_box.open:
    with link_box:
        st.caption(_("The same numbers next month: the link names the data version and "
                     "the rate date. Copy it with the button at its right."))
        st.code(pins.link_to_view(scenario, current, result.fx_date if result else None),
                language=None, wrap_lines=True)
view.put(view.View(current, scenario, ledger, result, problems, reported))
pins.banners(current, ledger, result, scenario)
if problems:
    st.error(_("{count} problem(s) with the ledger or the scenario:").format(
        count=len(problems)))
    st.dataframe(view.problems_frame(problems), hide_index=True, width="stretch")
try:
    page.run()
finally:  # a session keeps no reconciliation between runs: only the shared cache, within
    view.forget()  # its budget, decides what stays (a link's scenario is not held per session)
uploads.release_unused_uploads()
uploads.upload_sweeper()
caches.long_lived_frozen()
