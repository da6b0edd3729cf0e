"""The shipped ledger's report against a bare `import pandas`, whole processes,
interleaved so both sides see the same machine, median of N. Prints figures.

    .venv/bin/python -m bench.startup [--repeat 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDES = {
    "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
    "python -m ledger report data/funding.csv --format json":
        [sys.executable, "-m", "ledger", "report", "data/funding.csv", "--format", "json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not list((ROOT / "ledger" / "__pycache__").glob("__main__.*.pyc")):
        print("note: no bytecode for ledger/ (run `make compile`): every run compiles it")
    times: dict[str, list[float]] = {name: [] for name in SIDES}
    processor: dict[str, list[float]] = {name: [] for name in SIDES}
    for command in SIDES.values():  # warm the disk caches once, not counted
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    for _ in range(args.repeat):
        for name, command in SIDES.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            processor[name].append(after.ru_utime + after.ru_stime
                                   - before.ru_utime - before.ru_stime)
    medians = {name: statistics.median(values) for name, values in times.items()}
    cpu = {name: statistics.median(values) for name, values in processor.items()}
    for name, values in times.items():
        print(f"{medians[name]:6.3f} s  {name}  {[round(v, 3) for v in values]}  "
              f"processor {cpu[name]:.3f} s")
    floor, ours = medians.values()
    cpu_floor, cpu_ours = cpu.values()
    print(f"ratio {ours / floor:.2f}× a bare import of pandas (target ≤ 1.2×); processor "
          f"time {cpu_ours / cpu_floor:.2f}× (less moved by other work on the machine)")


if __name__ == "__main__":
    main()
