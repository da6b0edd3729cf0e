"""The what-if levers and the links that carry them."""

from __future__ import annotations

import datetime as dt

import pytest

from ledger.core.problems import LedgerError
from ledger.rules.scenario import Scenario, from_query, to_query


def test_a_scenario_round_trips_through_its_link():
    scenario = Scenario(currency="USD", fx_date=dt.date(2025, 1, 2),
                        statuses=("pledged", "committed"), availability=(("a", 0.5),),
                        shift_us_to_europe=0.2)
    assert from_query(to_query(scenario)) == (scenario, [])
    assert to_query(Scenario()) == {}


def test_a_link_value_that_cannot_be_read_is_dropped_with_a_note():
    scenario, notes = from_query({"currency": "XYZ", "shift": "250", "avail": "a:x,b:40",
                                  "on": "yesterday", "status": "pledged,maybe"})
    assert scenario == Scenario(statuses=("pledged",), availability=(("b", 0.4),))
    assert len(notes) == 5


def test_a_link_value_is_quoted_short_in_the_note():
    _, [note] = from_query({"currency": "X" * 500})
    assert len(note) < 100 and "…" in note


@pytest.mark.parametrize("fields", [{"currency": "XYZ"}, {"fx_mode": "weekly"},
                                    {"statuses": ("maybe",)}, {"shift_us_to_europe": 2.0},
                                    {"availability": (("a", -0.1),)}])
def test_an_impossible_scenario_is_refused_with_a_clear_problem(fields):
    with pytest.raises(LedgerError):
        Scenario(**fields)
