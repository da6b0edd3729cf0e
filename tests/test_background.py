"""Work started on a second core hands back its value, or its exception, to the caller."""

import threading

import pytest

from ledger.runtime.background import Background


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


def test_small_work_is_done_in_the_calling_thread_and_still_raises_at_result():
    caller = threading.get_ident()
    job = Background(threading.get_ident, threaded=False)
    assert job.result() == caller

    def fails() -> None:
        raise ValueError("bad cell")

    with pytest.raises(ValueError, match="bad cell"):
        Background(fails, threaded=False).result()


def test_work_goes_to_a_second_core_from_the_size_where_it_pays():
    from ledger.runtime.background import PARALLEL_ROWS, worth_a_thread

    assert not worth_a_thread(62) and not worth_a_thread(PARALLEL_ROWS - 1)
    assert worth_a_thread(PARALLEL_ROWS) and worth_a_thread(1_000_000)
