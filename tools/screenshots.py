"""Screenshots of the dashboard for the README, taken in Debian's Chromium.

    .venv/bin/python -m tools.screenshots        # writes docs/*.png
"""

from __future__ import annotations

from pathlib import Path

from tools.browser import browser_page, dashboard, wait_for_app

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = {"overview": "", "flows": "flows", "timeline": "timeline"}


def main() -> None:
    DOCS.mkdir(exist_ok=True)
    with dashboard() as url, browser_page(width=1400, height=950) as page:
        for name, path in PAGES.items():
            page.goto(f"{url}/{path}")
            wait_for_app(page)
            page.wait_for_selector('[data-testid="stDataFrame"], .js-plotly-plot')
            page.wait_for_timeout(3000)  # let tables and charts finish drawing
            page.screenshot(path=str(DOCS / f"{name}.png"))
            print(DOCS / f"{name}.png")


if __name__ == "__main__":
    main()
