"""The static site in a real Chromium, opened from disk with the network off: every
page draws its charts with no outside request, passes axe with no serious
violation, and the chart images are drawn (PNG and SVG, the credit inside)."""

from __future__ import annotations

import pytest

from ledger.core.paths import shipped_ledger
from ledger.present.site import build_site
from ledger.reading.schema import read_ledger
from ledger.rules.assumed import with_reported
from ledger.rules.reconcile import reconcile
from tools.browser import CHROMIUM

pytestmark = pytest.mark.browser
PAGES = ("index", "flows", "donors", "sources", "timeline", "ledger", "methodology",
         "de/index", "uk/flows")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = shipped_ledger().read_bytes()
    ledger = read_ledger(content)
    result = reconcile(ledger)
    out = tmp_path_factory.mktemp("site") / "public"
    built = build_site(result, with_reported(ledger, result), content, out,
                       ("en", "de", "uk"), images=True)
    assert built.notes == []  # Chromium is here: the images were drawn
    return out


@pytest.fixture(scope="module")
def offline_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
        page = context.new_page()
        yield page
        browser.close()


@pytest.mark.parametrize("name", PAGES)
def test_each_page_draws_from_disk_offline_with_no_serious_accessibility_violation(
        site, offline_page, name):
    from axe_playwright_python.sync_playwright import Axe

    page = offline_page
    outside: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if not r.url.startswith(("file:", "data:", "blob:")) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / f"{name}.html").as_uri())
    page.wait_for_load_state("load")
    plots = page.locator("div.plot").count()
    if plots:
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot').length === {plots}", timeout=30_000)
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert (outside, errors, serious) == ([], [], [])


def test_the_chart_images_are_drawn_with_their_credit_inside(site):
    for key in ("coverage-gap", "sankey", "sources"):
        png = (site / "charts" / f"{key}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 20_000
        svg = (site / "charts" / f"{key}.svg").read_text()
        assert svg.startswith("<svg") and "Ukraine funding ledger" in svg


def test_the_ledger_table_sorts_and_filters_from_the_keyboard(site, offline_page):
    page = offline_page
    page.goto((site / "ledger.html").as_uri())
    rows = page.locator("#ledger-table tbody tr")
    total = rows.count()
    page.locator("#ledger-search").fill("PURL")
    visible = page.locator("#ledger-table tbody tr:not([hidden])").count()
    assert 0 < visible < total
    page.locator("#ledger-search").fill("")
    button = page.locator("#ledger-table th button").first
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-sort") == "ascending"
