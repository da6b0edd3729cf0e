"""In a real browser (Playwright driving Debian's Chromium), side by side in one run:
the dashboard against a minimal Streamlit app with one plotly chart (bench/
minimal_app.py), both served by `streamlit run` on this machine, and beside them the
Overview's chart and its *Show* control alone (bench/chart_only_app.py: what they
cost by themselves, the least the dashboard could be for the lever). Two timings,
each the median of N, the apps taking turns:

  open     a new session (a new browser context) from navigation until every chart
           of the landing page is drawn and the script has finished;
  lever    a click on a control (the dashboard: "Show" → the public record only and
           back; the minimal app: its radio) until the first chart shows the new
           figures and the script has finished. Also printed apart: the first change
           in a page (the browser compiles the update code of each kind of element
           then) and the second; and the browser's own work for a change (the
           renderer's busy time, Chromium's TaskDuration, from the click until
           300 ms after the chart changed), less moved than the wall time by the
           servers sharing the machine.

Prints figures; asserts nothing.

    .venv/bin/python -m bench.browser [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.browser import CHROMIUM, CHROMIUM_ARGS, IDLE, dashboards  # noqa: E402

DRAWN = ("""(count) => {
  const charts = document.querySelectorAll('.js-plotly-plot');
  return charts.length >= count
    && [...charts].every((chart) => chart.querySelector('.main-svg'))
    && document.querySelector('""" + IDLE + """')
    && !document.querySelector('[data-stale="true"]');
}""")
FIRST_CHART = ("() => { const chart = document.querySelector('.js-plotly-plot');"
               " return chart && chart.data ? JSON.stringify(chart.data.map("
               "(trace) => [trace.x, trace.y, trace.base])) : null; }")


def open_session(browser: Any, url: str, charts: int) -> tuple[float, Any]:
    """Seconds from navigation until `charts` charts are drawn; the page, still open."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(DRAWN, arg=charts, timeout=120_000, polling=20)
    return time.perf_counter() - started, page


def change_lever(page: Any, label: str, charts: int) -> float:
    """Seconds from a click on the radio option `label` until the first chart changed."""
    before = page.evaluate(FIRST_CHART)
    started = time.perf_counter()
    page.get_by_text(label, exact=True).first.click()
    page.wait_for_function(
        f"(before) => {{ const now = ({FIRST_CHART})(); return now !== null && now !== before"
        f" && ({DRAWN})({charts}); }}",
        arg=before, timeout=120_000, polling=20)
    return time.perf_counter() - started


def renderer_busy(session: Any) -> float:
    """Seconds the page's renderer has been busy so far (Chromium's TaskDuration), read
    through the page's DevTools session (`Performance.enable` sent once)."""
    metrics = session.send("Performance.getMetrics")["metrics"]
    return next(float(m["value"]) for m in metrics if m["name"] == "TaskDuration")


def change_measured(page: Any, session: Any, label: str, charts: int) -> tuple[float, float]:
    """`change_lever`'s seconds, and the renderer's busy seconds for that change."""
    before = renderer_busy(session)
    seconds = change_lever(page, label, charts)
    page.wait_for_timeout(300)  # the work after the chart changed (layout, paint)
    return seconds, renderer_busy(session) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed (apt-get install chromium): no browser timings")
        return
    from playwright.sync_api import sync_playwright

    apps = {"dashboard (app.py)": ("app.py", ("Public record only", "Everything")),
            "minimal app": ("bench/minimal_app.py", ("second", "first")),
            "chart only": ("bench/chart_only_app.py", ("Public record only", "Everything"))}
    env = {"LEDGER_DATA_DIR": tempfile.mkdtemp(prefix="ledger-bench-browser-")}
    with dashboards(len(apps), env, scripts=[script for script, _ in apps.values()]) as urls, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        charts: dict[str, int] = {}
        for name, url in zip(apps, urls, strict=True):  # warm each server, count its charts
            _, page = open_session(browser, url, 1)
            page.wait_for_timeout(3000)
            charts[name] = page.evaluate("document.querySelectorAll('.js-plotly-plot').length")
            page.context.close()
        opened: dict[str, list[float]] = {name: [] for name in apps}
        levered: dict[str, list[float]] = {name: [] for name in apps}
        busy: dict[str, list[float]] = {name: [] for name in apps}
        for _ in range(args.repeat):
            for (name, (_, labels)), url in zip(apps.items(), urls, strict=True):
                seconds, page = open_session(browser, url, charts[name])
                opened[name].append(seconds)
                session = page.context.new_cdp_session(page)
                session.send("Performance.enable")
                for label in labels:
                    seconds, worked = change_measured(page, session, label, charts[name])
                    levered[name].append(seconds)
                    busy[name].append(worked)
                page.context.close()
        browser.close()
    print(f"Chromium {CHROMIUM}, every server on this machine, medians of {args.repeat} "
          "sessions (lever: 2 changes per session)")
    ours, floor, least = apps
    for label, table in (("open: navigation → every chart drawn", opened),
                         ("lever: click → first chart updated", levered)):
        a, b = statistics.median(table[ours]), statistics.median(table[floor])
        print(f"  {label:40s} dashboard {a:5.2f} s ({charts[ours]} charts), minimal app "
              f"{b:5.2f} s: {a / b:.2f}× (target ≤ 1.5×)")
        c = statistics.median(table[least])
        print(f"    the Overview's chart and Show alone (bench/chart_only_app.py) {c:5.2f} s: "
              f"{c / b:.2f}×")
        print(f"    dashboard  {[round(t, 2) for t in table[ours]]}")
        print(f"    minimal    {[round(t, 2) for t in table[floor]]}")
        print(f"    chart only {[round(t, 2) for t in table[least]]}")
    a, b, c = (statistics.median(busy[name]) * 1000 for name in (ours, floor, least))
    print(f"    lever, the renderer's busy time: dashboard {a:4.0f} ms, minimal app {b:4.0f} ms:"
          f" {a / b:.2f}×; chart only {c:4.0f} ms: {c / b:.2f}×")
    for label, start in (("first change in a page", 0), ("second change", 1)):
        a, b, c = (statistics.median(levered[name][start::2]) for name in (ours, floor, least))
        print(f"    lever, {label:22s} dashboard {a:5.2f} s, minimal app {b:5.2f} s: "
              f"{a / b:.2f}×; chart only {c:5.2f} s: {c / b:.2f}×")


if __name__ == "__main__":
    main()
