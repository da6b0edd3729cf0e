"""Work that releases the interpreter (hashing, Arrow's kernels) run on a second core
while the caller goes on: a thread whose result, or exception, is taken later."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

# below this many rows work is done in the calling thread: two threads taking turns
# at the interpreter cost a small ledger more than they save (docs/PERFORMANCE.md)
PARALLEL_ROWS = 50_000


def worth_a_thread(rows: int) -> bool:
    """Whether work over `rows` rows goes to a second core."""
    return rows >= PARALLEL_ROWS


class Background(Generic[T]):
    """`fn(*args)` started now on its own thread (or, with `threaded=False`, done here
    at once); `result()` waits for it and returns its value or raises what it
    raised."""

    def __init__(self, fn: Callable[..., T], *args: object, threaded: bool = True) -> None:
        self._value: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = fn(*args)
            except BaseException as exc:  # handed to the caller by result()
                self._error = exc

        self._thread: threading.Thread | None = None
        if not threaded:
            run()
            return
        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
