"""What the year-by-year table adds to a report: reading, reconciling and writing
the JSON report of a large synthetic ledger with and without it, in one process,
median of N. Prints figures.

    .venv/bin/python -m bench.years [--flows 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import ledger.rules.reconcile as reconcile_module
    from bench.synthetic import csv_bytes
    from ledger.present.report import render
    from ledger.reading.schema import read_ledger

    data = csv_bytes(args.flows)
    with_years = reconcile_module._years

    def report(years: bool) -> float:
        reconcile_module._years = with_years if years else (lambda *_: pd.DataFrame(
            columns=["year"]))
        started = time.perf_counter()
        render(reconcile_module.reconcile(read_ledger(data)), "json")
        return time.perf_counter() - started

    report(True)  # warm: rates, blocs
    times = {True: [], False: []}
    for _ in range(args.repeat):
        for years in (False, True):
            times[years].append(report(years))
    reconcile_module._years = with_years
    without, with_ = statistics.median(times[False]), statistics.median(times[True])
    print(f"{args.flows:,} flows, read + reconcile + JSON, median of {args.repeat}: "
          f"{without:.2f} s without the yearly table, {with_:.2f} s with it: "
          f"+{(with_ - without) / without * 100:.0f} % (target ≤ 20 %)")


if __name__ == "__main__":
    main()
