"""The record's evidence on whose industry gets European money: read with every
problem named by row and column, shown on the Flows page beside the ledger's split."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ledger.core.problems import LedgerError
from ledger.reading.evidence import read_evidence

from .conftest import DATA, ROOT


def test_every_problem_of_an_evidence_table_is_named_by_row_and_column_at_once():
    with pytest.raises(LedgerError) as raised:
        read_evidence(DATA / "evidence_bad.csv")
    found = {(p.row, p.column) for p in raised.value.problems}
    # row 2: a relation that is neither check nor context; row 3: no publisher, and a
    # check that names no check row
    assert found == {(2, "relation"), (3, "who"), (3, "check")}


def test_the_flows_page_names_industry_read_from_a_rule_and_shows_the_evidence():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("ui/pages/flows.py")
    at.run()
    assert not at.exception
    # the rows' names are the ledger's text: escaped for markdown, shown as typed
    assert any("Industry read from a rule, not reported: EU loan: military part, bought "
               "in Europe by rule" in i.value.replace("\\", "") for i in at.info)
    page = " ".join(h.proto.body for h in at.get("html") if 'class="evidence"' in h.proto.body)
    assert "Draghi report" in page and "cited context" in page
    assert 'href="https://idw-online.de/de/news859696"' in page
