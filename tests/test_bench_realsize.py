"""The real-size benchmark measures what it says: its Kiel-size ledger is a valid
ledger of the rows it claims, shaped like an import of the tracker."""

from __future__ import annotations

from bench.realsize import CATEGORIES, DONORS, kiel_size
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile


def test_the_kiel_size_ledger_validates_with_the_rows_it_claims():
    ledger = read_ledger(kiel_size(5_600))
    assert len(ledger.frame) == 5_600
    assert len(ledger.of_kind("source")) == len(DONORS) == 44
    assert len(ledger.of_kind("need")) == len(CATEGORIES) == 3
    assert ledger.of_kind("need")["low"].isna().all()  # a tracker states no need
    assert ledger.frame["ref"].nunique() > 5_000  # each entry cites its own row
    result = reconcile(ledger)
    assert result.totals["covered"][0] > 0 and all(x != x for x in result.totals["gap"])


def test_the_kiel_release_workbook_is_recognised_and_imports_every_entry():
    from bench.realsize import kiel_release
    from ledger.reading.intake import checked

    converted, ledger = checked(kiel_release(entries=400, other_columns=3))
    assert converted.recognised == "kiel" and converted.sheet == "Bilateral Assistance, MAIN DATA"
    flows = ledger.of_kind("flow")
    # every entry is committed; an allocation is allocated on top of that (a second flow)
    assert (flows["status"] == "committed").sum() == 400
    assert len(flows) > 400 and set(flows["status"]) == {"committed", "allocated"}
    assert len(ledger.of_kind("need")) == 3  # "Humanitarian " with its space is one
    assert len(ledger.of_kind("source")) <= len(DONORS)
