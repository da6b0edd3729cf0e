"""Synthetic ledgers: a hypothesis strategy for property tests (drawn field by field,
so failures shrink) and a seeded generator for tests that need one fixed ledger."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from hypothesis import strategies as st

HEADER = ["id", "kind", "name", "category", "low", "high", "unit", "date", "from", "to",
          "donor", "industry", "status", "ref", "note"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "CHF"]
SCALES = ["", "thousand ", "mn ", "bn "]
DONORS = ["EU", "US", "DE", "FR", "GB", "JP", "G7", "multi", "UA", "DK;NO;SE", "DE:60;US:40"]
INDUSTRY = ["US", "EU", "DE", "FR", "UA", "unknown", "KR"]
STATUSES = ["estimate", "pledged", "committed", "allocated", "disbursed", "assumption", ""]


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


# Amounts as hypothesis draws them: zero first (it shrinks there), then tenths up to
# 1,000, so ties and zeros come up often and a failing ledger shrinks to small numbers.
AMOUNTS = st.one_of(st.just(0), st.integers(0, 10_000)).map(lambda n: n / 10)
DAYS = st.dates(dt.date(2022, 1, 1), dt.date(2025, 12, 28))


@st.composite
def ledgers(draw: st.DrawFn) -> list[dict[str, str]]:
    """A ledger drawn field by field (needs, sources, flows to needs, and flows between
    sources in order, so never a cycle): hypothesis aims at zeros and equal amounts
    and shrinks a failing ledger to its fewest, smallest rows."""
    needs, sources = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    flows = draw(st.integers(0, 12))
    chained = draw(st.integers(0, 4)) if sources > 1 else 0
    rows = []

    def row(kind: str, ident: str, **cells: str) -> None:
        low, spread = draw(AMOUNTS), draw(st.one_of(st.just(0.0), AMOUNTS))
        rows.append({"id": ident, "kind": kind, "name": ident.title(), "low": repr(low),
                     "high": repr(low + spread) if spread else "",
                     "unit": draw(st.sampled_from(SCALES)) + draw(st.sampled_from(CURRENCIES)),
                     "date": draw(DAYS).isoformat(), "status": draw(st.sampled_from(STATUSES)),
                     "ref": "synthetic"} | cells)

    for i in range(needs):
        row("need", f"n{i}",
            category=draw(st.sampled_from(["military", "reconstruction", "budget"])))
    for i in range(sources):
        row("source", f"s{i}", donor=draw(st.sampled_from(DONORS)))
    for i in range(flows):
        row("flow", f"f{i}", category="military", **{
            "from": f"s{draw(st.integers(0, sources - 1))}",
            "to": f"n{draw(st.integers(0, needs - 1))}",
            "industry": draw(st.sampled_from(INDUSTRY))})
    for i in range(chained):
        a = draw(st.integers(0, sources - 2))
        b = draw(st.integers(a + 1, sources - 1))
        row("flow", f"c{i}", **{"from": f"s{a}", "to": f"s{b}"})
    return rows
