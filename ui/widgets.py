"""Small shared pieces of page layout."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ledger.report import neutralise

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Escape markdown so text from a ledger shows as typed, never as markup."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def csv_download_bytes(frame: pd.DataFrame) -> bytes:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False).encode("utf-8")


def chart(figure: go.Figure, data: pd.DataFrame, refs: list[str], key: str) -> None:
    """A chart, then its sources and a download of its own data."""
    st.plotly_chart(figure, width="stretch", key=f"chart-{key}",
                    config={"displaylogo": False})
    left, right = st.columns([3, 1])
    with left, st.expander(f"Sources behind this chart ({len(refs)})"):
        if refs:
            st.dataframe(pd.DataFrame({"ref": refs}), hide_index=True, width="stretch")
        else:
            st.caption("No citations on these rows.")
    right.download_button("Chart data (CSV)", data=lambda: csv_download_bytes(data),
                          file_name=f"{key}.csv", mime="text/csv", key=f"dl-{key}",
                          on_click="ignore")


def refs_of(frame: pd.DataFrame, rows: pd.Series | None = None) -> list[str]:
    """The distinct citations of the rows selected by a boolean mask (all rows if None)."""
    refs = frame["ref"] if rows is None else frame.loc[rows, "ref"]
    return sorted(r for r in refs.unique() if r)
