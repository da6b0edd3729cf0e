"""The store on SQLite and on a real PostgreSQL (LEDGER_TEST_DATABASE_URL, started
by tools/start-postgres.sh; required when REQUIRE_POSTGRES=1, as in CI)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger.core.problems import LedgerError
from ledger.storage.store import Store, database_url, metadata

from .conftest import DATA, ROOT

SHIPPED = (ROOT / "data" / "funding.csv").read_bytes()
UPDATE = (ROOT / "data" / "examples" / "update-urc.csv").read_bytes()
PG_URL = os.environ.get("LEDGER_TEST_DATABASE_URL", "")
if os.environ.get("REQUIRE_POSTGRES") and not PG_URL:
    raise RuntimeError("REQUIRE_POSTGRES is set but LEDGER_TEST_DATABASE_URL is not")


def variant(n: int) -> bytes:
    """The shipped ledger with one note changed: distinct, valid content."""
    changed = SHIPPED.replace(b"The article's figure, which the record confirms",
                              f"[variant {n}] The article's figure, which the record "
                              "confirms".encode())
    assert changed != SHIPPED
    return changed


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return database_url({"LEDGER_DATA_DIR": str(tmp_path)})
    if not PG_URL:
        pytest.skip("no PostgreSQL: run tools/start-postgres.sh and set "
                    "LEDGER_TEST_DATABASE_URL")
    address = database_url({"LEDGER_DATABASE_URL": PG_URL})
    engine = sa.create_engine(address)
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()
    return address


def test_empty_store_makes_the_shipped_ledger_version_one(url):
    store = Store(url)
    current = store.current()
    assert current is not None and current.id == 1 and current.row_count == SHIPPED.count(b"\n") - 1
    assert store.content(1) == SHIPPED
    Store(url)  # opening again seeds nothing more
    assert len(store.history()) == 1


def test_publishing_makes_an_immutable_new_version(url):
    store = Store(url)
    published = store.publish(UPDATE, "December 2025 summit", "analyst")
    assert published.created and published.version.id == 2
    assert store.current().comment == "December 2025 summit"
    assert store.content(1) == SHIPPED and store.content(2) == UPDATE


def test_publishing_identical_content_again_changes_nothing_and_says_so(url):
    store = Store(url)
    again = store.publish(SHIPPED, "same again")
    assert not again.created and again.version.id == 1
    assert len(store.history()) == 1


def test_restoring_makes_a_new_version_with_the_old_content(url):
    store = Store(url)
    store.publish(UPDATE)
    restored = store.restore(1, author="editor")
    assert restored.version.id == 3 and restored.version.restored_from == 1
    assert store.content(3) == SHIPPED


def test_invalid_content_is_never_stored(url):
    store = Store(url)
    with pytest.raises(LedgerError):
        store.publish((DATA / "errors_many.csv").read_bytes())
    assert len(store.history()) == 1


def _publish_after_go(url: str, n: int, go: str) -> None:
    while not Path(go).exists():
        time.sleep(0.01)
    Store(url, seed=None).publish(variant(n), f"writer {n}")


@pytest.mark.slow
def test_eight_processes_publishing_at_once_give_eight_versions(url, tmp_path):
    store = Store(url)
    go = tmp_path / "go"
    spawn = multiprocessing.get_context("spawn")
    writers = [spawn.Process(target=_publish_after_go, args=(url, n, str(go)))
               for n in range(8)]
    for w in writers:
        w.start()
    time.sleep(1.0)
    go.touch()
    for w in writers:
        w.join(timeout=120)
        assert w.exitcode == 0
    history = store.history()
    assert len(history) == 9
    assert {store.content(v.id) for v in history[:8]} == {variant(n) for n in range(8)}


def _open_after_go(url: str, go: str) -> None:
    while not Path(go).exists():
        time.sleep(0.002)
    Store(url).close()  # migrates the schema and seeds version 1


@pytest.mark.slow
def test_servers_starting_together_on_an_empty_store_both_come_up_ten_times(url, tmp_path):
    # what two app servers do on their first request: open the store, migrate, seed
    spawn = multiprocessing.get_context("spawn")
    for round_ in range(10):
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            metadata.drop_all(conn)
        engine.dispose()
        go = tmp_path / f"go-{round_}"
        servers = [spawn.Process(target=_open_after_go, args=(url, str(go))) for _ in range(2)]
        for server in servers:
            server.start()
        time.sleep(0.8)  # both waiting on the same file: they start within milliseconds
        go.touch()
        for server in servers:
            server.join(timeout=60)
            assert server.exitcode == 0, f"round {round_}"
        assert [v.id for v in Store(url).history()] == [1]


def _publish_then_hang(url: str, flag: str) -> None:
    def stall() -> None:
        Path(flag).touch()
        time.sleep(120)

    Store(url, seed=None).publish(UPDATE, "never committed", before_commit=stall)


@pytest.mark.slow
def test_a_process_killed_mid_publish_leaves_the_previous_version_current(url, tmp_path):
    Store(url)  # version 1
    flag = tmp_path / "inside-transaction"
    writer = multiprocessing.get_context("spawn").Process(
        target=_publish_then_hang, args=(url, str(flag)))
    writer.start()
    deadline = time.monotonic() + 60
    while not flag.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert flag.exists()
    os.kill(writer.pid, signal.SIGKILL)
    writer.join()
    reopened = Store(url)
    assert reopened.current().id == 1 and reopened.content(1) == SHIPPED
    taken = reopened.publish(UPDATE).version  # the store still takes writes
    assert reopened.current() == taken and [v.id for v in reopened.history()][-1] == 1


def test_a_draft_is_kept_under_an_unguessable_token_and_expires(tmp_path, monkeypatch):
    import datetime as dt

    from ledger.storage import store as store_module

    store = store_module.Store(f"sqlite:///{tmp_path / 'd.sqlite3'}", seed=None)
    token = store.save_draft(b"id,kind\n", "mine")
    assert token is not None
    assert len(token) >= 32 and store.draft(token) == (b"id,kind\n", "mine")
    assert store.draft("guess") is None
    real = dt.datetime

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.now(tz) + dt.timedelta(days=store_module.DRAFT_DAYS, minutes=1)

    monkeypatch.setattr(store_module.dt, "datetime", Later)
    assert store.draft(token) is None  # expired


def test_the_same_upload_again_keeps_its_one_draft_and_a_client_stays_within_its_budget(url):
    # budgets: 25 bytes per client, 40 in all. A's 10-byte upload twice is one draft;
    # A's next two uploads (10 each) push its oldest out (30 > 25); then B's 10 bytes
    # fit (30 in all) and B's 15 more do not (45 > 40): the oldest of anyone's goes
    import sqlalchemy as sa

    from ledger.storage.store import Store, drafts

    store = Store(url, seed=None)
    budgets = (25, 40)
    first = store.save_draft(b"0123456789", "one", "A", budgets)
    assert store.save_draft(b"0123456789", "one again", "A", budgets) == first
    second = store.save_draft(b"1123456789", "two", "A", budgets)
    third = store.save_draft(b"2123456789", "three", "A", budgets)
    assert store.draft(first) is None and store.draft(second) and store.draft(third)
    assert store.save_draft(b"x" * 26, "too large", "A", budgets) is None
    store.save_draft(b"3123456789", "b", "B", budgets)
    store.save_draft(b"4" * 15, "b2", "B", budgets)
    with store.engine.connect() as conn:
        held = conn.execute(sa.select(sa.func.sum(drafts.c.size))).scalar()
    assert held <= 40 and store.draft(second) is None and store.draft(third)


def test_a_store_of_schema_version_1_gains_the_drafts_columns_and_keeps_its_drafts(tmp_path):
    import sqlalchemy as sa

    from ledger.storage.store import Store

    path = tmp_path / "v1.sqlite3"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # the store as version 1 made it
        conn.execute(sa.text("CREATE TABLE ledger_schema_version (version INTEGER NOT NULL)"))
        conn.execute(sa.text("INSERT INTO ledger_schema_version VALUES (1)"))
        conn.execute(sa.text("CREATE TABLE ledger_drafts (token VARCHAR(64) PRIMARY KEY, "
                             "created_at VARCHAR(32) NOT NULL, label TEXT NOT NULL, "
                             "content BLOB NOT NULL)"))
        conn.execute(sa.text("INSERT INTO ledger_drafts VALUES ('t' || hex(randomblob(20)), "
                             "strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), 'old', x'0102')"))
        token = conn.execute(sa.text("SELECT token FROM ledger_drafts")).scalar()
    engine.dispose()
    store = Store(f"sqlite:///{path}", seed=None)
    assert store.draft(token) == (b"\x01\x02", "old")
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM ledger_schema_version")).scalar() == 2
        assert conn.execute(sa.text("SELECT size FROM ledger_drafts")).scalar() == 2
