"""Citations a reader can follow."""

from __future__ import annotations

import pytest

from ledger.present.citations import ARTICLE, address, full_reference, how_to_cite
from ledger.present.views import references
from ledger.reading.schema import read_ledger
from ledger.rules.reconcile import reconcile

from .conftest import ROOT


def test_an_endnote_number_names_the_article_in_full():
    ref = "[5] Zelensky, Washington Summit, August 2025"
    assert full_reference(ref) == f"{ref} — endnote of {ARTICLE}"  # English: as before
    assert full_reference("LIGA.net, a page, https://x.example/a") == (
        "LIGA.net, a page, https://x.example/a")


def test_the_address_is_the_first_web_address_without_trailing_punctuation():
    assert address("EEAS, Council, https://www.eeas.europa.eu/x_en.") == (
        "https://www.eeas.europa.eu/x_en")
    assert address("[6] Financial Times, August 2025") == ""
    assert address("javascript:alert(1)") == ""  # only http(s) becomes a link


def test_every_reference_of_the_shipped_ledger_is_either_the_article_or_has_an_address():
    refs = references(reconcile(read_ledger(ROOT / "data" / "funding.csv")))["ref"]
    for ref in refs:
        assert address(ref) or "endnote of" in full_reference(ref), ref


def test_how_to_cite_names_the_version_the_day_and_the_link():
    text = how_to_cite("a" * 64, "2026-11-26", "https://ledger.example/?v=3&on=2026-10-30")
    assert text == ("Ukraine funding ledger, data version aaaaaaaaaaaa, figures as shown on "
                    "2026-11-26. https://ledger.example/?v=3&on=2026-10-30")


@pytest.mark.parametrize(("ref", "linked"), [
    ("UAWire, 13 Aug 2025, https://www.uawire.org/germany-to-fund.",
     "https://www.uawire.org/germany-to-fund"),
    ("an old page, http://example.org/a", None),               # not https: text only
    ("a trick, https://user@evil.example/a", None),             # credentials in the address
    ("a host that is no host, https://-bad-/x", None),
    ("no address at all", None),
], ids=["https", "http", "userinfo", "bad-host", "none"])
def test_a_reference_links_only_a_checked_https_address_and_escapes_its_text(ref, linked):
    import re

    from ledger.present.citations import reference_html

    shown = reference_html(ref + " <b>")
    assert "<b>" not in shown and "&lt;b&gt;" in shown
    hrefs = re.findall(r'href="([^"]+)"', shown)
    assert hrefs == ([linked] if linked else [])
