"""Side by side with hledger, in one run: the same flows valued in EUR at each
flow's own date. Writes an hledger journal (one transaction per flow into a
need, a P directive per currency and date from the same ECB rates), times
`hledger bal needs --value=then,EUR` against `python -m ledger report
--fx-row-date`, and checks both give the same total to 1e-6. Prints figures.

    .venv/bin/python -m bench.hledger [--flows 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def journal(ledger_csv: Path) -> str:
    """The ledger's flows into needs as hledger transactions at their low amount."""
    from ledger.money.fx import rate_table
    from ledger.reading.schema import read_ledger

    frame = read_ledger(ledger_csv).frame
    needs = set(frame.loc[frame["kind"] == "need", "id"])
    flows = frame[(frame["kind"] == "flow") & frame["to"].isin(needs)]
    rates = rate_table()
    days = flows["date"].to_numpy(dtype="datetime64[D]")
    prices = []
    for currency in sorted(set(flows["currency"]) - {"EUR"}):
        mine = np.unique(days[(flows["currency"] == currency).to_numpy()])
        per_eur, _ = rates.lookup(currency, mine)
        prices.extend(f"P {day} {currency} {float(1 / rate)!r} EUR" for day, rate in zip(
            mine, per_eur, strict=True))
    out = io.StringIO()
    out.write("\n".join(prices) + "\n\n")
    for day, ident, to, source, low, currency in zip(
            days, flows["id"], flows["to"], flows["from"], flows["low"], flows["currency"],
            strict=True):
        out.write(f"{day} {ident}\n    needs:{to}  {float(low)!r} {currency}\n"
                  f"    sources:{source}\n\n")
    return out.getvalue()


def interleaved(commands: list[list[str]], repeat: int
                ) -> list[tuple[float, list[float], str]]:
    """Each command `repeat` times, taking turns, so every side sees the same machine:
    (median seconds, each run's seconds, the last output) per command."""
    times: list[list[float]] = [[] for _ in commands]
    outputs = [""] * len(commands)
    for _ in range(repeat):
        for i, args in enumerate(commands):
            started = time.perf_counter()
            done = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, check=True)
            times[i].append(time.perf_counter() - started)
            outputs[i] = done.stdout
    return [(statistics.median(t), t, out) for t, out in zip(times, outputs, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from bench.synthetic import csv_bytes

    work = Path(tempfile.mkdtemp(prefix="ledger-hledger-"))
    ledger_csv = work / "ledger.csv"
    ledger_csv.write_bytes(csv_bytes(args.flows))
    hledger = shutil.which("hledger")
    ours_command = [sys.executable, "-m", "ledger", "report", str(ledger_csv), "--fx-row-date",
                    "--format", "json"]
    subprocess.run(ours_command, capture_output=True, cwd=ROOT, check=True)  # warm, not counted
    print(f"{args.flows:,} flows, each valued at its own date, whole process, median of "
          f"{args.repeat} runs taking turns:")
    if hledger is None:
        (ours, our_times, report), = interleaved([ours_command], args.repeat)
        print(f"  ledger report --fx-row-date   {ours:6.2f} s  {[round(t, 2) for t in our_times]}")
        print("  hledger not installed (apt-get install hledger): no comparison")
        return
    (work / "ledger.journal").write_text(journal(ledger_csv))
    (ours, our_times, report), (theirs, their_times, balance) = interleaved(
        [ours_command, [hledger, "-f", str(work / "ledger.journal"), "bal", "needs",
                        "--value=then,EUR", "-N", "-O", "csv"]], args.repeat)
    covered = json.loads(report)["totals"]["covered"][0]
    print(f"  ledger report --fx-row-date   {ours:6.2f} s  {[round(t, 2) for t in our_times]}")
    rows = list(csv.reader(io.StringIO(balance)))
    total = sum(float(row[1].replace("€", "").replace("EUR", "").replace(",", "").strip())
                for row in rows[1:] if row and row[1].strip())
    print(f"  hledger bal --value=then,EUR  {theirs:6.2f} s  {[round(t, 2) for t in their_times]}")
    print(f"  ratio: {theirs / ours:.1f}× faster than hledger (target ≥ 10×)")
    print(f"  covered (low) here {covered:,.2f} EUR, hledger {total:,.2f} EUR, "
          f"relative difference {abs(covered - total) / total:.1e}")


if __name__ == "__main__":
    main()
