"""The dashboard at the size of the field's real data, against the shipped ledger,
in one run, the two sides taking turns (Playwright driving Debian's Chromium):

  pages   every page's first draw in a new browser session (Overview, Flows, Donors,
          Sources, Timeline, Ledger, Reports, Methodology) and a link that changes
          the currency, with a Kiel-size ledger (a source per donor, a need per aid
          type, a flow per entry: about 5,600 rows) published as the current
          version, against the same with the shipped ledger — goal ≤ 1.5×; then
          with 50,000 rows — goal ≤ 3×;
  upload  the Kiel-size file from the Data page's uploader to the Overview drawn,
          in seconds of wall time (goal ≤ 3 s); and the same for a workbook in the
          layout of a Kiel release (5,565 entries on "Bilateral Assistance, MAIN
          DATA", 89 columns), through the mapping step: recognised, every row
          checked, the diff, "Use for my session", the Overview — in the browser,
          and in server time (the same steps run by Streamlit's AppTest, each
          step's seconds); and what converting and checking that workbook takes in
          one process (the upload worker's part).

Prints each figure, both sides and the ratio; asserts nothing.

    .venv/bin/python -m bench.realsize [--repeat 3] [--sizes 5600,50000] [--uploads-only]
"""

from __future__ import annotations

import argparse
import datetime as dt
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


KIEL_COLUMNS = ["activity_id", "donor", "announcement_date", "measure", "aid_type_general",
                "aid_type_specific", "tot_activity_value_EUR",
                "tot_sub_activity_value_EUR_redistr", "month", "explanation"]


def kiel_release(entries: int = 5_565, seed: int = 28, other_columns: int = 79) -> bytes:
    """A workbook in the layout of a Kiel release (shared/KIEL-FORMAT.md): a ReadMe,
    then "Bilateral Assistance, MAIN DATA" with the columns the shipped mapping reads
    and `other_columns` more (a release has 89 or so), a row per entry: 44 donors by
    name, half of the entries allocations, Kiel's "Humanitarian " with its space."""
    import xlsxwriter

    from ledger.core.frames import text_table
    from ledger.core.paths import shipped

    blocs = text_table(shipped("blocs.csv"))
    names = dict(zip(blocs["code"], blocs["name"], strict=True))
    rng = np.random.default_rng(seed)
    donors = [names[c] if c != "EU" else "EU (Commission and Council)" for c in DONORS]
    donor = rng.choice(donors, entries, p=_weights(len(donors)))
    kind = rng.choice(["Military", "Financial", "Humanitarian "], entries, p=[0.5, 0.3, 0.2])
    specific = rng.choice(["Weapons and equipment", "Loan", "Grant", "Guarantee", "Food"],
                          entries)
    total = np.round(rng.lognormal(17, 1.6, entries), 0)
    allocation = rng.random(entries) < 0.5
    month = rng.integers(1, 48, entries)
    start = dt.datetime(2022, 2, 24)
    days = [start + dt.timedelta(days=int(d)) for d in rng.integers(0, 1400, entries)]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    book.add_worksheet("ReadMe").write(0, 0, "Ukraine Support Tracker")
    sheet = book.add_worksheet("Bilateral Assistance, MAIN DATA")
    sheet.write_row(0, 0, KIEL_COLUMNS + [f"other_{i}" for i in range(other_columns)])
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r in range(entries):
        sheet.write_row(r + 1, 0, [r + 1, donor[r]])
        sheet.write_datetime(r + 1, 2, days[r], day)
        sheet.write_row(r + 1, 3, ["Allocation" if allocation[r] else "Commitment", kind[r],
                                   specific[r], total[r], total[r] if allocation[r] else 0,
                                   int(month[r]), f"entry {r + 1}"]
                        + [f"x{r % 97}"] * other_columns)
    book.close()
    return buffer.getvalue()


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


def upload_to_overview(browser: Any, url: str, data: bytes, name: str = "kiel-size.csv",
                       mapping_step: bool = False) -> float:
    """Seconds from choosing the file on the Data page until the Overview of the
    upload is drawn: the diff, "Use for my session", the Overview; with
    `mapping_step` (a workbook a shipped mapping recognises), "Check every row with
    this mapping" first."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/data")
    wait_for_app(page, timeout_ms=120_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        start = time.perf_counter()
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(path))
        if mapping_step:
            check = page.get_by_role("button", name="Check every row with this mapping")
            check.wait_for(timeout=120_000)
            check.click()
        page.get_by_role("button", name="Use for my session").wait_for(timeout=120_000)
        page.get_by_role("button", name="Use for my session").click()
        page.get_by_text("your upload (").first.wait_for(timeout=120_000)
        page.get_by_role("link", name="Overview").first.click()
        wait_for_app(page, timeout_ms=120_000)
        took = time.perf_counter() - start - 0.2  # wait_for_app's settling pause
    context.close()
    return took


def workbook_server_seconds(data: bytes) -> dict[str, float]:
    """Server time of the same steps, the script run by Streamlit's AppTest in this
    process (no browser): the upload to its preview, Check every row to the diff,
    Use for my session, the Overview."""
    from streamlit import logger
    from streamlit.testing.v1 import AppTest

    logger.set_log_level("error")  # AppTest runs without a browser's context, and says so
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    os.environ["LEDGER_DATA_DIR"] = tempfile.mkdtemp(prefix="realsize-apptest-")
    try:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        app.run()
        app.switch_page("ui/pages/data.py")
        app.run()
        time.sleep(2)  # as a user chooses a file: the page has started the upload worker's
        # process meanwhile (ledger.reading.sandbox.warm), which the server keeps
        steps = {
            "preview": lambda: app.file_uploader(key="upload").set_value(
                ("Ukraine_Support_Tracker_Release_28.xlsx", data, xlsx)).run(),
            "check": lambda: app.button(key="map_check").click().run(),
            "use": lambda: app.button(key="use_upload").click().run(),
            "Overview": lambda: (app.switch_page("ui/pages/overview.py"), app.run()),
        }
        seconds = {}
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            seconds[name] = time.perf_counter() - start
            if app.exception:
                raise RuntimeError(f"{name}: {app.exception}")
        return seconds
    finally:
        del os.environ["LEDGER_DATA_DIR"]


def conversion_seconds(data: bytes) -> tuple[float, int]:
    """Seconds to convert and check a workbook in this process (what the upload's
    worker does with it), and the rows of the ledger it makes."""
    from ledger.reading.intake import checked

    start = time.perf_counter()
    _, ledger = checked(data)
    return time.perf_counter() - start, len(ledger.frame)


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
    parser.add_argument("--uploads-only", action="store_true",
                        help="only the two uploads (the CSV and the Kiel workbook)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shipped_dir = tempfile.mkdtemp(prefix="realsize-shipped-")
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.uploads_only:
            uploads(browser, shipped_dir, args.repeat)
            browser.close()
            return
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
        uploads(browser, shipped_dir, args.repeat)
        browser.close()


def uploads(browser: Any, shipped_dir: str, repeat: int) -> None:
    """The Kiel-size CSV and a Kiel release's workbook, each uploaded to its Overview
    on a dashboard with the shipped ledger."""
    data, workbook = kiel_size(5_600), kiel_release()
    conversions = [conversion_seconds(workbook) for _ in range(repeat)]
    converted, rows = statistics.median(c[0] for c in conversions), conversions[0][1]
    server = [workbook_server_seconds(workbook) for _ in range(repeat)]
    with dashboard(env={"LEDGER_DATA_DIR": shipped_dir}) as url:
        took = statistics.median(upload_to_overview(browser, url, data) for _ in range(repeat))
        print(f"\nupload of the 5,600-row file to its Overview: {took:.2f} s (goal ≤ 3 s)")
        took = statistics.median(upload_to_overview(
            browser, url, workbook, "Ukraine_Support_Tracker_Release_28.xlsx",
            mapping_step=True) for _ in range(repeat))
        print(f"upload of a Kiel release's workbook ({len(workbook) / 1e6:.1f} MB, 5,565 "
              f"entries, {rows:,} rows once imported) through the mapping step to its "
              f"Overview: {took:.2f} s in the browser; converting and checking it in one "
              f"process: {converted:.2f} s")
    steps = {name: statistics.median(run[name] for run in server) for name in server[0]}
    print(f"  server time of those steps (AppTest): {sum(steps.values()):.2f} s (goal ≤ 3 s): "
          + ", ".join(f"{name} {took:.2f} s" for name, took in steps.items()))


if __name__ == "__main__":
    main()
