"""The least the dashboard's Overview can be for bench.browser's lever: the shipped
ledger, the *Show* control in the sidebar and the coverage chart it changes, drawn
as the Overview draws it (less the source line under it) — no figures, tables,
captions or other controls. Started by the benchmark beside the dashboard and the
minimal app: its ratio to the minimal app is what the chart and the control cost by
themselves."""

import streamlit as st

from ledger.assumed import reported_result
from ledger.charts import coverage_gap
from ledger.parts import PARTS
from ledger.paths import shipped_ledger
from ledger.reconcile import reconcile
from ledger.scenario import Scenario
from ledger.schema import Ledger, read_ledger
from ui.sidebar import PART_LABELS


@st.cache_resource
def _ledger() -> Ledger:
    return read_ledger(shipped_ledger())


st.set_page_config(layout="wide")  # as the dashboard
ledger = _ledger()
part = st.sidebar.radio("Show", PARTS, format_func=PART_LABELS.get, key="part")
result = reconcile(ledger, Scenario(part=part))
st.title("Overview")
st.plotly_chart(coverage_gap(result, reported_result(ledger, result)), width="stretch",
                key="chart-coverage-gap")
