"""Citations a reader can follow: the full reference (the article named wherever
its endnote numbers stand), the page's address, and how to cite the ledger."""

from __future__ import annotations

import re

ARTICLE = ('the article "Security Guarantees for Ukraine: Stakes, Challenges, and Strategic '
           'Perspectives" (August 2025)')
LICENCE = ("The ledger's compilation (rows, notes, checks) is licensed CC BY 4.0; every cited "
           "figure remains its publisher's, quoted under the rights of quotation.")
_ENDNOTE = re.compile(r"^\s*(\[\d+\])+")
_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")


def full_reference(ref: str) -> str:
    """The reference as a reader needs it: an endnote number names the article."""
    if _ENDNOTE.match(ref) and "endnote" not in ref:
        return f"{ref} — endnote of {ARTICLE}"
    return ref


def address(ref: str) -> str:
    """The first web address in a reference ("" if none), without trailing punctuation."""
    found = _ADDRESS.search(ref)
    return found.group(0).rstrip(".,;:)") if found else ""


def how_to_cite(data_version: str, day: str, link: str) -> str:
    return (f"Ukraine funding ledger, data version {data_version[:12]}, figures as shown on "
            f"{day}. {link}")


def credit_line(data_version: str, references: int) -> str:
    """The line printed under a chart: where it comes from, which data, whose credit."""
    cited = f"{references} cited source{'s' if references != 1 else ''}"
    return (f"Source: Ukraine funding ledger ({cited}), data version {data_version[:12]}.\n"
            "Compilation CC BY 4.0; figures remain their publishers'.")
