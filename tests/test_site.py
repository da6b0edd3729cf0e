"""The static site: what `python -m ledger site` writes shows the numbers of the JSON
report, links its languages, lists every file with its hash, loads plotly once, and
never empties a folder it did not build."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ledger.core.paths import shipped_ledger
from ledger.present.formatting import money_range, percent_range
from ledger.present.site import build_site
from ledger.reading.schema import read_ledger
from ledger.rules.assumed import with_reported
from ledger.rules.reconcile import reconcile

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("index", "flows", "donors", "sources", "timeline", "ledger", "methodology")


class Figures(HTMLParser):
    """Every element with data-figure, its path and its text; every href and src."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.alternates: dict[str, str] = {}
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for key in ("href", "src"):
            if found.get(key):
                self.links.append(str(found[key]))
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates[str(found["hreflang"])] = str(found["href"])
        if "data-figure" in found:
            self._open.append([str(found["data-figure"]), ""])
        elif self._open:
            self._open.append(["", ""])

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            path, text = self._open.pop()
            if path:
                self.figures.append((path, text))
            elif self._open:
                self._open[-1][1] += text

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1][1] += data


def parsed(path: Path) -> Figures:
    reader = Figures()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = shipped_ledger().read_bytes()
    ledger = read_ledger(content)
    result = reconcile(ledger)
    out = tmp_path_factory.mktemp("site") / "public"
    built = build_site(result, with_reported(ledger, result), content, out, ("en", "de", "uk"),
                       version_label="the shipped ledger", images=False)
    return out, built


def _at(report: dict, path: str):  # type: ignore[no-untyped-def]
    value = report
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def test_every_figure_on_the_pages_is_the_json_reports_figure(site):
    out, _built = site
    report = json.loads((out / "data" / "report.json").read_text())
    currency = report["currency"]
    checked = 0
    for name in PAGES:
        for path, text in parsed(out / f"{name}.html").figures:
            low, high = _at(report, path)
            share = path.endswith("coverage")
            expected = percent_range(low, high) if share else money_range(low, high, currency)
            assert text.strip() == expected, (name, path)
            checked += 1
    # the headline's four, four stages, every need (six figures each), sources, years
    assert checked >= 4 + 4 * 3 + len(report["needs"]) * 4


def test_the_sites_json_is_what_report_format_json_writes(site):
    out, _built = site
    written = subprocess.run([sys.executable, "-m", "ledger", "report", str(shipped_ledger()),
                              "--format", "json"], capture_output=True, check=True).stdout
    ours, theirs = json.loads((out / "data" / "report.json").read_bytes()), json.loads(written)
    ours.pop("fx"), theirs.pop("fx")  # the same rates; the dict's order of dates may differ
    assert ours == theirs
    assert (out / "data" / "funding.csv").read_bytes() == shipped_ledger().read_bytes()


def test_the_index_lists_every_file_with_its_sha256(site):
    out, built = site
    index = json.loads((out / "data" / "index.json").read_text())
    listed = {f["path"]: f["sha256"] for f in index["files"]}
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"data/index.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert index["languages"] == ["en", "de", "uk"] and index["data_version"]
    assert index["rates_date"] and built.size > 0


def test_plotly_is_one_file_named_by_its_hash_and_every_page_refers_to_it(site):
    out, _built = site
    bundles = list((out / "assets").glob("plotly-*.min.js"))
    assert len(bundles) == 1
    data = bundles[0].read_bytes()
    assert bundles[0].name == f"plotly-{hashlib.sha256(data).hexdigest()[:12]}.min.js"
    for page in out.rglob("*.html"):
        assert page.stat().st_size < len(data) / 10  # never inlined
    index = parsed(out / "index.html")
    assert f"assets/{bundles[0].name}" in index.links
    assert f"../assets/{bundles[0].name}" in parsed(out / "de" / "index.html").links


def test_every_page_links_its_languages_and_every_local_link_resolves(site):
    out, _built = site
    for folder in ("", "de/", "uk/"):
        for name in PAGES:
            page = out / f"{folder}{name}.html"
            reader = parsed(page)
            assert set(reader.alternates) == {"en", "de", "uk", "x-default"}
            for link in reader.links:
                if re.match(r"https?:|#|mailto:", link):
                    continue
                assert (page.parent / link).resolve().exists(), (page, link)


def test_the_german_pages_are_german_and_the_numbers_german(site):
    out, _built = site
    text = (out / "de" / "index.html").read_text()
    assert '<html lang="de">' in text and "Überblick" in text and "Lücke" in text
    assert "Mrd.\u00a0€" in text and "Needs of" not in text
    assert "Огляд" in (out / "uk" / "index.html").read_text()


def test_each_chart_stands_alone_for_an_iframe_with_its_source_and_version(site):
    out, _built = site
    report = json.loads((out / "data" / "report.json").read_text())
    embeds = sorted(p.stem for p in (out / "embed").glob("*.html"))
    assert "coverage-gap" in embeds and "sankey" in embeds and len(embeds) == 8
    page = (out / "embed" / "coverage-gap.html").read_text()
    assert report["data_version"][:12] in page and "Ukraine funding ledger" in page
    assert "&lt;iframe src=&quot;embed/coverage-gap.html&quot;" in (out / "index.html").read_text()
    for key in embeds:
        assert (out / "data" / f"{key}.csv").exists()


def test_a_folder_the_command_did_not_build_is_refused_and_left_as_it_was(tmp_path):
    ledger = read_ledger(shipped_ledger().read_bytes())
    result = reconcile(ledger)
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    with pytest.raises(ValueError, match="not a site this command built"):
        build_site(result, None, b"", mine, images=False)
    assert (mine / "thesis.txt").read_text() == "years of work"
    assert [p.name for p in tmp_path.iterdir()] == ["notes"]  # no build left beside it


def test_a_new_build_replaces_the_previous_one_whole(tmp_path):
    content = shipped_ledger().read_bytes()
    ledger = read_ledger(content)
    out = tmp_path / "public"
    build_site(reconcile(ledger), None, content, out, ("en", "de"), images=False)
    assert (out / "de" / "index.html").exists()
    build_site(reconcile(ledger), None, content, out, ("en",), images=False)
    assert not (out / "de").exists() and (out / "index.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_the_command_builds_the_site_and_names_what_it_wrote(tmp_path):
    out = tmp_path / "public"
    done = subprocess.run([sys.executable, "-m", "ledger", "site", str(out), "--ledger",
                           str(shipped_ledger()), "--lang", "en,uk", "--no-images",
                           "--scenario", "currency=USD"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "files" in done.stderr and "MB" in done.stderr
    assert json.loads((out / "data" / "report.json").read_text())["currency"] == "USD"
    assert (out / "uk" / "flows.html").exists() and not (out / "de").exists()
    wrong = subprocess.run([sys.executable, "-m", "ledger", "site", str(tmp_path / "x"),
                            "--lang", "en,fr"], capture_output=True, text=True, cwd=ROOT)
    assert wrong.returncode == 2 and "fr" in wrong.stderr


def test_if_changed_leaves_a_current_site_alone_and_rebuilds_for_a_new_view(tmp_path):
    out = tmp_path / "public"
    command = [sys.executable, "-m", "ledger", "site", str(out), "--ledger",
               str(shipped_ledger()), "--lang", "en", "--no-images", "--if-changed"]
    first = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0 and "files" in first.stderr
    stamp = (out / "data" / "index.json").stat().st_mtime_ns
    again = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0 and "nothing to do" in again.stderr
    assert (out / "data" / "index.json").stat().st_mtime_ns == stamp
    other = subprocess.run([*command, "--scenario", "currency=GBP"], capture_output=True,
                           text=True, cwd=ROOT)
    assert other.returncode == 0 and "nothing to do" not in other.stderr
    assert json.loads((out / "data" / "report.json").read_text())["currency"] == "GBP"


def test_a_base_url_makes_every_embed_snippet_a_complete_address(tmp_path):
    out = tmp_path / "public"
    done = subprocess.run([sys.executable, "-m", "ledger", "site", str(out), "--ledger",
                           str(shipped_ledger()), "--lang", "en,de", "--no-images",
                           "--base-url", "https://ledger.example.org/read"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert ("&lt;iframe src=&quot;https://ledger.example.org/read/embed/coverage-gap.html"
            in (out / "index.html").read_text())
    assert ("https://ledger.example.org/read/de/embed/coverage-gap.html"
            in (out / "de" / "index.html").read_text())
    for wrong in ("http://ledger.example.org/", "https://x.org/a b", 'https://x.org/"><b>'):
        refused = subprocess.run([sys.executable, "-m", "ledger", "site", str(tmp_path / "y"),
                                  "--base-url", wrong], capture_output=True, text=True,
                                 cwd=ROOT)
        assert refused.returncode == 2 and "https address" in refused.stderr
