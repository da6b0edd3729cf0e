"""Hypothesis strategies and a seeded generator for synthetic ledgers."""

from __future__ import annotations

import csv
import io
import random

from hypothesis import strategies as st

HEADER = ["id", "kind", "name", "category", "low", "high", "unit", "date", "from", "to",
          "donor", "industry", "status", "ref", "note"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
SCALES = ["", "thousand ", "mn ", "bn "]
DONORS = ["EU", "US", "DE", "FR", "GB", "JP", "G7", "multi", "UA", "DK;NO;SE", "DE:60;US:40"]
INDUSTRY = ["US", "EU", "DE", "FR", "UA", "unknown", "KR"]
STATUSES = ["estimate", "pledged", "committed", "disbursed", "assumption", ""]


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def amount(rng: random.Random) -> tuple[str, str]:
    low = rng.randint(0, 10_000) / 10
    spread = rng.choice([0, 0, rng.randint(0, 5000) / 10])
    return repr(low), (repr(low + spread) if spread else "")


def ledger_rows(rng: random.Random, needs: int, sources: int, flows: int,
                chained: int = 0) -> list[dict[str, str]]:
    """Needs, sources, flows to needs and `chained` source-to-source flows (a DAG)."""
    rows = []

    def row(kind: str, ident: str, **cells: str) -> None:
        low, high = amount(rng)
        base = {"id": ident, "kind": kind, "name": ident.title(), "low": low, "high": high,
                "unit": rng.choice(SCALES) + rng.choice(CURRENCIES),
                "date": f"{rng.randint(2022, 2025)}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}",
                "status": rng.choice(STATUSES), "ref": "synthetic"}
        rows.append(base | cells)

    for i in range(needs):
        row("need", f"n{i}", category=rng.choice(["military", "reconstruction", "budget"]))
    for i in range(sources):
        row("source", f"s{i}", donor=rng.choice(DONORS))
    for i in range(flows):
        row("flow", f"f{i}", category="military", **{
            "from": f"s{rng.randrange(sources)}", "to": f"n{rng.randrange(needs)}",
            "industry": rng.choice(INDUSTRY)})
    for i in range(chained if sources > 1 else 0):
        a, b = sorted(rng.sample(range(sources), 2))
        row("flow", f"c{i}", **{"from": f"s{a}", "to": f"s{b}"})
    return rows


@st.composite
def ledgers(draw: st.DrawFn) -> list[dict[str, str]]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    return ledger_rows(rng, draw(st.integers(1, 6)), draw(st.integers(1, 5)),
                       draw(st.integers(0, 12)), draw(st.integers(0, 4)))
