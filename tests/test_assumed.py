"""Reported against assumed: every headline figure split in two, hand-computed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.present.report import render
from ledger.reading.schema import read_ledger
from ledger.rules.assumed import reported_result, splits, uses_assumptions
from ledger.rules.reconcile import reconcile
from ledger.rules.scenario import Scenario

from .conftest import csv_bytes, threads_always

BN = 1e9
ROOT = Path(__file__).resolve().parent.parent
LEDGER = csv_bytes(
    "n,need,Arms,military,100,,bn EUR,2025-01-02,,,,,estimate,r,",
    "eu,source,EU money,,100,,bn EUR,2025-01-02,,,EU,,committed,r,",
    "rep,flow,Reported,military,30,,bn EUR,2025-01-02,eu,n,,US,committed,r,",
    "ass,flow,Assumed,military,20,40,bn EUR,2025-01-02,eu,n,,US,assumption,r,why not",
)


def bn(pair):
    return tuple(round(v / BN, 9) for v in pair)


def test_each_headline_figure_splits_into_reported_and_assumed():
    # need 100; reported 30 and assumed 20–40 → covered 50–70 = 30 reported + 20–40
    # assumed; the gap is 30–50, counting only what is reported 70; coverage 50–70 %
    # against 30 %; European money in US industry 50–70 of which 30 reported
    ledger = read_ledger(LEDGER)
    result = reconcile(ledger)
    split = splits(result, reported_result(ledger, result))
    assert bn(split.covered.total) == (50, 70)
    assert bn(split.covered.reported) == (30, 30)
    assert bn(split.covered.assumed) == (20, 40)
    assert bn(split.gap.total) == (30, 50) and bn(split.gap.reported) == (70, 70)
    assert split.coverage.reported == pytest.approx((0.3, 0.3))
    assert bn(split.europe_to_us.assumed) == (20, 40)
    assert split.covered.rests_on_assumptions


def test_a_view_without_assumptions_is_its_own_reported_view():
    ledger = read_ledger(LEDGER)
    record = reconcile(ledger, Scenario(part="record"))
    assert not uses_assumptions(record)
    assert reported_result(ledger, record) is record
    assert not splits(record, record).covered.rests_on_assumptions


def test_reports_carry_the_split():
    ledger = read_ledger(LEDGER)
    result = reconcile(ledger)
    reported = reported_result(ledger, result)
    data = json.loads(render(result, "json", reported=reported))
    assert data["reported"]["covered"] == {"reported": [30 * BN, 30 * BN],
                                           "assumed": [20 * BN, 40 * BN]}
    assert json.loads(render(result, "json"))["reported"] is None  # not computed
    html = render(result, "html", reported=reported).decode()
    assert "These figures rest on assumptions: €20–40 bn of the €50–70 bn covered" in html


# The reported view is derived from the view's own valued rows when no lever acts
# after the status filter; it must be exactly what reconciling from scratch gives.
_SHIPPED = read_ledger(ROOT / "data" / "funding.csv")
_STATUSES = ("estimate", "pledged", "committed", "disbursed", "assumption")


def _full(ledger, result):
    from ledger.rules.assumed import reported_scenario

    return reconcile(ledger, reported_scenario(result.scenario), result.rates)


def _same(derived, full) -> None:
    assert derived.totals == full.totals
    for name in ("needs", "sources", "flows", "industry", "industry_by_category",
                 "payer_supplier", "years", "checks", "instruments"):
        pd.testing.assert_frame_equal(getattr(derived, name).reset_index(drop=True),
                                      getattr(full, name).reset_index(drop=True), obj=name)
    assert [(f.code, f.rows) for f in derived.findings] == [
        (f.code, f.rows) for f in full.findings]
    assert list(derived.valued.excluded_by_status["id"]) == list(
        full.valued.excluded_by_status["id"])
    pd.testing.assert_frame_equal(derived.valued.frame, full.valued.frame, obj="valued rows")


@settings(max_examples=25, deadline=None)
@given(currency=st.sampled_from(["EUR", "USD", "GBP"]),
       row_date=st.booleans(),
       part=st.sampled_from(["all", "record", "article"]),
       statuses=st.one_of(st.none(), st.lists(st.sampled_from(_STATUSES), unique=True)),
       asof=st.one_of(st.none(), st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 1))))
@pytest.mark.slow
def test_the_reported_view_derived_from_the_valued_rows_equals_a_new_reconciliation(
        currency, row_date, part, statuses, asof):
    scenario = Scenario(currency=currency, fx_mode="row-date" if row_date else "date",
                        part=part, statuses=None if statuses is None else tuple(statuses),
                        asof=asof)
    result = reconcile(_SHIPPED, scenario)
    derived = reported_result(_SHIPPED, result)
    if derived is result:  # nothing assumed counts in this view
        return
    _same(derived, _full(_SHIPPED, result))


# The first flow is an assumption, and a target, a payer and an industry appear only on
# assumption flows: the reported view's codes then come from the view's distinct
# values (a superset, in another order) and must still give the same tables.
ONLY_ASSUMED = csv_bytes(
    "n,need,Arms,military,100,,bn EUR,2025-01-02,,,,,estimate,r,",
    "m,need,Mines,demining,10,,bn EUR,2025-01-02,,,,,estimate,r,",
    "eu,source,EU money,,100,,bn EUR,2025-01-02,,,EU,,committed,r,",
    "us,source,US money,,50,,bn USD,2025-01-02,,,US,,committed,r,",
    "a1,flow,Assumed first,military,5,8,bn EUR,2025-01-02,us,m,,KR,assumption,r,",
    "r1,flow,Reported,military,30,,bn EUR,2025-01-02,eu,n,,US,committed,r,",
    "a2,flow,Assumed,military,20,40,bn EUR,2025-01-02,eu,n,,US,assumption,r,",
    "r2,flow,Reported too,military,3,,bn USD,2024-03-05,us,n,,DE,disbursed,r,",
)


def test_a_reported_view_leaving_out_values_seen_only_on_assumptions_matches_a_new_one():
    # covered, reported: n gets 30 bn EUR + 3 bn USD, m nothing
    ledger = read_ledger(ONLY_ASSUMED)
    result = reconcile(ledger)
    derived = reported_result(ledger, result)
    assert list(derived.needs["covered_low"] > 0) == [True, False]
    _same(derived, _full(ledger, result))


def test_the_reported_view_takes_no_row_until_a_table_asks_for_them():
    ledger = read_ledger(ONLY_ASSUMED)
    result = reconcile(ledger)
    reported = reported_result(ledger, result)
    render(result, "json", reported=reported)  # the split: totals and who pays
    assert "frame" not in vars(reported.valued)
    assert "excluded_by_status" not in vars(reported.valued)
    assert list(reported.valued.frame["id"]) == ["n", "m", "eu", "us", "r1", "r2"]
    assert list(reported.valued.excluded_by_status["id"]) == ["a1", "a2"]


def test_only_flows_may_be_left_out_of_a_view_reconciled_again():
    from ledger.rules.assumed import without_assumptions
    from ledger.rules.reconcile import reconcile_fewer_flows

    ledger = read_ledger(ONLY_ASSUMED)
    result = reconcile(ledger)
    keep = (result.valued.frame["id"] != "m").to_numpy()  # a need
    with pytest.raises(ValueError, match="only flows"):
        reconcile_fewer_flows(result, keep, without_assumptions(result.valued),
                              result.scenario)


def test_compute_parts_computes_the_parts_named_and_refuses_unknown_ones():
    result = reconcile(read_ledger(LEDGER))
    result.compute_parts(only=("years", "sources"), but=("sources",))
    assert "years" in vars(result) and "sources" not in vars(result)
    result.compute_parts(but=("findings",))
    assert "sources" in vars(result) and "findings" not in vars(result)
    with pytest.raises(ValueError, match="no such part: yeers"):
        result.compute_parts(only=("yeers",))


def test_with_a_lever_set_the_reported_view_is_reconciled_again():
    # a halved pool passes on less in proportion to all its inflows, the assumed
    # ones included: here the shortcut would not be exact, so it is not taken
    scenario = Scenario(availability=(("frozen-russian-assets", 0.5),),
                        shift_us_to_europe=0.3)
    result = reconcile(_SHIPPED, scenario)
    _same(reported_result(_SHIPPED, result), _full(_SHIPPED, result))


# The command line computes the reported view on a second core while the view's own
# parts are computed (ledger.rules.assumed.with_reported): the same figures, every part done.
def test_every_lazy_part_of_a_reconciliation_is_listed_for_compute_parts():
    from functools import cached_property

    from ledger.rules.reconcile import _LAZY_PARTS, Reconciliation

    lazy = {name for name, value in vars(Reconciliation).items()
            if isinstance(value, cached_property)}
    assert lazy == set(_LAZY_PARTS)


@pytest.mark.parametrize("scenario", [
    Scenario(), Scenario(fx_mode="row-date", currency="USD"), Scenario(part="article"),
    Scenario(shift_us_to_europe=0.3), Scenario(part="record")])
def test_the_reported_view_computed_beside_the_parts_equals_the_one_computed_alone(scenario):
    from ledger.rules.assumed import with_reported
    from ledger.rules.reconcile import _LAZY_PARTS

    for _ in range(3):  # two threads reading the same frames: the same figures each time
        result = reconcile(_SHIPPED, scenario)
        with threads_always():  # as for a large ledger
            beside = with_reported(_SHIPPED, result)
        assert all(name in vars(result) for name in _LAZY_PARTS)  # computed, not pending
        _same(beside, reported_result(_SHIPPED, reconcile(_SHIPPED, scenario)))
        assert (beside is result) == (not uses_assumptions(result))


def test_a_reported_view_derived_from_a_views_rows_weighs_those_rows_in_the_servers_cache():
    # it holds the view's rows (and may take most of them): a cache that let the view
    # go would otherwise keep them uncounted
    from ledger.runtime.cache import frame_bytes, object_bytes

    result = reconcile(_SHIPPED)
    derived = reported_result(_SHIPPED, result)
    assert "frame" not in vars(derived.valued)
    assert object_bytes(derived) >= frame_bytes(
        result.valued.frame, derived.needs, derived.flows, derived.industry,
        derived.payer_supplier)
