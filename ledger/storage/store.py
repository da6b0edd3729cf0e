"""Versioned storage of published ledgers: SQLite by default, PostgreSQL for a
shared deployment (`LEDGER_DATABASE_URL`), one code path (SQLAlchemy Core).

Every publish is an immutable version, written in one transaction; writers are
serialised, so concurrent publishes each become their own version and a crash
mid-write leaves the previous version current."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ledger.core.paths import data_dir, shipped_ledger
from ledger.core.problems import LedgerError, Problem
from ledger.reading.schema import read_ledger
from ledger.runtime.cache import megabytes_setting

SCHEMA_VERSION = 2  # 2: drafts carry their content's sha256 and the client's address

metadata = sa.MetaData()
schema_version = sa.Table(
    "ledger_schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
versions = sa.Table(
    "ledger_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("row_count", sa.Integer, nullable=False),
    sa.Column("comment", sa.Text, nullable=False, default=""),
    sa.Column("author", sa.Text, nullable=False, default=""),
    sa.Column("restored_from", sa.Integer, nullable=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)
_COLUMNS = [c for c in versions.c if c.name != "content"]
drafts = sa.Table(  # a user's upload kept under an unguessable token, so a reload keeps it
    "ledger_drafts", metadata,
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("label", sa.Text, nullable=False, default=""),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, default=""),
    sa.Column("client", sa.Text, nullable=False, default=""),
    sa.Column("size", sa.BigInteger, nullable=False, default=0),
)
DRAFT_DAYS = 7
DRAFT_MB_PER_CLIENT = 400  # LEDGER_DRAFTS_MB_PER_CLIENT: one address's drafts together
DRAFT_MB_TOTAL = 4000  # LEDGER_DRAFTS_MB_TOTAL: every draft together


def draft_budgets(env: dict[str, str] | None = None) -> tuple[int, int]:
    """(bytes one client's drafts may take, bytes all drafts may take)."""
    return (megabytes_setting("LEDGER_DRAFTS_MB_PER_CLIENT", DRAFT_MB_PER_CLIENT, env),
            megabytes_setting("LEDGER_DRAFTS_MB_TOTAL", DRAFT_MB_TOTAL, env))


@dataclass(frozen=True)
class Version:
    id: int
    sha256: str
    created_at: str
    row_count: int
    comment: str
    author: str
    restored_from: int | None = None


@dataclass(frozen=True)
class Published:
    version: Version
    created: bool  # False: identical to the current version, nothing written


def database_url(env: dict[str, str] | None = None) -> str:
    """`LEDGER_DATABASE_URL`, or SQLite in `LEDGER_DATA_DIR` (default ./var)."""
    env = dict(os.environ) if env is None else env
    url = env.get("LEDGER_DATABASE_URL", "").strip()
    if url:
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    folder = data_dir(env)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder.resolve() / 'ledger.sqlite3'}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Writers take the write lock at BEGIN, so check-then-insert cannot interleave;
    # readers never wait for it (WAL).
    immediate = conn.get_execution_options().get("ledger_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """Published ledger versions. Current = the latest."""

    def __init__(self, url: str | None = None, seed: Path | bool | None = True):
        """`seed`: the ledger that becomes version 1 of an empty store (True: the
        shipped ledger; None or False: none)."""
        self.url = url or database_url()
        self.sqlite = self.url.startswith("sqlite")
        self.engine: Engine = sa.create_engine(self.url, pool_pre_ping=True)
        if self.sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        self._migrate()
        first = shipped_ledger() if seed is True else seed or None
        if isinstance(first, Path) and first.exists():
            self.seed(first.read_bytes())

    def _migrate(self) -> None:
        with self._writing() as conn:
            metadata.create_all(conn)
            found = conn.execute(sa.select(schema_version.c.version)).scalar()
            if found is None:
                conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
            elif found == 1:  # drafts gain their digest, their client and their size
                for column, kind in (("sha256", "VARCHAR(64)"), ("client", "TEXT"),
                                     ("size", "BIGINT")):
                    default = "0" if kind == "BIGINT" else "''"
                    conn.execute(sa.text(f"ALTER TABLE ledger_drafts ADD COLUMN {column} "
                                         f"{kind} NOT NULL DEFAULT {default}"))
                conn.execute(drafts.update().values(size=sa.func.length(drafts.c.content)))
                conn.execute(schema_version.update().values(version=SCHEMA_VERSION))
            elif found > SCHEMA_VERSION:
                raise LedgerError([Problem(None, None, f"the store's schema is version {found}, "
                                           f"newer than this software ({SCHEMA_VERSION})")])

    def _writing(self) -> _WriteLock:
        """A transaction that holds the store's write lock until it ends."""
        return _WriteLock(self)

    def seed(self, content: bytes) -> Version | None:
        """Make `content` version 1 if the store is empty (the shipped ledger)."""
        with self._writing() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(versions)).scalar():
                return None
            return self._insert(conn, content, "shipped ledger (data/funding.csv)", "system",
                                None)

    def publish(self, content: bytes, comment: str = "", author: str = "",
                before_commit: Callable[[], None] | None = None) -> Published:
        """Validate and store `content` as a new version (raises LedgerError if invalid)."""
        read_ledger(content)
        digest = hashlib.sha256(content).hexdigest()
        with self._writing() as conn:
            latest = self._latest(conn)
            if latest is not None and latest.sha256 == digest:
                return Published(latest, created=False)
            version = self._insert(conn, content, comment, author, None)
            if before_commit is not None:
                before_commit()
        return Published(version, created=True)

    def restore(self, version_id: int, comment: str = "", author: str = "") -> Published:
        """A new version with the content of an old one."""
        content = self.content(version_id)
        with self._writing() as conn:
            latest = self._latest(conn)
            if latest is not None and latest.sha256 == hashlib.sha256(content).hexdigest():
                return Published(latest, created=False)
            text = comment or f"restored version {version_id}"
            return Published(self._insert(conn, content, text, author, version_id), True)

    def _insert(self, conn: Connection, content: bytes, comment: str, author: str,
                restored_from: int | None) -> Version:
        rows = len(read_ledger(content).frame)
        values: dict[str, Any] = dict(
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            row_count=rows, comment=comment[:2000], author=author[:200],
            restored_from=restored_from, content=content,
        )
        inserted = conn.execute(versions.insert().values(**values)).inserted_primary_key
        assert inserted is not None
        return Version(id=int(inserted[0]), sha256=values["sha256"],
                       created_at=values["created_at"], row_count=rows, comment=comment[:2000],
                       author=author[:200], restored_from=restored_from)

    def _latest(self, conn: Connection) -> Version | None:
        row = conn.execute(sa.select(*_COLUMNS).order_by(versions.c.id.desc()).limit(1)).first()
        return Version(**row._mapping) if row else None

    def current(self) -> Version | None:
        with self.engine.connect() as conn:
            return self._latest(conn)

    def history(self) -> list[Version]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(*_COLUMNS).order_by(versions.c.id.desc())).all()
        return [Version(**r._mapping) for r in rows]

    def get(self, version_id: int) -> Version:
        _check_id(version_id)
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(versions.c.id == version_id)).first()
        if row is None:
            raise LedgerError([Problem(None, None, f"no stored version {version_id}")])
        return Version(**row._mapping)

    def content(self, version_id: int) -> bytes:
        _check_id(version_id)
        with self.engine.connect() as conn:
            data = conn.execute(sa.select(versions.c.content)
                                .where(versions.c.id == version_id)).scalar()
        if data is None:
            raise LedgerError([Problem(None, None, f"no stored version {version_id}")])
        return bytes(data)

    def save_draft(self, content: bytes, label: str = "", client: str = "",
                   budgets: tuple[int, int] | None = None) -> str | None:
        """Keep an upload under an unguessable token (192 random bits) for DRAFT_DAYS;
        drafts older than that are deleted on the way. The same content from the same
        client keeps its one draft (its token again). One client's drafts, and all
        drafts together, stay within `budgets` (draft_budgets()): the oldest go first;
        None when the upload alone is larger than a client's budget."""
        import secrets

        per_client, total = budgets or draft_budgets()
        if len(content) > min(per_client, total):
            return None
        digest = hashlib.sha256(content).hexdigest()
        now = dt.datetime.now(dt.UTC)
        with self._writing() as conn:
            conn.execute(drafts.delete().where(drafts.c.created_at < (
                now - dt.timedelta(days=DRAFT_DAYS)).isoformat(timespec="milliseconds")))
            same = conn.execute(sa.select(drafts.c.token).where(
                drafts.c.sha256 == digest, drafts.c.client == client)).scalar()
            if same is not None:
                return str(same)
            self._make_room(conn, len(content), per_client, drafts.c.client == client)
            self._make_room(conn, len(content), total, sa.true())
            token = secrets.token_urlsafe(24)
            conn.execute(drafts.insert().values(
                # microseconds: two drafts saved within one millisecond (a fast machine)
                # kept no order, and "the oldest goes first" picked either
                token=token, created_at=now.isoformat(timespec="microseconds"),
                label=label[:200], content=content, sha256=digest, client=client[:100],
                size=len(content)))
        return token

    @staticmethod
    def _make_room(conn: Connection, size: int, budget: int, among: Any) -> None:
        """Delete the oldest drafts `among` until `size` more bytes fit in `budget`."""
        rows = conn.execute(sa.select(drafts.c.token, drafts.c.size).where(among)
                            .order_by(drafts.c.created_at.desc())).all()
        kept = 0
        for token, held in rows:  # the newest are kept while they fit
            kept += int(held)
            if kept + size > budget:
                conn.execute(drafts.delete().where(drafts.c.token == token))
                kept -= int(held)

    def draft(self, token: str) -> tuple[bytes, str] | None:
        """(content, label) of a draft that exists and has not expired."""
        if not token or len(token) > 64:
            return None
        oldest = (dt.datetime.now(dt.UTC) - dt.timedelta(days=DRAFT_DAYS)).isoformat(
            timespec="milliseconds")
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(drafts.c.content, drafts.c.label).where(
                drafts.c.token == token, drafts.c.created_at >= oldest)).first()
        return (bytes(row[0]), str(row[1])) if row else None

    def close(self) -> None:
        self.engine.dispose()


def _check_id(version_id: int) -> None:
    """Ids the database can hold; any other is simply not stored (never an overflow)."""
    if not 1 <= version_id <= 2**63 - 1:
        raise LedgerError([Problem(None, None, f"no stored version {version_id}")])


class _WriteLock:
    """BEGIN IMMEDIATE on SQLite; a transaction-scoped advisory lock on PostgreSQL."""

    LOCK_KEY = 7_340_021

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> Connection:
        self.conn = self.store.engine.connect().execution_options(ledger_write=True)
        self.transaction = self.conn.begin()
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                              {"key": self.LOCK_KEY})
        return self.conn

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if kind is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            self.conn.close()
