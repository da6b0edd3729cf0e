"""The dashboard at the size of the field's real data, against the shipped ledger,
in one run, the two sides taking turns (Playwright driving Debian's Chromium):

  pages   every page's first draw in a new browser session (Overview, Flows, Donors,
          Sources, Timeline, Ledger, Reports, Methodology) and a link that changes
          the currency, with a Kiel-size ledger (a source per donor, a need per aid
          type, a flow per entry: about 5,600 rows) published as the current
          version, against the same with the shipped ledger — goal ≤ 1.5×; then
          with 50,000 rows — goal ≤ 3×;
  upload  the Kiel-size file from the Data page's uploader to the Overview drawn,
          in seconds of wall time (goal ≤ 3 s).

Prints each figure, both sides and the ratio; asserts nothing.

    .venv/bin/python -m bench.realsize [--repeat 3] [--sizes 5600,50000]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.browser import CHROMIUM, CHROMIUM_ARGS, dashboard, wait_for_app  # noqa: E402

PAGES = {"Overview": "", "Flows": "flows", "Donors": "donors", "Sources": "sources",
         "Timeline": "timeline", "Ledger": "ledger", "Reports": "reports",
         "Methodology": "methodology", "currency link": "?currency=USD"}
DONORS = ["US", "DE", "GB", "EU", "NO", "NL", "DK", "JP", "CA", "PL", "SE", "FR", "IT", "FI",
          "CZ", "BE", "AT", "ES", "LT", "LV", "EE", "CH", "KR", "AU", "IE", "PT", "SK", "SI",
          "HR", "RO", "BG", "GR", "LU", "IS", "NZ", "HU", "TR", "CY", "MT", "TW", "MX",
          "BR", "IN", "ZA"]
CATEGORIES = ["military", "financial", "humanitarian"]
GOALS = {5_600: 1.5, 50_000: 3.0}


def kiel_size(rows: int, seed: int = 28) -> bytes:
    """A ledger shaped like an imported Kiel release: a source per donor (44), a need
    per aid type (no size stated: a tracker), a flow per entry (the rest), about
    half of them committed and half allocated, every entry citing its own row (as
    the import cites each row of the sheet)."""
    rng = np.random.default_rng(seed)
    entries = rows - len(DONORS) - len(CATEGORIES)
    donor = rng.choice(DONORS, entries, p=_weights(len(DONORS)))
    category = rng.choice(CATEGORIES, entries, p=[0.5, 0.3, 0.2])
    amount = np.round(rng.lognormal(17, 1.6, entries), 0)
    days = pd.Timestamp("2022-02-24") + pd.to_timedelta(rng.integers(0, 1400, entries), "D")
    ids = np.array([f"kiel-{i + 2}" for i in range(entries)], dtype=object)
    allocated = rng.random(entries) < 0.5
    status = np.where(allocated, "allocated", "committed")
    frame = pd.DataFrame({
        "id": ids, "kind": "flow", "name": [f"{d}: entry {i}" for i, d in enumerate(donor)],
        "category": category, "low": amount, "high": "", "unit": "EUR",
        "date": days.strftime("%Y-%m-%d"), "from": [f"donor-{d}" for d in donor],
        "to": [f"need-{c}" for c in category], "donor": "", "industry": "unknown",
        "status": status, "ref": [f"Kiel Institute, Ukraine Support Tracker, sheet 'Bilateral "
                                  f"Assistance, MAIN DATA', row {i + 2}" for i in range(entries)],
        "note": "", "end": "", "revises": "", "instrument": "unknown", "tags": "kiel",
        "fulfils": "", "within": "", "published": ""})
    sums = frame.groupby("from")["low"].sum()
    sources = pd.DataFrame({
        "id": [f"donor-{d}" for d in DONORS], "kind": "source", "name": DONORS, "category": "",
        "low": [sums.get(f"donor-{d}", 0.0) for d in DONORS], "high": "", "unit": "EUR",
        "date": "2022-02-24", "from": "", "to": "", "donor": DONORS, "industry": "",
        "status": "estimate", "ref": "created from the entries", "note": "", "end": "",
        "revises": "", "instrument": "", "tags": "kiel", "fulfils": "", "within": "",
        "published": ""})
    needs = pd.DataFrame({
        "id": [f"need-{c}" for c in CATEGORIES], "kind": "need",
        "name": [f"{c.capitalize()} aid" for c in CATEGORIES], "category": CATEGORIES,
        "low": "", "high": "", "unit": "EUR", "date": "2022-02-24", "from": "", "to": "",
        "donor": "", "industry": "", "status": "estimate", "ref": "created from the entries",
        "note": "", "end": "", "revises": "", "instrument": "", "tags": "kiel", "fulfils": "",
        "within": "", "published": ""})
    buffer = io.StringIO()
    pd.concat([needs, sources, frame], ignore_index=True).to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def _weights(count: int) -> np.ndarray:
    """A few large donors and many small ones, as in the tracker."""
    raw = 1 / np.arange(1, count + 1) ** 1.1
    return raw / raw.sum()


def first_draw(browser: Any, url: str) -> float:
    """Seconds from navigation in a new session until the page has finished drawing."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    wait_for_app(page, timeout_ms=120_000)
    took = time.perf_counter() - start - 0.2  # wait_for_app's settling pause
    context.close()
    return took


def upload_to_overview(browser: Any, url: str, data: bytes) -> float:
    """Seconds from choosing the file on the Data page until the Overview of the
    upload is drawn (the diff, "Use for my session", the Overview)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/data")
    wait_for_app(page, timeout_ms=120_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kiel-size.csv"
        path.write_bytes(data)
        start = time.perf_counter()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(path))
        page.get_by_role("button", name="Use for my session").wait_for(timeout=120_000)
        page.get_by_role("button", name="Use for my session").click()
        page.get_by_text("your upload (").first.wait_for(timeout=120_000)
        page.get_by_role("link", name="Overview").first.click()
        wait_for_app(page, timeout_ms=120_000)
        took = time.perf_counter() - start - 0.2
    context.close()
    return took


def published_store(data: bytes) -> str:
    """A data folder whose store holds `data` as the current version."""
    from ledger.storage.store import Store

    folder = tempfile.mkdtemp(prefix="realsize-")
    os.environ["LEDGER_DATA_DIR"] = folder
    Store().publish(data, comment="bench.realsize")
    del os.environ["LEDGER_DATA_DIR"]
    return folder


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="5600,50000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shipped_dir = tempfile.mkdtemp(prefix="realsize-shipped-")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in sizes:
            data = kiel_size(size)
            folder = published_store(data)
            with dashboard(env={"LEDGER_DATA_DIR": shipped_dir}) as shipped_url, \
                    dashboard(env={"LEDGER_DATA_DIR": folder}) as real_url:
                print(f"\n{size:,} rows ({len(data) / 1e6:.1f} MB) against the shipped "
                      f"ledger; median of {args.repeat}, the two taking turns; goal ≤ "
                      f"{GOALS.get(size, 3.0)}×")
                print(f"{'page':<16}{'shipped s':>11}{'real-size s':>13}{'ratio':>8}")
                for label, path in PAGES.items():
                    pairs = []
                    for _ in range(args.repeat):
                        pairs.append((first_draw(browser, f"{shipped_url}/{path}"),
                                      first_draw(browser, f"{real_url}/{path}")))
                    small = statistics.median(p[0] for p in pairs)
                    large = statistics.median(p[1] for p in pairs)
                    print(f"{label:<16}{small:>11.2f}{large:>13.2f}{large / small:>7.2f}×")
                if size <= 10_000:
                    took = statistics.median(upload_to_overview(browser, shipped_url, data)
                                             for _ in range(args.repeat))
                    print(f"upload of the {size:,}-row file to its Overview: {took:.2f} s "
                          "(goal ≤ 3 s)")
        browser.close()


if __name__ == "__main__":
    main()
