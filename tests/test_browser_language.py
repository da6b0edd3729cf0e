"""In a German and a Ukrainian browser, every page reads in the reader's language: no
English sentence outside names (table cells, chart labels, a title as published)
and citations (a cited page with its title, a quoted sentence)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.browser import CHROMIUM, browser_page, dashboard, wait_for_app

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    pytest.skip("Chromium is not installed", allow_module_level=True)

# two of these words make an English sentence; German and Ukrainian use none of them
ENGLISH = re.compile(r"\b(the|of|and|is|are|to|with|from|which|this|that|not|by|for)\b",
                     re.IGNORECASE)
TEXTS = """() => {
  const out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const at = walker.currentNode.parentElement;
    if (text.length < 12 || at.closest('a, blockquote, td, th, .js-plotly-plot, code')) continue;
    if (at.querySelector('a[href^="http"]')) continue;  // a citation's title beside its link
    out.push(text);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    with dashboard({"LEDGER_DATA_DIR": str(tmp_path_factory.mktemp("store"))}) as address:
        yield address


PAGES = ("", "flows", "donors", "sources", "timeline", "ledger", "data", "reports",
         "methodology")
QUOTED = re.compile(r'"[^"]*"')  # a title as published ("Security Guarantees for …")


@pytest.mark.parametrize("locale, title", [("de-DE", "Überblick"), ("uk-UA", "Огляд")])
def test_no_page_has_an_english_sentence(url, locale, title):
    with browser_page(locale=locale) as page:
        english = []
        for path in PAGES:
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_timeout(1000)
            english += [f"{path or 'overview'}: {t}" for t in page.evaluate(TEXTS)
                        if len(ENGLISH.findall(QUOTED.sub("", t))) >= 2]
        assert page.locator("h1").first.inner_text().strip() != "Flows"
        page.goto(url)
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == title
    assert english == []


def test_the_language_switch_keeps_the_choice_in_the_link(url):
    with browser_page(locale="en-GB") as page:
        page.goto(f"{url}/flows?lang=de")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text().strip() == "Flüsse"
        assert "lang=de" in page.url
