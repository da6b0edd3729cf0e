"""The report's JSON writer gives what json.dumps(indent=2) gives, byte for byte."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.present.report.jsontext import dumps


def reference(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)


scalars = (st.none() | st.booleans() | st.integers()
           | st.floats(allow_nan=False, allow_infinity=False)
           | st.sampled_from([1e-5, 1.234e-05, 1e16, -0.0, 5e-324, 1.7976931348623157e308])
           | st.text())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(values)
def test_nested_values_are_written_as_json_dumps_writes_them(value):
    assert dumps(value) == reference(value)


def test_a_small_case_written_out_by_hand():
    # two spaces per level, ", " never at a line end, ": " after a key, unicode as is
    assert dumps({"a": [1, 2.5], "é": {}, "z": None}) == (
        '{\n  "a": [\n    1,\n    2.5\n  ],\n  "é": {},\n  "z": null\n}')


@pytest.mark.parametrize("bad", [math.nan, math.inf, {"rate": -math.inf}])
def test_a_value_that_is_not_a_number_is_refused_as_json_refuses_it(bad):
    with pytest.raises(ValueError):
        dumps(bad)
    with pytest.raises(ValueError):
        reference(bad)


def test_what_json_handles_its_own_way_is_left_to_it():
    odd = {1: "int key", "t": (1, 2)}  # a non-text key is turned into text by json
    assert dumps(odd) == reference(odd)
