"""A team deployment: two app servers on one PostgreSQL. A version published
through one is what the other serves on its next rerun, without a restart.
Needs PostgreSQL (LEDGER_TEST_DATABASE_URL) and Chromium, as CI has."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from tools.browser import CHROMIUM, browser_page, dashboard, dashboards, patience, wait_for_app

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
PG_URL = os.environ.get("LEDGER_TEST_DATABASE_URL", "")
if not PG_URL or not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER") and os.environ.get("REQUIRE_POSTGRES"):
        raise RuntimeError("the team test needs PostgreSQL and Chromium (see .ci/run)")
    pytest.skip("needs PostgreSQL and Chromium", allow_module_level=True)


def empty_database() -> str:
    """A new, empty database on the test server."""
    admin = sa.create_engine(PG_URL.rsplit("/", 1)[0] + "/postgres",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS ledger_team WITH (FORCE)"))
        conn.execute(sa.text("CREATE DATABASE ledger_team"))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + "/ledger_team"


@pytest.fixture
def team_database() -> str:
    return empty_database()


def data_label(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_a_version_published_on_one_server_is_served_by_the_other(team_database, tmp_path):
    env = {"LEDGER_DATABASE_URL": team_database, "LEDGER_EDITOR_SECRET": "team-secret",
           "LEDGER_DATA_DIR": str(tmp_path)}
    with dashboard(env) as server_a, dashboard(env) as server_b, browser_page() as on_a:
        on_b = on_a.context.browser.new_context(viewport={"width": 1400, "height": 1000}
                                                ).new_page()  # a second user
        on_b.goto(server_b)
        wait_for_app(on_b)
        assert "published version 1" in data_label(on_b)
        on_a.goto(f"{server_a}/data")
        wait_for_app(on_a)
        on_a.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(ROOT / "data" / "examples" / "update-urc.csv"))
        on_a.get_by_text("6 added, 0 removed").first.wait_for(timeout=patience(30_000))
        on_a.get_by_text("Publish for everyone (editors)").click()
        on_a.get_by_label("Editor secret").fill("team-secret")
        on_a.get_by_role("button", name="Publish", exact=True).click()
        on_a.get_by_text("Published as version 2").wait_for(timeout=patience(30_000))
        on_b.get_by_role("link", name="Flows").click()  # B's next rerun, same session
        # the click starts a rerun: wait for its page, not for the idle page before it
        on_b.locator('[data-testid="stSidebar"]').get_by_text(
            "published version 2").first.wait_for(timeout=patience(30_000))
        wait_for_app(on_b)
        assert "published version 2" in data_label(on_b)


def test_two_servers_started_together_on_an_empty_database_both_come_up_ten_times(tmp_path):
    # both start at once, and a user opens each at once: their first runs create the
    # schema and seed version 1 concurrently, under the store's lock
    with browser_page() as first:
        second = first.context.browser.new_context().new_page()
        for round_ in range(10):
            env = {"LEDGER_DATABASE_URL": empty_database(),
                   "LEDGER_DATA_DIR": str(tmp_path / str(round_))}
            with dashboards(2, env) as (url_a, url_b):
                first.goto(url_a, wait_until="commit")
                second.goto(url_b, wait_until="commit")
                for page in (first, second):
                    wait_for_app(page)
                    assert "published version 1" in data_label(page), f"round {round_}"
                    assert page.locator('[data-testid="stException"]').count() == 0
            engine = sa.create_engine(env["LEDGER_DATABASE_URL"])
            with engine.connect() as conn:
                assert conn.execute(sa.text("SELECT count(*) FROM ledger_versions")).scalar() == 1
            engine.dispose()
