"""Work started on a second core hands back its value, or its exception, to the caller."""

import threading

import pytest

from ledger.background import Background


def test_background_returns_the_value_computed_on_another_thread():
    caller = threading.get_ident()
    job = Background(lambda a, b: (a + b, threading.get_ident()), 2, 3)
    value, worker = job.result()
    assert value == 5
    assert worker != caller


def test_background_raises_in_the_caller_what_the_work_raised():
    def fails() -> None:
        raise ValueError("bad cell")

    job = Background(fails)
    with pytest.raises(ValueError, match="bad cell"):
        job.result()
