"""Seeded generator of realistic synthetic ledgers, for benchmarks and tests.

    python -m bench.synthetic 100000 > flows-100k.csv

N flows over 200 needs and 100 sources, six currencies with scale words, dates
over four years, ranges on a third of the rows, and some flows between sources
(always from a lower-numbered source to a higher one, so there is no cycle).
"""

from __future__ import annotations

import io
import sys

import numpy as np
import pandas as pd

from ledger.reading.schema import COLUMNS

CURRENCIES = np.array(["EUR", "USD", "GBP", "JPY", "CHF", "PLN"])
SCALES = np.array(["", "thousand ", "mn ", "bn "])
DONORS = np.array(["EU", "US", "DE", "FR", "GB", "NL", "PL", "JP", "CA", "G7", "multi", "NO"])
INDUSTRY = np.array(["US", "EU", "DE", "FR", "UA", "PL", "GB", "KR", "unknown"])
STATUSES = np.array(["estimate", "pledged", "committed", "disbursed", "assumption"])
CATEGORIES = np.array(["military", "reconstruction", "budget", "humanitarian"])


def frame(flows: int, needs: int = 200, sources: int = 100, seed: int = 42,
          between: float = 0.05) -> pd.DataFrame:
    """The ledger as a frame of text cells, in the CSV's column order."""
    rng = np.random.default_rng(seed)

    def block(kind: str, prefix: str, count: int, scale_words: np.ndarray,
              low_range: tuple[float, float]) -> dict[str, np.ndarray]:
        low = np.round(rng.uniform(*low_range, count), 2)
        spread = np.where(rng.random(count) < 1 / 3, np.round(low * rng.uniform(0, .3, count),
                                                              2), 0.0)
        high = np.where(spread > 0, (low + spread).round(2).astype(str), "")
        days = pd.Timestamp("2022-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365, count), "D")
        return {
            "id": np.char.add(prefix, np.arange(count).astype(str)),
            "kind": np.full(count, kind),
            "name": np.char.add(f"{kind.title()} ", np.arange(count).astype(str)),
            "low": low.astype(str), "high": high,
            "unit": np.char.add(rng.choice(scale_words, count), rng.choice(CURRENCIES, count)),
            "date": days.strftime("%Y-%m-%d").to_numpy(),
            "status": rng.choice(STATUSES, count),
            "ref": np.full(count, "synthetic"),
        }

    parts = []
    need = block("need", "n", needs, np.array(["bn "]), (1, 100))
    need["category"] = rng.choice(CATEGORIES, needs)
    parts.append(need)
    source = block("source", "s", sources, np.array(["bn "]), (50, 500))
    source["donor"] = rng.choice(DONORS, sources)
    parts.append(source)
    flow = block("flow", "f", flows, SCALES[1:3], (1, 900))
    chained = rng.random(flows) < between
    origin = rng.integers(0, sources - 1, flows)
    target_source = origin + 1 + (rng.integers(0, 1 << 30, flows) % (sources - 1 - origin))
    flow["from"] = np.char.add("s", origin.astype(str))
    flow["to"] = np.where(chained, np.char.add("s", target_source.astype(str)),
                          np.char.add("n", rng.integers(0, needs, flows).astype(str)))
    flow["category"] = np.where(chained, "", rng.choice(CATEGORIES, flows))
    flow["industry"] = np.where(chained, "", rng.choice(INDUSTRY, flows))
    parts.append(flow)
    table = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
    return table.reindex(columns=list(COLUMNS), fill_value="").fillna("")


def csv_bytes(flows: int, **options: object) -> bytes:
    out = io.StringIO()
    frame(flows, **options).to_csv(out, index=False)  # type: ignore[arg-type]
    return out.getvalue().encode("utf-8")


if __name__ == "__main__":
    sys.stdout.buffer.write(csv_bytes(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
