"""Hostile users against a real server on 127.0.0.1: memory and time figures for
the security review's heavy probes. Prints figures; asserts nothing.

    .venv/bin/python -m bench.hostile [--quick]

1. Three sessions each upload a large valid ledger, then leave: server memory
   before, with them, and after their sessions are gone.
2. Worst-case uploads (a 199 MB, 200-column file with one blank line; a 45 MB file
   with many errors per row): time to the answer, the server's peak memory
   (workers included), and another session's page load during it against idle.
3. One session uploads five files in turn: what Streamlit would keep of them.
4. One client clicks "Use for my session" five times with the same upload: the
   store's growth (drafts are kept once per content and client).
5. Hostile workbooks (small on disk, hundreds of thousands of rows inside) sent at
   once: the peak memory of the process and its workers against the workers' bound,
   and what each sender is told.
6. Anonymous links, each with a scenario of its own, on a large published ledger
   (1.5 M flows; 150,000 with --quick), kept open at once: the server's memory
   after each against the shared cache's budget (LEDGER_CACHE_MB, set here).

Traffic goes to this machine only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.browser import CHROMIUM, CHROMIUM_ARGS, browser_page, dashboard, wait_for_app

MB = 1_000_000


def tree_rss(root_pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * 4096
    return total


class Peak:
    """The highest tree RSS seen while it runs (sampled every 50 ms)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, tree_rss(self.pid))

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def server_pid(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(args) and port.encode() in args:
            return int(cmdline.parent.name)
    raise RuntimeError("server process not found")


def upload_and_wait(page: object, file: Path, timeout_s: float = 240) -> float:
    started = time.perf_counter()
    if "/data" not in page.url:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Data").click()  # type: ignore[attr-defined]  # same session
        wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(  # type: ignore[attr-defined]
        str(file))
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    page.locator('text=/Checked|Problems found/').first.wait_for(  # type: ignore[attr-defined]
        timeout=timeout_s * 1000)
    return time.perf_counter() - started


def timed_load(page: object, url: str) -> float:
    """Navigation to the Overview's charts drawn, in seconds."""
    started = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    wait_for_app(page, 120_000)
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)  # type: ignore[attr-defined]
    return time.perf_counter() - started


def synthetic(path: Path, flows: int) -> Path:
    from bench.synthetic import csv_bytes

    path.write_bytes(csv_bytes(flows))
    return path


def wide_with_blank_line(path: Path, megabytes: int) -> Path:
    """Our columns plus 185 filler ones, one blank line: the exact (slow) reader."""
    from bench.synthetic import csv_bytes

    base = csv_bytes(20_000).decode().splitlines()
    filler = ",".join(f"x{i}" for i in range(185))
    values = ",".join("v" for _ in range(185))
    lines = [base[0] + "," + filler]
    body = [line + "," + values for line in base[1:]]
    size, i = 0, 0
    while size < megabytes * MB:
        line = body[i % len(body)].replace(f"f{i % len(body)},", f"g{i},", 1)
        lines.append(line)
        size += len(line) + 1
        i += 1
        if i == 10:
            lines.append("")
    path.write_text("\n".join(lines) + "\n")
    return path


def many_errors(path: Path, megabytes: int) -> Path:
    row = "id{i},nope,,military,-1,x,bn XYZ,2025-13-45,nowhere,nothing,??,??,odd,,"
    lines = ["id,kind,name,category,low,high,unit,date,from,to,donor,industry,status,ref,note"]
    size, i = 0, 0
    while size < megabytes * MB:
        lines.append(row.format(i=i))
        size += len(lines[-1]) + 1
        i += 1
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller files (a smoke run)")
    parser.add_argument("--no-browser", action="store_true",
                        help="only the parts without a server: drafts and workers (4, 5)")
    parser.add_argument("--links-only", action="store_true",
                        help="only the anonymous scenario links (6)")
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    work = Path(tempfile.mkdtemp(prefix="ledger-hostile-"))
    if args.links_only:
        scenario_links(work, scale)
        return
    in_process(work, scale)
    if args.no_browser:
        return
    env = {"LEDGER_DATA_DIR": str(work / "store")}
    with dashboard(env, ["--server.disconnectedSessionTTL", "5", "--server.fileWatcherType",
                         "none"]) as url, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pid = server_pid(url)

        def new_page() -> object:
            return browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()

        timed_load(new_page(), url)  # warm: the first load builds the shared caches
        idle = tree_rss(pid)
        print(f"server idle: {idle / MB:,.0f} MB")

        # 1 -----------------------------------------------------------------
        big = synthetic(work / "big.csv", int(1_500_000 * scale))
        print(f"\n1. three sessions upload {big.stat().st_size / MB:,.0f} MB each, then leave")
        pages = []
        for n in range(1, 4):
            page = new_page()
            pages.append(page)
            page.goto(url)  # type: ignore[attr-defined]
            wait_for_app(page)
            seconds = upload_and_wait(page, big)
            print(f"   session {n}: checked in {seconds:,.1f} s; server "
                  f"{tree_rss(pid) / MB:,.0f} MB")
        for page in pages:
            page.context.close()  # type: ignore[attr-defined]
        time.sleep(30)  # disconnectedSessionTTL 5 s, then the sweeper's next round
        print(f"   after they left: {tree_rss(pid) / MB:,.0f} MB (idle was {idle / MB:,.0f} MB)")
        for _ in range(3):  # three more: a leak would add as much again
            page = new_page()
            page.goto(url)  # type: ignore[attr-defined]
            wait_for_app(page)
            upload_and_wait(page, big)
            page.context.close()  # type: ignore[attr-defined]
        time.sleep(30)
        print(f"   after three more came and left: {tree_rss(pid) / MB:,.0f} MB")

        # 2 -----------------------------------------------------------------
        idle_loads = measured_loads(url, None)
        idle_load = statistics.median(idle_loads)
        print(f"\n2. another session's page load when idle: {idle_load:,.2f} s "
              f"(median of {len(idle_loads)})")
        wide = wide_with_blank_line(work / "wide.csv", int(199 * scale))
        errors = many_errors(work / "errors.csv", int(45 * scale))
        cases = {f"{wide.stat().st_size / MB:,.0f} MB, 200 columns, one blank line": wide,
                 f"{errors.stat().st_size / MB:,.0f} MB, many errors per row": errors}
        for label, file in cases.items():
            page = new_page()
            page.goto(url)  # type: ignore[attr-defined]
            wait_for_app(page)
            with Peak(pid) as peak:
                started = time.perf_counter()
                loads = measured_loads(url, lambda page=page, file=file: upload_and_wait(
                    page, file))
                wall = time.perf_counter() - started
            page.context.close()  # type: ignore[attr-defined]
            during = statistics.median(loads) if loads else float("nan")
            print(f"   {label}: answered in {wall:,.1f} s; server peak "
                  f"{peak.peak / MB:,.0f} MB; another session's page load {during:,.2f} s "
                  f"= {during / idle_load:,.1f}× idle ({len(loads)} loads)")

        # 3 -----------------------------------------------------------------
        print("\n3. one session uploads five files in turn (each replacing the last)")
        files = [synthetic(work / f"f{i}.csv", int(200_000 * scale) + i) for i in range(5)]
        before = tree_rss(pid)
        page = new_page()
        page.goto(url)  # type: ignore[attr-defined]
        wait_for_app(page)
        for file in files:
            upload_and_wait(page, file)
        held = tree_rss(pid) - before
        print(f"   server memory held by the session once all five were sent: "
              f"{held / MB:,.0f} MB ({sum(f.stat().st_size for f in files) / MB:,.0f} MB sent)")
        browser.close()
    scenario_links(work, scale)


def scenario_links(work: Path, scale: float, links: int = 9, budget_mb: int = 2000) -> None:
    """6. `links` anonymous visitors, each with a scenario of its own (a different
    shift), on a large published ledger, all kept open: the server's memory after
    each, against the shared cache's budget."""
    import os

    from ledger.storage.store import Store

    flows = int(1_500_000 * scale)
    folder = work / "published"
    os.environ["LEDGER_DATA_DIR"] = str(folder)
    try:
        Store().publish(synthetic(work / "published.csv", flows).read_bytes(),
                        comment="bench.hostile")
    finally:
        del os.environ["LEDGER_DATA_DIR"]
    env = {"LEDGER_DATA_DIR": str(folder), "LEDGER_CACHE_MB": str(budget_mb)}
    print(f"\n6. {links} anonymous links, each its own scenario, on a published ledger of "
          f"{flows:,} flows (shared-cache budget {budget_mb:,} MB), all kept open")
    with dashboard(env, ["--server.fileWatcherType", "none"]) as url, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pid = server_pid(url)
        pages = []
        first = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        seconds = timed_load(first, url)
        pages.append(first)
        base = tree_rss(pid)
        print(f"   the published view, first visit: {seconds:,.1f} s; server {base / MB:,.0f} MB")
        for n in range(1, links + 1):
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            seconds = timed_load(page, f"{url}/?shift={n * 7}")
            pages.append(page)
            print(f"   link {n} (shift={n * 7}): drawn in {seconds:,.1f} s; server "
                  f"{tree_rss(pid) / MB:,.0f} MB")
        held = tree_rss(pid) - base
        print(f"   held beyond the published view with {links} links open: {held / MB:,.0f} MB "
              f"= {held / links / MB:,.0f} MB a link (budget {budget_mb:,} MB for all)")
        browser.close()


def bomb_workbook(path: Path, rows: int) -> Path:
    """A small .xlsx whose one sheet unpacks to `rows` rows of our columns, each with a
    long name: a few hundred kilobytes on disk, hundreds of megabytes as cells."""
    import zipfile

    head = ("id", "kind", "name", "category", "low", "unit", "date")
    name = "x" * 200

    def cells(values: tuple[str, ...]) -> str:
        return "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values)

    body = [f'<row r="1">{cells(head)}</row>']
    body += [f'<row r="{i}">'
             + cells((f"n{i}", "need", name, "military", "1", "bn EUR", "2025-01-02"))
             + "</row>" for i in range(2, rows + 2)]
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
             'openxmlformats.org/spreadsheetml/2006/main"><sheetData>' + "".join(body)
             + "</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="{ns}/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                   'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                   'worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/'
                   f'2006/relationships"><Relationship Id="r1" Type="{ns}/officeDocument/2006/'
                   'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{ns}/'
                   f'spreadsheetml/2006/main" xmlns:r="{ns}/officeDocument/2006/relationships">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships '
                   f'xmlns="{ns}/package/2006/relationships"><Relationship Id="rId1" Type="'
                   f'{ns}/officeDocument/2006/relationships/worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def in_process(work: Path, scale: float) -> None:
    """4. The store's growth per repeated draft; 5. hostile workbooks sent at once,
    against the workers' bound — both without a browser, this process measured."""
    import os
    import threading as th

    from ledger.core.problems import LedgerError
    from ledger.reading.sandbox import convert_untrusted, workers
    from ledger.storage.store import Store

    store_dir = work / "drafts"
    store = Store(f"sqlite:///{store_dir}.sqlite", seed=None)
    content = synthetic(work / "draft.csv", int(200_000 * scale)).read_bytes()
    print(f"\n4. one client keeps the same {len(content) / MB:,.0f} MB upload five times")
    for n in range(1, 6):
        store.save_draft(content, f"click {n}", "203.0.113.7")
        size = Path(f"{store_dir}.sqlite").stat().st_size
        print(f"   after click {n}: store file {size / MB:,.0f} MB")
    bomb = bomb_workbook(work / "bomb.xlsx", int(300_000 * scale))
    sent = 4
    print(f"\n5. {sent} hostile workbooks at once ({bomb.stat().st_size / 1e3:,.0f} kB each, "
          f"unpacking to {int(300_000 * scale):,} rows); workers bound: {workers()}")
    data = bomb.read_bytes()
    said: list[str] = []

    def send() -> None:
        try:
            convert_untrusted(data)
            said.append("converted")
        except LedgerError as exc:
            said.append(str(exc.problems[0])[:90])

    before = tree_rss(os.getpid())
    with Peak(os.getpid()) as peak:
        threads = [th.Thread(target=send) for _ in range(sent)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"   this process and its workers: {before / MB:,.0f} MB before, peak "
          f"{peak.peak / MB:,.0f} MB; answers: {sorted(set(said))}")
    own = own_rss()
    converted = convert_untrusted(data)  # one more, the server process alone measured
    print(f"   one such workbook, this process alone (the worker did the work): "
          f"{(own_rss() - own) / MB:+,.0f} MB, holding its {len(converted.csv) / MB:,.0f} MB "
          "CSV")


def own_rss() -> int:
    """Resident bytes of this process alone."""
    import os

    with open(f"/proc/{os.getpid()}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def measured_loads(url: str, work: object | None, most: int = 5) -> list[float]:
    """Page loads of another user (a thread with its own browser) while `work` runs
    in this thread; with no work, `most` loads in a row."""
    stop, warm = threading.Event(), threading.Event()
    loads: list[float] = []

    def other_user() -> None:
        with browser_page() as page:
            timed_load(page, url)  # this browser's own warm-up, not counted
            warm.set()
            while not stop.is_set() and len(loads) < most:
                loads.append(timed_load(page, url))

    thread = threading.Thread(target=other_user)
    thread.start()
    warm.wait(timeout=120)
    if work is not None:
        work()  # type: ignore[operator]
        stop.set()
    thread.join(timeout=600)
    return loads


if __name__ == "__main__":
    main()
