"""Server time of one dashboard rerun after a lever change, measured with AppTest.

    .venv/bin/python -m bench.app_rerun [LEDGER.csv]

Each rerun uses a new lever value, so the reconciliation is never a cache hit.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if argv:
        from ui.session import Current, Keys, digest_of

        data = Path(argv[0]).read_bytes()
        at.session_state[Keys.LEDGER] = Current(data, digest_of(data), argv[0])
        at.run()
    assert not at.exception, at.exception
    timings = []
    for value in range(5, 100, 5):
        lever = at.slider(key="shift").set_value(value)
        start = time.perf_counter()
        lever.run()
        timings.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    print(f"ledger: {argv[0] if argv else 'data/funding.csv'}")
    print(f"reruns after a lever change: {len(timings)}")
    print(f"median {statistics.median(timings):.0f} ms, "
          f"min {min(timings):.0f} ms, max {max(timings):.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
