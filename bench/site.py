"""The static site against the dashboard, on this machine, in one run:

  served   pages per second: nginx serving the site's index.html from the folder
           (a Python load script: THREADS keep-alive connections for SECONDS; the
           script, not nginx, is likely the limit, so this is a floor) against the
           dashboard's Overview drawn to the end in as many browser sessions one
           after another as fit in the same time, two at once (each a reader: a
           websocket, a Python session, a full run of the page);
  first    the first draw in a fresh browser, the two taking turns: index.html
           (from nginx, until its charts are drawn) against the dashboard's Overview
           (until its charts are drawn and the script has finished).

Also the site's size: all of it, and plotly.js (once). Prints figures; asserts
nothing. Needs nginx and Chromium (both installed by CI).

    .venv/bin/python -m bench.site [--repeat 5] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser import DRAWN  # noqa: E402
from tools.browser import CHROMIUM, CHROMIUM_ARGS, dashboard, free_port  # noqa: E402

THREADS = 8
SITE_DRAWN = """() => { const plots = document.querySelectorAll('div.plot');
  return plots.length > 0 && [...plots].every((p) => p.querySelector('.main-svg')); }"""


def build(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "ledger", "site", str(out), "--lang", "en",
                    "--no-images", "--ledger", str(ROOT / "data" / "funding.csv")],
                   check=True, cwd=ROOT, capture_output=True)


def nginx(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    conf = folder.parent / "nginx.conf"
    conf.write_text(
        f"worker_processes 2; pid {folder.parent}/nginx.pid; daemon off;\n"
        f"error_log {folder.parent}/error.log;\nevents {{ worker_connections 1024; }}\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; gzip on; "
        f"server {{ listen 127.0.0.1:{port}; root {folder}; }} }}\n")
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(folder.parent)])
    time.sleep(0.5)
    return process, port


def pages_per_second(port: int, path: str, seconds: float) -> float:
    done = [0] * THREADS
    stop = time.perf_counter() + seconds

    def hammer(slot: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        while time.perf_counter() < stop:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            done[slot] += response.status == 200
        connection.close()

    workers = [threading.Thread(target=hammer, args=(i,)) for i in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / seconds


def overviews_per_second(browser: Any, url: str, seconds: float) -> float:
    """Overviews drawn to the end per second, two sessions at once."""
    count = [0, 0]
    stop = time.perf_counter() + seconds
    pages = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
             for _ in range(2)]
    while time.perf_counter() < stop:
        for page in pages:
            page.goto(url, wait_until="commit")
        for slot, page in enumerate(pages):
            page.wait_for_function(DRAWN, arg=1, timeout=120_000, polling=20)
            count[slot] += 1
    return sum(count) / seconds


def first_draw(browser: Any, url: str, test: str, arg: Any = None) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(test, arg=arg, timeout=120_000, polling=20)
    took = time.perf_counter() - start
    context.close()
    return took


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-site-"))
    work.chmod(0o755)  # nginx's workers read it as another user
    site = work / "public"
    build(site)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    plotly = sum(p.stat().st_size for p in (site / "assets").glob("plotly-*"))
    index = (site / "index.html").stat().st_size
    print(f"site (English, no images): {size / 1e6:.1f} MB, of which plotly.js "
          f"{plotly / 1e6:.1f} MB once; index.html {index / 1e3:.0f} kB")
    server, port = nginx(site)
    try:
        with dashboard(env={"LEDGER_DATA_DIR": str(work / "store")}) as url, \
                sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            static = pages_per_second(port, "/index.html", args.seconds)
            live = overviews_per_second(browser, url, args.seconds)
            print(f"served per second: nginx index.html {static:,.0f} (Python client, "
                  f"{THREADS} connections) · dashboard Overview {live:.2f} "
                  f"(2 sessions at once) · {static / live:,.0f}×")
            pairs = [(first_draw(browser, f"http://127.0.0.1:{port}/index.html", SITE_DRAWN),
                      first_draw(browser, url, DRAWN, 1)) for _ in range(args.repeat)]
            ours = statistics.median(p[0] for p in pairs)
            theirs = statistics.median(p[1] for p in pairs)
            print(f"first draw in a fresh browser, median of {args.repeat}: index.html "
                  f"{ours:.2f} s · dashboard Overview {theirs:.2f} s · {theirs / ours:.1f}×")
            browser.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
