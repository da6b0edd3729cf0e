"""The Sankey's nodes and links, built as a view before any chart is drawn."""

from __future__ import annotations

import datetime as dt

from ledger.present.sankey import NOT_ALLOCATED, sankey_view
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import csv_bytes

BN = 1e9


def test_a_source_feeding_one_need_gives_donor_flow_industry_and_spare_links():
    # S (donor DE, Europe) has 10 bn and gives 6 bn to N, spent in US industry:
    #   Europe (donor) → S 10; S → N 6; N → United States (industry) 6;
    #   S → not allocated 10 − 6 = 4
    ledger = read_ledger(csv_bytes(
        "n,need,N,military,20,,bn EUR,2025-01-02,,,,,,,",
        "s,source,S,,10,,bn EUR,2025-01-02,,,DE,,,,",
        "f,flow,F,military,6,,bn EUR,2025-01-02,s,n,,US,,,",
    ))
    view = sankey_view(reconcile(ledger, Scenario(fx_date=dt.date(2025, 1, 2))))
    nodes = view.nodes
    name = dict(enumerate(nodes["key"]))
    links = {(view.links.loc[i, "kind"], name[view.links.loc[i, "source"]],
              name[view.links.loc[i, "target"]]): view.links.loc[i, "low"] / BN
             for i in view.links.index}
    assert links == {("donor", "Europe", "s"): 10, ("flow", "s", "n"): 6,
                     ("industry", "n", "United States"): 6,
                     ("spare", "s", NOT_ALLOCATED): 4}
    assert list(nodes["layer"]) == ["donor", "source", "need", "industry", "need"]
    assert view.grouped == ()
