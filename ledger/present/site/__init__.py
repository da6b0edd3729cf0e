"""The static site (`python -m ledger site OUT`): a published version as a folder of
files any web server or CDN serves to any number of readers, with no Python behind
it — a page per read-only view in every language asked for, each chart alone for an
iframe, the JSON report, the funding CSV and each chart's data, and an index of the
files with their sha256. The pages are built from the same reconciliation and JSON
report as `report --format json`, so they cannot show other numbers."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ledger.core.language import LANGUAGES, _, use_language
from ledger.present.citations import LICENCE, credit_line, how_to_cite
from ledger.present.formatting import use_locale
from ledger.present.report.data import to_dict
from ledger.present.site import files
from ledger.present.site.blocks import embed_page
from ledger.present.site.layout import PAGES, Assets, home, page
from ledger.present.site.pages import BUILDERS, Context, charts_of
from ledger.present.wording import view_line
from ledger.rules.reconcile import Reconciliation

CHART_PAGES = {"coverage-gap": "index", "sources": "sources", "years": "timeline",
               "donor-blocs": "donors"}  # and the rest stand on the Flows page


@dataclass
class Site:
    """What was written: every file with its size, and what was left out and why."""

    root: Path
    work: Path  # where it is built before it replaces `root`
    written: dict[str, int] = field(default_factory=dict)  # path under root: bytes
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(self.written.values())


@dataclass(frozen=True)
class Edition:
    """What every language's pages of one build share."""

    result: Reconciliation
    reported: Reconciliation | None
    report: dict[str, object]
    languages: tuple[str, ...]
    assets: Assets
    images: bool  # charts/<chart>.png and .svg are written (and linked)
    base_url: str = ""  # the address the site is served from, for the embed snippets


def build_site(result: Reconciliation, reported: Reconciliation | None, ledger_csv: bytes,
               out: Path, languages: tuple[str, ...] = ("en",), *,
               version_label: str = "", images: bool = True, base_url: str = "",
               progress: Callable[[str], None] = lambda _message: None) -> Site:
    """Write the site for `result` (the view `reported` splits into reported and
    assumed) into `out`, replacing a previous build there only once this one is
    whole. `base_url` (the address the folder is served from) makes each chart's
    embed snippet a complete address a newsroom can paste as it is."""
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise ValueError(f"languages must be among {', '.join(LANGUAGES)}: got "
                         f"{', '.join(unknown) or 'none'}")
    site = Site(out, files.staging(out))
    if images:
        from ledger.present.site.images import missing

        reason = missing()
        if reason:
            site.notes.append(reason)
            images = False
    try:
        report = to_dict(result, reported)
        files.write_data(site, report, ledger_csv)
        edition = Edition(result, reported, report, languages, files.write_assets(site),
                          images, base_url)
        for language in languages:
            progress(f"pages in {LANGUAGES[language]}")
            contextvars.copy_context().run(_language_pages, site, edition, language)
        if images:
            from ledger.present.site.images import write_images

            progress("chart images (PNG, SVG) through Chromium")
            write_images(site)
        generated = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        files.write_index(site, result, languages, version_label, generated, base_url)
        files.swap(site.work, out)
    except BaseException:
        files.discard(site.work)
        raise
    return site


def _language_pages(site: Site, edition: Edition, language: str) -> None:
    use_language(language)
    use_locale(language)
    result, languages = edition.result, edition.languages
    folder = home(language, languages)
    depth = "" if language == languages[0] else "../"
    refs = int(result.valued.frame["ref"].dropna().nunique())
    credit = credit_line(result.data_version, refs, view_line(result))
    made = charts_of(result, edition.reported)
    ctx = Context(result, edition.reported, edition.report, credit, depth,
                  f"{edition.base_url}{folder}embed/",
                  edition.images)
    footer = _footer(result, depth)
    for name, title in PAGES:
        html = page(name, _(title), BUILDERS[name](ctx, made), language=language,
                    languages=languages, assets=edition.assets, footer=footer,
                    plots=name not in ("ledger", "methodology"))
        files.write(site, f"{folder}{name}.html", html.encode("utf-8"))
    assets = edition.assets
    for key, chart in charts_of(result, edition.reported).items():  # fresh: credited once
        html = embed_page(chart, credit, language, depth + "../", assets.plotly,
                          assets.script, assets.css, f"../{CHART_PAGES.get(key, 'flows')}.html")
        files.write(site, f"{folder}embed/{key}.html", html.encode("utf-8"))
    if language == languages[0]:
        files.write_chart_data(site, made)


def _footer(result: Reconciliation, depth: str) -> str:
    cite = how_to_cite(result.data_version, dt.date.today().isoformat(), "").strip()
    links = " · ".join(f'<a href="{depth}data/{name}">data/{name}</a>'
                       for name in ("index.json", "report.json", "funding.csv"))
    return f"<p>{escape(cite)}</p><p>{links}</p><p>{escape(_(LICENCE))}</p>"
