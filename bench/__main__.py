"""Benchmark: whole-process `validate` and `report --format json` on seeded
synthetic ledgers, wall time and peak memory, plus the naive one-Quantity-per-row
conversion beside the bulk one. Prints a table; asserts nothing.

    python -m bench [--sizes 10000,100000,1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {10_000: None, 100_000: 1.0, 1_000_000: 3.0}  # seconds, whole process


def run_process(args: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "ledger", *args], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        message = child.stderr.read().decode() if child.stderr else ""
        raise RuntimeError(f"ledger {' '.join(args)} failed: {message}")
    return wall, usage.ru_maxrss / 1024


def measure(args: list[str], repeat: int) -> tuple[float, float]:
    runs = [run_process(args) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), max(m for _, m in runs)


def ledger_file(folder: Path, flows: int) -> Path:
    from bench.synthetic import csv_bytes

    path = folder / f"flows-{flows}.csv"
    if not path.exists():
        path.write_bytes(csv_bytes(flows))
    return path


def naive_versus_bulk(rows: int = 10_000) -> tuple[float, float]:
    """Seconds to convert `rows` amounts: one pint Quantity per row, then in bulk."""
    import pandas as pd

    from bench.synthetic import csv_bytes
    from ledger.money.fx import convert_factors, convert_quantity, rate_table
    from ledger.money.units import Q_
    from ledger.reading.schema import read_ledger

    frame = read_ledger(csv_bytes(rows)).frame
    table = rate_table()
    start = time.perf_counter()
    naive = [convert_quantity(Q_(low, currency), "EUR", day.date(), table).magnitude
             for low, currency, day in zip(frame["low"], frame["currency"], frame["date"],
                                           strict=True)]
    naive_seconds = time.perf_counter() - start
    start = time.perf_counter()
    factors = convert_factors(frame["currency"], frame["date"], "EUR", table, "row-date", None)
    bulk = frame["low"].to_numpy() * factors.factor
    bulk_seconds = time.perf_counter() - start
    assert abs(sum(naive) - float(pd.Series(bulk).sum())) <= 1e-6 * abs(sum(naive))
    return naive_seconds, bulk_seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "ledger-bench")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.repeat} "
          "runs; peak = largest resident set of any run")
    print("| ledger | file | validate | report (json) | peak memory | target |")
    print("|---|---|---|---|---|---|")
    shipped = ROOT / "data" / "funding.csv"
    wall_v, _ = measure(["validate", str(shipped)], args.repeat)
    wall_r, peak = measure(["report", str(shipped), "--format", "json"], args.repeat)
    rows = shipped.read_text(encoding="utf-8").count("\n") - 1
    print(f"| shipped ({rows} rows) | {shipped.stat().st_size / 1e3:.1f} kB | {wall_v:.2f} s | "
          f"{wall_r:.2f} s | {peak:.0f} MB | report ≤ 1 s |")
    for size in (int(s) for s in args.sizes.split(",")):
        path = ledger_file(args.folder, size)
        wall_v, peak_v = measure(["validate", str(path)], args.repeat)
        wall_r, peak_r = measure(["report", str(path), "--format", "json"], args.repeat)
        target = TARGETS.get(size)
        goal = f"each ≤ {target:g} s" if target else ""
        if size >= 1_000_000:
            goal += ", ≤ 1.5 GB"
        print(f"| {size:,} flows | {path.stat().st_size / 1e6:.0f} MB | {wall_v:.2f} s | "
              f"{wall_r:.2f} s | {max(peak_v, peak_r):.0f} MB | {goal} |")
    naive, bulk = naive_versus_bulk()
    print(f"\nconversion of 10,000 amounts: one pint Quantity per row {naive:.3f} s, "
          f"bulk (one factor per currency and date) {bulk:.4f} s: {naive / bulk:,.0f}× faster")


if __name__ == "__main__":
    main()
