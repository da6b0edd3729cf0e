"""The static site's page shell: head (title, description, the hashed stylesheet and
scripts, `hreflang` links to the same page in the other languages), the navigation,
the language links and the footer with the credit. Every text escaped; no request
leaves the folder."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ledger.core.language import LANGUAGES, N_, _

PAGES = (  # file name (without .html), title
    ("index", N_("Overview")), ("flows", N_("Flows")), ("donors", N_("Donors")),
    ("sources", N_("Sources")), ("timeline", N_("Timeline")), ("ledger", N_("Ledger")),
    ("methodology", N_("Methodology")),
)
CSS = """
:root { color-scheme: light; }
body { font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; color: #1f2933;
       margin: 0; line-height: 1.5; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 1px solid #d0d7de; padding-top: .6rem; padding-bottom: .4rem; }
header .name { font-weight: 700; font-size: 1.1rem; color: #1f2933; text-decoration: none; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .2rem 1rem; padding: 0;
         margin: .4rem 0; }
nav a { color: #0b5394; } nav a[aria-current="page"] { font-weight: 700; color: #1f2933; }
.languages { font-size: .9rem; } .languages a { margin-right: .6rem; }
h1 { font-size: 1.8rem; margin: 1.2rem 0 .4rem; }
h2 { margin-top: 2rem; font-size: 1.3rem; border-bottom: 2px solid #0072B2; }
.lead { font-size: 1.1rem; font-weight: 600; } .notice { background: #FFF8E1;
        border-left: 4px solid #8a5a00; padding: .6rem 1rem; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
           gap: 1rem; margin: 1rem 0; }
.metric { border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem 1rem; }
.metric .label { font-size: .9rem; color: #4B5563; } .metric .value { font-size: 1.6rem; }
.range { white-space: nowrap; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #e8eef4; } td.num { text-align: right; }
th button { font: inherit; background: none; border: 0; padding: 0; cursor: pointer;
            text-align: left; color: inherit; }
td.long { overflow-wrap: anywhere; }
figure { margin: 1rem 0 1.5rem; } figcaption { font-size: .9rem; color: #4B5563; }
.plot { width: 100%; min-height: 300px; }
.muted { color: #4B5563; font-size: .9rem; }
details { margin: .4rem 0; } pre { white-space: pre-wrap; overflow-wrap: anywhere;
          background: #f6f8fa; padding: .5rem; }
a { color: #0b5394; }
footer { border-top: 1px solid #d0d7de; margin-top: 3rem; padding-top: .6rem;
         padding-bottom: 2rem; color: #4B5563; font-size: .9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
                   clip-path: inset(50%); white-space: nowrap; }
@media print { header nav, .languages, details, .search { display: none; }
               figure, table { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class Assets:
    """The site's shared files, by their names under the folder's root (each name
    carries a hash of its content, so a CDN may keep it forever)."""

    css: str
    script: str
    plotly: str


def home(language: str, languages: tuple[str, ...]) -> str:
    """A language's folder under the root: the first language at the root itself."""
    return "" if language == languages[0] else f"{language}/"


def alternates(name: str, depth: str, languages: tuple[str, ...]) -> str:
    """`hreflang` links to this page in every language (relative: the folder may be
    served from any address or opened from disk)."""
    links = [f'<link rel="alternate" hreflang="{lang}" '
             f'href="{depth}{home(lang, languages)}{name}.html">' for lang in languages]
    links.append(f'<link rel="alternate" hreflang="x-default" href="{depth}{name}.html">')
    return "".join(links)


def _language_links(name: str, depth: str, language: str,
                    languages: tuple[str, ...]) -> str:
    if len(languages) < 2:
        return ""
    links = "".join(
        f'<a href="{depth}{home(lang, languages)}{name}.html" hreflang="{lang}" lang="{lang}"'
        + (' aria-current="true"' if lang == language else "") + f">{escape(LANGUAGES[lang])}</a>"
        for lang in languages)
    return f'<p class="languages">{links}</p>'


def page(name: str, title: str, body: str, *, language: str, languages: tuple[str, ...],
         assets: Assets, footer: str, plots: bool) -> str:
    """One page of the site; links back to the root go up one folder from a language's
    own folder."""
    depth = "" if language == languages[0] else "../"
    nav = "".join(
        f'<li><a href="{key}.html"' + (' aria-current="page"' if key == name else "")
        + f">{escape(_(label))}</a></li>" for key, label in PAGES)
    name_of_site, pages = escape(_("Ukraine funding ledger")), escape(_("Pages"))
    scripts = (f'<script src="{depth}{assets.plotly}" defer></script>' if plots else "") + \
        f'<script src="{depth}{assets.script}" defer></script>'
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} — {name_of_site}</title>"
        f'<link rel="stylesheet" href="{depth}{assets.css}">'
        f"{alternates(name, depth, languages)}{scripts}</head><body>"
        f'<header><a class="name" href="index.html">{name_of_site}</a>'
        f'<nav aria-label="{pages}"><ul>{nav}</ul></nav>'
        f"{_language_links(name, depth, language, languages)}</header>"
        f"<main><h1>{escape(title)}</h1>{body}</main><footer>{footer}</footer></body></html>")
