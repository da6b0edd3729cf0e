"""The least the dashboard's Overview can be for bench.browser's lever: the shipped
ledger, the *Show* control in the sidebar and the coverage chart it changes, drawn
as the Overview draws it (less the source line under it) — no figures, tables,
captions or other controls. Started by the benchmark beside the dashboard and the
minimal app: its ratio to the minimal app is what the chart and the control cost by
themselves."""

import streamlit as st

from ledger.core.paths import shipped_ledger
from ledger.present.charts import coverage_gap
from ledger.reading.schema import Ledger, read_ledger
from ledger.rules.assumed import reported_result
from ledger.rules.reconcile import Reconciliation, reconcile
from ledger.rules.scenario import Scenario
from ledger.rules.scope import PARTS, Part
from ui.sidebar import PART_LABELS


@st.cache_resource
def _ledger() -> Ledger:
    return read_ledger(shipped_ledger())


@st.cache_resource
def _views(part: Part) -> tuple[Reconciliation, Reconciliation]:
    """The view and the view counting no assumption, kept for every session as the
    dashboard keeps them: a change of *Show* redraws, it does not reconcile."""
    ledger = _ledger()
    result = reconcile(ledger, Scenario(part=part))
    return result, reported_result(ledger, result)


st.set_page_config(layout="wide")  # as the dashboard
part = st.sidebar.radio("Show", PARTS, format_func=PART_LABELS.get, key="part")
st.title("Overview")
st.plotly_chart(coverage_gap(*_views(part)), width="stretch", key="chart-coverage-gap")
