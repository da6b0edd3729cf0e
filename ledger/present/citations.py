"""Citations a reader can follow: the full reference (the article named wherever
its endnote numbers stand), the page's address, and how to cite the ledger."""

from __future__ import annotations

import html
import re

from ledger.core.language import N_, _
from ledger.present.formatting import day as shown_day

ARTICLE_TITLE = ('"Security Guarantees for Ukraine: Stakes, Challenges, and Strategic '
                 'Perspectives"')
ARTICLE = f"the article {ARTICLE_TITLE} (August 2025)"  # as files for scripts name it
LICENCE = N_("The ledger's compilation (rows, notes, checks) is licensed CC BY 4.0; every "
             "cited figure remains its publisher's, quoted under the rights of quotation.")
_ENDNOTE = re.compile(r"^\s*(\[\d+\])+")
_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")


def article_words() -> str:
    """The article in the reader's language (its title as published)."""
    return _("the article {title} (August 2025)").format(title=ARTICLE_TITLE)


def full_reference(ref: str) -> str:
    """The reference as a reader needs it: an endnote number names the article."""
    if _ENDNOTE.match(ref) and "endnote" not in ref:
        return _("{reference} — endnote of {article}").format(reference=ref,
                                                               article=article_words())
    return ref


def address(ref: str) -> str:
    """The first web address in a reference ("" if none), without trailing punctuation."""
    found = _ADDRESS.search(ref)
    return found.group(0).rstrip(".,;:)") if found else ""


def how_to_cite(data_version: str, day: str, link: str) -> str:
    return _("Ukraine funding ledger, data version {version}, figures as shown on "
             "{day}.").format(version=data_version[:12], day=shown_day(day)) + f" {link}"


def credit_line(data_version: str, references: int, view: str = "",
                draft: bool = False) -> str:
    """The lines printed under a chart: where it comes from, which data, the view it
    shows (the levers, the rates' date), whose credit. A draft (an upload not
    published) says so and does not carry the ledger's name as its source."""
    cited = (_("1 cited source") if references == 1 else
             _("{count} cited sources").format(count=references))
    source = (_("Source: a draft uploaded to the Ukraine funding ledger, not published "
                "({cited}), content {version}.") if draft else
              _("Source: Ukraine funding ledger ({cited}), data version {version}.")).format(
        cited=cited, version=data_version[:12])
    lines = [source]
    if view:
        lines.append(_("View: {view}.").format(view=view))
    lines.append(_("Compilation CC BY 4.0; figures remain their publishers'."))
    return "\n".join(lines)


REFERENCES_SHOWN = 20  # a chart's references drawn at once; the rest by search or download


def reference_html(ref: str) -> str:
    """One reference in full as HTML: its text escaped, its web address a real link
    whose target is exactly the cited address — and only an https address whose host
    reads as a host; anything else stays text."""
    text = full_reference(ref)
    found = _ADDRESS.search(text)
    if not found:
        return html.escape(text)
    link = found.group(0).rstrip(".,;:)")
    if not _safe_https(link):
        return html.escape(text)
    start, end = found.start(), found.start() + len(link)
    anchor = (f'<a href="{html.escape(link, quote=True)}" target="_blank" '
              f'rel="noopener noreferrer">{html.escape(link)}</a>')
    return html.escape(text[:start]) + anchor + html.escape(text[end:])


def cited_page(ref: str) -> str:
    """The cited page's https address when it is one a link may open, else ""."""
    found = address(ref)
    return found if found and _safe_https(found) and len(found) <= 2000 else ""


def _safe_https(link: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return (parts.scheme == "https" and bool(_HOST.fullmatch(parts.hostname or ""))
            and not parts.username and not parts.password)


_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")


def references_html(refs: list[str], shown: int = REFERENCES_SHOWN) -> str:
    """The first `shown` references as an HTML list (each a link where it cites a
    page), saying how many more there are."""
    items = "".join(f"<li>{reference_html(r)}</li>" for r in refs[:shown])
    more = (f'<p class="more">and {len(refs) - shown:,} more: search them, or download '
            "them all</p>" if len(refs) > shown else "")
    return f'<ul class="references">{items}</ul>{more}'
