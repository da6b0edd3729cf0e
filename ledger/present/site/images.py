"""The static site's chart images, PNG and SVG, each drawn by plotly.js itself in a
headless Chromium from the chart's embed page (so the image is the chart a reader
sees, with its title, credit, view and data version inside it). Needs Playwright and
a Chromium (`LEDGER_CHROMIUM`, default /usr/bin/chromium): without them the pages are
built all the same and the build says the images were left out."""

from __future__ import annotations

import base64
import os
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.present.site import Site

WIDTH = 900  # px: an image's width; its height is the chart's own
DRAW = """async ([format, width]) => {
  const plot = document.getElementById('plot');
  for (let i = 0; i < 200 && !(plot && plot._fullLayout); i++) {
    await new Promise(r => setTimeout(r, 50));
  }
  return await Plotly.toImage(plot, {format: format, width: width,
                                     height: plot._fullLayout.height, scale: 2});
}"""


def chromium() -> str:
    return os.environ.get("LEDGER_CHROMIUM", "/usr/bin/chromium")


def missing() -> str | None:
    """Why images cannot be drawn here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "chart images left out: Playwright is not installed (make install-test)"
    if not Path(chromium()).exists():
        return f"chart images left out: no Chromium at {chromium()} (set LEDGER_CHROMIUM)"
    return None


def write_images(site: Site) -> None:
    """charts/<chart>.png and .svg for every chart of the first language's embed
    pages (at embed/), drawn by plotly.js in Chromium."""
    from playwright.sync_api import sync_playwright

    from ledger.present.site import files

    embeds = sorted((site.work / "embed").glob("*.html"))
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium(),
                                         args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": WIDTH, "height": 800})
            page.route("http*://**", lambda route: route.abort())  # nothing leaves the disk
            for embed in embeds:
                page.goto(embed.resolve().as_uri())
                for fmt in ("png", "svg"):
                    url = page.evaluate(DRAW, [fmt, WIDTH])
                    files.write(site, f"charts/{embed.stem}.{fmt}", _decoded(url))
        finally:
            browser.close()


def _decoded(data_url: str) -> bytes:
    head, _, body = data_url.partition(",")
    if head.endswith(";base64"):
        return base64.b64decode(body)
    return urllib.parse.unquote(body).encode("utf-8")
