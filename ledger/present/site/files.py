"""The static site's files: built in a folder beside the target and swapped in whole
(a reader of a served site never sees half of a build), shared scripts named by a
hash of their content (a CDN may keep them forever), the data a reader can build
on, and an index of every file with its sha256."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plotly.offline import get_plotlyjs

from ledger.present.csvout import frame_csv
from ledger.present.report.jsontext import dumps
from ledger.present.site.layout import CSS, Assets

if TYPE_CHECKING:
    from ledger.present.site import Site
    from ledger.present.site.blocks import Chart
    from ledger.rules.reconcile import Reconciliation

MARK = "data/index.json"  # a folder holding it is a site this command built
SCRIPT = """
document.querySelectorAll('script[data-plot]').forEach(function (holder) {
  var spec = JSON.parse(holder.textContent);
  Plotly.newPlot(document.getElementById(holder.dataset.plot), spec.data, spec.layout,
                 {responsive: true, displaylogo: false});
});
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th button').forEach(function (button, column) {
    button.addEventListener('click', function () {
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var down = button.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th button').forEach(function (b) { b.removeAttribute('aria-sort'); });
      button.setAttribute('aria-sort', down ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        return (down ? 1 : -1) * x.localeCompare(y, undefined, {numeric: true});
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.querySelectorAll('input[data-filter]').forEach(function (input) {
  var table = document.getElementById(input.dataset.filter);
  input.addEventListener('input', function () {
    var wanted = input.value.trim().toLowerCase();
    Array.from(table.tBodies[0].rows).forEach(function (row) {
      row.hidden = wanted !== '' && row.textContent.toLowerCase().indexOf(wanted) < 0;
    });
  });
});
"""


def staging(out: Path) -> Path:
    """A fresh folder beside `out` to build in. `out` must be missing, empty, or a
    site this command built: any other folder is refused, never emptied."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARK).exists())):
        raise ValueError(f"{out} is not empty and is not a site this command built: "
                         "name a new or empty folder")
    work = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def swap(work: Path, out: Path) -> None:
    """Put the finished build in place of the previous one."""
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def discard(work: Path) -> None:
    """A build that failed leaves nothing behind; the previous site stays."""
    shutil.rmtree(work, ignore_errors=True)


def write(site: Site, name: str, data: bytes) -> None:
    path = site.work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    site.written[name] = len(data)


def _hashed(site: Site, stem: str, suffix: str, data: bytes) -> str:
    name = f"assets/{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    write(site, name, data)
    return name


def write_assets(site: Site) -> Assets:
    """The stylesheet, the site's script and plotly.js (once, for every page)."""
    return Assets(css=_hashed(site, "site", ".css", CSS.encode()),
                  script=_hashed(site, "site", ".js", SCRIPT.encode()),
                  plotly=_hashed(site, "plotly", ".min.js", get_plotlyjs().encode()))


def write_data(site: Site, report: dict[str, Any], ledger_csv: bytes) -> None:
    """The JSON report (the same bytes `report --format json` writes) and the funding
    CSV of the version shown."""
    write(site, "data/report.json", (dumps(report) + "\n").encode("utf-8"))
    write(site, "data/funding.csv", ledger_csv)


def write_chart_data(site: Site, made: dict[str, Chart]) -> None:
    for key, chart in made.items():
        write(site, f"data/{key}.csv", frame_csv(chart.data))


def write_index(site: Site, result: Reconciliation, languages: tuple[str, ...],
                version_label: str, generated: str, base_url: str = "") -> None:
    """data/index.json: what this site shows and every file with its sha256 — the
    read-only API for people who build on the figures."""
    listing = [{"path": name, "bytes": size,
                "sha256": hashlib.sha256((site.work / name).read_bytes()).hexdigest()}
               for name, size in sorted(site.written.items())]
    from ledger.rules.scenario import to_query

    index = {"version": version_label, "data_version": result.data_version,
             "link": to_query(result.scenario),
             "rates_date": str(result.fx_date or result.rates_latest),
             "currency": result.currency, "generated": generated,
             "languages": list(languages), "base_url": base_url, "files": listing}
    write(site, MARK, (json.dumps(index, indent=1) + "\n").encode("utf-8"))
