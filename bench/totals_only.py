"""What `python -m ledger report` does before its first table: the ledger read and
checked, then reconciled for the totals — no table, no view without assumptions, no
JSON. `bench.floor_ratio` times it beside the report and the floor: whatever the
tables cost, the report can be no faster than this.

    .venv/bin/python -m bench.totals_only LEDGER.csv     # prints the totals
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(path: str) -> None:
    from ledger.__main__ import _read, exit_now  # the report's own read
    from ledger.rules.reconcile import reconcile
    from ledger.runtime.memory import keep_freed_memory, use_jemalloc

    keep_freed_memory()  # as `python -m ledger` does
    use_jemalloc()
    result = reconcile(_read(Path(path)))
    for name in ("need", "covered", "gap"):
        low, high = result.totals[name]
        print(f"{name} {low:,.2f}–{high:,.2f} {result.currency}")
    exit_now(0)


if __name__ == "__main__":
    main(sys.argv[1])
