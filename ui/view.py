"""What every page shows: the session's ledger reconciled under its scenario."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from ledger.api import Ledger, Problem, Reconciliation, Scenario, _, said_words
from ui.session import Current, Keys


@dataclass(frozen=True)
class View:
    current: Current
    scenario: Scenario
    ledger: Ledger | None
    result: Reconciliation | None
    problems: list[Problem] = field(default_factory=list)
    reported: Reconciliation | None = None  # the same view counting no assumption


def put(view: View) -> None:
    st.session_state[Keys.VIEW] = view


def get() -> View:
    return st.session_state[Keys.VIEW]


def forget() -> None:
    """Let go of this run's view once the page is drawn: between runs a session holds
    no ledger or reconciliation of its own, so a cached one the budget lets go is
    freed, not kept alive by every session that looked at it."""
    st.session_state.pop(Keys.VIEW, None)


def reported_result() -> Reconciliation:
    """The view without assumptions (the view itself when it has none)."""
    view = get()
    return view.reported or view.result  # type: ignore[return-value]


def need_result() -> tuple[Ledger, Reconciliation]:
    """The ledger and its reconciliation, or a clear message and a stop."""
    view = get()
    if view.ledger is None or view.result is None:
        st.error(_("The figures cannot be shown: fix the problems listed above (or change "
                   "the scenario), or load another file on the Data page."))
        st.stop()
    return view.ledger, view.result


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Each problem's row, column, words and severity, in the reader's language."""
    return pd.DataFrame({
        _("row"): [str(p.row) if p.row is not None else "" for p in problems],
        _("column"): [p.column or "" for p in problems],
        _("problem"): [said_words(p.message) for p in problems],
        _("severity"): [_(p.severity) for p in problems],
    })
