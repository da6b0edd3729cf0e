"""The reference for bench.browser: the least a Streamlit page with one plotly chart
and one control can be. Started by the benchmark beside the dashboard."""

import plotly.graph_objects as go
import streamlit as st

st.title("Minimal app")
choice = st.radio("Data", ["first", "second"], horizontal=True, key="part")
values = [3, 1, 2] if choice == "first" else [1, 2, 3]
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=values)), key="chart")
