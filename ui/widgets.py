"""Small shared pieces of page layout."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ledger.csvout import frame_csv

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's markdown turns bare addresses into links after escapes are resolved
# (GFM autolink literals: http://, https://, www., name@host): a word joiner, which
# shows as nothing, keeps them plain text
_AUTOLINK = re.compile(r"(?i)(https?:|www(?=\.)|@)")
WORD_JOINER = "\u2060"


def plain(text: object) -> str:
    """Escape markdown so text from a ledger or a link shows as typed, never as markup:
    no link, no image, no formatting. Every label and message built from user text
    goes through here."""
    joined = _AUTOLINK.sub(lambda m: m.group(1) + WORD_JOINER, str(text))
    return _MARKDOWN.sub(r"\\\1", joined)


def csv_download_bytes(frame: pd.DataFrame) -> bytes:
    """A chart's data as CSV, safe to open in a spreadsheet."""
    return frame_csv(frame)


def chart(figure: go.Figure, data: pd.DataFrame, refs: list[str], key: str) -> None:
    """A chart, its finding in words (the text alternative: the title states the
    finding), a switch to read its data as a table, its sources and a download of
    its data."""
    from ledger.charts import title_of

    with st.container(key=f"charttitle-{key}"):
        st.markdown(f"**{plain(title_of(figure))}**")
    figure = with_credit(figure, len(refs))
    st.plotly_chart(figure, width="stretch", key=f"chart-{key}",
                    config={"displaylogo": False, "toImageButtonOptions": {
                        "format": image_format(), "filename": key, "scale": 2}})
    title = title_of(figure)
    if title:
        st.caption("Chart: " + plain(title))
    if st.toggle("Show the chart's data as a table", key=f"as-table-{key}"):
        st.dataframe(data, hide_index=True, width="stretch", key=f"table-{key}")
    left, right = st.columns([3, 1])
    # the references are always there; the table of pages to open (a data grid, whose
    # scripts a browser would load for every page) only once the expander is opened
    box = left.expander(f"Sources behind this chart ({len(refs)})", key=f"sources-open-{key}",
                        on_change="rerun")
    with box:
        sources_list(refs, key, pages=bool(box.open))
        st.page_link("ui/pages/methodology.py", label="How these figures are made",
                     icon=":material/menu_book:")
    right.download_button("Chart data (CSV)", data=lambda: csv_download_bytes(data),
                          file_name=f"{key}.csv", mime="text/csv", key=f"dl-{key}",
                          on_click="ignore")


def sources_list(refs: list[str], key: str, pages: bool = True) -> None:
    """Every reference in full (never cut; the article named where its endnotes
    stand) and the pages' addresses to open. The text is shown as typed; only an
    http(s) address becomes a link, and it is shown as the address it opens."""
    from ledger.citations import address, full_reference

    if not refs:
        st.caption("No citations on these rows.")
        return
    st.markdown("\n".join(f"- {plain(full_reference(r))}" for r in refs))
    addresses = sorted({address(r) for r in refs} - {""})
    if addresses and pages:
        st.dataframe(pd.DataFrame({"page": addresses}), hide_index=True, width="stretch",
                     key=f"pages-{key}", column_config={"page": st.column_config.LinkColumn(
                         "Open the page", display_text=None)})


def with_credit(figure: go.Figure, references: int) -> go.Figure:
    """The chart with its source line printed under it, so the image its toolbar
    downloads (the camera: PNG) carries the finding (its title), the source, the
    data version and the credit."""
    from ledger.citations import credit_line
    from ui.view import get

    result = get().result
    if result is None:
        return figure
    text = credit_line(result.data_version, references)
    figure = go.Figure(figure)
    bottom = (figure.layout.margin.b or 40) + 48
    figure.update_layout(margin=dict(b=bottom), height=(figure.layout.height or 420) + 48)
    figure.add_annotation(text="<br>".join(html.escape(line) for line in text.splitlines()),
                          xref="paper", yref="paper", x=0, y=0,
                          xanchor="left", yanchor="top", yshift=-(bottom - 24),
                          showarrow=False, font=dict(size=10, color="#4B5563"), align="left")
    return figure


def key_table(frame: pd.DataFrame, key: str, narrow: list[str], alt: str,
              labels: dict[str, str] | None = None) -> None:
    """A small table as HTML (a screen reader reads it as a table, its text copies as
    text, and the browser loads no grid for it): in full on a wide screen, and only
    the columns that matter (`narrow`) on a phone, so nothing scrolls sideways
    (app.py's CSS picks the one shown). `labels` names columns for readers; every
    cell is escaped, since a table's cells are markdown."""
    with st.container(key=f"tablewide-{key}"):
        st.table(readable_cells(frame, labels), hide_index=True, alt=alt)
    with st.container(key=f"tablenarrow-{key}"):
        st.table(readable_cells(frame[narrow], labels), hide_index=True, alt=alt)


def readable_cells(frame: pd.DataFrame, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Every text cell and header escaped (shown as typed), columns named by `labels`."""
    named = frame.rename(columns=labels or {})
    return pd.DataFrame({plain(name): named[name].map(plain) if named[name].dtype.kind in "OUT"
                         or pd.api.types.is_string_dtype(named[name]) else named[name]
                         for name in named.columns})


IMAGE_FORMATS = ("png", "svg")


def image_format() -> str:
    """What a chart's toolbar camera downloads: a PNG (to paste) or an SVG (to edit
    or print at any size), chosen in the sidebar."""
    chosen = str(st.session_state.get("image_format", "png"))
    return chosen if chosen in IMAGE_FORMATS else "png"
