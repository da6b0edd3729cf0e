"""1M flows, whole processes, side by side in one run: `python -m ledger validate`
and `python -m ledger report --format json` against the floor (bench/floor.py: a
pyarrow read, one factor per currency and date, the sums per need), and beside them
what the report does before its first table (bench/totals_only.py: read, checked,
reconciled for the totals; the report can be no faster), interleaved so
every side sees the same machine; medians of N, each side's peak memory, and the
processor time it used (user + system, all threads: the work done, whatever the
number of cores). Prints figures; asserts nothing.

    .venv/bin/python -m bench.floor_ratio [--flows 1000000] [--repeat 5]
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


def run(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, processor seconds) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: "
                           f"{child.stderr.read().decode() if child.stderr else ''}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--folder", type=Path,
                        default=Path(tempfile.gettempdir()) / "ledger-bench")
    args = parser.parse_args()
    from bench.__main__ import ledger_file

    args.folder.mkdir(parents=True, exist_ok=True)
    path = str(ledger_file(args.folder, args.flows))
    sides = {"floor (bench/floor.py)": ["-m", "bench.floor", path],
             "ledger validate": ["-m", "ledger", "validate", path],
             "ledger report --format json": ["-m", "ledger", "report", path, "--format", "json"],
             "report's totals only": ["-m", "bench.totals_only", path]}
    for command in sides.values():  # warm the disk caches once, not counted
        run(command)
    runs: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sides}
    for _ in range(args.repeat):
        for name, command in sides.items():
            runs[name].append(run(command))
    floor = statistics.median(wall for wall, _, _ in runs["floor (bench/floor.py)"])
    floor_cpu = statistics.median(cpu for _, _, cpu in runs["floor (bench/floor.py)"])
    print(f"{args.flows:,} flows, whole process, median of {args.repeat} interleaved runs:")
    for name, measured in runs.items():
        wall = statistics.median(w for w, _, _ in measured)
        peak = max(m for _, m, _ in measured)
        cpu = statistics.median(c for _, _, c in measured)
        print(f"  {name:30s} {wall:6.2f} s  {wall / floor:4.2f}× the floor  "
              f"peak {peak:5.0f} MB  processor {cpu:5.2f} s ({cpu / floor_cpu:4.2f}×)  "
              f"{[round(w, 2) for w, _, _ in measured]}")
    print("  target: validate and report each ≤ 1.5× the floor, ≤ 1.5 GB (the totals only:"
          " the least the report can take, whatever its tables cost)")


if __name__ == "__main__":
    main()
