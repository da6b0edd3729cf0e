"""Start the dashboard with `streamlit run` on a free port and drive Debian's
Chromium through Playwright (it cannot download its own browsers here)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def dashboard(env: dict[str, str] | None = None,
              options: list[str] | None = None) -> Iterator[str]:
    """One server on a free port; yields its address once it answers."""
    with dashboards(1, env, options) as urls:
        yield urls[0]


@contextlib.contextmanager
def dashboards(count: int, env: dict[str, str] | None = None,
               options: list[str] | None = None,
               scripts: list[str] | None = None) -> Iterator[list[str]]:
    """`count` servers started at the same instant; yields their addresses once all
    answer. Each server's output goes to a log file (a pipe nobody reads fills up
    and blocks the server and its workers): SERVER_LOG_DIR, default /tmp. `scripts`
    names each server's app (default app.py for every one)."""
    log_dir = Path(os.environ.get("SERVER_LOG_DIR", "/tmp"))
    log_dir.mkdir(parents=True, exist_ok=True)
    started: list[tuple[subprocess.Popen[bytes], object, str]] = []
    try:
        for port, script in zip([free_port() for _ in range(count)],
                                scripts or ["app.py"] * count, strict=True):
            log = open(log_dir / f"ledger-server-{port}.log", "wb")  # noqa: SIM115 — closed below
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true",
                 *(options or [])],
                cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                stderr=subprocess.STDOUT)
            started.append((process, log, f"http://127.0.0.1:{port}"))
        for _, _, url in started:
            _wait_healthy(url)
        yield [url for _, _, url in started]
    finally:
        for process, log, _ in started:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()  # type: ignore[attr-defined]


def _wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the dashboard at {url} did not start within {seconds:.0f} s")


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000, locale: str = "en-GB"
                 ) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height},
                                          accept_downloads=True, locale=locale)
            yield context.new_page()
        finally:
            browser.close()


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def patience(milliseconds: int) -> int:
    """A wait scaled by how busy the machine is: `milliseconds` on an idle machine,
    more in proportion to the load per core (a clean clone on a busy 2-core machine
    runs the whole suite beside other work; a fixed 30 s wait failed there once).
    LEDGER_TEST_PATIENCE multiplies it further (default 1)."""
    try:
        load = os.getloadavg()[0] / (os.cpu_count() or 1)
    except (AttributeError, OSError):  # no load average on this platform
        load = 1.0
    try:
        extra = float(os.environ.get("LEDGER_TEST_PATIENCE", "") or 1)
    except ValueError:
        extra = 1.0
    return int(milliseconds * max(1.0, load) * max(extra, 1.0))


def wait_for_app(page: object, timeout_ms: int = 30_000) -> None:
    """Until the page title is drawn and the script has finished running: Streamlit
    1.67 marks its root element with the script's state. The wait grows with the
    machine's load (`patience`)."""
    timeout_ms = patience(timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)  # type: ignore[attr-defined]
    page.wait_for_selector(IDLE, timeout=timeout_ms)  # type: ignore[attr-defined]
    # elements of the run before are faded ("stale") until the new run redraws them:
    # a faded caption fails a contrast check, so wait until none is left
    page.wait_for_function(  # type: ignore[attr-defined]
        "!document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms)
    page.wait_for_timeout(200)  # type: ignore[attr-defined]  # let charts finish drawing
